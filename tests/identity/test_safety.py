"""What must never happen: the secret outside the Basic header, tokens in logs, a redirect
followed, an id_token trusted with the wrong algorithm, key, issuer or audience."""

from __future__ import annotations

import base64
import io
import json
import time

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, OctKey, RSAKey

from finchat_wrapper.identity import IdentityClient, InvalidIdTokenError, OAuthError
from finchat_wrapper.identity._keys import KeyCache
from finchat_wrapper.sandbox import Sandbox

from .conftest import ALICE, REDIRECT, Clock, authorize, identity_kwargs


class Recorder(httpx.BaseTransport):
    """Passes requests to the sandbox and keeps every one that went out."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.inner.handle_request(request)


def test_the_secret_travels_only_in_the_basic_header_and_no_token_is_logged(
    sandbox: Sandbox, clock: Clock, captured: io.StringIO
) -> None:
    recorder = Recorder(sandbox.transport())
    with IdentityClient(
        sandbox.app_id, sandbox.secret, transport=recorder, **identity_kwargs(sandbox, clock)
    ) as client:
        started = client.authorization_url(REDIRECT, login_hint=ALICE)
        params = authorize(sandbox, started)
        session = client.callback(params, redirect_uri=REDIRECT, authorization=started)
        clock.advance(301)
        session = client.refresh(session)
        client.userinfo(session)
    secret = sandbox.secret
    basic = base64.b64encode(f"{sandbox.app_id}:{secret}".encode()).decode()
    token_requests = [r for r in recorder.requests if r.url.path.endswith("/token")]
    assert len(token_requests) == 2
    for request in recorder.requests:
        assert secret not in str(request.url)
        assert secret.encode() not in request.content
        if request in token_requests:
            assert request.headers["authorization"] == f"Basic {basic}"
            assert request.headers["content-type"] == "application/x-www-form-urlencoded"
        else:
            assert secret not in request.headers.get("authorization", "")
    assert secret not in started.url
    logged = captured.getvalue()
    for value in (
        secret,
        session.access_token,
        session.refresh_token,
        session.id_token,
        params["code"],
    ):
        assert value not in logged
    for text in (repr(session), repr(client), repr(started)):
        for value in (secret, session.access_token, session.refresh_token, session.id_token):
            assert value not in text


def test_a_redirect_from_the_token_endpoint_is_never_followed(
    sandbox: Sandbox, clock: Clock
) -> None:
    seen: list[str] = []
    inner = sandbox.transport()

    class Redirecting(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            seen.append(request.url.path)
            if request.url.path.endswith("/token"):
                return httpx.Response(307, headers={"Location": "https://evil.example/steal"})
            return inner.handle_request(request)

    with IdentityClient(
        sandbox.app_id, sandbox.secret, transport=Redirecting(), **identity_kwargs(sandbox, clock)
    ) as client:
        started = client.authorization_url(REDIRECT, login_hint=ALICE)
        params = authorize(sandbox, started)
        with pytest.raises(OAuthError, match="not followed"):
            client.callback(params, redirect_uri=REDIRECT, authorization=started)
    assert not any("steal" in path for path in seen)


def test_an_error_description_echoing_the_secret_is_scrubbed() -> None:
    secret = "echoed-secret-1234"

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("openid-configuration"):
            base = "https://iam.example.com/auth/realms/master"
            return httpx.Response(
                200,
                json={
                    "issuer": base,
                    "authorization_endpoint": f"{base}/auth",
                    "token_endpoint": f"{base}/token",
                    "jwks_uri": f"{base}/certs",
                },
            )
        return httpx.Response(
            400, json={"error": "invalid_grant", "error_description": f"bad {secret}"}
        )

    with IdentityClient(
        "app",
        secret,
        iam_url="https://iam.example.com/auth",
        transport=httpx.MockTransport(handler),
    ) as client:
        started = client.authorization_url("https://app.example.com/cb")
        with pytest.raises(OAuthError) as caught:
            client.callback(
                {"code": "c", "state": started.state},
                redirect_uri="https://app.example.com/cb",
                authorization=started,
            )
    assert secret not in str(caught.value)
    assert secret not in (caught.value.description or "")


# ---- id_token verification (KeyCache), with tokens made by joserfc -----------------------------

ISS = "https://iam.example.com/auth/realms/master"
AUD = "app-1"
NOW = int(time.time())


@pytest.fixture(scope="module")
def rsa() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256", "use": "sig"})


def cache_with(*keys: dict) -> KeyCache:
    cache = KeyCache(clock=lambda: NOW, refetch_interval=30)
    cache.load({"keys": list(keys)})
    return cache


def claims(**overrides: object) -> dict:
    base = {"iss": ISS, "aud": AUD, "sub": "u1", "exp": NOW + 300, "iat": NOW, "nonce": "n1"}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def verify(cache: KeyCache, token: str, nonce: str | None = "n1") -> dict:
    return cache.verify(token, issuer=ISS, audience=AUD, nonce=nonce, leeway=0)


def test_a_valid_id_token_verifies(rsa: RSAKey) -> None:
    cache = cache_with(rsa.as_dict(private=False))
    token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims(fcid="@a:b"), rsa)
    assert verify(cache, token)["fcid"] == "@a:b"


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        ({"iss": "https://other.example.com"}, "iss"),
        ({"aud": "another-app"}, "aud"),
        ({"exp": NOW - 1}, "expired"),
        ({"nonce": "n2"}, "nonce"),
        ({"nonce": None}, "nonce"),
        ({"sub": None}, "sub"),
        ({"aud": [AUD, "other"]}, "azp"),
        ({"azp": "other"}, "azp"),
    ],
)
def test_an_id_token_whose_claims_do_not_hold_is_refused(
    rsa: RSAKey, overrides: dict, match: str
) -> None:
    cache = cache_with(rsa.as_dict(private=False))
    token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims(**overrides), rsa)
    with pytest.raises(InvalidIdTokenError, match=match):
        verify(cache, token)


def test_alg_none_is_refused(rsa: RSAKey) -> None:
    cache = cache_with(rsa.as_dict(private=False))
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "kid": "k1"}).encode()).rstrip(
        b"="
    )
    body = base64.urlsafe_b64encode(json.dumps(claims()).encode()).rstrip(b"=")
    with pytest.raises(InvalidIdTokenError):
        verify(cache, f"{header.decode()}.{body.decode()}.")


def test_the_algorithm_comes_from_the_key_not_from_the_token(rsa: RSAKey) -> None:
    cache = cache_with(rsa.as_dict(private=False))
    # HS256 "signed" with the RSA public key's bytes: the classic confusion attack.
    forged_key = OctKey.import_key(json.dumps(rsa.as_dict(private=False)).encode())
    token = jwt.encode({"alg": "HS256", "kid": "k1"}, claims(), forged_key)
    with pytest.raises(InvalidIdTokenError, match="algorithm"):
        verify(cache, token)


def test_a_token_signed_by_another_key_with_the_same_kid_is_refused(rsa: RSAKey) -> None:
    cache = cache_with(rsa.as_dict(private=False))
    other = RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256"})
    token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims(), other)
    with pytest.raises(InvalidIdTokenError, match="signature"):
        verify(cache, token)


def test_symmetric_keys_in_a_jwks_are_ignored(rsa: RSAKey) -> None:
    secret = OctKey.generate_key(256, parameters={"kid": "s1"})
    cache = cache_with(rsa.as_dict(private=False), secret.as_dict(private=True))
    token = jwt.encode({"alg": "HS256", "kid": "s1"}, claims(), secret)
    with pytest.raises(InvalidIdTokenError, match="does not publish"):
        verify(cache, token)


def test_an_ec_key_verifies_with_its_curves_algorithm() -> None:
    ec = ECKey.generate_key("P-256", parameters={"kid": "e1"})
    cache = cache_with(ec.as_dict(private=False))
    token = jwt.encode({"alg": "ES256", "kid": "e1"}, claims(), ec)
    assert verify(cache, token)["sub"] == "u1"


def test_an_unknown_kid_refetches_once_and_not_again_within_the_interval(rsa: RSAKey) -> None:
    now = [1000.0]
    cache = KeyCache(clock=lambda: now[0], refetch_interval=30)
    assert cache.should_refetch("k1")  # nothing loaded yet
    cache.load({"keys": [rsa.as_dict(private=False)]})
    assert not cache.should_refetch("k1")
    assert cache.should_refetch("rotated")
    assert not cache.should_refetch("rotated")  # once per kid
    assert not cache.should_refetch("invented")  # and not within the interval
    now[0] += 31
    assert cache.should_refetch("invented")


def test_garbage_is_not_an_id_token(rsa: RSAKey) -> None:
    cache = cache_with(rsa.as_dict(private=False))
    for garbage in ("", "abc", "a.b.c", "x" * 20_000):
        with pytest.raises(InvalidIdTokenError):
            verify(cache, garbage)
