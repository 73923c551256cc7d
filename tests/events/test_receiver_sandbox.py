"""The receiver end to end with the sandbox: simulated users, real FinChat clients, real replies.

In-process (the sandbox delivers through `httpx.ASGITransport`, the bot calls the sandbox through
its ASGI transport) and over real uvicorn sockets (marked `network`).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from finchat_openapi.models import CuiSubmitEvent, MentionEvent, MessageEvent

from finchat_wrapper import AsyncFinChat, FinChat
from finchat_wrapper.events import EventDispatcher, WebhookReceiver
from finchat_wrapper.sandbox import FaultPlan, Sandbox, serve

from .conftest import serving

HOOK_TOKEN = "hook-token-for-the-sandbox"
ALICE = "@alice:example.org"
ALICE_ROOM = "!jEsUZKDJdhlrceRyVU:example.org"
GROUP = "!112321588723954859:example.org"
BOT = "@vsadf-bot:dev.finogeeks.club"

CARD: dict[str, Any] = {
    "msgtype": "m.cui",
    "body": "[交互卡片]",
    "version": "0.1.0",
    "info": {
        "type": "form",
        "status": "input",
        "elements": [
            {"type": "context", "subtype": "text", "value": "POC application"},
            {"type": "input", "subtype": "text-input", "placeholder": "Company", "key": "company"},
            {"type": "button", "subtype": "submit", "value": "Submit", "action": "submit"},
        ],
    },
}


def text(body: str) -> dict[str, str]:
    return {"msgtype": "m.text", "body": body}


def bot_texts(sb: Sandbox, room_id: str) -> list[str]:
    """The bot's text messages in a room (the world starts with a CUI card in some)."""
    return [
        m.content["body"]
        for m in sb.sent(room_id)
        if m.sender == BOT and m.content.get("msgtype") == "m.text"
    ]


# The plugin's sandbox and client (`finchat_wrapper.pytest_plugin`), with quick redeliveries.
pytestmark = pytest.mark.finchat(delivery_delays=(0.01, 0.01, 0.01))


@pytest.fixture
def sb(finchat_sandbox: Sandbox) -> Sandbox:
    return finchat_sandbox


@pytest.fixture
def bot(finchat_async_client: AsyncFinChat) -> AsyncFinChat:
    return finchat_async_client


def hook(sb: Sandbox, events: EventDispatcher, **options: Any) -> WebhookReceiver:
    receiver = WebhookReceiver(events, token=HOOK_TOKEN, **options)
    sb.set_callback(
        sb.app_id,
        "http://bot.localhost/finchat/events",
        HOOK_TOKEN,
        transport=httpx.ASGITransport(app=receiver),
    )
    return receiver


def echo_bot(bot: AsyncFinChat, runs: list[str]) -> EventDispatcher:
    events = EventDispatcher()

    @events.on_message
    async def echo(event: MessageEvent) -> None:
        runs.append(event.event_id)
        await bot.messages.send(text(f"echo: {event.content.body}"), room_ids=[str(event.room_id)])

    @events.on_mention
    async def answer(event: MentionEvent) -> None:
        runs.append(event.event_id)
        await bot.messages.send(text("you called?"), room_ids=[str(event.room_id)])

    return events


async def test_a_user_message_reaches_the_handler_whose_reply_the_room_shows(
    sb: Sandbox, bot: AsyncFinChat
) -> None:
    runs: list[str] = []
    hook(sb, echo_bot(bot, runs))
    event = await sb.simulate.user_message(ALICE, "hello bot")
    assert runs == [event["event_id"]]
    assert bot_texts(sb, ALICE_ROOM) == ["echo: hello bot"]
    assert [a.status for a in sb.callback_log] == [200]


async def test_a_group_mention_reaches_the_mention_handler(sb: Sandbox, bot: AsyncFinChat) -> None:
    runs: list[str] = []
    hook(sb, echo_bot(bot, runs))
    await sb.simulate.mention("@test:example.org", GROUP)
    assert bot_texts(sb, GROUP) == ["you called?"]


async def test_a_sync_handler_replies_through_the_sync_client_from_its_thread(
    sb: Sandbox,
) -> None:
    events = EventDispatcher()
    with FinChat(sb.app_id, sb.secret, base_url=sb.base_url, transport=sb.transport()) as client:

        @events.on_message
        def echo(event: MessageEvent) -> None:
            client.messages.send(text(event.content.body.upper()), room_ids=[str(event.room_id)])

        hook(sb, events)
        await sb.simulate.user_message(ALICE, "quiet")
    assert bot_texts(sb, ALICE_ROOM) == ["QUIET"]


async def test_a_cui_card_is_sent_submitted_and_updated_by_the_handler(
    sb: Sandbox, bot: AsyncFinChat
) -> None:
    events = EventDispatcher()
    submissions: list[CuiSubmitEvent] = []

    @events.on_cui_submit
    async def thank(event: CuiSubmitEvent) -> None:
        submissions.append(event)
        company = event.content.info.to_dict().get("company", "?")
        done = {
            **CARD,
            "info": {
                "type": "form",
                "status": "disable",
                "elements": [{"type": "context", "subtype": "text", "value": f"Thanks, {company}"}],
            },
        }
        await bot.messages.update_cui(event.origin_event, done, room_ids=[str(event.room_id)])

    hook(sb, events)
    sent = await bot.messages.send(CARD, room_ids=[ALICE_ROOM])
    card_id = sent.succeeded[ALICE_ROOM]
    await sb.simulate.submit_cui(ALICE, card_id, {"company": "ACME"})

    [submission] = submissions
    assert (submission.origin_event, submission.sender) == (card_id, ALICE)
    [card] = [m for m in sb.sent(ALICE_ROOM) if m.event_id == card_id]
    assert card.content["info"]["status"] == "disable"
    assert card.content["info"]["elements"][0]["value"] == "Thanks, ACME"
    assert len(card.history) == 1


async def test_each_event_delivered_twice_runs_its_handler_once(
    sb: Sandbox, bot: AsyncFinChat
) -> None:
    sb.set_faults(FaultPlan(seed=7, duplicate_delivery_rate=1.0), app_id=sb.app_id)
    runs: list[str] = []
    hook(sb, echo_bot(bot, runs))
    produced = [
        (await sb.simulate.user_message(ALICE, f"message {i}"))["event_id"] for i in range(3)
    ]
    produced.append((await sb.simulate.mention("@test:example.org", GROUP))["event_id"])

    assert runs == produced
    duplicates = [a for a in sb.callback_log if a.duplicate]
    assert [a.event_id for a in duplicates] == produced
    assert all(a.status == 200 for a in sb.callback_log)
    assert bot_texts(sb, ALICE_ROOM) == [f"echo: message {i}" for i in range(3)]
    assert bot_texts(sb, GROUP) == ["you called?"]


async def test_a_handler_that_fails_is_answered_500_and_the_redelivery_handles_it(
    sb: Sandbox, bot: AsyncFinChat
) -> None:
    events = EventDispatcher()
    attempts: list[str] = []

    @events.on_message
    async def flaky(event: MessageEvent) -> None:
        attempts.append(event.event_id)
        if len(attempts) == 1:
            raise RuntimeError("database briefly away")
        await bot.messages.send(text("got it"), room_ids=[str(event.room_id)])

    hook(sb, events)
    event = await sb.simulate.user_message(ALICE, "please")
    assert event.delivery is not None
    assert (event.delivery.state, event.delivery.status) == ("retrying", 500)
    await sb.simulate.drain()  # the redelivery
    assert attempts == [event["event_id"]] * 2
    assert [a.status for a in sb.callback_log] == [500, 200]
    assert bot_texts(sb, ALICE_ROOM) == ["got it"]


async def test_a_wrong_token_on_either_side_is_refused_and_nothing_handled(
    sb: Sandbox, bot: AsyncFinChat
) -> None:
    runs: list[str] = []
    receiver = WebhookReceiver(echo_bot(bot, runs), token="the-bot-expects-this")
    sb.set_callback(
        sb.app_id, "http://bot.localhost/", HOOK_TOKEN, transport=httpx.ASGITransport(app=receiver)
    )
    await sb.simulate.user_message(ALICE, "hello")
    assert runs == []
    assert {a.status for a in sb.callback_log} == {401}
    assert bot_texts(sb, ALICE_ROOM) == []


# ---- over real sockets --------------------------------------------------------------------------


@pytest.mark.network
async def test_over_sockets_messages_cards_and_duplicates_each_run_once(sb: Sandbox) -> None:
    sb.set_faults(FaultPlan(seed=3, duplicate_delivery_rate=1.0), app_id=sb.app_id)
    runs: list[str] = []
    events = EventDispatcher()
    with serve(sb) as base_url, FinChat(sb.app_id, sb.secret, base_url=base_url) as client:

        @events.on_message
        def echo(event: MessageEvent) -> None:
            runs.append(event.event_id)
            client.messages.send(text(f"echo: {event.content.body}"), room_ids=[str(event.room_id)])

        @events.on_cui_submit
        def close(event: CuiSubmitEvent) -> None:
            runs.append(event.event_id)
            closed = {**CARD, "info": {**CARD["info"], "status": "disable"}}
            client.messages.update_cui(event.origin_event, closed, room_ids=[str(event.room_id)])

        with serving(WebhookReceiver(events, token=HOOK_TOKEN)) as hook_url:
            sb.set_callback(sb.app_id, hook_url, HOOK_TOKEN)
            message = await sb.simulate.user_message(ALICE, "over the wire")
            sent = client.messages.send(CARD, room_ids=[ALICE_ROOM])
            card_id = sent.succeeded[ALICE_ROOM]
            submit = await sb.simulate.submit_cui(ALICE, card_id, {"company": "ACME"})

    assert runs == [message["event_id"], submit["event_id"]]
    assert len([a for a in sb.callback_log if a.duplicate and a.status == 200]) == 2
    assert bot_texts(sb, ALICE_ROOM)[0] == "echo: over the wire"
    [card] = [m for m in sb.sent(ALICE_ROOM) if m.event_id == card_id]
    assert card.content["info"]["status"] == "disable"
