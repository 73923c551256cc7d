"""A Redis that stalls (SIGSTOP) while a store operation is on its way: the command that timed out
on our side still runs when Redis resumes. Neither an event nor the fleet may pay for it with more
than the stall and a few seconds.

Each test stalls one operation of one store, at the moment it is sent (`stalls.stall_next`),
against a real redis-server, a real receiver or client, and the sandbox.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from finchat_wrapper import FinChat
from finchat_wrapper.events import EventDispatcher, WebhookReceiver
from finchat_wrapper.fleet import RedisDedupeStore, RedisStoreError, RedisTokenStore
from finchat_wrapper.sandbox import Sandbox

from .conftest import RedisServer
from .stalls import stall_next
from .workers import CALLER_FCID

pytestmark = pytest.mark.redis

HOOK_TOKEN = "hook-token-for-the-stall-tests"
ALICE = "@alice:example.org"
TIMEOUT = 0.25  # the stores' Redis timeout: a call meeting a stall fails in about 2 x this
STALL = 1.0
# How long after a stall the fleet may still be recovering, with these timeouts: the documented
# bound (README, fleet mode) plus a margin for a loaded 2-core machine.
RECOVERY = 3.0


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    # Redelivered after 0.5, 1, 2, 4 and 8 s, then never.
    with Sandbox(delivery_delays=(0.5, 1.0, 2.0, 4.0, 8.0)) as sandbox:
        yield sandbox


async def warm_up(store: RedisDedupeStore) -> None:
    """Use every operation once, as a running receiver has: a pooled connection is open, so the
    stalled command goes out on it (a fresh one would stall in its handshake, before the command
    is sent), and Redis knows the scripts (or the stalled one would fail with NOSCRIPT)."""
    await store.claim("$warm-up:example.org", "warm-up")
    await store.release("$warm-up:example.org", "warm-up")
    await store.mark_done("$warm-up:example.org", "warm-up")


def warm_up_sync(store: RedisTokenStore) -> None:
    """`warm_up` for a token store (on a key of its own)."""
    store.get("warm-up")
    store.put("warm-up", "tok-warm-up", 60)
    store.invalidate("warm-up", "some-version")
    store.release_lease("warm-up", store.acquire_lease("warm-up", 1) or "")


def _deliver_to(
    sb: Sandbox, store: RedisDedupeStore, handled: list[tuple[float, str]], *, fail_first: bool
) -> WebhookReceiver:
    events = EventDispatcher()
    runs: list[str] = []

    @events.on_message
    async def record(event: Any) -> None:
        runs.append(event.event_id)
        if fail_first and len(runs) == 1:
            raise RuntimeError("the first run fails, so the claim is released")
        handled.append((time.monotonic(), event.event_id))

    receiver = WebhookReceiver(events, token=HOOK_TOKEN, dedupe=store)
    sb.set_callback(
        sb.app_id,
        "http://bot.localhost/hook",
        HOOK_TOKEN,
        transport=httpx.ASGITransport(app=receiver),
    )
    return receiver


@pytest.mark.parametrize("operation", ["claim", "release"])
async def test_an_event_whose_claim_or_release_met_a_stall_is_handled_once_on_its_redelivery(
    sb: Sandbox, own_redis: RedisServer, operation: str
) -> None:
    handled: list[tuple[float, str]] = []
    async with RedisDedupeStore.from_url(own_redis.url, app_id=sb.app_id, timeout=TIMEOUT) as store:
        # For a release: the first run fails, and its release meets the stall.
        _deliver_to(sb, store, handled, fail_first=operation == "release")
        await warm_up(store)
        stall = stall_next(store, operation, own_redis, seconds=STALL)
        event = await sb.simulate.user_message(ALICE, "hello during a stall")
        await sb.simulate.drain()  # its redeliveries
        stall.wait_until_over()
    statuses = [attempt.status for attempt in sb.callback_log]
    assert statuses[0] == 500, statuses  # Redis failed: the platform must deliver again
    assert statuses[-1] == 200, f"the event was never handled: {statuses}"
    assert [event_id for _, event_id in handled] == [event["event_id"]]
    assert handled[0][0] - stall.began < STALL + RECOVERY


async def test_an_event_whose_done_mark_met_a_stall_is_answered_duplicate_and_never_run_again(
    sb: Sandbox, own_redis: RedisServer
) -> None:
    handled: list[tuple[float, str]] = []
    async with RedisDedupeStore.from_url(own_redis.url, app_id=sb.app_id, timeout=TIMEOUT) as store:
        receiver = _deliver_to(sb, store, handled, fail_first=False)
        await warm_up(store)
        stall = stall_next(store, "mark_done", own_redis, seconds=STALL)
        event = await sb.simulate.user_message(ALICE, "hello during a stall")
        # The handler ran, so the answer is 200 although the done mark did not reach Redis.
        assert [attempt.status for attempt in sb.callback_log] == [200]
        # Duplicates, as the platform may send: in progress (409) until the mark is in Redis,
        # then "duplicate"; never a second run.
        body = {"token": HOOK_TOKEN, "event": event}
        answers = []
        transport = httpx.ASGITransport(app=receiver)
        async with httpx.AsyncClient(transport=transport, base_url="http://bot") as hook:
            while time.monotonic() - stall.began < STALL + RECOVERY:
                answer = await hook.put("/hook", json=body)
                answers.append(answer.json().get("status", answer.status_code))
                if answers[-1] == "duplicate":
                    break
                await asyncio.sleep(0.05)
        stall.wait_until_over()
    assert answers[-1] == "duplicate", answers
    assert set(answers[:-1]) <= {409}, answers
    assert [event_id for _, event_id in handled] == [event["event_id"]]


# The most token requests each case may cost: a stalled store (put) or a refused token
# (invalidate) makes one more, never one per process.
TOKEN_REQUESTS = {"acquire_lease": 1, "put": 2, "invalidate": 2, "release_lease": 1}


@pytest.mark.parametrize("operation", sorted(TOKEN_REQUESTS))
def test_a_stall_during_a_token_operation_holds_up_the_fleet_for_the_stall_not_the_lease_ttl(
    sb: Sandbox, own_redis: RedisServer, operation: str
) -> None:
    stores = [RedisTokenStore.from_url(own_redis.url, timeout=TIMEOUT) for _ in range(2)]
    first, second = (
        FinChat(sb.app_id, sb.secret, base_url=sb.base_url, transport=sb.transport(), token_store=s)
        for s in stores
    )
    try:
        for store in stores:
            warm_up_sync(store)
        if operation == "invalidate":
            # Both hold the token, which is then refused: the next call must drop it.
            first.users.get(CALLER_FCID)
            second.users.get(CALLER_FCID)
            sb.revoke_tokens()
        stall = stall_next(stores[0], operation, own_redis, seconds=STALL)
        with pytest.raises(RedisStoreError):
            first.users.get(CALLER_FCID)
        stall.wait_until_over()
        # The next call of that client and a call of another process, at once: each must find
        # the lease free (or wait only for a live holder), not poll behind an orphaned one.
        ended: dict[str, float] = {}
        failures: list[BaseException] = []

        def calling(name: str, client: FinChat) -> None:
            try:
                client.users.get(CALLER_FCID)
            except BaseException as exc:  # reported below, with the test's own assertion
                failures.append(exc)
            ended[name] = time.monotonic()

        threads = [
            threading.Thread(target=calling, args=(name, client), daemon=True)
            for name, client in (("same client", first), ("other process", second))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=STALL + RECOVERY + 10)
        assert failures == []
        assert sorted(ended) == ["other process", "same client"], "a call is still waiting"
        for name, at in ended.items():
            assert at - stall.began < STALL + RECOVERY, f"the {name}'s call took too long"
        assert sb.stats.token_requests <= TOKEN_REQUESTS[operation]
    finally:
        own_redis.stop()  # a call still polling (the old defect) fails at once and ends
        for client in (first, second):
            client.close()
        for store in stores:
            store.close()
