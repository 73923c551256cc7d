"""The sandbox's webhook bots over HTTP: what an app sends through one appears in its room."""

from __future__ import annotations

import httpx

from finchat_wrapper.sandbox import Sandbox
from finchat_wrapper.sandbox._world import DOC_ROOM, DOC_WEBHOOK_ID, WEBHOOK_BOT

from .conftest import API, get_token

URL = f"{API}/message/webhook/send"
TEXT = {"msgtype": "m.text", "body": "告警"}


async def _headers(http: httpx.AsyncClient, sandbox: Sandbox) -> dict[str, str]:
    return {"Authorization": f"Bearer {await get_token(http, sandbox.app_id, sandbox.secret)}"}


async def test_a_webhook_send_posts_as_the_webhook_bot_and_answers_the_event_id(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    body = {"app_id": sandbox.app_id, "webhook_id": DOC_WEBHOOK_ID, "content": TEXT}
    response = await http.post(URL, json=body, headers=await _headers(http, sandbox))
    assert response.status_code == 200
    (event_id,) = response.json().values()
    message = sandbox.sent(DOC_ROOM)[-1]
    assert (message.event_id, message.sender, message.content) == (event_id, WEBHOOK_BOT, TEXT)
    assert message.app_id == sandbox.app_id
    (delivery,) = sandbox.delivery_log
    assert (delivery.operation, delivery.recipient) == ("send_webhook_message", DOC_ROOM)


async def test_a_webhook_that_is_not_the_apps_is_not_found_and_nothing_is_sent(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    headers = await _headers(http, sandbox)
    for webhook_id in ("unknown", "7ab30nfd0ddge113dde39187"):
        body = {"app_id": sandbox.app_id, "webhook_id": webhook_id, "content": TEXT}
        response = await http.post(URL, json=body, headers=headers)
        assert (response.status_code, response.json()["errcode"]) == (404, "FC_NOT_FOUND")
    assert sandbox.delivery_log == []


async def test_a_webhook_bot_no_longer_in_its_room_or_not_its_owner_cannot_post(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    headers = await _headers(http, sandbox)
    body = {"app_id": sandbox.app_id, "webhook_id": DOC_WEBHOOK_ID, "content": TEXT}
    room = sandbox.state.rooms[DOC_ROOM]
    room.message_forbidden_except_owner = True
    forbidden = await http.post(URL, json=body, headers=headers)
    assert (forbidden.status_code, forbidden.json()["errcode"]) == (403, "FC_FORBIDDEN")
    room.message_forbidden_except_owner = False
    room.members.remove(WEBHOOK_BOT)
    gone = await http.post(URL, json=body, headers=headers)
    assert (gone.status_code, gone.json()["errcode"]) == (404, "FC_NOT_FOUND")
    assert sandbox.delivery_log == []


async def test_a_webhook_send_body_is_checked_against_the_spec(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    headers = await _headers(http, sandbox)
    for body in (
        {"app_id": sandbox.app_id, "webhook_id": "", "content": TEXT},
        {"app_id": sandbox.app_id, "webhook_id": DOC_WEBHOOK_ID},
        {"app_id": sandbox.app_id, "webhook_id": DOC_WEBHOOK_ID, "content": TEXT, "room_ids": []},
    ):
        response = await http.post(URL, json=body, headers=headers)
        assert (response.status_code, response.json()["errcode"]) == (400, "FC_BAD_JSON")
