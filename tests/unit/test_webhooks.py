"""`client.webhooks` on a scripted server: every message type, the event id, errors, no repeats."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from finchat_openapi.models import SendWebhookMessageResponse

from finchat_wrapper import (
    AsyncFinChat,
    Card,
    FinChat,
    InternalServerError,
    InvalidResponseError,
    ResourceNotFoundError,
    file_content,
    image_content,
    text_content,
    textcard_content,
)

from .conftest import APP_ID, PREFIX, FakeServer

Make = Callable[..., FinChat]
MakeAsync = Callable[..., AsyncFinChat]
HOOK = "5df29mec9ccfd002ccd28076"
URI = "mxc://finchat.test/abc"


def contents() -> list[Any]:
    return [
        text_content("磁盘 90%"),
        textcard_content(title="告警", description="磁盘", url="https://example.org/a"),
        image_content(URI, body="dot.png", mimetype="image/png", size=10, width=1, height=1),
        file_content(URI, body="log.txt", size=10),
        Card().text("请确认").submit("确认").to_content(),
        {"msgtype": "m.text", "body": "a mapping works too"},
    ]


@pytest.mark.parametrize("content", contents(), ids=lambda c: str(getattr(c, "msgtype", "dict")))
def test_every_message_type_goes_through_a_webhook_and_answers_its_event_id(
    make_client: Make, server: FakeServer, content: Any
) -> None:
    answer = make_client().webhooks.send(HOOK, content)

    assert isinstance(answer, SendWebhookMessageResponse)
    assert answer.event_id == "$hook:x"
    request = server.requests[-1]
    assert (request.method, request.url.path) == ("POST", PREFIX + "/message/webhook/send")
    body = json.loads(request.content)
    assert (body["app_id"], body["webhook_id"]) == (APP_ID, HOOK)
    expected = content["msgtype"] if isinstance(content, dict) else content.msgtype
    assert body["content"]["msgtype"] == expected


async def test_the_async_webhook_send_sends_the_same_request(
    make_async_client: MakeAsync, server: FakeServer
) -> None:
    async with make_async_client() as client:
        answer = await client.webhooks.send(HOOK, text_content("hi"))
    assert answer.event_id == "$hook:x"
    assert json.loads(server.requests[-1].content)["content"] == {"msgtype": "m.text", "body": "hi"}


@pytest.mark.parametrize(
    ("webhook_id", "content"),
    [("", text_content("x")), ("a b", text_content("x")), (HOOK, "plain"), (HOOK, {"body": "x"})],
    ids=["empty-id", "spaced-id", "str-content", "no-msgtype"],
)
def test_a_bad_webhook_send_raises_before_any_request(
    make_client: Make, server: FakeServer, webhook_id: str, content: Any
) -> None:
    with pytest.raises((TypeError, ValueError)):
        make_client().webhooks.send(webhook_id, content)
    assert server.requests == []


def test_an_unknown_webhook_is_a_resource_not_found(make_client: Make, server: FakeServer) -> None:
    server.fail(
        "webhook/send", httpx.Response(404, json={"errcode": "FC_NOT_FOUND", "error": "no webhook"})
    )
    with pytest.raises(ResourceNotFoundError) as caught:
        make_client().webhooks.send(HOOK, text_content("x"))
    assert caught.value.errcode == "FC_NOT_FOUND"


def test_a_webhook_send_is_never_repeated_once_it_may_have_reached_the_server(
    make_client: Make, server: FakeServer
) -> None:
    failed = httpx.Response(500, json={"errcode": "FC_INTERNAL_ERROR", "error": "e"})
    server.fail("webhook/send", failed, failed, httpx.ReadTimeout("slow"))
    with pytest.raises(InternalServerError):
        make_client(max_retries=3).webhooks.send(HOOK, text_content("x"))
    assert server.count("webhook/send") == 1


def test_a_webhook_send_that_never_left_is_retried(make_client: Make, server: FakeServer) -> None:
    server.fail("webhook/send", httpx.ConnectError("refused"))
    assert make_client(max_retries=1).webhooks.send(HOOK, text_content("x")).event_id
    assert server.count("webhook/send") == 2


@pytest.mark.parametrize(
    "body", [{}, {"event_id": 5}, ["$e:x"], {"id": "$e:x"}], ids=["empty", "number", "list", "key"]
)
def test_a_webhook_answer_without_an_event_id_string_is_an_invalid_response(
    make_client: Make, server: FakeServer, body: Any
) -> None:
    server.fail("webhook/send", httpx.Response(200, json=body))
    with pytest.raises(InvalidResponseError, match="send_webhook_message"):
        make_client().webhooks.send(HOOK, text_content("x"))
