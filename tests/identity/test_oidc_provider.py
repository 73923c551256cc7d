"""The identity client against an independent OpenID provider: the npm package oidc-provider
(OpenID Certified), started with Node by the fixture. Not our own sandbox: proof that the client
speaks OpenID Connect, not only what the sandbox understands."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from finchat_wrapper.identity import (
    IdentityClient,
    InvalidClientError,
    InvalidGrantError,
    SessionExpiredError,
)

pytestmark = pytest.mark.network

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
CLIENT_ID = "finchat-web-app"
CLIENT_SECRET = "independent-provider-secret-0123456789"
REDIRECT = "http://127.0.0.1:5000/auth/callback"
CAROL = "@carol:example.org"


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("node and node_modules/oidc-provider are needed: run make setup")
    process = subprocess.Popen(
        [node, str(SCRIPT), CLIENT_ID, CLIENT_SECRET, REDIRECT],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            pytest.fail(
                f"oidc-provider did not start: {process.stderr.read() if process.stderr else ''}"
            )
        yield json.loads(line)["issuer"]
    finally:
        process.terminate()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def browse_to_callback(url: str) -> dict[str, str]:
    """The browser's part: follow the provider's own redirects (its interaction, with cookies)
    until it sends the user back to the app; the callback's query."""
    with httpx.Client(follow_redirects=False) as browser:
        for _ in range(10):
            response = browser.get(url)
            assert response.status_code in (302, 303), response.text[:300]
            url = str(response.url.join(response.headers["location"]))
            if url.startswith(REDIRECT):
                return dict(httpx.URL(url).params)
    raise AssertionError("the provider never redirected back to the app")


@pytest.fixture
def client(issuer: str) -> Iterator[IdentityClient]:
    with IdentityClient(CLIENT_ID, CLIENT_SECRET, issuer=issuer) as identity:
        yield identity


def sign_in(client: IdentityClient) -> object:
    started = client.authorization_url(REDIRECT, login_hint=CAROL)
    params = browse_to_callback(started.url)
    return client.callback(params, redirect_uri=REDIRECT, authorization=started)


def test_a_sign_in_at_an_independent_provider_verifies_and_reads_the_claims(
    client: IdentityClient, issuer: str
) -> None:
    metadata = client.metadata()
    assert metadata.issuer == issuer
    assert metadata.supports_pkce_s256
    session = sign_in(client)
    assert (session.user.fcid, session.user.name, session.user.organization_id) == (
        CAROL,
        "carol",
        "00042",
    )
    assert session.refresh_token is not None
    info = client.userinfo(session)
    assert (info.sub, info.email) == (CAROL, "carol@example.org")


def test_the_refresh_token_grant_works_at_an_independent_provider(client: IdentityClient) -> None:
    session = sign_in(client)
    fresh = client.refresh(session, force=True)
    assert fresh.access_token != session.access_token
    assert fresh.generation == 1
    assert fresh.user.sub == session.user.sub
    assert client.userinfo(fresh).fcid == CAROL


def test_an_independent_provider_refuses_a_code_redeemed_twice(issuer: str) -> None:
    with (
        IdentityClient(CLIENT_ID, CLIENT_SECRET, issuer=issuer) as one,
        IdentityClient(CLIENT_ID, CLIENT_SECRET, issuer=issuer) as two,
    ):
        started = one.authorization_url(REDIRECT, login_hint=CAROL)
        params = browse_to_callback(started.url)
        one.callback(params, redirect_uri=REDIRECT, authorization=started)
        with pytest.raises(InvalidGrantError):
            two.callback(params, redirect_uri=REDIRECT, authorization=started)


def test_an_independent_provider_refuses_a_wrong_secret(issuer: str) -> None:
    with IdentityClient(CLIENT_ID, "wrong-secret", issuer=issuer) as client:
        started = client.authorization_url(REDIRECT, login_hint=CAROL)
        params = browse_to_callback(started.url)
        with pytest.raises(InvalidClientError):
            client.callback(params, redirect_uri=REDIRECT, authorization=started)


def test_a_forged_refresh_token_at_an_independent_provider_is_session_expired(
    client: IdentityClient,
) -> None:
    import dataclasses

    session = sign_in(client)
    forged = dataclasses.replace(session, refresh_token="forged", generation=5)
    with pytest.raises(SessionExpiredError):
        client.refresh(forged, force=True)
