"""Signing a user in, as generators that do no I/O: the logic `IdentityClient` and
`AsyncIdentityClient` share.

Each flow yields what it needs done - an `httpx.Request` to send (answered with an `Answer`: the
status, headers and a bounded body, never a redirect followed), or taking and releasing a keyed
lock - and returns its result. The two clients in `_client.py` only carry those out, with
threads or with the event loop, as `_auth.py` does for app tokens.

Single flight, per key: `discovery` (iam-info and the OpenID configuration, once per client),
`jwks` (once, and once more per key rotation, see `KeyCache`), and one key per user session for
refreshes: any number of concurrent requests of one user whose access token is due cause one
refresh request; the others wait for it and take its result.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from .._logging import Redactor, logger
from ._errors import (
    AuthorizationDeniedError,
    CallbackError,
    DiscoveryError,
    IdentityError,
    InvalidIdTokenError,
    OAuthError,
    RedirectUriMismatchError,
    SessionExpiredError,
    StateError,
    oauth_error,
)
from ._keys import KeyCache
from ._models import Authorization, ProviderMetadata, User, UserSession
from ._urls import check_endpoint, check_redirect_uri, discovery_url, issuer_for_iam_url

if TYPE_CHECKING:
    from finchat_iam_openapi.models import TokenSet, UserInfo

__all__ = ["Answer", "IdentityCore", "Lock", "Unlock"]

IAM_INFO_PATH = "/api/v1/finchat-control/iam-info"
DEFAULT_SCOPE = "openid profile"
# Callbacks older than this are refused: a sign-in takes seconds, a stale one is a replay.
DEFAULT_AUTHORIZATION_TTL = 600.0
# Consumed states remembered (per client) to refuse a replayed callback.
_MAX_CONSUMED = 10_000
# Sessions whose newest generation the client remembers, for single flight across requests.
_MAX_SESSIONS = 10_000


@dataclass(frozen=True, slots=True)
class Lock:
    key: str


@dataclass(frozen=True, slots=True)
class Unlock:
    key: str


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer as the flows see it: read whole, within the client's size limit."""

    status_code: int
    headers: httpx.Headers
    content: bytes = field(repr=False)
    url: str = ""

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300

    def json(self) -> Any:
        import json

        return json.loads(self.content)


Effect = httpx.Request | Lock | Unlock
Flow = Generator[Effect, Any, Any]
BuildRequest = Callable[..., httpx.Request]


def _unbound(*args: Any, **kwargs: Any) -> httpx.Request:
    raise RuntimeError("IdentityCore.bind() was not called")


def _pkce_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _basic(app_id: str, secret: str) -> str:
    # RFC 6749 section 2.3.1: each part form-urlencoded before base64.
    raw = f"{quote(app_id, safe='')}:{quote(secret, safe='')}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


def _json_object(answer: Answer, what: str, error: type[IdentityError]) -> dict[str, Any]:
    try:
        body = answer.json()
    except ValueError:
        raise error(f"{what} is not JSON (HTTP {answer.status_code})") from None
    if not isinstance(body, dict):
        raise error(f"{what} is not a JSON object (HTTP {answer.status_code})")
    return body


def _token_set(body: dict[str, Any]) -> TokenSet:
    """The generated `TokenSet` of a token response (its field types are checked by the caller:
    the generated parser only names them)."""
    from finchat_iam_openapi.models import TokenSet

    for name in ("access_token", "expires_in", "token_type"):
        if name not in body:
            raise IdentityError(f"the token response has no {name}")
    tokens: TokenSet = TokenSet.from_dict(body)
    return tokens


def _refused(answer: Answer, step: str, redact: Redactor) -> OAuthError:
    challenge = answer.headers.get("www-authenticate", "")
    return oauth_error(step, answer.status_code, answer.content, challenge, redact)


def _positive_seconds(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    return float(value)


@dataclass(frozen=True, slots=True)
class _Tokens:
    access_token: str = field(repr=False)
    expires_in: float
    refresh_token: str | None = field(repr=False)
    refresh_expires_in: float | None
    id_token: str | None = field(repr=False)
    scope: str | None


class IdentityCore:
    """The state and decisions of one app's sign-ins; thread-safe where the drivers need it."""

    def __init__(
        self,
        *,
        app_id: str,
        secret: str,
        base_url: httpx.URL | None,
        iam_url: str | None,
        issuer: str | None,
        realm: str,
        scope: str,
        clock: Callable[[], float],
        refresh_margin: float,
        leeway: float,
        authorization_ttl: float,
        jwks_refetch_interval: float,
        allow_insecure_http: bool,
    ) -> None:
        if not app_id or not secret:
            raise ValueError("app_id and secret are required")
        if sum(x is not None for x in (base_url, iam_url, issuer)) != 1:
            raise ValueError("give exactly one of base_url (FinChat), iam_url or issuer")
        if "openid" not in scope.split():
            raise ValueError("scope must contain openid")
        self.app_id = app_id
        self._secret = secret
        self._base_url = base_url
        self._insecure = allow_insecure_http
        self._realm = realm
        self._scope = scope
        self._clock = clock
        self._margin = refresh_margin
        self._leeway = leeway
        self._authorization_ttl = authorization_ttl
        self._build: BuildRequest = _unbound
        self._redact = Redactor(secret)
        self._issuer: str | None = None
        if iam_url is not None:
            self._issuer = issuer_for_iam_url(iam_url, realm, allow_insecure_http=self._insecure)
        elif issuer is not None:
            self._issuer = check_endpoint(issuer, "issuer", allow_insecure_http=self._insecure)
        self._metadata: ProviderMetadata | None = None
        self.keys = KeyCache(clock=clock, refetch_interval=jwks_refetch_interval)
        self._guard = threading.Lock()
        self._consumed: OrderedDict[str, float] = OrderedDict()
        self._sessions: OrderedDict[str, UserSession] = OrderedDict()
        self.token_requests: dict[str, int] = {"authorization_code": 0, "refresh_token": 0}

    def __repr__(self) -> str:
        return f"IdentityCore(app_id={self.app_id!r})"

    def bind(self, build_request: BuildRequest) -> None:
        """Build the flows' requests with the driver's httpx client (its timeouts, transport)."""
        self._build = build_request

    # ---- discovery ---------------------------------------------------------------------------
    def metadata_flow(self) -> Flow:
        metadata = self._metadata
        if metadata is not None:
            return metadata
        yield Lock("discovery")
        if self._metadata is None:
            if self._issuer is None:
                self._issuer = yield from self._iam_info_flow()
            answer = yield self._build("GET", discovery_url(self._issuer))
            self._metadata = self._parse_metadata(answer, self._issuer)
            logger.debug("IAM %s discovered", self._issuer)
        yield Unlock("discovery")
        return self._metadata

    def _iam_info_flow(self) -> Flow:
        assert self._base_url is not None
        url = self._base_url.join(IAM_INFO_PATH)
        answer = yield self._build("GET", url, headers={"Content-Type": "application/json"})
        if not answer.is_success:
            raise DiscoveryError(f"iam-info answered HTTP {answer.status_code}")
        from finchat_openapi.models import IamInfo

        body = _json_object(answer, "the iam-info answer", DiscoveryError)
        if not isinstance(body.get("flows", []), list) or not all(
            isinstance(flow, dict) and isinstance(flow.get("type"), str)
            for flow in body.get("flows", [])
        ):
            raise DiscoveryError("the iam-info answer's flows are not a list of flows")
        for flow in IamInfo.from_dict(body).flows or []:
            if flow.type_ == "iam":
                iam_url = flow.url
                if isinstance(iam_url, str) and iam_url:
                    try:
                        return issuer_for_iam_url(
                            iam_url, self._realm, allow_insecure_http=self._insecure
                        )
                    except ValueError as exc:
                        raise DiscoveryError(f"iam-info names an unusable IAM: {exc}") from None
        raise DiscoveryError("this FinChat deployment offers no IAM sign-in (no flow of type iam)")

    def _parse_metadata(self, answer: Answer, issuer: str) -> ProviderMetadata:
        if not answer.is_success:
            raise DiscoveryError(f"the OpenID configuration answered HTTP {answer.status_code}")
        body = _json_object(answer, "the OpenID configuration", DiscoveryError)
        # OpenID Connect Discovery 4.3: the issuer must be exactly the one asked for.
        if body.get("issuer") != issuer:
            raise DiscoveryError(
                f"the OpenID configuration names issuer {body.get('issuer')!r}, not {issuer!r}"
            )
        endpoints = {}
        for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            value = body.get(name)
            if not isinstance(value, str):
                raise DiscoveryError(f"the OpenID configuration has no {name}")
            endpoints[name] = self._endpoint(value, name)
        userinfo = body.get("userinfo_endpoint")
        userinfo = (
            self._endpoint(userinfo, "userinfo_endpoint") if isinstance(userinfo, str) else None
        )
        methods = body.get("code_challenge_methods_supported")
        methods = (
            tuple(m for m in methods if isinstance(m, str)) if isinstance(methods, list) else ()
        )
        return ProviderMetadata(
            issuer=issuer,
            userinfo_endpoint=userinfo,
            code_challenge_methods_supported=methods,
            raw=body,
            **endpoints,
        )

    def _endpoint(self, url: str, name: str) -> str:
        try:
            return check_endpoint(url, name, allow_insecure_http=self._insecure)
        except ValueError as exc:
            raise DiscoveryError(f"the OpenID configuration's {exc}") from None

    def _keys_flow(self, kid: str | None) -> Flow:
        if self.keys.loaded and self.keys.knows(kid):
            return
        yield Lock("jwks")
        if self.keys.should_refetch(kid):
            metadata = yield from self.metadata_flow()
            answer = yield self._build("GET", metadata.jwks_uri)
            if not answer.is_success:
                raise DiscoveryError(f"the JWKS answered HTTP {answer.status_code}")
            self.keys.load(_json_object(answer, "the JWKS", DiscoveryError))
            logger.debug("IAM signing keys loaded (%d fetches so far)", self.keys.fetches)
        yield Unlock("jwks")

    def verify_flow(self, id_token: str, *, nonce: str | None) -> Flow:
        """The verified claims of an id_token (fetching the JWKS when needed)."""
        obj = self.keys.extract(id_token)
        yield from self._keys_flow(self.keys.kid_in(obj))
        metadata = yield from self.metadata_flow()
        return self.keys.verify_extracted(
            obj, issuer=metadata.issuer, audience=self.app_id, nonce=nonce, leeway=self._leeway
        )

    # ---- authorization -----------------------------------------------------------------------
    def authorization_flow(
        self,
        redirect_uri: str,
        *,
        scope: str | None,
        login_hint: str | None,
        prompt: str | None,
        extra: Mapping[str, str] | None,
    ) -> Flow:
        redirect_uri = check_redirect_uri(redirect_uri, allow_insecure_http=self._insecure)
        scope = self._scope if scope is None else scope
        if "openid" not in scope.split():
            raise ValueError("scope must contain openid")
        metadata = yield from self.metadata_flow()
        state = secrets.token_urlsafe(32)
        nonce = secrets.token_urlsafe(32)
        params: dict[str, str] = {
            "client_id": self.app_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": scope,
            "state": state,
            "nonce": nonce,
        }
        verifier = None
        if metadata.supports_pkce_s256:
            verifier = secrets.token_urlsafe(48)
            params["code_challenge"] = _pkce_challenge(verifier)
            params["code_challenge_method"] = "S256"
        if login_hint is not None:
            params["login_hint"] = login_hint
        if prompt is not None:
            params["prompt"] = prompt
        for name, value in (extra or {}).items():
            if name in params:
                raise ValueError(f"{name} is set by the client; it cannot be overridden")
            params[name] = value
        url = httpx.URL(metadata.authorization_endpoint).copy_merge_params(params)
        return Authorization(
            url=str(url),
            redirect_uri=redirect_uri,
            state=state,
            nonce=nonce,
            code_verifier=verifier,
            scope=scope,
            created_at=self._clock(),
        )

    def check_callback(
        self,
        params: Mapping[str, str],
        *,
        redirect_uri: str,
        authorization: Authorization,
    ) -> str:
        """The code of a callback's query, once its state and redirect_uri are checked."""
        state = params.get("state")
        self._consume_state(state, redirect_uri, authorization)
        error = params.get("error")
        if error is not None:
            description = params.get("error_description")
            raise AuthorizationDeniedError(
                f"the IAM refused the sign-in: {error}", error=error, description=description
            )
        issuer = params.get("iss")
        if issuer is not None and self._metadata is not None and issuer != self._metadata.issuer:
            # RFC 9207: an answer from another IAM than the one this sign-in went to.
            raise CallbackError("the callback comes from another issuer than this sign-in's")
        code = params.get("code")
        if not code:
            raise CallbackError("the callback has neither a code nor an error")
        return code

    def _consume_state(
        self, state: str | None, redirect_uri: str, authorization: Authorization
    ) -> None:
        if not state or not hmac.compare_digest(state.encode(), authorization.state.encode()):
            raise StateError("the callback's state is not this sign-in's (foreign or missing)")
        if redirect_uri != authorization.redirect_uri:
            raise RedirectUriMismatchError(
                "the callback's redirect_uri differs from the authorization's"
            )
        now = self._clock()
        if now - authorization.created_at > self._authorization_ttl:
            raise StateError("this sign-in is too old; start it again")
        digest = hashlib.sha256(state.encode()).hexdigest()
        with self._guard:
            while self._consumed:
                oldest, expires = next(iter(self._consumed.items()))
                if expires > now and len(self._consumed) < _MAX_CONSUMED:
                    break
                del self._consumed[oldest]
            if digest in self._consumed:
                raise StateError("this sign-in's state was used already (a replayed callback)")
            self._consumed[digest] = authorization.created_at + self._authorization_ttl

    def exchange_flow(
        self, code: str, *, redirect_uri: str, state: str, authorization: Authorization
    ) -> Flow:
        self._consume_state(state, redirect_uri, authorization)
        return (yield from self._code_flow(code, authorization))

    def callback_flow(
        self, params: Mapping[str, str], *, redirect_uri: str, authorization: Authorization
    ) -> Flow:
        code = self.check_callback(params, redirect_uri=redirect_uri, authorization=authorization)
        return (yield from self._code_flow(code, authorization))

    def _code_flow(self, code: str, authorization: Authorization) -> Flow:
        metadata = yield from self.metadata_flow()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": authorization.redirect_uri,
            "client_id": self.app_id,
        }
        if authorization.code_verifier is not None:
            form["code_verifier"] = authorization.code_verifier
        self.token_requests["authorization_code"] += 1
        answer = yield self._token_request(metadata, form)
        tokens = self._parse_tokens(answer, "authorization_code", Redactor(self._secret, code))
        if tokens.id_token is None:
            raise InvalidIdTokenError("the token response has no id_token (is openid in scope?)")
        claims = yield from self.verify_flow(tokens.id_token, nonce=authorization.nonce)
        session = self._session(
            tokens, User.from_claims(claims), session_id=secrets.token_urlsafe(16), previous=None
        )
        logger.info("signed in %s", session.user.fcid or session.user.sub)
        return session

    # ---- sessions ----------------------------------------------------------------------------
    def latest(self, session: UserSession) -> UserSession:
        """The newest generation of `session` this client has seen (itself if none newer)."""
        with self._guard:
            known = self._sessions.get(session.session_id)
        if known is not None and known.generation > session.generation:
            return known
        return session

    def is_fresh(self, session: UserSession) -> bool:
        lifetime = max(session.access_expires_at - self._clock(), 0.0)
        return lifetime > self._margin

    def forget(self, session: UserSession) -> None:
        with self._guard:
            self._sessions.pop(session.session_id, None)

    def _remember(self, session: UserSession) -> None:
        with self._guard:
            self._sessions[session.session_id] = session
            self._sessions.move_to_end(session.session_id)
            while len(self._sessions) > _MAX_SESSIONS:
                self._sessions.popitem(last=False)

    def refresh_flow(self, session: UserSession, *, force: bool) -> Flow:
        current = self.latest(session)
        if not force and self.is_fresh(current):
            return current  # the fast path: no lock
        key = f"refresh:{session.session_id}"
        yield Lock(key)
        current = self.latest(session)
        # Another request of this user refreshed while this one waited: take its result.
        if current.generation > session.generation or (not force and self.is_fresh(current)):
            yield Unlock(key)
            return current
        if current.refresh_token is None:
            raise SessionExpiredError("the IAM gave no refresh token: sign the user in again")
        if current.refresh_expires_at is not None and self._clock() >= current.refresh_expires_at:
            raise SessionExpiredError("the refresh token has expired: sign the user in again")
        metadata = yield from self.metadata_flow()
        form = {
            "grant_type": "refresh_token",
            "refresh_token": current.refresh_token,
            "client_id": self.app_id,
        }
        self.token_requests["refresh_token"] += 1
        answer = yield self._token_request(metadata, form)
        redact = Redactor(self._secret, current.refresh_token, current.access_token)
        tokens = self._parse_tokens(answer, "refresh_token", redact)
        user = current.user
        if tokens.id_token is not None:
            claims = yield from self.verify_flow(tokens.id_token, nonce=None)
            # OpenID Connect Core 12.2: a refreshed id_token is about the same user.
            if claims.get("sub") != current.user.sub:
                raise InvalidIdTokenError("the refreshed id_token is about another user")
            user = User.from_claims(claims)
        fresh = self._session(tokens, user, session_id=current.session_id, previous=current)
        yield Unlock(key)
        logger.debug("refreshed the session of %s", user.fcid or user.sub)
        return fresh

    def _session(
        self, tokens: _Tokens, user: User, *, session_id: str, previous: UserSession | None
    ) -> UserSession:
        now = self._clock()
        refresh_token = tokens.refresh_token
        refresh_expires_at = None
        if tokens.refresh_expires_in is not None:
            refresh_expires_at = now + tokens.refresh_expires_in
        if refresh_token is None and previous is not None:
            refresh_token, refresh_expires_at = previous.refresh_token, previous.refresh_expires_at
        id_token = tokens.id_token or (previous.id_token if previous is not None else "")
        session = UserSession(
            session_id=session_id,
            user=user,
            access_token=tokens.access_token,
            access_expires_at=now + tokens.expires_in,
            refresh_token=refresh_token,
            refresh_expires_at=refresh_expires_at,
            id_token=id_token,
            scope=tokens.scope or (previous.scope if previous is not None else self._scope),
            generation=previous.generation + 1 if previous is not None else 0,
        )
        self._remember(session)
        return session

    # ---- userinfo ----------------------------------------------------------------------------
    def userinfo_flow(self, session: UserSession) -> Flow:
        current = yield from self.refresh_flow(session, force=False)
        metadata = yield from self.metadata_flow()
        if metadata.userinfo_endpoint is None:
            raise DiscoveryError("the IAM has no userinfo endpoint")
        answer = yield self._userinfo_request(metadata.userinfo_endpoint, current)
        if answer.status_code == 401:
            # Revoked or expired early: one new access token, one replay, never a loop.
            current = yield from self.refresh_flow(current, force=True)
            answer = yield self._userinfo_request(metadata.userinfo_endpoint, current)
        if not answer.is_success:
            raise _refused(answer, "userinfo", Redactor(self._secret, current.access_token))
        content_type = answer.headers.get("content-type", "")
        if not content_type.split(";")[0].strip().lower().endswith("json"):
            raise IdentityError(f"userinfo answered {content_type or 'no content type'}, not JSON")
        from finchat_iam_openapi.models import UserInfo

        body = _json_object(answer, "the userinfo answer", IdentityError)
        # OpenID Connect Core 5.3.2: the sub must be the id_token's, or the answer is not used.
        if body.get("sub") != current.user.sub:
            raise IdentityError("the userinfo answer is about another user than the session's")
        wrong = [
            name
            for name in ("name", "fcid", "organization_id", "phone_number", "email")
            if name in body and not isinstance(body[name], str)
        ]
        if wrong:
            raise IdentityError(f"the userinfo answer's {', '.join(wrong)} is not a string")
        info: UserInfo = UserInfo.from_dict(body)
        return info

    def _userinfo_request(self, url: str, session: UserSession) -> httpx.Request:
        headers = {"Authorization": f"Bearer {session.access_token}", "Accept": "application/json"}
        return self._build("GET", url, headers=headers)

    # ---- the token endpoint ------------------------------------------------------------------
    def _token_request(self, metadata: ProviderMetadata, form: dict[str, str]) -> httpx.Request:
        # The secret goes in the Basic header only: never in the form, a URL or a log line.
        headers = {"Authorization": _basic(self.app_id, self._secret), "Accept": "application/json"}
        return self._build("POST", metadata.token_endpoint, headers=headers, data=form)

    def _parse_tokens(self, answer: Answer, grant: str, redact: Redactor) -> _Tokens:
        if not answer.is_success:
            raise _refused(answer, grant, redact)
        body = _json_object(answer, "the token response", OAuthError)
        tokens = _token_set(body)
        if not isinstance(tokens.access_token, str) or not tokens.access_token:
            raise IdentityError("the token response has no access_token")
        if not isinstance(tokens.token_type, str) or tokens.token_type.lower() != "bearer":
            raise IdentityError("the token response's token_type is not bearer")
        expires_in = _positive_seconds(tokens.expires_in)
        if expires_in is None:
            raise IdentityError("the token response has no positive expires_in")
        refresh_token, id_token, scope = tokens.refresh_token, tokens.id_token, tokens.scope
        return _Tokens(
            access_token=tokens.access_token,
            expires_in=expires_in,
            refresh_token=refresh_token
            if isinstance(refresh_token, str) and refresh_token
            else None,
            # 0 (Keycloak's offline tokens) and absent both mean: no lifetime known.
            refresh_expires_in=_positive_seconds(tokens.refresh_expires_in),
            id_token=id_token if isinstance(id_token, str) and id_token else None,
            scope=scope if isinstance(scope, str) else None,
        )
