"""`FinChat` and `AsyncFinChat`: configuration, the request loop (auth, errors, retries), areas.

Everything that decides is shared (`_BaseClient` with its `_retry_delay`, `TokenAuth.request_flow`,
`decide_retry`, `api_error_from_response`, the builders of `_operations`); each class holds only
its I/O: the attempt of `_request`, the waiting of `_retrying`, the token request's driver and the
context-manager methods. The two constructors repeat their arguments on purpose: each takes its
own kind of transport, httpx client and token store, and has its own areas (properties made
on first use, see `_area`), so that both classes have precise signatures.

`_request(call) -> httpx.Response` is the internal entry point for hand-written operations (bulk
sends, streaming uploads): it sends `call` with a fresh token, replays once on a refused token,
retries what `call.operation.safe` allows, and raises a `FinChatError` for every non-2xx answer
and transport failure. `_call(call)` adds parsing into the generated model.
"""

from __future__ import annotations

import http.cookiejar
import inspect
import math
import os
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

import httpx

from ._auth import AsyncTokenStore, MemoryTokenStore, Token, TokenAuth, TokenStore
from ._checks import check_concurrency
from ._constants import (
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_SEND_CONCURRENCY,
    DEFAULT_TIMEOUT,
    DEFAULT_TOKEN_REFRESH_MARGIN,
    ENV_APP_ID,
    ENV_BASE_URL,
    ENV_SECRET,
    TOKEN_PATH,
)
from ._deadline import DEADLINE_EXTENSION, Deadline
from ._errors import (
    APIError,
    FinChatError,
    InvalidResponseError,
    api_error_from_response,
    transport_error_from,
)
from ._guard import ResponseGuard
from ._ids import validate_app_id
from ._logging import Redactor, logger
from ._net import is_loopback
from ._operations import GET_APP_ACCESS_TOKEN, Call, import_generated
from ._retry import RetryPolicy, decide_retry
from ._shapes import conforms

if TYPE_CHECKING:
    import finchat_openapi

    from ._areas import (
        Apps,
        AsyncApps,
        AsyncAuth,
        AsyncContacts,
        AsyncEvents,
        AsyncMedia,
        AsyncMessages,
        AsyncRooms,
        AsyncUsers,
        AsyncWebhooks,
        Auth,
        Contacts,
        Events,
        Media,
        Messages,
        Rooms,
        Users,
        Webhooks,
    )
    from ._bulk import SendLimits

__all__ = ["AsyncFinChat", "FinChat"]

T = TypeVar("T")
R = TypeVar("R")
_H = TypeVar("_H", httpx.Client, httpx.AsyncClient)
_MAX_CACHED_URLS = 1024
# What a token fetch is, for the retry decision: safe to repeat.
_TOKEN_CALL: Call[Any] = Call(GET_APP_ACCESS_TOKEN, TOKEN_PATH)
# What an attempt may raise that the retry decision judges (anything else is a bug: raised as is).
_ATTEMPT_ERRORS = (httpx.DecodingError, httpx.TransportError, FinChatError)


class _KeepNoCookies(http.cookiejar.CookieJar):
    """The cookie jar of the clients `FinChat` makes: it keeps no cookie an answer sets.

    The API authenticates with a bearer token; a cookie a server or a proxy in front of it sets
    is not part of it, and is neither kept nor sent back. Reading each answer's `Set-Cookie`
    headers into a jar also cost a fifth of a small call's time. Cookies set by hand on
    `http_client.cookies` are still sent; a caller's own `http_client` keeps its jar.
    """

    def extract_cookies(self, response: Any, request: Any) -> None:
        return None


def _check_base_url(base_url: str | httpx.URL, *, allow_insecure_http: bool) -> httpx.URL:
    try:
        url = httpx.URL(base_url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ValueError(f"base_url is not a URL: {exc}") from None
    if url.userinfo:
        raise ValueError("base_url must not carry credentials")  # nor show them in a message
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"base_url must be an absolute http(s) URL, not {str(base_url)!r}")
    if url.query or url.fragment:
        raise ValueError("base_url must not have a query or a fragment")
    if url.scheme == "http" and not allow_insecure_http and not is_loopback(url.host):
        raise ValueError(
            f"base_url {str(url)!r} is plain http: tokens and the secret would cross the network "
            "in clear. Use https, or pass allow_insecure_http=True for a trusted network."
        )
    return url


def _check_timeout(timeout: float | httpx.Timeout) -> httpx.Timeout:
    if timeout is None:
        raise ValueError("timeout=None would wait forever on a hung server; give seconds")
    if isinstance(timeout, httpx.Timeout):
        parts = timeout.as_dict()
        if any(value is None for value in parts.values()):
            missing = ", ".join(name for name, value in parts.items() if value is None)
            raise ValueError(f"every timeout must be set; no limit for: {missing}")
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise TypeError(f"timeout must be seconds or an httpx.Timeout, not {timeout!r}")
    if not math.isfinite(timeout) or timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    return httpx.Timeout(timeout)


def _is_token_request(request: httpx.Request | None) -> bool:
    return request is not None and request.url.path.endswith(TOKEN_PATH)


def _failed_request(error: BaseException) -> httpx.Request | None:
    """The request that failed, if known: for a token failure it is the token request."""
    if isinstance(error, APIError | InvalidResponseError) and error.response is not None:
        return error.response.request
    if isinstance(error, httpx.TransportError):
        try:
            return error.request
        except RuntimeError:
            return None
    return None


class _BaseClient:
    """Configuration and every decision shared by `FinChat` and `AsyncFinChat`."""

    def __init__(
        self,
        app_id: str,
        secret: str,
        *,
        base_url: str | httpx.URL,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        token_store: TokenStore | AsyncTokenStore | None = None,
        token_refresh_margin: float = DEFAULT_TOKEN_REFRESH_MARGIN,
        allow_insecure_http: bool = False,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app_id = validate_app_id(app_id)
        if not isinstance(secret, str) or not secret:
            raise ValueError("secret must be a non-empty string")
        self.base_url = _check_base_url(base_url, allow_insecure_http=allow_insecure_http)
        self.timeout = _check_timeout(timeout)
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be an int >= 0, not {max_retries!r}")
        self.max_retries = max_retries
        self.retry_policy = retry_policy if retry_policy is not None else RetryPolicy()
        if not isinstance(token_refresh_margin, int | float) or not token_refresh_margin >= 0:
            raise ValueError(f"token_refresh_margin must be >= 0, not {token_refresh_margin!r}")
        if (
            isinstance(max_response_bytes, bool)
            or not isinstance(max_response_bytes, int)
            or max_response_bytes < 1
        ):
            raise ValueError(f"max_response_bytes must be an int >= 1, not {max_response_bytes!r}")
        self.max_response_bytes = max_response_bytes
        self._guard = ResponseGuard(max_response_bytes)
        self._clock = clock
        self._redactor = Redactor(secret)
        self.token_store = token_store if token_store is not None else MemoryTokenStore(clock=clock)
        self._auth = TokenAuth(
            app_id=self.app_id,
            secret=secret,
            key=f"{self.app_id}@{self.base_url}",
            store=self.token_store,
            refresh_margin=float(token_refresh_margin),
            clock=clock,
            redactor=self._redactor,
        )
        self._openapi: finchat_openapi.AuthenticatedClient | None = None
        self._urls: dict[str | tuple[str, tuple[tuple[str, str | int], ...]], httpx.URL] = {}
        self._areas: dict[str, Any] = {}
        # Reentrant: making `media` makes `messages`, whose limits it shares.
        self._areas_lock = threading.RLock()

    def _check_send_settings(self, limits: SendLimits | None, concurrency: int) -> None:
        # Checked now, though `client.messages` is made on first use (with its module).
        check_concurrency(concurrency)
        if limits is not None:
            from ._bulk import SendLimits

            if not isinstance(limits, SendLimits):
                raise TypeError(f"send_limits must be a SendLimits, not {type(limits).__name__}")
        self._send_limits = limits
        self._send_concurrency = concurrency

    def _area(self, name: str) -> Any:
        """The area `name` (`client.messages`, ...), made on first use: the areas' modules are
        most of `import finchat_wrapper` otherwise, and a bot uses a few of them."""
        area = self._areas.get(name)
        if area is None:
            with self._areas_lock:  # one area per client, whichever thread asks first
                area = self._areas.get(name)
                if area is None:
                    area = self._areas[name] = self._make_area(name)
        return area

    def _make_area(self, name: str) -> Any:
        raise NotImplementedError

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **kwargs: Any) -> Self:
        """A client configured by FINCHAT_APP_ID, FINCHAT_SECRET and FINCHAT_BASE_URL.

        Keyword arguments are passed on to the constructor (timeout, max_retries, ...).
        """
        env = os.environ if environ is None else environ
        missing = [name for name in (ENV_APP_ID, ENV_SECRET, ENV_BASE_URL) if not env.get(name)]
        if missing:
            raise ValueError(f"environment variable(s) not set: {', '.join(missing)}")
        return cls(env[ENV_APP_ID], env[ENV_SECRET], base_url=env[ENV_BASE_URL], **kwargs)

    def _open_http(self, kind: type[_H], http_client: _H | None, transport: Any) -> _H:
        """The httpx client of `kind` this one sends with: the caller's, fitted with our base
        URL, auth and guard, or one made here (and owned: closed with this client). Checked
        before anything is made, so a refused argument leaves nothing open."""
        if http_client is not None and transport is not None:
            raise ValueError("give transport or http_client, not both")
        if http_client is not None and not isinstance(http_client, kind):
            other = "httpx.AsyncClient" if kind is httpx.Client else "httpx.Client"
            twin = "AsyncFinChat" if kind is httpx.Client else "FinChat"
            raise TypeError(
                f"{type(self).__name__} needs an httpx.{kind.__name__} ({twin} takes {other})"
            )
        self._owns_http = http_client is None
        if http_client is None:
            http = kind(
                base_url=self.base_url,
                timeout=self.timeout,
                transport=transport,
                headers=self._headers(),
                cookies=_KeepNoCookies(),
                follow_redirects=False,
            )
        else:
            http = http_client
        return self._setup_http(http, owned=self._owns_http)

    def _setup_http(self, http: _H, *, owned: bool) -> _H:
        if not owned:
            # A caller's client gets our auth and base URL; its other settings stay its own.
            if str(http.base_url) not in ("", str(self.base_url)):
                raise ValueError(
                    f"http_client.base_url {str(http.base_url)!r} differs from base_url "
                    f"{str(self.base_url)!r}"
                )
            http.base_url = self.base_url
            if any(value is None for value in http.timeout.as_dict().values()):
                http.timeout = self.timeout
        # Redirects refused, bodies bounded, deadlines enforced: for every request it sends.
        self._guard.install(http)
        http.auth = self._auth
        self._auth.bind(http.build_request)
        return http

    def _headers(self) -> dict[str, str]:
        return {"User-Agent": "finchat-python"}

    def _retry_delay(
        self,
        call: Call[Any],
        error: httpx.DecodingError | httpx.TransportError | FinChatError,
        retries: int,
        deadline: Deadline,
    ) -> float:
        """Seconds to wait before retrying `call` after its attempt raised `error`; when it is not
        to be retried, raises what the caller sees instead. Every decision of both clients' retry
        loops: their `_retrying` only attempts and waits."""
        if isinstance(error, httpx.DecodingError):
            # The body arrived but its Content-Encoding is broken: an answer, not a transport
            # failure, and the same answer again if repeated.
            raise InvalidResponseError(
                f"{call.operation.name}: the answer could not be decoded ({error})"
            ) from error
        wrapped: FinChatError
        if isinstance(error, httpx.TransportError):
            if isinstance(error, httpx.TimeoutException) and deadline.expired():
                raise deadline.exceeded(call.operation.name) from error
            wrapped = transport_error_from(error)
        else:
            wrapped = error
        # A failure of the token request means the operation itself was never sent.
        safe = call.operation.safe or _is_token_request(_failed_request(error))
        delay = decide_retry(
            wrapped,
            safe=safe,
            retries_done=retries,
            max_retries=self.max_retries,
            elapsed=deadline.elapsed(),
            policy=self.retry_policy,
            now=time.time(),
        )
        if delay is None:
            if wrapped is error:
                raise error
            raise wrapped from error
        logger.info(
            "%s failed (%s: %s); retry %d of %d in %.2fs",
            call.operation.name,
            type(wrapped).__name__,
            self._redactor(str(wrapped)),
            retries + 1,
            self.max_retries,
            delay,
        )
        return delay

    def _build(
        self, http: httpx.Client | httpx.AsyncClient, call: Call[Any], deadline: Deadline
    ) -> httpx.Request:
        return http.build_request(
            call.operation.method,
            self._absolute_url(http.base_url, call.url, call.params),
            json=call.json,
            content=call.content,
            headers=call.headers,
            timeout=self._attempt_timeout(http.timeout, deadline),
            extensions={DEADLINE_EXTENSION: deadline},
        )

    def _token_extensions(
        self, http: httpx.Client | httpx.AsyncClient, deadline: Deadline
    ) -> dict[str, Any]:
        """What a token request made by `auth.token()` carries: its timeouts and the deadline."""
        timeout = self._attempt_timeout(http.timeout, deadline)
        return {"timeout": timeout.as_dict(), DEADLINE_EXTENSION: deadline}

    def _absolute_url(
        self, base_url: httpx.URL, path: str, params: Mapping[str, str | int] | None = None
    ) -> httpx.URL:
        """`path` with `params` under the base URL, as httpx would merge them; cached, since
        merging parses the URLs again on every request (a third of the client's time on a small
        call, and as much again for the query every read has: its `app_id`)."""
        key = (path, tuple(params.items())) if params else path
        url = self._urls.get(key)
        if url is None:
            if len(self._urls) >= _MAX_CACHED_URLS:  # paths with user ids are unbounded
                self._urls.clear()
            relative = httpx.URL(path).raw_path.lstrip(b"/")
            url = base_url.copy_with(raw_path=base_url.raw_path + relative)
            if params:
                url = url.copy_merge_params(params)
            self._urls[key] = url
        return url

    def _attempt_timeout(self, timeout: httpx.Timeout, deadline: Deadline) -> httpx.Timeout:
        """The client's timeouts, shortened so that no wait of an attempt outlives the deadline."""
        remaining = max(deadline.left(), 0.001)
        parts = timeout.as_dict()
        if all(value is not None and value <= remaining for value in parts.values()):
            return timeout
        capped = {k: remaining if v is None else min(v, remaining) for k, v in parts.items()}
        return httpx.Timeout(**capped)

    def _deadline(self) -> Deadline:
        return Deadline(self.retry_policy.deadline, self._clock)

    def _check_response(self, response: httpx.Response) -> httpx.Response:
        # Before any generated parsing: it crashes on an HTML 502 or a status like 520.
        if not response.is_success:
            raise api_error_from_response(response, redact=self._redactor)
        return response

    def _parse(self, call: Call[T], response: httpx.Response) -> T:
        operation = call.operation
        if response.status_code not in operation.statuses:
            # The generated parser would read it as an error envelope (the spec's `default`).
            raise InvalidResponseError(
                f"{operation.name}: undocumented status HTTP {response.status_code}",
                response=response,
            )
        try:
            parsed = operation.parse(client=self.openapi, response=response)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InvalidResponseError(
                f"{operation.name}: the HTTP {response.status_code} answer does not match the "
                f"spec ({type(exc).__name__}: {self._redactor(str(exc))[:200]})",
                response=response,
            ) from exc
        shape = operation.shape or conforms
        if parsed is None or not shape(parsed):
            raise InvalidResponseError(
                f"{operation.name}: the HTTP {response.status_code} answer does not match "
                f"the spec (a {type(parsed).__name__} of the wrong shape)",
                response=response,
            )
        return parsed

    @property
    def openapi(self) -> finchat_openapi.AuthenticatedClient:
        """The generated client, on this client's authenticated httpx client.

        Typed as the `AuthenticatedClient` every generated function takes, so that calls
        type-check. The token, its refresh, and the guard (no redirect followed, bounded bodies)
        hold for its requests, as for `http_client`'s. What it does not do: errors come back as
        values (an `Error` model, or `Response.status_code` with `*_detailed`), never raised;
        nothing is retried; `app_id` is passed by hand; answers are not checked beyond the
        generated parsing. The areas (`client.users`, ...) do all of that.
        """
        if self._openapi is None:
            generated = import_generated("finchat_openapi")
            # The token given here is never sent: the injected httpx client's auth sends the
            # current one (the generated client would fix the header once, at creation).
            client = generated.AuthenticatedClient(
                base_url=str(self.base_url), token="", timeout=self.timeout
            )
            self._openapi = self._attach_openapi(client)
        return self._openapi

    def _attach_openapi(
        self, client: finchat_openapi.AuthenticatedClient
    ) -> finchat_openapi.AuthenticatedClient:
        raise NotImplementedError

    @property
    def token_requests(self) -> int:
        """How many token requests this client has sent."""
        return self._auth.token_requests

    def __repr__(self) -> str:
        return f"{type(self).__name__}(app_id={self.app_id!r}, base_url={str(self.base_url)!r})"


class FinChat(_BaseClient):
    """The FinChat open-platform API, blocking. Thread-safe; one pooled connection set.

    >>> with FinChat(app_id, secret, base_url="https://finchat.example.org") as client:
    ...     client.messages.send({"msgtype": "m.text", "body": "hi"}, room_ids=["!r:example.org"])

    Arguments (all but the credentials keyword-only; `AsyncFinChat` takes the same):
    - `base_url`: https, or http to a loopback host; `allow_insecure_http=True` lifts that.
    - `timeout`: seconds or an `httpx.Timeout` with every part set (never "no timeout").
    - `max_retries`: retries of a failed call that is safe to repeat (0: none);
      `retry_policy` sets the backoff, the overall deadline and the testing switch.
    - `token_store`: where tokens live (default: this client's memory); share one to share
      tokens. `token_refresh_margin`: seconds before expiry a token is replaced.
    - `transport` (any httpx transport: mock, ASGI, the sandbox's) or `http_client` (a caller's
      httpx client, which gets this client's auth, base URL and response guard, with
      `follow_redirects=False`, and stays open on `close()`).
    - `send_limits`, `send_concurrency`: recipients per request, and requests in flight, of the
      bulk sends of `client.messages` (see `_areas._sending`).
    - `max_response_bytes`: the largest answer body read, counted decompressed (`_guard`); no
      request follows a redirect, and `retry_policy.deadline` holds while a body is read.
    - `clock`: the monotonic clock of token expiry and deadlines (tests move it by hand).
    """

    def __init__(
        self,
        app_id: str,
        secret: str,
        *,
        base_url: str | httpx.URL,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        token_store: TokenStore | None = None,
        token_refresh_margin: float = DEFAULT_TOKEN_REFRESH_MARGIN,
        allow_insecure_http: bool = False,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        send_limits: SendLimits | None = None,
        send_concurrency: int = DEFAULT_SEND_CONCURRENCY,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(
            app_id,
            secret,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
            token_store=token_store,
            token_refresh_margin=token_refresh_margin,
            allow_insecure_http=allow_insecure_http,
            max_response_bytes=max_response_bytes,
            clock=clock,
        )
        if inspect.iscoroutinefunction(getattr(self.token_store, "get", None)):
            raise TypeError("FinChat needs a TokenStore with blocking methods, not an async one")
        self._check_send_settings(send_limits, send_concurrency)
        self._http = self._open_http(httpx.Client, http_client, transport)

    # ---- the areas, made on first use (see `_area`) ----------------------------------------
    @property
    def messages(self) -> Messages:
        """Messages as the bot or a user, CUI card updates, to any number of recipients."""
        area: Messages = self._area("messages")
        return area

    @property
    def media(self) -> Media:
        """Uploads, and images and files sent as messages."""
        area: Media = self._area("media")
        return area

    @property
    def webhooks(self) -> Webhooks:
        """Messages sent as the app's webhook bots."""
        area: Webhooks = self._area("webhooks")
        return area

    @property
    def rooms(self) -> Rooms:
        """The app's group rooms."""
        area: Rooms = self._area("rooms")
        return area

    @property
    def users(self) -> Users:
        """User profiles and friendships."""
        area: Users = self._area("users")
        return area

    @property
    def contacts(self) -> Contacts:
        """The enterprise directory."""
        area: Contacts = self._area("contacts")
        return area

    @property
    def apps(self) -> Apps:
        """The app's direct rooms and visibility."""
        area: Apps = self._area("apps")
        return area

    @property
    def auth(self) -> Auth:
        """The app access token."""
        area: Auth = self._area("auth")
        return area

    @property
    def events(self) -> Events:
        """Events pulled from the forwarder."""
        area: Events = self._area("events")
        return area

    def _make_area(self, name: str) -> Any:
        from . import _areas

        if name == "messages":
            return _areas.Messages(
                self, limits=self._send_limits, concurrency=self._send_concurrency
            )
        if name == "media":
            return _areas.Media(self, self.messages)
        return getattr(_areas, name.capitalize())(self)

    @property
    def http_client(self) -> httpx.Client:
        """The authenticated httpx client (requests through it get a token, no retries)."""
        return self._http

    def _attach_openapi(
        self, client: finchat_openapi.AuthenticatedClient
    ) -> finchat_openapi.AuthenticatedClient:
        return client.set_httpx_client(self._http)

    def _request(self, call: Call[Any]) -> httpx.Response:
        """Send `call`: token, one replay on a refused token, retries, errors. See module doc."""
        return self._retrying(
            call,
            lambda deadline: self._check_response(
                self._http.send(self._build(self._http, call, deadline), follow_redirects=False)
            ),
        )

    def _call(self, call: Call[T]) -> T:
        return self._parse(call, self._request(call))

    def _retrying(self, call: Call[Any], attempt: Callable[[Deadline], R]) -> R:
        """`attempt(deadline)` until it succeeds or the retry decision says raise."""
        deadline = self._deadline()
        retries = 0
        while True:
            try:
                return attempt(deadline)
            except _ATTEMPT_ERRORS as exc:
                delay = self._retry_delay(call, exc, retries, deadline)
            if self.retry_policy.sleep and delay > 0:
                time.sleep(delay)
            retries += 1

    def _token(self, *, refresh: bool) -> Token:
        return self._retrying(_TOKEN_CALL, lambda deadline: self._token_once(refresh, deadline))

    def _token_once(self, refresh: bool, deadline: Deadline) -> Token:
        result: list[Token] = []
        extensions = self._token_extensions(self._http, deadline)
        flow = self._auth.token_flow(refresh=refresh, extensions=extensions)
        driver = self._auth.run_sync(flow, result)
        try:
            request = next(driver)
            while True:
                response = self._http.send(request, auth=None, follow_redirects=False)
                request = driver.send(response)
        except StopIteration:
            return result[0]
        finally:
            driver.close()

    def close(self) -> None:
        """Close the connection pool (not a caller's own http_client)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncFinChat(_BaseClient):
    """The FinChat open-platform API for asyncio; the same areas and methods as `FinChat`."""

    def __init__(
        self,
        app_id: str,
        secret: str,
        *,
        base_url: str | httpx.URL,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        token_store: TokenStore | AsyncTokenStore | None = None,
        token_refresh_margin: float = DEFAULT_TOKEN_REFRESH_MARGIN,
        allow_insecure_http: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        send_limits: SendLimits | None = None,
        send_concurrency: int = DEFAULT_SEND_CONCURRENCY,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(
            app_id,
            secret,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
            token_store=token_store,
            token_refresh_margin=token_refresh_margin,
            allow_insecure_http=allow_insecure_http,
            max_response_bytes=max_response_bytes,
            clock=clock,
        )
        self._check_send_settings(send_limits, send_concurrency)
        self._http = self._open_http(httpx.AsyncClient, http_client, transport)

    # ---- the areas, made on first use (see `_area`) ----------------------------------------
    @property
    def messages(self) -> AsyncMessages:
        """Messages as the bot or a user, CUI card updates, to any number of recipients."""
        area: AsyncMessages = self._area("messages")
        return area

    @property
    def media(self) -> AsyncMedia:
        """Uploads, and images and files sent as messages."""
        area: AsyncMedia = self._area("media")
        return area

    @property
    def webhooks(self) -> AsyncWebhooks:
        """Messages sent as the app's webhook bots."""
        area: AsyncWebhooks = self._area("webhooks")
        return area

    @property
    def rooms(self) -> AsyncRooms:
        """The app's group rooms."""
        area: AsyncRooms = self._area("rooms")
        return area

    @property
    def users(self) -> AsyncUsers:
        """User profiles and friendships."""
        area: AsyncUsers = self._area("users")
        return area

    @property
    def contacts(self) -> AsyncContacts:
        """The enterprise directory."""
        area: AsyncContacts = self._area("contacts")
        return area

    @property
    def apps(self) -> AsyncApps:
        """The app's direct rooms and visibility."""
        area: AsyncApps = self._area("apps")
        return area

    @property
    def auth(self) -> AsyncAuth:
        """The app access token."""
        area: AsyncAuth = self._area("auth")
        return area

    @property
    def events(self) -> AsyncEvents:
        """Events pulled from the forwarder."""
        area: AsyncEvents = self._area("events")
        return area

    def _make_area(self, name: str) -> Any:
        from . import _areas

        if name == "messages":
            return _areas.AsyncMessages(
                self, limits=self._send_limits, concurrency=self._send_concurrency
            )
        if name == "media":
            return _areas.AsyncMedia(self, self.messages)
        return getattr(_areas, "Async" + name.capitalize())(self)

    @property
    def http_client(self) -> httpx.AsyncClient:
        """The authenticated httpx client (requests through it get a token, no retries)."""
        return self._http

    def _attach_openapi(
        self, client: finchat_openapi.AuthenticatedClient
    ) -> finchat_openapi.AuthenticatedClient:
        return client.set_async_httpx_client(self._http)

    async def _request(self, call: Call[Any]) -> httpx.Response:
        """Send `call`: token, one replay on a refused token, retries, errors. See module doc."""

        async def attempt(deadline: Deadline) -> httpx.Response:
            request = self._build(self._http, call, deadline)
            async with deadline.enforced(call.operation.name):
                response = await self._http.send(request, follow_redirects=False)
            return self._check_response(response)

        return await self._retrying(call, attempt)

    async def _call(self, call: Call[T]) -> T:
        return self._parse(call, await self._request(call))

    async def _retrying(self, call: Call[Any], attempt: Callable[[Deadline], Awaitable[R]]) -> R:
        """`await attempt(deadline)` until it succeeds or the retry decision says raise."""
        deadline = self._deadline()
        retries = 0
        while True:
            try:
                return await attempt(deadline)
            except _ATTEMPT_ERRORS as exc:
                delay = self._retry_delay(call, exc, retries, deadline)
            if self.retry_policy.sleep and delay > 0:
                import asyncio  # here, not at the top: importing asyncio is slow

                await asyncio.sleep(delay)
            retries += 1

    async def _token(self, *, refresh: bool) -> Token:
        return await self._retrying(
            _TOKEN_CALL, lambda deadline: self._token_once(refresh, deadline)
        )

    async def _token_once(self, refresh: bool, deadline: Deadline) -> Token:
        result: list[Token] = []
        extensions = self._token_extensions(self._http, deadline)
        flow = self._auth.token_flow(refresh=refresh, extensions=extensions)
        driver = self._auth.run_async(flow, result)
        try:
            async with deadline.enforced(_TOKEN_CALL.operation.name):
                try:
                    request = await driver.__anext__()
                    while True:
                        response = await self._http.send(request, auth=None, follow_redirects=False)
                        request = await driver.asend(response)
                except StopAsyncIteration:
                    pass
        finally:
            await driver.aclose()
        return result[0]

    async def aclose(self) -> None:
        """Close the connection pool (not a caller's own http_client)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
