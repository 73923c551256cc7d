"""The `finchat` pytest plugin: opt-in fixtures for bots' own test suites."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BOT_TESTS = """
import httpx
import pytest

from finchat_wrapper.sandbox import Sandbox

API = "/api/v1/finchat/open-api"


BOTH = pytest.mark.parametrize("finchat_sandbox", ["inprocess", "socket"], indirect=True)


def test_option_chooses_the_default_mode(finchat_sandbox: Sandbox, pytestconfig) -> None:
    assert finchat_sandbox.stats.total == 0
    assert finchat_sandbox.served == (pytestconfig.getoption("finchat_sandbox") == "socket")


@BOTH
def test_both_modes_serve_the_api(finchat_sandbox: Sandbox) -> None:
    with httpx.Client(
        transport=finchat_sandbox.transport(), base_url=finchat_sandbox.base_url
    ) as client:
        response = client.post(
            f"{API}/auth/token",
            json={"app_id": finchat_sandbox.app_id, "secret": finchat_sandbox.secret},
        )
    assert response.status_code == 200
    assert finchat_sandbox.stats.token_requests == 1
    assert finchat_sandbox.served == (finchat_sandbox.base_url.startswith("http://127.0.0.1"))


@BOTH
def test_client_fixture_is_wired_to_the_sandbox(finchat_client, finchat_sandbox: Sandbox) -> None:
    assert finchat_client.app_id == finchat_sandbox.app_id
    response = finchat_client.http_client.post(
        f"{API}/auth/token",
        json={"app_id": finchat_sandbox.app_id, "secret": finchat_sandbox.secret},
    )
    assert response.status_code == 200
    assert finchat_sandbox.stats.token_requests >= 1


@BOTH
async def test_async_client_fixture_is_wired_to_the_sandbox(
    finchat_async_client, finchat_sandbox: Sandbox
) -> None:
    assert finchat_async_client.app_id == finchat_sandbox.app_id
    response = await finchat_async_client.http_client.get(
        f"{API}/apps/{finchat_sandbox.app_id}/friendships"
    )
    assert response.status_code == 200  # the client's auth fetched a token on its own
    assert finchat_sandbox.stats.token_requests == 1
"""


def run_pytest(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_bot.py").write_text(textwrap.dedent(BOT_TESTS))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


@pytest.mark.network
def test_a_bot_suite_gets_the_fixtures_in_both_modes(tmp_path: Path) -> None:
    # One run (a pytest start costs seconds): the option makes the default mode "socket", and
    # the parametrized tests cover both modes explicitly.
    result = run_pytest(
        tmp_path,
        "-o",
        "asyncio_mode=auto",
        "-o",
        "asyncio_default_fixture_loop_scope=function",
        "--finchat-sandbox=socket",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "7 passed" in result.stdout


def test_importing_the_plugin_starts_and_loads_nothing_heavy() -> None:
    code = (
        "import sys, threading; import finchat_wrapper.pytest_plugin; "
        "print(threading.active_count(), 'finchat_wrapper.sandbox' in sys.modules, "
        "'uvicorn' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == ["1", "False", "False"]
