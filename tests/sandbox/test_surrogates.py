"""Lone surrogates (valid JSON escapes, but not text) get the documented 400 `FC_BAD_JSON`, never
a 500, and can never make later answers fail."""

from __future__ import annotations

import json

import httpx
import pytest

from finchat_wrapper.sandbox import Sandbox, World

from .conftest import API

ROOM = "!112321588723954859:example.org"


def _raw(body: dict[str, object]) -> bytes:
    return json.dumps(body).encode()  # ensure_ascii: the surrogate travels as the escape \ud800


async def _post(
    http: httpx.AsyncClient, path: str, body: dict[str, object], **headers: str
) -> httpx.Response:
    headers = {"Content-Type": "application/json", **headers}
    return await http.post(path, content=_raw(body), headers=headers)


async def test_a_secret_that_is_a_lone_surrogate_is_fc_bad_json(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    response = await _post(
        http, f"{API}/auth/token", {"app_id": sandbox.app_id, "secret": "\ud800"}
    )
    assert response.status_code == 400
    assert response.json()["errcode"] == "FC_BAD_JSON"
    assert sandbox.internal_errors == []


@pytest.mark.parametrize(
    "recipients",
    [{"room_ids": ["!\ud800:example.org"]}, {"fcids": ["@\udfff:example.org"]}],
    ids=["room", "fcid"],
)
async def test_a_recipient_holding_a_lone_surrogate_is_fc_bad_json(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str], recipients: dict[str, object]
) -> None:
    body = {"app_id": sandbox.app_id, **recipients, "content": {"msgtype": "m.text", "body": "x"}}
    response = await _post(http, f"{API}/message/send", body, **auth)
    assert response.status_code == 400
    assert response.json()["errcode"] == "FC_BAD_JSON"
    assert sandbox.internal_errors == []


async def test_a_send_holding_a_lone_surrogate_is_refused_and_the_room_still_answers(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    body = {
        "app_id": sandbox.app_id,
        "room_ids": [ROOM],
        "content": {"msgtype": "m.text", "body": "\ud800"},
    }
    response = await _post(http, f"{API}/message/send", body, **auth)
    assert response.status_code == 400
    assert all(m.content.get("body") != "\ud800" for m in sandbox.sent(ROOM))
    assert (await http.get(f"/_sandbox/rooms/{ROOM}/messages")).status_code == 200
    assert (await http.get("/_sandbox/state")).status_code == 200
    assert sandbox.internal_errors == []


async def test_a_paired_surrogate_escape_is_an_ordinary_character(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    body = {
        "app_id": sandbox.app_id,
        "room_ids": [ROOM],
        "content": {"msgtype": "m.text", "body": "ok 😀"},
    }
    response = await _post(http, f"{API}/message/send", body, **auth)
    assert response.status_code == 200, response.text
    assert sandbox.sent(ROOM)[-1].content["body"] == "ok 😀"


async def test_a_simulated_message_holding_a_lone_surrogate_is_fc_bad_json(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    body = {"fcid": "@test:example.org", "body": "\udfff"}
    response = await _post(http, "/_sandbox/simulate/user-message", body)
    assert response.status_code == 400
    assert response.json()["errcode"] == "FC_BAD_JSON"
    assert sandbox.events == []


async def test_a_world_that_brought_a_lone_surrogate_in_still_exports() -> None:
    world = World.default()
    world.messages[0].content["body"] = "from a file \ud800"
    with Sandbox(world) as sandbox:
        transport = httpx.ASGITransport(app=sandbox.app)
        async with httpx.AsyncClient(transport=transport, base_url=sandbox.base_url) as http:
            room = world.messages[0].room_id
            for path in (f"/_sandbox/rooms/{room}/messages", "/_sandbox/state"):
                response = await http.get(path)
                assert response.status_code == 200
                assert "\\ud800" in response.text  # escaped: valid JSON, if not text
        assert sandbox.internal_errors == []
