"""The token lifecycle: caching, refresh ahead of expiry, single flight, one replay, stores."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from finchat_wrapper import (
    AppNotFoundError,
    AppNotPublishedError,
    AsyncFinChat,
    FinChat,
    FinChatError,
    InternalServerError,
    InvalidAccessTokenError,
    InvalidResponseError,
    InvalidSecretError,
    MemoryTokenStore,
    Token,
)
from finchat_wrapper import _operations as ops
from finchat_wrapper._auth import AsyncTokenStore, TokenStore

from .conftest import APP_ID, SECRET, FakeClock, FakeServer

Make = Callable[..., FinChat]
MakeAsync = Callable[..., AsyncFinChat]


def error(status: int, errcode: str) -> httpx.Response:
    return httpx.Response(status, json={"errcode": errcode, "error": errcode.lower()})


# ---- the memory store ----------------------------------------------------------------------


def test_memory_store_returns_the_token_with_its_remaining_ttl() -> None:
    clock = FakeClock()
    store = MemoryTokenStore(clock=clock)
    put = store.put("k", "value", 100)
    clock.advance(40)
    got = store.get("k")
    assert got is not None
    assert (got.value, got.version, got.ttl, got.lifetime) == ("value", put.version, 60, 100)


def test_memory_store_forgets_an_expired_token() -> None:
    clock = FakeClock()
    store = MemoryTokenStore(clock=clock)
    store.put("k", "value", 100)
    clock.advance(100)
    assert store.get("k") is None


def test_memory_store_gives_each_put_a_new_version() -> None:
    store = MemoryTokenStore()
    assert store.put("k", "a", 10).version != store.put("k", "a", 10).version


def test_memory_store_invalidates_only_the_version_named() -> None:
    store = MemoryTokenStore(clock=FakeClock())
    old = store.put("k", "old", 100)
    new = store.put("k", "new", 100)
    store.invalidate("k", old.version)
    assert store.get("k") == Token("new", new.version, 100, 100)
    store.invalidate("k", new.version)
    assert store.get("k") is None


def test_memory_store_lease_is_exclusive_until_released_by_its_holder() -> None:
    store = MemoryTokenStore()
    lease = store.acquire_lease("k", 30)
    assert lease is not None
    assert store.acquire_lease("k", 30) is None
    store.release_lease("k", "someone-else")
    assert store.acquire_lease("k", 30) is None
    store.release_lease("k", lease)
    assert store.acquire_lease("k", 30) is not None


def test_memory_store_lease_of_a_dead_holder_expires() -> None:
    clock = FakeClock()
    store = MemoryTokenStore(clock=clock)
    assert store.acquire_lease("k", 30) is not None
    clock.advance(31)
    assert store.acquire_lease("k", 30) is not None


def test_memory_store_satisfies_the_store_protocol() -> None:
    assert isinstance(MemoryTokenStore(), TokenStore)


def test_token_repr_leaves_the_value_out() -> None:
    token = Token("tok-secret-value", "v1", 10, 10)
    assert "tok-secret-value" not in repr(token)
    assert "tok-secret-value" not in str(token)


# ---- caching and refresh -------------------------------------------------------------------


def test_token_is_fetched_once_and_reused(make_client: Make, server: FakeServer) -> None:
    client = make_client()
    for _ in range(5):
        client.users.get("@a:x")
    assert server.count("token") == 1
    assert server.requests[0].url.path.endswith("/auth/token")


def test_token_request_carries_app_id_and_secret_as_json(
    make_client: Make, server: FakeServer
) -> None:
    make_client().users.get("@a:x")
    token_request = server.requests[0]
    assert token_request.method == "POST"
    assert token_request.headers["content-type"] == "application/json"
    assert "authorization" not in token_request.headers


def test_token_is_refreshed_ahead_of_expiry_by_the_margin(
    make_client: Make, server: FakeServer
) -> None:
    clock = FakeClock()
    client = make_client(clock=clock, token_refresh_margin=120)
    client.users.get("@a:x")
    clock.advance(3600 - 120 - 1)
    client.users.get("@a:x")
    assert server.count("token") == 1
    clock.advance(2)
    client.users.get("@a:x")
    assert server.count("token") == 2
    assert server.requests[-1].headers["authorization"] == "Bearer tok-2"


def test_refresh_margin_is_clamped_to_half_a_short_lived_token(
    make_client: Make, server: FakeServer
) -> None:
    server.expires_in = 10
    clock = FakeClock()
    client = make_client(clock=clock, token_refresh_margin=120)
    client.users.get("@a:x")
    client.users.get("@a:x")
    clock.advance(4.9)
    client.users.get("@a:x")
    assert server.count("token") == 1
    clock.advance(0.2)
    client.users.get("@a:x")
    assert server.count("token") == 2


def test_auth_token_returns_the_cached_token_and_refresh_replaces_it(
    make_client: Make, server: FakeServer
) -> None:
    client = make_client()
    first = client.auth.token()
    assert first.value == "tok-1"
    assert first.lifetime == 3600
    assert client.auth.token() == first
    second = client.auth.token(refresh=True)
    assert second.value == "tok-2"
    assert second.version != first.version
    assert server.count("token") == 2


async def test_async_auth_token_fetches_and_refreshes(
    make_async_client: MakeAsync, server: FakeServer
) -> None:
    async with make_async_client() as client:
        assert (await client.auth.token()).value == "tok-1"
        assert (await client.auth.token()).value == "tok-1"
        assert (await client.auth.token(refresh=True)).value == "tok-2"


# ---- refused tokens ------------------------------------------------------------------------


def test_expired_token_is_replaced_and_the_request_replayed_once(
    make_client: Make, server: FakeServer
) -> None:
    client = make_client()
    client.users.get("@a:x")
    server.revoke_all()  # the server forgot tok-1 (expired early, revoked)
    assert client.users.get("@a:x").fcid == "@a:x"
    assert server.count("token") == 2
    assert server.count("users") == 3
    assert server.requests[-1].headers["authorization"] == "Bearer tok-2"


def test_plain_401_without_errcode_also_triggers_one_replay(
    make_client: Make, server: FakeServer
) -> None:
    client = make_client()
    server.fail("users", httpx.Response(401, text="Unauthorized"))
    client.users.get("@a:x")
    assert server.count("token") == 2
    assert server.count("users") == 2


def test_invalid_token_errcode_under_another_status_triggers_one_replay(
    make_client: Make, server: FakeServer
) -> None:
    client = make_client()
    server.fail("users", error(403, "FC_INVALID_ACCESS_TOKEN"))
    client.users.get("@a:x")
    assert server.count("token") == 2


def test_token_refused_twice_raises_after_one_replay_and_never_loops(
    make_client: Make, server: FakeServer
) -> None:
    client = make_client(max_retries=5)
    refused = error(401, "FC_INVALID_ACCESS_TOKEN")
    server.fail("send", *[refused] * 10)
    with pytest.raises(InvalidAccessTokenError) as caught:
        client._call(ops.send_message(APP_ID, {"msgtype": "m.text", "body": "hi"}, ["!r:x"], []))
    assert caught.value.status_code == 401
    assert server.count("send") == 2
    assert server.count("token") == 2


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (error(401, "FC_INVALID_SECRET"), InvalidSecretError),
        (error(404, "FC_APP_NOT_FOUND"), AppNotFoundError),
        (error(403, "FC_APP_NOT_PUBLISHED"), AppNotPublishedError),
    ],
)
def test_credential_errors_on_the_token_request_raise_at_once(
    make_client: Make, server: FakeServer, fault: httpx.Response, expected: type[Exception]
) -> None:
    client = make_client(max_retries=5)
    server.fail("token", *[fault] * 10)
    with pytest.raises(expected):
        client.users.get("@a:x")
    assert server.count("token") == 1
    assert server.count("users") == 0


def test_wrong_secret_against_the_fake_server_is_invalid_secret(server: FakeServer) -> None:
    client = FinChat(
        APP_ID, "wrong", base_url="https://finchat.test", transport=server.sync_transport()
    )
    with pytest.raises(InvalidSecretError, match="FC_INVALID_SECRET"):
        client.auth.token()


def test_token_request_server_error_is_retried_even_for_a_send(
    make_client: Make, server: FakeServer
) -> None:
    client = make_client()
    server.fail("token", error(500, "FC_INTERNAL_ERROR"), httpx.ReadTimeout("slow"))
    client.messages.send({"msgtype": "m.text", "body": "hi"}, room_ids=["!r:x"])
    assert server.count("token") == 3
    assert server.count("send") == 1


def test_token_request_failure_past_max_retries_is_raised(
    make_client: Make, server: FakeServer
) -> None:
    client = make_client(max_retries=1)
    server.fail("token", *[error(500, "FC_INTERNAL_ERROR")] * 3)
    with pytest.raises(InternalServerError):
        client.users.get("@a:x")
    assert server.count("token") == 2


@pytest.mark.parametrize(
    "body",
    [
        {"expires_in": 3600},
        {"app_access_token": "", "expires_in": 3600},
        {"app_access_token": "t", "expires_in": 0},
        {"app_access_token": "t", "expires_in": "soon"},
        ["not", "an", "object"],
    ],
)
def test_unreadable_token_response_is_an_invalid_response(
    make_client: Make, server: FakeServer, body: object
) -> None:
    server.fail("token", httpx.Response(200, json=body))
    with pytest.raises(InvalidResponseError):
        make_client().users.get("@a:x")


def test_lock_is_released_after_a_failed_fetch(make_client: Make, server: FakeServer) -> None:
    client = make_client(max_retries=0)
    server.fail("token", error(500, "FC_INTERNAL_ERROR"))
    with pytest.raises(InternalServerError):
        client.users.get("@a:x")
    # A leaked lock would hang here; a leaked lease would make the next fetch wait forever.
    assert client.users.get("@a:x").fcid == "@a:x"


async def test_async_lock_and_lease_are_released_when_a_task_is_cancelled_mid_fetch(
    make_async_client: MakeAsync, server: FakeServer
) -> None:
    server.token_delay = 5
    async with make_async_client() as client:
        task = asyncio.create_task(client.users.get("@a:x"))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        server.token_delay = 0
        user = await asyncio.wait_for(client.users.get("@a:x"), 2)
    assert user.fcid == "@a:x"


# ---- single flight -------------------------------------------------------------------------


async def test_a_thousand_concurrent_async_calls_on_a_cold_cache_fetch_one_token(
    make_async_client: MakeAsync, server: FakeServer
) -> None:
    server.token_delay = 0.05
    async with make_async_client() as client:
        users = await asyncio.gather(*(client.users.get("@a:x") for _ in range(1000)))
    assert len(users) == 1000
    assert server.count("token") == 1


def test_sixty_four_threads_on_a_cold_cache_fetch_one_token(
    make_client: Make, server: FakeServer
) -> None:
    server.token_delay = 0.05
    client = make_client()
    start = threading.Barrier(64)

    def call() -> str:
        start.wait()
        return client.users.get("@a:x").fcid

    with ThreadPoolExecutor(64) as pool:
        results = list(pool.map(lambda _: call(), range(64)))
    assert results == ["@a:x"] * 64
    assert server.count("token") == 1


async def test_concurrent_requests_refused_with_the_same_token_fetch_one_new_token(
    make_async_client: MakeAsync, server: FakeServer
) -> None:
    async with make_async_client() as client:
        await client.users.get("@a:x")
        server.revoke_all()
        await asyncio.gather(*(client.users.get("@a:x") for _ in range(50)))
    # tok-1 was refused 50 times; only the first refusal dropped it.
    assert server.count("token") == 2
    assert server.issued == ["tok-1", "tok-2"]


def test_threads_refused_with_the_same_token_fetch_one_new_token(
    make_client: Make, server: FakeServer
) -> None:
    client = make_client()
    client.users.get("@a:x")
    server.revoke_all()
    server.token_delay = 0.05
    start = threading.Barrier(16)

    def call() -> None:
        start.wait()
        client.users.get("@a:x")

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda _: call(), range(16)))
    assert server.count("token") == 2


def test_clients_sharing_a_store_share_the_token(server: FakeServer) -> None:
    store = MemoryTokenStore()
    first = FinChat(
        APP_ID,
        SECRET,
        base_url="https://finchat.test",
        token_store=store,
        transport=server.sync_transport(),
    )
    second = FinChat(
        APP_ID,
        SECRET,
        base_url="https://finchat.test",
        token_store=store,
        transport=server.sync_transport(),
    )
    first.users.get("@a:x")
    second.users.get("@a:x")
    assert server.count("token") == 1


def test_a_refused_shared_token_is_dropped_once_and_the_other_client_adopts_the_new_one(
    server: FakeServer,
) -> None:
    store = MemoryTokenStore()
    first = FinChat(
        APP_ID,
        SECRET,
        base_url="https://finchat.test",
        token_store=store,
        transport=server.sync_transport(),
    )
    second = FinChat(
        APP_ID,
        SECRET,
        base_url="https://finchat.test",
        token_store=store,
        transport=server.sync_transport(),
    )
    first.users.get("@a:x")
    second.users.get("@a:x")
    server.revoke_all()
    first.users.get("@a:x")  # drops tok-1 from the store, fetches tok-2
    second.users.get("@a:x")  # refused with tok-1: finds tok-2 in the store, fetches nothing
    assert server.issued == ["tok-1", "tok-2"]


class _ForeignFetchStore(MemoryTokenStore):
    """A store whose lease another process holds: it puts its token after a few polls."""

    def __init__(self) -> None:
        super().__init__()
        self.polls = 0

    def acquire_lease(self, key: str, ttl: float) -> str | None:
        self.polls += 1
        if self.polls < 3:
            return None
        if self.polls == 3:
            self.put(key, "tok-from-another-process", 3600)
            return None
        return super().acquire_lease(key, ttl)


def test_a_client_waits_for_the_token_another_process_is_fetching(server: FakeServer) -> None:
    store = _ForeignFetchStore()
    server.valid_tokens.add("tok-from-another-process")
    client = FinChat(
        APP_ID,
        SECRET,
        base_url="https://finchat.test",
        token_store=store,
        transport=server.sync_transport(),
    )
    client.users.get("@a:x")
    assert server.count("token") == 0
    assert server.requests[-1].headers["authorization"] == "Bearer tok-from-another-process"


class _AsyncStore:
    """An awaitable store (like a Redis one), backed by the memory store."""

    def __init__(self) -> None:
        self.inner = MemoryTokenStore()
        self.calls: list[str] = []

    async def get(self, key: str) -> Token | None:
        self.calls.append("get")
        return self.inner.get(key)

    async def put(self, key: str, value: str, lifetime: float) -> Token:
        self.calls.append("put")
        return self.inner.put(key, value, lifetime)

    async def invalidate(self, key: str, version: str) -> None:
        self.calls.append("invalidate")
        self.inner.invalidate(key, version)

    async def acquire_lease(self, key: str, ttl: float) -> str | None:
        self.calls.append("acquire_lease")
        return self.inner.acquire_lease(key, ttl)

    async def release_lease(self, key: str, lease: str) -> None:
        self.calls.append("release_lease")
        self.inner.release_lease(key, lease)


async def test_async_client_uses_an_awaitable_store(server: FakeServer) -> None:
    store = _AsyncStore()
    assert isinstance(store, AsyncTokenStore)
    async with AsyncFinChat(
        APP_ID,
        SECRET,
        base_url="https://finchat.test",
        token_store=store,
        transport=server.async_transport(),
    ) as client:
        await client.users.get("@a:x")
        server.revoke_all()
        await client.users.get("@a:x")
    assert store.calls == [
        "get", "acquire_lease", "get", "put", "release_lease",
        "invalidate", "get", "acquire_lease", "get", "put", "release_lease",
    ]  # fmt: skip
    assert store.inner.acquire_lease("app1@https://finchat.test", 1) is not None


def test_sync_client_refuses_an_awaitable_store(server: FakeServer) -> None:
    store: object = _AsyncStore()
    with pytest.raises(TypeError, match="blocking"):
        FinChat(APP_ID, SECRET, base_url="https://finchat.test", token_store=store)  # type: ignore[arg-type]


class _StoreDownError(FinChatError):
    """What a shared store raises when its backend is down."""


class _BrokenStore(MemoryTokenStore):
    def __init__(self) -> None:
        super().__init__()
        self.down = True
        self.gets = 0

    def get(self, key: str) -> Token | None:
        self.gets += 1
        if self.down:
            raise _StoreDownError("store unreachable")
        return super().get(key)


def test_a_failing_store_error_is_raised_as_is_without_retries(server: FakeServer) -> None:
    store = _BrokenStore()
    client = FinChat(
        APP_ID,
        SECRET,
        base_url="https://finchat.test",
        token_store=store,
        max_retries=5,
        transport=server.sync_transport(),
    )
    with pytest.raises(_StoreDownError):
        client.users.get("@a:x")
    assert store.gets == 1
    assert server.requests == []
    store.down = False  # the lock was released: the next call goes through
    assert client.users.get("@a:x").fcid == "@a:x"
