"""Validation of identifiers before they reach a URL or a body.

The generated client percent-encodes path parameters, but `""`, `"."` and `".."` pass through and
httpx then resolves the dot segments: the request would hit a different route. So every id is
checked here, against the patterns of `openapi/finchat.yaml`, before any request is built.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

__all__ = [
    "validate_app_id",
    "validate_event_id",
    "validate_fcid",
    "validate_fcids",
    "validate_room_id",
    "validate_room_ids",
]

_MAX_ID_LENGTH = 255
# `[^:/\s]` of the spec, plus no control character (NUL, DEL, C1) and no lone surrogate (valid
# in a JSON string, but no text: it cannot be encoded as UTF-8 for a URL or a body) anywhere.
_PART = r"[^:/\s\x00-\x1f\x7f-\x9f\ud800-\udfff]+"
_TAIL = r"[^/\s\x00-\x1f\x7f-\x9f\ud800-\udfff]+"
_FCID = re.compile(rf"@{_PART}:{_TAIL}")
_ROOM_ID = re.compile(rf"!{_PART}:{_TAIL}")
_EVENT_ID = re.compile(rf"\${_PART}:{_TAIL}")
_APP_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def _check(kind: str, value: object, pattern: re.Pattern[str], shape: str, max_len: int) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{kind} must be a str, not {type(value).__name__}")
    if len(value) > max_len or pattern.fullmatch(value) is None:
        shown = value if len(value) <= 80 else value[:77] + "..."
        raise ValueError(f"invalid {kind} {shown!r}: expected {shape}")
    return value


def validate_fcid(fcid: object) -> str:
    """`fcid` if it is a user id `@localpart:server`; ValueError otherwise."""
    return _check("fcid", fcid, _FCID, "'@localpart:server'", _MAX_ID_LENGTH)


def validate_room_id(room_id: object) -> str:
    """`room_id` if it is a room id `!opaque:server`; ValueError otherwise."""
    return _check("room id", room_id, _ROOM_ID, "'!opaque:server'", _MAX_ID_LENGTH)


def validate_event_id(event_id: object) -> str:
    """`event_id` if it is an event id `$opaque:server`; ValueError otherwise."""
    return _check("event id", event_id, _EVENT_ID, "'$opaque:server'", _MAX_ID_LENGTH)


def validate_app_id(app_id: object) -> str:
    """`app_id` if it is 1-64 of `[A-Za-z0-9_-]` starting alphanumeric; ValueError otherwise."""
    return _check("app_id", app_id, _APP_ID, "1-64 of [A-Za-z0-9_-], first alphanumeric", 64)


def _many(kind: str, values: Iterable[str], check: Callable[[object], str]) -> list[str]:
    # A lone string is iterable too: "!a:b" would become four one-character "room ids".
    if isinstance(values, str | bytes):
        raise TypeError(f"{kind} must be a list of ids, not a single {type(values).__name__}")
    return [check(value) for value in values]


def validate_fcids(fcids: Iterable[str]) -> list[str]:
    """The fcids as a list, each validated; TypeError for a bare string."""
    return _many("fcids", fcids, validate_fcid)


def validate_room_ids(room_ids: Iterable[str]) -> list[str]:
    """The room ids as a list, each validated; TypeError for a bare string."""
    return _many("room_ids", room_ids, validate_room_id)
