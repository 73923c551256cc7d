"""CLI messages a new user met that pointed the wrong way (issue 18, items 10 to 14)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from finchat_wrapper.sandbox import FaultPlan, Sandbox, World, serve
from finchat_wrapper.sandbox._world import BOT, DIRECT_ROOM

from .conftest import Finchat

pytestmark = pytest.mark.network

FINCHAT = Path(sys.executable).with_name("finchat")
ROOM = "!112321588723954859:example.org"


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


# ---- item 10: a whole m.cui content without `version` -----------------------------------------


def test_a_whole_card_without_version_names_the_missing_field(
    finchat: Finchat, tmp_path: Path
) -> None:
    card = tmp_path / "card.yaml"
    card.write_text(
        "msgtype: m.cui\nbody: Apply\ninfo:\n  type: form\n  elements:\n"
        "    - {type: context, subtype: text, value: Apply for a POC}\n"
    )
    run = finchat("send", "--room", ROOM, "--card", str(card))
    assert run.code == 2
    line = one_line(run.err)
    assert "has no `version` (the CUI format version, 0.1.0)" in line
    assert "element 1" not in line


# ---- item 11: a wrong base URL, a server that is not FinChat ---------------------------------


def test_a_base_url_with_a_wrong_path_says_check_the_base_url(finchat: Finchat) -> None:
    run = finchat("token", "--base-url", finchat.base_url + "/api")
    assert run.code == 5
    line = one_line(run.err)
    assert "check the base URL" in line
    assert "check the id" not in line


def test_a_server_that_is_not_finchat_says_check_the_base_url(finchat: Finchat) -> None:
    # Python's own HTTP server answers a POST 501 with an HTML page.
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", "0", "--bind", "127.0.0.1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()  # "Serving HTTP on 127.0.0.1 port N (http://...) ..."
        port = line.split(" port ")[1].split()[0]
        run = finchat("token", "--base-url", f"http://127.0.0.1:{port}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        if server.stdout is not None:
            server.stdout.close()
    assert run.code == 5
    line = one_line(run.err)
    assert "HTTP 501 without a FinChat error body" in line
    assert "check the base URL" in line
    assert "try again later" not in line


# ---- item 12: an interrupted broadcast --------------------------------------------------------


def crowd(n: int) -> World:
    data = World.default().to_dict()
    for i in range(n):
        fcid = f"@crowd{i}:example.org"
        data["users"].append({"fcid": fcid, "profile": {"name": f"crowd {i}"}})
        data["rooms"].append(
            {"room_id": f"!crowd{i}:example.org", "type": DIRECT_ROOM, "members": [BOT, fcid]}
        )
    return World.from_dict(data)


@pytest.fixture
def slow_sandbox() -> Iterator[tuple[Sandbox, str]]:
    """Two users per request, each request 0.3 s: a broadcast to 40 takes 6 s."""
    with Sandbox(crowd(40), fcid_limit=2) as sb, serve(sb) as base_url:
        sb.set_faults(FaultPlan(latency=0.3, operations=frozenset({"send_message"})))
        yield sb, base_url


@pytest.mark.slow
@pytest.mark.parametrize("as_json", [False, True], ids=["rows", "json"])
def test_an_interrupted_broadcast_lists_sent_unknown_and_not_attempted(
    slow_sandbox: tuple[Sandbox, str], tmp_path: Path, as_json: bool
) -> None:
    sb, base_url = slow_sandbox
    users = tmp_path / "users.txt"
    users.write_text("".join(f"@crowd{i}:example.org\n" for i in range(40)))
    env = {
        **os.environ,
        "FINCHAT_APP_ID": sb.app_id,
        "FINCHAT_SECRET": sb.secret,
        "FINCHAT_BASE_URL": base_url,
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    args = [str(FINCHAT), "send", "--users-from", str(users), "--text", "hi", "--concurrency", "1"]
    proc = subprocess.Popen(
        [*args, *(["--json"] if as_json else [])],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 30
    while len(sb.delivery_log) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, out + err
    assert "Traceback" not in err
    assert "SendReport(" not in out + err  # no Python repr
    sent = {d.recipient for d in sb.delivery_log}
    assert 4 <= len(sent) < 40
    if as_json:
        document = json.loads(out)
        status = {r["recipient"]: r["status"] for r in document["results"]}
        assert document["error"]["exit_code"] == 130
    else:
        rows = [line.split() for line in out.splitlines() if line.startswith("@crowd")]
        status = {row[0]: " ".join(row[2:4]) if row[2] == "not" else row[2] for row in rows}
        status = {k: v.replace("not attempted", "not_attempted") for k, v in status.items()}
    assert len(status) == 40  # one row per recipient
    assert {fcid for fcid, s in status.items() if s == "sent"} <= sent
    not_attempted = {fcid for fcid, s in status.items() if s == "not_attempted"}
    assert not_attempted
    assert not not_attempted & sent  # never sent: safe to send again
    assert set(status.values()) <= {"sent", "unknown", "not_attempted"}
    summary = err.strip().splitlines()[-1]
    assert summary.startswith("Error: interrupted: ")
    assert f"{len(not_attempted)} not attempted" in summary


# ---- item 14: smaller ones -------------------------------------------------------------------


def test_a_repeated_text_is_refused_before_sending(finchat: Finchat) -> None:
    before = len(finchat.sandbox.delivery_log)
    run = finchat("send", "--room", ROOM, "--text", "one", "--text", "two")
    assert run.code == 2
    assert "--text" in run.err
    assert "given more than once" in run.err
    assert len(finchat.sandbox.delivery_log) == before


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_text_is_refused(finchat: Finchat, text: str) -> None:
    run = finchat("send", "--room", ROOM, "--text", text)
    assert run.code == 2
    assert one_line(run.err) == "Error: --text is empty: nothing to send"


def test_an_image_that_is_not_an_image_is_refused(finchat: Finchat, tmp_path: Path) -> None:
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.4 a report")
    run = finchat("send", "--room", ROOM, "--image", str(report))
    assert run.code == 2
    assert one_line(run.err) == (
        f"Error: {report} is application/pdf, not an image: send it with --file"
    )


def test_a_users_file_that_is_not_utf8_is_named(finchat: Finchat, tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    users.write_bytes(b"@alice:example.org\n@b\xe9atrice:example.org\n")
    run = finchat("send", "--users-from", str(users), "--text", "hi")
    assert run.code == 2
    line = one_line(run.err)
    assert str(users) in line
    assert "is not UTF-8 text" in line


def test_listen_keeps_each_event_on_one_line_when_piped() -> None:
    body = "a long message " * 20
    event = {
        "event_id": "$e:example.org",
        "timestamp": 1,
        "sender": "@alice:example.org",
        "room_id": "!r:example.org",
        "room_type": "direct_room",
        "fcid": "@alice:example.org",
        "type": "m.room.message",
        "content": {"msgtype": "m.text", "body": body},
    }
    proc = subprocess.Popen(
        [str(FINCHAT), "listen", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "FINCHAT_WEBHOOK_TOKEN": "t", "COLUMNS": "", "TERM": "xterm"},
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split(" on ")[1].strip()
        answer = httpx.put(url, json={"token": "t", "event": event}, timeout=10)
        assert answer.status_code == 200
        line = proc.stdout.readline()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
        if proc.stdout is not None:
            proc.stdout.close()
    # The whole record on one line (its text shortened by design), not wrapped at 80 columns.
    assert "m.text $e:example.org room_id=!r:example.org sender=@alice:example.org" in line
    assert line.rstrip("\n").endswith("…")
    assert len(line) > 80


def test_contract_keeps_each_line_whole_when_piped(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(FINCHAT), "contract", "--phases", "examples", "--max-examples", "1",
         "--report-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "COLUMNS": "", "TERM": "xterm"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    checks = [line for line in result.stdout.splitlines() if line.strip().startswith("checks")]
    assert len(checks) == 1
    assert checks[0].rstrip().endswith("use_after_free")  # all of them, not wrapped at 120
    assert len(checks[0]) > 120


# ---- item 1: what the help of contract says it reads -------------------------------------------


def test_contract_help_names_the_spec_file_it_reads_not_a_checkout_path() -> None:
    from click.testing import CliRunner

    from finchat_wrapper._cli import main
    from finchat_wrapper.contract import default_spec_path

    help_text = " ".join(CliRunner().invoke(main, ["contract", "--help"]).output.split())
    assert "of this checkout" not in help_text
    # Click wraps a long path at its hyphens too ("/work/ci-" / "clone/..."): compare without
    # any white space.
    unwrapped = "".join(help_text.split())
    assert "[default:" + "".join(str(default_spec_path()).split()) + "]" in unwrapped


def test_a_server_commands_log_record_is_one_line_when_piped() -> None:
    from click.testing import CliRunner

    from finchat_wrapper._cli import main

    # 192.0.2.1 (TEST-NET-1) is no address of this machine: the warning, then the bind fails.
    result = CliRunner().invoke(main, ["sandbox", "--host", "192.0.2.1", "--port", "0"])
    assert result.exit_code == 2
    [warning] = [line for line in result.output.splitlines() if "loopback" in line]
    assert warning.startswith("WARNING the sandbox listens on 192.0.2.1")
    assert warning.endswith("unless that is what you want.")
