"""`RedisDedupeStore`: one record of handled events for every receiver replica of a fleet.

One key per app and `event_id`, `P event:<app_id>:<event_id>` (P the prefix): absent, an owner (a
claim, expiring after the claim TTL) or `"done"` (expiring after the done TTL, which must cover the
platform's redelivery window). `claim` and `release` are Lua scripts, so each is atomic across the
fleet. The app id is part of the key because an `event_id` is the room event's: when the bots of
two apps share a room, both apps receive the same `event_id`, and each must handle it once.

When Redis is down or stuck, every method raises `RedisStoreError` after its timeouts. The
receiver then answers 500 without running the handler, and the platform delivers the event again
later: an event is never handled without the dedupe record (that could handle it twice), and
never dropped (a 200 would tell the platform it was handled).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Self

import redis.asyncio

from .._ids import validate_app_id
from ..events import ClaimOutcome, DedupeStore
from ..events._dedupe import DEFAULT_CLAIM_TTL, DEFAULT_DONE_TTL
from ._redis import (
    DEFAULT_PREFIX,
    DEFAULT_REDIS_TIMEOUT,
    async_client,
    check_timeouts,
    describe,
    milliseconds,
    seconds,
    text,
    translate,
)

__all__ = ["RedisDedupeStore"]

_DONE: Final = "done"
# KEYS[1] event; ARGV owner, claim TTL (ms). Finding our own owner means redis-py retried a call
# whose answer was lost: the claim is ours.
_CLAIM: Final = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 'claimed' end
local held = redis.call('GET', KEYS[1])
if held == ARGV[1] then return 'claimed' end
if held == 'done' then return 'done' end
return 'in_progress'
"""
# KEYS[1] event; ARGV[1] owner. Removes the claim only if this owner still holds it.
_RELEASE: Final = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class RedisDedupeStore:
    """A `DedupeStore` in Redis for `WebhookReceiver`s in several processes or hosts.

    >>> dedupe = RedisDedupeStore.from_url("redis://cache.internal:6379/0", app_id=app_id)
    >>> app = WebhookReceiver(events, token=webhook_token, dedupe=dedupe)

    `client`: a `redis.asyncio.Redis` with socket timeouts (one without is refused). `app_id`: the
    app whose callbacks the receiver takes (required: apps sharing a Redis and a room must not
    mark each other's events done). `claim_ttl`:
    how long a claim blocks other deliveries of its event; it must outlast the slowest handler,
    and it is also how long a crashed replica delays the event. `done_ttl`: how long a handled
    event is remembered; it must cover the platform's redelivery window. Each handled event
    costs one small key for `done_ttl`.
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
        if not isinstance(prefix, str):
            raise TypeError(f"prefix must be a string, not {prefix!r}")
        check_timeouts(client)
        self._redis = client
        self._app_id = validate_app_id(app_id)
        self._prefix = prefix
        self._claim_ms = milliseconds(seconds("claim_ttl", claim_ttl))
        self._done_ms = milliseconds(seconds("done_ttl", done_ttl))
        self._where = describe(client)
        self._owned = False
        self._claim = client.register_script(_CLAIM)
        self._release = client.register_script(_RELEASE)

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
        store = cls(
            async_client(url, timeout=timeout),
            app_id=app_id,
            prefix=prefix,
            claim_ttl=claim_ttl,
            done_ttl=done_ttl,
        )
        store._owned = True
        return store

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
        with translate(self._where, "event claim"):
            reply = await self._claim(keys=[self._key(event_id)], args=[owner, self._claim_ms])
        outcome = text(reply)
        if outcome == "claimed":
            return "claimed"
        if outcome == "done":
            return "done"
        return "in_progress"

    async def mark_done(self, event_id: str, owner: str) -> None:
        with translate(self._where, "event mark_done"):
            await self._redis.set(self._key(event_id), _DONE, px=self._done_ms)

    async def release(self, event_id: str, owner: str) -> None:
        with translate(self._where, "event release"):
            await self._release(keys=[self._key(event_id)], args=[owner])

    async def aclose(self) -> None:
        """Close the connection pool, if `from_url` made it (not a caller's client)."""
        if self._owned:
            await self._redis.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


if TYPE_CHECKING:
    # mypy --strict checks here that the store keeps to the receiver's protocol.
    def _conforms(store: RedisDedupeStore) -> DedupeStore:
        return store
