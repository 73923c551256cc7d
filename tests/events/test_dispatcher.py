from __future__ import annotations

import threading
from typing import Any

import anyio
import pytest
from finchat_openapi.models import MessageEvent

from finchat_wrapper.events import (
    Event,
    EventDispatcher,
    HandlerAlreadyRegisteredError,
    UnknownEvent,
    parse_event,
)

from .conftest import callback

KIND_DECORATORS = {
    "directText": "on_message",
    "groupMention": "on_mention",
    "allRoomsMessage": "on_all_rooms_message",
    "roomCreated": "on_room_created",
    "cuiSubmitted": "on_cui_submit",
    "webhook": "on_webhook",
    "appApplication": "on_app_application",
    "appStatus": "on_app_status",
    "appVisibility": "on_app_visibility",
    "sensitiveWord": "on_sensitive_word",
}


async def test_each_kind_reaches_only_its_own_handler() -> None:
    events = EventDispatcher()
    seen: list[tuple[str, Event]] = []
    for name, decorator in KIND_DECORATORS.items():

        async def handler(event: Any, name: str = name) -> None:
            seen.append((name, event))

        getattr(events, decorator)(handler)
    for name in KIND_DECORATORS:
        assert await events.dispatch(parse_event(callback(name))) is True
    assert [name for name, _ in seen] == list(KIND_DECORATORS)
    assert [type(event).__name__ for _, event in seen] == [
        "MessageEvent",
        "MentionEvent",
        "AllRoomsMessageEvent",
        "RoomCreateEvent",
        "CuiSubmitEvent",
        "WebhookEvent",
        "AppApplicationEvent",
        "AppStatusEvent",
        "AppVisibilityEvent",
        "SensitiveWordEvent",
    ]


async def test_sync_handlers_run_in_a_worker_thread() -> None:
    events = EventDispatcher()
    threads: list[int] = []

    @events.on_message
    def handler(event: MessageEvent) -> None:
        threads.append(threading.get_ident())

    await events.dispatch(parse_event(callback("directText")))
    assert threads
    assert threads[0] != threading.get_ident()


async def test_a_blocking_sync_handler_does_not_block_the_event_loop() -> None:
    events = EventDispatcher()
    release = threading.Event()
    ticks = 0

    @events.on_message
    def slow(event: MessageEvent) -> None:
        release.wait(5)

    async def ticker() -> None:
        nonlocal ticks
        for _ in range(3):
            await anyio.sleep(0.01)
            ticks += 1
        release.set()

    async with anyio.create_task_group() as tg:
        tg.start_soon(events.dispatch, parse_event(callback("directText")))
        tg.start_soon(ticker)
    assert ticks == 3


async def test_async_callable_objects_and_sync_functions_returning_coroutines_are_awaited() -> None:
    events = EventDispatcher()
    seen: list[str] = []

    class Handler:
        async def __call__(self, event: Event) -> None:
            seen.append("object")

    async def coroutine(event: Event) -> None:
        seen.append("returned coroutine")

    events.on_message(Handler())
    events.on_mention(lambda event: coroutine(event))
    await events.dispatch(parse_event(callback("directText")))
    await events.dispatch(parse_event(callback("groupMention")))
    assert seen == ["object", "returned coroutine"]


async def test_on_type_takes_unknown_types_as_unknown_events() -> None:
    events = EventDispatcher()
    seen: list[Event] = []
    events.on("finstore.room.leave")(seen.append)
    event = parse_event(callback("directText", type="finstore.room.leave"))
    assert await events.dispatch(event) is True
    assert seen == [event]
    assert isinstance(seen[0], UnknownEvent)


async def test_on_message_takes_every_msgtype_a_user_sends_the_bot() -> None:
    events = EventDispatcher()
    seen: list[str] = []
    events.on_message(lambda event: seen.append(event.content.msgtype))
    await events.dispatch(parse_event(callback("directText")))
    await events.dispatch(
        parse_event(callback("directText", content={"msgtype": "m.image", "body": "a"}))
    )
    assert seen == ["m.text", "m.image"]


async def test_on_type_alone_catches_message_kinds_without_their_own_handler() -> None:
    events = EventDispatcher()
    seen: list[str] = []
    events.on_message(lambda event: seen.append("message"))
    events.on("m.room.message")(lambda event: seen.append("any message"))
    await events.dispatch(parse_event(callback("directText")))
    await events.dispatch(parse_event(callback("groupMention")))
    await events.dispatch(parse_event(callback("allRoomsMessage")))
    assert seen == ["message", "any message", "any message"]


async def test_on_type_with_msgtype_goes_before_the_kinds_decorator() -> None:
    events = EventDispatcher()
    seen: list[str] = []
    events.on_message(lambda event: seen.append("message"))
    events.on("m.room.message", msgtype="m.image")(lambda event: seen.append("image"))
    await events.dispatch(parse_event(callback("directText")))
    await events.dispatch(
        parse_event(callback("directText", content={"msgtype": "m.image", "body": "a"}))
    )
    assert seen == ["message", "image"]


async def test_on_type_with_msgtype_takes_that_message_kind() -> None:
    events = EventDispatcher()
    seen: list[Event] = []
    events.on("m.room.message", msgtype="m.file")(seen.append)
    event = parse_event(callback("directText", content={"msgtype": "m.file", "body": "a"}))
    await events.dispatch(event)
    assert seen == [event]


async def test_the_fallback_takes_what_no_handler_takes() -> None:
    events = EventDispatcher()
    seen: list[str] = []
    events.on_message(lambda event: seen.append("text"))
    events.fallback(lambda event: seen.append(type(event).__name__))
    await events.dispatch(parse_event(callback("directText")))
    await events.dispatch(parse_event(callback("roomCreated")))
    await events.dispatch(parse_event({"type": "x.new"}))
    assert seen == ["text", "RoomCreateEvent", "UnknownEvent"]


async def test_an_event_nobody_handles_is_reported_as_not_dispatched() -> None:
    assert await EventDispatcher().dispatch(parse_event(callback("directText"))) is False


async def test_handler_exceptions_propagate() -> None:
    events = EventDispatcher()

    @events.on_message
    def broken(event: MessageEvent) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await events.dispatch(parse_event(callback("directText")))


@pytest.mark.parametrize(
    ("first", "second", "event"),
    [
        ("on_message", "on_message", callback("directText")),
        ("on_webhook", "on_webhook", callback("webhook")),
        (("m.room.message", "m.text"), ("m.room.message", "m.text"), callback("directText")),
        (("x.y", None), ("x.y", None), {"type": "x.y"}),
        ("fallback", "fallback", {"type": "x.y"}),
    ],
)
def test_a_second_handler_for_the_same_kind_is_refused_and_the_first_kept(
    first: Any, second: Any, event: dict[str, Any]
) -> None:
    events = EventDispatcher()

    def register(how: Any) -> Any:
        return getattr(events, how) if isinstance(how, str) else events.on(*how)

    def one(event: Event) -> None: ...

    def two(event: Event) -> None: ...

    register(first)(one)
    with pytest.raises(HandlerAlreadyRegisteredError, match="already registered"):
        register(second)(two)
    assert events.handler_for(parse_event(event)) is one


def test_a_kinds_decorator_a_name_and_a_name_with_msgtype_are_different_keys() -> None:
    events = EventDispatcher()
    events.on("m.room.message")(lambda event: None)
    events.on("m.room.message", "m.text")(lambda event: None)
    events.on_message(lambda event: None)
    events.on_mention(lambda event: None)
    events.on_all_rooms_message(lambda event: None)


def test_one_search_handler_only() -> None:
    events = EventDispatcher()
    assert events.search_handler is None

    def answer(event: Any) -> Any: ...

    assert events.on_search(answer) is answer
    assert events.search_handler is answer
    with pytest.raises(HandlerAlreadyRegisteredError, match="search handler"):
        events.on_search(answer)


def test_non_callables_and_empty_types_are_refused() -> None:
    events = EventDispatcher()
    with pytest.raises(TypeError, match="callable"):
        events.on_message("not a function")  # type: ignore[type-var]
    with pytest.raises(ValueError, match="must not be empty"):
        events.on("")


def test_decorators_return_the_handler_unchanged() -> None:
    events = EventDispatcher()

    def handler(event: MessageEvent) -> None: ...

    assert events.on_message(handler) is handler
