"""Routing each event to the one handler registered for it.

Each kind of event has a decorator whose handler gets that kind's generated model
(`on_message` a `MessageEvent`, ...). `on(type, msgtype=None)` registers by name instead, for a
kind without a decorator or an event type added later (arriving as `UnknownEvent`). For one
event the dispatcher tries, in order:

1. `on(type, msgtype)`: the event's type and its content's msgtype, by name (an image message
   with `on("m.room.message", "m.image")`);
2. the decorator of its kind (`on_message`, `on_mention`, ...);
3. `on(type)`: any event of that type without a handler above;
4. `fallback`: every event nobody else takes.

Registering a second handler for the same key raises `HandlerAlreadyRegisteredError`: two
handlers silently racing (or one silently replacing the other) is always a bug.

A shortcut search is not an event of the push callback: `on_search` registers the one handler
that answers searches, and `WebhookReceiver` runs it within the platform's 5 seconds.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, Final, TypeAlias, TypeVar, cast

import anyio.to_thread
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
    SearchResult,
    SensitiveWordEvent,
    WebhookEvent,
)

from .._errors import FinChatError
from ._parse import MESSAGE_TYPE, Event, UnknownEvent

Handler: TypeAlias = Callable[[Any], Awaitable[object] | object]
"""A function taking one event; plain functions run in a worker thread, coroutines on the loop."""

SearchHandler: TypeAlias = Callable[[SearchEvent], Awaitable[SearchResult] | SearchResult]
"""The function answering a search: a `SearchResult`, returned or awaited."""

H = TypeVar("H", bound=Handler)
S = TypeVar("S", bound=SearchHandler)
MessageHandler = TypeVar("MessageHandler", bound=Callable[[MessageEvent], Any])
MentionHandler = TypeVar("MentionHandler", bound=Callable[[MentionEvent], Any])
AllRoomsHandler = TypeVar("AllRoomsHandler", bound=Callable[[AllRoomsMessageEvent], Any])
RoomCreateHandler = TypeVar("RoomCreateHandler", bound=Callable[[RoomCreateEvent], Any])
CuiSubmitHandler = TypeVar("CuiSubmitHandler", bound=Callable[[CuiSubmitEvent], Any])
WebhookHandler = TypeVar("WebhookHandler", bound=Callable[[WebhookEvent], Any])
AppApplicationHandler = TypeVar("AppApplicationHandler", bound=Callable[[AppApplicationEvent], Any])
AppStatusHandler = TypeVar("AppStatusHandler", bound=Callable[[AppStatusEvent], Any])
AppVisibilityHandler = TypeVar("AppVisibilityHandler", bound=Callable[[AppVisibilityEvent], Any])
SensitiveWordHandler = TypeVar("SensitiveWordHandler", bound=Callable[[SensitiveWordEvent], Any])

_Key: TypeAlias = tuple[str, str | None]

# The decorator of each kind, for messages naming the handler already registered.
_DECORATORS: Final[dict[type, str]] = {
    MessageEvent: "on_message",
    MentionEvent: "on_mention",
    AllRoomsMessageEvent: "on_all_rooms_message",
    RoomCreateEvent: "on_room_created",
    CuiSubmitEvent: "on_cui_submit",
    WebhookEvent: "on_webhook",
    AppApplicationEvent: "on_app_application",
    AppStatusEvent: "on_app_status",
    AppVisibilityEvent: "on_app_visibility",
    SensitiveWordEvent: "on_sensitive_word",
}


class HandlerAlreadyRegisteredError(FinChatError, ValueError):
    """A handler is already registered for this event kind."""


def event_key(event: Event) -> tuple[str, str | None]:
    """The `(type, msgtype)` of an event; `msgtype` is None but for messages."""
    if isinstance(event, UnknownEvent):
        return (event.type, event.msgtype if event.type == MESSAGE_TYPE else None)
    if isinstance(event, MessageEvent | MentionEvent | AllRoomsMessageEvent):
        return (MESSAGE_TYPE, event.content.msgtype)
    return (event.type_, None)


def is_async(handler: Callable[..., Any]) -> bool:
    """Whether calling `handler` gives a coroutine (an `async def`, or an object whose
    `__call__` is one)."""
    call = getattr(handler, "__call__", None)  # noqa: B004 - callable objects with async __call__
    return inspect.iscoroutinefunction(handler) or inspect.iscoroutinefunction(call)


async def call_handler(
    handler: Callable[[Any], Any], event: Any, *, abandon_on_cancel: bool = False
) -> Any:
    """Run one handler: awaited on the loop, or in a worker thread for a plain function (whose
    result is awaited too if it is awaitable). `abandon_on_cancel`: on cancellation, stop waiting
    for the thread instead of waiting for it to end (it runs on, unobserved)."""
    if is_async(handler):
        return await cast(Awaitable[object], handler(event))
    result = await anyio.to_thread.run_sync(handler, event, abandon_on_cancel=abandon_on_cancel)
    if inspect.isawaitable(result):
        # A plain function that returns a coroutine (a lambda, a wrapper) still gets awaited.
        result = await result
    return result


def _check_callable(handler: object) -> None:
    if not callable(handler):
        raise TypeError(f"a handler must be callable, not {type(handler).__name__}")


async def _run(handler: Handler, coroutine: bool, event: Event) -> None:
    # `coroutine` is `is_async(handler)`, found once when it was registered: asking on every
    # event costs more than the lookup of the handler.
    if coroutine:
        await cast(Awaitable[object], handler(event))
    else:
        await call_handler(handler, event)


class EventDispatcher:
    """Decorators that register handlers, and `dispatch` that runs the one an event needs.

    >>> events = EventDispatcher()
    >>> @events.on_message
    ... async def echo(event: MessageEvent) -> None: ...

    Handlers may be `async def` (awaited on the event loop) or plain functions (run in a worker
    thread so a blocking call does not stall the receiver). A handler's exception propagates out of
    `dispatch`, which is how the receiver knows to answer 500 so FinChat delivers again.
    """

    def __init__(self) -> None:
        self._kinds: dict[type, Handler] = {}
        self._named: dict[_Key, Handler] = {}
        self._fallback: Handler | None = None
        self._search: SearchHandler | None = None
        self._coroutines: dict[int, bool] = {}  # id(handler) -> is_async(handler)

    def __repr__(self) -> str:
        kinds = [_DECORATORS[k] for k in _DECORATORS if k in self._kinds]
        named = [t if m is None else f"{t}/{m}" for t, m in sorted(self._named, key=str)]
        return (
            f"<EventDispatcher [{', '.join(kinds + named)}] fallback={self._fallback is not None}"
            f" search={self._search is not None}>"
        )

    def _kind(self, model: type, handler: H) -> H:
        _check_callable(handler)
        existing = self._kinds.get(model)
        if existing is not None:
            raise HandlerAlreadyRegisteredError(
                f"a handler is already registered with {_DECORATORS[model]}: {existing!r}"
            )
        self._kinds[model] = handler
        self._coroutines[id(handler)] = is_async(handler)
        return handler

    def on_message(self, handler: MessageHandler) -> MessageHandler:
        """Register the handler of messages users send the bot in a direct room: text
        (`m.text`) or any other msgtype but `m.alert` (`m.image`, `m.file`, ...); read
        `event.content.msgtype`."""
        return self._kind(MessageEvent, handler)

    def on_mention(self, handler: MentionHandler) -> MentionHandler:
        """Register the handler of group-room @-mentions of the bot (`m.alert`)."""
        return self._kind(MentionEvent, handler)

    def on_all_rooms_message(self, handler: AllRoomsHandler) -> AllRoomsHandler:
        """Register the handler of every message of every room, the bot a member or not (a
        privilege of internal apps; the event names its `receivers`)."""
        return self._kind(AllRoomsMessageEvent, handler)

    def on_room_created(self, handler: RoomCreateHandler) -> RoomCreateHandler:
        """Register the handler of a direct room with the bot being created."""
        return self._kind(RoomCreateEvent, handler)

    def on_cui_submit(self, handler: CuiSubmitHandler) -> CuiSubmitHandler:
        """Register the handler of a user submitting a CUI card the app sent."""
        return self._kind(CuiSubmitEvent, handler)

    def on_webhook(self, handler: WebhookHandler) -> WebhookHandler:
        """Register the handler of a website pushing to one of the app's webhooks."""
        return self._kind(WebhookEvent, handler)

    def on_app_application(self, handler: AppApplicationHandler) -> AppApplicationHandler:
        """Register the handler of users applying to use an app (admin app only)."""
        return self._kind(AppApplicationEvent, handler)

    def on_app_status(self, handler: AppStatusHandler) -> AppStatusHandler:
        """Register the handler of an app's publishing status changing (admin app only); see
        `app_status_change` for its statuses as typed values."""
        return self._kind(AppStatusEvent, handler)

    def on_app_visibility(self, handler: AppVisibilityHandler) -> AppVisibilityHandler:
        """Register the handler of a change of who can see an app (admin app only)."""
        return self._kind(AppVisibilityEvent, handler)

    def on_sensitive_word(self, handler: SensitiveWordHandler) -> SensitiveWordHandler:
        """Register the handler of a message holding a sensitive word (admin app only)."""
        return self._kind(SensitiveWordEvent, handler)

    def on(self, event_type: str, msgtype: str | None = None) -> Callable[[H], H]:
        """Register a handler for an event `type` (and, for messages, a `msgtype`) by name.

        With a `msgtype`, it takes those messages before the kind's decorator does; without,
        every event of that type no other handler takes. Events of unknown kinds arrive as
        `UnknownEvent`.
        """
        if not event_type:
            raise ValueError("event_type must not be empty")

        def register(handler: H) -> H:
            _check_callable(handler)
            key = (event_type, msgtype)
            if key in self._named:
                kind = event_type if msgtype is None else f"{event_type} ({msgtype})"
                raise HandlerAlreadyRegisteredError(
                    f"a handler is already registered for {kind}: {self._named[key]!r}"
                )
            self._named[key] = handler
            self._coroutines[id(handler)] = is_async(handler)
            return handler

        return register

    def fallback(self, handler: H) -> H:
        """Register the handler of every event no other handler takes."""
        if self._fallback is not None:
            raise HandlerAlreadyRegisteredError(
                f"a fallback handler is already registered: {self._fallback!r}"
            )
        _check_callable(handler)
        self._fallback = handler
        self._coroutines[id(handler)] = is_async(handler)
        return handler

    def on_search(self, handler: S) -> S:
        """Register the one handler of shortcut searches: it gets the `SearchEvent`
        (`content.search_text`, `.page_no`, `.page_size`) and returns a `SearchResult`
        (`search_result(...)` builds one). `WebhookReceiver` answers the search POST with it,
        or with its fallback when the handler is too slow or fails."""
        if self._search is not None:
            raise HandlerAlreadyRegisteredError(
                f"a search handler is already registered: {self._search!r}"
            )
        _check_callable(handler)
        self._search = handler
        return handler

    @property
    def search_handler(self) -> SearchHandler | None:
        """The handler `on_search` registered, or None."""
        return self._search

    def handler_for(self, event: Event) -> Handler | None:
        """The handler `dispatch` would run for this event, or None."""
        named = self._named
        event_type, msgtype = event_key(event)
        if msgtype is not None and named:
            handler = named.get((event_type, msgtype))
            if handler is not None:
                return handler
        handler = self._kinds.get(type(event))
        if handler is None and named:
            handler = named.get((event_type, None))
        return handler if handler is not None else self._fallback

    async def dispatch(self, event: Event) -> bool:
        """Run the event's handler; False if no handler (and no fallback) takes it."""
        handler = self.handler_for(event)
        if handler is None:
            return False
        await _run(handler, self._coroutines.get(id(handler), False), event)
        return True
