from __future__ import annotations

import concurrent.futures
import io
import json
import logging
import threading
from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
import pytest
from finchat_openapi.models import MessageEvent, SearchResult
from hypothesis import given, settings
from hypothesis import strategies as st

from finchat_wrapper.events import (
    Event,
    EventDispatcher,
    InMemoryDedupeStore,
    WebhookReceiver,
    search_item,
    search_result,
)

from .conftest import CALLBACK_EXAMPLES, TOKEN, callback, search, serving

APP_ID = "5cf29aec6ccfd004ccd28075"  # the spec examples' app


def client_for(receiver: WebhookReceiver) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=receiver), base_url="http://bot.test"
    )


@pytest.fixture
def seen() -> list[Event]:
    return []


@pytest.fixture
def dispatcher(seen: list[Event]) -> EventDispatcher:
    events = EventDispatcher()
    events.fallback(seen.append)
    return events


@pytest.fixture
async def client(dispatcher: EventDispatcher) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(WebhookReceiver(dispatcher, token=TOKEN)) as http:
        yield http


async def test_a_verified_callback_is_handled_and_answered_200(
    client: httpx.AsyncClient, seen: list[Event]
) -> None:
    response = await client.put("/", json=callback("directText"))
    assert response.status_code == 200
    assert response.json() == {"status": "handled"}
    [event] = seen
    assert isinstance(event, MessageEvent)


@pytest.mark.parametrize("token", ["wrong", "", None, 42])
async def test_a_wrong_or_missing_token_is_401_and_nothing_is_handled(
    client: httpx.AsyncClient, seen: list[Event], token: Any
) -> None:
    body = callback("directText")
    if token is None:
        del body["token"]
    else:
        body["token"] = token
    response = await client.put("/", json=body)
    assert response.status_code == 401
    assert seen == []


async def test_the_token_is_checked_before_the_event_is_typed(
    client: httpx.AsyncClient,
) -> None:
    body = callback("directText", event_id=None)
    body["token"] = "wrong"
    assert (await client.put("/", json=body)).status_code == 401


@pytest.mark.parametrize(
    "content",
    [b"", b"{", b"\xff", b"[]", b'{"token": "x"}', b'{"token": "x", "event": []}', b"NaN"],
)
async def test_a_body_that_is_not_a_json_callback_is_400(
    client: httpx.AsyncClient, seen: list[Event], content: bytes
) -> None:
    response = await client.put("/", content=content)
    assert response.status_code == 400
    assert "error" in response.json()
    assert seen == []


async def test_a_verified_known_event_missing_a_field_is_400_naming_it(
    client: httpx.AsyncClient, seen: list[Event]
) -> None:
    response = await client.put("/", json=callback("directText", sender=None))
    assert response.status_code == 400
    assert "'sender'" in response.json()["error"]
    assert seen == []


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"])
async def test_other_methods_are_405_with_allow_put(
    client: httpx.AsyncClient, seen: list[Event], method: str
) -> None:
    response = await client.request(method, "/", json=callback("directText"))
    assert response.status_code == 405
    assert response.headers["allow"] == "PUT"
    assert seen == []


async def test_with_a_search_handler_post_is_allowed_too(
    dispatcher: EventDispatcher, seen: list[Event]
) -> None:
    dispatcher.on_search(lambda event: search_result())
    async with client_for(WebhookReceiver(dispatcher, token=TOKEN)) as http:
        response = await http.delete("/")
        assert (response.status_code, response.headers["allow"]) == (405, "POST, PUT")
        # A push callback POSTed is read as a search, and refused as one.
        response = await http.post("/", json=callback("directText"))
        assert response.status_code == 400
        assert "'finstore.shortcut.search'" in response.json()["error"]
    assert seen == []


@pytest.mark.parametrize("name", sorted(CALLBACK_EXAMPLES))
async def test_a_callback_for_another_app_is_403_and_not_handled(
    dispatcher: EventDispatcher, seen: list[Event], name: str
) -> None:
    receiver = WebhookReceiver(dispatcher, token=TOKEN, app_id="another-app")
    async with client_for(receiver) as http:
        response = await http.put("/", json=callback(name))
        assert response.status_code == 403
        assert response.json() == {"error": "this callback is for another app"}
        # The same event for this app, or without an app_id (revision 1), is handled.
        mine = {**callback(name), "app_id": "another-app"}
        assert (await http.put("/", json=mine)).status_code == 200
        bare = callback(name)
        del bare["app_id"]
        bare["event"]["event_id"] = "$other:example.org"
        assert (await http.put("/", json=bare)).status_code == 200
    assert len(seen) == 2


async def test_the_token_is_checked_before_the_app_id(
    dispatcher: EventDispatcher, seen: list[Event]
) -> None:
    receiver = WebhookReceiver(dispatcher, token=TOKEN, app_id="another-app")
    async with client_for(receiver) as http:
        body = {**callback("directText"), "token": "wrong"}
        assert (await http.put("/", json=body)).status_code == 401


def test_an_empty_app_id_is_refused(dispatcher: EventDispatcher) -> None:
    with pytest.raises(ValueError, match="app_id"):
        WebhookReceiver(dispatcher, token=TOKEN, app_id="")


async def test_a_body_over_the_limit_is_413(dispatcher: EventDispatcher, seen: list[Event]) -> None:
    body = json.dumps(callback("directText")).encode()
    receiver = WebhookReceiver(dispatcher, token=TOKEN, max_body_bytes=len(body) - 1)
    async with client_for(receiver) as http:
        assert (await http.put("/", content=body)).status_code == 413
    receiver = WebhookReceiver(dispatcher, token=TOKEN, max_body_bytes=len(body))
    async with client_for(receiver) as http:
        assert (await http.put("/", content=body)).status_code == 200
    assert len(seen) == 1


class RawCall:
    """Drives the receiver by hand: chunked bodies, no Content-Length, disconnects."""

    def __init__(self, chunks: list[bytes], headers: list[tuple[bytes, bytes]] = []) -> None:  # noqa: B006
        self.chunks = chunks
        self.read = 0
        self.headers = headers
        self.sent: list[dict[str, Any]] = []
        self.more_after_last = False  # the client promises more body, then disconnects

    async def run(self, app: WebhookReceiver, method: str = "PUT") -> int | None:
        scope = {"type": "http", "method": method, "path": "/", "headers": self.headers}
        await app(scope, self.receive, self.send)
        starts = [m for m in self.sent if m["type"] == "http.response.start"]
        return starts[0]["status"] if starts else None

    async def receive(self) -> dict[str, Any]:
        if self.read >= len(self.chunks):
            return {"type": "http.disconnect"}
        self.read += 1
        more = self.read < len(self.chunks) or self.more_after_last
        return {"type": "http.request", "body": self.chunks[self.read - 1], "more_body": more}

    async def send(self, message: dict[str, Any]) -> None:
        self.sent.append(message)


async def test_a_streamed_body_over_the_limit_stops_being_read_early(
    dispatcher: EventDispatcher,
) -> None:
    receiver = WebhookReceiver(dispatcher, token=TOKEN, max_body_bytes=1000)
    call = RawCall([b"x" * 600] * 100)
    assert await call.run(receiver) == 413
    assert call.read == 2


async def test_a_declared_content_length_over_the_limit_is_413_before_reading(
    dispatcher: EventDispatcher,
) -> None:
    receiver = WebhookReceiver(dispatcher, token=TOKEN, max_body_bytes=1000)
    call = RawCall([b"x"], headers=[(b"content-length", b"5000")])
    assert await call.run(receiver) == 413
    assert call.read == 0


async def test_a_chunked_body_is_assembled(dispatcher: EventDispatcher, seen: list[Event]) -> None:
    body = json.dumps(callback("directText")).encode()
    call = RawCall([body[:10], body[10:50], body[50:]])
    assert await call.run(WebhookReceiver(dispatcher, token=TOKEN)) == 200
    assert len(seen) == 1


async def test_a_client_gone_mid_body_gets_no_answer_and_nothing_handled(
    dispatcher: EventDispatcher, seen: list[Event]
) -> None:
    call = RawCall([b'{"tok'])
    call.more_after_last = True
    assert await call.run(WebhookReceiver(dispatcher, token=TOKEN)) is None
    assert seen == []


async def test_a_failing_handler_is_500_without_exception_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    events = EventDispatcher()

    @events.on_message
    async def broken(event: MessageEvent) -> None:
        raise RuntimeError("secret internal detail")

    async with client_for(WebhookReceiver(events, token=TOKEN)) as http:
        with caplog.at_level(logging.ERROR, logger="finchat.events"):
            response = await http.put("/", json=callback("directText"))
    assert response.status_code == 500
    assert "secret internal detail" not in response.text
    assert "RuntimeError" not in response.text
    assert "handler failed for m.room.message/m.text $143273582443PhrSn" in caplog.text


async def test_a_failed_event_is_handled_again_on_redelivery() -> None:
    events = EventDispatcher()
    attempts: list[str] = []

    @events.on_message
    async def flaky(event: MessageEvent) -> None:
        attempts.append(event.event_id)
        if len(attempts) == 1:
            raise RuntimeError("first time fails")

    async with client_for(WebhookReceiver(events, token=TOKEN)) as http:
        assert (await http.put("/", json=callback("directText"))).status_code == 500
        assert (await http.put("/", json=callback("directText"))).status_code == 200
        assert (await http.put("/", json=callback("directText"))).status_code == 200
    assert len(attempts) == 2


async def test_a_redelivered_handled_event_is_200_and_not_handled_again(
    client: httpx.AsyncClient, seen: list[Event]
) -> None:
    first = await client.put("/", json=callback("directText"))
    again = await client.put("/", json=callback("directText"))
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == {"status": "duplicate"}
    assert len(seen) == 1


async def test_different_event_ids_are_each_handled(
    client: httpx.AsyncClient, seen: list[Event]
) -> None:
    for i in range(3):
        response = await client.put("/", json=callback("directText", event_id=f"${i}:s"))
        assert response.status_code == 200
    assert len(seen) == 3


async def test_a_duplicate_during_handling_is_409_and_not_handled_twice() -> None:
    events = EventDispatcher()
    started = anyio.Event()
    finish = anyio.Event()
    runs = 0

    @events.on_message
    async def slow(event: MessageEvent) -> None:
        nonlocal runs
        runs += 1
        started.set()
        await finish.wait()

    statuses: dict[str, int] = {}
    async with client_for(WebhookReceiver(events, token=TOKEN)) as http:

        async def deliver(name: str) -> None:
            statuses[name] = (await http.put("/", json=callback("directText"))).status_code

        async with anyio.create_task_group() as tg:
            tg.start_soon(deliver, "first")
            await started.wait()
            response = await http.put("/", json=callback("directText"))
            assert response.status_code == 409
            assert response.headers["retry-after"].isdigit()
            finish.set()
        assert (await http.put("/", json=callback("directText"))).status_code == 200
    assert statuses == {"first": 200}
    assert runs == 1


@pytest.mark.parametrize(
    "body",
    [
        {"token": TOKEN, "event": {"type": "x.new"}},
        {"token": TOKEN, "event": {"type": "x.new", "event_id": 7}},
        callback("directText", event_id=""),
        callback("directText", event_id="   "),
        callback("directText", event_id="$" + "x" * 300 + ":example.org"),
        callback("directText", event_id="$\ud800:example.org"),
    ],
    ids=["unknown-kind", "not-a-string", "empty", "blank", "too-long", "lone-surrogate"],
)
async def test_an_event_without_a_usable_id_is_handled_once_however_often_it_comes(
    client: httpx.AsyncClient, seen: list[Event], body: dict[str, Any]
) -> None:
    raw = json.dumps(body).encode()  # a lone surrogate travels as its JSON escape
    answers = [(await client.put("/", content=raw)).json() for _ in range(3)]
    assert answers == [{"status": "handled"}, {"status": "duplicate"}, {"status": "duplicate"}]
    assert len(seen) == 1


async def test_distinct_events_without_ids_are_each_handled(
    client: httpx.AsyncClient, seen: list[Event]
) -> None:
    for text in ("one", "two"):
        content = {"msgtype": "m.text", "body": text}
        body = callback("directText", event_id="", content=content)
        assert (await client.put("/", json=body)).json() == {"status": "handled"}
    assert [e.content.body for e in seen] == ["one", "two"]  # type: ignore[union-attr]


async def test_a_token_that_is_a_lone_surrogate_is_401_with_no_error_logged(
    client: httpx.AsyncClient, seen: list[Event], caplog: pytest.LogCaptureFixture
) -> None:
    raw = json.dumps({**callback("directText"), "token": "\ud800"}).encode()
    with caplog.at_level(logging.DEBUG, logger="finchat_wrapper.events"):
        response = await client.put("/", content=raw)
    assert response.status_code == 401
    assert seen == []
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_verified_event_holding_a_lone_surrogate_is_handled_and_answered_200(
    client: httpx.AsyncClient, seen: list[Event]
) -> None:
    content = {"msgtype": "m.text", "body": "broken \ud800 text"}
    raw = json.dumps(callback("directText", content=content)).encode()
    assert (await client.put("/", content=raw)).json() == {"status": "handled"}
    assert seen[0].content.body == "broken \ud800 text"  # type: ignore[union-attr]


async def test_an_event_with_no_handler_is_acknowledged() -> None:
    async with client_for(WebhookReceiver(EventDispatcher(), token=TOKEN)) as http:
        response = await http.put("/", json=callback("roomCreated"))
    assert response.status_code == 200
    assert response.json() == {"status": "ignored"}


async def test_ack_first_answers_before_a_slow_handler_finishes() -> None:
    events = EventDispatcher()
    finish = anyio.Event()
    order: list[str] = []

    @events.on_message
    async def slow(event: MessageEvent) -> None:
        await finish.wait()
        order.append("handled")

    receiver = WebhookReceiver(events, token=TOKEN, ack_first=True)
    call = RawCall([json.dumps(callback("directText")).encode()])

    answered = anyio.Event()
    record = call.send

    async def send(message: dict[str, Any]) -> None:
        await record(message)
        answered.set()

    call.send = send  # type: ignore[method-assign]

    async def watch() -> None:
        await answered.wait()
        order.append(f"answered {call.sent[0]['status']}")
        finish.set()

    async with anyio.create_task_group() as tg:
        tg.start_soon(call.run, receiver)
        tg.start_soon(watch)
    assert order == ["answered 200", "handled"]


async def test_ack_first_releases_a_failed_event_so_redelivery_handles_it() -> None:
    events = EventDispatcher()
    attempts = 0

    @events.on_message
    async def flaky(event: MessageEvent) -> None:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            raise RuntimeError("boom")

    receiver = WebhookReceiver(events, token=TOKEN, ack_first=True)
    async with client_for(receiver) as http:
        assert (await http.put("/", json=callback("directText"))).status_code == 200
        assert (await http.put("/", json=callback("directText"))).status_code == 200
    assert attempts == 2


class BrokenStore:
    async def claim(self, event_id: str, owner: str) -> Any:
        raise ConnectionError("redis at 10.0.0.1 is down")

    async def mark_done(self, event_id: str, owner: str) -> None: ...

    async def release(self, event_id: str, owner: str) -> None: ...


async def test_a_failing_dedupe_store_is_500_without_its_message(
    dispatcher: EventDispatcher, seen: list[Event]
) -> None:
    receiver = WebhookReceiver(dispatcher, token=TOKEN, dedupe=BrokenStore())
    async with client_for(receiver) as http:
        response = await http.put("/", json=callback("directText"))
    assert response.status_code == 500
    assert "redis" not in response.text
    assert seen == []


async def test_a_shared_store_dedupes_across_receivers(dispatcher: EventDispatcher) -> None:
    seen_b: list[Event] = []
    other = EventDispatcher()
    other.fallback(seen_b.append)
    store = InMemoryDedupeStore()
    a = WebhookReceiver(dispatcher, token=TOKEN, dedupe=store)
    b = WebhookReceiver(other, token=TOKEN, dedupe=store)
    async with client_for(a) as http_a, client_for(b) as http_b:
        await http_a.put("/", json=callback("directText"))
        response = await http_b.put("/", json=callback("directText"))
    assert response.json() == {"status": "duplicate"}
    assert seen_b == []


async def test_the_token_never_appears_in_repr_or_logs(
    dispatcher: EventDispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    receiver = WebhookReceiver(dispatcher, token=TOKEN)
    assert TOKEN not in repr(receiver)
    # Held, but only under its private (name-mangled) attribute: no public name exposes it.
    holders = [name for name, value in vars(receiver).items() if value == TOKEN]
    assert holders == ["_WebhookReceiver__token"]
    with caplog.at_level(logging.DEBUG):
        async with client_for(receiver) as http:
            await http.put("/", json=callback("directText"))
            await http.put("/", json=callback("directText"))
            await http.put("/", json=callback("directText", event_id=None))
            await http.put("/", json={"token": "bad", "event": {"type": "x"}})
    assert caplog.records
    assert TOKEN not in caplog.text


async def test_configuring_the_finchat_logger_captures_the_receivers_logs(
    dispatcher: EventDispatcher, captured: io.StringIO
) -> None:
    # One logger tree: the `captured` fixture configures only `finchat` (and httpx).
    async with client_for(WebhookReceiver(dispatcher, token=TOKEN)) as http:
        await http.put("/", json={"token": "wrong", "event": {"type": "x"}})
    assert "finchat.events WARNING callback refused: verification token" in captured.getvalue()


def test_an_empty_token_or_limit_is_refused(dispatcher: EventDispatcher) -> None:
    with pytest.raises(ValueError, match="token"):
        WebhookReceiver(dispatcher, token="")
    with pytest.raises(ValueError, match="max_body_bytes"):
        WebhookReceiver(dispatcher, token=TOKEN, max_body_bytes=0)


async def test_lifespan_messages_are_answered(dispatcher: EventDispatcher) -> None:
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return next(messages)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await WebhookReceiver(dispatcher, token=TOKEN)({"type": "lifespan"}, receive, send)
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


async def test_it_mounts_under_a_path_in_starlette(
    dispatcher: EventDispatcher, seen: list[Event]
) -> None:
    from starlette.applications import Starlette
    from starlette.routing import Mount, Route

    receiver = WebhookReceiver(dispatcher, token=TOKEN)
    app = Starlette(routes=[Route("/events", receiver), Mount("/finchat", app=receiver)])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bot.test"
    ) as http:
        first = await http.put("/events", json=callback("directText", event_id="$1:s"))
        second = await http.put("/finchat/", json=callback("directText", event_id="$2:s"))
    assert (first.status_code, second.status_code) == (200, 200)
    assert len(seen) == 2


ANSWERS = {200, 400, 401, 403, 405, 409, 413}
KNOWN_BODIES = [json.dumps(body).encode() for body in [*CALLBACK_EXAMPLES.values(), search()]]


@settings(max_examples=200, deadline=None)
@given(
    method=st.sampled_from(["PUT", "PUT", "PUT", "POST", "POST", "GET", "put", ""]),
    chunks=st.lists(
        st.binary(max_size=64)
        | st.sampled_from(KNOWN_BODIES)
        | st.builds(
            lambda token, app_id, event: json.dumps(
                {"token": token, "app_id": app_id, "event": event}
            ).encode(),
            st.sampled_from([TOKEN, "other"]),
            st.sampled_from([APP_ID, "another-app", None, 5]),
            st.dictionaries(
                st.sampled_from(["type", "event_id", "content", "sender", "receivers"]),
                st.sampled_from(
                    ["m.room.message", "finstore.shortcut.search", "finstore.app.webhook"]
                )
                | st.text()
                | st.dictionaries(
                    st.sampled_from(["msgtype", "body", "search_text", "page_no", "page_size"]),
                    st.text() | st.integers(),
                ),
            ),
        ),
        max_size=3,
    ),
    content_length=st.none() | st.text(max_size=6) | st.integers(-5, 5000).map(str),
    more_after_last=st.booleans(),
)
def test_no_input_crashes_the_receiver_or_gets_a_500(
    method: str, chunks: list[bytes], content_length: str | None, more_after_last: bool
) -> None:
    events = EventDispatcher()
    events.fallback(lambda event: None)
    events.on_search(lambda event: search_result([search_item(event.content.search_text, "d")]))
    receiver = WebhookReceiver(events, token=TOKEN, app_id=APP_ID, max_body_bytes=2000)
    headers = [] if content_length is None else [(b"content-length", content_length.encode())]
    call = RawCall(chunks, headers=headers)
    call.more_after_last = more_after_last
    status = anyio.run(call.run, receiver, method)
    starts = [m for m in call.sent if m["type"] == "http.response.start"]
    if status is None:
        assert call.sent == []  # the client went away before a full body: nothing to answer
    else:
        assert status in ANSWERS
        assert len(starts) == 1
        if method == "POST" and status == 200:
            # Every answered search is a SearchResult of the spec.
            body = b"".join(
                m.get("body", b"") for m in call.sent if m["type"] == "http.response.body"
            )
            assert SearchResult.from_dict(json.loads(body)).layout == "list"


async def test_a_handler_cancelled_mid_way_frees_the_event_for_redelivery() -> None:
    events = EventDispatcher()
    started = anyio.Event()
    runs = 0

    @events.on_message
    async def slow(event: MessageEvent) -> None:
        nonlocal runs
        runs += 1
        started.set()
        if runs == 1:
            await anyio.sleep_forever()

    store = InMemoryDedupeStore()
    receiver = WebhookReceiver(events, token=TOKEN, dedupe=store)
    body = json.dumps(callback("directText")).encode()
    async with anyio.create_task_group() as tg:
        tg.start_soon(RawCall([body]).run, receiver)
        await started.wait()
        tg.cancel_scope.cancel()
    assert await RawCall([body]).run(receiver) == 200
    assert runs == 2


@pytest.mark.network
def test_over_a_socket_concurrent_duplicates_run_the_handler_once() -> None:
    # Sync handlers in worker threads: the blocking wait below does not stall uvicorn's loop.
    events = EventDispatcher()
    started, finish = threading.Event(), threading.Event()
    runs: list[str] = []

    @events.on_message
    def slow(event: MessageEvent) -> None:
        runs.append(event.event_id)
        started.set()
        finish.wait(10)

    body = callback("directText")
    with serving(WebhookReceiver(events, token=TOKEN)) as url, httpx.Client(timeout=10) as http:
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            first = pool.submit(http.put, url, json=body)
            assert started.wait(10)
            during = [http.put(url, json=body).status_code for _ in range(3)]
            finish.set()
            assert first.result().status_code == 200
        after = http.put(url, json=body)
    assert during == [409, 409, 409]
    assert (after.status_code, after.json()) == (200, {"status": "duplicate"})
    assert runs == [body["event"]["event_id"]]


@pytest.mark.network
def test_over_a_socket_ack_first_answers_before_the_handler_ends() -> None:
    events = EventDispatcher()
    finish, done = threading.Event(), threading.Event()

    @events.on_message
    def slow(event: MessageEvent) -> None:
        finish.wait(10)
        done.set()

    receiver = WebhookReceiver(events, token=TOKEN, ack_first=True)
    with serving(receiver) as url, httpx.Client(timeout=10) as http:
        response = http.put(url, json=callback("directText"))
        assert (response.status_code, response.json()) == (200, {"status": "accepted"})
        assert not done.is_set()
        finish.set()
        assert done.wait(10)
