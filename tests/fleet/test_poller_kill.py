"""A poller killed (SIGKILL, a real process) in the middle of a page, and again while idle, and
started again each time: every event is handled once, none lost, none twice.

The cursor (a file) moves only past finished pages, and the dedupe store (Redis) remembers what
was done within a page, so a restart skips what is done and takes up what was not: the handler
that was killed mid-way runs again (its claim lapses), to its end, once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from finchat_wrapper.sandbox import FORWARDER_PATH, Sandbox, serve

pytestmark = [pytest.mark.redis, pytest.mark.network, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
ALICE = "@alice:example.org"


class Bot:
    """The poller process, restarted as often as the test likes."""

    def __init__(self, tmp_path: Path, sb: Sandbox, base_url: str, redis_url: str, prefix: str):
        self.journal = tmp_path / "journal"
        self.cursor = tmp_path / "bot.cursor"
        markers = tmp_path / "markers"
        markers.mkdir()
        self.args = [
            sys.executable, "-m", "tests.fleet.poller_worker",
            str(self.journal), str(self.cursor), str(markers), redis_url, prefix,
        ]  # fmt: skip
        self.env = {
            **os.environ,
            "FINCHAT_APP_ID": sb.app_id,
            "FINCHAT_SECRET": sb.secret,
            "FINCHAT_BASE_URL": base_url,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        runs = self.lines().count("running")
        self.process = subprocess.Popen(self.args, cwd=ROOT, env=self.env)
        self.wait_for(lambda lines: lines.count("running") > runs, "the poller to start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def lines(self) -> list[str]:
        return self.journal.read_text().splitlines() if self.journal.exists() else []

    def wait_for(
        self, condition: Callable[[list[str]], bool], what: str, seconds: float = 30.0
    ) -> None:
        deadline = time.monotonic() + seconds
        while not condition(self.lines()):
            assert self.process is not None
            assert self.process.poll() is None, "the poller died"
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            time.sleep(0.02)


def cursor_at(path: Path, event_id: str) -> bool:
    return path.exists() and json.loads(path.read_text()) == {"since": event_id}


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


def test_a_poller_killed_mid_page_and_while_idle_handles_every_event_exactly_once(
    tmp_path: Path, sb: Sandbox, redis_url: str, prefix: str
) -> None:
    import asyncio

    with serve(sb) as base_url:
        sb.set_callback(sb.app_id, f"{base_url}{FORWARDER_PATH}", "unused")

        def say(*bodies: str) -> list[str]:
            async def go() -> list[str]:
                return [(await sb.simulate.user_message(ALICE, b))["event_id"] for b in bodies]

            return asyncio.run(go())

        # Pages of 4: [m0 block1 m2 m3] [block4 m5 m6 block7] [m8 m9]
        bodies = ["m0", "block1", "m2", "m3", "block4", "m5", "m6", "block7", "m8", "m9"]
        ids = say(*bodies)
        bot = Bot(tmp_path, sb, base_url, redis_url, prefix)
        try:
            for blocker in (ids[1], ids[4], ids[7]):
                bot.start()
                bot.wait_for(lambda lines, b=blocker: f"start {b}" in lines, f"{blocker}'s handler")
                bot.kill()  # mid-page, inside a handler
            bot.start()
            bot.wait_for(lambda lines: all(f"done {i}" in lines for i in ids), "every event")
            bot.wait_for(lambda lines: bot.cursor.exists(), "the cursor")
            time.sleep(0.3)  # idle now, between pulls
            bot.kill()
            later = say("m10", "m11")
            bot.start()
            bot.wait_for(lambda lines: all(f"done {i}" in lines for i in later), "the new events")
            # The cursor is saved just after the page's last handler: kill once it is (the file
            # is replaced atomically, so it always reads whole).
            bot.wait_for(lambda lines: cursor_at(bot.cursor, later[-1]), "the cursor moved")
            bot.kill()
        finally:
            if bot.process is not None and bot.process.poll() is None:
                bot.kill()
    lines = bot.lines()
    done = Counter(line.split()[1] for line in lines if line.startswith("done "))
    started = Counter(line.split()[1] for line in lines if line.startswith("start "))
    assert done == dict.fromkeys(ids + later, 1)  # every event once: none lost, none twice
    # Only the handlers killed mid-way ran a second time; every other event ran once.
    assert {i for i, n in started.items() if n > 1} == {ids[1], ids[4], ids[7]}
    assert all(n <= 2 for n in started.values())
    assert json.loads(bot.cursor.read_text()) == {"since": later[-1]}
