"""Chaos: real redis-servers stopped (SIGSTOP) and killed (SIGKILL, then restarted) during each
store operation, 103 seeded stalls, while a fleet of two receivers and two clients works against
the sandbox. Nothing may be lost, nothing run twice, and no call may last longer than the stall
it met plus the documented bound (README, fleet mode).

Two servers, one for the receivers' dedupe record and one for the clients' token, so that their
stall sequences run side by side and the test costs half as long; each store operation is stalled
on the server it uses. Both keep every acknowledged write across a kill (append-only file, fsync
before each answer): without persistence a restarted Redis forgets which events were handled,
and no store can help that.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from finchat_wrapper.sandbox import Sandbox

from .chaos import (
    ALICE,
    DEDUPE_OPERATIONS,
    TOKEN_OPERATIONS,
    Chaos,
    Fleet,
    call_bound,
    delivery_bound,
    keep_calling,
    plan,
    store_call_bound,
)
from .conftest import RedisServer, redis_server_binary

pytestmark = [pytest.mark.redis, pytest.mark.slow]

SEED = 14
# The stores' Redis timeout: short, so that 103 stalls fit in about 20 s, but not so short that
# a busy machine alone makes calls time out (an event loop starved longer than this misses an
# answer that is there).
TIMEOUT = 0.25
# A loaded 2-core machine runs a timer or a thread late now and then: the bounds plus this.
MARGIN = 1.0
# Redeliveries for about 25 s: many more tries than a stall, its recovery and the next stall need.
DELIVERY_DELAYS = (0.1, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 3.0, 3.0, 3.0, 3.0)
EVENT_EVERY = 0.02
REVOKE_EVERY = 0.15  # tokens revoked this often, so that the token operations keep happening


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[RedisServer]]:
    binary = redis_server_binary()
    started = []
    try:
        for name in ("dedupe", "tokens"):
            (tmp_path / name).mkdir()
            server = RedisServer(binary, tmp_path / name, persistent=True)
            server.start()
            started.append(server)
        yield started
    finally:
        for server in started:
            server.stop()


async def test_stalls_and_crashes_at_every_store_operation_lose_nothing_and_run_nothing_twice(
    servers: list[RedisServer],
) -> None:
    dedupe_server, token_server = servers
    rng = random.Random(SEED)
    dedupe_chaos = Chaos(
        dedupe_server, plan(rng, DEDUPE_OPERATIONS, stops=12, kills=5), random.Random(rng.random())
    )
    token_chaos = Chaos(
        token_server, plan(rng, TOKEN_OPERATIONS, stops=9, kills=4), random.Random(rng.random())
    )
    planned = Counter((p.operation, p.kill) for p in (*dedupe_chaos.planned, *token_chaos.planned))
    with Sandbox(delivery_delays=DELIVERY_DELAYS) as sb:
        fleet = Fleet(
            sb,
            dedupe_url=dedupe_server.url,
            token_url=token_server.url,
            timeout=TIMEOUT,
            rng=random.Random(rng.random()),
            fail_first=0.3,
        )
        try:
            # Every operation once before the chaos: connections are pooled, scripts loaded.
            assert fleet.call_sync()
            assert await fleet.call_async()
            await sb.simulate.user_message(ALICE, "warm-up")
            for store in fleet.dedupe_stores:
                dedupe_chaos.wrap(store, DEDUPE_OPERATIONS)
            for token_store in (fleet.sync_store, fleet.async_store):
                token_chaos.wrap(token_store, TOKEN_OPERATIONS)

            produced: list[str] = []
            stop = asyncio.Event()

            async def produce() -> None:
                while not stop.is_set():
                    event = await sb.simulate.user_message(ALICE, "chaos", wait=False)
                    produced.append(event["event_id"])
                    await asyncio.sleep(EVENT_EVERY)

            async def revoke() -> None:
                while not stop.is_set():
                    sb.revoke_tokens()
                    await asyncio.sleep(REVOKE_EVERY)

            workers = [
                asyncio.create_task(keep_calling(fleet, stop, pause=0.01)),
                asyncio.create_task(produce()),
                asyncio.create_task(revoke()),
            ]
            began = time.monotonic()
            while not (dedupe_chaos.finished.is_set() and token_chaos.finished.is_set()):
                assert time.monotonic() - began < 90, "the fleet stopped: stalls are still planned"
                assert not any(w.done() for w in workers), [w.exception() for w in workers]
                await asyncio.sleep(0.05)
            stop.set()
            await asyncio.gather(*workers)
            # What is still being redelivered: Redis answers again, so the next try succeeds.
            await asyncio.wait_for(sb.simulate.drain(), timeout=30)
            # And the fleet works: each client makes a call that needs the store.
            sb.revoke_tokens()
            assert fleet.call_sync()
            assert await fleet.call_async()
        finally:
            await fleet.aclose()

    # Every planned stall happened, at its operation: at least 100, each operation both ways.
    stalls = [*dedupe_chaos.stalls, *token_chaos.stalls]
    assert Counter((s.operation, s.kill) for s in stalls) == planned
    assert len(stalls) >= 100
    # Nothing lost, nothing twice: every event's handler succeeded exactly once.
    record = fleet.record
    assert len(produced) > 100
    lost = [e for e in produced if record.successes[e] == 0]
    twice = [e for e in produced if record.successes[e] > 1]
    delivered: dict[str, list[int | None]] = {}
    for attempt in sb.callback_log:
        delivered.setdefault(attempt.event_id, []).append(attempt.status)
    assert (lost, twice) == ([], []), {e: delivered.get(e) for e in (*lost, *twice)[:5]}
    assert sum(record.attempts[e] > 1 for e in produced) > 0  # failed first runs were retried
    assert all(fleet.balancer.by_receiver[i] > 0 for i in (0, 1))
    # No call longer than the stall it met plus the documented bound.
    for chaos in (dedupe_chaos, token_chaos):
        assert chaos.too_long(chaos.timings, store_call_bound(TIMEOUT) + MARGIN) == []
    assert dedupe_chaos.too_long(fleet.balancer.timings, delivery_bound(TIMEOUT) + MARGIN) == []
    calls = [*fleet.sync_calls.timings, *fleet.async_calls.timings]
    assert token_chaos.too_long(calls, call_bound(TIMEOUT) + MARGIN) == []
    # The clients met Redis failures and nothing else (a token refused twice is the test's own
    # revocations falling between a fetch and its replay).
    for outcome in (fleet.sync_calls, fleet.async_calls):
        assert outcome.other == []
        assert outcome.succeeded > 0
        assert outcome.redis_failures > 0
