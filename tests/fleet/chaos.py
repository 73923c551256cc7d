"""A small fleet against the sandbox, and a chaos controller that stalls its Redis at chosen store
operations. Used by `test_chaos.py` and by `scripts/bench chaos`.

The fleet: two `WebhookReceiver`s, each on its own `RedisDedupeStore`, behind a balancer that
sends each of the sandbox's deliveries to either of them; and two clients, a `FinChat` on a
`RedisTokenStore` (its calls made from a thread) and an `AsyncFinChat` on an
`AsyncRedisTokenStore`. Everything real but the network: the sandbox delivers and answers
in-process.

`Chaos` wraps the store methods named in `OPERATIONS`: each call is timed, and a planned stall
begins (SIGSTOP, or SIGKILL and a restart later) just before the next call of its operation is
sent, so that the command reaches a Redis that reads nothing.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from finchat_wrapper import AsyncFinChat, FinChat, FinChatError, InvalidAccessTokenError
from finchat_wrapper.events import EventDispatcher, WebhookReceiver
from finchat_wrapper.fleet import (
    AsyncRedisTokenStore,
    RedisDedupeStore,
    RedisStoreError,
    RedisTokenStore,
)
from finchat_wrapper.sandbox import Sandbox

from .conftest import RedisServer
from .stalls import Stall, begin
from .workers import CALLER_FCID

HOOK_TOKEN = "hook-token-of-the-chaos-fleet"
ALICE = "@alice:example.org"
DEDUPE_OPERATIONS = ("claim", "mark_done", "release")
TOKEN_OPERATIONS = ("acquire_lease", "put", "invalidate", "release_lease")
OPERATIONS = DEDUPE_OPERATIONS + TOKEN_OPERATIONS
# Timed too, but never stalled on purpose: reads take nothing, so they leave nothing behind.
TIMED_ONLY = ("get",)


# ---- the documented bounds (README, fleet mode), for a store Redis timeout T -------------------


def store_call_bound(timeout: float) -> float:
    """A store call makes two attempts (redis-py's one retry, after at most 0.2 s of backoff);
    an attempt on a new connection waits at most one timeout to connect, one for the handshake
    and one for the answer (on an open connection only the last: 2 x timeout + 0.2 s)."""
    return 2 * 3 * timeout + 0.2


def delivery_bound(timeout: float) -> float:
    """A delivery makes at most two store calls: the claim, then the done mark or the release."""
    return 2 * store_call_bound(timeout)


def call_bound(timeout: float) -> float:
    """A client call waits at most for a lease to lapse (three timeouts) and makes at most two
    store calls that fail (the one that met the stall, then the lease's release)."""
    return 3 * timeout + 2 * store_call_bound(timeout)


# ---- the chaos controller ------------------------------------------------------------------------


@dataclass
class Planned:
    operation: str
    kill: bool
    seconds: float


def plan(rng: random.Random, operations: tuple[str, ...], stops: int, kills: int) -> list[Planned]:
    """`stops` SIGSTOPs and `kills` SIGKILLs per operation, of seeded lengths, in seeded order.

    Stops last 30 to 600 ms: shorter than a store's timeout the command only waits, longer it
    times out on our side and runs on Redis later (twice, with redis-py's retry). Kills keep
    Redis down 30 to 250 ms.
    """
    planned = [
        Planned(op, kill, rng.uniform(0.03, 0.25) if kill else rng.uniform(0.03, 0.6))
        for op in operations
        for kill in [False] * stops + [True] * kills
    ]
    rng.shuffle(planned)
    return planned


@dataclass
class Timing:
    what: str
    began: float
    ended: float


class Chaos:
    """Carries out a plan of stalls against one server, at the operations of the stores it wraps,
    one stall at a time with a seeded pause between them; and times every wrapped call."""

    def __init__(self, server: RedisServer, planned: list[Planned], rng: random.Random) -> None:
        self.server = server
        self.planned = list(planned)
        self.stalls: list[Stall] = []
        self.timings: list[Timing] = []
        self.finished = threading.Event()
        self._rng = rng
        self._lock = threading.Lock()
        self._armed_at = time.monotonic()
        self._stalled = False
        if not self.planned:
            self.finished.set()

    def wrap(self, store: Any, operations: tuple[str, ...]) -> None:
        for operation in (*operations, *TIMED_ONLY):
            if hasattr(store, operation):
                setattr(store, operation, self._wrapped(getattr(store, operation), operation))

    def _wrapped(self, original: Callable[..., Any], operation: str) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(original):

            @functools.wraps(original)
            async def timed_async(*args: Any) -> Any:
                self._maybe_stall(operation)
                began = time.monotonic()
                try:
                    return await original(*args)
                finally:
                    self.timings.append(Timing(operation, began, time.monotonic()))

            return timed_async

        @functools.wraps(original)
        def timed(*args: Any) -> Any:
            self._maybe_stall(operation)
            began = time.monotonic()
            try:
                return original(*args)
            finally:
                self.timings.append(Timing(operation, began, time.monotonic()))

        return timed

    def _maybe_stall(self, operation: str) -> None:
        with self._lock:
            if self._stalled or not self.planned or time.monotonic() < self._armed_at:
                return
            if self.planned[0].operation != operation:
                return
            planned = self.planned.pop(0)
            self._stalled = True
            stall = Stall(operation, planned.kill, planned.seconds)
            self.stalls.append(stall)
        begin(self.server, stall, then=self._over)

    def _over(self) -> None:
        with self._lock:
            self._stalled = False
            self._armed_at = time.monotonic() + self._rng.uniform(0.02, 0.12)
            if not self.planned:
                self.finished.set()

    def overlap(self, began: float, ended: float) -> float:
        """Seconds of [began, ended] during which this server was stalled."""
        total = 0.0
        for stall in self.stalls:
            stall_end = stall.ended or time.monotonic()
            total += max(0.0, min(ended, stall_end) - max(began, stall.began))
        return total

    def too_long(self, timings: list[Timing], bound: float) -> list[str]:
        """The timings longer than the stall they met plus `bound`, described."""
        described = []
        for t in timings:
            stalled = self.overlap(t.began, t.ended)
            if t.ended - t.began > stalled + bound:
                described.append(f"{t.what} took {t.ended - t.began:.2f} s (stalled {stalled:.2f})")
        return described


# ---- the fleet ---------------------------------------------------------------------------------


class Balancer(httpx.AsyncBaseTransport):
    """The platform's side of a load balancer: each delivery to one receiver, chosen at random,
    each timed."""

    def __init__(self, receivers: list[WebhookReceiver], rng: random.Random) -> None:
        self._transports = [httpx.ASGITransport(app=receiver) for receiver in receivers]
        self._rng = rng
        self.timings: list[Timing] = []
        self.by_receiver: Counter[int] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        index = self._rng.randrange(len(self._transports))
        self.by_receiver[index] += 1
        began = time.monotonic()
        try:
            return await self._transports[index].handle_async_request(request)
        finally:
            self.timings.append(Timing("delivery", began, time.monotonic()))


@dataclass
class Record:
    """What the handlers did, per event id."""

    attempts: Counter[str] = field(default_factory=Counter)
    successes: Counter[str] = field(default_factory=Counter)
    first_success: dict[str, float] = field(default_factory=dict)


@dataclass
class Calls:
    """What the clients' calls came to."""

    timings: list[Timing] = field(default_factory=list)
    succeeded: int = 0
    redis_failures: int = 0
    refused_twice: int = 0  # the test revoked tokens again between a fetch and its replay
    other: list[str] = field(default_factory=list)
    last_success: float = 0.0

    def outcome(self, began: float, exc: BaseException | None) -> None:
        ended = time.monotonic()
        self.timings.append(Timing("call", began, ended))
        if exc is None:
            self.succeeded += 1
            self.last_success = ended
        elif isinstance(exc, RedisStoreError):
            self.redis_failures += 1
        elif isinstance(exc, InvalidAccessTokenError):
            self.refused_twice += 1
        else:
            self.other.append(repr(exc))


class Fleet:
    """Two receivers and two clients on the given Redis servers (one may serve both)."""

    def __init__(
        self,
        sb: Sandbox,
        *,
        dedupe_url: str,
        token_url: str,
        timeout: float,
        rng: random.Random,
        fail_first: float = 0.0,
    ) -> None:
        self.sb = sb
        self.record = Record()
        self.fail_once: set[str] = set()  # event ids whose first run fails
        self.dedupe_stores = [
            RedisDedupeStore.from_url(dedupe_url, app_id=sb.app_id, timeout=timeout)
            for _ in range(2)
        ]
        self.receivers = [self._receiver(store, rng, fail_first) for store in self.dedupe_stores]
        self.balancer = Balancer(self.receivers, rng)
        sb.set_callback(sb.app_id, "http://bot.localhost/hook", HOOK_TOKEN, transport=self.balancer)
        self.sync_store = RedisTokenStore.from_url(token_url, timeout=timeout)
        self.async_store = AsyncRedisTokenStore.from_url(token_url, timeout=timeout)
        self.sync_client = FinChat(
            sb.app_id,
            sb.secret,
            base_url=sb.base_url,
            transport=sb.transport(),
            token_store=self.sync_store,
        )
        self.async_client = AsyncFinChat(
            sb.app_id,
            sb.secret,
            base_url=sb.base_url,
            transport=sb.async_transport(),
            token_store=self.async_store,
        )
        self.sync_calls = Calls()
        self.async_calls = Calls()

    def _receiver(
        self, store: RedisDedupeStore, rng: random.Random, fail_first: float
    ) -> WebhookReceiver:
        events = EventDispatcher()
        record = self.record

        @events.on_message
        async def handle(event: Any) -> None:
            event_id = event.event_id
            record.attempts[event_id] += 1
            # A handler that fails on an event's first run, so releases happen too.
            if record.attempts[event_id] == 1 and (
                event_id in self.fail_once or rng.random() < fail_first
            ):
                raise RuntimeError("a handler failing on purpose")
            record.successes[event_id] += 1
            record.first_success.setdefault(event_id, time.monotonic())

        return WebhookReceiver(events, token=HOOK_TOKEN, dedupe=store)

    def call_sync(self) -> bool:
        began = time.monotonic()
        try:
            self.sync_client.users.get(CALLER_FCID)
        except FinChatError as exc:
            self.sync_calls.outcome(began, exc)
            return False
        self.sync_calls.outcome(began, None)
        return True

    async def call_async(self) -> bool:
        began = time.monotonic()
        try:
            await self.async_client.users.get(CALLER_FCID)
        except FinChatError as exc:
            self.async_calls.outcome(began, exc)
            return False
        self.async_calls.outcome(began, None)
        return True

    async def aclose(self) -> None:
        self.sync_client.close()
        await self.async_client.aclose()
        self.sync_store.close()
        await self.async_store.aclose()
        for store in self.dedupe_stores:
            await store.aclose()


async def keep_calling(fleet: Fleet, stop: asyncio.Event, pause: float) -> None:
    """Both clients call until `stop`, one call at a time each, the sync one from a thread."""

    def sync_loop() -> None:
        while not stop.is_set():
            fleet.call_sync()
            time.sleep(pause)

    thread = asyncio.create_task(asyncio.to_thread(sync_loop))
    while not stop.is_set():
        await fleet.call_async()
        await asyncio.sleep(pause)
    await thread
