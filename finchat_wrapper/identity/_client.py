"""`IdentityClient` and `AsyncIdentityClient`: the flows of `_flow.py` carried out with httpx.

Each method starts a flow and runs it: requests go out on the client's own httpx client, which
never follows a redirect, and answers are read up to `max_response_bytes` (`_Body`); keyed locks
are threading locks here and asyncio locks in the async client. Nothing else differs. The
constructor is written once, generic in the kind of transport, so that each client's is precisely
typed; the two classes repeat their methods' signatures on purpose (each returns plainly or
awaitably, precisely typed), and each method is one flow of `IdentityCore` handed to `_run`.
"""

from __future__ import annotations

import abc
import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import httpx

from .._constants import DEFAULT_TIMEOUT, ENV_APP_ID, ENV_BASE_URL, ENV_SECRET
from .._errors import transport_error_from
from .._steps import Steps
from ._errors import IdentityError
from ._flow import (
    DEFAULT_AUTHORIZATION_TTL,
    DEFAULT_SCOPE,
    Answer,
    BuildRequest,
    Flow,
    IdentityCore,
    Lock,
    Unlock,
)
from ._models import Authorization, ProviderMetadata, UserSession
from ._urls import check_endpoint

if TYPE_CHECKING:
    import asyncio

    from finchat_iam_openapi.models import UserInfo

__all__ = ["AsyncIdentityClient", "IdentityClient"]

# Refresh an access token this long before it expires (clamped by nothing: IAM access tokens
# live minutes, and a request must not start with one that dies in flight).
DEFAULT_REFRESH_MARGIN = 30.0
# Clock skew tolerated on the id_token's exp and iat.
DEFAULT_LEEWAY = 60.0
# A token rotation makes every client refetch once; more often than this is refused.
DEFAULT_JWKS_REFETCH_INTERVAL = 30.0
DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024


# The kind of transport a client takes.
T = TypeVar("T", httpx.BaseTransport, httpx.AsyncBaseTransport)


class _BaseIdentityClient(abc.ABC, Generic[T]):
    """The constructor and everything but the flows' drivers, shared by both clients."""

    _core: IdentityCore
    # A fresh lock of the kind the client's driver takes (a threading or an asyncio lock).
    _new_lock: Callable[[], Any]

    def __init__(
        self,
        app_id: str,
        secret: str,
        *,
        base_url: str | httpx.URL | None = None,
        iam_url: str | None = None,
        issuer: str | None = None,
        realm: str = "master",
        scope: str = DEFAULT_SCOPE,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        transport: T | None = None,
        clock: Callable[[], float] = time.time,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        leeway: float = DEFAULT_LEEWAY,
        authorization_ttl: float = DEFAULT_AUTHORIZATION_TTL,
        jwks_refetch_interval: float = DEFAULT_JWKS_REFETCH_INTERVAL,
        allow_insecure_http: bool = False,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        url = None
        if base_url is not None:
            check_endpoint(str(base_url), "base_url", allow_insecure_http=allow_insecure_http)
            url = httpx.URL(str(base_url))
        if max_response_bytes < 1024:
            raise ValueError("max_response_bytes must be at least 1024")
        self._max_bytes = max_response_bytes
        self._core = IdentityCore(
            app_id=app_id,
            secret=secret,
            base_url=url,
            iam_url=iam_url,
            issuer=issuer,
            realm=realm,
            scope=scope,
            clock=clock,
            refresh_margin=refresh_margin,
            leeway=leeway,
            authorization_ttl=authorization_ttl,
            jwks_refetch_interval=jwks_refetch_interval,
            allow_insecure_http=allow_insecure_http,
        )
        self._locks = _KeyedLocks(self._new_lock)
        # Opened once every setting is accepted, so that a refused one leaves nothing open.
        self._core.bind(self._open(timeout, transport))

    @abc.abstractmethod
    def _open(self, timeout: float | httpx.Timeout, transport: T | None) -> BuildRequest:
        """Open the client's own httpx client (never following a redirect); its `build_request`."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **kwargs: Any) -> Self:
        """Built from FINCHAT_APP_ID, FINCHAT_SECRET and FINCHAT_BASE_URL (the FinChat host)."""
        env = os.environ if environ is None else environ
        missing = [n for n in (ENV_APP_ID, ENV_SECRET, ENV_BASE_URL) if not env.get(n)]
        if missing:
            raise ValueError(f"missing environment variables: {', '.join(missing)}")
        # Each concrete client has its own constructor (its own httpx client kind).
        factory: Any = cls
        client: Self = factory(
            env[ENV_APP_ID], env[ENV_SECRET], base_url=env[ENV_BASE_URL], **kwargs
        )
        return client

    @property
    def app_id(self) -> str:
        return self._core.app_id

    @property
    def jwks_fetches(self) -> int:
        """How many JWKS documents this client has loaded."""
        return self._core.keys.fetches

    @property
    def token_requests(self) -> Mapping[str, int]:
        """Token requests sent, by grant type (authorization_code, refresh_token)."""
        return dict(self._core.token_requests)

    def latest(self, session: UserSession) -> UserSession:
        """The newest generation of `session` this client has seen: after a refresh by another
        request of the same user, the refreshed one."""
        return self._core.latest(session)

    def needs_refresh(self, session: UserSession) -> bool:
        """Whether `session`'s access token is within the refresh margin of its expiry."""
        return not self._core.is_fresh(self._core.latest(session))

    def forget(self, session: UserSession) -> None:
        """Drop what the client remembers of a session (call on sign-out)."""
        self._core.forget(session)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(app_id={self._core.app_id!r})"


class _Body:
    """One answer's body, collected up to the client's limit; no I/O."""

    __slots__ = ("_chunks", "_limit", "_request", "_size")

    def __init__(self, request: httpx.Request, limit: int) -> None:
        self._request = request
        self._limit = limit
        self._chunks: list[bytes] = []
        self._size = 0

    def add(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > self._limit:
            request = self._request
            raise IdentityError(
                f"{request.method} {request.url.path}: the answer exceeds {self._limit} bytes"
            )
        self._chunks.append(chunk)

    def answer(self, response: httpx.Response) -> Answer:
        return Answer(
            response.status_code,
            response.headers,
            b"".join(self._chunks),
            str(response.request.url),
        )


class _KeyedLocks:
    """One lock per key, dropped when nobody holds or waits for it (keys are per session)."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[Any, int]] = {}

    def get(self, key: str) -> Any:
        with self._guard:
            lock, users = self._locks.get(key, (None, 0))
            if lock is None:
                lock = self._factory()
            self._locks[key] = (lock, users + 1)
            return lock

    def done(self, key: str) -> None:
        with self._guard:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def holding(self) -> _Held:
        return _Held(self)


class _Held:
    """The keyed locks one run of a flow holds; `with` releases what is left, last taken first."""

    def __init__(self, locks: _KeyedLocks) -> None:
        self._locks = locks
        self._held: list[tuple[str, Any]] = []

    @contextlib.contextmanager
    def acquiring(self, key: str) -> Iterator[Any]:
        """The lock of `key`, for the driver to acquire inside the block (blocking or awaited);
        held from then on, or not at all if the acquire was interrupted."""
        lock = self._locks.get(key)
        try:
            yield lock
        except BaseException:
            self._locks.done(key)
            raise
        self._held.append((key, lock))

    def release(self, key: str) -> None:
        for index in range(len(self._held) - 1, -1, -1):
            if self._held[index][0] == key:
                _, lock = self._held.pop(index)
                lock.release()
                self._locks.done(key)
                return

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        while self._held:
            self.release(self._held[-1][0])


class IdentityClient(_BaseIdentityClient[httpx.BaseTransport]):
    """Sign users of a web app in with FinChat (OpenID Connect authorization code flow).

        identity = IdentityClient(app_id, secret, base_url="https://finchat.example.com")
        started = identity.authorization_url("https://app.example.com/callback")
        # keep started.to_dict() (e.g. in a signed cookie), redirect the browser to started.url
        session = identity.callback(request.query_params, redirect_uri=..., authorization=...)
        session.user.fcid, session.user.name
        session = identity.refresh(session)        # only when the access token is due
        info = identity.userinfo(session)

    Give the FinChat host as `base_url` (the IAM is found with iam-info), the IAM's URL as
    iam-info names it (`iam_url`), or any OpenID provider's `issuer`. Thread-safe.
    """

    _new_lock = staticmethod(threading.Lock)

    def _open(
        self, timeout: float | httpx.Timeout, transport: httpx.BaseTransport | None
    ) -> BuildRequest:
        self._http = httpx.Client(timeout=timeout, transport=transport, follow_redirects=False)
        return self._http.build_request

    def metadata(self) -> ProviderMetadata:
        """The IAM's OpenID configuration (fetched once, with iam-info when needed)."""
        result: ProviderMetadata = self._run(self._core.metadata_flow())
        return result

    def authorization_url(
        self,
        redirect_uri: str,
        *,
        scope: str | None = None,
        login_hint: str | None = None,
        prompt: str | None = None,
        extra: Mapping[str, str] | None = None,
    ) -> Authorization:
        """Start a sign-in: where to send the user, and what to keep until the callback."""
        result: Authorization = self._run(
            self._core.authorization_flow(
                redirect_uri, scope=scope, login_hint=login_hint, prompt=prompt, extra=extra
            )
        )
        return result

    def exchange(
        self, code: str, *, redirect_uri: str, state: str, authorization: Authorization
    ) -> UserSession:
        """Finish a sign-in: check `state` and `redirect_uri`, redeem the code, verify the
        id_token; the signed-in user's session."""
        result: UserSession = self._run(
            self._core.exchange_flow(
                code, redirect_uri=redirect_uri, state=state, authorization=authorization
            )
        )
        return result

    def callback(
        self, params: Mapping[str, str], *, redirect_uri: str, authorization: Authorization
    ) -> UserSession:
        """`exchange` from the callback's query parameters (an `error=` there raises)."""
        result: UserSession = self._run(
            self._core.callback_flow(params, redirect_uri=redirect_uri, authorization=authorization)
        )
        return result

    def refresh(self, session: UserSession, *, force: bool = False) -> UserSession:
        """A session whose access token is good for at least the refresh margin.

        Refreshes only when due (or with `force`); concurrent calls for one session share one
        refresh. SessionExpiredError when the refresh token has expired or was revoked.
        """
        result: UserSession = self._run(self._core.refresh_flow(session, force=force))
        return result

    def userinfo(self, session: UserSession) -> UserInfo:
        """The user's claims from the IAM's userinfo endpoint (refreshing first when due): the
        generated `UserInfo` of finchat-iam.yaml."""
        result: UserInfo = self._run(self._core.userinfo_flow(session))
        return result

    def _run(self, flow: Flow) -> Any:
        with self._locks.holding() as held, Steps(flow) as steps:
            for effect in steps:
                if isinstance(effect, httpx.Request):
                    steps.answer(self._send(effect))
                elif isinstance(effect, Lock):
                    with held.acquiring(effect.key) as lock:
                        lock.acquire()
                elif isinstance(effect, Unlock):
                    held.release(effect.key)
        return steps.result

    def _send(self, request: httpx.Request) -> Answer:
        body = _Body(request, self._max_bytes)
        try:
            response = self._http.send(request, stream=True, follow_redirects=False)
            try:
                for chunk in response.iter_bytes():
                    body.add(chunk)
            finally:
                response.close()
        except httpx.TransportError as exc:
            raise transport_error_from(exc) from exc
        return body.answer(response)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _asyncio_lock() -> asyncio.Lock:
    import asyncio

    return asyncio.Lock()


class AsyncIdentityClient(_BaseIdentityClient[httpx.AsyncBaseTransport]):
    """`IdentityClient` for asyncio: the same methods, awaited; safe across tasks of one loop."""

    _new_lock = staticmethod(_asyncio_lock)

    def _open(
        self, timeout: float | httpx.Timeout, transport: httpx.AsyncBaseTransport | None
    ) -> BuildRequest:
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport, follow_redirects=False)
        return self._http.build_request

    async def metadata(self) -> ProviderMetadata:
        result: ProviderMetadata = await self._run(self._core.metadata_flow())
        return result

    async def authorization_url(
        self,
        redirect_uri: str,
        *,
        scope: str | None = None,
        login_hint: str | None = None,
        prompt: str | None = None,
        extra: Mapping[str, str] | None = None,
    ) -> Authorization:
        result: Authorization = await self._run(
            self._core.authorization_flow(
                redirect_uri, scope=scope, login_hint=login_hint, prompt=prompt, extra=extra
            )
        )
        return result

    async def exchange(
        self, code: str, *, redirect_uri: str, state: str, authorization: Authorization
    ) -> UserSession:
        result: UserSession = await self._run(
            self._core.exchange_flow(
                code, redirect_uri=redirect_uri, state=state, authorization=authorization
            )
        )
        return result

    async def callback(
        self, params: Mapping[str, str], *, redirect_uri: str, authorization: Authorization
    ) -> UserSession:
        result: UserSession = await self._run(
            self._core.callback_flow(params, redirect_uri=redirect_uri, authorization=authorization)
        )
        return result

    async def refresh(self, session: UserSession, *, force: bool = False) -> UserSession:
        result: UserSession = await self._run(self._core.refresh_flow(session, force=force))
        return result

    async def userinfo(self, session: UserSession) -> UserInfo:
        result: UserInfo = await self._run(self._core.userinfo_flow(session))
        return result

    async def _run(self, flow: Flow) -> Any:
        with self._locks.holding() as held, Steps(flow) as steps:
            for effect in steps:
                if isinstance(effect, httpx.Request):
                    steps.answer(await self._send(effect))
                elif isinstance(effect, Lock):
                    with held.acquiring(effect.key) as lock:
                        await lock.acquire()
                elif isinstance(effect, Unlock):
                    held.release(effect.key)
        return steps.result

    async def _send(self, request: httpx.Request) -> Answer:
        body = _Body(request, self._max_bytes)
        try:
            response = await self._http.send(request, stream=True, follow_redirects=False)
            try:
                async for chunk in response.aiter_bytes():
                    body.add(chunk)
            finally:
                await response.aclose()
        except httpx.TransportError as exc:
            raise transport_error_from(exc) from exc
        return body.answer(response)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
