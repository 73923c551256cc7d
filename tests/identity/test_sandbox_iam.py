"""The sandbox IAM as an OpenID provider: what each endpoint answers, and its simulation API."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from finchat_wrapper.sandbox import Sandbox, World
from finchat_wrapper.sandbox._iam import redirect_uri_allowed

from .conftest import ALICE, REDIRECT, Clock

OIDC = "/auth/realms/master/protocol/openid-connect"


@pytest.fixture
async def http(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox.app), base_url=sandbox.base_url
    ) as client:
        yield client


def auth_params(sandbox: Sandbox, **overrides: str) -> dict[str, str]:
    params = {
        "client_id": sandbox.app_id,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": "openid profile",
        "state": "xyz",
        "login_hint": ALICE,
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v != ""}


def basic(app_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{app_id}:{secret}".encode()).decode()}


async def code_for(http: httpx.AsyncClient, sandbox: Sandbox, **overrides: str) -> str:
    response = await http.get(f"{OIDC}/auth", params=auth_params(sandbox, **overrides))
    assert response.status_code == 302
    return dict(parse_qsl(urlsplit(response.headers["location"]).query))["code"]


async def test_iam_info_names_the_sandboxs_own_iam(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    response = await http.get("/api/v1/finchat-control/iam-info")
    assert response.json() == {"flows": [{"type": "iam", "url": f"{sandbox.base_url}/auth"}]}


async def test_discovery_names_the_endpoints_and_pkce(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    config = (await http.get("/auth/realms/master/.well-known/openid-configuration")).json()
    issuer = f"{sandbox.base_url}/auth/realms/master"
    assert config["issuer"] == issuer
    assert config["token_endpoint"] == f"{issuer}/protocol/openid-connect/token"
    assert config["jwks_uri"] == f"{issuer}/protocol/openid-connect/certs"
    assert config["code_challenge_methods_supported"] == ["S256"]
    assert config["id_token_signing_alg_values_supported"] == ["RS256"]


async def test_the_jwks_has_public_rs256_keys_only_and_rotation_adds_one(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    keys = (await http.get(f"{OIDC}/certs")).json()["keys"]
    assert [(k["kty"], k["alg"], k["use"]) for k in keys] == [("RSA", "RS256", "sig")]
    assert not {"d", "p", "q"} & keys[0].keys()
    rotated = (await http.post("/_sandbox/iam/keys/rotate", json={})).json()
    assert rotated["kids"] == [keys[0]["kid"], rotated["kid"]]
    retired = (await http.post("/_sandbox/iam/keys/rotate", json={"retire_previous": True})).json()
    assert retired["kids"] == [retired["kid"]]


# ---- authorize -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        {"client_id": "no-such-app"},
        {"client_id": ""},
        {"redirect_uri": "https://evil.example/cb"},
        {"redirect_uri": ""},
    ],
)
async def test_an_unknown_app_or_unregistered_redirect_uri_gets_an_error_page_never_a_redirect(
    http: httpx.AsyncClient, sandbox: Sandbox, overrides: dict[str, str]
) -> None:
    response = await http.get(f"{OIDC}/auth", params=auth_params(sandbox, **overrides))
    assert response.status_code == 400
    assert "location" not in response.headers
    assert response.headers["content-type"].startswith("text/html")
    assert "refused" in response.text


async def test_an_app_without_registered_redirect_uris_cannot_be_signed_in_to(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    other = next(
        a for a in sandbox.export_world().apps if a.app_id != sandbox.app_id and a.published
    )
    response = await http.get(f"{OIDC}/auth", params=auth_params(sandbox, client_id=other.app_id))
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "profile"}, "invalid_scope"),
        ({"code_challenge": "x" * 43, "code_challenge_method": "plain"}, "invalid_request"),
        ({"login_hint": "", "prompt": "none"}, "login_required"),
    ],
)
async def test_other_authorization_errors_go_back_to_the_app_with_the_state(
    http: httpx.AsyncClient, sandbox: Sandbox, overrides: dict[str, str], error: str
) -> None:
    response = await http.get(f"{OIDC}/auth", params=auth_params(sandbox, **overrides))
    assert response.status_code == 302
    query = dict(parse_qsl(urlsplit(response.headers["location"]).query))
    assert query["error"] == error
    assert query["state"] == "xyz"
    assert "code" not in query


async def test_without_login_hint_authorize_shows_a_page_listing_the_people_but_no_bots(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    page = await http.get(f"{OIDC}/auth", params=auth_params(sandbox, login_hint=""))
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "X-Frame-Options" in page.headers
    assert f"value='{ALICE}'" in page.text
    assert f"action='{sandbox.base_url}{OIDC}/auth'" in page.text
    assert "@vsadf-bot:dev.finogeeks.club" not in page.text
    unknown = await http.get(f"{OIDC}/auth", params=auth_params(sandbox, login_hint="@nobody:x"))
    assert unknown.status_code == 200
    assert "No user @nobody:x" in unknown.text


@pytest.mark.parametrize(
    ("uri", "allowed"),
    [
        ("http://127.0.0.1:5000/auth/callback", True),
        ("http://127.0.0.1:61000/any/path?x=1", True),
        ("http://localhost:8080/cb", True),
        ("http://[::1]:8080/cb", True),
        ("https://127.0.0.1:8080/cb", False),
        ("http://127.0.0.2:8080/cb", False),
        ("http://localhost.evil.example:8080/cb", False),
        ("http://127.0.0.1:5000/cb#fragment", False),
        ("javascript:alert(1)", False),
    ],
)
def test_the_default_app_accepts_loopback_redirect_uris_on_any_port(
    uri: str, allowed: bool
) -> None:
    app = World.default().apps[0]
    assert redirect_uri_allowed(app.redirect_uris, uri) is allowed


def test_registered_uris_match_exactly_or_by_a_trailing_wildcard() -> None:
    registered = [
        "https://app.example.com/cb",
        "https://app.example.com/sso/*",
        "http://127.0.0.1:9000/x",
    ]
    assert redirect_uri_allowed(registered, "https://app.example.com/cb")
    assert not redirect_uri_allowed(registered, "https://app.example.com/cb/")
    assert not redirect_uri_allowed(registered, "https://app.example.com:8443/cb")
    assert redirect_uri_allowed(registered, "https://app.example.com/sso/callback")
    assert not redirect_uri_allowed(registered, "http://127.0.0.1:9001/x")  # a port was registered


# ---- token -----------------------------------------------------------------------------------


async def token(
    http: httpx.AsyncClient, form: dict[str, str], headers: dict[str, str] | None = None
) -> httpx.Response:
    return await http.post(f"{OIDC}/token", data=form, headers=headers or {})


async def test_the_code_grant_answers_the_documented_token_set(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    code = await code_for(http, sandbox)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": sandbox.app_id,
    }
    response = await token(http, form, basic(sandbox.app_id, sandbox.secret))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 300
    assert body["refresh_expires_in"] == 1800
    assert {"access_token", "refresh_token", "id_token", "session_state", "scope"} <= body.keys()


@pytest.mark.parametrize(
    ("mutate", "status", "error"),
    [
        (lambda f, h: (f, {}), 401, "invalid_client"),
        (lambda f, h: (f, basic(f["client_id"], "wrong")), 401, "invalid_client"),
        (
            lambda f, h: ({k: v for k, v in f.items() if k != "client_id"}, basic("nope", "x")),
            401,
            "invalid_client",
        ),
        (lambda f, h: ({**f, "client_secret": "x"}, h), 400, "invalid_request"),
        (lambda f, h: ({**f, "client_id": "another"}, h), 400, "invalid_request"),
        (
            lambda f, h: ({k: v for k, v in f.items() if k != "grant_type"}, h),
            400,
            "invalid_request",
        ),
        (lambda f, h: ({**f, "grant_type": "password"}, h), 400, "unsupported_grant_type"),
        (lambda f, h: ({k: v for k, v in f.items() if k != "code"}, h), 400, "invalid_request"),
        (lambda f, h: ({**f, "code": "forged"}, h), 400, "invalid_grant"),
        (lambda f, h: ({**f, "redirect_uri": REDIRECT + "x"}, h), 400, "invalid_grant"),
    ],
)
async def test_every_token_request_failure_answers_its_oauth_error(
    http: httpx.AsyncClient, sandbox: Sandbox, mutate, status: int, error: str
) -> None:
    code = await code_for(http, sandbox)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": sandbox.app_id,
    }
    form, headers = mutate(form, basic(sandbox.app_id, sandbox.secret))
    response = await token(http, form, headers)
    assert (response.status_code, response.json()["error"]) == (status, error)
    if status == 401 and headers:
        assert response.headers["www-authenticate"].startswith("Basic")


async def test_a_secret_in_the_form_is_refused_the_basic_header_is_the_only_way(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    code = await code_for(http, sandbox)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": sandbox.app_id,
        "client_secret": sandbox.secret,
    }
    refused = await token(http, form)
    assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")
    both = await token(http, form, basic(sandbox.app_id, sandbox.secret))
    assert (both.status_code, both.json()["error"]) == (400, "invalid_request")


async def test_a_body_that_is_not_a_form_is_invalid_request(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    response = await http.post(
        f"{OIDC}/token",
        json={"grant_type": "authorization_code"},
        headers=basic(sandbox.app_id, sandbox.secret),
    )
    assert response.json()["error"] == "invalid_request"


async def test_refresh_rotates_the_refresh_token(http: httpx.AsyncClient, sandbox: Sandbox) -> None:
    code = await code_for(http, sandbox)
    auth = basic(sandbox.app_id, sandbox.secret)
    first = (
        await token(
            http, {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}, auth
        )
    ).json()
    second = await token(
        http, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}, auth
    )
    assert second.status_code == 200
    assert second.json()["refresh_token"] != first["refresh_token"]
    again = await token(
        http, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}, auth
    )
    assert again.json()["error"] == "invalid_grant"


async def test_a_refresh_token_of_another_app_is_invalid_grant(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    code = await code_for(http, sandbox)
    first = (
        await token(
            http,
            {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT},
            basic(sandbox.app_id, sandbox.secret),
        )
    ).json()
    other_id, other_secret = next(
        (a.app_id, a.secret)
        for a in sandbox.export_world().apps
        if a.app_id != sandbox.app_id and a.published
    )
    response = await token(
        http,
        {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
        basic(other_id, other_secret),
    )
    assert response.json()["error"] == "invalid_grant"


# ---- userinfo and the simulation API ---------------------------------------------------------


async def signed_in(http: httpx.AsyncClient, sandbox: Sandbox) -> dict:
    code = await code_for(http, sandbox)
    response = await token(
        http,
        {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT},
        basic(sandbox.app_id, sandbox.secret),
    )
    return response.json()


async def test_userinfo_answers_the_users_claims_or_invalid_token(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    tokens = await signed_in(http, sandbox)
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    info = (await http.get(f"{OIDC}/userinfo", headers=bearer)).json()
    assert (info["fcid"], info["name"], info["organization_id"]) == (ALICE, "alice", "00010")
    missing = await http.get(f"{OIDC}/userinfo")
    assert missing.status_code == 401
    wrong = await http.get(f"{OIDC}/userinfo", headers={"Authorization": "Bearer nope"})
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_token")
    assert 'error="invalid_token"' in wrong.headers["www-authenticate"]


async def test_the_simulation_api_expires_and_revokes_sessions_and_lists_sign_ins(
    http: httpx.AsyncClient, sandbox: Sandbox, clock: Clock
) -> None:
    tokens = await signed_in(http, sandbox)
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    expired = await http.post("/_sandbox/iam/sessions/expire", json={"fcid": ALICE})
    assert expired.json() == {"expired": 1}
    assert (await http.get(f"{OIDC}/userinfo", headers=bearer)).status_code == 401
    auth = basic(sandbox.app_id, sandbox.secret)
    refreshed = await token(
        http, {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}, auth
    )
    assert refreshed.status_code == 200
    revoked = await http.post("/_sandbox/iam/sessions/revoke", json={"fcid": ALICE})
    assert revoked.json() == {"revoked": 1}
    again = await token(
        http,
        {"grant_type": "refresh_token", "refresh_token": refreshed.json()["refresh_token"]},
        auth,
    )
    assert again.json()["error"] == "invalid_grant"
    sign_ins = (await http.get("/_sandbox/iam/sign-ins")).json()
    assert [(s["fcid"], s["app_id"], s["redirect_uri"], s["method"]) for s in sign_ins] == [
        (ALICE, sandbox.app_id, REDIRECT, "login_hint")
    ]
    unknown = await http.post("/_sandbox/iam/sessions/revoke", json={"fcid": "@nobody:example.org"})
    assert unknown.status_code == 404


async def test_code_and_token_lifetimes_are_configurable(clock: Clock) -> None:
    from finchat_wrapper.sandbox import IamSettings

    with Sandbox(
        clock=clock, iam=IamSettings(access_token_ttl=5, refresh_token_ttl=50, code_ttl=2)
    ) as sb:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=sb.app), base_url=sb.base_url
        ) as http:
            code = await code_for(http, sb)
            clock.advance(3)
            late = await token(
                http,
                {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT},
                basic(sb.app_id, sb.secret),
            )
            assert late.json()["error"] == "invalid_grant"
            tokens = await signed_in(http, sb)
            assert (tokens["expires_in"], tokens["refresh_expires_in"]) == (5, 50)
    with pytest.raises(ValueError, match="code_ttl"):
        IamSettings(code_ttl=0)


async def test_an_internal_error_of_the_iam_is_a_server_error_answer_and_recorded(
    http: httpx.AsyncClient, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> dict:
        raise RuntimeError("planted")

    monkeypatch.setattr(sandbox.iam, "jwks", broken)
    response = await http.get(f"{OIDC}/certs")
    assert (response.status_code, response.json()["error"]) == (500, "server_error")
    assert [str(e) for e in sandbox.internal_errors] == ["planted"]
