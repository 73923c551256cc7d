from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

import anyio
import anyio.lowlevel
import httpx
import pytest
from finchat_openapi.models import SearchEvent, SearchResult

from finchat_wrapper.events import (
    DEFAULT_SEARCH_DEADLINE,
    PLATFORM_SEARCH_LIMIT,
    EventDispatcher,
    WebhookReceiver,
    answer_search,
    parse_search,
    search_item,
    search_result,
)

from .conftest import SEARCH_RESULT_EXAMPLE, TOKEN, search, serving

FALLBACK = search_result([search_item("busy", "try again in a moment")])


def receiver_for(handler: Any, **options: Any) -> WebhookReceiver:
    events = EventDispatcher()
    events.on_search(handler)
    return WebhookReceiver(events, token=TOKEN, **options)


def client_for(receiver: WebhookReceiver) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=receiver), base_url="http://bot")


def echo(event: SearchEvent) -> SearchResult:
    content = event.content
    title = f"{content.search_text} {content.page_no}/{content.page_size}"
    return search_result([search_item(title, "found", url="https://example.org/1")], total=9)


# ---- builders ---------------------------------------------------------------------------------


def test_the_builder_makes_the_documents_example_result() -> None:
    result = search_result([search_item("保险", "一种东西")], total=20, opentype="inapp")
    assert result.to_dict() == SEARCH_RESULT_EXAMPLE


def test_the_builder_defaults_to_all_items_in_the_app_and_takes_urls() -> None:
    result = search_result([search_item("a", "b", url="https://x.org/a")], opentype="inbrowser")
    assert result.to_dict() == {
        "layout": "list",
        "content": {
            "total": 1,
            "list": [{"type": "text", "title": "a", "description": "b", "url": "https://x.org/a"}],
            "opentype": "inbrowser",
        },
    }
    assert search_result().to_dict()["content"] == {"total": 0, "list": [], "opentype": "inapp"}


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda: search_item(1, "d"), TypeError, "title must be a str"),  # type: ignore[arg-type]
        (lambda: search_item("t", "d", url=5), TypeError, "url must be a str"),  # type: ignore[arg-type]
        (lambda: search_result([{"title": "t"}]), TypeError, r"items\[0\] must be"),  # type: ignore[list-item]
        (lambda: search_result([search_item("t", "d")], total=0), ValueError, "below the number"),
        (lambda: search_result(total=True), TypeError, "total must be an int"),
        (lambda: search_result(opentype="popup"), ValueError, "opentype"),  # type: ignore[arg-type]
    ],
)
def test_the_builder_refuses_what_the_spec_does_not_allow(
    build: Any, error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        build()


# ---- answering in time ------------------------------------------------------------------------


async def test_a_search_is_answered_with_the_handlers_result() -> None:
    async with client_for(receiver_for(echo)) as http:
        response = await http.post("/", json=search())
    assert response.status_code == 200
    result = SearchResult.from_dict(response.json())
    assert result.content.total == 9
    assert result.content.list_[0].title == "my text 0/10"


async def test_an_async_handler_is_awaited() -> None:
    async def find(event: SearchEvent) -> SearchResult:
        await anyio.lowlevel.checkpoint()
        return search_result([search_item(event.content.search_text, "async")])

    async with client_for(receiver_for(find)) as http:
        response = await http.post("/", json=search(search_text="café"))
    assert response.json()["content"]["list"][0]["title"] == "café"


async def test_a_handler_that_overruns_is_answered_with_the_fallback_in_time_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def slow(event: SearchEvent) -> SearchResult:
        await anyio.sleep(30)
        raise AssertionError("never reached")

    receiver = receiver_for(slow, search_deadline=0.2, search_fallback=FALLBACK)
    async with client_for(receiver) as http:
        began = time.perf_counter()
        response = await http.post("/", json=search())
        took = time.perf_counter() - began
    assert response.status_code == 200
    assert response.json() == FALLBACK.to_dict()
    assert 0.2 <= took < 3  # the deadline, not the handler's 30 s
    assert "overran its 0.20 s deadline" in caplog.text


async def test_a_sync_handler_that_overruns_is_left_in_its_thread_and_the_fallback_answered() -> (
    None
):
    release = threading.Event()
    ended = threading.Event()

    def blocking(event: SearchEvent) -> SearchResult:
        release.wait(10)
        ended.set()
        return search_result()

    receiver = receiver_for(blocking, search_deadline=0.2, search_fallback=FALLBACK)
    async with client_for(receiver) as http:
        response = await http.post("/", json=search())
    assert response.json() == FALLBACK.to_dict()
    assert not ended.is_set()  # answered without waiting for the thread
    release.set()
    await anyio.to_thread.run_sync(ended.wait, 5)


@pytest.mark.parametrize(
    ("handler", "logged"),
    [
        (lambda event: 1 / 0, "search handler failed"),
        (lambda event: {"layout": "list"}, "returned a dict, not a SearchResult"),
        (lambda event: None, "returned a NoneType"),
    ],
)
async def test_a_failing_or_wrong_handler_is_answered_with_the_fallback_never_a_500(
    handler: Any, logged: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with client_for(receiver_for(handler, search_fallback=FALLBACK)) as http:
        response = await http.post("/", json=search())
    assert response.status_code == 200
    assert response.json() == FALLBACK.to_dict()
    assert logged in caplog.text
    assert "ZeroDivisionError" not in response.text


async def test_without_a_fallback_an_overrun_answers_no_results() -> None:
    async def slow(event: SearchEvent) -> SearchResult:
        await anyio.sleep(30)
        return search_result()

    async with client_for(receiver_for(slow, search_deadline=0.1)) as http:
        response = await http.post("/", json=search())
    assert response.json() == {
        "layout": "list",
        "content": {"total": 0, "list": [], "opentype": "inapp"},
    }


async def test_searches_are_never_deduplicated() -> None:
    calls: list[str] = []

    def count(event: SearchEvent) -> SearchResult:
        calls.append(event.event_id)
        return search_result()

    async with client_for(receiver_for(count)) as http:
        for _ in range(3):
            assert (await http.post("/", json=search())).status_code == 200
    assert calls == [search()["event"]["event_id"]] * 3


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"token": "wrong"}, 401),
        ({"app_id": "another-app"}, 403),
        ({"event": {"type": "finstore.shortcut.search"}}, 400),
        ({"event": "x"}, 400),
    ],
)
async def test_a_search_with_a_wrong_token_another_app_or_bad_event_is_refused_unhandled(
    change: dict[str, Any], status: int
) -> None:
    calls: list[object] = []
    receiver = receiver_for(lambda event: calls.append(event), app_id=search()["app_id"])
    async with client_for(receiver) as http:
        response = await http.post("/", json={**search(), **change})
    assert response.status_code == status
    assert calls == []


def test_the_deadline_must_leave_the_platform_time() -> None:
    assert 0 < DEFAULT_SEARCH_DEADLINE < PLATFORM_SEARCH_LIMIT == 5.0
    for deadline in (0, 5, 5.5, float("nan")):
        with pytest.raises(ValueError, match="search_deadline"):
            receiver_for(echo, search_deadline=deadline)
    with pytest.raises(TypeError, match="search_fallback"):
        receiver_for(echo, search_fallback={"layout": "list"})


async def test_answer_search_alone_reports_how_it_answered() -> None:
    event = parse_search(search()).event
    answered = await answer_search(echo, event, deadline=1.0, fallback=FALLBACK)
    assert (answered.outcome, answered.result.content.total) == ("answered", 9)

    async def slow(event: SearchEvent) -> SearchResult:
        await anyio.sleep(5)
        return search_result()

    overran = await answer_search(slow, event, deadline=0.05, fallback=FALLBACK)
    assert (overran.outcome, overran.result) == ("overran", FALLBACK)
    assert overran.seconds < 1


def test_over_a_socket_a_search_is_answered_and_an_overrun_gets_the_fallback() -> None:
    async def find(event: SearchEvent) -> SearchResult:
        if event.content.search_text == "slow":
            await anyio.sleep(10)
        return echo(event)

    receiver = receiver_for(find, search_deadline=0.3, search_fallback=FALLBACK)
    with serving(receiver) as url, httpx.Client(timeout=5) as http:
        quick = http.post(url, content=json.dumps(search()))
        began = time.perf_counter()
        slow = http.post(url, json=search(search_text="slow"))
        took = time.perf_counter() - began
    assert quick.json()["content"]["total"] == 9
    assert slow.json() == FALLBACK.to_dict()
    assert took < 3


def test_search_logs_never_carry_the_token(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="finchat")

    async def go() -> None:
        async with client_for(receiver_for(lambda event: 1 / 0)) as http:
            await http.post("/", json=search())
            await http.post("/", json={**search(), "token": "wrong"})

    anyio.run(go)
    assert TOKEN not in caplog.text
