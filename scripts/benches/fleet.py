"""Fleet mode against one process's defaults: what sharing tokens and dedupe through Redis costs
and saves, measured side by side in one run.

    scripts/bench fleet [--processes 8] [--calls 50] [--events 2000] [--rounds 3]

    cold fleet     N processes start together and each makes C reads of the sandbox (served on a
                   uvicorn socket): token requests the sandbox saw, and wall time, with a
                   MemoryTokenStore per process (baseline) against one shared RedisTokenStore
    store calls    microseconds per get, and per lease acquire + release, MemoryTokenStore
                   (baseline) against RedisTokenStore on loopback
    receiver       events/s through WebhookReceiver called in-process, 16 deliveries in flight (no
                   HTTP, so the dedupe store is what differs): InMemoryDedupeStore (baseline)
                   against RedisDedupeStore

Starts its own redis-server (temporary directory, free loopback port, no persistence) and stops
it. Rounds alternate baseline and Redis so that noise from a shared machine hits both; the
median round of each is reported.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.context import ForkServerContext
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FCID = "@test:example.org"
WEBHOOK_TOKEN = "bench-token-0123456789abcdef"  # noqa: S105 - the benchmark's own token
APP_ID = "5cf29aec6ccfd004ccd28075"
CONCURRENCY = 16  # deliveries in flight at once in the receiver figure, as a busy webhook has


# ---- redis-server -----------------------------------------------------------------------------


@contextmanager
def redis_server() -> Iterator[str]:
    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server is not on PATH (apt-get install redis-server)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as directory:
        process = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", directory,
             "--save", "", "--appendonly", "no", "--logfile", f"{directory}/redis.log"],
        )  # fmt: skip
        try:
            probe = redis.Redis(port=port, socket_timeout=1, socket_connect_timeout=1)
            deadline = time.monotonic() + 10
            while True:
                try:
                    probe.ping()
                    break
                except redis.ConnectionError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        sys.exit("redis-server did not start")
                    time.sleep(0.02)
            probe.close()
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.kill()
            process.wait()


# ---- cold fleet -------------------------------------------------------------------------------


def _caller(
    base_url: str, app_id: str, secret: str, redis_url: str | None, prefix: str, calls: int,
    start: Any, done: Any,
) -> None:  # fmt: skip
    from finchat_wrapper import FinChat, TokenStore
    from finchat_wrapper.fleet import RedisTokenStore

    store: TokenStore | None = None
    if redis_url is not None:
        store = RedisTokenStore.from_url(redis_url, prefix=prefix)
    with FinChat(app_id, secret, base_url=base_url, token_store=store) as client:
        start.wait(timeout=60)
        for _ in range(calls):
            client.users.get(FCID)
    done.put(True)


def cold_fleet(
    ctx: ForkServerContext, redis_url: str | None, processes: int, calls: int
) -> tuple[int, float]:
    """(token requests the sandbox saw, seconds from the common start to the last call)."""
    from finchat_wrapper.sandbox import Sandbox, serve

    with Sandbox() as sb, serve(sb) as base_url:
        start = ctx.Barrier(processes + 1)
        done = ctx.Queue()
        prefix = f"bench-{uuid.uuid4().hex[:8]}:"
        args = (base_url, sb.app_id, sb.secret, redis_url, prefix, calls, start, done)
        workers = [ctx.Process(target=_caller, args=args) for _ in range(processes)]
        for worker in workers:
            worker.start()
        start.wait(timeout=60)
        began = time.perf_counter()
        for _ in workers:
            done.get(timeout=120)
        elapsed = time.perf_counter() - began
        for worker in workers:
            worker.join()
        return sb.stats.token_requests, elapsed


# ---- store calls ------------------------------------------------------------------------------


def store_calls(store: Any, n: int) -> tuple[float, float]:
    """(microseconds per get, per lease acquire + release)."""
    key = "bench@https://finchat.test"
    store.put(key, "tok-bench", 3600)
    began = time.perf_counter()
    for _ in range(n):
        store.get(key)
    per_get = (time.perf_counter() - began) / n * 1e6
    began = time.perf_counter()
    for _ in range(n):
        store.release_lease(key, store.acquire_lease(key, 30))
    per_lease = (time.perf_counter() - began) / n * 1e6
    return per_get, per_lease


# ---- receiver ---------------------------------------------------------------------------------


async def receiver_rate(dedupe: Any, events: int) -> float:
    """Events/s through the receiver's ASGI callable, each event delivered once."""
    from finchat_wrapper.events import EventDispatcher, WebhookReceiver

    dispatcher = EventDispatcher()

    @dispatcher.on_message
    async def handle(event: Any) -> None:
        pass

    app = WebhookReceiver(dispatcher, token=WEBHOOK_TOKEN, dedupe=dedupe)
    bodies = [
        json.dumps(
            {
                "token": WEBHOOK_TOKEN,
                "event": {
                    "type": "m.room.message",
                    "event_id": f"${uuid.uuid4().hex}:example.org",
                    "room_id": "!room:example.org",
                    "room_type": "direct_room",
                    "sender": "@alice:example.org",
                    "timestamp": 1432735824653,
                    "content": {"msgtype": "m.text", "body": "hi"},
                },
            }
        ).encode()
        for _ in range(events)
    ]
    statuses: list[int] = []

    async def put(body: bytes) -> None:
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        scope = {"type": "http", "method": "PUT", "path": "/", "headers": []}
        await app(scope, receive, send)

    limit = asyncio.Semaphore(CONCURRENCY)

    async def limited(body: bytes) -> None:
        async with limit:
            await put(body)

    began = time.perf_counter()
    await asyncio.gather(*(limited(body) for body in bodies))
    elapsed = time.perf_counter() - began
    if statuses != [200] * events:
        sys.exit(f"the receiver answered other than 200: {sorted(set(statuses))}")
    return events / elapsed


# ---- orchestration ----------------------------------------------------------------------------


def _median_rounds(rounds: int, measure: Callable[[bool], Any]) -> tuple[list[Any], list[Any]]:
    baseline, redis = [], []
    for _ in range(rounds):
        baseline.append(measure(False))
        redis.append(measure(True))
    return baseline, redis


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--store-calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from finchat_wrapper import MemoryTokenStore
    from finchat_wrapper.events import InMemoryDedupeStore
    from finchat_wrapper.fleet import RedisDedupeStore, RedisTokenStore

    ctx = multiprocessing.get_context("forkserver")
    assert isinstance(ctx, ForkServerContext)
    ctx.set_forkserver_preload(["finchat_wrapper", "finchat_wrapper.fleet", "finchat_openapi"])
    med = statistics.median

    with redis_server() as url:
        fleets = _median_rounds(
            args.rounds,
            lambda shared: cold_fleet(ctx, url if shared else None, args.processes, args.calls),
        )

        def stores(shared: bool) -> tuple[float, float]:
            if not shared:
                return store_calls(MemoryTokenStore(), args.store_calls)
            with RedisTokenStore.from_url(url, prefix=f"bench-{uuid.uuid4().hex[:8]}:") as s:
                return store_calls(s, args.store_calls)

        calls = _median_rounds(args.rounds, stores)

        def receiver(shared: bool) -> float:
            async def run() -> float:
                if not shared:
                    return await receiver_rate(InMemoryDedupeStore(), args.events)
                prefix = f"bench-{uuid.uuid4().hex[:8]}:"
                async with RedisDedupeStore.from_url(url, app_id=APP_ID, prefix=prefix) as d:
                    return await receiver_rate(d, args.events)

            return asyncio.run(run())

        rates = _median_rounds(args.rounds, receiver)

    memory, shared = fleets
    print(
        f"fleet bench: {args.processes} processes x {args.calls} calls, "
        f"{args.store_calls} store calls, {args.events} events, median of {args.rounds} rounds\n"
    )
    print(f"  {'':34}{'baseline':>14}{'redis':>14}{'redis/baseline':>16}")

    def row(name: str, base: float, red: float, fmt: str) -> None:
        ratio = red / base if base else float("inf")
        print(f"  {name:34}{base:>14{fmt}}{red:>14{fmt}}{ratio:>15.2f}x")

    row("cold fleet: token requests", med(t for t, _ in memory), med(t for t, _ in shared), ".0f")
    row("cold fleet: wall seconds", med(s for _, s in memory), med(s for _, s in shared), ".2f")
    base_calls, redis_calls = calls
    row("store: us per get", med(g for g, _ in base_calls), med(g for g, _ in redis_calls), ".1f")
    row(
        "store: us per lease take+free",
        med(lease for _, lease in base_calls),
        med(lease for _, lease in redis_calls),
        ".1f",
    )
    row("receiver: events/s in-process", med(rates[0]), med(rates[1]), ".0f")


if __name__ == "__main__":
    main()
