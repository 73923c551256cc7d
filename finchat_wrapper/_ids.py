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
    "validate_path_id",
    "validate_room_id",
    "validate_room_ids",
    "validate_webhook_id",
]

_MAX_ID_LENGTH = 255
# `[^:/\s]` of the spec, plus no control character (NUL, DEL, C1) and no lone surrogate (valid
# in a JSON string, but no text: it cannot be encoded as UTF-8 for a URL or a body) anywhere.
_PART = r"[^:/\s\x00-\x1f\x7f-\x9f\ud800-\udfff]+"
_TAIL = r"[^/\s\x00-\x1f\x7f-\x9f\ud800-\udfff]+"
_FCID = re.compile(rf"@{_PART}:{_TAIL}")
_ROOM_ID = re.compile(rf"!{_PART}:{_TAIL}")
# `$opaque:server` (the document's, and rooms of version 1 and 2), or `$` and the unpadded
# base64 of the event's hash (room versions 3 and later: standard or URL-safe alphabet, no server).
_EVENT_ID = re.compile(rf"\${_PART}:{_TAIL}|\$[A-Za-z0-9+/_-]+")
# One path segment of an opaque id (organization, department): nothing that changes the route.
_PATH_ID = re.compile(r"[^/\s\x00-\x1f\x7f-\x9f\ud800-\udfff]+")
_WEBHOOK_ID = re.compile(r"[^\s\x00-\x1f\x7f-\x9f\ud800-\udfff]+")
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
    """`event_id` if it is an event id, `$opaque:server` or `$` and unpadded base64 (the ids of
    modern Matrix rooms); ValueError otherwise."""
    return _check(
        "event id", event_id, _EVENT_ID, "'$opaque:server' or '$' and base64", _MAX_ID_LENGTH
    )


def validate_path_id(kind: str, value: object) -> str:
    """`value` if it can be sent as one path segment (an organization or department id): not
    empty, no `/`, white space or control character, and not a dot segment; ValueError otherwise."""
    checked = _check(kind, value, _PATH_ID, "an id without '/' or white space", _MAX_ID_LENGTH)
    if not checked.strip("."):
        # "." and ".." are removed by URL normalisation: the request would go to another route.
        raise ValueError(f"invalid {kind} {checked!r}: a dot segment cannot be an id")
    return checked


def validate_webhook_id(webhook_id: object) -> str:
    """`webhook_id` if it is a non-empty id without white space; ValueError otherwise."""
    return _check("webhook_id", webhook_id, _WEBHOOK_ID, "a non-empty id", _MAX_ID_LENGTH)


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
