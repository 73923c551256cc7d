from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis

from finchat_wrapper.events import CursorStore
from finchat_wrapper.fleet import RedisCursorStore, RedisStoreError

from ..events.cursor_conformance import DurableCursorStoreConformance
from .conftest import RedisServer

pytestmark = pytest.mark.redis
APP_ID = "5cf29aec6ccfd004ccd28075"


class TestRedisCursorStore(DurableCursorStoreConformance):
    @pytest.fixture
    async def store(self, redis_url: str, prefix: str) -> AsyncIterator[CursorStore]:
        async with RedisCursorStore.from_url(redis_url, app_id=APP_ID, prefix=prefix) as store:
            yield store

    @pytest.fixture
    async def reopened(self, redis_url: str, prefix: str) -> AsyncIterator[CursorStore]:
        async with RedisCursorStore.from_url(redis_url, app_id=APP_ID, prefix=prefix) as store:
            yield store


async def test_the_cursor_is_one_key_per_app_and_name_without_expiry(
    redis_url: str, prefix: str
) -> None:
    async with (
        RedisCursorStore.from_url(redis_url, app_id=APP_ID, prefix=prefix) as first,
        RedisCursorStore.from_url(redis_url, app_id=APP_ID, name="audit", prefix=prefix) as other,
    ):
        await first.save("$1:example.org")
        assert await other.load() is None
    with redis.Redis.from_url(redis_url) as admin:
        key = f"{prefix}cursor:{APP_ID}:poller"
        assert admin.get(key) == b"$1:example.org"
        assert admin.pttl(key) == -1


async def test_a_redis_that_is_down_makes_load_and_save_raise_a_store_error(
    own_redis: RedisServer,
) -> None:
    async with RedisCursorStore.from_url(own_redis.url, app_id=APP_ID, timeout=0.25) as store:
        await store.save("$1:example.org")
        own_redis.stop()
        with pytest.raises(RedisStoreError, match="cursor load"):
            await store.load()
        with pytest.raises(RedisStoreError, match="cursor save"):
            await store.save("$2:example.org")


def test_a_client_without_timeouts_and_a_bad_app_id_are_refused() -> None:
    import redis.asyncio

    with pytest.raises(ValueError, match="no socket_timeout"):
        RedisCursorStore(redis.asyncio.Redis(socket_timeout=None), app_id=APP_ID)
    client = redis.asyncio.Redis.from_url(
        "redis://user:hunter2@127.0.0.1:1/0", socket_timeout=1, socket_connect_timeout=1
    )
    with pytest.raises(ValueError, match="app_id"):
        RedisCursorStore(client, app_id="")
    assert "hunter2" not in repr(RedisCursorStore(client, app_id=APP_ID))
