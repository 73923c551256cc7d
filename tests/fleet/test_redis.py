"""What the fleet stores share: clients that cannot hang, addresses without credentials, and
every redis-py failure turned into one `FinChatError`. No server needed."""

from __future__ import annotations

import asyncio

import pytest
import redis
import redis.asyncio

from finchat_wrapper import FinChatError
from finchat_wrapper.fleet import RedisStoreError
from finchat_wrapper.fleet._redis import (
    async_client,
    check_timeouts,
    describe,
    sync_client,
    text,
    translate,
)

PASSWORD = "hunter2-redis-password"


def test_built_clients_have_connect_and_read_timeouts_and_one_retry() -> None:
    for client in (
        sync_client("redis://127.0.0.1:1/0", timeout=0.25),
        async_client("redis://127.0.0.1:1/0", timeout=0.25),
    ):
        kwargs = client.connection_pool.connection_kwargs
        assert (kwargs["socket_timeout"], kwargs["socket_connect_timeout"]) == (0.25, 0.25)
        assert kwargs["retry"].get_retries() == 1
        check_timeouts(client)


@pytest.mark.parametrize(
    ("options", "missing"),
    [
        ({"socket_timeout": None}, "no socket_timeout"),
        ({"socket_connect_timeout": None}, "no socket_connect_timeout"),
        (
            {"socket_timeout": None, "socket_connect_timeout": None},
            "no socket_timeout and no socket_connect_timeout",
        ),
    ],
)
def test_a_client_that_could_wait_forever_is_refused_with_what_it_lacks(
    options: dict[str, None], missing: str
) -> None:
    for cls in (redis.Redis, redis.asyncio.Redis):
        client = cls.from_url("redis://127.0.0.1:1/0", **options)
        with pytest.raises(ValueError, match=missing):
            check_timeouts(client)


@pytest.mark.parametrize("timeout", [0, -1, float("inf"), float("nan")])
def test_a_timeout_that_is_not_a_positive_number_of_seconds_is_refused(timeout: float) -> None:
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        sync_client("redis://127.0.0.1:1/0", timeout=timeout)


@pytest.mark.parametrize("timeout", [True, "1", None])
def test_a_timeout_that_is_not_a_number_is_a_type_error(timeout: object) -> None:
    with pytest.raises(TypeError, match="timeout must be seconds"):
        async_client("redis://127.0.0.1:1/0", timeout=timeout)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "described"),
    [
        (f"redis://:{PASSWORD}@cache.internal:6380/2", "redis://cache.internal:6380/2"),
        (f"rediss://user:{PASSWORD}@cache.internal/0", "rediss://cache.internal:6379/0"),
        (f"unix://user:{PASSWORD}@/run/redis.sock?db=1", "unix:///run/redis.sock?db=1"),
    ],
)
def test_the_address_shown_never_carries_username_or_password(url: str, described: str) -> None:
    assert describe(sync_client(url, timeout=1)) == described
    assert describe(async_client(url, timeout=1)) == described


def test_a_redis_failure_becomes_a_finchat_error_that_keeps_its_cause() -> None:
    cause = redis.ConnectionError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
    with pytest.raises(RedisStoreError) as caught, translate("redis://127.0.0.1:1/0", "token get"):
        raise cause
    assert isinstance(caught.value, FinChatError)
    assert caught.value.__cause__ is cause
    assert str(caught.value) == (
        "Redis at redis://127.0.0.1:1/0 failed during token get "
        "(ConnectionError: Error 111 connecting to 127.0.0.1:1. Connection refused.)"
    )


def test_an_error_reply_is_translated_too_and_its_excerpt_is_bounded() -> None:
    expected = r"\(ResponseError: READONLY x+\)$"
    with (
        pytest.raises(RedisStoreError, match=expected) as caught,
        translate("redis://r:6379/0", "event claim"),
    ):
        raise redis.ResponseError("READONLY " + "x" * 500)
    assert len(str(caught.value)) < 300


def test_other_exceptions_pass_through_untouched() -> None:
    with pytest.raises(KeyError), translate("redis://r:6379/0", "token get"):
        raise KeyError("not a Redis failure")


def test_a_failed_call_hands_over_what_makes_up_for_it_and_a_call_that_succeeded_does_not() -> None:
    handed: list[str] = []
    with translate("redis://r:6379/0", "lease acquire", lambda: handed.append("fence")):
        pass
    assert handed == []
    # A Redis failure is reported translated, after the make-up is handed over.
    with (
        pytest.raises(RedisStoreError),
        translate("redis://r:6379/0", "lease acquire", lambda: handed.append("fence")),
    ):
        raise redis.TimeoutError("Timeout reading from socket")
    assert handed == ["fence"]
    # So is any other way out of the call: the command may have reached Redis all the same.
    for failure in (asyncio.CancelledError(), KeyboardInterrupt(), KeyError("x")):
        with (
            pytest.raises(type(failure)),
            translate("redis://r:6379/0", "lease release", lambda: handed.append("retry")),
        ):
            raise failure
    assert handed == ["fence", "retry", "retry", "retry"]


def test_replies_read_the_same_whether_or_not_the_client_decodes_them() -> None:
    assert text(b"claimed") == text("claimed") == "claimed"
    assert text(None) is None
