"""The `finchat` pytest plugin: opt-in fixtures for bots' own test suites."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BOT_TESTS = """
import httpx
import pytest

from finchat_wrapper import text_content
from finchat_wrapper.sandbox import Sandbox, World

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
    assert finchat_client.retry_policy.sleep is True


# Marked for strict mode; auto mode takes the mark as well.
@pytest.mark.asyncio
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


def small_world() -> World:
    data = World.default().to_dict()
    data["users"].append({"fcid": "@only-here:example.org", "profile": {"name": "only here"}})
    return World.from_dict(data)


@pytest.mark.finchat(world=small_world(), fcid_limit=2, sleep=False)
def test_the_marker_gives_a_world_limits_and_no_sleep_retries(
    finchat_client, finchat_sandbox: Sandbox
) -> None:
    assert "@only-here:example.org" in finchat_sandbox.state.users
    assert finchat_client.retry_policy.sleep is False
    users = ["@alice:example.org", "@test:example.org", "@user001:example.org"]
    report = finchat_client.messages.send(text_content("hi"), fcids=users)
    assert report.ok
    # Three refused as over the limit of 2, then the client halves to 1 a request: 1 + 3.
    assert report.requests == 4


@pytest.mark.finchat(fcid_limit=1)
class TestMarkedClass:
    @pytest.mark.finchat(room_id_limit=1)
    def test_the_closest_marker_adds_to_the_outer_one(self, finchat_sandbox: Sandbox) -> None:
        assert finchat_sandbox.state.fcid_limit == 1
        assert finchat_sandbox.state.room_id_limit == 1


@pytest.mark.asyncio
async def test_a_bot_module_loaded_with_its_environment(finchat_env) -> None:
    bot = finchat_env.load("mybot")
    finchat_env.connect(bot.app)
    await finchat_env.sandbox.simulate.user_message("@test:example.org", "ping")
    texts = [m.content.get("body") for m in finchat_env.sandbox.sent(bot.ROOM)]
    assert texts[-2:] == ["ping", "pong"]
"""

BOT_MODULE = """
import os

from finchat_wrapper import AsyncFinChat, text_content
from finchat_wrapper.events import EventDispatcher, WebhookReceiver

ROOM = "!100000000000000001:example.org"  # the direct room of @test:example.org
client = AsyncFinChat.from_env()
events = EventDispatcher()


@events.on_message
async def answer(event):
    await client.messages.send(text_content("pong"), room_ids=[event.room_id])


app = WebhookReceiver(events, token=os.environ["FINCHAT_WEBHOOK_TOKEN"])
"""


# Only the plugins these runs need: schemathesis's and hypothesis's, loaded by every pytest of
# this environment otherwise, cost seconds at each start. The strict run loads every plugin, as a
# bot's suite does, so the entry point that registers this one is exercised too.
ONLY_OURS = ("-p", "pytest_asyncio.plugin", "-p", "finchat_wrapper.pytest_plugin")


def run_pytest(
    tmp_path: Path, *args: str, autoload: bool = True
) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_bot.py").write_text(textwrap.dedent(BOT_TESTS))
    (tmp_path / "mybot.py").write_text(textwrap.dedent(BOT_MODULE))
    env = dict(os.environ)
    if not autoload:
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        args = (*ONLY_OURS, *args)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.network
@pytest.mark.parametrize("asyncio_mode", ["strict", "auto"])
def test_a_bot_suite_gets_the_fixtures_in_both_modes(tmp_path: Path, asyncio_mode: str) -> None:
    # One run per asyncio mode (a pytest start costs seconds): the option makes the default mode
    # "socket", and the parametrized tests cover both sandbox modes explicitly.
    result = run_pytest(
        tmp_path,
        "-W",
        "error",
        "-o",
        f"asyncio_mode={asyncio_mode}",
        "-o",
        "asyncio_default_fixture_loop_scope=function",
        "--finchat-sandbox=socket",
        "--strict-markers",
        autoload=asyncio_mode == "strict",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "10 passed" in result.stdout


def test_without_pytest_asyncio_the_async_fixtures_say_what_they_need(tmp_path: Path) -> None:
    (tmp_path / "test_async.py").write_text("def test_needs_it(finchat_async_client):\n    pass\n")
    # pytest-asyncio as if not installed: its plugin not loaded, its module not importable.
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "pytest_asyncio.py").write_text("raise ImportError('not installed')\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p",
         "finchat_wrapper.pytest_plugin", str(tmp_path / "test_async.py")],
        capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False,
        env={**os.environ, "PYTHONPATH": str(shadow), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "finchat_async_client needs pytest-asyncio: pip install pytest-asyncio" in result.stdout


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
