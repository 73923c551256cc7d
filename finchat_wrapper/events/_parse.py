"""Turning a callback body into a typed event, without I/O.

FinChat PUTs `{"token": ..., "event": {...}}`. The event's `type` (and, for `m.room.message`, its
`content.msgtype`) names its kind; we dispatch on those two strings instead of trying the generated
`oneOf` variants in order, which would accept an `m.alert` as an `m.text` or fail on a new kind.

An event of a kind this version does not know becomes an `UnknownEvent` holding the raw data: a
newer server must never break an older bot. An event of a known kind that lacks a required field,
or a body that is not a JSON callback, raises `InvalidEventError` (a `ValueError`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeAlias, TypeGuard

import attrs
from finchat_openapi.models import (
    AppApplicationEvent,
    CuiSubmitEvent,
    MentionEvent,
    MessageEvent,
    RoomCreateEvent,
)

from .._errors import FinChatError

MESSAGE_TYPE: Final = "m.room.message"
ROOM_CREATE_TYPE: Final = "finstore.room.create"
CUI_SUBMIT_TYPE: Final = "finstore.room.interactcui"
APP_APPLICATION_TYPE: Final = "finstore.app.application"
TEXT_MSGTYPE: Final = "m.text"
MENTION_MSGTYPE: Final = "m.alert"


class InvalidEventError(FinChatError, ValueError):
    """The body is not JSON, not a callback `{token, event}`, or a known event missing a field.

    The message names what is wrong and where; it never quotes the token.
    """


@attrs.frozen
class UnknownEvent:
    """An event of a type (or message `msgtype`) this version does not know.

    Kept whole in `raw` so that a handler registered with `EventDispatcher.on(type)` or the
    fallback can still read it.
    """

    type: str
    raw: Mapping[str, Any] = attrs.field(repr=False)
    event_id: str | None = None
    msgtype: str | None = None


Event: TypeAlias = (
    MessageEvent
    | MentionEvent
    | RoomCreateEvent
    | CuiSubmitEvent
    | AppApplicationEvent
    | UnknownEvent
)


@attrs.frozen
class Callback:
    """One callback body: the verification token and the event it carries.

    The token is left out of `repr` so that logging a callback cannot leak it.
    """

    token: str = attrs.field(repr=False)
    event: Event


# ---- field checks -----------------------------------------------------------------------------
# The generated `from_dict` trusts its input: a missing field is a bare KeyError and a wrong type
# passes silently. These checks run first so that every defect gets a message naming the field.

_Check = Callable[[Any], bool]


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _is_int(value: Any) -> bool:
    # bool is an int subclass; a JSON `true` is not a timestamp.
    return isinstance(value, int) and not isinstance(value, bool)


def _is_object(value: Any) -> TypeGuard[Mapping[str, Any]]:
    # dict first: the ABC check is slow, and decoded JSON is always a dict.
    return type(value) is dict or isinstance(value, Mapping)


def _is_applications(value: Any) -> bool:
    return isinstance(value, list) and all(
        _is_object(item)
        and _is_str(item.get("app_id"))
        and _is_str(item.get("fcid"))
        and all(_is_str(item[k]) for k in ("app_name", "username") if item.get(k) is not None)
        for item in value
    )


_BASE_REQUIRED: Final[dict[str, _Check]] = {
    "event_id": _is_str,
    "timestamp": _is_int,
    "sender": _is_str,
}
_BASE_OPTIONAL: Final[dict[str, _Check]] = {
    "room_id": _is_str,
    "room_type": _is_str,
    "fcid": _is_str,
    "unsigned": _is_object,
}
_EXPECTED: Final[dict[_Check, str]] = {
    _is_str: "a string",
    _is_int: "an integer",
    _is_object: "an object",
    _is_applications: "a list of {app_id, fcid} objects",
}


@attrs.frozen
class _Kind:
    model: Any
    content: dict[str, _Check]
    extra: dict[str, _Check] = attrs.Factory(dict)


_TEXT_CONTENT: Final[dict[str, _Check]] = {"msgtype": _is_str, "body": _is_str}
# The fields the spec requires of each kind beyond the base ones (room events name their room).
_IN_ROOM: Final[dict[str, _Check]] = {"room_id": _is_str}
_KINDS: Final[dict[tuple[str, str | None], _Kind]] = {
    (MESSAGE_TYPE, TEXT_MSGTYPE): _Kind(MessageEvent, _TEXT_CONTENT, _IN_ROOM),
    (MESSAGE_TYPE, MENTION_MSGTYPE): _Kind(MentionEvent, _TEXT_CONTENT, _IN_ROOM),
    (ROOM_CREATE_TYPE, None): _Kind(
        RoomCreateEvent, {"creator": _is_str}, {**_IN_ROOM, "fcid": _is_str}
    ),
    (CUI_SUBMIT_TYPE, None): _Kind(
        CuiSubmitEvent,
        {"action": _is_str, "info": _is_object},
        {"origin_event": _is_str, **_IN_ROOM},
    ),
    (APP_APPLICATION_TYPE, None): _Kind(AppApplicationEvent, {"info": _is_applications}),
}


def _check_fields(
    where: str,
    data: dict[str, Any],
    required: Mapping[str, _Check],
    optional: Mapping[str, _Check] | None = None,
) -> None:
    for name, check in required.items():
        if name not in data or data[name] is None:
            raise InvalidEventError(f"{where}: required field {name!r} is missing")
        if not check(data[name]):
            raise InvalidEventError(f"{where}: field {name!r} must be {_EXPECTED[check]}")
    for name, check in (optional or {}).items():
        if name in data and data[name] is None:
            # JSON null for an optional field means "absent"; the models expect it left out.
            del data[name]
        elif name in data and not check(data[name]):
            raise InvalidEventError(f"{where}: field {name!r} must be {_EXPECTED[check]}")


# ---- decoding ---------------------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise InvalidEventError(f"body is not valid JSON: {name} is not a JSON number")


def decode_body(
    body: bytes | bytearray | memoryview | str | Mapping[str, Any],
) -> Mapping[str, Any]:
    if isinstance(body, bytearray | memoryview):
        body = bytes(body)
    elif not isinstance(body, bytes | str):
        if _is_object(body):
            return body
        raise TypeError(f"body must be bytes, str or a mapping, not {type(body).__name__}")
    try:
        data = json.loads(body, parse_constant=_reject_constant)
    except InvalidEventError:
        raise
    except (ValueError, RecursionError) as exc:
        # JSONDecodeError and UnicodeDecodeError are ValueErrors; their message gives the
        # position only, never the content, so it is safe to keep.
        raise InvalidEventError(f"body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidEventError(f"body must be a JSON object, not {type(data).__name__}")
    return data


def _is_envelope(data: Mapping[str, Any]) -> bool:
    return "event" in data and "type" not in data


def event_from(data: Mapping[str, Any]) -> Event:
    event_type = data.get("type")
    if not isinstance(event_type, str):
        raise InvalidEventError("event: field 'type' is missing or not a string")
    content = data.get("content")
    msgtype = content.get("msgtype") if _is_object(content) else None
    if not isinstance(msgtype, str):
        msgtype = None
    kind = _KINDS.get((event_type, msgtype if event_type == MESSAGE_TYPE else None))
    if kind is None:
        event_id = data.get("event_id")
        return UnknownEvent(
            type=event_type,
            raw=data,
            event_id=event_id if isinstance(event_id, str) else None,
            msgtype=msgtype,
        )
    where = f"{event_type} event" if msgtype is None else f"{event_type} ({msgtype}) event"
    fields = dict(data)
    _check_fields(where, fields, {**_BASE_REQUIRED, **kind.extra}, _BASE_OPTIONAL)
    if not _is_object(content):
        raise InvalidEventError(f"{where}: required field 'content' is missing or not an object")
    fields["content"] = dict(content)
    _check_fields(f"{where} content", fields["content"], kind.content)
    event: Event = kind.model.from_dict(fields)
    return event


def parse_event(body: bytes | str | Mapping[str, Any]) -> Event:
    """The typed event in a callback body (`{token, event}`) or in a bare event object.

    Returns a generated model (`MessageEvent`, `MentionEvent`, `RoomCreateEvent`,
    `CuiSubmitEvent`, `AppApplicationEvent`) or an `UnknownEvent`. Raises `InvalidEventError` if
    the body is not a JSON object, has no event, or a known event lacks a required field. The
    token is not checked here: use `verify_token` (or `parse_callback` and then `verify_token`).
    """
    data = decode_body(body)
    if _is_envelope(data):
        return parse_callback(data).event
    return event_from(data)


def parse_callback(body: bytes | str | Mapping[str, Any]) -> Callback:
    """The `{token, event}` callback FinChat PUTs, with its event typed as by `parse_event`."""
    data = decode_body(body)
    token = data.get("token")
    if not isinstance(token, str):
        raise InvalidEventError("callback: field 'token' is missing or not a string")
    event = data.get("event")
    if not _is_object(event):
        raise InvalidEventError("callback: field 'event' is missing or not an object")
    return Callback(token=token, event=event_from(event))
