"""Routing each event to the one handler registered for its kind.

Handlers are keyed by `(type, msgtype)`; `msgtype` is only meaningful for `m.room.message`. The
lookup tries the exact key, then the type alone, then the fallback, so `on("m.room.message")`
catches message kinds without a handler of their own (images, files, msgtypes added later).

Registering a second handler for the same key raises `HandlerAlreadyRegisteredError`: two
handlers silently racing (or one silently replacing the other) is always a bug.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeAlias, TypeVar, cast

import anyio.to_thread
from finchat_openapi.models import (
    AppApplicationEvent,
    CuiSubmitEvent,
    MentionEvent,
    MessageEvent,
    RoomCreateEvent,
)

from .._errors import FinChatError
from ._parse import (
    APP_APPLICATION_TYPE,
    CUI_SUBMIT_TYPE,
    MENTION_MSGTYPE,
    MESSAGE_TYPE,
    ROOM_CREATE_TYPE,
    TEXT_MSGTYPE,
    Event,
    UnknownEvent,
)

Handler: TypeAlias = Callable[[Any], Awaitable[object] | object]
"""A function taking one event; plain functions run in a worker thread, coroutines on the loop."""

H = TypeVar("H", bound=Handler)
MessageHandler = TypeVar("MessageHandler", bound=Callable[[MessageEvent], Any])
MentionHandler = TypeVar("MentionHandler", bound=Callable[[MentionEvent], Any])
RoomCreateHandler = TypeVar("RoomCreateHandler", bound=Callable[[RoomCreateEvent], Any])
CuiSubmitHandler = TypeVar("CuiSubmitHandler", bound=Callable[[CuiSubmitEvent], Any])
AppApplicationHandler = TypeVar("AppApplicationHandler", bound=Callable[[AppApplicationEvent], Any])

_Key: TypeAlias = tuple[str, str | None]


class HandlerAlreadyRegisteredError(FinChatError, ValueError):
    """A handler is already registered for this event kind."""


def event_key(event: Event) -> tuple[str, str | None]:
    """The `(type, msgtype)` an event is dispatched on; `msgtype` is None but for messages."""
    if isinstance(event, UnknownEvent):
        return (event.type, event.msgtype if event.type == MESSAGE_TYPE else None)
    if isinstance(event, MessageEvent):
        return (MESSAGE_TYPE, TEXT_MSGTYPE)
    if isinstance(event, MentionEvent):
        return (MESSAGE_TYPE, MENTION_MSGTYPE)
    if isinstance(event, RoomCreateEvent):
        return (ROOM_CREATE_TYPE, None)
    if isinstance(event, CuiSubmitEvent):
        return (CUI_SUBMIT_TYPE, None)
    return (APP_APPLICATION_TYPE, None)


def _is_async(handler: Handler) -> bool:
    call = getattr(handler, "__call__", None)  # noqa: B004 - callable objects with async __call__
    return inspect.iscoroutinefunction(handler) or inspect.iscoroutinefunction(call)


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
        self._handlers: dict[_Key, Handler] = {}
        self._fallback: Handler | None = None

    def __repr__(self) -> str:
        kinds = ", ".join(
            t if m is None else f"{t}/{m}" for t, m in sorted(self._handlers, key=str)
        )
        return f"<EventDispatcher [{kinds}] fallback={self._fallback is not None}>"

    def _register(self, key: _Key, handler: H) -> H:
        if not callable(handler):
            raise TypeError(f"a handler must be callable, not {type(handler).__name__}")
        if key in self._handlers:
            kind = key[0] if key[1] is None else f"{key[0]} ({key[1]})"
            raise HandlerAlreadyRegisteredError(
                f"a handler is already registered for {kind}: {self._handlers[key]!r}"
            )
        self._handlers[key] = handler
        return handler

    def on_message(self, handler: MessageHandler) -> MessageHandler:
        """Register the handler of direct-room text messages (`m.text`)."""
        return self._register((MESSAGE_TYPE, TEXT_MSGTYPE), handler)

    def on_mention(self, handler: MentionHandler) -> MentionHandler:
        """Register the handler of group-room @-mentions of the bot (`m.alert`)."""
        return self._register((MESSAGE_TYPE, MENTION_MSGTYPE), handler)

    def on_room_created(self, handler: RoomCreateHandler) -> RoomCreateHandler:
        """Register the handler of a direct room with the bot being created."""
        return self._register((ROOM_CREATE_TYPE, None), handler)

    def on_cui_submit(self, handler: CuiSubmitHandler) -> CuiSubmitHandler:
        """Register the handler of a user submitting a CUI card the app sent."""
        return self._register((CUI_SUBMIT_TYPE, None), handler)

    def on_app_application(self, handler: AppApplicationHandler) -> AppApplicationHandler:
        """Register the handler of users applying to use an app (admin app only)."""
        return self._register((APP_APPLICATION_TYPE, None), handler)

    def on(self, event_type: str, msgtype: str | None = None) -> Callable[[H], H]:
        """Register a handler for an event `type` (and, for messages, a `msgtype`) by name.

        With `msgtype` left out, the handler gets every event of that type that has no more
        specific handler; events of unknown kinds arrive as `UnknownEvent`.
        """
        if not event_type:
            raise ValueError("event_type must not be empty")

        def register(handler: H) -> H:
            return self._register((event_type, msgtype), handler)

        return register

    def fallback(self, handler: H) -> H:
        """Register the handler of every event no other handler takes."""
        if self._fallback is not None:
            raise HandlerAlreadyRegisteredError(
                f"a fallback handler is already registered: {self._fallback!r}"
            )
        if not callable(handler):
            raise TypeError(f"a handler must be callable, not {type(handler).__name__}")
        self._fallback = handler
        return handler

    def handler_for(self, event: Event) -> Handler | None:
        """The handler `dispatch` would run for this event, or None."""
        key = event_key(event)
        handler = self._handlers.get(key)
        if handler is None and key[1] is not None:
            handler = self._handlers.get((key[0], None))
        return handler if handler is not None else self._fallback

    async def dispatch(self, event: Event) -> bool:
        """Run the event's handler; False if no handler (and no fallback) takes it."""
        handler = self.handler_for(event)
        if handler is None:
            return False
        if _is_async(handler):
            await cast(Awaitable[object], handler(event))
            return True
        result = await anyio.to_thread.run_sync(handler, event)
        if inspect.isawaitable(result):
            # A plain function that returns a coroutine (a lambda, a wrapper) still gets awaited.
            await result
        return True
