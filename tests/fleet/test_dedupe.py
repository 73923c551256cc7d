"""`RedisDedupeStore` against a real redis-server: the `DedupeStore` conformance suite, its TTLs,
the receiver when Redis fails, and four receiver processes sharing one record of handled events."""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import redis
import redis.asyncio

from finchat_wrapper import FinChatError
from finchat_wrapper.events import DedupeStore, EventDispatcher, WebhookReceiver
from finchat_wrapper.fleet import RedisDedupeStore, RedisStoreError

from ..events.conftest import TOKEN, callback
from ..events.dedupe_conformance import DedupeStoreConformance
from .conftest import RedisServer
from .workers import serve_receiver, worker_context

pytestmark = pytest.mark.redis

PASSWORD = "hunter2-redis-password"
APP_ID = "5cf29aec6ccfd004ccd28075"


def _store(redis_url: str, prefix: str, **ttls: float) -> RedisDedupeStore:
    return RedisDedupeStore.from_url(redis_url, app_id=APP_ID, prefix=prefix, **ttls)


def _event_id() -> str:
    return f"${uuid.uuid4().hex}:example.org"


class TestRedisDedupeStore(DedupeStoreConformance):
    @pytest.fixture
    async def store(self, redis_url: str, prefix: str) -> AsyncIterator[RedisDedupeStore]:
        async with RedisDedupeStore.from_url(redis_url, app_id=APP_ID, prefix=prefix) as store:
            yield store


@pytest.fixture
async def raw(redis_url: str) -> AsyncIterator[redis.asyncio.Redis]:
    client = redis.asyncio.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1)
    yield client
    await client.aclose()


async def test_a_claim_lapses_after_its_ttl_so_a_crashed_replica_blocks_no_event_forever(
    redis_url: str, prefix: str
) -> None:
    async with _store(redis_url, prefix, claim_ttl=0.5) as store:
        event_id = _event_id()
        assert await store.claim(event_id, "crashed") == "claimed"
        assert await store.claim(event_id, "b") == "in_progress"
        await asyncio.sleep(0.6)
        assert await store.claim(event_id, "b") == "claimed"


async def test_a_done_event_is_remembered_for_the_done_ttl_then_forgotten(
    redis_url: str, prefix: str, raw: redis.asyncio.Redis
) -> None:
    async with _store(redis_url, prefix, done_ttl=0.5) as store:
        event_id = _event_id()
        await store.claim(event_id, "a")
        await store.mark_done(event_id, "a")
        assert 0 < await raw.pttl(f"{prefix}event:{APP_ID}:{event_id}") <= 500
        assert await store.claim(event_id, "b") == "done"
        await asyncio.sleep(0.6)
        assert await store.claim(event_id, "b") == "claimed"


async def test_the_default_ttls_are_five_minutes_for_a_claim_and_a_day_for_done(
    redis_url: str, prefix: str, raw: redis.asyncio.Redis
) -> None:
    async with RedisDedupeStore.from_url(redis_url, app_id=APP_ID, prefix=prefix) as store:
        event_id = _event_id()
        key = f"{prefix}event:{APP_ID}:{event_id}"
        await store.claim(event_id, "a")
        assert 299_000 < await raw.pttl(key) <= 300_000
        await store.mark_done(event_id, "a")
        assert 86_399_000 < await raw.pttl(key) <= 86_400_000


async def test_a_release_after_the_claim_lapsed_leaves_the_next_owners_claim(
    redis_url: str, prefix: str
) -> None:
    async with _store(redis_url, prefix, claim_ttl=0.1) as store:
        event_id = _event_id()
        await store.claim(event_id, "slow")
        await asyncio.sleep(0.2)
        assert await store.claim(event_id, "next") == "claimed"
        await store.release(event_id, "slow")
        assert await store.claim(event_id, "third") == "in_progress"


async def test_an_owner_named_done_is_refused(redis_url: str, prefix: str) -> None:
    async with RedisDedupeStore.from_url(redis_url, app_id=APP_ID, prefix=prefix) as store:
        with pytest.raises(ValueError, match="must not be 'done'"):
            await store.claim(_event_id(), "done")


async def test_a_client_that_decodes_responses_works_the_same(redis_url: str, prefix: str) -> None:
    client = redis.asyncio.Redis.from_url(
        redis_url, decode_responses=True, socket_timeout=1, socket_connect_timeout=1
    )
    store = RedisDedupeStore(client, app_id=APP_ID, prefix=prefix)
    event_id = _event_id()
    assert await store.claim(event_id, "a") == "claimed"
    assert await store.claim(event_id, "b") == "in_progress"
    await store.mark_done(event_id, "a")
    assert await store.claim(event_id, "b") == "done"
    await client.aclose()


async def test_a_redis_client_without_socket_timeouts_is_refused(redis_url: str) -> None:
    client = redis.asyncio.Redis.from_url(redis_url, socket_timeout=None)
    with pytest.raises(ValueError, match="no socket_timeout"):
        RedisDedupeStore(client, app_id=APP_ID)
    await client.aclose()


@pytest.mark.parametrize("ttl", [{"claim_ttl": 0}, {"done_ttl": -1}, {"claim_ttl": float("inf")}])
def test_a_ttl_that_is_not_a_positive_number_of_seconds_is_refused(
    redis_url: str, ttl: dict[str, Any]
) -> None:
    with pytest.raises(ValueError, match="must be a positive number of seconds"):
        RedisDedupeStore.from_url(redis_url, app_id=APP_ID, **ttl)


@pytest.mark.parametrize("ttl", [{"claim_ttl": True}, {"done_ttl": "60"}])
def test_a_ttl_that_is_not_a_number_is_a_type_error(redis_url: str, ttl: dict[str, Any]) -> None:
    with pytest.raises(TypeError, match="must be seconds"):
        RedisDedupeStore.from_url(redis_url, app_id=APP_ID, **ttl)


def test_the_repr_names_server_app_prefix_and_ttls_but_no_password(
    redis_server: RedisServer,
) -> None:
    store = RedisDedupeStore.from_url(
        f"redis://user:{PASSWORD}@127.0.0.1:{redis_server.port}/2",
        app_id=APP_ID,
        prefix="hooks:",
        done_ttl=600,
    )
    assert repr(store) == (
        f"RedisDedupeStore(redis://127.0.0.1:{redis_server.port}/2, app_id={APP_ID!r}, "
        "prefix='hooks:', claim_ttl=300.0, done_ttl=600.0)"
    )
    assert isinstance(store, DedupeStore)


@pytest.mark.parametrize("app_id", ["", "not an app id", "x" * 65])
def test_an_app_id_that_is_not_one_is_refused(redis_url: str, app_id: str) -> None:
    with pytest.raises(ValueError, match="app_id"):
        RedisDedupeStore.from_url(redis_url, app_id=app_id)


async def test_two_apps_sharing_redis_and_a_room_each_handle_the_same_event_once(
    redis_url: str, prefix: str
) -> None:
    async with (
        RedisDedupeStore.from_url(redis_url, app_id=APP_ID, prefix=prefix) as first,
        RedisDedupeStore.from_url(redis_url, app_id="other-app", prefix=prefix) as second,
    ):
        event_id = _event_id()
        await first.claim(event_id, "a")
        await first.mark_done(event_id, "a")
        assert await second.claim(event_id, "b") == "claimed"
        assert await first.claim(event_id, "c") == "done"


# ---- the receiver when Redis fails ----------------------------------------------------------


def _receiver(store: RedisDedupeStore, handled: list[str]) -> httpx.AsyncClient:
    events = EventDispatcher()

    @events.on_message
    async def record(event: Any) -> None:
        handled.append(event.event_id)

    app = WebhookReceiver(events, token=TOKEN, dedupe=store)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hook.test")


async def test_a_failed_handler_releases_its_claim_so_the_redelivery_is_handled(
    redis_url: str, prefix: str
) -> None:
    attempts: list[str] = []
    events = EventDispatcher()

    @events.on_message
    async def flaky(event: Any) -> None:
        attempts.append(event.event_id)
        if len(attempts) == 1:
            raise RuntimeError("the first attempt fails")

    async with RedisDedupeStore.from_url(redis_url, app_id=APP_ID, prefix=prefix) as store:
        app = WebhookReceiver(events, token=TOKEN, dedupe=store)
        body = callback("directText", event_id=_event_id())
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hook.test") as hook:
            assert (await hook.put("/", json=body)).status_code == 500
            assert (await hook.put("/", json=body)).status_code == 200
            assert (await hook.put("/", json=body)).json() == {"status": "duplicate"}
    assert len(attempts) == 2


async def test_while_redis_is_down_events_are_refused_with_500_and_handled_once_it_is_back(
    own_redis: RedisServer,
) -> None:
    handled: list[str] = []
    async with (
        RedisDedupeStore.from_url(own_redis.url, app_id=APP_ID, timeout=0.5) as store,
        _receiver(store, handled) as hook,
    ):
        before = callback("directText", event_id=_event_id())
        assert (await hook.put("/", json=before)).status_code == 200
        own_redis.stop()
        during = callback("directText", event_id=_event_id())
        started = time.monotonic()
        response = await hook.put("/", json=during)
        # 500: the platform delivers again later. Never handled without the record.
        assert response.status_code == 500
        assert response.json() == {"error": "internal error"}
        assert time.monotonic() - started < 2
        assert handled == [before["event"]["event_id"]]
        own_redis.start()
        assert (await hook.put("/", json=during)).json() == {"status": "handled"}
        assert (await hook.put("/", json=during)).json() == {"status": "duplicate"}
    assert handled == [before["event"]["event_id"], during["event"]["event_id"]]


async def test_a_stuck_redis_makes_the_receiver_answer_500_within_its_timeouts(
    own_redis: RedisServer,
) -> None:
    handled: list[str] = []
    async with (
        RedisDedupeStore.from_url(own_redis.url, app_id=APP_ID, timeout=0.3) as store,
        _receiver(store, handled) as hook,
    ):
        await store.claim(_event_id(), "warm-up")  # an open connection that will go silent
        own_redis.pause()
        started = time.monotonic()
        response = await hook.put("/", json=callback("directText", event_id=_event_id()))
        assert response.status_code == 500
        assert time.monotonic() - started < 2.5
        own_redis.resume()
    assert handled == []


async def test_a_store_error_is_a_finchat_error_naming_the_server_without_its_password(
    own_redis: RedisServer,
) -> None:
    url = f"redis://:{PASSWORD}@127.0.0.1:{own_redis.port}/0"
    own_redis.stop()
    async with RedisDedupeStore.from_url(url, app_id=APP_ID) as store:
        for attempt in (
            store.claim(_event_id(), "a"),
            store.mark_done(_event_id(), "a"),
            store.release(_event_id(), "a"),
        ):
            with pytest.raises(RedisStoreError) as caught:
                await attempt
            assert isinstance(caught.value, FinChatError)
            assert f"127.0.0.1:{own_redis.port}" in str(caught.value)
            assert PASSWORD not in str(caught.value)


# ---- four receiver processes ----------------------------------------------------------------

RECEIVERS = 4
EVENTS = 1000
CONCURRENCY = 16


@pytest.mark.slow
def test_four_receiver_processes_fed_every_event_twice_in_random_order_handle_each_once(
    redis_url: str, prefix: str
) -> None:
    ctx = worker_context()
    ports: Any = ctx.Queue()
    receivers = [
        ctx.Process(target=serve_receiver, args=(redis_url, prefix, TOKEN, ports))
        for _ in range(RECEIVERS)
    ]
    for receiver in receivers:
        receiver.start()
    event_ids = [_event_id() for _ in range(EVENTS)]
    bodies = {
        event_id: json.dumps(callback("directText", event_id=event_id)).encode()
        for event_id in event_ids
    }
    deliveries = event_ids * 2
    random.Random(8).shuffle(deliveries)
    answers: Counter[str] = Counter()
    answers_lock = threading.Lock()
    try:
        # Blocking httpx in threads: the async client costs milliseconds of CPU per request
        # here (httpcore retries a failing import on every call), which a 2-core CI cannot spare.
        hooks = [
            httpx.Client(base_url=f"http://127.0.0.1:{ports.get(timeout=60)}", timeout=30)
            for _ in receivers
        ]

        def deliver(event_id: str) -> None:
            # The platform's part: deliver again, to any replica, until the answer is a 200.
            for _ in range(200):
                response = random.choice(hooks).put("/", content=bodies[event_id])
                with answers_lock:
                    answers[str(response.status_code)] += 1
                    if response.status_code == 200:
                        answers[response.json()["status"]] += 1
                if response.status_code == 200:
                    return
                assert response.status_code == 409, response.text
                time.sleep(0.02)
            raise AssertionError(f"{event_id} was never answered 200")

        with ThreadPoolExecutor(CONCURRENCY) as pool:
            list(pool.map(deliver, deliveries, timeout=120))
        for hook in hooks:
            hook.close()
    finally:
        for receiver in receivers:
            receiver.terminate()
        for receiver in receivers:
            receiver.join(timeout=10)
            if receiver.is_alive():
                receiver.kill()
    with redis.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=5) as check:
        entries = check.lrange(f"{prefix}handled", 0, -1)
    records = [entry.decode().split() for entry in entries]
    handled = Counter(event_id for _, event_id in records)
    assert sorted(handled) == sorted(event_ids)
    assert set(handled.values()) == {1}
    assert (answers["handled"], answers["duplicate"]) == (EVENTS, EVENTS)
    assert len({pid for pid, _ in records}) == RECEIVERS  # every process did its share
