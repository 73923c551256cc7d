"""The /_sandbox API: simulate, inspect and control over HTTP, checked against its own spec."""

from __future__ import annotations

import httpx
import pytest

from finchat_wrapper.sandbox import Sandbox
from finchat_wrapper.sandbox._world import DOC_CUI_EVENT, DOC_MEDIA_URI

from .conftest import API, Receiver

GROUP = "!112321588723954859:example.org"


async def test_simulate_endpoints_answer_the_event(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    calls = [
        ("user-message", {"fcid": "@test:example.org", "body": "hi"}, "m.room.message"),
        ("mention", {"fcid": "@test:example.org", "room_id": GROUP}, "m.room.message"),
        ("open-direct-room", {"fcid": "@test002:dev.finogeeks.club"}, "finstore.room.create"),
        (
            "submit-cui",
            {"fcid": "@test:example.org", "origin_event": DOC_CUI_EVENT, "info": {"k": "v"}},
            "finstore.room.interactcui",
        ),
        (
            "apply-for-app",
            {"fcid": "@test001:dev.finogeeks.club", "app_id": sandbox.app_id},
            "finstore.app.application",
        ),
    ]
    for name, body, event_type in calls:
        response = await http.post(f"/_sandbox/simulate/{name}", json=body)
        assert response.status_code == 200, response.text
        assert response.json()["event"]["type"] == event_type
        assert response.json()["delivered"] is False  # no callback registered
    assert [e["type"] for _, e in sandbox.events] == [c[2] for c in calls]


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("user-message", {"fcid": "@ghost:example.org", "body": "x"}, 404),
        ("user-message", {"fcid": "not-an-fcid", "body": "x"}, 400),
        ("user-message", {"fcid": "@test:example.org"}, 400),
        (
            "mention",
            {"fcid": "@test:example.org", "room_id": "!900000000000000001:example.org"},
            404,
        ),
        ("submit-cui", {"fcid": "@test:example.org", "origin_event": "$nope:example.org"}, 404),
        ("apply-for-app", {"fcid": "@test:example.org", "app_id": "unknown"}, 404),
    ],
)
async def test_simulate_endpoints_refuse_bad_or_impossible_requests(
    http: httpx.AsyncClient, path: str, body: dict[str, object], status: int
) -> None:
    response = await http.post(f"/_sandbox/simulate/{path}", json=body)
    assert response.status_code == status
    assert response.json()["errcode"] == ("FC_BAD_JSON" if status == 400 else "FC_UNKNOWN")


async def test_wait_false_answers_202_and_delivers_in_the_background(sandbox: Sandbox) -> None:
    receiver = Receiver()
    transport = httpx.ASGITransport(app=receiver.app)
    sandbox.set_callback(sandbox.app_id, "http://bot/hook", "t", transport=transport)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox.app), base_url="http://sandbox.localhost"
    ) as http:
        response = await http.post(
            "/_sandbox/simulate/user-message?wait=false",
            json={"fcid": "@test:example.org", "body": "later"},
        )
        assert response.status_code == 202
        await sandbox.simulate.drain()
    assert [e["content"]["body"] for e in receiver.events] == ["later"]
    assert [a.delivered for a in sandbox.callback_log] == [True]


async def test_callbacks_are_registered_and_removed(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    url = f"/_sandbox/apps/{sandbox.app_id}/callback"
    assert (
        await http.put(url, json={"url": "http://127.0.0.1:9/hook", "token": "t"})
    ).status_code == 204
    assert sandbox.deliverer.callbacks[sandbox.app_id].url == "http://127.0.0.1:9/hook"
    assert (await http.delete(url)).status_code == 204
    assert sandbox.app_id not in sandbox.deliverer.callbacks
    missing = await http.put("/_sandbox/apps/nope/callback", json={"url": "http://x", "token": "t"})
    assert missing.status_code == 404
    wrong_method = await http.get(url)
    assert (wrong_method.status_code, wrong_method.headers["allow"]) == (405, "DELETE, PUT")


async def test_inspection_endpoints_show_rooms_deliveries_media_stats_and_state(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    sent = await http.post(
        f"{API}/message/send",
        json={
            "app_id": sandbox.app_id,
            "room_ids": [GROUP],
            "content": {"msgtype": "m.text", "body": "x"},
        },
        headers=auth,
    )
    event_id = sent.json()["room_id_result"][0]["event_id"]
    messages = (await http.get(f"/_sandbox/rooms/{GROUP}/messages")).json()
    assert messages[-1]["event_id"] == event_id
    assert (await http.get("/_sandbox/rooms/!nope:example.org/messages")).status_code == 404
    deliveries = (await http.get("/_sandbox/deliveries")).json()
    assert [(d["recipient"], d["event_id"]) for d in deliveries] == [(GROUP, event_id)]
    media = await http.get("/_sandbox/media", params={"uri": DOC_MEDIA_URI})
    assert (media.status_code, media.headers["content-type"]) == (200, "image/png")
    stats = (await http.get("/_sandbox/stats")).json()
    assert stats == {"get_app_access_token": 1, "send_message": 1}
    state = (await http.get("/_sandbox/state")).json()
    assert any(m["event_id"] == event_id for m in state["messages"])
    assert (await http.get("/_sandbox/callbacks")).json() == []


async def test_tokens_are_revoked_over_http(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    assert (await http.post("/_sandbox/tokens/revoke")).json() == {"revoked": 1}
    response = await http.get(f"{API}/apps/{sandbox.app_id}/friendships", headers=auth)
    assert response.status_code == 401
