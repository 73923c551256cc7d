"""`RedisTokenStore` and `AsyncRedisTokenStore`: one app access token for a whole fleet.

Every process of the fleet keeps the token it uses in memory (`TokenAuth` caches it, and its fast
path never calls the store); the store is asked only when a process has no fresh token. Then the
client's flow (see `finchat_wrapper._auth`) reads the shared token, and if there is none, takes the
fetch lease so that one process of the fleet fetches while the others poll for its token.

Redis layout, for a token key K (the client passes `app_id@base_url`) and the store's prefix P:

    P token:K        hash {value, version, lifetime}, expiring with the token (PEXPIRE)
    P token-lease:K  string: the lease id of the process fetching, expiring unless renewed
    P token-lease:K:fenced:L  marks lease id L as given up (see `_redis.FENCE`)

Every write that must compare is one Lua script, so it is atomic across the fleet: a late
`invalidate` never drops the newer token another process stored, and a late `release_lease` never
frees a lease another process took after this one lapsed.

A lease is short-lived in Redis whatever TTL the client asks for: it lapses `LEASE_LAPSE` Redis
timeouts (3 s by default) after its holder last renewed it, and the store renews the leases its
process holds (see `_keeper`) until they are released or the asked TTL is over. So a holder that
died, or that Redis stopped answering, holds up the others for seconds, not for the TTL; and a
lease taken by an acquire whose answer never came (Redis stalled, then ran it) is fenced by the
store, or lapses just as fast. A release or an invalidation that Redis did not answer is retried.

Everything the two stores decide is `_Core`'s; `RedisTokenStore` and `AsyncRedisTokenStore` are
its thin shells, alike on purpose: each method one script call, blocking or awaited, so that each
store is precisely a `TokenStore` or an `AsyncTokenStore`.

When Redis is down or stuck, every method raises `RedisStoreError` after its timeouts; the client
passes it on (it is a `FinChatError`, not retried). A process that holds a fresh token does not
notice: only a process that must fetch does. No fallback to fetching without the lease: that is
precisely the per-process fetching that fleet mode exists to prevent.
"""

from __future__ import annotations

import functools
import secrets
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Self

import redis
import redis.asyncio

from .._auth import AsyncTokenStore, Token, TokenStore
from ._keeper import Chore, TaskKeeper, ThreadKeeper
from ._redis import (
    DEFAULT_PREFIX,
    DEFAULT_REDIS_TIMEOUT,
    FENCE,
    AsyncRedisStore,
    RedisStore,
    async_client,
    fence_key,
    milliseconds,
    seconds,
    sync_client,
    text,
    timeout_of,
    translate,
)

__all__ = ["LEASE_LAPSE", "AsyncRedisTokenStore", "RedisTokenStore"]

LEASE_LAPSE: Final = 3
"""Redis timeouts after which a lease lapses unless its holder renews it (renewed every one)."""
# How long a store keeps retrying an invalidation Redis did not answer: past that, the processes
# that are refused the stale token drop it themselves.
_INVALIDATE_RETRY: Final = 60.0

# KEYS[1] token hash -> {value, version, lifetime, PTTL in ms}, or nil. One script, so the TTL
# belongs to the very value read.
_GET: Final = """
local v = redis.call('HMGET', KEYS[1], 'value', 'version', 'lifetime')
if not v[1] or not v[2] or not v[3] then return nil end
return {v[1], v[2], v[3], redis.call('PTTL', KEYS[1])}
"""
# KEYS[1] token hash; ARGV value, version, lifetime (s), lifetime (ms). Replaces any old token.
_PUT: Final = """
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'value', ARGV[1], 'version', ARGV[2], 'lifetime', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
"""
# KEYS[1] token hash; ARGV[1] version. Drops the token only if it is still that version.
_INVALIDATE: Final = """
if redis.call('HGET', KEYS[1], 'version') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
# KEYS[1] lease, KEYS[2] its fence for this id; ARGV lease id, lapse (ms). SET NX PX takes a free
# lease; finding our own id there means this is redis-py's retry of a call whose answer was lost,
# and the lease is ours. A fenced id is a copy that arrived after its caller gave up: it takes
# nothing.
_ACQUIRE: Final = """
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
return 0
"""
# KEYS[1] lease; ARGV lease id, lapse (ms). Pushes the lapse back while this holder still holds it.
_RENEW: Final = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
# KEYS[1] lease; ARGV[1] lease id. Frees the lease only if it is still this holder's.
_RELEASE: Final = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


def _token(reply: Any) -> Token | None:
    """The `Token` a `_GET` reply describes, or None (absent, or expiring right now)."""
    if not reply:
        return None
    value, version, lifetime, pttl = reply
    value, version, lifetime = text(value), text(version), text(lifetime)
    if value is None or version is None or lifetime is None:
        return None
    pttl = int(pttl)
    # -2: it expired between the two commands (cannot happen in a script, but costs nothing);
    # -1: someone removed its expiry, so its validity is unknown: fetch a new one.
    if pttl <= 0:
        return None
    return Token(value, version, pttl / 1000, float(lifetime))


@dataclass(frozen=True, slots=True)
class _LeaseAsk:
    """One `acquire_lease` call: the id it offers and the script's keys and arguments."""

    key: str
    lease: str
    ttl: float
    until: float
    keys: list[str]
    args: list[str | int]


class _Core:
    """Everything both stores decide: key names, script arguments, and the chores that follow a
    call (renewing a held lease, fencing an unanswered acquire, retrying a release). No I/O: the
    chores run in the store's keeper, on the store's own scripts, sync or async alike. The store
    has checked `prefix` and `client` (`RedisStore`)."""

    def __init__(
        self,
        client: redis.Redis | redis.asyncio.Redis,
        prefix: str,
        keeper: ThreadKeeper | TaskKeeper,
    ) -> None:
        self.prefix = prefix
        self.lapse = LEASE_LAPSE * timeout_of(client)
        self.keeper = keeper
        self.get = client.register_script(_GET)
        self.put = client.register_script(_PUT)
        self.invalidate = client.register_script(_INVALIDATE)
        self.acquire = client.register_script(_ACQUIRE)
        self._renew = client.register_script(_RENEW)
        self.release = client.register_script(_RELEASE)
        self._fence = client.register_script(FENCE)
        self._renewals: dict[tuple[str, str], Chore] = {}
        self._lock = threading.Lock()  # the blocking store is shared between threads

    def token(self, key: str) -> str:
        return f"{self.prefix}token:{key}"

    def lease(self, key: str) -> str:
        return f"{self.prefix}token-lease:{key}"

    def put_args(self, value: str, lifetime: float) -> tuple[str, list[str | int]]:
        version = secrets.token_hex(8)
        return version, [value, version, repr(lifetime), milliseconds(lifetime)]

    def ask(self, key: str, ttl: float) -> _LeaseAsk:
        ttl = seconds("ttl", ttl)
        lease = secrets.token_hex(8)
        lease_key = self.lease(key)
        return _LeaseAsk(
            key,
            lease,
            ttl,
            time.monotonic() + ttl,
            [lease_key, fence_key(lease_key, lease)],
            [lease, milliseconds(min(ttl, self.lapse))],
        )

    def acquired(self, ask: _LeaseAsk, reply: Any) -> str | None:
        if reply != 1:
            return None
        if ask.ttl > self.lapse:
            lease_key = self.lease(ask.key)

            def renew() -> Any:
                left = min(self.lapse, ask.until - time.monotonic())
                return self._renew(keys=[lease_key], args=[ask.lease, milliseconds(left)])

            every = self.lapse / LEASE_LAPSE
            chore = Chore("lease renewal", renew, ask.until, every=every)
            with self._lock:
                self._renewals[(ask.key, ask.lease)] = chore
            self.keeper.add(chore, delay=every)
        return ask.lease

    def unanswered_acquire(self, ask: _LeaseAsk) -> None:
        # Redis may still run the acquire (it may have already): fence the id, so that a late
        # copy takes nothing and a lease it took is freed at once, not after the lapse.
        keys, fence_ms = ask.keys, milliseconds(ask.ttl)
        self.keeper.add(
            Chore(
                "fence of an unanswered lease acquire",
                lambda: self._fence(keys=keys, args=[ask.lease, fence_ms]),
                ask.until,
            )
        )

    def releasing(self, key: str, lease: str) -> None:
        with self._lock:
            chore = self._renewals.pop((key, lease), None)
        if chore is not None:
            self.keeper.cancel(chore)

    def unanswered_release(self, key: str, lease: str) -> None:
        # No longer renewed, the lease lapses within `lapse` anyway; retrying frees it sooner.
        lease_key = self.lease(key)
        self.keeper.add(
            Chore(
                "lease release",
                lambda: self.release(keys=[lease_key], args=[lease]),
                time.monotonic() + self.lapse,
            )
        )

    def unanswered_invalidate(self, key: str, version: str) -> None:
        token_key = self.token(key)
        self.keeper.add(
            Chore(
                "token invalidation",
                lambda: self.invalidate(keys=[token_key], args=[version]),
                time.monotonic() + _INVALIDATE_RETRY,
            )
        )


class RedisTokenStore(RedisStore[redis.Redis]):
    """A `TokenStore` in Redis, shared by every `FinChat` of a fleet (blocking, thread-safe).

    >>> store = RedisTokenStore.from_url("redis://cache.internal:6379/0")
    >>> client = FinChat(app_id, secret, base_url=url, token_store=store)

    `client`: a `redis.Redis` with socket timeouts (one without is refused: it could hang every
    call). `prefix` starts every key, to share one Redis database with other applications.
    Tokens are stored in clear, as any token cache must: give the Redis an ACL and TLS
    (`rediss://`) on an untrusted network. While a lease is held, or a call Redis did not answer
    needs finishing, a daemon thread of the store does it; `close()` stops it.
    """

    def __init__(self, client: redis.Redis, *, prefix: str = DEFAULT_PREFIX) -> None:
        super().__init__(client, prefix)
        self._keeper = ThreadKeeper("finchat-redis-token-store")
        self._core = _Core(client, prefix, self._keeper)

    @classmethod
    def from_url(
        cls, url: str, *, prefix: str = DEFAULT_PREFIX, timeout: float = DEFAULT_REDIS_TIMEOUT
    ) -> Self:
        """A store on its own client for `url` (redis://, rediss://, unix://); `close()` it.

        `timeout`: seconds to connect and to wait for each answer. With the one reconnect, a dead
        or stuck Redis fails a store call in about twice that (six times at worst, connecting
        anew); a lease whose holder stops renewing it lapses after three times that.
        """
        return cls._owning(sync_client(url, timeout=timeout), prefix=prefix)

    def __repr__(self) -> str:
        return f"RedisTokenStore({self._where}, prefix={self._prefix!r})"

    def get(self, key: str) -> Token | None:
        with translate(self._where, "token get"):
            reply = self._core.get(keys=[self._core.token(key)])
        return _token(reply)

    def put(self, key: str, value: str, lifetime: float) -> Token:
        lifetime = seconds("lifetime", lifetime)
        version, args = self._core.put_args(value, lifetime)
        # Unanswered, it may still be stored: a valid token, as good as any other.
        with translate(self._where, "token put"):
            self._core.put(keys=[self._core.token(key)], args=args)
        return Token(value, version, lifetime, lifetime)

    def invalidate(self, key: str, version: str) -> None:
        unanswered = functools.partial(self._core.unanswered_invalidate, key, version)
        with translate(self._where, "token invalidate", unanswered):
            self._core.invalidate(keys=[self._core.token(key)], args=[version])

    def acquire_lease(self, key: str, ttl: float) -> str | None:
        ask = self._core.ask(key, ttl)
        unanswered = functools.partial(self._core.unanswered_acquire, ask)
        with translate(self._where, "lease acquire", unanswered):
            reply = self._core.acquire(keys=ask.keys, args=ask.args)
        return self._core.acquired(ask, reply)

    def release_lease(self, key: str, lease: str) -> None:
        self._core.releasing(key, lease)
        unanswered = functools.partial(self._core.unanswered_release, key, lease)
        with translate(self._where, "lease release", unanswered):
            self._core.release(keys=[self._core.lease(key)], args=[lease])

    def close(self) -> None:
        """Stop renewing leases and retrying; close the connection pool if `from_url` made it."""
        self._keeper.close()
        if self._owned:
            self._redis.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncRedisTokenStore(AsyncRedisStore):
    """`RedisTokenStore` for `AsyncFinChat`, on a `redis.asyncio.Redis` (same keys, so sync and
    async processes of one fleet share one token); its renewals and retries are a task.

    An asyncio Redis client belongs to the event loop that first used it: make the store inside
    the loop that runs the client.
    """

    def __init__(self, client: redis.asyncio.Redis, *, prefix: str = DEFAULT_PREFIX) -> None:
        super().__init__(client, prefix)
        self._keeper = TaskKeeper()
        self._core = _Core(client, prefix, self._keeper)

    @classmethod
    def from_url(
        cls, url: str, *, prefix: str = DEFAULT_PREFIX, timeout: float = DEFAULT_REDIS_TIMEOUT
    ) -> Self:
        """A store on its own client for `url`; `await aclose()` it. See `RedisTokenStore`."""
        return cls._owning(async_client(url, timeout=timeout), prefix=prefix)

    def __repr__(self) -> str:
        return f"AsyncRedisTokenStore({self._where}, prefix={self._prefix!r})"

    async def get(self, key: str) -> Token | None:
        with translate(self._where, "token get"):
            reply = await self._core.get(keys=[self._core.token(key)])
        return _token(reply)

    async def put(self, key: str, value: str, lifetime: float) -> Token:
        lifetime = seconds("lifetime", lifetime)
        version, args = self._core.put_args(value, lifetime)
        with translate(self._where, "token put"):
            await self._core.put(keys=[self._core.token(key)], args=args)
        return Token(value, version, lifetime, lifetime)

    async def invalidate(self, key: str, version: str) -> None:
        unanswered = functools.partial(self._core.unanswered_invalidate, key, version)
        with translate(self._where, "token invalidate", unanswered):
            await self._core.invalidate(keys=[self._core.token(key)], args=[version])

    async def acquire_lease(self, key: str, ttl: float) -> str | None:
        ask = self._core.ask(key, ttl)
        unanswered = functools.partial(self._core.unanswered_acquire, ask)
        with translate(self._where, "lease acquire", unanswered):
            reply = await self._core.acquire(keys=ask.keys, args=ask.args)
        return self._core.acquired(ask, reply)

    async def release_lease(self, key: str, lease: str) -> None:
        self._core.releasing(key, lease)
        unanswered = functools.partial(self._core.unanswered_release, key, lease)
        with translate(self._where, "lease release", unanswered):
            await self._core.release(keys=[self._core.lease(key)], args=[lease])

    async def aclose(self) -> None:
        """Stop renewing leases and retrying; close the connection pool if `from_url` made it."""
        await self._keeper.aclose()
        await super().aclose()


if TYPE_CHECKING:
    # mypy --strict checks here that both stores keep to their protocols.
    def _conforms(
        sync_store: RedisTokenStore, async_store: AsyncRedisTokenStore
    ) -> tuple[TokenStore, AsyncTokenStore]:
        return sync_store, async_store
