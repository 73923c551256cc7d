"""Every code block of README.md, whatever its section: it type-checks under `mypy --strict` and
runs (against a sandbox where it talks to a server); the walk-through runs as printed."""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from finchat_wrapper._cli._extras import COMMAND_EXTRAS
from finchat_wrapper.sandbox import Sandbox, serve

from .readme import (
    README,
    ROOT,
    Block,
    blocks,
    environment,
    free_port,
    normalized,
    python_blocks,
    run_walkthrough,
    sample_files,
    walkthrough,
    write_blocks,
)

BLOCKS = python_blocks()
FINITE = [block for block in BLOCKS if not block.runs_until_stopped]
POLLERS = [block for block in BLOCKS if block.runs_until_stopped]
FORWARDER = "http://forwarder.localhost/api/v1/finchat/privilege-api/forwarder/event"


def ids(block: Block) -> str:
    return f"{block.filename}:{block.line}"


def test_the_readme_has_python_blocks_and_each_has_a_file_name() -> None:
    assert len(BLOCKS) >= 6
    names = [block.filename for block in BLOCKS]
    assert len(set(names)) == len(names)
    assert "mybot.py" in names


@pytest.fixture(scope="module")
def mypy_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One `mypy --strict` run over every block, each a module beside the others: name -> errors."""
    directory = tmp_path_factory.mktemp("readme-mypy")
    paths = write_blocks(directory)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--show-error-codes",
         *map(str, paths)],
        capture_output=True, text=True, cwd=ROOT, timeout=600, check=False,
    )  # fmt: skip
    errors: dict[str, str] = {path.name: "" for path in paths}
    for line in result.stdout.splitlines():
        name = Path(line.split(":", 1)[0]).name
        if name in errors:
            errors[name] += line + "\n"
        else:  # an error outside the blocks (a crash, a config problem): every block fails
            errors = {key: value + line + "\n" for key, value in errors.items()}
    return errors


@pytest.mark.slow
@pytest.mark.parametrize("block", BLOCKS, ids=ids)
def test_every_python_block_passes_mypy_strict(block: Block, mypy_results: dict[str, str]) -> None:
    assert mypy_results[block.filename] == "", f"{block}:\n{mypy_results[block.filename]}"


@pytest.fixture
def sandbox_url() -> Iterator[tuple[Sandbox, str]]:
    with Sandbox() as sb, serve(sb) as base_url:
        yield sb, base_url


@pytest.mark.network
@pytest.mark.parametrize("block", FINITE, ids=ids)
def test_every_python_block_runs(
    block: Block, sandbox_url: tuple[Sandbox, str], tmp_path: Path
) -> None:
    sb, base_url = sandbox_url
    write_blocks(tmp_path)
    sample_files(tmp_path)
    env = environment(base_url, sb.app_id, sb.secret)
    if block.is_test:
        # A test of a bot: run by pytest with the package's plugin and pytest-asyncio (the others
        # of this environment, schemathesis's and hypothesis's, only cost seconds to start).
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        command = [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error",
            "-p", "pytest_asyncio.plugin", "-p", "finchat_wrapper.pytest_plugin",
            "-o", "asyncio_default_fixture_loop_scope=function", block.filename,
        ]  # fmt: skip
    else:
        command = [sys.executable, block.filename]
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120, check=False
    )
    assert result.returncode == 0, f"{block}:\n{result.stdout}{result.stderr}"
    assert sb.internal_errors == []


def test_the_readme_has_its_pull_bot() -> None:
    # The pull block is the one that runs until stopped; a README without it would skip a test.
    assert [block.section for block in POLLERS] == ["Receiving events"]


@pytest.mark.network
@pytest.mark.parametrize("block", POLLERS, ids=ids)
def test_the_pull_bot_pulls_until_it_is_stopped(
    block: Block, sandbox_url: tuple[Sandbox, str], tmp_path: Path
) -> None:
    # The app's events go to the forwarder, and a user has written: the README's poller pulls
    # the event, handles it and saves its cursor (its file appears), and runs on until stopped.
    sb, base_url = sandbox_url
    sb.set_callback(sb.app_id, FORWARDER, "forwarder-token")
    asyncio.run(sb.simulate.user_message("@alice:example.org", "hi"))
    write_blocks(tmp_path)
    env = environment(base_url, sb.app_id, sb.secret)
    bot = subprocess.Popen(
        [sys.executable, block.filename],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "bot.cursor").exists() and bot.poll() is None:
            assert time.monotonic() < deadline, "the poller saved no cursor within 60 s"
            time.sleep(0.1)
        time.sleep(1.0)  # and it goes on polling
        assert bot.poll() is None, f"{block} ended:\n{bot.communicate()[0]}"
    finally:
        bot.send_signal(signal.SIGINT)
        try:
            bot.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            bot.kill()
            bot.communicate()
    assert (tmp_path / "bot.cursor").read_text(encoding="utf-8").strip()
    assert sb.internal_errors == []


@pytest.mark.network
@pytest.mark.slow
def test_the_walkthrough_runs_as_printed_and_the_bot_replies(tmp_path: Path) -> None:
    write_blocks(tmp_path)  # mybot.py among them
    _, shown = walkthrough()
    bin_dir = str(Path(sys.executable).parent)
    env = {**environment("", "", ""), "PATH": f"{bin_dir}:/usr/bin:/bin"}
    for name in ("FINCHAT_BASE_URL", "FINCHAT_APP_ID", "FINCHAT_SECRET", "FINCHAT_WEBHOOK_TOKEN"):
        env.pop(name)  # the walk-through sets them itself
    walk = run_walkthrough(tmp_path, env, ports={8008: free_port(), 9000: free_port()})
    assert normalized(walk.output) == normalized(shown.text), walk.servers


def test_the_table_of_extras_is_what_the_commands_check() -> None:
    text = README.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `finchat ([a-z-]+)` \| `pip install 'finchat\[(\w+)\]'` \|$",
                           text, re.MULTILINE))  # fmt: skip
    assert rows == COMMAND_EXTRAS


def test_every_block_has_a_language() -> None:
    assert [str(b) for b in blocks() if not b.language] == []
