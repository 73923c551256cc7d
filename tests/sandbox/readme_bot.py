"""The README's bots, their code as printed, run by uvicorn in a subprocess on a real socket."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.readme.readme import python_blocks


def readme_bot_code() -> str:
    """The README's `mybot.py` block (of its "Receiving events" section)."""
    [block] = [b for b in python_blocks() if b.filename == "mybot.py"]
    assert block.section == "Receiving events", block
    return block.text


def readme_search_code() -> str:
    """The Python block of the README's "Shortcut search" paragraph: a dispatcher `events`
    with an `on_search` handler (served with a `WebhookReceiver` of it)."""
    found = [
        b
        for b in python_blocks()
        if b.section == "Receiving events" and "@events.on_search" in b.text
    ]
    assert found, "the README's Receiving events section has no block with an on_search handler"
    return found[0].text


@contextlib.contextmanager
def running_readme_bot(
    tmp: Path, base_url: str, app_id: str, secret: str, token: str
) -> Iterator[str]:
    """Serve the README bot against the sandbox at `base_url`; yields its callback URL."""
    with running_bot(tmp, readme_bot_code(), base_url, app_id, secret, token) as url:
        yield url


@contextlib.contextmanager
def running_bot(
    tmp: Path, code: str, base_url: str, app_id: str, secret: str, token: str
) -> Iterator[str]:
    """Serve `code` (a module whose `app` is an ASGI app) by uvicorn, with the settings of the
    README's bot in its environment; yields its callback URL, `/callback`."""
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "mybot.py").write_text(code, encoding="utf-8")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/callback"
    env = {
        **os.environ,
        "FINCHAT_APP_ID": app_id,
        "FINCHAT_SECRET": secret,
        "FINCHAT_BASE_URL": base_url,
        "FINCHAT_WEBHOOK_TOKEN": token,
    }
    command = [sys.executable, "-m", "uvicorn", "mybot:app", "--fd", str(sock.fileno())]
    command += ["--app-dir", str(tmp), "--log-level", "warning", "--lifespan", "off"]
    proc = subprocess.Popen(command, env=env, pass_fds=(sock.fileno(),), cwd=tmp)
    sock.close()  # the subprocess holds it now
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                # Any answer means it serves: an empty PUT is a 400 of the receiver.
                httpx.put(url, content=b"", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the README bot did not start") from None
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
