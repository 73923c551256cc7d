"""App access tokens: the token store protocol, the in-memory store, and the httpx auth flow.

The token logic is one generator, `TokenAuth.request_flow`, that does no I/O. Besides the httpx
requests it wants sent (the token request, the request itself, its one replay), it yields a few
*effects* - take or release the single-flight lock, call the token store, sleep while another
process fetches - and two thin drivers carry them out: `sync_auth_flow` with a `threading.Lock`
and plain calls, `async_auth_flow` with an `asyncio.Lock` and awaited calls (each goes through the
flow with `_steps.Steps`). So `FinChat` and `AsyncFinChat` share every decision, and only the I/O
exists twice: the two drivers are alike on purpose.

Single flight: a caller that finds no fresh token takes the client's lock, looks again (another
caller may have fetched meanwhile), then asks the store, and only then takes the store's fetch
lease and requests a token. Thousands of concurrent callers on a cold cache make one request.

A refused token (`FC_INVALID_ACCESS_TOKEN` or HTTP 401) is dropped only if it is still the one
the client holds (by `version`): concurrent requests that all failed with the same token cause
one new token, not one each. The request is replayed once with the new token; a second refusal
is the caller's error, never a loop.
"""

from __future__ import annotations

import inspect
import os
import threading
import time
import weakref
from collections.abc import AsyncGenerator, Callable, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, runtime_checkable

import httpx

from ._constants import TOKEN_LEASE_POLL, TOKEN_LEASE_TTL, TOKEN_PATH
from ._errors import InvalidResponseError, api_error_from_response, parse_error_body
from ._logging import Redactor, logger
from ._steps import Steps

if TYPE_CHECKING:
    # Imported where used at run time: asyncio alone would double the cost of importing the package.
    import asyncio

__all__ = [
    "AsyncTokenStore",
    "MemoryTokenStore",
    "Token",
    "TokenAuth",
    "TokenStore",
]


@dataclass(frozen=True, slots=True)
class Token:
    """An app access token as a store holds it.

    `version` identifies this token in its store (two fetches never share one), so a client can
    drop exactly the token that was refused. `ttl` is the validity left, in seconds, when the
    store answered; `lifetime` the `expires_in` the server gave when it was issued.
    """

    value: str = field(repr=False)
    version: str
    ttl: float
    lifetime: float


@runtime_checkable
class TokenStore(Protocol):
    """Where `FinChat` keeps tokens; share one between clients to share their tokens.

    `key` names one app on one server (the client passes `app_id@base_url`). A store shared
    between processes (Redis) keeps the token with a TTL, and makes `acquire_lease` atomic
    (`SET key NX PX ttl`) so that one process fetches while the others wait; `invalidate` and
    `release_lease` compare before deleting, so a late caller never drops a newer token or
    another holder's lease. Every method must be quick and must not call the client.
    """

    def get(self, key: str) -> Token | None:
        """The current token, or None (missing or expired)."""
        ...

    def put(self, key: str, value: str, lifetime: float) -> Token:
        """Store a freshly issued token valid `lifetime` seconds; return it with a new version."""
        ...

    def invalidate(self, key: str, version: str) -> None:
        """Drop the token if its version is still `version`; otherwise do nothing."""
        ...

    def acquire_lease(self, key: str, ttl: float) -> str | None:
        """Take the fetch lease for `ttl` seconds: a lease id, or None if someone holds it."""
        ...

    def release_lease(self, key: str, lease: str) -> None:
        """Release the lease if `lease` still holds it."""
        ...


@runtime_checkable
class AsyncTokenStore(Protocol):
    """`TokenStore` for `AsyncFinChat` with awaitable methods (same meaning, same arguments).

    `AsyncFinChat` also takes a plain `TokenStore` whose methods do not block (the memory store).
    """

    async def get(self, key: str) -> Token | None: ...
    async def put(self, key: str, value: str, lifetime: float) -> Token: ...
    async def invalidate(self, key: str, version: str) -> None: ...
    async def acquire_lease(self, key: str, ttl: float) -> str | None: ...
    async def release_lease(self, key: str, lease: str) -> None: ...


class MemoryTokenStore:
    """The default store: tokens of this process, expiring on a monotonic clock. Thread-safe."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens: dict[str, tuple[str, str, float, float]] = {}  # value, version, expiry, life
        self._leases: dict[str, tuple[str, float]] = {}  # lease id, expiry

    def get(self, key: str) -> Token | None:
        with self._lock:
            entry = self._tokens.get(key)
            if entry is None:
                return None
            value, version, expires_at, lifetime = entry
            ttl = expires_at - self._clock()
            if ttl <= 0:
                del self._tokens[key]
                return None
            return Token(value, version, ttl, lifetime)

    def put(self, key: str, value: str, lifetime: float) -> Token:
        version = _new_id()
        with self._lock:
            self._tokens[key] = (value, version, self._clock() + lifetime, lifetime)
        return Token(value, version, lifetime, lifetime)

    def invalidate(self, key: str, version: str) -> None:
        with self._lock:
            entry = self._tokens.get(key)
            if entry is not None and entry[1] == version:
                del self._tokens[key]

    def acquire_lease(self, key: str, ttl: float) -> str | None:
        with self._lock:
            held = self._leases.get(key)
            if held is not None and held[1] > self._clock():
                return None
            lease = _new_id()
            self._leases[key] = (lease, self._clock() + ttl)
            return lease

    def release_lease(self, key: str, lease: str) -> None:
        with self._lock:
            held = self._leases.get(key)
            if held is not None and held[0] == lease:
                del self._leases[key]

    def __repr__(self) -> str:
        return f"MemoryTokenStore(keys={len(self._tokens)})"


def _new_id() -> str:
    return os.urandom(8).hex()


# ---- effects: what the flow asks its driver to do ------------------------------------------


class _Lock:
    """Take the client's single-flight lock."""


class _Unlock:
    """Release it."""


# NamedTuples, not dataclasses: making a dataclass costs a millisecond of `import finchat_wrapper`.
class _Sleep(NamedTuple):
    seconds: float


class _Store(NamedTuple):
    method: str
    args: tuple[Any, ...]


_LOCK = _Lock()
_UNLOCK = _Unlock()

_Effect = httpx.Request | _Lock | _Unlock | _Sleep | _Store
_Flow = Generator[_Effect, Any, Any]


def _is_token_refused(response: httpx.Response) -> bool:
    if response.status_code == 401:
        return True
    if response.status_code < 400:
        return False
    errcode, _, _ = parse_error_body(response.content)
    return errcode == "FC_INVALID_ACCESS_TOKEN"


class TokenAuth(httpx.Auth):
    """httpx auth that puts a fresh app access token on every request (both client kinds)."""

    requires_response_body = True

    def __init__(
        self,
        *,
        app_id: str,
        secret: str,
        key: str,
        store: TokenStore | AsyncTokenStore,
        refresh_margin: float,
        clock: Callable[[], float],
        redactor: Redactor,
    ) -> None:
        self._app_id = app_id
        self._secret = secret
        self._key = key
        self._store = store
        self._margin = refresh_margin
        self._clock = clock
        self._redact = redactor
        # (token, refresh at) swapped as one object, so the lock-free fast path never pairs a
        # token with another token's deadline.
        self._cached: tuple[Token, float] | None = None
        self._thread_lock = threading.Lock()
        self._loop_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self._loop_locks_guard = threading.Lock()
        self._build_request: Callable[..., httpx.Request] | None = None
        self.token_requests = 0  # how many token requests this client has sent (for benchmarks)

    def bind(self, build_request: Callable[..., httpx.Request]) -> None:
        """Use the client's `build_request` (base URL, timeouts, headers) for the token request."""
        self._build_request = build_request

    def __repr__(self) -> str:
        return f"TokenAuth(app_id={self._app_id!r})"

    # ---- the flow: no I/O -------------------------------------------------------------------

    def request_flow(self, request: httpx.Request) -> _Flow:
        # A token request it causes shares its timeouts and its deadline (see `_deadline`).
        extensions = request.extensions
        token = yield from self._fresh_token(refused=None, extensions=extensions)
        request.headers["Authorization"] = f"Bearer {token.value}"
        response = yield request
        if not _is_token_refused(response):
            return
        logger.info(
            "access token refused (HTTP %d) on %s %s; fetching a new one and replaying once",
            response.status_code,
            request.method,
            request.url.path,
        )
        token = yield from self._fresh_token(refused=token, extensions=extensions)
        request.headers["Authorization"] = f"Bearer {token.value}"
        yield request

    def token_flow(self, *, refresh: bool, extensions: dict[str, Any] | None = None) -> _Flow:
        """The current token, fetched if needed; with `refresh`, the held one is replaced.

        `extensions` go on the token request (its httpx timeouts, the call's deadline)."""
        refused = self._cached[0] if refresh and self._cached is not None else None
        token = yield from self._fresh_token(refused=refused, extensions=extensions)
        return token

    def _usable(self, refused: Token | None) -> Token | None:
        cached = self._cached
        if cached is None or self._clock() >= cached[1]:
            return None
        if refused is not None and cached[0].version == refused.version:
            return None
        return cached[0]

    def _adopt(self, token: Token) -> Token:
        margin = min(self._margin, token.lifetime / 2)
        self._cached = (token, self._clock() + token.ttl - margin)
        self._redact.add(token.value)
        return token

    def _good(self, token: Token | None, refused: Token | None) -> bool:
        if token is None or (refused is not None and token.version == refused.version):
            return False
        return token.ttl > min(self._margin, token.lifetime / 2)

    def _fresh_token(self, *, refused: Token | None, extensions: dict[str, Any] | None) -> _Flow:
        token = self._usable(refused)
        if token is not None:
            return token  # the fast path: no lock, no store
        yield _LOCK
        cached = self._cached
        if refused is not None and cached is not None and cached[0].version == refused.version:
            self._cached = None
            yield _Store("invalidate", (self._key, refused.version))
        # Another caller may have fetched while this one waited for the lock.
        token = self._usable(refused)
        if token is None:
            token = yield from self._token_from_store_or_server(refused, extensions)
        yield _UNLOCK
        return token

    def _token_from_store_or_server(
        self, refused: Token | None, extensions: dict[str, Any] | None
    ) -> _Flow:
        stored = yield _Store("get", (self._key,))
        if self._good(stored, refused):
            return self._adopt(stored)
        while True:
            lease = yield _Store("acquire_lease", (self._key, TOKEN_LEASE_TTL))
            if lease is not None:
                break
            # Another process is fetching: wait for its token (its lease expires if it died).
            yield _Sleep(TOKEN_LEASE_POLL)
            stored = yield _Store("get", (self._key,))
            if self._good(stored, refused):
                return self._adopt(stored)
        # It may have put its token between the first look and the lease.
        stored = yield _Store("get", (self._key,))
        if self._good(stored, refused):
            yield _Store("release_lease", (self._key, lease))
            return self._adopt(stored)
        response = yield self._token_request(extensions)
        value, lifetime = self._parse_token_response(response)
        stored = yield _Store("put", (self._key, value, lifetime))
        yield _Store("release_lease", (self._key, lease))
        logger.debug("fetched an app access token for %s, valid %ds", self._app_id, lifetime)
        return self._adopt(stored)

    def _token_request(self, extensions: dict[str, Any] | None) -> httpx.Request:
        if self._build_request is None:
            raise RuntimeError("TokenAuth.bind() was not called")
        self.token_requests += 1
        logger.debug("requesting an app access token for %s", self._app_id)
        return self._build_request(
            "POST",
            TOKEN_PATH,
            json={"app_id": self._app_id, "secret": self._secret},
            extensions=dict(extensions) if extensions else None,
        )

    def _parse_token_response(self, response: httpx.Response) -> tuple[str, float]:
        if not response.is_success:
            # FC_INVALID_SECRET, FC_APP_NOT_FOUND, FC_APP_NOT_PUBLISHED: raised here, never
            # replayed; a 5xx is raised too and the caller's retry policy decides.
            raise api_error_from_response(response, redact=self._redact)
        try:
            body = response.json()
            value = body["app_access_token"]
            lifetime = body["expires_in"]
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidResponseError(
                f"the token response is not a token (HTTP {response.status_code})",
                response=response,
            ) from exc
        if not isinstance(value, str) or not value:
            raise InvalidResponseError("the token response has no app_access_token")
        if isinstance(lifetime, bool) or not isinstance(lifetime, int | float) or lifetime <= 0:
            raise InvalidResponseError(f"the token response has expires_in={lifetime!r}")
        return value, float(lifetime)

    # ---- the drivers: the only I/O ------------------------------------------------------------

    # httpx drives these two: each returns the generator of the requests to send.

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        return self.run_sync(self.request_flow(request), [])

    def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        return self.run_async(self.request_flow(request), [])

    def run_sync(self, flow: _Flow, result: list[Any]) -> Generator[httpx.Request, httpx.Response]:
        """Carry out `flow`'s effects with blocking calls; yield its requests; its return value
        is appended to `result`."""
        locked = False
        leases: dict[str, str] = {}
        try:
            with Steps(flow) as steps:
                for effect in steps:
                    if isinstance(effect, httpx.Request):
                        response = yield effect
                        response.read()
                        steps.answer(response)
                    elif isinstance(effect, _Lock):
                        self._thread_lock.acquire()
                        locked = True
                    elif isinstance(effect, _Unlock):
                        self._thread_lock.release()
                        locked = False
                    elif isinstance(effect, _Sleep):
                        time.sleep(effect.seconds)
                    else:
                        value = getattr(self._store, effect.method)(*effect.args)
                        if inspect.isawaitable(value):
                            if inspect.iscoroutine(value):
                                value.close()
                            raise TypeError("FinChat needs a TokenStore with blocking methods")
                        _track_lease(leases, effect, value)
                        steps.answer(value)
            result.append(steps.result)
        finally:
            try:
                for key, lease in leases.items():
                    self._store.release_lease(key, lease)
            finally:
                if locked:
                    self._thread_lock.release()

    async def run_async(
        self, flow: _Flow, result: list[Any]
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """`run_sync` for the event loop: awaits the lock, the store and sleeps."""
        import asyncio

        lock: asyncio.Lock | None = None
        leases: dict[str, str] = {}
        try:
            with Steps(flow) as steps:
                for effect in steps:
                    if isinstance(effect, httpx.Request):
                        response = yield effect
                        await response.aread()
                        steps.answer(response)
                    elif isinstance(effect, _Lock):
                        candidate = self._loop_lock()
                        await candidate.acquire()
                        lock = candidate
                    elif isinstance(effect, _Unlock):
                        if lock is not None:
                            lock.release()
                        lock = None
                    elif isinstance(effect, _Sleep):
                        await asyncio.sleep(effect.seconds)
                    else:
                        value = getattr(self._store, effect.method)(*effect.args)
                        if inspect.isawaitable(value):
                            value = await value
                        _track_lease(leases, effect, value)
                        steps.answer(value)
            result.append(steps.result)
        finally:
            try:
                for key, lease in leases.items():
                    released = self._store.release_lease(key, lease)
                    if inspect.isawaitable(released):
                        await released
            finally:
                if lock is not None:
                    lock.release()

    def _loop_lock(self) -> asyncio.Lock:
        # An asyncio.Lock belongs to one event loop; a client may be used from several in turn.
        import asyncio

        loop = asyncio.get_running_loop()
        with self._loop_locks_guard:
            lock = self._loop_locks.get(loop)
            if lock is None:
                lock = self._loop_locks[loop] = asyncio.Lock()
            return lock


def _track_lease(leases: dict[str, str], effect: _Store, value: Any) -> None:
    """Remember held leases, so a driver interrupted by an error or a cancellation frees them."""
    if effect.method == "acquire_lease" and value is not None:
        leases[effect.args[0]] = value
    elif effect.method == "release_lease":
        leases.pop(effect.args[0], None)
