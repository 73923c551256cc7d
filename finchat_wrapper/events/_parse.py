"""Turning a callback body into a typed event, without I/O.

FinChat PUTs `{app_id, token, event}`. The event's `type` names its kind; `m.room.message` names
three, told apart as the spec's `Event` says: `receivers` present is a privileged app's feed of
every message of every room (`AllRoomsMessageEvent`, any msgtype), `m.alert` an @-mention of the
bot in a group (`MentionEvent`), any other msgtype a message in a direct room (`MessageEvent`:
text, image, file...). We dispatch on those instead of trying the generated `oneOf` variants in
order, which would take a malformed event of a known kind for an unknown one.

An event of a type this version does not know becomes an `UnknownEvent` holding the raw data: a
newer server must never break an older bot. An event of a known kind that lacks a required field
or has a field of the wrong type, or a body that is not a JSON callback, raises
`InvalidEventError` (a `ValueError`). The checks are the generated models' own (`_shapes`).

A shortcut search (`finstore.shortcut.search`, POSTed to the app's search URL) is not an event of
the push callback: `parse_search` reads it into a `SearchEvent`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final, Generic, TypeAlias, TypeVar

import attrs
from finchat_openapi.models import (
    AllRoomsMessageEvent,
    AppApplicationEvent,
    AppStatusEvent,
    AppVisibilityEvent,
    CuiSubmitEvent,
    MentionEvent,
    MessageEvent,
    RoomCreateEvent,
    SearchEvent,
    SensitiveWordEvent,
    WebhookEvent,
)

from ._shapes import InvalidEventError, Shape, is_object, shape_of

MESSAGE_TYPE: Final = "m.room.message"
ROOM_CREATE_TYPE: Final = "finstore.room.create"
CUI_SUBMIT_TYPE: Final = "finstore.room.interactcui"
WEBHOOK_TYPE: Final = "finstore.app.webhook"
APP_APPLICATION_TYPE: Final = "finstore.app.application"
APP_STATUS_TYPE: Final = "finstore.app.status"
APP_VISIBILITY_TYPE: Final = "finstore.app.visibility"
SENSITIVE_WORD_TYPE: Final = "observe.message.sensitivity"
SEARCH_TYPE: Final = "finstore.shortcut.search"
TEXT_MSGTYPE: Final = "m.text"
MENTION_MSGTYPE: Final = "m.alert"


@attrs.frozen
class UnknownEvent:
    """An event of a type this version does not know.

    Kept whole in `raw` so that a handler registered with `EventDispatcher.on(type)` or the
    fallback can still read it. `msgtype` is that of its content, when it has one.
    """

    type: str
    raw: Mapping[str, Any] = attrs.field(repr=False)
    event_id: str | None = None
    msgtype: str | None = None


Event: TypeAlias = (
    MessageEvent
    | MentionEvent
    | AllRoomsMessageEvent
    | RoomCreateEvent
    | CuiSubmitEvent
    | WebhookEvent
    | AppApplicationEvent
    | AppStatusEvent
    | AppVisibilityEvent
    | SensitiveWordEvent
    | UnknownEvent
)
"""Every event a push callback (or a pull) can bring: one generated model per kind."""

KNOWN_MODELS: Final[tuple[type, ...]] = (
    MessageEvent,
    MentionEvent,
    AllRoomsMessageEvent,
    RoomCreateEvent,
    CuiSubmitEvent,
    WebhookEvent,
    AppApplicationEvent,
    AppStatusEvent,
    AppVisibilityEvent,
    SensitiveWordEvent,
)

E = TypeVar("E")


@attrs.frozen
class Callback(Generic[E]):
    """One callback body: the verification token, the app it is for, and the event it carries.

    `app_id` is None when the body has none (a revision-1 server). The token is left out of
    `repr` so that logging a callback cannot leak it.
    """

    token: str = attrs.field(repr=False)
    event: E
    app_id: str | None = None


# The kinds whose `type` alone names them; `m.room.message` is decided by `_message_shape`.
_BY_TYPE: Final[dict[str, Shape]] = {
    ROOM_CREATE_TYPE: shape_of(RoomCreateEvent),
    CUI_SUBMIT_TYPE: shape_of(CuiSubmitEvent),
    WEBHOOK_TYPE: shape_of(WebhookEvent),
    APP_APPLICATION_TYPE: shape_of(AppApplicationEvent),
    APP_STATUS_TYPE: shape_of(AppStatusEvent),
    APP_VISIBILITY_TYPE: shape_of(AppVisibilityEvent),
    SENSITIVE_WORD_TYPE: shape_of(SensitiveWordEvent),
}
_MESSAGE: Final = shape_of(MessageEvent)
_MENTION: Final = shape_of(MentionEvent)
_ALL_ROOMS: Final = shape_of(AllRoomsMessageEvent)
_SEARCH: Final = shape_of(SearchEvent)


def _message_shape(data: Mapping[str, Any], msgtype: str | None) -> Shape:
    if data.get("receivers") is not None:
        return _ALL_ROOMS
    return _MENTION if msgtype == MENTION_MSGTYPE else _MESSAGE


def _msgtype(content: Any) -> str | None:
    msgtype = content.get("msgtype") if is_object(content) else None
    return msgtype if isinstance(msgtype, str) else None


# ---- decoding ---------------------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise InvalidEventError(f"body is not valid JSON: {name} is not a JSON number")


_DECODER: Final = json.JSONDecoder(parse_constant=_reject_constant)


def decode_body(
    body: bytes | bytearray | memoryview | str | Mapping[str, Any],
) -> Mapping[str, Any]:
    """A JSON object from a body (bytes, text, or an already decoded mapping)."""
    if isinstance(body, bytearray | memoryview):
        body = bytes(body)
    elif not isinstance(body, bytes | str):
        if is_object(body):
            return body
        raise TypeError(f"body must be bytes, str or a mapping, not {type(body).__name__}")
    try:
        # The usual body, UTF-8 JSON, through one decoder made once; anything else (another
        # encoding, a BOM, an error to report) through `json.loads`, which says what is wrong.
        data = _DECODER.decode(body.decode("utf-8") if isinstance(body, bytes) else body)
    except Exception:
        data = _slow_decode(body)
    if not isinstance(data, dict):
        raise InvalidEventError(f"body must be a JSON object, not {type(data).__name__}")
    return data


def _slow_decode(body: bytes | str) -> Any:
    try:
        return json.loads(body, parse_constant=_reject_constant)
    except InvalidEventError:
        raise
    except (ValueError, RecursionError) as exc:
        # JSONDecodeError and UnicodeDecodeError are ValueErrors; their message gives the
        # position only, never the content, so it is safe to keep.
        raise InvalidEventError(f"body is not valid JSON: {exc}") from None


def _is_envelope(data: Mapping[str, Any]) -> bool:
    return "event" in data and "type" not in data


def event_from(data: Mapping[str, Any]) -> Event:
    """The typed event of a decoded event object (the `event` of a callback)."""
    event_type = data.get("type")
    if not isinstance(event_type, str):
        raise InvalidEventError("event: field 'type' is missing or not a string")
    content = data.get("content")
    msgtype = _msgtype(content)
    if event_type == MESSAGE_TYPE:
        shape = _message_shape(data, msgtype)
        where = f"{event_type} ({msgtype}) event" if msgtype else f"{event_type} event"
    else:
        found = _BY_TYPE.get(event_type)
        if found is None:
            event_id = data.get("event_id")
            return UnknownEvent(
                type=event_type,
                raw=data,
                event_id=event_id if isinstance(event_id, str) else None,
                msgtype=msgtype,
            )
        shape = found
        where = f"{event_type} event"
    event: Event = shape.build(data, where)
    return event


def search_from(data: Mapping[str, Any]) -> SearchEvent:
    """The `SearchEvent` of a decoded event object (the `event` of a search callback)."""
    event_type = data.get("type")
    if event_type != SEARCH_TYPE:
        raise InvalidEventError(f"search: field 'type' must be {SEARCH_TYPE!r}")
    event: SearchEvent = _SEARCH.build(data, "search event")
    return event


def _envelope(data: Mapping[str, Any], what: str) -> tuple[str, Mapping[str, Any], str | None]:
    token = data.get("token")
    if not isinstance(token, str):
        raise InvalidEventError(f"{what}: field 'token' is missing or not a string")
    event = data.get("event")
    if not isinstance(event, Mapping):
        raise InvalidEventError(f"{what}: field 'event' is missing or not an object")
    app_id = data.get("app_id")
    if app_id is not None and not isinstance(app_id, str):
        raise InvalidEventError(f"{what}: field 'app_id' must be a string")
    return token, event, app_id


def parse_event(body: bytes | str | Mapping[str, Any]) -> Event:
    """The typed event in a callback body (`{app_id, token, event}`) or in a bare event object.

    Returns the generated model of its kind (`MessageEvent`, `MentionEvent`,
    `AllRoomsMessageEvent`, `RoomCreateEvent`, `CuiSubmitEvent`, `WebhookEvent`,
    `AppApplicationEvent`, `AppStatusEvent`, `AppVisibilityEvent`, `SensitiveWordEvent`) or an
    `UnknownEvent`. Raises `InvalidEventError` if the body is not a JSON object, has no event, or
    a known event lacks a required field. The token is not checked here: use `verify_token` (or
    `parse_callback` and then `verify_token`).
    """
    data = decode_body(body)
    if _is_envelope(data):
        return parse_callback(data).event
    return event_from(data)


def parse_callback(body: bytes | str | Mapping[str, Any]) -> Callback[Event]:
    """The callback FinChat PUTs, with its event typed as by `parse_event`."""
    token, event, app_id = _envelope(decode_body(body), "callback")
    return Callback(token=token, event=event_from(event), app_id=app_id)


def parse_search(body: bytes | str | Mapping[str, Any]) -> Callback[SearchEvent]:
    """The shortcut search FinChat POSTs (`{app_id, token, event}`), its event a `SearchEvent`
    (`content.search_text`, `.page_no`, `.page_size`). Raises `InvalidEventError` like
    `parse_callback`."""
    token, event, app_id = _envelope(decode_body(body), "search")
    return Callback(token=token, event=search_from(event), app_id=app_id)


# ---- pulled pages -----------------------------------------------------------------------------


@attrs.frozen
class RejectedEvent:
    """A pulled event of a known kind that fails its checks: never handled, kept for the log.

    Pulling cannot answer 400 as a webhook can, and stopping at it would stop the bot for good:
    the poller logs it (`error` names the field, never a value) and goes on past it.
    """

    error: str
    raw: Mapping[str, Any] = attrs.field(repr=False)
    event_id: str | None = None


@attrs.frozen
class EventPage:
    """One page of events pulled from the forwarder (`client.events.pull`).

    `since` is the cursor after this page (the next pull's `since`); `events` are typed as a
    webhook's are, in `event_id` order; `rejected` the events that failed their checks.
    """

    since: str
    events: tuple[Event, ...]
    rejected: tuple[RejectedEvent, ...] = ()

    def __len__(self) -> int:
        return len(self.events) + len(self.rejected)


def parse_page(body: bytes | str | Mapping[str, Any]) -> EventPage:
    """The `PulledEvents` answer of `pull_events` (`{since, events}`), each event typed by
    `event_from`. Raises `InvalidEventError` if the answer itself is not of that shape."""
    data = decode_body(body)
    since = data.get("since")
    if not isinstance(since, str):
        raise InvalidEventError("pulled events: field 'since' is missing or not a string")
    raw_events = data.get("events")
    if not isinstance(raw_events, list):
        raise InvalidEventError("pulled events: field 'events' is missing or not a list")
    events: list[Event] = []
    rejected: list[RejectedEvent] = []
    for index, raw in enumerate(raw_events):
        if not is_object(raw):
            rejected.append(RejectedEvent(f"events[{index}] is not an object", {"value": raw}))
            continue
        try:
            events.append(event_from(raw))
        except InvalidEventError as exc:
            event_id = raw.get("event_id")
            rejected.append(
                RejectedEvent(str(exc), raw, event_id if isinstance(event_id, str) else None)
            )
    return EventPage(since=since, events=tuple(events), rejected=tuple(rejected))
