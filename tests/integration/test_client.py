"""FinChat and AsyncFinChat against the sandbox, in-process and over a real uvicorn socket."""

from __future__ import annotations

import asyncio
import time

import pytest
from finchat_openapi.models import TextContent

from finchat_wrapper import (
    AppNotFoundError,
    AppNotPublishedError,
    FcidNotFoundError,
    InvalidSecretError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
    ServerError,
)
from finchat_wrapper.sandbox import ErrorFault, FaultPlan

from .conftest import Target

ROOM = "!112321588723954859:example.org"
CUI_EVENT = "$22222222:dev.finogeeks.club"
CUI = {"msgtype": "m.cui", "body": "[交互卡片]", "info": {}, "version": "0.1.0"}


def test_every_operation_works_against_the_sandbox(target: Target) -> None:
    sandbox = target.sandbox
    with target.client() as client:
        sent = client.messages.send(TextContent(msgtype="m.text", body="hello"), room_ids=[ROOM])
        assert sent.succeeded[ROOM] == sandbox.sent(ROOM)[-1].event_id
        assert sandbox.sent(ROOM)[-1].content == {"msgtype": "m.text", "body": "hello"}
        as_user = client.messages.send_as_user(
            "@user001:example.org",
            {"msgtype": "m.text", "body": "hi"},
            fcids=["@alice:example.org"],
        )
        assert as_user.succeeded["@alice:example.org"]
        updated = client.messages.update_cui(CUI_EVENT, CUI, room_ids=[ROOM])
        assert list(updated.succeeded) == [ROOM]
        uri = client.media.upload(b"\x89PNG\r\n", content_type="image/png")
        assert sandbox.media(uri) == (b"\x89PNG\r\n", "image/png")
        assert client.users.get("@linian002:dev.finogeeks.club").position == "研发总监"
        assert client.users.friendships("@test001:dev.finogeeks.club")
        assert sorted(client.contacts.by_authority("admin")) == [
            "@test001:dev.finogeeks.club",
            "@test002:dev.finogeeks.club",
        ]
        assert client.apps.friendships()
        assert client.auth.token().ttl > 0
    assert sandbox.stats.token_requests == 1


async def test_every_async_operation_works_against_the_sandbox(target: Target) -> None:
    async with target.async_client() as client:
        sent = await client.messages.send({"msgtype": "m.text", "body": "x"}, room_ids=[ROOM])
        assert sent.succeeded[ROOM]
        await client.messages.update_cui(CUI_EVENT, CUI, room_ids=[ROOM])
        await client.media.upload(b"file", content_type="text/plain")
        assert (await client.users.get("@alice:example.org")).name == "alice"
        await client.users.friendships("@test001:dev.finogeeks.club")
        assert await client.contacts.by_authority("nobody-holds-this") == []
        await client.apps.friendships()
    assert target.sandbox.stats.token_requests == 1


def test_a_revoked_token_is_replaced_and_the_call_replayed(target: Target) -> None:
    with target.client() as client:
        client.users.get("@alice:example.org")
        target.sandbox.revoke_tokens()
        assert client.users.get("@alice:example.org").fcid == "@alice:example.org"
    assert target.sandbox.stats.token_requests == 2


async def test_concurrent_async_calls_on_a_cold_cache_make_one_token_request(
    target: Target,
) -> None:
    async with target.async_client() as client:
        await asyncio.gather(*(client.users.get("@alice:example.org") for _ in range(100)))
    assert target.sandbox.stats.token_requests == 1


@pytest.mark.parametrize(
    ("credentials", "expected"),
    [
        ("wrong-secret", InvalidSecretError),
        ("unpublished", AppNotPublishedError),
        ("unknown-app", AppNotFoundError),
    ],
)
def test_credential_errors_raise_at_once(
    target: Target, credentials: str, expected: type[Exception]
) -> None:
    from finchat_wrapper.sandbox._world import UNPUBLISHED_APP_ID, UNPUBLISHED_SECRET

    app_id, secret = {
        "wrong-secret": (target.sandbox.app_id, "not-the-secret"),
        "unpublished": (UNPUBLISHED_APP_ID, UNPUBLISHED_SECRET),
        "unknown-app": ("ffffffffffffffffffffffff", "whatever"),
    }[credentials]
    with (
        target.client(app_id=app_id, secret=secret, max_retries=5) as client,
        pytest.raises(expected),
    ):
        client.users.get("@alice:example.org")
    assert target.sandbox.stats.token_requests == 1
    assert target.sandbox.stats.total == 1


def test_an_unknown_user_is_fcid_not_found(target: Target) -> None:
    with target.client() as client, pytest.raises(FcidNotFoundError) as caught:
        client.users.get("@nobody:example.org")
    assert caught.value.errcode == "FC_FCID_NOT_FOUND"
    assert caught.value.status_code == 404
    assert isinstance(caught.value, NotFoundError)


def test_html_502_from_a_proxy_is_retried_then_raised_as_a_server_error(target: Target) -> None:
    plan = FaultPlan(
        error_rate=1.0, errors=(ErrorFault.bad_gateway_html(),), operations={"get_user"}
    )
    target.sandbox.set_faults(plan)
    with target.client(max_retries=2) as client, pytest.raises(ServerError) as caught:
        client.users.get("@alice:example.org")
    assert caught.value.status_code == 502
    assert target.sandbox.stats.operations["get_user"] == 3


def test_a_send_dropped_before_the_server_is_retried(target: Target) -> None:
    plan = FaultPlan(seed=3, drop_before_rate=0.5, operations={"send_message"})
    target.sandbox.set_faults(plan)
    with target.client(max_retries=10) as client:
        for n in range(5):
            client.messages.send({"msgtype": "m.text", "body": f"m{n}"}, room_ids=[ROOM])
    bodies = [
        m.content["body"] for m in target.sandbox.sent(ROOM) if m.content["msgtype"] == "m.text"
    ]
    assert bodies[-5:] == ["m0", "m1", "m2", "m3", "m4"]  # each delivered exactly once
    assert target.sandbox.stats.operations["send_message"] > 5  # some attempts were dropped


def test_a_send_dropped_after_the_server_acted_is_not_repeated(target: Target) -> None:
    target.sandbox.set_faults(FaultPlan(drop_after_rate=1.0, operations={"send_message"}))
    before = len(target.sandbox.sent(ROOM))
    with target.client(max_retries=5) as client:
        report = client.messages.send({"msgtype": "m.text", "body": "once"}, room_ids=[ROOM])
    # Maybe processed: the outcome is unknown, and the send is not repeated.
    assert list(report.unknown) == [ROOM]
    assert target.sandbox.stats.operations["send_message"] == 1
    assert len(target.sandbox.sent(ROOM)) == before + 1


def test_a_read_dropped_after_the_server_acted_is_retried(target: Target) -> None:
    plan = FaultPlan(seed=1, drop_after_rate=0.5, operations={"get_user"})
    target.sandbox.set_faults(plan)
    with target.client(max_retries=10) as client:
        for _ in range(5):
            assert client.users.get("@alice:example.org").fcid == "@alice:example.org"
    # Connections were dropped after the server answered, and the reads were sent again.
    assert target.sandbox.stats.operations["get_user"] > 5


def test_rate_limited_reads_wait_for_retry_after(target: Target) -> None:
    plan = FaultPlan(
        error_rate=1.0, errors=(ErrorFault.rate_limited(retry_after=0.2),), operations={"get_user"}
    )
    target.sandbox.set_faults(plan)
    client = target.client(max_retries=1, retry_policy=RetryPolicy())
    started = time.monotonic()
    with client, pytest.raises(RateLimitError) as caught:
        client.users.get("@alice:example.org")
    assert time.monotonic() - started >= 0.2
    assert caught.value.status_code == 429
    assert target.sandbox.stats.operations["get_user"] == 2
