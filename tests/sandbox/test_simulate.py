"""Simulated users produce the documented events, delivered to the app's callback with retries."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from finchat_wrapper.sandbox import DeliveryReport, FaultPlan, Sandbox, SimulationError, serve
from finchat_wrapper.sandbox._spec import event_validator, load_spec
from finchat_wrapper.sandbox._world import DOC_CUI_EVENT, UNPUBLISHED_APP_ID

from .conftest import FAST, Receiver

WEBHOOK_TOKEN = "verify-me"
GROUP = "!112321588723954859:example.org"


@pytest.fixture
def receiver(sandbox: Sandbox) -> Receiver:
    receiver = Receiver()
    sandbox.set_callback(
        sandbox.app_id,
        "http://bot/hook",
        WEBHOOK_TOKEN,
        transport=httpx.ASGITransport(app=receiver.app),
    )
    return receiver


def assert_conforms(body: dict[str, Any]) -> None:
    errors = list(event_validator(load_spec()).iter_errors(body))
    assert errors == []


async def test_user_message_delivers_a_direct_text_event(
    sandbox: Sandbox, receiver: Receiver
) -> None:
    event = await sandbox.simulate.user_message("@test:example.org", "hi bot")
    (body,) = receiver.bodies
    assert body == {"app_id": sandbox.app_id, "token": WEBHOOK_TOKEN, "event": event}
    assert_conforms(body)
    assert event.delivered
    assert event.deliveries == (
        DeliveryReport(sandbox.app_id, event["event_id"], "delivered", 200, attempts=1),
    )
    assert event["type"] == "m.room.message"
    assert event["content"] == {"msgtype": "m.text", "body": "hi bot"}
    assert (event["room_type"], event["room_id"]) == (
        "direct_room",
        "!100000000000000001:example.org",
    )
    assert sandbox.sent(event["room_id"])[-1].event_id == event["event_id"]


async def test_user_message_without_a_direct_room_opens_one_first(
    sandbox: Sandbox, receiver: Receiver
) -> None:
    await sandbox.simulate.user_message("@test002:dev.finogeeks.club", "hello")
    assert [e["type"] for e in receiver.events] == ["finstore.room.create", "m.room.message"]
    assert receiver.events[0]["room_id"] == receiver.events[1]["room_id"]


async def test_mention_delivers_a_group_alert_event(sandbox: Sandbox, receiver: Receiver) -> None:
    event = await sandbox.simulate.mention("@test:example.org", GROUP)
    assert_conforms(receiver.bodies[0])
    assert event["content"] == {"msgtype": "m.alert", "body": "@vsadf-bot hello"}
    assert (event["room_type"], event["fcid"]) == ("multi_room", "")


async def test_open_direct_room_delivers_a_room_create_event(
    sandbox: Sandbox, receiver: Receiver
) -> None:
    event = await sandbox.simulate.open_direct_room("@test002:dev.finogeeks.club")
    assert_conforms(receiver.bodies[0])
    assert event["type"] == "finstore.room.create"
    assert event["fcid"] == "@test002:dev.finogeeks.club"
    assert event["sender"] == ""
    with pytest.raises(SimulationError):
        await sandbox.simulate.open_direct_room("@test002:dev.finogeeks.club")


async def test_submit_cui_refers_to_the_card_the_bot_sent(
    sandbox: Sandbox, receiver: Receiver
) -> None:
    event = await sandbox.simulate.submit_cui(
        "@test:example.org", DOC_CUI_EVENT, {"company": "FinoGeeks"}
    )
    assert_conforms(receiver.bodies[0])
    assert event["type"] == "finstore.room.interactcui"
    assert event["origin_event"] == DOC_CUI_EVENT
    assert event["content"] == {"action": "submit", "info": {"company": "FinoGeeks"}}
    assert event["room_id"] == GROUP


async def test_submit_cui_refuses_events_that_are_not_the_bots_cards(sandbox: Sandbox) -> None:
    text = await sandbox.simulate.user_message("@test:example.org", "not a card")
    with pytest.raises(SimulationError):
        await sandbox.simulate.submit_cui("@test:example.org", text["event_id"], {})
    with pytest.raises(SimulationError):
        await sandbox.simulate.submit_cui("@alice:example.org", DOC_CUI_EVENT, {})


async def test_apply_for_app_reaches_the_admin_app(sandbox: Sandbox, receiver: Receiver) -> None:
    event = await sandbox.simulate.apply_for_app("@test001:dev.finogeeks.club", UNPUBLISHED_APP_ID)
    assert_conforms(receiver.bodies[0])
    assert "room_id" not in event
    assert event["content"]["info"] == [
        {
            "app_id": UNPUBLISHED_APP_ID,
            "app_name": "测试机器人",
            "fcid": "@test001:dev.finogeeks.club",
            "username": "测试账号001",
        }
    ]


async def test_unknown_users_and_rooms_are_simulation_errors(sandbox: Sandbox) -> None:
    with pytest.raises(SimulationError):
        await sandbox.simulate.user_message("@ghost:example.org", "boo")
    with pytest.raises(SimulationError):
        await sandbox.simulate.mention("@test:example.org", "!900000000000000001:example.org")


async def test_failed_deliveries_are_retried_until_the_app_answers_200(sandbox: Sandbox) -> None:
    receiver = Receiver(failures=2)
    sandbox.set_callback(
        sandbox.app_id, "http://bot/hook", "t", transport=httpx.ASGITransport(app=receiver.app)
    )
    event = await sandbox.simulate.user_message("@test:example.org", "again")
    # The call returns after the first delivery, saying it failed and will be tried again.
    assert event.delivery is not None
    assert (event.delivery.state, event.delivery.status) == ("retrying", 503)
    assert "the bot's handler failed" in event.delivery.reason
    await sandbox.simulate.drain()
    assert [(a.attempt, a.status, a.delivered, a.outcome) for a in sandbox.callback_log] == [
        (1, 503, False, "failed"),
        (2, 503, False, "failed"),
        (3, 200, True, "delivered"),
    ]
    assert receiver.events == [event]


async def test_delivery_gives_up_after_the_configured_delays(sandbox: Sandbox) -> None:
    receiver = Receiver(failures=100)
    sandbox.set_callback(
        sandbox.app_id, "http://bot/hook", "t", transport=httpx.ASGITransport(app=receiver.app)
    )
    await sandbox.simulate.user_message("@test:example.org", "lost")
    await sandbox.simulate.drain()
    assert len(sandbox.callback_log) == 1 + len(FAST)
    assert not any(a.delivered for a in sandbox.callback_log)
    assert sandbox.callback_log[-1].outcome == "gave_up"


async def test_injected_duplicate_delivery_repeats_the_same_event(
    sandbox: Sandbox, receiver: Receiver
) -> None:
    sandbox.set_faults(FaultPlan(duplicate_delivery_rate=1.0))
    event = await sandbox.simulate.user_message("@test:example.org", "twice")
    assert receiver.events == [event, event]
    assert [a.duplicate for a in sandbox.callback_log] == [False, True]


async def test_injected_callback_failures_never_reach_the_app(
    sandbox: Sandbox, receiver: Receiver
) -> None:
    sandbox.set_faults(FaultPlan(callback_failure_rate=1.0), app_id=sandbox.app_id)
    await sandbox.simulate.user_message("@test:example.org", "lost")
    assert receiver.events == []
    assert {a.error for a in sandbox.callback_log} == {"injected delivery failure"}


async def delivery_outcomes(seed: int, events: int = 20) -> list[bool]:
    sandbox = Sandbox(delivery_delays=())
    sandbox.set_faults(FaultPlan(seed=seed, callback_failure_rate=0.5))
    receiver = Receiver()
    transport = httpx.ASGITransport(app=receiver.app)
    sandbox.set_callback(sandbox.app_id, "http://bot/hook", "t", transport=transport)
    for _ in range(events):
        await sandbox.simulate.user_message("@test:example.org", "x")
    return [attempt.delivered for attempt in sandbox.callback_log]


async def test_injected_callback_failures_follow_the_seed() -> None:
    first, again, other = [await delivery_outcomes(seed) for seed in (7, 7, 8)]
    assert first == again
    assert first != other
    assert 0 < sum(first) < len(first)


async def test_events_without_a_callback_are_kept_but_not_delivered(sandbox: Sandbox) -> None:
    event = await sandbox.simulate.user_message("@test:example.org", "nobody listens")
    assert sandbox.events == [(sandbox.app_id, event)]
    assert sandbox.callback_log == []
    assert event.delivery is not None
    assert event.delivery.state == "no_callback"
    assert "has no callback address" in event.delivery.reason
    assert not event.delivered


@pytest.mark.network
async def test_simulation_api_delivers_over_a_real_socket_to_a_real_receiver(
    sandbox: Sandbox,
) -> None:
    receiver = Receiver()
    with serve(sandbox) as base_url:
        async with httpx.AsyncClient(base_url=base_url) as http:
            sandbox.set_callback(
                sandbox.app_id,
                "http://bot/hook",
                WEBHOOK_TOKEN,
                transport=httpx.ASGITransport(app=receiver.app),
            )
            response = await http.post(
                "/_sandbox/simulate/user-message",
                json={"fcid": "@test:example.org", "body": "over http"},
            )
            assert response.status_code == 200
            assert response.json()["delivered"] is True
            [delivery] = response.json()["deliveries"]
            assert (delivery["state"], delivery["status"]) == ("delivered", 200)
            messages = await http.get("/_sandbox/rooms/!100000000000000001:example.org/messages")
            assert messages.json()[-1]["content"]["body"] == "over http"
    assert receiver.events[0]["content"]["body"] == "over http"


async def test_wait_false_changes_state_now_and_delivers_in_the_background(
    sandbox: Sandbox, receiver: Receiver
) -> None:
    event = await sandbox.simulate.user_message("@test002:dev.finogeeks.club", "hi", wait=False)
    assert [d.state for d in event.deliveries] == ["pending"]
    room = sandbox.state.direct_room("@vsadf-bot:dev.finogeeks.club", "@test002:dev.finogeeks.club")
    assert room is not None
    assert sandbox.sent(room.room_id)[-1].event_id == event["event_id"]
    await sandbox.simulate.drain()
    assert sorted(e["type"] for e in receiver.events) == ["finstore.room.create", "m.room.message"]
