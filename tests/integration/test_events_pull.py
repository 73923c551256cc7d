"""`client.events`: pulling the forwarder's stored events, sync and async, in-process and over a
real socket; each event typed as a webhook's is."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from finchat_openapi.models import CuiSubmitEvent, MessageEvent, RoomCreateEvent

from finchat_wrapper import (
    AsyncFinChat,
    FinChat,
    ForbiddenError,
    InvalidResponseError,
)
from finchat_wrapper.sandbox import FORWARDER_PATH, Sandbox, serve
from finchat_wrapper.sandbox._world import DOC_CUI_EVENT

ALICE = "@alice:example.org"
NEWCOMER = "@test002:dev.finogeeks.club"


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        sandbox.set_callback(sandbox.app_id, f"http://finchat{FORWARDER_PATH}", "unused")
        yield sandbox


async def stored(sb: Sandbox) -> list[str]:
    """Events of three kinds stored for pulling (the message opens a room first); their ids."""
    await sb.simulate.user_message(NEWCOMER, "hello")
    await sb.simulate.submit_cui("@test:example.org", DOC_CUI_EVENT, {"k": "v"})
    return [e["event_id"] for e in sb.forwarded(sb.app_id)]


@pytest.mark.parametrize("mode", ["inprocess", pytest.param("socket", marks=pytest.mark.network)])
async def test_pulled_pages_follow_the_cursor_with_events_typed_as_webhooks(
    sb: Sandbox, mode: str
) -> None:
    ids = await stored(sb)
    assert len(ids) == 3

    def check(pages: list[list[object]]) -> None:
        flat = [e for page in pages for e in page]
        assert [type(e) for e in flat] == [RoomCreateEvent, MessageEvent, CuiSubmitEvent]
        assert [e.event_id for e in flat] == ids  # type: ignore[attr-defined]
        assert all(e.app_id == sb.app_id for e in flat)  # type: ignore[attr-defined]

    def sync_pages(base_url: str) -> list[list[object]]:
        transport = sb.transport() if mode == "inprocess" else None
        with FinChat(sb.app_id, sb.secret, base_url=base_url, transport=transport) as bot:
            first = bot.events.pull(page_size=2)
            assert (len(first), first.since) == (2, ids[1])
            assert len(bot.events.pull(first.since)) == 1
            assert len(bot.events.pull(ids[-1])) == 0
            return [list(page.events) for page in bot.events.iter_pages(page_size=2)]

    async def async_pages(base_url: str) -> list[list[object]]:
        transport = sb.async_transport() if mode == "inprocess" else None
        async with AsyncFinChat(sb.app_id, sb.secret, base_url=base_url, transport=transport) as b:
            return [list(page.events) async for page in b.events.iter_pages(page_size=2)]

    if mode == "socket":
        with serve(sb) as base_url:
            pages = sync_pages(base_url)
            check(pages)
            assert [len(p) for p in pages] == [2, 1]
            check(await async_pages(base_url))
    else:
        pages = sync_pages(sb.base_url)
        check(pages)
        check(await async_pages(sb.base_url))


def test_iterating_from_a_cursor_gives_only_what_came_after_it(sb: Sandbox) -> None:
    import asyncio

    ids = asyncio.run(stored(sb))
    with FinChat(sb.app_id, sb.secret, base_url=sb.base_url, transport=sb.transport()) as bot:
        after = [e.event_id for page in bot.events.iter_pages(ids[0]) for e in page.events]
        assert after == ids[1:]
        assert list(bot.events.iter_pages(ids[-1])) == []


def answering(status: int, body: object) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/auth/token"):
            return httpx.Response(200, json={"app_access_token": "t", "expires_in": 60})
        return httpx.Response(status, json=body)

    return httpx.MockTransport(answer)


@pytest.mark.parametrize(
    ("status", "body", "error", "message"),
    [
        (200, {"events": []}, InvalidResponseError, "'since' is missing"),
        (200, {"since": "s", "events": "x"}, InvalidResponseError, "not a list"),
        (200, [1], InvalidResponseError, "must be a JSON object"),
        (403, {"errcode": "FC_FORBIDDEN", "error": "no privilege"}, ForbiddenError, "privilege"),
    ],
)
def test_a_pull_answer_of_another_shape_or_a_refusal_raises(
    status: int, body: object, error: type, message: str
) -> None:
    transport = answering(status, body)
    with (
        FinChat("app1", "s", base_url="https://x.org", transport=transport, max_retries=0) as bot,
        pytest.raises(error, match=message),
    ):
        bot.events.pull()


def test_a_bad_page_size_is_refused_before_anything_is_sent() -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    transport = httpx.MockTransport(answer)
    with (
        FinChat("app1", "s", base_url="https://x.org", transport=transport) as bot,
        pytest.raises(ValueError, match="page_size"),
    ):
        bot.events.pull(page_size=0)
    assert sent == []
