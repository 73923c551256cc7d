"""A real browser signs in: headless Chromium (Debian's /usr/bin/chromium, driven by Playwright)
opens the example app, is sent to the sandbox's sign-in page, picks a user, comes back, and the
app shows that user's name and fcid (the `chromium` fixture of tests/conftest.py)."""

from __future__ import annotations

from types import SimpleNamespace

import httpx
import pytest

from finchat_wrapper.identity import AsyncIdentityClient
from finchat_wrapper.sandbox import Sandbox, serve

from .test_signin import KEY, load_example

pytestmark = [pytest.mark.network, pytest.mark.slow]


def test_a_person_signs_in_with_a_browser_and_the_app_shows_who_they_are(chromium: object) -> None:
    with Sandbox() as sb, serve(sb) as iam_base:
        no_pool = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))
        identity = AsyncIdentityClient(sb.app_id, sb.secret, base_url=iam_base, transport=no_pool)
        holder = SimpleNamespace(
            app=load_example().create_app(identity, cookie_key=KEY), base_url=""
        )
        with serve(holder) as app_base:
            page = chromium.new_page()  # type: ignore[attr-defined]
            page.set_default_timeout(10_000)
            try:
                page.goto(f"{app_base}/")
                page.get_by_role("link", name="Sign in with FinChat").click()
                page.wait_for_url(f"{iam_base}/auth/realms/master/**")
                assert page.title() == "Sign in with FinChat"
                page.get_by_role("button", name="linian002").click()
                page.wait_for_url(f"{app_base}/")
                assert page.locator("#name").inner_text() == "linian002"
                assert page.locator("#fcid").inner_text() == "@linian002:dev.finogeeks.club"
                page.get_by_role("button", name="Sign out").click()
                page.wait_for_url(f"{app_base}/")
                assert "Nobody is signed in" in page.content()
            finally:
                page.close()
        assert [(s.fcid, s.method) for s in sb.iam.sign_ins] == [
            ("@linian002:dev.finogeeks.club", "page")
        ]
