"""`finchat sandbox say|mention|open-room|submit-card|apply`: users of a running sandbox, from
the terminal, and `finchat sandbox --callback URL --webhook-token T` wiring a bot to it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from finchat_wrapper._cli import main
from finchat_wrapper.events import EventDispatcher, WebhookReceiver
from finchat_wrapper.sandbox import Sandbox, serve
from finchat_wrapper.sandbox._world import MULTI_ROOM, World

FINCHAT = Path(sys.executable).with_name("finchat")
TOKEN = "webhook-token-of-the-test"
USER = "@test:example.org"
GROUP = "!group-of-the-test:example.org"

pytestmark = pytest.mark.network


def world() -> World:
    data = World.default().to_dict()
    bot = data["apps"][0]["bot"]
    data["rooms"].append({"room_id": GROUP, "type": MULTI_ROOM, "members": [bot, USER]})
    data["apps"][0]["admin"] = True
    return World.from_dict(data)


@pytest.fixture
def served() -> Iterator[tuple[Sandbox, str, list[dict[str, Any]]]]:
    """A served sandbox whose default app delivers, in-process, to a receiver that records."""
    seen: list[dict[str, Any]] = []
    events = EventDispatcher()

    @events.fallback
    def record(event: Any) -> None:
        seen.append(event.to_dict())

    receiver = WebhookReceiver(events, token=TOKEN)
    with Sandbox(world(), delivery_delays=(0.001, 0.002)) as sb, serve(sb) as base_url:
        sb.set_callback(
            sb.app_id, "http://bot.localhost/", TOKEN, transport=httpx.ASGITransport(app=receiver)
        )
        yield sb, base_url, seen


def run(base_url: str, *args: str) -> Result:
    env = {"FINCHAT_BASE_URL": base_url, "COLUMNS": "60"}
    return CliRunner().invoke(main, ["sandbox", *args], env=env, catch_exceptions=False)


def test_say_makes_a_user_message_the_bot_and_says_it_was_delivered(served: Any) -> None:
    _, base_url, seen = served
    result = run(base_url, "say", "--user", USER, "hi")
    assert result.exit_code == 0, result.output
    assert "m.room.message m.text $" in result.stdout
    assert "delivered: the bot answered 200" in result.stdout
    assert [e["content"]["body"] for e in seen if e["type"] == "m.room.message"] == ["hi"]


def test_mention_open_room_and_apply_each_produce_their_event(served: Any) -> None:
    sb, base_url, seen = served
    assert run(base_url, "mention", "--user", USER, "--room", GROUP, "help").exit_code == 0
    assert run(base_url, "open-room", "--user", "@test002:dev.finogeeks.club").exit_code == 0
    assert run(base_url, "apply", "--user", USER, "--app-id", sb.app_id).exit_code == 0
    kinds = [(e["type"], e.get("content", {}).get("msgtype")) for e in seen]
    assert kinds == [
        ("m.room.message", "m.alert"),
        ("finstore.room.create", None),
        ("finstore.app.application", None),
    ]


def test_submit_card_sends_the_fields_typed_into_the_bots_card(served: Any) -> None:
    from finchat_wrapper import Card, FinChat

    sb, base_url, seen = served
    card = Card().text("Apply").input("company", placeholder="Company").submit("Send")
    with FinChat(sb.app_id, sb.secret, base_url=base_url) as bot:
        report = bot.messages.send(card.to_content(), fcids=[USER])
    event_id = report.succeeded[USER]
    result = run(
        base_url, "submit-card", "--user", USER, "--event", event_id, "--field", "company=ACME",
        "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["delivered"] is True
    assert answer["event"]["origin_event"] == event_id
    assert seen[-1]["content"]["info"] == {"company": "ACME"}


def test_a_delivery_refused_401_says_the_tokens_differ_and_exits_1(served: Any) -> None:
    sb, base_url, _ = served
    receiver = WebhookReceiver(EventDispatcher(), token="another-token")
    sb.set_callback(
        sb.app_id, "http://bot.localhost/", TOKEN, transport=httpx.ASGITransport(app=receiver)
    )
    result = run(base_url, "say", "--user", USER, "hi")
    assert result.exit_code == 1
    assert "(retrying, 1 attempt(s)): answered 401" in result.stderr
    # When it is tried again, relative to the event (a few ms: the sandbox's intervals here).
    assert re.search(r"; retried 0\.0\d* s after the event \(sandbox clock\)", result.stderr)
    assert "differs from the bot's (its FINCHAT_WEBHOOK_TOKEN)" in result.stderr
    assert TOKEN not in result.output


def test_an_app_without_callback_is_told_how_to_register_one(served: Any) -> None:
    sb, base_url, _ = served
    sb.remove_callback(sb.app_id)
    result = run(base_url, "say", "--user", USER, "hi")
    assert result.exit_code == 1
    assert "the app has no callback" in result.stderr
    assert "--callback URL --webhook-token T" in result.stderr


def test_an_unknown_user_is_one_line_and_exit_4(served: Any) -> None:
    _, base_url, _ = served
    result = run(base_url, "say", "--user", "@nobody:example.org", "hi")
    assert result.exit_code == 4
    assert result.output.strip() == "Error: no user @nobody:example.org"


def test_a_url_that_is_no_sandbox_says_check_the_base_url(served: Any) -> None:
    _, base_url, _ = served
    result = run(base_url + "/api", "say", "--user", USER, "hi")
    assert result.exit_code == 5
    assert "check the base URL" in result.output


def test_no_sandbox_url_or_none_running_is_one_line() -> None:
    result = CliRunner().invoke(
        main, ["sandbox", "say", "--user", USER, "hi"], env={"FINCHAT_BASE_URL": None}
    )
    assert result.exit_code == 2
    assert "give --base-url or FINCHAT_BASE_URL" in result.output
    refused = run("http://127.0.0.1:9", "say", "--user", USER, "hi")
    assert refused.exit_code == 6
    assert "is `finchat sandbox` running there?" in refused.output


def test_callback_without_a_webhook_token_is_refused() -> None:
    result = CliRunner().invoke(
        main, ["sandbox", "--port", "0", "--callback", "http://127.0.0.1:9/"],
        env={"FINCHAT_WEBHOOK_TOKEN": None},
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--callback needs --webhook-token" in result.output


def test_the_started_sandbox_delivers_to_the_callback_it_was_given() -> None:
    # A real bot process is the README walk-through's test; here a receiver on a socket.
    seen: list[str] = []
    events = EventDispatcher()

    @events.on_message
    def record(event: Any) -> None:
        seen.append(event.content.body)

    class Bot:
        app = WebhookReceiver(events, token=TOKEN)
        base_url = ""

    with serve(Bot()) as bot_url:
        proc = subprocess.Popen(
            [str(FINCHAT), "sandbox", "--port", "0", "--callback", bot_url + "/"],
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
            env={**os.environ, "FINCHAT_WEBHOOK_TOKEN": TOKEN},
        )
        try:
            assert proc.stdout is not None
            lines = [proc.stdout.readline() for _ in range(7)]
            found = re.search(r"http://127\.0\.0\.1:\d+", lines[0])
            assert found is not None
            assert f"go to {bot_url}/" in lines[6]
            assert TOKEN not in "".join(lines)
            result = run(found.group(0), "say", "--user", USER, "over sockets")
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(timeout=20)
            if proc.stdout is not None:
                proc.stdout.close()
    assert result.exit_code == 0, result.output
    assert seen == ["over sockets"]


def test_the_help_names_where_a_running_sandbox_serves_its_spec_not_a_checkout_path() -> None:
    help_text = "".join(CliRunner().invoke(main, ["sandbox", "--help"]).output.split())
    assert "openapi/sandbox-simulation.yaml" not in help_text
    assert "/_sandbox/specs/sandbox-simulation.yaml" in help_text
    for command in ("say", "mention", "open-room", "submit-card", "apply"):
        assert command in help_text
