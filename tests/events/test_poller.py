"""`EventPoller` against the sandbox's forwarder: the webhook receiver's dispatcher and dedupe,
for events pulled a page at a time; the cursor moves only past pages finished."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import httpx
import pytest
from finchat_openapi.models import MessageEvent

from finchat_wrapper import AsyncFinChat, InvalidSecretError
from finchat_wrapper.events import (
    Event,
    EventDispatcher,
    EventPage,
    EventPoller,
    InMemoryDedupeStore,
    MemoryCursorStore,
    WebhookReceiver,
)
from finchat_wrapper.sandbox import FORWARDER_PATH, ErrorFault, FaultPlan, Sandbox, serve

ALICE = "@alice:example.org"
TOKEN = "webhook-token"


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox(delivery_delays=()) as sandbox:
        sandbox.set_callback(sandbox.app_id, f"http://finchat{FORWARDER_PATH}", "unused")
        yield sandbox


@pytest.fixture
async def client(sb: Sandbox) -> AsyncIterator[AsyncFinChat]:
    async with AsyncFinChat(
        sb.app_id, sb.secret, base_url=sb.base_url, transport=sb.async_transport(), max_retries=0
    ) as bot:
        yield bot


class Recorder:
    """A dispatcher whose message handler records bodies, failing those listed in `fail`."""

    def __init__(self) -> None:
        self.handled: list[str] = []
        self.fail: set[str] = set()
        self.events = EventDispatcher()
        self.events.on_message(self.on_message)

    async def on_message(self, event: MessageEvent) -> None:
        if event.content.body in self.fail:
            self.fail.discard(event.content.body)
            raise RuntimeError("the database is briefly away")
        self.handled.append(event.content.body)


async def until(condition: Any, seconds: float = 10.0) -> None:
    """Wait for `condition()` to hold, checking often; fail after `seconds`."""
    with anyio.fail_after(seconds):
        while not condition():  # noqa: ASYNC110 - a counter another task updates, no event
            await anyio.sleep(0.01)


async def say(sb: Sandbox, *bodies: str) -> list[str]:
    return [(await sb.simulate.user_message(ALICE, body))["event_id"] for body in bodies]


async def test_each_pulled_event_is_handled_once_and_the_cursor_follows_the_pages(
    sb: Sandbox, client: AsyncFinChat
) -> None:
    ids = await say(sb, *(f"m{i}" for i in range(5)))
    recorder = Recorder()
    cursor = MemoryCursorStore()
    poller = EventPoller(client, recorder.events, cursor_store=cursor, page_size=2)
    sizes = []
    for _ in range(4):
        page, finished = await poller.poll_once()
        sizes.append(len(page))
        assert finished
    assert sizes == [2, 2, 1, 0]
    assert recorder.handled == [f"m{i}" for i in range(5)]
    assert await cursor.load() == ids[-1] == poller.since
    assert (poller.stats.pages, poller.stats.handled) == (4, 5)


async def test_a_failed_handler_keeps_the_cursor_and_its_page_comes_again(
    sb: Sandbox, client: AsyncFinChat, caplog: pytest.LogCaptureFixture
) -> None:
    ids = await say(sb, "a", "b", "c")
    recorder = Recorder()
    recorder.fail = {"b"}
    cursor = MemoryCursorStore()
    poller = EventPoller(client, recorder.events, cursor_store=cursor, page_size=10)
    page, finished = await poller.poll_once()
    assert (len(page), finished) == (3, False)
    assert recorder.handled == ["a", "c"]  # the rest of the page is still handled
    assert await cursor.load() is None
    assert "handler failed" in caplog.text
    page, finished = await poller.poll_once()
    assert finished
    assert recorder.handled == ["a", "c", "b"]  # a and c are duplicates now, not run again
    assert (poller.stats.duplicates, poller.stats.failed) == (2, 1)
    assert await cursor.load() == ids[-1]


async def test_an_event_another_poller_is_handling_holds_the_cursor_until_it_is_done(
    sb: Sandbox, client: AsyncFinChat
) -> None:
    [event_id] = await say(sb, "busy")
    dedupe = InMemoryDedupeStore()
    assert await dedupe.claim(event_id, "another-poller") == "claimed"
    recorder = Recorder()
    poller = EventPoller(client, recorder.events, dedupe=dedupe)
    _, finished = await poller.poll_once()
    assert (finished, poller.since, recorder.handled) == (False, None, [])
    await dedupe.mark_done(event_id, "another-poller")
    _, finished = await poller.poll_once()
    assert (finished, poller.since, recorder.handled) == (True, event_id, [])


async def test_the_poller_and_the_webhook_receiver_share_one_dispatcher_and_dedupe(
    sb: Sandbox, client: AsyncFinChat
) -> None:
    recorder = Recorder()
    dedupe = InMemoryDedupeStore()
    receiver = WebhookReceiver(recorder.events, token=TOKEN, dedupe=dedupe)
    sb.set_callback(
        sb.app_id, "http://bot/hook", TOKEN, transport=httpx.ASGITransport(app=receiver)
    )
    pushed = await sb.simulate.user_message(ALICE, "pushed")
    assert pushed.delivered
    # The same event is also stored for pulling (as after a switch of the callback address).
    sb.set_callback(sb.app_id, f"http://finchat{FORWARDER_PATH}", "unused")
    sb.deliverer.forwarder.store(sb.app_id, dict(pushed))
    await say(sb, "pulled")
    poller = EventPoller(client, recorder.events, dedupe=dedupe)
    await poller.poll_once()
    assert recorder.handled == ["pushed", "pulled"]
    assert poller.stats.duplicates == 1


async def test_pulled_events_of_another_app_or_failing_their_checks_are_passed_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    good = {
        "event_id": "$1:x", "timestamp": 1, "sender": "@a:x", "room_id": "!r:x",
        "type": "m.room.message", "content": {"msgtype": "m.text", "body": "mine"},
        "app_id": "app1",
    }  # fmt: skip
    page = {
        "since": "$3:x",
        "events": [good, {**good, "event_id": "$2:x", "app_id": "app2"}, {**good, "room_id": None}],
    }

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/auth/token"):
            return httpx.Response(200, json={"app_access_token": "t", "expires_in": 60})
        return httpx.Response(200, json=page)

    seen: list[Event] = []
    events = EventDispatcher()
    events.fallback(seen.append)
    async with AsyncFinChat(
        "app1", "s", base_url="https://x.org", transport=httpx.MockTransport(answer)
    ) as bot:
        poller = EventPoller(bot, events)
        _, finished = await poller.poll_once()
    assert finished
    assert [e.event_id for e in seen] == ["$1:x"]
    assert (poller.stats.foreign, poller.stats.rejected, poller.since) == (1, 1, "$3:x")
    assert "is for app app2" in caplog.text
    assert "required field 'room_id' is missing" in caplog.text


class Timed:
    """The client's `events.pull`, with the time of each call noted (the real call underneath)."""

    def __init__(self, client: AsyncFinChat) -> None:
        self.client = client
        self.times: list[float] = []

    @property
    def app_id(self) -> str:
        return self.client.app_id

    @property
    def events(self) -> Timed:
        return self

    async def pull(self, since: str | None = None, *, page_size: int = 20) -> EventPage:
        self.times.append(time.monotonic())
        return await self.client.events.pull(since, page_size=page_size)


async def test_with_nothing_new_it_waits_longer_each_time_up_to_the_limit(
    sb: Sandbox, client: AsyncFinChat
) -> None:
    timed = Timed(client)
    poller = EventPoller(timed, Recorder().events, poll_interval=0.02, max_poll_interval=0.08)
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(poller.run)
        await until(lambda: len(timed.times) >= 7)
        poller.stop()
    gaps = [b - a for a, b in zip(timed.times, timed.times[1:], strict=False)]
    # Lower bounds only: a loaded machine makes a wait longer, never shorter.
    for gap, least in zip(gaps, [0.02, 0.04, 0.08, 0.08, 0.08, 0.08], strict=False):
        assert gap >= least * 0.9, gaps


async def test_a_full_page_is_followed_at_once_and_new_events_are_picked_up_while_running(
    sb: Sandbox, client: AsyncFinChat
) -> None:
    await say(sb, *(f"m{i}" for i in range(5)))
    recorder = Recorder()
    poller = EventPoller(client, recorder.events, page_size=2, poll_interval=0.01)
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(poller.run)
        await until(lambda: len(recorder.handled) == 5)
        await say(sb, "later")
        await until(lambda: len(recorder.handled) == 6)
        poller.stop()
    assert recorder.handled == [*(f"m{i}" for i in range(5)), "later"]


async def test_stop_mid_handler_cancels_it_frees_its_event_and_keeps_the_cursor(
    sb: Sandbox, client: AsyncFinChat
) -> None:
    [event_id] = await say(sb, "slow")
    started = anyio.Event()
    finished: list[str] = []
    events = EventDispatcher()

    @events.on_message
    async def slow(event: MessageEvent) -> None:
        started.set()
        await anyio.sleep(30)
        finished.append(event.event_id)

    dedupe = InMemoryDedupeStore()
    cursor = MemoryCursorStore()
    poller = EventPoller(client, events, dedupe=dedupe, cursor_store=cursor)
    with anyio.fail_after(10):
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(poller.run)
            await started.wait()
            poller.stop()
    assert finished == []
    assert await cursor.load() is None
    assert await dedupe.claim(event_id, "next-run") == "claimed"  # free for the next pull


async def test_cancelling_the_task_running_it_frees_the_event_too(
    sb: Sandbox, client: AsyncFinChat
) -> None:
    [event_id] = await say(sb, "slow")
    started = anyio.Event()
    events = EventDispatcher()

    @events.on_message
    async def slow(event: MessageEvent) -> None:
        started.set()
        await anyio.sleep(30)

    dedupe = InMemoryDedupeStore()
    poller = EventPoller(client, events, dedupe=dedupe)
    with anyio.fail_after(10):
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(poller.run)
            await started.wait()
            tasks.cancel_scope.cancel()
    assert await dedupe.claim(event_id, "next-run") == "claimed"


async def test_a_transient_failure_is_retried_and_a_wrong_secret_stops_the_poller(
    sb: Sandbox, client: AsyncFinChat, caplog: pytest.LogCaptureFixture
) -> None:
    await say(sb, "after the outage")
    sb.set_faults(
        FaultPlan(
            error_rate=1.0, errors=(ErrorFault(status=503),), operations=frozenset({"pull_events"})
        )
    )
    recorder = Recorder()
    poller = EventPoller(client, recorder.events, poll_interval=0.01, max_poll_interval=0.05)
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(poller.run)
        await until(lambda: poller.stats.pull_failures >= 2)
        sb.set_faults(None)
        await until(lambda: bool(recorder.handled))
        poller.stop()
    assert recorder.handled == ["after the outage"]
    assert "pulling events failed" in caplog.text
    async with AsyncFinChat(
        sb.app_id, "wrong", base_url=sb.base_url, transport=sb.async_transport()
    ) as impostor:
        with pytest.raises(InvalidSecretError):
            await EventPoller(impostor, recorder.events).run()


def test_bad_settings_are_refused(client: Any) -> None:
    events = EventDispatcher()
    for options, message in [
        ({"page_size": 0}, "page_size"),
        ({"poll_interval": 0}, "poll_interval"),
        ({"poll_interval": 2.0, "max_poll_interval": 1.0}, "max_poll_interval"),
    ]:
        with pytest.raises(ValueError, match=message):
            EventPoller(client, events, **options)


@pytest.mark.network
async def test_over_a_real_socket_a_poller_handles_what_simulated_users_send(sb: Sandbox) -> None:
    with serve(sb) as base_url:
        await say(sb, "one", "two")
        async with AsyncFinChat(sb.app_id, sb.secret, base_url=base_url) as bot:
            recorder = Recorder()
            poller = EventPoller(bot, recorder.events, poll_interval=0.01)
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(poller.run)
                await until(lambda: len(recorder.handled) == 2)
                await say(sb, "three")
                await until(lambda: len(recorder.handled) == 3)
                poller.stop()
    assert recorder.handled == ["one", "two", "three"]


def test_the_poller_logs_no_secret(caplog: pytest.LogCaptureFixture, sb: Sandbox) -> None:
    caplog.set_level(logging.DEBUG, logger="finchat")

    async def go() -> None:
        async with AsyncFinChat(
            sb.app_id, sb.secret, base_url=sb.base_url, transport=sb.async_transport()
        ) as bot:
            recorder = Recorder()
            recorder.fail = {"x"}
            await say(sb, "x")
            await EventPoller(bot, recorder.events).poll_once()

    anyio.run(go)
    assert sb.secret not in caplog.text
