"""SignIn (the Starlette integration) and the example app: in-process and over real sockets."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from finchat_wrapper.identity import AsyncIdentityClient, MemorySessionStore, SignIn
from finchat_wrapper.sandbox import Sandbox, serve

from .conftest import ALICE, LINIAN, Clock

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "signin_app.py"
APP_URL = "http://127.0.0.1:5000"
KEY = "k" * 32


def load_example() -> Any:
    spec = importlib.util.spec_from_file_location("signin_app_example", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
async def identity(sandbox: Sandbox, clock: Clock) -> AsyncIterator[AsyncIdentityClient]:
    async with AsyncIdentityClient(
        sandbox.app_id,
        sandbox.secret,
        base_url=sandbox.base_url,
        transport=httpx.ASGITransport(app=sandbox.app),
        clock=clock,
    ) as client:
        yield client


@pytest.fixture
async def browser(
    sandbox: Sandbox, identity: AsyncIdentityClient
) -> AsyncIterator[httpx.AsyncClient]:
    """A cookie-keeping client of the example app, in-process."""
    app = load_example().create_app(identity, cookie_key=KEY)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=APP_URL
    ) as client:
        yield client


async def iam_step(sandbox: Sandbox, location: str, fcid: str | None) -> str:
    """The browser at the sandbox IAM: with `fcid`, the user picked on the page; the redirect."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox.app)) as iam:
        page = await iam.get(location)
        if fcid is None:
            assert page.status_code == 302
            return page.headers["location"]
        assert page.status_code == 200  # the sign-in page
        assert f"value='{fcid}'" in page.text
        # What the page's button submits: the request again, with the chosen user.
        choice = httpx.URL(location).copy_merge_params({"login_hint": fcid, "sandbox_page": "1"})
        picked = await iam.get(choice)
        assert picked.status_code == 302
        return picked.headers["location"]


async def test_the_example_app_signs_a_user_in_and_shows_their_name_and_fcid(
    browser: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    home = await browser.get("/")
    assert "Nobody is signed in" in home.text
    login = await browser.get("/auth/login")
    assert login.status_code == 302
    assert login.headers["location"].startswith(f"{sandbox.base_url}/auth/realms/master/")
    back = await iam_step(sandbox, login.headers["location"], LINIAN)
    assert back.startswith(f"{APP_URL}/auth/callback?")
    done = await browser.get(back)
    assert (done.status_code, done.headers["location"]) == (303, "/")
    page = await browser.get("/")
    assert "<strong id='name'>linian002</strong>" in page.text
    assert f"<code id='fcid'>{LINIAN}</code>" in page.text
    me = await browser.get("/me")
    assert me.json()["fcid"] == LINIAN
    assert sandbox.iam.sign_ins[-1].method == "page"


async def test_cookies_are_signed_httponly_and_hold_no_token(
    browser: httpx.AsyncClient, sandbox: Sandbox, identity: AsyncIdentityClient
) -> None:
    login = await browser.get("/auth/login")
    pending = login.headers["set-cookie"]
    assert "HttpOnly" in pending
    assert "SameSite=lax" in pending
    done = await browser.get(
        await iam_step(sandbox, login.headers["location"], None)
        if False
        else await iam_step_hint(sandbox, login.headers["location"])
    )
    session_cookie = next(
        v for v in done.headers.get_list("set-cookie") if v.startswith("finchat_session=")
    )
    assert "HttpOnly" in session_cookie
    cookie_value = browser.cookies["finchat_session"]
    assert sandbox.secret not in cookie_value
    assert len(cookie_value) < 2048


async def iam_step_hint(sandbox: Sandbox, location: str) -> str:
    return await iam_step(sandbox, location + f"&login_hint={ALICE}", None)


async def test_a_tampered_session_cookie_signs_nobody_in(
    browser: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    login = await browser.get("/auth/login")
    await browser.get(await iam_step_hint(sandbox, login.headers["location"]))
    assert "alice" in (await browser.get("/")).text
    value = browser.cookies["finchat_session"]
    browser.cookies.set(
        "finchat_session", value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB")
    )
    assert "Nobody is signed in" in (await browser.get("/")).text


async def test_a_callback_without_the_browsers_sign_in_cookie_is_refused(
    browser: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    login = await browser.get("/auth/login")
    back = await iam_step_hint(sandbox, login.headers["location"])
    browser.cookies.clear()  # another browser: a login CSRF attempt
    refused = await browser.get(back)
    assert refused.status_code == 400
    assert sandbox.iam.requests["token:authorization_code"] == 0


async def test_a_replayed_callback_is_refused(browser: httpx.AsyncClient, sandbox: Sandbox) -> None:
    login = await browser.get("/auth/login")
    pending = browser.cookies["finchat_session_signin"]
    back = await iam_step_hint(sandbox, login.headers["location"])
    assert (await browser.get(back)).status_code == 303
    browser.cookies.set("finchat_session_signin", pending)
    assert (await browser.get(back)).status_code == 400


async def test_next_is_followed_only_to_a_path_of_the_app(
    browser: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    for target, expected in (
        ("/me", "/me"),
        ("//evil.example/x", "/"),
        ("https://evil.example", "/"),
    ):
        login = await browser.get("/auth/login", params={"next": target})
        done = await browser.get(await iam_step_hint(sandbox, login.headers["location"]))
        assert done.headers["location"] == expected


async def test_logout_forgets_the_user(browser: httpx.AsyncClient, sandbox: Sandbox) -> None:
    login = await browser.get("/auth/login")
    await browser.get(await iam_step_hint(sandbox, login.headers["location"]))
    out = await browser.post("/auth/logout")
    assert out.status_code == 303
    assert "Nobody is signed in" in (await browser.get("/")).text
    assert (await browser.get("/me")).status_code == 401


async def test_session_refreshes_when_due_and_ends_when_the_iam_session_ends(
    sandbox: Sandbox, identity: AsyncIdentityClient, clock: Clock
) -> None:
    store = MemorySessionStore()
    signin = SignIn(identity, secret_key=KEY, store=store, clock=clock)
    app = Starlette(routes=[Mount("/auth", routes=signin.routes())])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=APP_URL
    ) as client:
        login = await client.get("/auth/login")
        await client.get(await iam_step_hint(sandbox, login.headers["location"]))
        request = SimpleNamespace(cookies=dict(client.cookies))
        first = await signin.session(request)  # type: ignore[arg-type]
        assert first is not None
        clock.advance(301)
        second = await signin.session(request)  # type: ignore[arg-type]
        assert second is not None
        assert second.generation == first.generation + 1
        assert (await store.get(first.session_id)) is second
        sandbox.iam.revoke_sessions(ALICE)
        clock.advance(301)
        assert await signin.session(request) is None  # type: ignore[arg-type]
        assert len(store) == 0


def test_a_short_cookie_key_is_refused(sandbox: Sandbox) -> None:
    client = AsyncIdentityClient(sandbox.app_id, sandbox.secret, base_url=sandbox.base_url)
    with pytest.raises(ValueError, match="32 bytes"):
        SignIn(client, secret_key="short")


@pytest.mark.network
async def test_the_example_app_and_the_sandbox_over_real_sockets() -> None:
    with Sandbox() as sb, serve(sb) as iam_base:
        # The app's client runs on the app server's event loop: no pooled connection may outlive
        # that loop, so none is kept alive.
        no_pool = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))
        identity = AsyncIdentityClient(sb.app_id, sb.secret, base_url=iam_base, transport=no_pool)
        holder = SimpleNamespace(
            app=load_example().create_app(identity, cookie_key=KEY), base_url=""
        )
        with serve(holder) as app_base:
            async with httpx.AsyncClient(base_url=app_base) as browser, httpx.AsyncClient() as iam:
                login = await browser.get("/auth/login")
                assert login.headers["location"].startswith(f"{iam_base}/auth/realms/master/")
                chosen = httpx.URL(login.headers["location"]).copy_merge_params(
                    {"login_hint": ALICE}
                )
                picked = await iam.get(chosen)
                back = picked.headers["location"]
                assert back.startswith(f"{app_base}/auth/callback?")
                assert (await browser.get(back)).status_code == 303
                page = await browser.get("/")
                assert "<strong id='name'>alice</strong>" in page.text
                assert (await browser.get("/me")).json()["fcid"] == ALICE
        await identity.aclose()


async def test_a_callback_url_the_client_refuses_is_a_clear_error_page_not_a_crash(
    sandbox: Sandbox, identity: AsyncIdentityClient
) -> None:
    signin = SignIn(identity, secret_key=KEY)
    app = Starlette(routes=[Mount("/auth", routes=signin.routes())])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://intranet.example") as client:
        refused = await client.get("/auth/login")  # plain http off loopback: no redirect_uri
    assert refused.status_code == 500
    assert "misconfigured" in refused.text
    assert "location" not in refused.headers
