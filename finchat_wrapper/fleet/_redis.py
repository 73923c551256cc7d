"""What the fleet stores share: the Redis clients they build, the timeouts they insist on, and
the one exception every Redis failure becomes.

A fleet store must never hang its caller: a Redis that is down refuses connections at once, but a
Redis that is stuck (paused, overloaded, a dead network path) answers nothing, and without socket
timeouts a call would wait forever. So the stores build their clients with short connect and read
timeouts and one quick retry, and refuse a caller's client that has no timeouts at all.

Every command a store sends is safe to repeat (each is idempotent for its arguments: leases and
owners are chosen before the call), so redis-py's retry after a dropped connection or a timeout
never takes a lease twice or claims an event for nobody.

A command that timed out on our side may still run on Redis (a stalled Redis executes what it
had received once it resumes), so a call that takes something and got no answer is *fenced*
afterwards (`FENCE`, carried out by the store's keeper, see `_keeper`): a late copy of the command
then takes nothing, and what it took before is deleted.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator
from typing import Any, Final, Generic, Self, TypeVar

try:
    import redis
    import redis.asyncio
    from redis.asyncio.retry import Retry as AsyncRetry
    from redis.backoff import EqualJitterBackoff
    from redis.retry import Retry
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise ImportError("finchat_wrapper.fleet needs redis-py: pip install 'finchat[redis]'") from exc

from .._errors import FinChatError

__all__ = [
    "DEFAULT_PREFIX",
    "DEFAULT_REDIS_TIMEOUT",
    "FENCE",
    "AsyncRedisStore",
    "RedisStore",
    "RedisStoreError",
    "async_client",
    "check_timeouts",
    "describe",
    "fence_key",
    "milliseconds",
    "seconds",
    "sync_client",
    "text",
    "timeout_of",
    "translate",
]

DEFAULT_PREFIX: Final = "finchat:"
DEFAULT_REDIS_TIMEOUT: Final = 1.0
"""Seconds to connect to Redis, and to wait for one answer. Redis answers in well under a
millisecond; a second without an answer means it is down or stuck."""
# One retry: enough to reconnect the pooled connections that a Redis restart broke, few enough
# that a dead Redis fails a call within about 2 x timeout.
_RETRIES: Final = 1
_BACKOFF: Final = EqualJitterBackoff(cap=0.2, base=0.02)
# How much of a Redis error message an exception repeats.
_EXCERPT: Final = 200


# KEYS[1] what an owner may hold (a claim, a lease), KEYS[2] that owner's fence; ARGV owner, fence
# TTL (ms). The scripts that take something return without taking it while its owner is fenced.
FENCE: Final = """
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
"""


def fence_key(key: str, owner: str) -> str:
    """The key that marks `owner` as given up on `key`."""
    return f"{key}:fenced:{owner}"


class RedisStoreError(FinChatError):
    """Redis did not do what a fleet store asked: down, too slow, or refusing (auth, READONLY,
    out of memory). The message names the server, never a password; `__cause__` is redis-py's
    exception. Nothing is retried beyond the client's one reconnect: the caller decides."""


def seconds(name: str, value: float) -> float:
    """`value` as float seconds if it is a positive finite number; TypeError or ValueError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be seconds, not {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")
    return float(value)


def milliseconds(value: float) -> int:
    """Seconds as a Redis expiry: whole milliseconds, never rounded down to 0 ("no TTL")."""
    return max(1, round(value * 1000))


def _client_options(timeout: float) -> dict[str, Any]:
    limit = seconds("timeout", timeout)
    return {"socket_timeout": limit, "socket_connect_timeout": limit}


def sync_client(url: str, *, timeout: float) -> redis.Redis:
    """A blocking client for `url` (redis://, rediss://, unix://) that cannot hang."""
    return redis.Redis.from_url(
        url,
        **_client_options(timeout),
        retry=Retry(_BACKOFF, _RETRIES),
    )


def async_client(url: str, *, timeout: float) -> redis.asyncio.Redis:
    """An asyncio client for `url` that cannot hang (bound to the event loop that first uses it)."""
    return redis.asyncio.Redis.from_url(
        url,
        **_client_options(timeout),
        retry=AsyncRetry(_BACKOFF, _RETRIES),
    )


def _connection_kwargs(client: redis.Redis | redis.asyncio.Redis) -> dict[str, Any]:
    kwargs: dict[str, Any] = client.connection_pool.connection_kwargs
    return kwargs


def check_timeouts(client: redis.Redis | redis.asyncio.Redis) -> None:
    """Refuse a client that could wait forever for a connection or an answer."""
    kwargs = _connection_kwargs(client)
    missing = [
        name for name in ("socket_timeout", "socket_connect_timeout") if kwargs.get(name) is None
    ]
    if missing:
        raise ValueError(
            f"the Redis client has no {' and no '.join(missing)}: a stuck Redis would hang every "
            "caller. Build it with timeouts, or use from_url(url, timeout=seconds)."
        )


def timeout_of(client: redis.Redis | redis.asyncio.Redis) -> float:
    """The client's read timeout in seconds (`check_timeouts` made sure there is one)."""
    return float(_connection_kwargs(client)["socket_timeout"])


def describe(client: redis.Redis | redis.asyncio.Redis) -> str:
    """Where the client connects, for reprs and messages: never its username or password."""
    kwargs = _connection_kwargs(client)
    db = kwargs.get("db", 0)
    if kwargs.get("path"):
        return f"unix://{kwargs['path']}?db={db}"
    secure = "SSL" in client.connection_pool.connection_class.__name__
    scheme = "rediss" if secure else "redis"
    return f"{scheme}://{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}/{db}"


@contextlib.contextmanager
def translate(
    where: str, operation: str, unanswered: Callable[[], object] | None = None
) -> Iterator[None]:
    """Turn any redis-py failure inside the block into a `RedisStoreError`.

    Redis error replies (WRONGTYPE, READONLY, OOM, NOAUTH...) never echo the values sent, so the
    excerpt holds no token; the address comes from `describe`, so no password either.

    `unanswered` is called when the block fails in any way (a timeout, a cancellation too), before
    the failure goes on: the command may still run on Redis, so it hands the store's keeper what
    makes up for that (a fence, a retry).
    """
    try:
        try:
            yield
        except redis.RedisError as exc:
            detail = str(exc).strip()[:_EXCERPT]
            reason = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
            raise RedisStoreError(f"Redis at {where} failed during {operation} ({reason})") from exc
    except BaseException:
        if unanswered is not None:
            unanswered()
        raise


def text(value: bytes | str | None) -> str | None:
    """A reply as text, whether or not the client decodes responses."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value


C = TypeVar("C", redis.Redis, redis.asyncio.Redis)


class RedisStore(Generic[C]):
    """What every store does with its client: check the prefix, refuse a client that could hang,
    name it for reprs and messages, and close it only if `from_url` made it (`_owning`)."""

    def __init__(self, client: C, prefix: str) -> None:
        if not isinstance(prefix, str):
            raise TypeError(f"prefix must be a string, not {prefix!r}")
        check_timeouts(client)
        self._redis: C = client
        self._prefix = prefix
        self._where = describe(client)
        self._owned = False

    @classmethod
    def _owning(cls, client: C, **settings: Any) -> Self:
        """A store on a client made for it, which it closes with itself."""
        store = cls(client, **settings)
        store._owned = True
        return store


class AsyncRedisStore(RedisStore[redis.asyncio.Redis]):
    """A store on a `redis.asyncio.Redis`: an async context manager, closed by `aclose()`."""

    async def aclose(self) -> None:
        """Close the connection pool if `from_url` made it (not a caller's client)."""
        if self._owned:
            await self._redis.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
