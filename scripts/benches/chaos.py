"""The fleet's recovery after a Redis stall at each store operation, measured in one run.

    scripts/bench chaos [--stall 3.0] [--timeout 1.0]

For each operation (claim, mark done, release, acquire lease, store token, invalidate, release
lease), a fresh fleet (the one of `tests/fleet/chaos.py`: two receivers on `RedisDedupeStore`s, a
`FinChat` and an `AsyncFinChat` on Redis token stores, the sandbox in-process) works on one real
redis-server with the stores' default timeout; the server is SIGSTOPped for `--stall` seconds
just as that operation is sent. The recovery time runs from the stall's start until the fleet
works again:

    claim, release   the event being handled when Redis stalled is handled (once), as the
                     platform redelivers it every 0.1 s, and a new event is handled
    mark_done        a duplicate of that event is answered "duplicate" (its done mark is in
                     Redis, it never ran twice), and a new event is handled
    token operations both clients made a call that needed the store (tokens are revoked as the
                     stall begins, so each must get a new token through Redis)

Target: recovery <= stall + 3 s. `rows()` returns the figures for other benchmarks to print
(`scripts/bench hostile`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx
import redis

from finchat_wrapper.sandbox import Sandbox
from tests.fleet.chaos import (
    ALICE,
    DEDUPE_OPERATIONS,
    HOOK_TOKEN,
    OPERATIONS,
    Chaos,
    Fleet,
    Planned,
)
from tests.fleet.conftest import RedisServer

TARGET_SLACK = 3.0
PROBE_EVERY = 0.05
GIVE_UP = 60.0


@dataclass(frozen=True)
class Row:
    operation: str
    stall: float
    recovery: float  # seconds from the stall's start until the fleet worked again

    @property
    def target(self) -> float:
        return self.stall + TARGET_SLACK

    @property
    def ok(self) -> bool:
        return self.recovery <= self.target


async def _until(condition: Callable[[], bool], what: str) -> float:
    deadline = time.monotonic() + GIVE_UP
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"the fleet did not recover in {GIVE_UP:.0f} s: {what}")
        await asyncio.sleep(PROBE_EVERY / 5)
    return time.monotonic()


async def _stall_began(chaos: Chaos) -> float:
    await _until(lambda: bool(chaos.stalls), "the stall never began")
    return chaos.stalls[0].began


async def _dedupe_recovery(fleet: Fleet, chaos: Chaos, operation: str) -> float:
    sb, record = fleet.sb, fleet.record
    event = await sb.simulate.user_message(ALICE, f"stalled at {operation}", wait=False)
    event_id = event["event_id"]
    if operation == "release":
        fleet.fail_once.add(event_id)
    began = await _stall_began(chaos)
    fresh = await sb.simulate.user_message(ALICE, "a new event", wait=False)
    if operation == "mark_done":
        body = {"token": HOOK_TOKEN, "event": event}
        async with httpx.AsyncClient(transport=fleet.balancer, base_url="http://bot") as hook:
            while True:
                answer = await hook.put("/hook", json=body)
                if answer.status_code == 200 and answer.json()["status"] == "duplicate":
                    stalled_done = time.monotonic()
                    break
                if time.monotonic() - began > GIVE_UP:
                    raise RuntimeError("the done mark never reached Redis")
                await asyncio.sleep(PROBE_EVERY)
        assert record.successes[event_id] == 1, "the event ran twice"
    else:
        await _until(lambda: event_id in record.first_success, "the stalled event")
        stalled_done = record.first_success[event_id]
    await _until(lambda: fresh["event_id"] in record.first_success, "a new event")
    assert record.successes[event_id] == 1, "the event ran twice"
    return max(stalled_done, record.first_success[fresh["event_id"]]) - began


async def _token_recovery(fleet: Fleet, chaos: Chaos) -> float:
    fleet.sb.revoke_tokens()
    stop = asyncio.Event()
    firsts: dict[str, float] = {}

    def sync_probe() -> None:
        while not stop.is_set():
            if fleet.call_sync() and chaos.stalls and "sync" not in firsts:
                firsts["sync"] = time.monotonic()
            time.sleep(PROBE_EVERY)

    async def async_probe() -> None:
        while not stop.is_set():
            if await fleet.call_async() and chaos.stalls and "async" not in firsts:
                firsts["async"] = time.monotonic()
            await asyncio.sleep(PROBE_EVERY)

    probes = [
        asyncio.create_task(asyncio.to_thread(sync_probe)),
        asyncio.create_task(async_probe()),
    ]
    try:
        began = await _stall_began(chaos)
        # Both must now get a new token through Redis: a token fetched before the stall is void.
        fleet.sb.revoke_tokens()
        firsts.clear()
        await _until(lambda: len(firsts) == 2, "a call of each client")
        return max(firsts.values()) - began
    finally:
        stop.set()
        await asyncio.gather(*probes)


async def _one(server: RedisServer, operation: str, stall: float, redis_timeout: float) -> Row:
    with redis.Redis.from_url(server.url, socket_timeout=5) as admin:
        admin.flushall()
    rng = random.Random(operation)
    # The platform redelivers every 0.1 s: the figure is the fleet's, not a retry schedule's.
    with Sandbox(delivery_delays=(0.1,) * 600) as sb:
        fleet = Fleet(
            sb, dedupe_url=server.url, token_url=server.url, timeout=redis_timeout, rng=rng
        )
        try:
            # Every operation once: connections pooled and scripts loaded, as in a running fleet.
            await sb.simulate.user_message(ALICE, "warm-up")
            fleet.call_sync()
            await fleet.call_async()
            chaos = Chaos(server, [Planned(operation, kill=False, seconds=stall)], rng)
            if operation in DEDUPE_OPERATIONS:
                for store in fleet.dedupe_stores:
                    chaos.wrap(store, (operation,))
                recovery = await _dedupe_recovery(fleet, chaos, operation)
            else:
                for token_store in (fleet.sync_store, fleet.async_store):
                    chaos.wrap(token_store, (operation,))
                recovery = await _token_recovery(fleet, chaos)
            await asyncio.to_thread(chaos.stalls[0].wait_until_over)
            await sb.simulate.drain()
        finally:
            await fleet.aclose()
    return Row(operation, stall, recovery)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    # The receivers log every 500 with its traceback, as they should; not the bench's output.
    loggers = [logging.getLogger(name) for name in ("finchat_wrapper.events", "finchat.fleet")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def rows(*, stall: float = 3.0, timeout: float = 1.0) -> list[Row]:
    """Recovery after a `stall`-second SIGSTOP at each store operation, on one redis-server
    started for the run (stopped after it)."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not on PATH (apt-get install redis-server)")
    with tempfile.TemporaryDirectory() as directory, _quiet():
        server = RedisServer(binary, Path(directory))
        server.start()
        try:
            return [asyncio.run(_one(server, op, stall, timeout)) for op in OPERATIONS]
        finally:
            server.stop()


def format_rows(measured: list[Row]) -> str:
    lines = [f"  {'operation':16}{'stall s':>9}{'recovered s':>13}{'target s':>10}"]
    for row in measured:
        verdict = "ok" if row.ok else "MISSED"
        figures = f"{row.stall:>9.2f}{row.recovery:>13.2f}{row.target:>10.2f}"
        lines.append(f"  {row.operation:16}{figures}  {verdict}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stall", type=float, default=3.0)
    parser.add_argument("--timeout", type=float, default=1.0, help="the stores' Redis timeout")
    args = parser.parse_args()
    measured = rows(stall=args.stall, timeout=args.timeout)
    print(
        f"chaos bench: the fleet's recovery after a {args.stall:.1f} s Redis stall (SIGSTOP) at "
        f"each store operation, store timeout {args.timeout:.1f} s; target <= stall + "
        f"{TARGET_SLACK:.0f} s\n"
    )
    print(format_rows(measured))
    if not all(row.ok for row in measured):
        sys.exit(1)


if __name__ == "__main__":
    main()
