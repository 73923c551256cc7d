"""`RedisTokenStore` and `AsyncRedisTokenStore` against a real redis-server: the store protocol,
clients sharing one token, a fleet of processes, and Redis failing under a running client."""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import redis

from finchat_wrapper import AsyncFinChat, FinChat, FinChatError, TokenStore
from finchat_wrapper._auth import AsyncTokenStore
from finchat_wrapper.fleet import AsyncRedisTokenStore, RedisStoreError, RedisTokenStore
from finchat_wrapper.sandbox import Sandbox, serve

from .conftest import RedisServer
from .workers import CALLER_FCID, call_api, worker_context

pytestmark = pytest.mark.redis

Store = RedisTokenStore | AsyncRedisTokenStore
KEY = "app1@https://finchat.test"
PASSWORD = "hunter2-redis-password"
TOKEN_VALUE = "tok-0123456789-must-not-leak"


async def call(store: Store, method: str, *args: Any) -> Any:
    """Call a store method, awaiting it if the store is the async one: one test, both stores."""
    result = getattr(store, method)(*args)
    if inspect.isawaitable(result):
        result = await result
    return result


async def close(store: Store) -> None:
    """Close either store: its keeper would otherwise retry what Redis did not answer."""
    if isinstance(store, RedisTokenStore):
        store.close()
    else:
        await store.aclose()


@pytest.fixture(params=["sync", "async"])
async def store(
    request: pytest.FixtureRequest, redis_url: str, prefix: str
) -> AsyncIterator[Store]:
    if request.param == "sync":
        with RedisTokenStore.from_url(redis_url, prefix=prefix) as sync_store:
            yield sync_store
    else:
        async with AsyncRedisTokenStore.from_url(redis_url, prefix=prefix) as async_store:
            yield async_store


# ---- the store protocol ---------------------------------------------------------------------


def test_the_sync_store_is_a_token_store_and_the_async_one_an_async_token_store(
    redis_url: str,
) -> None:
    with RedisTokenStore.from_url(redis_url) as sync_store:
        assert isinstance(sync_store, TokenStore)
    assert isinstance(AsyncRedisTokenStore.from_url(redis_url), AsyncTokenStore)


async def test_a_cold_store_has_no_token(store: Store) -> None:
    assert await call(store, "get", KEY) is None


async def test_a_stored_token_is_read_back_with_its_version_and_remaining_validity(
    store: Store,
) -> None:
    put = await call(store, "put", KEY, TOKEN_VALUE, 7200)
    got = await call(store, "get", KEY)
    assert (got.value, got.version, got.lifetime) == (TOKEN_VALUE, put.version, 7200.0)
    assert 7195 < got.ttl <= 7200


async def test_a_token_expires_in_redis_with_its_lifetime(store: Store) -> None:
    # Half a second: long enough that a loaded machine does not expire it before the first look.
    await call(store, "put", KEY, TOKEN_VALUE, 0.5)
    assert await call(store, "get", KEY) is not None
    await asyncio.sleep(0.6)
    assert await call(store, "get", KEY) is None


async def test_every_put_replaces_the_token_under_a_new_version(store: Store) -> None:
    first = await call(store, "put", KEY, "tok-1", 60)
    second = await call(store, "put", KEY, "tok-2", 60)
    assert first.version != second.version
    got = await call(store, "get", KEY)
    assert (got.value, got.version) == ("tok-2", second.version)


async def test_invalidating_a_replaced_version_keeps_the_newer_token(store: Store) -> None:
    old = await call(store, "put", KEY, "tok-1", 60)
    new = await call(store, "put", KEY, "tok-2", 60)
    await call(store, "invalidate", KEY, old.version)
    assert (await call(store, "get", KEY)).version == new.version
    await call(store, "invalidate", KEY, new.version)
    assert await call(store, "get", KEY) is None


async def test_the_lease_has_one_holder_until_that_holder_releases_it(store: Store) -> None:
    lease = await call(store, "acquire_lease", KEY, 30)
    assert lease is not None
    assert await call(store, "acquire_lease", KEY, 30) is None
    await call(store, "release_lease", KEY, "not-the-holder")
    assert await call(store, "acquire_lease", KEY, 30) is None
    await call(store, "release_lease", KEY, lease)
    assert await call(store, "acquire_lease", KEY, 30) is not None


async def test_a_lease_that_is_never_released_lapses_after_its_ttl(store: Store) -> None:
    assert await call(store, "acquire_lease", KEY, 0.5) is not None
    assert await call(store, "acquire_lease", KEY, 0.5) is None
    await asyncio.sleep(0.6)
    assert await call(store, "acquire_lease", KEY, 0.5) is not None


async def test_a_late_release_does_not_free_the_lease_of_the_next_holder(store: Store) -> None:
    lapsed = await call(store, "acquire_lease", KEY, 0.1)
    await asyncio.sleep(0.2)
    current = await call(store, "acquire_lease", KEY, 30)
    assert current is not None
    await call(store, "release_lease", KEY, lapsed)
    assert await call(store, "acquire_lease", KEY, 30) is None


async def test_of_many_concurrent_lease_requests_exactly_one_wins(
    redis_url: str, prefix: str
) -> None:
    async with AsyncRedisTokenStore.from_url(redis_url, prefix=prefix) as async_store:
        leases = await asyncio.gather(*(async_store.acquire_lease(KEY, 30) for _ in range(50)))
    assert sum(lease is not None for lease in leases) == 1


async def test_apps_and_prefixes_do_not_share_tokens(redis_url: str, prefix: str) -> None:
    with (
        RedisTokenStore.from_url(redis_url, prefix=prefix) as one,
        RedisTokenStore.from_url(redis_url, prefix=prefix + "other:") as other,
    ):
        one.put(KEY, "tok-1", 60)
        assert one.get("app2@https://finchat.test") is None
        assert other.get(KEY) is None


async def test_sync_and_async_processes_of_one_fleet_share_the_token(
    redis_url: str, prefix: str
) -> None:
    with RedisTokenStore.from_url(redis_url, prefix=prefix) as sync_store:
        put = sync_store.put(KEY, TOKEN_VALUE, 60)
        async with AsyncRedisTokenStore.from_url(redis_url, prefix=prefix) as async_store:
            got = await async_store.get(KEY)
            assert got is not None
            assert got.version == put.version
            await async_store.invalidate(KEY, put.version)
        assert sync_store.get(KEY) is None


def test_a_client_that_decodes_responses_works_the_same(redis_url: str, prefix: str) -> None:
    client = redis.Redis.from_url(
        redis_url, decode_responses=True, socket_timeout=1, socket_connect_timeout=1
    )
    try:
        store = RedisTokenStore(client, prefix=prefix)
        put = store.put(KEY, TOKEN_VALUE, 60)
        got = store.get(KEY)
        assert got is not None
        assert (got.value, got.version) == (TOKEN_VALUE, put.version)
        lease = store.acquire_lease(KEY, 30)
        assert lease is not None
        assert store.acquire_lease(KEY, 30) is None
    finally:
        client.close()


# ---- configuration and secrets --------------------------------------------------------------


def test_a_redis_client_without_socket_timeouts_is_refused(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url, socket_timeout=None, socket_connect_timeout=None)
    with pytest.raises(ValueError, match="socket_timeout and no socket_connect_timeout"):
        RedisTokenStore(client)
    client.close()


@pytest.mark.parametrize("lifetime", [0, -5, float("nan")])
async def test_a_token_lifetime_that_is_not_positive_is_refused_before_redis_is_asked(
    store: Store, lifetime: float
) -> None:
    with pytest.raises(ValueError, match="lifetime must be a positive number of seconds"):
        await call(store, "put", KEY, TOKEN_VALUE, lifetime)
    assert await call(store, "get", KEY) is None


def test_the_repr_names_the_server_and_prefix_but_no_password_or_token(redis_server: Any) -> None:
    url = f"redis://:{PASSWORD}@127.0.0.1:{redis_server.port}/3"
    with RedisTokenStore.from_url(url, prefix="app:") as store:
        assert (
            repr(store)
            == f"RedisTokenStore(redis://127.0.0.1:{redis_server.port}/3, prefix='app:')"
        )
    assert PASSWORD not in repr(AsyncRedisTokenStore.from_url(url))


def test_a_stored_token_is_not_in_the_repr_of_what_get_returns(redis_url: str, prefix: str) -> None:
    with RedisTokenStore.from_url(redis_url, prefix=prefix) as store:
        store.put(KEY, TOKEN_VALUE, 60)
        assert TOKEN_VALUE not in repr(store.get(KEY))


# ---- Redis down or stuck --------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "put", "invalidate", "acquire_lease", "release_lease"])
async def test_a_redis_that_is_down_makes_every_method_raise_a_finchat_error_at_once(
    own_redis: RedisServer, method: str
) -> None:
    url = f"redis://:{PASSWORD}@127.0.0.1:{own_redis.port}/0"
    own_redis.stop()
    args = {"get": (KEY,), "put": (KEY, TOKEN_VALUE, 60), "acquire_lease": (KEY, 30)}
    for store in (RedisTokenStore.from_url(url), AsyncRedisTokenStore.from_url(url)):
        started = time.monotonic()
        with pytest.raises(RedisStoreError) as caught:
            await call(store, method, *args.get(method, (KEY, "some-version")))
        assert time.monotonic() - started < 2
        assert isinstance(caught.value, FinChatError)
        assert isinstance(caught.value.__cause__, redis.ConnectionError)
        assert f"127.0.0.1:{own_redis.port}" in str(caught.value)
        assert PASSWORD not in str(caught.value)
        assert TOKEN_VALUE not in str(caught.value)
        await close(store)


async def test_a_stuck_redis_fails_each_call_within_its_timeouts_instead_of_hanging(
    own_redis: RedisServer,
) -> None:
    sync_store = RedisTokenStore.from_url(own_redis.url, timeout=0.3)
    async_store = AsyncRedisTokenStore.from_url(own_redis.url, timeout=0.3)
    sync_store.put(KEY, TOKEN_VALUE, 60)  # connections are open before it stops answering
    await async_store.get(KEY)
    own_redis.pause()
    for store in (sync_store, async_store):
        started = time.monotonic()
        with pytest.raises(RedisStoreError, match="Timeout"):
            await call(store, "get", KEY)
        # Two attempts of 0.3 s and one short backoff; generous for a loaded machine.
        assert time.monotonic() - started < 2.5
    own_redis.resume()
    assert sync_store.get(KEY) is not None
    sync_store.close()
    await async_store.aclose()


def test_a_restarted_redis_is_used_again_without_a_new_store(own_redis: RedisServer) -> None:
    store = RedisTokenStore.from_url(own_redis.url)
    store.put(KEY, TOKEN_VALUE, 60)
    own_redis.stop()
    own_redis.start()
    # Pooled connections died with the old server: the one reconnect makes this call work.
    assert store.get(KEY) is None  # no persistence: the token went with the server
    store.put(KEY, TOKEN_VALUE, 60)
    assert store.get(KEY) is not None
    store.close()


# ---- clients sharing the store --------------------------------------------------------------


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


def test_clients_on_one_store_fetch_one_token_and_one_more_after_a_revocation(
    sb: Sandbox, redis_url: str, prefix: str
) -> None:
    stores = [RedisTokenStore.from_url(redis_url, prefix=prefix) for _ in range(3)]
    clients = [
        FinChat(sb.app_id, sb.secret, base_url=sb.base_url, transport=sb.transport(), token_store=s)
        for s in stores
    ]
    for _ in range(5):
        for client in clients:
            client.users.get(CALLER_FCID)
    assert sb.stats.token_requests == 1
    sb.revoke_tokens()
    for client in clients:
        client.users.get(CALLER_FCID)
    assert sb.stats.token_requests == 2
    assert sum(client.token_requests for client in clients) == 2
    for client, store in zip(clients, stores, strict=True):
        client.close()
        store.close()


async def test_async_clients_on_one_store_fetch_one_token_under_concurrent_calls(
    sb: Sandbox, redis_url: str, prefix: str
) -> None:
    async with (
        AsyncRedisTokenStore.from_url(redis_url, prefix=prefix) as first,
        AsyncRedisTokenStore.from_url(redis_url, prefix=prefix) as second,
    ):
        clients = [
            AsyncFinChat(
                sb.app_id,
                sb.secret,
                base_url=sb.base_url,
                transport=sb.async_transport(),
                token_store=store,
            )
            for store in (first, second)
        ]
        await asyncio.gather(*(c.users.get(CALLER_FCID) for c in clients for _ in range(20)))
        assert sb.stats.token_requests == 1
        sb.revoke_tokens()
        await asyncio.gather(*(c.users.get(CALLER_FCID) for c in clients for _ in range(20)))
        assert sb.stats.token_requests == 2
        for client in clients:
            await client.aclose()


def test_a_client_whose_redis_goes_down_keeps_its_token_and_raises_only_when_it_must_fetch(
    sb: Sandbox, own_redis: RedisServer
) -> None:
    with (
        serve(sb) as base_url,
        RedisTokenStore.from_url(own_redis.url, timeout=0.5) as store,
        FinChat(sb.app_id, sb.secret, base_url=base_url, token_store=store) as client,
    ):
        client.users.get(CALLER_FCID)
        own_redis.stop()
        # Its token is fresh: the client never asks the store, so calls go on without Redis.
        for _ in range(10):
            client.users.get(CALLER_FCID)
        sb.revoke_tokens()
        # Now it must fetch, and fetching without the fleet's lease is what fleet mode forbids.
        failures: list[BaseException] = []

        def calling() -> None:
            try:
                client.users.get(CALLER_FCID)
            except BaseException as exc:
                failures.append(exc)

        started = time.monotonic()
        threads = [threading.Thread(target=calling) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        assert not any(thread.is_alive() for thread in threads), "a call hung on a dead Redis"
        assert time.monotonic() - started < 5
        assert len(failures) == 4
        assert all(isinstance(exc, RedisStoreError) for exc in failures), failures
        assert sb.stats.token_requests == 1  # nobody fetched behind the fleet's back
        own_redis.start()
        client.users.get(CALLER_FCID)
        assert sb.stats.token_requests == 2


# ---- a fleet of processes -------------------------------------------------------------------

PROCESSES = 8
CALLS = 200


@pytest.mark.slow
def test_a_fleet_of_processes_fetches_one_token_and_one_more_after_a_revocation_mid_run(
    sb: Sandbox, redis_url: str, prefix: str
) -> None:
    ctx = worker_context()
    start = ctx.Barrier(PROCESSES)
    results: Any = ctx.Queue()
    with serve(sb) as base_url:
        workers = [
            ctx.Process(
                target=call_api,
                args=(base_url, sb.app_id, sb.secret, redis_url, prefix, CALLS, start, results),
            )
            for _ in range(PROCESSES)
        ]
        for worker in workers:
            worker.start()
        try:
            deadline = time.monotonic() + 60
            # Revoke once about half of all calls were served: the others are in flight.
            while sb.stats.operations["get_user"] < PROCESSES * CALLS // 2:
                assert time.monotonic() < deadline, "the workers did not get halfway"
                assert all(w.is_alive() for w in workers), "a worker died"
                time.sleep(0.005)
            before_revocation = sb.stats.token_requests
            sb.revoke_tokens()
            outcomes = [results.get(timeout=60) for _ in workers]
        finally:
            for worker in workers:
                worker.join(timeout=10)
                if worker.is_alive():
                    worker.kill()
    assert before_revocation == 1
    assert sb.stats.token_requests == 2
    assert [errors for _, errors, _ in outcomes] == [[]] * PROCESSES
    assert sum(successes for successes, _, _ in outcomes) == PROCESSES * CALLS
    assert sum(fetched for _, _, fetched in outcomes) == 2
