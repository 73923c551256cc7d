"""`SignIn`: login, callback and logout routes for any Starlette (or ASGI) app.

    identity = AsyncIdentityClient.from_env()
    signin = SignIn(identity, secret_key=os.environ["SESSION_KEY"])
    app = Starlette(routes=[Route("/", home), Mount("/auth", routes=signin.routes())])

    async def home(request):
        user = signin.user(request)       # who is signed in, from the cookie; None if nobody
        session = await signin.session(request)   # their tokens, refreshed when due

Cookies are JWTs signed (HS256, joserfc) with `secret_key`, HttpOnly, SameSite=Lax, Secure on
https. The session cookie holds who the user is and a session id; the tokens stay server-side in
a `SessionStore` (in memory by default), so they never reach the browser and concurrent requests
of one user share one refresh. The sign-in cookie holds the pending authorization (state, nonce,
PKCE verifier) for ten minutes and is deleted by the callback, whatever its outcome.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from html import escape
from typing import Any, Protocol, runtime_checkable

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from joserfc.jwt import JWTClaimsRegistry
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from .._errors import TransportError
from .._logging import logger
from ._client import AsyncIdentityClient
from ._errors import (
    AuthorizationDeniedError,
    CallbackError,
    IdentityError,
    SessionExpiredError,
)
from ._models import Authorization, User, UserSession

__all__ = ["MemorySessionStore", "SessionStore", "SignIn"]

_PENDING_TTL = 600
_DEFAULT_MAX_AGE = 8 * 3600
_MAX_SESSIONS = 100_000


@runtime_checkable
class SessionStore(Protocol):
    """Where `SignIn` keeps signed-in users' sessions (tokens), by `session_id`."""

    async def get(self, session_id: str) -> UserSession | None: ...
    async def put(self, session: UserSession) -> None: ...
    async def delete(self, session_id: str) -> None: ...


class MemorySessionStore:
    """Sessions of this process, the oldest dropped beyond `max_sessions`."""

    def __init__(self, max_sessions: int = _MAX_SESSIONS) -> None:
        self._max = max_sessions
        self._sessions: OrderedDict[str, UserSession] = OrderedDict()

    async def get(self, session_id: str) -> UserSession | None:
        return self._sessions.get(session_id)

    async def put(self, session: UserSession) -> None:
        known = self._sessions.get(session.session_id)
        if known is not None and known.generation > session.generation:
            return  # never replace a newer generation with an older one
        self._sessions[session.session_id] = session
        self._sessions.move_to_end(session.session_id)
        while len(self._sessions) > self._max:
            self._sessions.popitem(last=False)

    async def delete(self, session_id: str) -> None:
        self._sessions.pop(session_id, None)

    def __len__(self) -> int:
        return len(self._sessions)

    def __repr__(self) -> str:
        return f"MemorySessionStore(sessions={len(self._sessions)})"


def _cookie_user(user: User) -> dict[str, str]:
    # Who the user is, not the id_token's bookkeeping (nonce, aud, session ids): a small cookie.
    fields = {
        "sub": user.sub,
        "fcid": user.fcid,
        "name": user.name,
        "organization_id": user.organization_id,
        "email": user.email,
        "phone_number": user.phone_number,
    }
    return {name: value for name, value in fields.items() if value is not None}


def _safe_next(target: str | None, default: str) -> str:
    # Only a path of this site: never "//evil.example" or "https://...", an open redirect.
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def _message(title: str, text: str, status: int) -> HTMLResponse:
    body = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"</head><body><h1>{escape(title)}</h1><p>{escape(text)}</p>"
        "<p><a href='/'>Back</a></p></body></html>"
    )
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


class SignIn:
    """Sign in with FinChat for an ASGI app: `routes()` to mount, `user()` / `session()` to ask.

    `redirect_uri` is the callback's public URL when the app sits behind a proxy that changes the
    host or scheme; by default it is this request's URL with `/callback` for `/login`. It must be
    registered for the app at FinChat (the sandbox accepts any loopback URL).
    """

    def __init__(
        self,
        client: AsyncIdentityClient,
        *,
        secret_key: str | bytes,
        store: SessionStore | None = None,
        redirect_uri: str | None = None,
        after_sign_in: str = "/",
        after_sign_out: str = "/",
        cookie_name: str = "finchat_session",
        max_age: int = _DEFAULT_MAX_AGE,
        secure: bool | None = None,
        scope: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        raw = secret_key.encode() if isinstance(secret_key, str) else secret_key
        if len(raw) < 32:
            raise ValueError("secret_key must be at least 32 bytes (secrets.token_urlsafe(32))")
        self._key = OctKey.import_key(raw)
        self.client = client
        self.store: SessionStore = store if store is not None else MemorySessionStore()
        self._redirect_uri = redirect_uri
        self._after_sign_in = after_sign_in
        self._after_sign_out = after_sign_out
        self.cookie_name = cookie_name
        self.pending_cookie_name = f"{cookie_name}_signin"
        self._max_age = max_age
        self._secure = secure
        self._scope = scope
        self._clock = clock

    def __repr__(self) -> str:
        return f"SignIn(app_id={self.client.app_id!r}, cookie={self.cookie_name!r})"

    def routes(self) -> list[Route]:
        """`/login`, `/callback`, `/logout`: mount them anywhere (`Mount("/auth", routes=...)`)."""
        return [
            Route("/login", self.login, methods=["GET"], name="finchat_login"),
            Route("/callback", self.callback, methods=["GET"], name="finchat_callback"),
            Route("/logout", self.logout, methods=["GET", "POST"], name="finchat_logout"),
        ]

    # ---- asking who is signed in -------------------------------------------------------------
    def user(self, request: Request) -> User | None:
        """The signed-in user from the session cookie (no I/O); None if nobody or tampered."""
        claims = self._read(request.cookies.get(self.cookie_name), "session")
        if claims is None:
            return None
        try:
            return User.from_claims(claims["user"])
        except (KeyError, TypeError, ValueError):
            return None

    async def session(self, request: Request) -> UserSession | None:
        """The signed-in user's session, its access token refreshed when due; None if nobody is
        signed in or their IAM session has ended (they must sign in again)."""
        claims = self._read(request.cookies.get(self.cookie_name), "session")
        if claims is None or not isinstance(claims.get("sid"), str):
            return None
        stored = await self.store.get(claims["sid"])
        if stored is None:
            return None
        try:
            fresh = await self.client.refresh(stored)
        except SessionExpiredError:
            await self.store.delete(stored.session_id)
            self.client.forget(stored)
            return None
        if fresh is not stored:
            await self.store.put(fresh)
        return fresh

    # ---- the routes --------------------------------------------------------------------------
    async def login(self, request: Request) -> Response:
        redirect_uri = self._callback_uri(request)
        hint = request.query_params.get("login_hint")
        try:
            started = await self.client.authorization_url(
                redirect_uri, scope=self._scope, login_hint=hint
            )
        except (IdentityError, TransportError) as exc:
            logger.warning("sign-in could not start: %s", exc)
            return _message("Sign-in unavailable", "The FinChat IAM cannot be reached.", 502)
        except ValueError as exc:  # e.g. a plain-http callback URL off loopback
            logger.warning("sign-in could not start: %s; set SignIn(redirect_uri=...)", exc)
            return _message("Sign-in unavailable", "This app's sign-in is misconfigured.", 500)
        pending = {
            "typ": "signin",
            "authorization": started.to_dict(),
            "next": _safe_next(request.query_params.get("next"), self._after_sign_in),
        }
        response = RedirectResponse(
            started.url, status_code=302, headers={"Cache-Control": "no-store"}
        )
        self._set(response, request, self.pending_cookie_name, pending, _PENDING_TTL)
        return response

    async def callback(self, request: Request) -> Response:
        pending = self._read(request.cookies.get(self.pending_cookie_name), "signin")
        response: Response
        if pending is None:
            response = _message(
                "Sign-in failed", "No sign-in is in progress in this browser (or it expired).", 400
            )
        else:
            response = await self._finish(request, pending)
        response.delete_cookie(self.pending_cookie_name, path="/")
        return response

    async def _finish(self, request: Request, pending: dict[str, Any]) -> Response:
        try:
            authorization = Authorization.from_dict(pending["authorization"])
        except (KeyError, TypeError, ValueError):
            return _message("Sign-in failed", "The sign-in cookie is not readable.", 400)
        try:
            session = await self.client.callback(
                dict(request.query_params),
                redirect_uri=self._callback_uri(request),
                authorization=authorization,
            )
        except AuthorizationDeniedError as exc:
            return _message("Sign-in refused", f"The IAM refused the sign-in ({exc.error}).", 403)
        except CallbackError as exc:
            return _message("Sign-in failed", str(exc), 400)
        except (IdentityError, TransportError) as exc:
            logger.warning("sign-in failed at the IAM: %s", exc)
            return _message("Sign-in failed", "The FinChat IAM's answer was refused.", 502)
        await self.store.put(session)
        target = _safe_next(pending.get("next"), self._after_sign_in)
        response = RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})
        cookie = {"typ": "session", "sid": session.session_id, "user": _cookie_user(session.user)}
        self._set(response, request, self.cookie_name, cookie, self._max_age)
        return response

    async def logout(self, request: Request) -> Response:
        claims = self._read(request.cookies.get(self.cookie_name), "session")
        if claims is not None and isinstance(claims.get("sid"), str):
            stored = await self.store.get(claims["sid"])
            await self.store.delete(claims["sid"])
            if stored is not None:
                self.client.forget(stored)
        target = _safe_next(request.query_params.get("next"), self._after_sign_out)
        response = RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})
        response.delete_cookie(self.cookie_name, path="/")
        return response

    # ---- cookies -----------------------------------------------------------------------------
    def _callback_uri(self, request: Request) -> str:
        if self._redirect_uri is not None:
            return self._redirect_uri
        path = request.url.path
        base = path[: -len("/login")] if path.endswith("/login") else path.rsplit("/", 1)[0]
        return str(request.url.replace(path=f"{base}/callback", query=""))

    def _set(
        self, response: Response, request: Request, name: str, claims: dict[str, Any], ttl: int
    ) -> None:
        now = int(self._clock())
        token = jwt.encode({"alg": "HS256"}, {**claims, "iat": now, "exp": now + ttl}, self._key)
        secure = request.url.scheme == "https" if self._secure is None else self._secure
        response.set_cookie(
            name, token, max_age=ttl, path="/", secure=secure, httponly=True, samesite="lax"
        )

    def _read(self, value: str | None, typ: str) -> dict[str, Any] | None:
        if not value or len(value) > 8192:
            return None
        try:
            token = jwt.decode(value, self._key, algorithms=["HS256"])
            JWTClaimsRegistry(
                now=int(self._clock()),
                exp={"essential": True},
                typ={"essential": True, "value": typ},
            ).validate(token.claims)
        except (JoseError, ValueError, TypeError):
            return None
        return token.claims


def new_secret_key() -> str:
    """A fresh cookie key (sessions end when the process restarts; set a fixed one for more)."""
    return secrets.token_urlsafe(32)
