"""A Redis that stalls (SIGSTOP) while a store operation is on its way: the command that timed out
on our side still runs when Redis resumes. Neither an event nor the fleet may pay for it with more
than the stall and a few seconds.

Each test stalls one operation of one store, at the moment it is sent (`stalls.stall_next`),
against a real redis-server, a real receiver or client, and the sandbox.
"""

from __future__ import annotations

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
    # The default redelivery schedule: again after 0.5, 1, 2, 4 and 8 s, then never.
    with Sandbox() as sandbox:
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


def _deliver_to(sb: Sandbox, store: RedisDedupeStore, handled: list[tuple[float, str]]) -> None:
    events = EventDispatcher()

    @events.on_message
    async def record(event: Any) -> None:
        handled.append((time.monotonic(), event.event_id))

    receiver = WebhookReceiver(events, token=HOOK_TOKEN, dedupe=store)
    sb.set_callback(
        sb.app_id,
        "http://bot.localhost/hook",
        HOOK_TOKEN,
        transport=httpx.ASGITransport(app=receiver),
    )


async def test_an_event_whose_claim_met_a_stall_is_handled_once_by_the_platforms_redelivery(
    sb: Sandbox, own_redis: RedisServer
) -> None:
    handled: list[tuple[float, str]] = []
    async with RedisDedupeStore.from_url(own_redis.url, app_id=sb.app_id, timeout=TIMEOUT) as store:
        _deliver_to(sb, store, handled)
        await warm_up(store)
        stall = stall_next(store, "claim", own_redis, seconds=STALL)
        event = await sb.simulate.user_message(ALICE, "hello during a stall")
        stall.wait_until_over()
    statuses = [attempt.status for attempt in sb.callback_log]
    assert statuses[0] == 500, statuses  # the claim timed out: the platform must deliver again
    assert statuses[-1] == 200, f"the event was never handled: {statuses}"
    assert [event_id for _, event_id in handled] == [event["event_id"]]
    assert handled[0][0] - stall.began < STALL + RECOVERY


def test_a_stall_during_the_lease_acquire_holds_up_the_fleet_for_the_stall_not_the_lease_ttl(
    sb: Sandbox, own_redis: RedisServer
) -> None:
    stores = [RedisTokenStore.from_url(own_redis.url, timeout=TIMEOUT) for _ in range(2)]
    first, second = (
        FinChat(sb.app_id, sb.secret, base_url=sb.base_url, transport=sb.transport(), token_store=s)
        for s in stores
    )
    try:
        for store in stores:
            warm_up_sync(store)
        stall = stall_next(stores[0], "acquire_lease", own_redis, seconds=STALL)
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
        assert sb.stats.token_requests == 1
    finally:
        own_redis.stop()  # a call still polling (the old defect) fails at once and ends
        for client in (first, second):
            client.close()
        for store in stores:
            store.close()
