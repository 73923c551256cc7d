"""The change feed: every change of the state in order, followed live from any thread, bounded."""

from __future__ import annotations

import asyncio
import dataclasses
import threading

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from finchat_wrapper import Card, FinChat, text_content
from finchat_wrapper.sandbox import FaultPlan, Sandbox, VirtualClock
from finchat_wrapper.sandbox._changes import (
    DELIVERY,
    MESSAGE,
    ROOM,
    SEARCH,
    WORLD,
    ChangeFeed,
    Gap,
)
from finchat_wrapper.sandbox._world import BOT, DOC_CUI_EVENT

from .conftest import FAST

GROUP = "!112321588723954859:example.org"


def test_changes_come_in_order_with_growing_sequence_numbers() -> None:
    feed = ChangeFeed()
    assert feed.since(0) == []
    first = feed.publish("a", {"n": 1})
    second = feed.publish("b", {"n": 2})
    assert (first.seq, second.seq, feed.seq) == (1, 2, 2)
    assert feed.since(0) == [first, second]
    assert feed.since(1) == [second]
    assert feed.since(2) == []


def test_a_follower_too_far_behind_or_from_another_feed_gets_a_gap_with_the_latest_seq() -> None:
    feed = ChangeFeed(keep=3)
    for n in range(5):
        feed.publish("a", {"n": n})
    assert feed.since(1) == Gap(5)  # changes 2..5 wanted, 2 is gone
    assert [c.data["n"] for c in feed.since(2)] == [2, 3, 4]
    assert feed.since(9) == Gap(5)  # a page still open from an earlier sandbox
    assert feed.since(-1) == Gap(5)


async def test_a_follower_is_woken_by_a_change_published_in_another_thread() -> None:
    feed = ChangeFeed()
    follower = feed.follow(0)
    waiting = asyncio.ensure_future(anext(follower))
    await asyncio.sleep(0.01)
    assert not waiting.done()
    thread = threading.Thread(target=feed.publish, args=("a", {"from": "thread"}))
    thread.start()
    batch = await asyncio.wait_for(waiting, 10)
    thread.join()
    assert isinstance(batch, list)
    assert [c.data for c in batch] == [{"from": "thread"}]
    await follower.aclose()


async def test_an_idle_follower_gets_empty_batches_for_keep_alives_and_ends_on_close() -> None:
    feed = ChangeFeed()
    follower = feed.follow(0, idle=0.01)
    assert await anext(follower) == []
    feed.close()
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(anext(follower), 10)
    # The feed goes on for new followers (the sandbox may be served again).
    feed.publish("a", {})
    again = feed.follow(0)
    batch = await asyncio.wait_for(anext(again), 10)
    assert isinstance(batch, list)
    assert len(batch) == 1
    await again.aclose()


async def test_a_gap_while_following_says_where_to_continue() -> None:
    feed = ChangeFeed(keep=2)
    follower = feed.follow(0)
    for n in range(4):
        feed.publish("a", {"n": n})
    assert await anext(follower) == Gap(4)
    feed.publish("a", {"n": 4})
    batch = await anext(follower)
    assert isinstance(batch, list)
    assert [c.seq for c in batch] == [5]
    await follower.aclose()


def test_messages_rooms_card_updates_and_deliveries_are_published() -> None:
    clock = VirtualClock(start=1_700_000_000.0)
    with Sandbox(delivery_delays=FAST, clock=clock) as sb:
        start = sb.changes.seq
        with FinChat(sb.app_id, sb.secret, base_url=sb.base_url, transport=sb.transport()) as c:
            c.messages.send(text_content("hello"), room_ids=[GROUP])
            card = Card(status="disable").text("done")
            c.messages.update_cui(DOC_CUI_EVENT, card.to_content(), room_ids=[GROUP])
        asyncio.run(sb.simulate.open_direct_room("@test002:dev.finogeeks.club"))
        sb.set_faults(FaultPlan(callback_failure_rate=1.0))
        sb.set_callback(sb.app_id, "http://127.0.0.1:9/hook", "s3cr3t-callback-token")
        asyncio.run(sb.simulate.user_message("@test:example.org", "hi"))
        # The call returns after the first attempt; the redeliveries run on the sandbox clock.
        asyncio.run(clock.advance(1))
        changes = sb.changes.since(start)
    assert isinstance(changes, list)
    kinds = [c.kind for c in changes]
    sent, updated = (c.data for c in changes if c.kind == MESSAGE and c.data["room_id"] == GROUP)
    assert sent["content"] == {"msgtype": "m.text", "body": "hello"}
    assert sent["sender"] == BOT
    assert updated["event_id"] == DOC_CUI_EVENT
    assert updated["content"]["info"]["elements"][0]["value"] == "done"
    assert len(updated["history"]) == 1
    room = next(c.data for c in changes if c.kind == ROOM)
    assert room["members"] == [BOT, "@test002:dev.finogeeks.club"]
    assert [c.data["what"] for c in changes if c.kind == WORLD] == ["faults", "callback"]
    attempts = [c.data for c in changes if c.kind == DELIVERY]
    assert [a["attempt"] for a in attempts] == [1, 2, 3, 4]
    assert attempts[0]["at"] == 1_700_000_000.0
    assert [a["at"] for a in attempts] == sorted(a["at"] for a in attempts)
    assert attempts[0]["error"] == "injected delivery failure"
    assert kinds.index(ROOM) < kinds.index(DELIVERY)
    # Neither the callback's token nor the app's secret is ever in a change.
    assert "s3cr3t-callback-token" not in repr(changes)
    assert sb.secret not in repr(changes)


async def test_each_search_is_published_and_a_change_of_search_url_is_a_world_change() -> None:
    result = {"layout": "list", "content": {"total": 0, "list": [], "opentype": "inapp"}}
    bot = Starlette(routes=[Route("/search", lambda _: JSONResponse(result), methods=["POST"])])
    with Sandbox(delivery_delays=FAST) as sb:
        start = sb.changes.seq
        nowhere = await sb.simulate.search("@test:example.org", "before any URL")
        sb.set_search_callback(
            sb.app_id,
            "http://bot/search",
            "s3cr3t-search-token",
            transport=httpx.ASGITransport(app=bot),
        )
        answered = await sb.simulate.search("@alice:example.org", "保险", page_no=2)
        sb.remove_search_callback(sb.app_id)
        changes = sb.changes.since(start)
    assert isinstance(changes, list)
    assert [c.kind for c in changes] == [SEARCH, WORLD, SEARCH, WORLD]
    assert [c.data for c in changes if c.kind == SEARCH] == [
        dataclasses.asdict(nowhere),
        dataclasses.asdict(answered),
    ]
    assert changes[2].data["result"] == result
    assert [c.data for c in changes if c.kind == WORLD] == [
        {"what": "search_callback", "app_id": sb.app_id}
    ] * 2
    assert "s3cr3t-search-token" not in repr(changes)
