"""Every push kind revision 2 added, end to end: simulated in the sandbox, delivered (each twice,
as the platform may), handled once by its typed handler; and a search answered, with the sandbox
showing what the user got. In-process, and over real uvicorn sockets (marked `network`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import anyio
import anyio.lowlevel
import httpx
import pytest
from finchat_openapi.models import (
    AllRoomsMessageEvent,
    AppStatusEvent,
    AppVisibilityEvent,
    MessageEvent,
    SearchEvent,
    SearchResult,
    SensitiveWordEvent,
    WebhookEvent,
)

from finchat_wrapper.events import (
    EventDispatcher,
    WebhookReceiver,
    app_status_change,
    search_item,
    search_result,
)
from finchat_wrapper.sandbox import FaultPlan, Sandbox, World
from finchat_wrapper.sandbox._world import UNPUBLISHED_APP_ID

from .conftest import serving

HOOK_TOKEN = "hook-token-of-the-kinds"
TEST = "@test:example.org"
ALICE = "@alice:example.org"
GROUP = "!112321588723954859:example.org"


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    world = World.default()
    world.apps[0].all_messages = True  # the default app: admin, and privileged
    with Sandbox(world, delivery_delays=(0.01,) * 3) as sandbox:
        sandbox.set_faults(FaultPlan(duplicate_delivery_rate=1.0), app_id=sandbox.app_id)
        yield sandbox


def kinds_bot(handled: list[tuple[str, str]]) -> EventDispatcher:
    events = EventDispatcher()

    @events.on_message
    async def image(event: MessageEvent) -> None:
        handled.append((event.content.msgtype, event.event_id))

    @events.on_all_rooms_message
    def feed(event: AllRoomsMessageEvent) -> None:
        handled.append((f"all rooms, {len(event.receivers)} receivers", event.event_id))

    @events.on_webhook
    async def pushed(event: WebhookEvent) -> None:
        handled.append((f"webhook {event.webhook_id}", event.event_id))

    @events.on_app_status
    def status(event: AppStatusEvent) -> None:
        handled.append((f"status {app_status_change(event).to_status}", event.event_id))

    @events.on_app_visibility
    async def visibility(event: AppVisibilityEvent) -> None:
        handled.append((f"visibility +{event.content.added_fcids}", event.event_id))

    @events.on_sensitive_word
    async def word(event: SensitiveWordEvent) -> None:
        handled.append((f"word {event.content.sensitive_word}", event.event_id))

    @events.on_search
    async def search(event: SearchEvent) -> SearchResult:
        await anyio.lowlevel.checkpoint()
        text = event.content.search_text
        return search_result([search_item(f"about {text}", "found it")], total=3)

    return events


@pytest.mark.parametrize("mode", ["inprocess", pytest.param("socket", marks=pytest.mark.network)])
async def test_each_new_kind_is_delivered_twice_and_handled_once_and_a_search_answered(
    sb: Sandbox, mode: str
) -> None:
    handled: list[tuple[str, str]] = []
    receiver = WebhookReceiver(kinds_bot(handled), token=HOOK_TOKEN, app_id=sb.app_id)
    with contextlib.ExitStack() as stack:
        if mode == "socket":
            sb.set_callback(sb.app_id, stack.enter_context(serving(receiver)), HOOK_TOKEN)
        else:
            transport = httpx.ASGITransport(app=receiver)
            sb.set_callback(sb.app_id, "http://bot/hook", HOOK_TOKEN, transport=transport)
        sim = sb.simulate
        sent = [
            await sim.user_message(
                ALICE, "photo.png", msgtype="m.image", fields={"url": "mxc://s/a"}
            ),
            await sim.room_message(TEST, GROUP, "morning all"),
            await sim.webhook("ci-hook", {"build": "green"}),
            await sim.app_status(
                UNPUBLISHED_APP_ID,
                from_status="Publishing",
                to_status="PublishApproved",
                operation="ApprovePublishRequest",
            ),
            await sim.app_visibility(UNPUBLISHED_APP_ID, added=[ALICE]),
            await sim.sensitive_word(TEST, GROUP, "xxx yyy", "xxx"),
        ]
        record = await sim.search(ALICE, "insurance")
    assert all(s.delivered for s in sent)
    assert handled == [
        ("m.image", sent[0]["event_id"]),
        ("all rooms, 4 receivers", sent[1]["event_id"]),  # the webhook bot is one
        ("webhook ci-hook", sent[2]["event_id"]),
        ("status PublishApproved", sent[3]["event_id"]),
        (f"visibility +{[ALICE]}", sent[4]["event_id"]),
        ("word xxx", sent[5]["event_id"]),
    ]
    duplicates = [a for a in sb.callback_log if a.duplicate]
    # Every event was delivered a second time, answered 200 and not handled again.
    assert {a.event_id for a in duplicates} >= {s["event_id"] for s in sent}
    assert all(a.status == 200 for a in sb.callback_log)
    assert record.answered
    assert (
        record.result
        == search_result([search_item("about insurance", "found it")], total=3).to_dict()
    )
    assert sb.search_log == [record]
