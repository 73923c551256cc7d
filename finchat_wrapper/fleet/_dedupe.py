"""`RedisDedupeStore`: one record of handled events for every receiver replica of a fleet.

One key per app and `event_id`, `P event:<app_id>:<event_id>` (P the prefix): absent, an owner (a
claim, expiring after the claim TTL) or `"done"` (expiring after the done TTL, which must cover the
platform's redelivery window). Claims and releases are Lua scripts, so each is atomic across the
fleet. The app id is part of the key because an `event_id` is the room event's: when the bots of
two apps share a room, both apps receive the same `event_id`, and each must handle it once.

One round trip for many events: what the receiver's concurrent deliveries ask in one turn of the
event loop goes to Redis as one pipeline, with one script for all their claims, one for their done
marks and one for their releases. Every delivery still waits for its own answer.

When Redis is down or stuck, every method raises `RedisStoreError` after its timeouts. The
receiver then answers 500 without running the handler, and the platform delivers the event again
later: an event is never handled without the dedupe record (that could handle it twice), and
never dropped (a 200 would tell the platform it was handled). A claim that got no answer may
still be taken when Redis resumes; the store fences it (`_redis.FENCE`, a key
`<event key>:fenced:<owner>`), so the redelivery finds the event free within moments of Redis
answering again, not after the claim TTL. A release or a done mark that got no answer is retried
the same way (see `_keeper`).
"""

from __future__ import annotations

import asyncio
import functools
import time
from typing import TYPE_CHECKING, Any, Final, Self

import redis
import redis.asyncio

from .._ids import validate_app_id
from ..events import DEFAULT_CLAIM_TTL, DEFAULT_DONE_TTL, ClaimOutcome, DedupeStore
from ._keeper import Chore, TaskKeeper
from ._redis import (
    DEFAULT_PREFIX,
    DEFAULT_REDIS_TIMEOUT,
    FENCE,
    AsyncRedisStore,
    async_client,
    fence_key,
    milliseconds,
    seconds,
    text,
    translate,
)

__all__ = ["RedisDedupeStore"]

_DONE: Final = "done"
# KEYS: event 1, its owner's fence, event 2, its fence...; ARGV: claim TTL (ms), owner 1, owner 2...
# -> one outcome per event. Finding our own owner means redis-py retried a call whose answer was
# lost: the claim is ours. A fenced owner is a late copy of a claim its caller gave up on.
_CLAIM: Final = """
local outcomes = {}
for i = 1, #KEYS / 2 do
  local key, owner = KEYS[2 * i - 1], ARGV[i + 1]
  local outcome = 'in_progress'
  if redis.call('EXISTS', KEYS[2 * i]) == 0 then
    if redis.call('SET', key, owner, 'NX', 'PX', ARGV[1]) then
      outcome = 'claimed'
    else
      local held = redis.call('GET', key)
      if held == owner then outcome = 'claimed' elseif held == 'done' then outcome = 'done' end
    end
  end
  outcomes[i] = outcome
end
return outcomes
"""
# KEYS: events; ARGV[1]: done TTL (ms).
_MARK_DONE: Final = """
for i = 1, #KEYS do redis.call('SET', KEYS[i], 'done', 'PX', ARGV[1]) end
return #KEYS
"""
# KEYS: events; ARGV: their owners. Removes each claim only if that owner still holds it.
_RELEASE: Final = """
local released = 0
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[i] then released = released + redis.call('DEL', KEYS[i]) end
end
return released
"""


class _Batch:
    """The operations asked in one turn of the event loop, as Redis commands and back (no I/O)."""

    def __init__(self) -> None:
        self.claims: list[tuple[str, str, asyncio.Future[Any]]] = []
        self.done_marks: list[tuple[str, asyncio.Future[Any]]] = []
        self.releases: list[tuple[str, str, asyncio.Future[Any]]] = []

    def commands(self, claim_ms: int, done_ms: int) -> list[tuple[Any, ...]]:
        # Done marks and releases first: a duplicate claimed in the same turn then sees them.
        commands: list[tuple[Any, ...]] = []
        if self.done_marks:
            keys = [key for key, _ in self.done_marks]
            commands.append(("EVAL", _MARK_DONE, len(keys), *keys, done_ms))
        if self.releases:
            keys = [key for key, _, _ in self.releases]
            commands.append(("EVAL", _RELEASE, len(keys), *keys, *(o for _, o, _ in self.releases)))
        if self.claims:
            keys = [k for key, owner, _ in self.claims for k in (key, fence_key(key, owner))]
            owners = [owner for _, owner, _ in self.claims]
            commands.append(("EVAL", _CLAIM, len(keys), *keys, claim_ms, *owners))
        return commands

    def settle(self, replies: list[Any]) -> None:
        """Hand each caller its answer (with `raise_on_error=False`, an error reply is the
        exception itself, for that command's callers alone)."""
        answers = iter(replies)
        if self.done_marks:
            _answer([f for _, f in self.done_marks], next(answers), None)
        if self.releases:
            _answer([f for _, _, f in self.releases], next(answers), None)
        if self.claims:
            reply = next(answers)
            futures = [f for _, _, f in self.claims]
            if isinstance(reply, Exception):
                _answer(futures, reply, None)
            else:
                for future, outcome in zip(futures, reply, strict=True):
                    if not future.done():
                        future.set_result(text(outcome))

    def futures(self) -> list[asyncio.Future[Any]]:
        return [
            *(f for _, f in self.done_marks),
            *(f for _, _, f in self.releases),
            *(f for _, _, f in self.claims),
        ]

    def fail(self, exc: Exception) -> None:
        _answer(self.futures(), exc, None)

    def cancel(self) -> None:
        for future in self.futures():
            future.cancel()


def _answer(futures: list[asyncio.Future[Any]], reply: Any, result: Any) -> None:
    for future in futures:
        if future.done():
            continue  # its caller was cancelled
        if isinstance(reply, BaseException):
            future.set_exception(reply)
        else:
            future.set_result(result)


class RedisDedupeStore(AsyncRedisStore):
    """A `DedupeStore` in Redis for `WebhookReceiver`s in several processes or hosts.

    >>> dedupe = RedisDedupeStore.from_url("redis://cache.internal:6379/0", app_id=app_id)
    >>> app = WebhookReceiver(events, token=webhook_token, dedupe=dedupe)

    `client`: a `redis.asyncio.Redis` with socket timeouts (one without is refused). `app_id`: the
    app whose callbacks the receiver takes (required: apps sharing a Redis and a room must not
    mark each other's events done). `claim_ttl`:
    how long a claim blocks other deliveries of its event; it must outlast the slowest handler,
    and it is also how long a crashed replica delays the event. `done_ttl`: how long a handled
    event is remembered; it must cover the platform's redelivery window. Each handled event
    costs one small key for `done_ttl`. Use the store from one event loop; `await aclose()` it.
    """

    def __init__(
        self,
        client: redis.asyncio.Redis,
        *,
        app_id: str,
        prefix: str = DEFAULT_PREFIX,
        claim_ttl: float = DEFAULT_CLAIM_TTL,
        done_ttl: float = DEFAULT_DONE_TTL,
    ) -> None:
        super().__init__(client, prefix)
        self._app_id = validate_app_id(app_id)
        self._claim_ttl = seconds("claim_ttl", claim_ttl)
        self._claim_ms = milliseconds(self._claim_ttl)
        self._done_ms = milliseconds(seconds("done_ttl", done_ttl))
        self._fence = client.register_script(FENCE)
        self._release_one = client.register_script(_RELEASE)
        self._keeper = TaskKeeper()
        self._batch: _Batch | None = None
        self._sending: set[asyncio.Task[None]] = set()

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        app_id: str,
        prefix: str = DEFAULT_PREFIX,
        claim_ttl: float = DEFAULT_CLAIM_TTL,
        done_ttl: float = DEFAULT_DONE_TTL,
        timeout: float = DEFAULT_REDIS_TIMEOUT,
    ) -> Self:
        """A store on its own client for `url`; `await aclose()` it.

        Make it inside the event loop that serves the receiver: an asyncio Redis client belongs
        to the loop that first uses it.
        """
        return cls._owning(
            async_client(url, timeout=timeout),
            app_id=app_id,
            prefix=prefix,
            claim_ttl=claim_ttl,
            done_ttl=done_ttl,
        )

    def __repr__(self) -> str:
        return (
            f"RedisDedupeStore({self._where}, app_id={self._app_id!r}, prefix={self._prefix!r}, "
            f"claim_ttl={self._claim_ms / 1000}, done_ttl={self._done_ms / 1000})"
        )

    def _key(self, event_id: str) -> str:
        return f"{self._prefix}event:{self._app_id}:{event_id}"

    async def claim(self, event_id: str, owner: str) -> ClaimOutcome:
        if owner == _DONE:
            raise ValueError("an owner must not be 'done'")
        key = self._key(event_id)
        fence = functools.partial(
            self._after,
            "fence of an unanswered event claim",
            lambda: self._fence(keys=[key, fence_key(key, owner)], args=[owner, self._claim_ms]),
        )
        with translate(self._where, "event claim", fence):
            outcome = await self._ask(self._pending().claims, key, owner)
        if outcome == "claimed":
            return "claimed"
        if outcome == "done":
            return "done"
        return "in_progress"

    async def mark_done(self, event_id: str, owner: str) -> None:
        key = self._key(event_id)
        # The handler ran: the event must end up done, or a duplicate would run it again. Until
        # then its claim stays, and a duplicate gets 409.
        retry = functools.partial(
            self._after, "done mark", lambda: self._redis.set(key, _DONE, px=self._done_ms)
        )
        with translate(self._where, "event mark_done", retry):
            await self._ask(self._pending().done_marks, key)

    async def release(self, event_id: str, owner: str) -> None:
        key = self._key(event_id)
        retry = functools.partial(
            self._after, "event release", lambda: self._release_one(keys=[key], args=[owner])
        )
        with translate(self._where, "event release", retry):
            await self._ask(self._pending().releases, key, owner)

    async def aclose(self) -> None:
        """Wait for what is on its way to Redis, stop retrying, and close the connection pool if
        `from_url` made it (not a caller's client)."""
        while self._sending:
            await asyncio.gather(*self._sending, return_exceptions=True)
        await self._keeper.aclose()
        await super().aclose()

    # ---- batching: one pipeline per turn of the event loop ------------------------------------

    def _pending(self) -> _Batch:
        if self._batch is None:
            self._batch = _Batch()
            asyncio.get_running_loop().call_soon(self._flush)
        return self._batch

    async def _ask(self, queue: list[Any], *operands: str) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        queue.append((*operands, future))
        return await future

    def _flush(self) -> None:
        batch, self._batch = self._batch, None
        if batch is None:
            return
        task = asyncio.get_running_loop().create_task(self._send(batch))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send(self, batch: _Batch) -> None:
        pipe = self._redis.pipeline(transaction=False)
        for command in batch.commands(self._claim_ms, self._done_ms):
            pipe.execute_command(*command)
        try:
            replies = await pipe.execute(raise_on_error=False)
        except Exception as exc:
            batch.fail(exc)
        except BaseException:
            batch.cancel()
            raise
        else:
            batch.settle(replies)

    def _after(self, what: str, attempt: Any) -> None:
        """Retry `attempt` from the keeper until Redis takes it, for as long as a claim lasts."""
        self._keeper.add(Chore(what, attempt, time.monotonic() + self._claim_ttl))


if TYPE_CHECKING:
    # mypy --strict checks here that the store keeps to the receiver's protocol.
    def _conforms(store: RedisDedupeStore) -> DedupeStore:
        return store
