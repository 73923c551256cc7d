"""The sandbox's IAM: an OpenID provider (Keycloak's paths, realm `master`) in the sandbox's own
process, signing in the users of its world to its apps.

    GET  {base}/api/v1/finchat-control/iam-info          -> {"flows": [{"type": "iam",
                                                              "url": "{base}/auth"}]}
    GET  {base}/auth/realms/master/.well-known/openid-configuration
    GET  {base}/auth/realms/master/protocol/openid-connect/certs      (JWKS, RS256)
    GET  {base}/auth/realms/master/protocol/openid-connect/auth       (sign-in page / login_hint)
    POST {base}/auth/realms/master/protocol/openid-connect/token      (both grants)
    GET  {base}/auth/realms/master/protocol/openid-connect/userinfo

Decisions (the upstream document describes the flow, not every failure):
- Redirects go only to a redirect_uri registered for the app (`App.redirect_uris`): equal
  strings, or a registered `.../*` as a path prefix (Keycloak's wildcard), and a registered
  loopback URI without a port matches that URI on any port (RFC 8252 section 7.3). An unknown
  app or an unregistered redirect_uri gets an error page (400), never a redirect; every other
  authorization error goes back to the app as `error=` with its `state` (RFC 6749 4.1.2.1).
- `login_hint=<fcid>` of a user of the world signs them in at once (the test path); without it
  authorize answers the sign-in page (200) listing the users (the browser path), each a button
  that repeats the request with its `login_hint`. Bots cannot sign in. Only GET is served, as
  the IAM's spec has it.
- Codes are single use and live `code_ttl` seconds (60, as the document says); a code used twice
  also revokes the tokens issued for it (RFC 6749 4.1.2). PKCE S256 is checked when the
  authorization sent a challenge; `plain` is refused.
- Access and refresh tokens are opaque; a refresh rotates the refresh token (the old one is
  refused from then on) and returns a new id_token without a nonce.
- Client authentication: `client_secret_basic` only, as the document and the IAM spec have it;
  a secret in the form is refused (`invalid_request`: the secret belongs in the Basic header),
  a missing or wrong one is `invalid_client` (401).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import threading
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from ._iam_pages import error_page, sign_in_page
from ._simulate import SimulationError

if TYPE_CHECKING:
    from joserfc.jwk import RSAKey

    from ._state import State
    from ._world import App, User

__all__ = ["IamSettings", "SandboxIam", "SignInRecord", "redirect_uri_allowed"]

logger = logging.getLogger("finchat.sandbox")

REALM = "master"
REALM_PATH = f"/auth/realms/{REALM}"
OIDC_PATH = f"{REALM_PATH}/protocol/openid-connect"
IAM_INFO_PATH = "/api/v1/finchat-control/iam-info"
_MAX_FORM_BYTES = 64 * 1024
# Added by the sign-in page's buttons (with login_hint=<fcid>): the sign-in was a person's choice.
PAGE_MARK = "sandbox_page"
_JSON = "application/json"
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@dataclass(frozen=True)
class IamSettings:
    """Lifetimes (seconds) of the sandbox IAM's codes and tokens, and its users' organization."""

    access_token_ttl: int = 300
    refresh_token_ttl: int = 1800
    code_ttl: int = 60
    # The organization_id of users whose profile names none (the document's example value).
    organization_id: str = "00010"

    def __post_init__(self) -> None:
        for name in ("access_token_ttl", "refresh_token_ttl", "code_ttl"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1 second")


@dataclass
class SignInRecord:
    """One sign-in: who, to which app, back to where, and how (`login_hint` or `page`)."""

    fcid: str
    app_id: str
    redirect_uri: str
    method: str
    session_state: str
    at: float


@dataclass
class _Session:
    fcid: str
    app_id: str
    scope: str
    auth_time: int
    revoked: bool = False


@dataclass
class _Code:
    session_state: str
    app_id: str
    redirect_uri: str
    nonce: str | None
    challenge: str | None
    expires_at: float
    used: bool = False
    issued: list[str] = field(default_factory=list)  # tokens to revoke if the code is replayed


@dataclass
class _Token:
    session_state: str
    app_id: str
    expires_at: float


class OAuthFailure(Exception):
    """An OAuth error answer (RFC 6749 section 5.2)."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


def _is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def redirect_uri_allowed(registered: list[str], uri: str) -> bool:
    """Whether `uri` may be redirected to, given an app's registered redirect URIs."""
    try:
        asked = urlsplit(uri)
        asked_port = asked.port
    except ValueError:
        return False
    if asked.scheme not in ("http", "https") or not asked.hostname or asked.fragment:
        return False
    for pattern in registered:
        if pattern == uri:
            return True
        try:
            allowed = urlsplit(pattern)
            allowed_port = allowed.port
        except ValueError:
            continue
        if allowed.scheme != asked.scheme or allowed.hostname != asked.hostname:
            continue
        any_port = allowed_port is None and _is_loopback(allowed.hostname)
        if allowed_port != asked_port and not any_port:
            continue
        if allowed.path.endswith("*"):
            if asked.path.startswith(allowed.path[:-1]):
                return True
        elif allowed.path == asked.path and allowed.query == asked.query:
            return True
    return False


def _b64url_sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _json(status: int, data: Any, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(body, status, headers=headers, media_type=_JSON)


def _oauth_error(failure: OAuthFailure, headers: dict[str, str] | None = None) -> Response:
    body = {"error": failure.error, "error_description": failure.description}
    return _json(failure.status, body, {**_NO_STORE, **(headers or {})})


class SandboxIam:
    """The provider's state: keys, codes, sessions, tokens, sign-ins; its routes; its controls."""

    def __init__(
        self,
        state: State,
        settings: IamSettings,
        *,
        base_url: Callable[[], str],
        clock: Callable[[], float],
        internal_errors: list[BaseException] | None = None,
    ) -> None:
        self._state = state
        self._internal_errors = internal_errors if internal_errors is not None else []
        self.settings = settings
        self._base_url = base_url
        self._clock = clock
        # Reentrant: issuing tokens under the lock signs them, which takes the key under it.
        self._lock = threading.RLock()
        self._keys: list[tuple[str, RSAKey]] = []  # the last one signs
        self._codes: dict[str, _Code] = {}
        self._sessions: dict[str, _Session] = {}
        self._access: dict[str, _Token] = {}
        self._refresh: dict[str, _Token] = {}
        self.sign_ins: list[SignInRecord] = []
        """Every sign-in, oldest first."""
        self.requests: Counter[str] = Counter()
        """Requests served, by endpoint (`jwks`, `token:refresh_token`, ...)."""

    # ---- addresses -----------------------------------------------------------------------------
    @property
    def issuer(self) -> str:
        return f"{self._base_url()}{REALM_PATH}"

    @property
    def url(self) -> str:
        """The IAM's URL as iam-info gives it: Keycloak's server URL, `{base}/auth`."""
        return f"{self._base_url()}/auth"

    def iam_info(self) -> dict[str, Any]:
        return {"flows": [{"type": "iam", "url": self.url}]}

    # ---- keys ----------------------------------------------------------------------------------
    def _signing_key(self) -> tuple[str, RSAKey]:
        with self._lock:
            if not self._keys:
                self._keys.append(self._new_key())
            return self._keys[-1]

    @staticmethod
    def _new_key() -> tuple[str, RSAKey]:
        from joserfc.jwk import RSAKey

        kid = secrets.token_urlsafe(12)
        key = RSAKey.generate_key(2048, parameters={"kid": kid, "alg": "RS256", "use": "sig"})
        return kid, key

    def rotate_keys(self, *, retire_previous: bool = False) -> str:
        """Sign with a new RS256 key from now on; its kid. The previous key stays in the JWKS
        (tokens it signed still verify) unless `retire_previous`."""
        new = self._new_key()
        with self._lock:
            self._keys = [new] if retire_previous else [*self._keys[-1:], new]
        return new[0]

    def jwks(self) -> dict[str, Any]:
        self._signing_key()
        with self._lock:
            return {"keys": [key.as_dict(private=False) for _, key in self._keys]}

    def _sign(self, claims: dict[str, Any]) -> str:
        from joserfc import jwt

        kid, key = self._signing_key()
        return jwt.encode({"alg": "RS256", "kid": kid}, claims, key)

    # ---- users and apps ------------------------------------------------------------------------
    def _people(self) -> list[User]:
        return [u for u in self._state.users.values() if not u.is_bot]

    def _claims(self, user: User, scope: str) -> dict[str, Any]:
        claims: dict[str, Any] = {"sub": str(uuid.uuid5(uuid.NAMESPACE_URL, user.fcid))}
        if "profile" in scope.split():
            profile = user.profile
            claims["fcid"] = user.fcid
            claims["name"] = str(profile.get("name") or user.fcid)
            claims["organization_id"] = str(
                profile.get("organization_id") or self.settings.organization_id
            )
            if profile.get("mobile"):
                claims["phone_number"] = str(profile["mobile"])
            if profile.get("email"):
                claims["email"] = str(profile["email"])
        return claims

    # ---- control (the Python side of /_sandbox/iam/...) ---------------------------------------
    def _matching(self, fcid: str | None, app_id: str | None) -> list[str]:
        if fcid is not None and fcid not in self._state.users:
            raise SimulationError(f"no user {fcid}")
        if app_id is not None and app_id not in self._state.apps:
            raise SimulationError(f"no app {app_id}")
        return [
            sid
            for sid, s in self._sessions.items()
            if (fcid is None or s.fcid == fcid) and (app_id is None or s.app_id == app_id)
        ]

    def expire_sessions(
        self, fcid: str | None = None, *, app_id: str | None = None, refresh: bool = False
    ) -> int:
        """Make the access tokens (with `refresh`, the refresh tokens too) of a user's sessions
        expire now; how many tokens. The next request with them meets an expired token."""
        with self._lock:
            sids = set(self._matching(fcid, app_id))
            stores = (self._access, self._refresh) if refresh else (self._access,)
            count = 0
            now = self._clock()
            for store in stores:
                for token in store.values():
                    if token.session_state in sids and token.expires_at > now:
                        token.expires_at = now
                        count += 1
            return count

    def revoke_sessions(self, fcid: str | None = None, *, app_id: str | None = None) -> int:
        """End a user's sessions (or everyone's): their tokens are refused; how many sessions."""
        with self._lock:
            sids = self._matching(fcid, app_id)
            for sid in sids:
                self._revoke(sid)
            return len(sids)

    def _revoke(self, sid: str) -> None:
        self._sessions[sid].revoked = True
        for store in (self._access, self._refresh):
            for token in [t for t, v in store.items() if v.session_state == sid]:
                del store[token]

    # ---- routes --------------------------------------------------------------------------------
    def routes(self, *, with_iam_info: bool) -> list[BaseRoute]:
        guarded = self._guarded
        routes: list[BaseRoute] = [
            Route(f"{REALM_PATH}/.well-known/openid-configuration", guarded(self._configuration)),
            Route(f"{OIDC_PATH}/certs", guarded(self._certs)),
            Route(f"{OIDC_PATH}/auth", guarded(self._authorize), methods=["GET"]),
            Route(f"{OIDC_PATH}/token", guarded(self._token), methods=["POST"]),
            Route(f"{OIDC_PATH}/userinfo", guarded(self._userinfo), methods=["GET"]),
        ]
        if with_iam_info:
            routes.insert(0, Route(IAM_INFO_PATH, guarded(self.iam_info_endpoint)))
        return routes

    def _guarded(
        self, endpoint: Callable[[Request], Awaitable[Response]]
    ) -> Callable[[Request], Awaitable[Response]]:
        async def guarded(request: Request) -> Response:
            try:
                return await endpoint(request)
            except Exception as exc:  # never let one request crash the sandbox or a test
                logger.exception("sandbox IAM: internal error on %s", request.url.path)
                self._internal_errors.append(exc)
                return _oauth_error(OAuthFailure("server_error", "internal error", 500))

        return guarded

    async def iam_info_operation(self, call: object) -> Response:
        """`get_iam_info` of finchat.yaml, as a handler of the FinChat API."""
        self.requests["iam-info"] += 1
        return _json(200, self.iam_info())

    async def iam_info_endpoint(self, request: Request) -> Response:
        self.requests["iam-info"] += 1
        return _json(200, self.iam_info())

    async def _configuration(self, request: Request) -> Response:
        self.requests["openid-configuration"] += 1
        issuer = self.issuer
        endpoint = f"{issuer}/protocol/openid-connect"
        return _json(
            200,
            {
                "issuer": issuer,
                "authorization_endpoint": f"{endpoint}/auth",
                "token_endpoint": f"{endpoint}/token",
                "userinfo_endpoint": f"{endpoint}/userinfo",
                "jwks_uri": f"{endpoint}/certs",
                "response_types_supported": ["code"],
                "response_modes_supported": ["query"],
                "grant_types_supported": ["authorization_code", "refresh_token"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "profile"],
                "claims_supported": [
                    "sub",
                    "iss",
                    "aud",
                    "exp",
                    "iat",
                    "auth_time",
                    "nonce",
                    "azp",
                    "fcid",
                    "name",
                    "organization_id",
                    "phone_number",
                    "email",
                ],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
                "code_challenge_methods_supported": ["S256"],
                "claims_parameter_supported": False,
                "request_parameter_supported": False,
            },
        )

    async def _certs(self, request: Request) -> Response:
        self.requests["jwks"] += 1
        return _json(200, self.jwks())

    # ---- authorization -------------------------------------------------------------------------
    def _client_and_redirect(self, request: Request) -> tuple[dict[str, str], App, str] | Response:
        """The request's parameters, its app and redirect_uri; an error page when the request
        must not be answered with a redirect (RFC 6749 section 4.1.2.1)."""
        params: dict[str, str] = {}
        for name, value in request.query_params.multi_items():
            if name in params:
                # RFC 6749 section 3.1: a parameter sent twice is an invalid request.
                return error_page(f"the parameter {name} is given more than once")
            params[name] = value
        app = self._state.apps.get(params.get("client_id", ""))
        if app is None:
            return error_page("unknown client_id: no app of this sandbox has that id")
        redirect_uri = params.get("redirect_uri")
        if not redirect_uri:
            return error_page("redirect_uri is required")
        if not redirect_uri_allowed(app.redirect_uris, redirect_uri):
            return error_page("this redirect_uri is not registered for the app")
        return params, app, redirect_uri

    async def _authorize(self, request: Request) -> Response:
        self.requests["authorize"] += 1
        checked = self._client_and_redirect(request)
        if isinstance(checked, Response):
            return checked
        params, app, redirect_uri = checked
        state = params.get("state")
        try:
            scope = self._check_authorization(app, params)
        except OAuthFailure as failure:
            return self._redirect(
                redirect_uri,
                {"error": failure.error, "error_description": failure.description},
                state,
            )
        fcid = params.get("login_hint")
        method = "page" if params.get(PAGE_MARK) else "login_hint"
        user = self._state.users.get(fcid) if fcid else None
        if user is None or user.is_bot:
            if params.get("prompt") == "none":
                return self._redirect(
                    redirect_uri,
                    {"error": "login_required", "error_description": "no user is signed in"},
                    state,
                )
            # Nobody to sign in yet: the sign-in page (200, as the IAM's spec has it); its
            # buttons repeat this request with the chosen user's login_hint.
            note = f"No user {fcid} in this sandbox's world." if fcid else None
            people = [(u.fcid, str(u.profile.get("name") or u.fcid)) for u in self._people()]
            return sign_in_page(
                action=str(request.url.replace(query="")),
                app_name=app.name or app.app_id,
                users=people,
                request_params=params,
                mark=PAGE_MARK,
                note=note,
            )
        code = self._issue_code(app, user, redirect_uri, scope, params, method)
        return self._redirect(redirect_uri, code, state)

    def _check_authorization(self, app: App, params: dict[str, str]) -> str:
        if not app.published:
            raise OAuthFailure("unauthorized_client", "the app is not published")
        if params.get("response_type") != "code":
            raise OAuthFailure("unsupported_response_type", "response_type must be code")
        scope = params.get("scope", "")
        if "openid" not in scope.split():
            raise OAuthFailure("invalid_scope", "scope must contain openid")
        challenge = params.get("code_challenge")
        method = params.get("code_challenge_method")
        if challenge is not None or method is not None:
            if method != "S256":
                raise OAuthFailure("invalid_request", "code_challenge_method must be S256")
            if not challenge or not 43 <= len(challenge) <= 128:
                raise OAuthFailure("invalid_request", "code_challenge must be 43 to 128 chars")
        if params.get("request") or params.get("request_uri"):
            raise OAuthFailure("request_not_supported", "request objects are not supported")
        return scope

    def _issue_code(
        self,
        app: App,
        user: User,
        redirect_uri: str,
        scope: str,
        params: dict[str, str],
        method: str,
    ) -> dict[str, str]:
        now = self._clock()
        sid = str(uuid.uuid4())
        code = f"{secrets.token_urlsafe(24)}.{sid}.{app.app_id}"  # the document's shape
        with self._lock:
            self._sessions[sid] = _Session(user.fcid, app.app_id, scope, int(now))
            self._codes[code] = _Code(
                session_state=sid,
                app_id=app.app_id,
                redirect_uri=redirect_uri,
                nonce=params.get("nonce"),
                challenge=params.get("code_challenge"),
                expires_at=now + self.settings.code_ttl,
            )
            self.sign_ins.append(
                SignInRecord(user.fcid, app.app_id, redirect_uri, method, sid, now)
            )
        return {"session_state": sid, "code": code}

    @staticmethod
    def _redirect(redirect_uri: str, params: dict[str, str], state: str | None) -> Response:
        query = dict(params)
        if state is not None:
            query = {"state": state, **query}
        separator = "&" if urlsplit(redirect_uri).query else "?"
        target = f"{redirect_uri}{separator}{urlencode(query)}"
        return RedirectResponse(target, status_code=302, headers=_NO_STORE)

    # ---- the token endpoint --------------------------------------------------------------------
    async def _token(self, request: Request) -> Response:
        basic_used = request.headers.get("authorization", "").lower().startswith("basic ")
        try:
            form = await self._form(request)
            app = self._client(request, form)
            grant = form.get("grant_type")
            self.requests[f"token:{grant}"] += 1
            if grant == "authorization_code":
                body = self._redeem_code(app, form)
            elif grant == "refresh_token":
                body = self._redeem_refresh(app, form)
            elif not grant:
                raise OAuthFailure("invalid_request", "grant_type is required")
            else:
                raise OAuthFailure(
                    "unsupported_grant_type", "use authorization_code or refresh_token"
                )
        except OAuthFailure as failure:
            headers = {}
            if failure.status == 401 and basic_used:
                headers["WWW-Authenticate"] = f'Basic realm="{REALM}"'
            return _oauth_error(failure, headers)
        return _json(200, body, _NO_STORE)

    @staticmethod
    async def _form(request: Request) -> dict[str, str]:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/x-www-form-urlencoded":
            raise OAuthFailure(
                "invalid_request", "the body must be application/x-www-form-urlencoded"
            )
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > _MAX_FORM_BYTES:
                raise OAuthFailure("invalid_request", "the body is too large")
        form: dict[str, str] = {}
        try:
            pairs = parse_qsl(raw.decode("ascii"), keep_blank_values=True, strict_parsing=False)
        except (UnicodeDecodeError, ValueError):
            raise OAuthFailure("invalid_request", "the body is not a form") from None
        for name, value in pairs:
            if name in form:
                raise OAuthFailure(
                    "invalid_request", f"the parameter {name} is given more than once"
                )
            form[name] = value
        return form

    def _client(self, request: Request, form: dict[str, str]) -> App:
        header = request.headers.get("authorization")
        if header is not None and header.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
                raw_id, _, raw_secret = decoded.partition(":")
            except (ValueError, UnicodeDecodeError):
                raise OAuthFailure("invalid_client", "malformed Basic credentials", 401) from None
            client_id, secret = unquote(raw_id), unquote(raw_secret)
            if "client_id" in form and form["client_id"] != client_id:
                raise OAuthFailure(
                    "invalid_request", "client_id differs from the authenticated one"
                )
        else:
            raise OAuthFailure("invalid_client", "Basic client authentication is required", 401)
        if "client_secret" in form:
            raise OAuthFailure("invalid_request", "the secret goes in the Basic header only")
        app = self._state.apps.get(client_id)
        # Compared in constant time; an unknown app and a wrong secret look the same.
        expected = app.secret if app is not None else secrets.token_hex(16)
        if not hmac.compare_digest(secret.encode(), expected.encode()) or app is None:
            raise OAuthFailure("invalid_client", "invalid client credentials", 401)
        if not app.published:
            raise OAuthFailure("unauthorized_client", "the app is not published")
        return app

    def _redeem_code(self, app: App, form: dict[str, str]) -> dict[str, Any]:
        code = form.get("code")
        redirect_uri = form.get("redirect_uri")
        if not code:
            raise OAuthFailure("invalid_request", "code is required")
        if not redirect_uri:
            raise OAuthFailure("invalid_request", "redirect_uri is required")
        now = self._clock()
        with self._lock:
            grant = self._codes.get(code)
            if grant is None or grant.app_id != app.app_id:
                raise OAuthFailure("invalid_grant", "unknown code")
            if grant.used:
                # A replayed code: what it gave is revoked too (RFC 6749 section 4.1.2).
                self._revoke(grant.session_state)
                raise OAuthFailure("invalid_grant", "the code was already used")
            grant.used = True
            if now >= grant.expires_at:
                raise OAuthFailure("invalid_grant", "the code has expired")
            if redirect_uri != grant.redirect_uri:
                raise OAuthFailure("invalid_grant", "redirect_uri differs from the authorization's")
            if grant.challenge is not None:
                verifier = form.get("code_verifier")
                if not verifier:
                    raise OAuthFailure("invalid_grant", "code_verifier is required")
                if not hmac.compare_digest(_b64url_sha256(verifier), grant.challenge):
                    raise OAuthFailure("invalid_grant", "code_verifier does not match")
            session = self._sessions[grant.session_state]
            if session.revoked:
                raise OAuthFailure("invalid_grant", "the session has ended")
            body = self._issue_tokens(app, grant.session_state, session, nonce=grant.nonce)
            grant.issued.extend([body["access_token"], body["refresh_token"]])
        return body

    def _redeem_refresh(self, app: App, form: dict[str, str]) -> dict[str, Any]:
        token = form.get("refresh_token")
        if not token:
            raise OAuthFailure("invalid_request", "refresh_token is required")
        now = self._clock()
        with self._lock:
            entry = self._refresh.get(token)
            if entry is None or entry.app_id != app.app_id:
                raise OAuthFailure("invalid_grant", "unknown or revoked refresh token")
            if now >= entry.expires_at:
                raise OAuthFailure("invalid_grant", "the refresh token has expired")
            session = self._sessions[entry.session_state]
            if session.revoked:
                raise OAuthFailure("invalid_grant", "the session has ended")
            del self._refresh[token]  # rotated: the old one is refused from now on
            return self._issue_tokens(app, entry.session_state, session, nonce=None)

    def _issue_tokens(
        self, app: App, sid: str, session: _Session, *, nonce: str | None
    ) -> dict[str, Any]:
        now = self._clock()
        user = self._state.users[session.fcid]
        access = secrets.token_urlsafe(32)
        refresh = secrets.token_urlsafe(32)
        settings = self.settings
        self._access[access] = _Token(sid, app.app_id, now + settings.access_token_ttl)
        self._refresh[refresh] = _Token(sid, app.app_id, now + settings.refresh_token_ttl)
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": app.app_id,
            "azp": app.app_id,
            "exp": int(now) + settings.access_token_ttl,
            "iat": int(now),
            "auth_time": session.auth_time,
            "jti": str(uuid.uuid4()),
            "typ": "ID",
            "session_state": sid,
            **self._claims(user, session.scope),
        }
        if nonce is not None:
            claims["nonce"] = nonce
        return {
            "access_token": access,
            "expires_in": settings.access_token_ttl,
            "refresh_expires_in": settings.refresh_token_ttl,
            "refresh_token": refresh,
            "token_type": "bearer",
            "id_token": self._sign(claims),
            "not-before-policy": 0,
            "session_state": sid,
            "scope": session.scope,
        }

    # ---- userinfo ------------------------------------------------------------------------------
    async def _userinfo(self, request: Request) -> Response:
        self.requests["userinfo"] += 1
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        challenge = f'Bearer realm="{REALM}"'
        if scheme.lower() != "bearer" or not token.strip():
            failure = OAuthFailure("invalid_request", "a Bearer access token is required", 401)
            return _oauth_error(failure, {"WWW-Authenticate": challenge})
        with self._lock:
            entry = self._access.get(token.strip())
            valid = entry is not None and self._clock() < entry.expires_at
            session = self._sessions.get(entry.session_state) if entry is not None else None
        if not valid or session is None or session.revoked:
            failure = OAuthFailure("invalid_token", "the access token is invalid or expired", 401)
            header_value = f'{challenge}, error="invalid_token"'
            return _oauth_error(failure, {"WWW-Authenticate": header_value})
        user = self._state.users[session.fcid]
        return _json(200, self._claims(user, session.scope), _NO_STORE)

    # ---- the simulation API's handlers ---------------------------------------------------------
    def control_handlers(self) -> dict[str, Callable[[dict[str, str], Any], Awaitable[Response]]]:
        async def expire(params: dict[str, str], body: Any) -> Response:
            count = self.expire_sessions(
                body.get("fcid"), app_id=body.get("app_id"), refresh=body.get("refresh", False)
            )
            return _json(200, {"expired": count})

        async def revoke(params: dict[str, str], body: Any) -> Response:
            count = self.revoke_sessions(body.get("fcid"), app_id=body.get("app_id"))
            return _json(200, {"revoked": count})

        async def rotate(params: dict[str, str], body: Any) -> Response:
            kid = self.rotate_keys(retire_previous=body.get("retire_previous", False))
            with self._lock:
                kids = [k for k, _ in self._keys]
            return _json(200, {"kid": kid, "kids": kids})

        async def sign_ins(params: dict[str, str], body: Any) -> Response:
            with self._lock:
                records = [asdict(r) for r in self.sign_ins]
            return _json(200, records)

        return {
            "iam_expire_sessions": expire,
            "iam_revoke_sessions": revoke,
            "iam_rotate_keys": rotate,
            "iam_sign_ins": sign_ins,
        }
