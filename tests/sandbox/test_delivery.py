"""The document's delivery rules, on a virtual clock: hours of redeliveries in milliseconds.

An answer other than 200 within the answer timeout is a failure; a failed delivery is tried again
after intervals growing up to 10 minutes; once an app's failures have lasted an hour its pending
events are dropped and a new one that fails is not tried again; a success resets the hour.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from finchat_wrapper.events import EventDispatcher, WebhookReceiver
from finchat_wrapper.sandbox import (
    FAILURE_WINDOW,
    MAX_INTERVAL,
    CallbackAttempt,
    Sandbox,
    VirtualClock,
)
from finchat_wrapper.sandbox._delivery import document_delays

ALICE = "@alice:example.org"
TOKEN = "the-webhook-token"


class Bot:
    """A callback that answers `status` (200: takes the event), or hangs for `hang` seconds."""

    def __init__(self) -> None:
        self.status = 503
        self.hang = 0.0
        self.received: list[dict[str, Any]] = []
        self.app = Starlette(routes=[Route("/hook", self.hook, methods=["PUT"])])

    async def hook(self, request: Request) -> Response:
        if self.hang:
            await anyio.sleep(self.hang)
        body = await request.json()
        if self.status == 200:
            self.received.append(body["event"])
        return Response(b'{"status": "fine"}' if self.status == 200 else b"", self.status)


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(start=1_750_000_000.0)


@pytest.fixture
async def sandbox(clock: VirtualClock) -> AsyncIterator[Sandbox]:
    with Sandbox(clock=clock, answer_timeout=0.5) as sb:
        yield sb


@pytest.fixture
def bot(sandbox: Sandbox) -> Bot:
    bot = Bot()
    sandbox.set_callback(
        sandbox.app_id, "http://bot/hook", TOKEN, transport=httpx.ASGITransport(app=bot.app)
    )
    return bot


def attempts(sandbox: Sandbox, event_id: str) -> list[CallbackAttempt]:
    return [a for a in sandbox.callback_log if a.event_id == event_id]


def test_the_documents_intervals_double_up_to_ten_minutes() -> None:
    first = list(itertools.islice(document_delays(), 14))
    assert first == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600, 600, 600]
    assert MAX_INTERVAL == 600
    assert FAILURE_WINDOW == 3600


async def test_a_failing_delivery_is_tried_again_at_intervals_growing_up_to_ten_minutes(
    sandbox: Sandbox, bot: Bot, clock: VirtualClock
) -> None:
    sent = await sandbox.simulate.user_message(ALICE, "hello?")
    assert sent.delivery is not None
    assert sent.delivery.state == "retrying"
    assert sent.delivery.next_attempt_at == clock() + 1
    await sandbox.advance(FAILURE_WINDOW - 1)
    log = attempts(sandbox, sent["event_id"])
    gaps = [b.at - a.at for a, b in itertools.pairwise(log)]
    assert gaps[:11] == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600]
    assert all(gap == 600 for gap in gaps[11:])
    assert [a.retry for a in log] == list(range(len(log)))
    assert all(a.outcome == "failed" and a.status == 503 for a in log)
    assert [a.next_attempt_at for a in log[:-1]] == [a.at for a in log[1:]]


async def test_after_an_hour_of_failures_pending_events_are_dropped_and_new_ones_not_retried(
    sandbox: Sandbox, bot: Bot, clock: VirtualClock
) -> None:
    began = clock()
    first = await sandbox.simulate.user_message(ALICE, "one")
    await sandbox.advance(1800)
    second = await sandbox.simulate.user_message(ALICE, "two")
    await sandbox.advance(1799)
    assert sandbox.deliverer.pending() == 2  # both still being redelivered
    await sandbox.advance(1)  # the hour since the first failure is up
    for event in (first, second):
        last = attempts(sandbox, event["event_id"])[-1]
        assert (last.outcome, last.status, last.at) == ("dropped", None, began + FAILURE_WINDOW)
        assert "failed for an hour" in last.error
    assert sandbox.deliverer.pending() == 0
    late = await sandbox.simulate.user_message(ALICE, "three")
    assert late.delivery is not None
    assert late.delivery.state == "dropped"
    assert "not retried" in late.delivery.reason
    await sandbox.advance(3 * FAILURE_WINDOW)
    assert len(attempts(sandbox, late["event_id"])) == 1
    # Once the bot answers again, delivery is back to normal.
    bot.status = 200
    back = await sandbox.simulate.user_message(ALICE, "four")
    assert back.delivered
    assert [e["content"]["body"] for e in bot.received] == ["four"]


async def test_a_delivery_that_succeeds_resets_the_hour_of_failures(
    sandbox: Sandbox, bot: Bot, clock: VirtualClock
) -> None:
    first = await sandbox.simulate.user_message(ALICE, "one")
    await sandbox.advance(1500)
    bot.status = 200
    await sandbox.advance(600)  # the next redelivery of "one" succeeds: the failures are over
    assert attempts(sandbox, first["event_id"])[-1].outcome == "delivered"
    bot.status = 503
    restart = clock()
    second = await sandbox.simulate.user_message(ALICE, "two")
    await sandbox.advance(FAILURE_WINDOW - 1)  # past the first failure's hour mark
    assert attempts(sandbox, second["event_id"])[-1].outcome == "failed"
    await sandbox.advance(1)
    dropped = attempts(sandbox, second["event_id"])[-1]
    assert (dropped.outcome, dropped.at) == ("dropped", restart + FAILURE_WINDOW)


async def test_no_answer_within_the_answer_timeout_is_a_failed_delivery(
    sandbox: Sandbox, bot: Bot
) -> None:
    bot.status, bot.hang = 200, 5.0
    sent = await sandbox.simulate.user_message(ALICE, "are you there?")
    assert sent.delivery is not None
    assert (sent.delivery.state, sent.delivery.status) == ("retrying", None)
    assert sent.delivery.reason == "no answer within 0.5 s"
    assert bot.received == []


async def test_a_bot_with_another_token_gets_a_delivery_that_says_the_tokens_differ(
    sandbox: Sandbox,
) -> None:
    events = EventDispatcher()
    events.fallback(lambda event: None)
    receiver = WebhookReceiver(events, token="the-bots-own-token")
    sandbox.set_callback(
        sandbox.app_id, "http://bot/hook", TOKEN, transport=httpx.ASGITransport(app=receiver)
    )
    sent = await sandbox.simulate.user_message(ALICE, "hi")
    assert sent.delivery is not None
    assert (sent.delivery.state, sent.delivery.status) == ("retrying", 401)
    assert "the verification token" in sent.delivery.reason
    assert "differs from the bot's" in sent.delivery.reason
    assert TOKEN not in sent.delivery.reason
    assert sandbox.callback_log[-1].error == sent.delivery.reason


async def test_the_simulation_api_answers_at_once_with_the_failure_and_its_reason(
    sandbox: Sandbox, bot: Bot
) -> None:
    transport = httpx.ASGITransport(app=sandbox.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.localhost") as http:
        response = await http.post(
            "/_sandbox/simulate/user-message", json={"fcid": ALICE, "body": "x"}
        )
        assert response.status_code == 200
        answer = response.json()
        assert answer["delivered"] is False
        [delivery] = answer["deliveries"]
        assert (delivery["state"], delivery["status"], delivery["attempts"]) == (
            "retrying",
            503,
            1,
        )
        advanced = await http.post("/_sandbox/clock/advance", json={"seconds": 3})
        assert advanced.json() == {"now": 1_750_000_003.0}
        log = (await http.get("/_sandbox/callbacks")).json()
        assert [(a["retry"], a["status"], a["outcome"]) for a in log] == [
            (0, 503, "failed"),
            (1, 503, "failed"),
            (2, 503, "failed"),
        ]


async def test_advancing_the_clock_over_http_needs_a_virtual_clock() -> None:
    with Sandbox() as sandbox:
        transport = httpx.ASGITransport(app=sandbox.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.localhost") as c:
            response = await c.post("/_sandbox/clock/advance", json={"seconds": 1})
        assert response.status_code == 409
        with pytest.raises(TypeError, match="VirtualClock"):
            await sandbox.advance(1)


async def test_the_virtual_clock_runs_timers_in_order_each_at_its_moment() -> None:
    clock = VirtualClock(start=100.0)
    seen: list[tuple[str, float]] = []

    def mark(name: str) -> Any:
        async def run() -> None:
            seen.append((name, clock()))
            if name == "a":
                clock.call_later(1, mark("a+1"))

        return run

    clock.call_later(5, mark("b"))
    clock.call_later(2, mark("a"))
    cancelled = clock.call_later(3, mark("never"))
    cancelled.cancel()
    await clock.advance(4)
    assert seen == [("a", 102.0), ("a+1", 103.0)]
    assert clock() == 104.0
    await clock.run_timers()
    assert seen[-1] == ("b", 105.0)
    assert clock.pending == 0
    with pytest.raises(ValueError, match="non-negative"):
        await clock.advance(-1)
