"""Every FinChat operation of the sandbox, success and documented failures, in-process and on a
real socket (the `http` fixture runs each test both ways)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from finchat_wrapper.sandbox import Sandbox, World
from finchat_wrapper.sandbox._world import (
    DOC_CUI_EVENT,
    OTHER_APP_ID,
    OTHER_SECRET,
    UNPUBLISHED_APP_ID,
    UNPUBLISHED_SECRET,
)

from .conftest import API, get_token

GROUP = "!112321588723954859:example.org"
NOT_A_MEMBER_ROOM = "!900000000000000001:example.org"
TEXT = {"msgtype": "m.text", "body": "hello"}
CUI = {"msgtype": "m.cui", "body": "[交互卡片]", "info": {"status": "disable"}, "version": "0.1.0"}


def error_of(response: httpx.Response) -> tuple[int, str]:
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"errcode", "error"}
    return response.status_code, body["errcode"]


# ---- token ------------------------------------------------------------------------------------
async def test_token_is_issued_for_the_right_secret(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    response = await http.post(
        f"{API}/auth/token", json={"app_id": sandbox.app_id, "secret": sandbox.secret}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 7200
    assert len(body["app_access_token"]) >= 16
    assert sandbox.stats.token_requests == 1


@pytest.mark.parametrize(
    ("app_id", "secret", "expected"),
    [
        ("5cf29aec6ccfd004ccd28075", "wrong", (401, "FC_INVALID_SECRET")),
        ("000000000000000000000000", "whatever", (404, "FC_APP_NOT_FOUND")),
        (UNPUBLISHED_APP_ID, UNPUBLISHED_SECRET, (403, "FC_APP_NOT_PUBLISHED")),
    ],
    ids=["wrong-secret", "unknown-app", "unpublished-app"],
)
async def test_token_request_failures_answer_their_errcode(
    http: httpx.AsyncClient, app_id: str, secret: str, expected: tuple[int, str]
) -> None:
    response = await http.post(f"{API}/auth/token", json={"app_id": app_id, "secret": secret})
    assert error_of(response) == expected


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"app_id": "5cf29aec6ccfd004ccd28075"}',
        b'{"app_id": 5, "secret": "x"}',
        b'{"app_id": "5cf29aec6ccfd004ccd28075", "secret": "x", "extra": 1}',
        b'{"app_id": "", "secret": "x"}',
        b"[]",
        b"",
        b'{"app_id": "5cf29aec6ccfd004ccd28075", "secret": NaN}',
    ],
    ids=[
        "malformed",
        "missing-field",
        "wrong-type",
        "unknown-field",
        "empty-id",
        "array",
        "empty",
        "nan",
    ],
)
async def test_invalid_token_requests_are_bad_json(http: httpx.AsyncClient, body: bytes) -> None:
    response = await http.post(
        f"{API}/auth/token", content=body, headers={"content-type": "application/json"}
    )
    assert error_of(response) == (400, "FC_BAD_JSON")


async def test_error_messages_never_echo_the_secret(http: httpx.AsyncClient) -> None:
    response = await http.post(
        f"{API}/auth/token", json={"app_id": "5cf29aec6ccfd004ccd28075", "secret": 12345678}
    )
    assert response.status_code == 400
    assert "12345678" not in response.text


async def test_expired_token_is_refused() -> None:
    now = [1000.0]
    sandbox = Sandbox(token_ttl=60, clock=lambda: now[0])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox.app), base_url="http://sandbox.localhost"
    ) as http:
        token = await get_token(http, sandbox.app_id, sandbox.secret)
        url = f"{API}/apps/{sandbox.app_id}/friendships"
        headers = {"Authorization": f"Bearer {token}"}
        assert (await http.get(url, headers=headers)).status_code == 200
        now[0] += 60
        assert error_of(await http.get(url, headers=headers)) == (401, "FC_INVALID_ACCESS_TOKEN")


async def test_revoked_tokens_are_refused(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    url = f"{API}/apps/{sandbox.app_id}/friendships"
    assert (await http.get(url, headers=auth)).status_code == 200
    assert sandbox.revoke_tokens() == 1
    assert error_of(await http.get(url, headers=auth)) == (401, "FC_INVALID_ACCESS_TOKEN")


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer unknown-token", "Basic dXNlcjpwYXNz", "bearer"],
)
async def test_missing_or_invalid_authorization_is_refused(
    http: httpx.AsyncClient, sandbox: Sandbox, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = await http.post(
        f"{API}/message/send",
        json={"app_id": sandbox.app_id, "room_ids": [GROUP], "content": TEXT},
        headers=headers,
    )
    assert error_of(response) == (401, "FC_INVALID_ACCESS_TOKEN")
    assert sandbox.delivery_log == []


# ---- app checks shared by every protected operation -----------------------------------------
async def test_a_token_of_another_app_is_invalid_for_this_app(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    other = await get_token(http, OTHER_APP_ID, OTHER_SECRET)
    response = await http.get(
        f"{API}/apps/{sandbox.app_id}/friendships", headers={"Authorization": f"Bearer {other}"}
    )
    assert error_of(response) == (401, "FC_INVALID_ACCESS_TOKEN")


async def test_an_unknown_app_id_is_not_found(
    http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    response = await http.get(f"{API}/apps/ffffffffffffffffffffffff/friendships", headers=auth)
    assert error_of(response) == (404, "FC_APP_NOT_FOUND")


async def test_an_unpublished_app_id_is_refused(
    http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    response = await http.post(
        f"{API}/message/send",
        json={"app_id": UNPUBLISHED_APP_ID, "room_ids": [GROUP], "content": TEXT},
        headers=auth,
    )
    assert error_of(response) == (403, "FC_APP_NOT_PUBLISHED")


# ---- send --------------------------------------------------------------------------------------
# Revision 2 of the document moved send-as-user to the privilege API.
MESSAGE_URLS = {
    "send": f"{API}/message/send",
    "send-as-user": "/api/v1/finchat/privilege-api/message/send-as-user",
}


async def send(
    http: httpx.AsyncClient, auth: dict[str, str], body: dict[str, Any], path: str = "send"
) -> httpx.Response:
    return await http.post(MESSAGE_URLS[path], json=body, headers=auth)


async def test_send_to_rooms_answers_one_result_per_room(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    rooms = [GROUP, "!doesnotexist:example.org", NOT_A_MEMBER_ROOM]
    response = await send(
        http, auth, {"app_id": sandbox.app_id, "room_ids": rooms, "content": TEXT}
    )
    assert response.status_code == 200
    results = response.json()["room_id_result"]
    assert [r["room_id"] for r in results] == rooms
    assert results[0]["event_id"].startswith("$")
    assert "errcode" not in results[0]
    assert [r.get("errcode") for r in results[1:]] == ["FC_ROOM_NOT_FOUND"] * 2
    assert all("event_id" not in r for r in results[1:])
    message = sandbox.sent(GROUP)[-1]
    assert (message.event_id, message.content, message.sender) == (
        results[0]["event_id"],
        TEXT,
        "@vsadf-bot:dev.finogeeks.club",
    )
    assert [(d.room_id, d.recipient) for d in sandbox.delivery_log] == [(GROUP, GROUP)]


async def test_send_to_fcids_needs_an_existing_direct_room(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    fcids = ["@test:example.org", "@test002:dev.finogeeks.club"]
    response = await send(http, auth, {"app_id": sandbox.app_id, "fcids": fcids, "content": TEXT})
    results = response.json()["fcid_result"]
    assert results[0]["fcid"] == "@test:example.org"
    assert "event_id" in results[0]
    assert results[1] == {
        "fcid": "@test002:dev.finogeeks.club",
        "errcode": "FC_ROOM_NOT_FOUND",
        "error": "room does not exist",
    }
    assert len(sandbox.sent("!100000000000000001:example.org")) == 1


async def test_room_ids_win_over_fcids(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    body = {"app_id": sandbox.app_id, "room_ids": [GROUP], "fcids": ["@test:example.org"]}
    response = await send(http, auth, {**body, "content": TEXT})
    assert set(response.json()) == {"room_id_result"}
    assert sandbox.sent("!100000000000000001:example.org") == []


async def test_send_without_recipients_answers_no_results(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    response = await send(http, auth, {"app_id": sandbox.app_id, "content": TEXT})
    assert (response.status_code, response.json()) == (200, {})


@pytest.mark.parametrize(
    ("field", "errcode"),
    [
        ("room_ids", "FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED"),
        ("fcids", "FC_MESSAGE_FCID_LIMIT_EXCEEDED"),
    ],
)
async def test_too_many_recipients_fail_the_whole_request_and_send_nothing(
    field: str, errcode: str
) -> None:
    sandbox = Sandbox(fcid_limit=2, room_id_limit=2)
    recipients = (
        [GROUP, GROUP, "!132221587624558592:example.org"]
        if field == "room_ids"
        else ["@test:example.org", "@user001:example.org", "@example:example.org"]
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox.app), base_url="http://sandbox.localhost"
    ) as http:
        token = await get_token(http, sandbox.app_id, sandbox.secret)
        response = await send(
            http,
            {"Authorization": f"Bearer {token}"},
            {"app_id": sandbox.app_id, field: recipients, "content": TEXT},
        )
    assert error_of(response) == (400, errcode)
    assert sandbox.delivery_log == []


@pytest.mark.parametrize(
    "body",
    [
        {"room_ids": [GROUP], "content": {"msgtype": "m.text"}},
        {"room_ids": ["no-bang:example.org"], "content": TEXT},
        {"room_ids": [GROUP], "room_id": GROUP, "content": TEXT},
        {"room_ids": [GROUP], "content": {"msgtype": "m.video", "body": "x"}},
        {"room_ids": GROUP, "content": TEXT},
    ],
    ids=["missing-body", "bad-room-id", "unknown-field", "unknown-msgtype", "not-a-list"],
)
async def test_invalid_send_bodies_are_bad_json_and_send_nothing(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str], body: dict[str, Any]
) -> None:
    response = await send(http, auth, {"app_id": sandbox.app_id, **body})
    assert error_of(response) == (400, "FC_BAD_JSON")
    assert sandbox.delivery_log == []


async def test_body_ids_are_checked_by_their_sigil_so_an_unknown_one_fails_alone(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    body = {"app_id": sandbox.app_id, "room_ids": ["!a/b", GROUP], "content": TEXT}
    response = await send(http, auth, body)
    assert response.status_code == 200
    odd, group = response.json()["room_id_result"]
    assert odd["errcode"] == "FC_ROOM_NOT_FOUND"
    assert "errcode" not in group


async def test_content_may_carry_fields_the_document_does_not_list(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    content = {**TEXT, "format": "org.matrix.custom.html", "formatted_body": "<b>hi</b>"}
    body = {"app_id": sandbox.app_id, "room_ids": [GROUP], "content": content}
    (result,) = (await send(http, auth, body)).json()["room_id_result"]
    assert "event_id" in result


async def test_send_as_user_creates_missing_direct_rooms_between_the_sender_and_each_user(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    body = {
        "app_id": sandbox.app_id,
        "sender": "@user001:example.org",
        "fcids": ["@test002:dev.finogeeks.club", "@nobody:example.org", "@user001:example.org"],
        "content": TEXT,
    }
    results = (await send(http, auth, body, "send-as-user")).json()["fcid_result"]
    assert "event_id" in results[0]
    assert results[1]["errcode"] == "FC_FCID_NOT_FOUND"
    assert results[2]["errcode"] == "FC_ROOM_NOT_FOUND"  # nobody has a direct room with oneself
    room = sandbox.state.direct_room("@user001:example.org", "@test002:dev.finogeeks.club")
    assert room is not None
    assert (
        sandbox.state.direct_room(
            sandbox.state.apps[sandbox.app_id].bot, "@test002:dev.finogeeks.club"
        )
        is None
    )
    (message,) = sandbox.sent(room.room_id)
    assert message.sender == "@user001:example.org"
    assert room.topic is None  # no topic given: left alone


async def test_send_as_user_sets_the_topic_of_the_direct_rooms_of_fcids_only(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    sender, friend = "@test001:dev.finogeeks.club", "@linian002:dev.finogeeks.club"
    existing = sandbox.state.direct_room(sender, friend)
    assert existing is not None
    body = {"app_id": sandbox.app_id, "sender": sender, "topic": "周报", "content": TEXT}
    response = await send(
        http, auth, {**body, "fcids": [friend, "@alice:example.org"]}, "send-as-user"
    )
    assert all("event_id" in r for r in response.json()["fcid_result"])
    created = sandbox.state.direct_room(sender, "@alice:example.org")
    assert existing.topic == "周报"
    assert created is not None
    assert created.topic == "周报"
    # Beside room_ids the server ignores the topic.
    await send(
        http,
        auth,
        {**body, "sender": "@user001:example.org", "topic": "x", "room_ids": [GROUP]},
        "send-as-user",
    )
    assert sandbox.state.rooms[GROUP].topic == "test"


async def test_send_as_user_is_a_privilege_an_app_may_lack(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    other = {"Authorization": f"Bearer {await get_token(http, OTHER_APP_ID, OTHER_SECRET)}"}
    body = {"app_id": OTHER_APP_ID, "sender": "@alice:example.org", "fcids": ["@test:example.org"]}
    response = await send(http, other, {**body, "content": TEXT}, "send-as-user")
    assert error_of(response) == (403, "FC_FORBIDDEN")
    assert not sandbox.delivery_log


async def test_send_as_user_needs_a_known_sender_who_is_in_the_room(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    body = {"app_id": sandbox.app_id, "room_ids": [GROUP], "content": TEXT}
    unknown = await send(http, auth, {**body, "sender": "@ghost:example.org"}, "send-as-user")
    assert error_of(unknown) == (404, "FC_FCID_NOT_FOUND")
    outsider = await send(http, auth, {**body, "sender": "@alice:example.org"}, "send-as-user")
    assert outsider.json()["room_id_result"][0]["errcode"] == "FC_ROOM_NOT_FOUND"


async def test_send_as_user_refuses_cui_cards(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    body = {"app_id": sandbox.app_id, "sender": "@user001:example.org", "room_ids": [GROUP]}
    response = await send(http, auth, {**body, "content": CUI}, "send-as-user")
    assert error_of(response) == (400, "FC_BAD_JSON")


# ---- update-cui ----------------------------------------------------------------------------
async def test_update_cui_replaces_the_card_and_is_idempotent(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    body = {"app_id": sandbox.app_id, "room_ids": [GROUP], "origin_event": DOC_CUI_EVENT}
    for _ in range(2):
        response = await http.put(
            f"{API}/message/update-cui", json={**body, "content": CUI}, headers=auth
        )
        assert response.json() == {
            "room_id_result": [{"room_id": GROUP, "event_id": DOC_CUI_EVENT}]
        }
    (card,) = sandbox.sent(GROUP)
    assert card.content == CUI
    assert len(card.history) == 1


async def test_update_cui_fails_per_room_when_origin_is_not_this_apps_card(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    sent = await send(http, auth, {"app_id": sandbox.app_id, "room_ids": [GROUP], "content": TEXT})
    text_event = sent.json()["room_id_result"][0]["event_id"]
    for origin in (text_event, "$unknown:example.org"):
        response = await http.put(
            f"{API}/message/update-cui",
            json={
                "app_id": sandbox.app_id,
                "room_ids": [GROUP, "!nowhere:example.org"],
                "origin_event": origin,
                "content": CUI,
            },
            headers=auth,
        )
        results = response.json()["room_id_result"]
        assert [r["errcode"] for r in results] == ["FC_UNKNOWN", "FC_ROOM_NOT_FOUND"]


# ---- upload ------------------------------------------------------------------------------------
async def test_upload_stores_bytes_and_content_type(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    response = await http.post(
        f"{API}/media/upload",
        params={"app_id": sandbox.app_id},
        content=b"\x89PNG-data",
        headers={**auth, "content-type": "image/png"},
    )
    assert response.status_code == 200
    uri = response.json()["content_uri"]
    assert uri.startswith("mxc://example.org/")
    assert sandbox.media(uri) == (b"\x89PNG-data", "image/png")


async def test_upload_refuses_empty_and_oversized_bodies(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    url = f"{API}/media/upload"
    empty = await http.post(url, params={"app_id": sandbox.app_id}, content=b"", headers=auth)
    assert error_of(empty) == (400, "FC_BAD_JSON")
    missing_app = await http.post(url, content=b"x", headers=auth)
    assert error_of(missing_app) == (400, "FC_BAD_JSON")


async def test_upload_streams_up_to_the_configured_limit() -> None:
    sandbox = Sandbox(max_upload_bytes=10)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox.app), base_url="http://sandbox.localhost"
    ) as http:
        token = await get_token(http, sandbox.app_id, sandbox.secret)
        headers = {"Authorization": f"Bearer {token}"}

        async def chunks() -> Any:
            for _ in range(3):
                yield b"12345"

        url = f"{API}/media/upload?app_id={sandbox.app_id}"
        response = await http.post(url, content=chunks(), headers=headers)
        assert error_of(response) == (400, "FC_BAD_JSON")
        ok = await http.post(url, content=b"1234567890", headers=headers)
        assert ok.status_code == 200


# ---- contacts and users ------------------------------------------------------------------------
async def test_users_by_authority(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    url = f"{API}/contact/get-users-by-authority"
    held = await http.get(
        url, params={"app_id": sandbox.app_id, "authority_name": "admin"}, headers=auth
    )
    assert held.json() == ["@test001:dev.finogeeks.club", "@test002:dev.finogeeks.club"]
    nobody = await http.get(
        url, params={"app_id": sandbox.app_id, "authority_name": "x"}, headers=auth
    )
    assert nobody.json() == []
    missing = await http.get(url, params={"app_id": sandbox.app_id}, headers=auth)
    assert error_of(missing) == (400, "FC_BAD_JSON")
    twice = await http.get(
        f"{url}?app_id={sandbox.app_id}&authority_name=a&authority_name=b", headers=auth
    )
    assert error_of(twice) == (400, "FC_BAD_JSON")


async def test_get_user_answers_the_profile(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    response = await http.get(
        f"{API}/users/@linian002:dev.finogeeks.club",
        params={"app_id": sandbox.app_id},
        headers=auth,
    )
    assert response.json()["position"] == "研发总监"


@pytest.mark.parametrize("suffix", ["", "/friendships"])
async def test_unknown_users_are_fcid_not_found_and_bad_fcids_bad_json(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str], suffix: str
) -> None:
    params = {"app_id": sandbox.app_id}
    unknown = await http.get(f"{API}/users/@ghost:example.org{suffix}", params=params, headers=auth)
    assert error_of(unknown) == (404, "FC_FCID_NOT_FOUND")
    malformed = await http.get(f"{API}/users/ghost{suffix}", params=params, headers=auth)
    assert error_of(malformed) == (400, "FC_BAD_JSON")


async def test_user_friendships_are_the_users_direct_rooms(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    response = await http.get(
        f"{API}/users/@test001:dev.finogeeks.club/friendships",
        params={"app_id": sandbox.app_id},
        headers=auth,
    )
    assert response.json() == [
        {
            "to_fcid": "@vsadf-bot:dev.finogeeks.club",
            "room_id": "!224069434157826048:dev.finogeeks.club",
            "is_bot": True,
        },
        {
            "to_fcid": "@linian002:dev.finogeeks.club",
            "room_id": "!230427174354550784:dev.finogeeks.club",
            "is_bot": False,
        },
    ]


async def test_app_friendships_are_the_bots_direct_rooms(
    http: httpx.AsyncClient, sandbox: Sandbox, auth: dict[str, str]
) -> None:
    response = await http.get(f"{API}/apps/{sandbox.app_id}/friendships", headers=auth)
    pairs = {(f["to_fcid"], f["room_id"]) for f in response.json()}
    assert ("@test:example.org", "!100000000000000001:example.org") in pairs
    assert all(fcid != "@test002:dev.finogeeks.club" for fcid, _ in pairs)


# ---- HTTP edges --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", "/message/send", "POST"),
        ("DELETE", "/message/update-cui", "PUT"),
        ("POST", "/users/@test:example.org", "GET"),
        ("OPTIONS", "/auth/token", "POST"),
    ],
)
async def test_wrong_method_is_405_with_the_specs_methods_in_allow(
    http: httpx.AsyncClient, method: str, path: str, allow: str
) -> None:
    response = await http.request(method, f"{API}{path}")
    assert error_of(response) == (405, "FC_UNKNOWN")
    assert response.headers["allow"] == allow


async def test_unknown_path_is_a_json_404(http: httpx.AsyncClient) -> None:
    assert error_of(await http.get("/nowhere")) == (404, "FC_UNKNOWN")


async def test_a_custom_world_is_served(http: httpx.AsyncClient) -> None:
    world = World.default()
    world.users[3].profile["name"] = "renamed"
    sandbox = Sandbox(world)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox.app), base_url="http://sandbox.localhost"
    ) as client:
        token = await get_token(client, sandbox.app_id, sandbox.secret)
        response = await client.get(
            f"{API}/users/{world.users[3].fcid}",
            params={"app_id": sandbox.app_id},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.json()["name"] == "renamed"
