"""A real page in real headless Chromium tries the attacks the control API's guard is for: the
requests a browser sends without a CORS preflight (a "no-cors" POST without a body, or with a
body of no declared type, which the control API used to take as JSON)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from finchat_wrapper.sandbox import Sandbox, serve

pytestmark = pytest.mark.network


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        reason = "chromium is not on PATH (apt-get install chromium); the browser test needs it"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}, and CI=true must run it")
        pytest.skip(reason)
    return path


_ATTACK = """<html><body>waiting<script>
(async () => {
  const sent = [];
  const attacks = [
    ["/_sandbox/tokens/revoke", {method: "POST", mode: "no-cors"}],
    ["/_sandbox/simulate/user-message", {method: "POST", mode: "no-cors",
      body: new Blob([JSON.stringify({fcid: "@test:example.org", body: "from a page"})])}],
  ];
  for (const [path, init] of attacks) {
    try { await fetch(SANDBOX + path, init); sent.push("sent"); }
    catch (error) { sent.push("failed"); }
  }
  document.body.textContent = "done " + sent.join(",");
})();
</script></body></html>"""


class AttackerSite:
    """Another origin on this machine: a page a user might open while the sandbox runs."""

    def __init__(self, sandbox_url: str) -> None:
        html = _ATTACK.replace("SANDBOX", repr(sandbox_url))

        async def page(request: Request) -> HTMLResponse:
            return HTMLResponse(html)

        self.app = Starlette(routes=[Route("/", page)])
        self.base_url = ""


def test_a_page_of_another_origin_can_neither_revoke_tokens_nor_post_as_a_user() -> None:
    browser = chromium()
    with Sandbox() as sandbox, serve(sandbox) as sandbox_url:
        token = sandbox.state.issue_token(sandbox.app_id, sandbox.secret)["app_access_token"]
        with serve(AttackerSite(sandbox_url)) as page_url:
            result = subprocess.run(
                [
                    browser,
                    "--headless",
                    "--no-sandbox",  # CI runs as root
                    "--disable-gpu",
                    "--virtual-time-budget=20000",  # waits for the fetches, not for the clock
                    "--dump-dom",
                    f"{page_url}/",
                ],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
        assert "done sent,sent" in result.stdout, result.stderr[-2000:]
        # The requests reached the sandbox and were refused there: nothing happened.
        assert sandbox.state.token_app(token) == sandbox.app_id
        assert sandbox.events == []
