"""Entry points of the processes the fleet tests start: API callers and webhook receivers.

Top-level functions of an importable module, started with `worker_context()`: the forkserver
method, whose server is a fresh interpreter (nothing inherited from the test process: no threads,
sockets or event loops, as on separate hosts) that imports the package once and forks each worker
from there. Spawning each worker instead costs about a second of CPU per process for the same
imports, which multiplied by twelve processes is most of a 2-core CI's time for these tests.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import random
from multiprocessing.context import ForkServerContext
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any

CALLER_FCID = "@test:example.org"  # a user of the sandbox's default world
RECEIVER_APP_ID = "5cf29aec6ccfd004ccd28075"
PRELOAD = [
    "finchat_wrapper",
    "finchat_wrapper.events",
    "finchat_wrapper.fleet",
    "finchat_openapi.models",
    "uvicorn",
    "tests.fleet.workers",
]


def worker_context() -> ForkServerContext:
    ctx = multiprocessing.get_context("forkserver")
    assert isinstance(ctx, ForkServerContext)
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def call_api(
    base_url: str,
    app_id: str,
    secret: str,
    redis_url: str,
    prefix: str,
    calls: int,
    start: Barrier,
    results: Queue[tuple[int, list[str], int]],
) -> None:
    """Make `calls` reads through a `FinChat` on a shared `RedisTokenStore`, all processes
    starting together on a cold store; report (successes, errors, token requests sent)."""
    from finchat_wrapper import FinChat, FinChatError
    from finchat_wrapper.fleet import RedisTokenStore

    successes = 0
    errors: list[str] = []
    with (
        RedisTokenStore.from_url(redis_url, prefix=prefix) as store,
        FinChat(app_id, secret, base_url=base_url, token_store=store) as client,
    ):
        start.wait(timeout=60)
        for _ in range(calls):
            try:
                client.users.get(CALLER_FCID)
            except FinChatError as exc:
                errors.append(repr(exc))
            else:
                successes += 1
        results.put((successes, errors, client.token_requests))


def serve_receiver(redis_url: str, prefix: str, token: str, ports: Queue[int]) -> None:
    """Serve a `WebhookReceiver` on a `RedisDedupeStore` with uvicorn until SIGTERM; its message
    handler appends "<pid> <event_id>" to the Redis list `<prefix>handled`."""
    asyncio.run(_serve_receiver(redis_url, prefix, token, ports))


async def _serve_receiver(redis_url: str, prefix: str, token: str, ports: Queue[int]) -> None:
    import redis.asyncio
    import uvicorn

    from finchat_wrapper.events import EventDispatcher, WebhookReceiver
    from finchat_wrapper.fleet import RedisDedupeStore

    record = redis.asyncio.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=5)
    events = EventDispatcher()

    @events.on_message
    async def handle(event: Any) -> None:
        # A handler takes a moment; it widens the window in which a duplicate races this one.
        await asyncio.sleep(random.uniform(0, 0.004))
        await record.rpush(f"{prefix}handled", f"{os.getpid()} {event.event_id}")

    dedupe = RedisDedupeStore.from_url(redis_url, app_id=RECEIVER_APP_ID, prefix=prefix)
    async with dedupe:
        app = WebhookReceiver(events, token=token, dedupe=dedupe)
        config = uvicorn.Config(
            app, host="127.0.0.1", port=0, log_level="warning", access_log=False, lifespan="off"
        )
        server = uvicorn.Server(config)
        serving = asyncio.create_task(server.serve())
        while not server.started:
            if serving.done():
                await serving  # raises what stopped it
                return
            await asyncio.sleep(0.01)
        ports.put(server.servers[0].sockets[0].getsockname()[1])
        await serving
    await record.aclose()
