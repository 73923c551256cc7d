"""`RedisTokenStore` and `AsyncRedisTokenStore`: one app access token for a whole fleet.

Every process of the fleet keeps the token it uses in memory (`TokenAuth` caches it, and its fast
path never calls the store); the store is asked only when a process has no fresh token. Then the
client's flow (see `finchat_wrapper._auth`) reads the shared token, and if there is none, takes the
fetch lease so that one process of the fleet fetches while the others poll for its token.

Redis layout, for a token key K (the client passes `app_id@base_url`) and the store's prefix P:

    P token:K        hash {value, version, lifetime}, expiring with the token (PEXPIRE)
    P token-lease:K  string: the lease id of the process fetching, expiring after the lease TTL

Every write that must compare is one Lua script, so it is atomic across the fleet: a late
`invalidate` never drops the newer token another process stored, and a late `release_lease` never
frees a lease another process took after this one lapsed.

When Redis is down or stuck, every method raises `RedisStoreError` after its timeouts; the client
passes it on (it is a `FinChatError`, not retried). A process that holds a fresh token does not
notice: only a process that must fetch does. No fallback to fetching without the lease: that is
precisely the per-process fetching that fleet mode exists to prevent.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any, Final, Self

import redis
import redis.asyncio

from .._auth import AsyncTokenStore, Token, TokenStore
from ._redis import (
    DEFAULT_PREFIX,
    DEFAULT_REDIS_TIMEOUT,
    async_client,
    check_timeouts,
    describe,
    milliseconds,
    seconds,
    sync_client,
    text,
    translate,
)

__all__ = ["AsyncRedisTokenStore", "RedisTokenStore"]

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
# KEYS[1] lease; ARGV lease id, TTL (ms). SET NX PX takes a free lease; finding our own id there
# means this is redis-py's retry of a call whose answer was lost, and the lease is ours.
_ACQUIRE: Final = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
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


class _Keys:
    """Key names and script texts shared by both stores."""

    def __init__(self, prefix: str) -> None:
        if not isinstance(prefix, str):
            raise TypeError(f"prefix must be a string, not {prefix!r}")
        self.prefix = prefix

    def token(self, key: str) -> str:
        return f"{self.prefix}token:{key}"

    def lease(self, key: str) -> str:
        return f"{self.prefix}token-lease:{key}"


class RedisTokenStore:
    """A `TokenStore` in Redis, shared by every `FinChat` of a fleet (blocking, thread-safe).

    >>> store = RedisTokenStore.from_url("redis://cache.internal:6379/0")
    >>> client = FinChat(app_id, secret, base_url=url, token_store=store)

    `client`: a `redis.Redis` with socket timeouts (one without is refused: it could hang every
    call). `prefix` starts every key, to share one Redis database with other applications.
    Tokens are stored in clear, as any token cache must: give the Redis an ACL and TLS
    (`rediss://`) on an untrusted network.
    """

    def __init__(self, client: redis.Redis, *, prefix: str = DEFAULT_PREFIX) -> None:
        check_timeouts(client)
        self._redis = client
        self._keys = _Keys(prefix)
        self._where = describe(client)
        self._owned = False
        self._get = client.register_script(_GET)
        self._put = client.register_script(_PUT)
        self._invalidate = client.register_script(_INVALIDATE)
        self._acquire = client.register_script(_ACQUIRE)
        self._release = client.register_script(_RELEASE)

    @classmethod
    def from_url(
        cls, url: str, *, prefix: str = DEFAULT_PREFIX, timeout: float = DEFAULT_REDIS_TIMEOUT
    ) -> Self:
        """A store on its own client for `url` (redis://, rediss://, unix://); `close()` it.

        `timeout`: seconds to connect and to wait for each answer. With the one reconnect, a dead
        or stuck Redis fails a store call in about twice that.
        """
        store = cls(sync_client(url, timeout=timeout), prefix=prefix)
        store._owned = True
        return store

    def __repr__(self) -> str:
        return f"RedisTokenStore({self._where}, prefix={self._keys.prefix!r})"

    def get(self, key: str) -> Token | None:
        with translate(self._where, "token get"):
            reply = self._get(keys=[self._keys.token(key)])
        return _token(reply)

    def put(self, key: str, value: str, lifetime: float) -> Token:
        lifetime = seconds("lifetime", lifetime)
        version = secrets.token_hex(8)
        with translate(self._where, "token put"):
            self._put(
                keys=[self._keys.token(key)],
                args=[value, version, repr(lifetime), milliseconds(lifetime)],
            )
        return Token(value, version, lifetime, lifetime)

    def invalidate(self, key: str, version: str) -> None:
        with translate(self._where, "token invalidate"):
            self._invalidate(keys=[self._keys.token(key)], args=[version])

    def acquire_lease(self, key: str, ttl: float) -> str | None:
        ttl_ms = milliseconds(seconds("ttl", ttl))
        lease = secrets.token_hex(8)
        with translate(self._where, "lease acquire"):
            taken = self._acquire(keys=[self._keys.lease(key)], args=[lease, ttl_ms])
        return lease if taken == 1 else None

    def release_lease(self, key: str, lease: str) -> None:
        with translate(self._where, "lease release"):
            self._release(keys=[self._keys.lease(key)], args=[lease])

    def close(self) -> None:
        """Close the connection pool, if `from_url` made it (not a caller's client)."""
        if self._owned:
            self._redis.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncRedisTokenStore:
    """`RedisTokenStore` for `AsyncFinChat`, on a `redis.asyncio.Redis` (same keys, so sync and
    async processes of one fleet share one token).

    An asyncio Redis client belongs to the event loop that first used it: make the store inside
    the loop that runs the client.
    """

    def __init__(self, client: redis.asyncio.Redis, *, prefix: str = DEFAULT_PREFIX) -> None:
        check_timeouts(client)
        self._redis = client
        self._keys = _Keys(prefix)
        self._where = describe(client)
        self._owned = False
        self._get = client.register_script(_GET)
        self._put = client.register_script(_PUT)
        self._invalidate = client.register_script(_INVALIDATE)
        self._acquire = client.register_script(_ACQUIRE)
        self._release = client.register_script(_RELEASE)

    @classmethod
    def from_url(
        cls, url: str, *, prefix: str = DEFAULT_PREFIX, timeout: float = DEFAULT_REDIS_TIMEOUT
    ) -> Self:
        """A store on its own client for `url`; `await aclose()` it. See `RedisTokenStore`."""
        store = cls(async_client(url, timeout=timeout), prefix=prefix)
        store._owned = True
        return store

    def __repr__(self) -> str:
        return f"AsyncRedisTokenStore({self._where}, prefix={self._keys.prefix!r})"

    async def get(self, key: str) -> Token | None:
        with translate(self._where, "token get"):
            reply = await self._get(keys=[self._keys.token(key)])
        return _token(reply)

    async def put(self, key: str, value: str, lifetime: float) -> Token:
        lifetime = seconds("lifetime", lifetime)
        version = secrets.token_hex(8)
        with translate(self._where, "token put"):
            await self._put(
                keys=[self._keys.token(key)],
                args=[value, version, repr(lifetime), milliseconds(lifetime)],
            )
        return Token(value, version, lifetime, lifetime)

    async def invalidate(self, key: str, version: str) -> None:
        with translate(self._where, "token invalidate"):
            await self._invalidate(keys=[self._keys.token(key)], args=[version])

    async def acquire_lease(self, key: str, ttl: float) -> str | None:
        ttl_ms = milliseconds(seconds("ttl", ttl))
        lease = secrets.token_hex(8)
        with translate(self._where, "lease acquire"):
            taken = await self._acquire(keys=[self._keys.lease(key)], args=[lease, ttl_ms])
        return lease if taken == 1 else None

    async def release_lease(self, key: str, lease: str) -> None:
        with translate(self._where, "lease release"):
            await self._release(keys=[self._keys.lease(key)], args=[lease])

    async def aclose(self) -> None:
        """Close the connection pool, if `from_url` made it (not a caller's client)."""
        if self._owned:
            await self._redis.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


if TYPE_CHECKING:
    # mypy --strict checks here that both stores keep to their protocols.
    def _conforms(
        sync_store: RedisTokenStore, async_store: AsyncRedisTokenStore
    ) -> tuple[TokenStore, AsyncTokenStore]:
        return sync_store, async_store
