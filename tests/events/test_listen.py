from __future__ import annotations

import asyncio
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from rich.console import Console

from finchat_wrapper._cli import main
from finchat_wrapper._cli.listen import Output, Relay, RelayError, build_receiver, describe
from finchat_wrapper.events import parse_event

from .conftest import TOKEN, callback

FINCHAT = Path(sys.executable).with_name("finchat")


def plain(event: dict[str, Any]) -> str:
    return describe(parse_event(event)).plain


def test_a_message_line_shows_kind_id_room_sender_and_text() -> None:
    line = plain(callback("directText"))
    assert "m.text $143273582443PhrSn:example.org" in line
    assert "room_id=!jEsUZKDJdhlrceRyVU:example.org sender=@example:example.org" in line
    assert line.endswith("This is an example text message")


def test_user_text_is_shown_as_text_on_one_line_without_control_codes() -> None:
    body = "[bold]not markup[/bold]\nsecond line\x1b[2J"
    content = {"msgtype": "m.text", "body": body}
    line = describe(parse_event(callback("directText", content=content)))
    assert "[bold]not markup[/bold] second line" in line.plain
    assert "\x1b" not in line.plain
    assert line.spans[-1].style != "bold"


def test_long_text_is_cut() -> None:
    line = plain(callback("directText", content={"msgtype": "m.text", "body": "x" * 5000}))
    assert len(line) < 400
    assert line.endswith("…")


def test_other_kinds_say_what_happened() -> None:
    assert "submit on $153243582843Pxrdn:example.org" in plain(callback("cuiSubmitted"))
    assert "created by @finchat-help-bot:example.org" in plain(callback("roomCreated"))
    assert "461cf042d9eedaa60d445f26dc747d5e" in plain(callback("appApplication"))
    assert "(unknown kind)" in plain({"type": "x.new"})


async def test_the_relay_puts_token_and_event_to_the_local_app() -> None:
    requests: list[httpx.Request] = []

    def app(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200)

    async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as client:
        await Relay("http://bot.local/events", TOKEN, client)(parse_event(callback("directText")))
        await Relay("http://bot.local/events", TOKEN, client)(parse_event({"type": "x", "a": 1}))
    assert [r.method for r in requests] == ["PUT", "PUT"]
    assert json.loads(requests[0].content) == {
        "token": TOKEN,
        "event": callback("directText")["event"],
    }
    assert json.loads(requests[1].content) == {"token": TOKEN, "event": {"type": "x", "a": 1}}


@pytest.mark.parametrize(
    ("answer", "message"),
    [(lambda r: httpx.Response(503), "answered 503"), (None, "failed: ConnectError")],
)
async def test_a_relay_the_local_app_does_not_take_raises(answer: Any, message: str) -> None:
    def app(request: httpx.Request) -> httpx.Response:
        if answer is None:
            raise httpx.ConnectError("refused", request=request)
        response: httpx.Response = answer(request)
        return response

    async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as client:
        with pytest.raises(RelayError, match=message) as info:
            await Relay("http://bot.local/", TOKEN, client)(parse_event(callback("directText")))
    assert TOKEN not in str(info.value)
    assert TOKEN not in repr(Relay("http://bot.local/", TOKEN, client))


async def test_a_failed_relay_makes_the_receiver_answer_500_and_takes_the_redelivery() -> None:
    answers = iter([503, 200])

    def app(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(answers))

    console = Console(file=io.StringIO())
    async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as local:
        relay = Relay("http://bot.local/", TOKEN, local)
        receiver = build_receiver(Output(console), TOKEN, relay=relay)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=receiver), base_url="http://listen.test"
        ) as http:
            assert (await http.put("/", json=callback("directText"))).status_code == 500
            assert (await http.put("/", json=callback("directText"))).status_code == 200
    assert "answered 500 so it is delivered again" in console.file.getvalue()  # type: ignore[attr-defined]


def test_listen_requires_a_token_and_an_http_forward_url() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["listen"], env={"FINCHAT_WEBHOOK_TOKEN": ""})
    assert result.exit_code == 2
    assert "FINCHAT_WEBHOOK_TOKEN" in result.output
    result = runner.invoke(
        main, ["listen", "--forward-to", "ftp://x"], env={"FINCHAT_WEBHOOK_TOKEN": TOKEN}
    )
    assert result.exit_code == 2
    assert "http:// or https://" in result.output


class Listener:
    """`finchat listen --port 0` in its own process, with its output collected."""

    def __init__(self, *args: str, stderr: int = subprocess.STDOUT) -> None:
        env = {**os.environ, "FINCHAT_WEBHOOK_TOKEN": TOKEN, "COLUMNS": "300", "NO_COLOR": "1"}
        self.process = subprocess.Popen(
            [str(FINCHAT), "listen", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=env,
        )
        assert self.process.stdout is not None
        self.first = self.process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", self.first)
        assert found, self.first
        self.url = found.group(0)

    def stop(self) -> str:
        self.process.terminate()
        out, _ = self.process.communicate(timeout=10)
        return out


@pytest.fixture
def listeners() -> Iterator[list[Listener]]:
    started: list[Listener] = []
    yield started
    for listener in started:
        if listener.process.poll() is None:
            listener.stop()


@pytest.mark.network
def test_listen_serves_prints_verified_events_and_relays_them(listeners: list[Listener]) -> None:
    bot = Listener()
    listeners.append(bot)
    relay = Listener("--forward-to", bot.url)
    listeners.append(relay)
    with httpx.Client(timeout=10) as http:
        ok = http.put(relay.url, json=callback("directText"))
        refused = http.put(relay.url, json={**callback("roomCreated"), "token": "wrong"})
        assert (ok.status_code, refused.status_code) == (200, 401)
    relay_out, bot_out = relay.stop(), bot.stop()
    assert "m.text $143273582443PhrSn:example.org" in relay_out
    assert f"relayed to {bot.url}" in relay_out
    assert "refused" in relay_out
    assert "m.text $143273582443PhrSn:example.org" in bot_out
    assert "finstore.room.create" not in relay_out + bot_out
    assert TOKEN not in relay_out + bot_out


@pytest.mark.network
def test_a_port_in_use_is_one_line_and_a_usage_exit_code() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [str(FINCHAT), "listen", "--port", str(port)],
            env={**os.environ, "FINCHAT_WEBHOOK_TOKEN": TOKEN},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert result.returncode == 2
    message = f"Error: cannot listen on 127.0.0.1:{port}: Address already in use"
    assert result.stderr.strip() == message


async def test_json_output_is_one_line_per_event_with_the_relay_outcome() -> None:
    answers = iter([503, 200])

    def app(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(answers))

    console = Console(file=io.StringIO(), width=40)
    output = Output(console, as_json=True)
    output.listening("http://127.0.0.1:8080/", "http://bot.local/")
    long_text = {"msgtype": "m.text", "body": "[b]" + "x" * 200}
    async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as local:
        relay = Relay("http://bot.local/", TOKEN, local)
        receiver = build_receiver(output, TOKEN, relay=relay)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=receiver), base_url="http://listen.test"
        ) as http:
            for _ in range(2):
                await http.put("/", json=callback("directText", content=long_text))
    lines = [json.loads(line) for line in console.file.getvalue().splitlines()]  # type: ignore[attr-defined]
    event = callback("directText", content=long_text)["event"]
    assert lines == [
        {"listening": "http://127.0.0.1:8080/", "forward_to": "http://bot.local/"},
        {"event": event, "relayed": False, "error": "relay to http://bot.local/ answered 503"},
        {"event": event, "relayed": True},
    ]
    assert TOKEN not in console.file.getvalue()  # type: ignore[attr-defined]


@pytest.mark.network
def test_listen_json_streams_json_lines_and_logs_refusals_on_stderr(
    listeners: list[Listener],
) -> None:
    listener = Listener("--json", stderr=subprocess.PIPE)
    listeners.append(listener)
    assert json.loads(listener.first) == {"listening": listener.url, "forward_to": None}
    with httpx.Client(timeout=10) as http:
        assert http.put(listener.url, json=callback("cuiSubmitted")).status_code == 200
        assert http.put(listener.url, json={"token": "no", "event": {}}).status_code == 401
    listener.process.terminate()
    out, err = listener.process.communicate(timeout=10)
    assert [json.loads(line) for line in out.splitlines()] == [
        {"event": callback("cuiSubmitted")["event"], "relayed": False}
    ]
    assert "refused" in err
    assert TOKEN not in out + err


SURROGATE_TEXT = {"msgtype": "m.text", "body": "broken \ud800 text"}


async def test_an_event_holding_a_lone_surrogate_is_printed_escaped_relayed_and_answered_200() -> (
    None
):
    relayed: list[bytes] = []

    def app(request: httpx.Request) -> httpx.Response:
        relayed.append(request.content)
        return httpx.Response(200)

    # A real UTF-8 stream, as stdout is: it cannot take a lone surrogate as it is.
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    output = Output(Console(file=stdout), as_json=True)
    body = callback("directText", content=SURROGATE_TEXT)
    async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as local:
        relay = Relay("http://bot.local/", TOKEN, local)
        receiver = build_receiver(output, TOKEN, relay=relay)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=receiver), base_url="http://listen.test"
        ) as http:
            response = await http.put("/", content=json.dumps(body).encode())
    assert response.status_code == 200
    [relayed_body] = relayed
    assert json.loads(relayed_body) == {"token": TOKEN, "event": body["event"]}
    stdout.flush()
    [line] = stdout.buffer.getvalue().decode("utf-8").splitlines()  # type: ignore[attr-defined]
    assert "\\ud800" in line
    assert json.loads(line) == {"event": body["event"], "relayed": True}


@pytest.mark.network
def test_listen_json_prints_an_event_holding_a_lone_surrogate_and_answers_200(
    listeners: list[Listener],
) -> None:
    listener = Listener("--json", stderr=subprocess.PIPE)
    listeners.append(listener)
    body = callback("directText", content=SURROGATE_TEXT)
    with httpx.Client(timeout=10) as http:
        statuses = [
            http.put(listener.url, content=json.dumps(body).encode()).status_code for _ in range(2)
        ]
    listener.process.terminate()
    out, err = listener.process.communicate(timeout=10)
    assert statuses == [200, 200]  # printed once, the redelivery a duplicate
    assert [json.loads(line) for line in out.splitlines()] == [
        {"event": body["event"], "relayed": False}
    ]
    assert "Traceback" not in err


@pytest.mark.network
def test_listen_json_reports_a_port_in_use_as_json_too() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [str(FINCHAT), "listen", "--json", "--port", str(port)],
            env={**os.environ, "FINCHAT_WEBHOOK_TOKEN": TOKEN},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert result.returncode == 2
    assert json.loads(result.stdout)["error"]["exit_code"] == 2


# ---- --pull -----------------------------------------------------------------------------------


def test_pull_needs_the_apps_credentials_and_a_token_only_to_relay(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"FINCHAT_WEBHOOK_TOKEN": "", "FINCHAT_CONFIG": str(tmp_path / "none.toml")}
    result = runner.invoke(main, ["listen", "--pull"], env=env)
    assert result.exit_code == 2
    assert "missing app_id, secret, base_url" in result.output
    result = runner.invoke(main, ["listen", "--pull", "--forward-to", "http://x/"], env=env)
    assert result.exit_code == 2
    assert "to relay with --forward-to" in result.output
    result = runner.invoke(
        main, ["listen", "--cursor-file", "c"], env={"FINCHAT_WEBHOOK_TOKEN": TOKEN}
    )
    assert result.exit_code == 2
    assert "only with --pull" in result.output


class Puller:
    """`finchat listen --pull --json` in its own process, against a served sandbox."""

    def __init__(self, sb: Any, base_url: str, *args: str) -> None:
        env = {
            **os.environ,
            "FINCHAT_APP_ID": sb.app_id,
            "FINCHAT_SECRET": sb.secret,
            "FINCHAT_BASE_URL": base_url,
            "FINCHAT_WEBHOOK_TOKEN": TOKEN,
            "NO_COLOR": "1",
        }
        self.process = subprocess.Popen(
            [str(FINCHAT), "listen", "--pull", "--json", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.process.stdout is not None
        self.first = json.loads(self.process.stdout.readline())

    def line(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        data: dict[str, Any] = json.loads(self.process.stdout.readline())
        return data

    def stop(self) -> str:
        self.process.terminate()
        _, err = self.process.communicate(timeout=10)
        return err


@pytest.mark.network
async def test_pull_prints_and_relays_pulled_events_and_resumes_from_its_cursor_file(
    tmp_path: Path, listeners: list[Listener]
) -> None:
    from finchat_wrapper.sandbox import FORWARDER_PATH, Sandbox, serve

    bot = Listener("--json")
    listeners.append(bot)
    cursor = tmp_path / "bot.cursor"
    with Sandbox() as sb, serve(sb) as base_url:
        sb.set_callback(sb.app_id, f"{base_url}{FORWARDER_PATH}", "unused")
        first = await sb.simulate.user_message("@alice:example.org", "pulled once")
        puller = Puller(sb, base_url, "--cursor-file", str(cursor), "--forward-to", bot.url)
        try:
            assert puller.first["pulling"] == base_url
            line = puller.line()
            assert (line["event"]["event_id"], line["relayed"]) == (first["event_id"], True)
            # The cursor is saved once the page is done, just after the event is printed.
            deadline = time.monotonic() + 10
            while not cursor.exists():
                assert time.monotonic() < deadline, "the cursor was never saved"
                await asyncio.sleep(0.01)
        finally:
            err = puller.stop()
        assert json.loads(cursor.read_text()) == {"since": first["event_id"]}
        second = await sb.simulate.user_message("@alice:example.org", "pulled after a restart")
        puller = Puller(sb, base_url, "--cursor-file", str(cursor))
        try:
            line = puller.line()
            assert line["event"]["event_id"] == second["event_id"]  # not the first one again
            assert line["relayed"] is False
        finally:
            err += puller.stop()
    relayed = [json.loads(x) for x in bot.stop().splitlines()]
    assert [r["event"]["content"]["body"] for r in relayed] == ["pulled once"]
    assert sb.secret not in err
    assert TOKEN not in err
