"""The sandbox's group rooms over HTTP: statuses, errcodes, the precedence and the room rules."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from finchat_wrapper.sandbox import Sandbox
from finchat_wrapper.sandbox._rooms import PRECEDENCE
from finchat_wrapper.sandbox._spec import load_spec
from finchat_wrapper.sandbox._world import BOT, DOC_ROOM, OTHER_APP_ID, OTHER_SECRET

from .conftest import API, get_token

ALICE, TEST, USER001 = "@alice:example.org", "@test:example.org", "@user001:example.org"
FOREIGN = "@linian002:dev.finogeeks.club"
GHOST = "@ghost:example.org"


def error_of(response: httpx.Response) -> tuple[int, str]:
    body = response.json()
    assert set(body) >= {"errcode", "error"}
    return response.status_code, body["errcode"]


class Rooms:
    """The room operations of one app, over one client of the sandbox."""

    def __init__(self, http: httpx.AsyncClient, app_id: str, token: str) -> None:
        self.http = http
        self.app_id = app_id
        self.headers = {"Authorization": f"Bearer {token}"}

    async def create(self, **fields: Any) -> httpx.Response:
        body = {"app_id": self.app_id, "type": "multi_chat", **fields}
        return await self.http.post(f"{API}/rooms", json=body, headers=self.headers)

    async def made(self, **fields: Any) -> str:
        response = await self.create(**fields)
        assert response.status_code == 201, response.text
        room_id: str = response.json()["room_id"]
        return room_id

    async def update(self, room_id: str, **fields: Any) -> httpx.Response:
        body = {"app_id": self.app_id, **fields}
        return await self.http.put(f"{API}/rooms/{room_id}", json=body, headers=self.headers)

    async def get(self, room_id: str) -> httpx.Response:
        params = {"app_id": self.app_id}
        return await self.http.get(f"{API}/rooms/{room_id}", params=params, headers=self.headers)

    async def list(self) -> list[str]:
        params = {"app_id": self.app_id}
        response = await self.http.get(f"{API}/rooms", params=params, headers=self.headers)
        assert response.status_code == 200
        listed: list[str] = response.json()
        return listed


@pytest.fixture
async def rooms(http: httpx.AsyncClient, sandbox: Sandbox) -> Rooms:
    return Rooms(http, sandbox.app_id, await get_token(http, sandbox.app_id, sandbox.secret))


def test_the_sandbox_precedence_is_the_specs() -> None:
    (update,) = [
        op
        for item in load_spec().document["paths"].values()
        for op in item.values()
        if op.get("operationId") == "update_room"
    ]
    assert [list(group) for group in PRECEDENCE] == update["x-precedence"]


async def test_a_created_room_answers_201_and_holds_the_bot_the_owner_and_the_users(
    rooms: Rooms, sandbox: Sandbox
) -> None:
    response = await rooms.create(name="n", owner=ALICE, fcids=[TEST, ALICE, TEST])
    assert response.status_code == 201
    room_id = response.json()["room_id"]
    assert room_id.endswith(":example.org")  # the sandbox's own server
    detail = (await rooms.get(room_id)).json()
    assert detail == {
        "type": "multi_chat",
        "federate": False,
        "name": "n",
        "owner": ALICE,
        "fcids": [BOT, ALICE, TEST],
    }
    assert sandbox.state.rooms[room_id].history_visibility == "shared"
    assert room_id in await rooms.list()


async def test_a_room_created_or_changed_is_published_on_the_change_feed_and_a_refusal_is_not(
    rooms: Rooms, sandbox: Sandbox
) -> None:
    start = sandbox.state.changes.seq
    room_id = await rooms.made(name="n", fcids=[TEST])
    assert (await rooms.update(room_id, topic="weekly")).status_code == 200
    assert (await rooms.update(room_id, fcids_to_invite=[ALICE])).status_code == 200
    assert error_of(await rooms.update(room_id, fcids_to_kick=[GHOST])) == (
        404,
        "FC_FCID_NOT_FOUND",
    )
    changes = sandbox.state.changes.since(start)
    assert isinstance(changes, list)
    published = [(c.kind, c.data["room_id"], c.data["topic"], c.data["members"]) for c in changes]
    assert published == [
        ("room", room_id, None, [BOT, TEST]),
        ("room", room_id, "weekly", [BOT, TEST]),
        ("room", room_id, "weekly", [BOT, TEST, ALICE]),
    ]


async def test_a_room_create_refuses_unknown_and_foreign_users_and_creates_nothing(
    rooms: Rooms, sandbox: Sandbox
) -> None:
    before = set(sandbox.state.rooms)
    assert error_of(await rooms.create(fcids=[ALICE, GHOST])) == (404, "FC_FCID_NOT_FOUND")
    assert error_of(await rooms.create(owner=GHOST)) == (404, "FC_FCID_NOT_FOUND")
    assert error_of(await rooms.create(fcids=[FOREIGN])) == (403, "FC_ROOM_IS_NOT_FEDERATE")
    assert set(sandbox.state.rooms) == before
    assert (await rooms.create(fcids=[FOREIGN], federate=True)).status_code == 201


async def test_the_rooms_of_an_app_are_the_group_rooms_its_bot_is_in(
    rooms: Rooms, http: httpx.AsyncClient
) -> None:
    assert await rooms.list() == [DOC_ROOM, "!132221587624558592:example.org"]
    for not_ours in ("!900000000000000001:example.org", "!jEsUZKDJdhlrceRyVU:example.org", "!n:x"):
        assert error_of(await rooms.get(not_ours)) == (404, "FC_ROOM_NOT_FOUND")
        assert error_of(await rooms.update(not_ours, name="x")) == (404, "FC_ROOM_NOT_FOUND")
    other = Rooms(http, OTHER_APP_ID, await get_token(http, OTHER_APP_ID, OTHER_SECRET))
    assert await other.list() == ["!900000000000000002:example.org"]
    assert error_of(await other.get(DOC_ROOM)) == (404, "FC_ROOM_NOT_FOUND")


def _above(group: tuple[str, ...]) -> set[str]:
    index = PRECEDENCE.index(group)
    return {field for higher in PRECEDENCE[:index] for field in higher}


async def test_an_update_applies_only_the_highest_group_of_fields_given(
    rooms: Rooms, sandbox: Sandbox
) -> None:
    room_id = await rooms.made(name="old", fcids=[ALICE])
    room = sandbox.state.rooms[room_id]
    every_field = {
        "name": "new",
        "topic": "t",
        "history_visibility": "joined",
        "owner": ALICE,
        "message_forbidden_except_owner": True,
        "invite_forbidden_except_owner": True,
        "fcids_to_invite": [TEST],
        "fcids_to_kick": [ALICE],
    }

    def state() -> tuple[Any, ...]:
        return (
            room.name,
            room.topic,
            room.history_visibility,
            room.owner,
            room.message_forbidden_except_owner,
            room.invite_forbidden_except_owner,
            list(room.members),
        )

    # Each request carries its group and every group below it; only its group changes. The
    # owner goes last: once the bot is not the owner, the flags and kicks are not its to change.
    expected = ["new", None, "shared", BOT, False, False, [BOT, ALICE]]
    for group, then in (
        (("name",), {0: "new"}),
        (("topic",), {1: "t"}),
        (("history_visibility",), {2: "joined"}),
        (PRECEDENCE[4], {4: True, 5: True}),
        (PRECEDENCE[5], {6: [BOT, TEST]}),
        (("owner",), {}),
    ):
        fields = {k: v for k, v in every_field.items() if k not in _above(group)}
        if group == ("owner",):
            fields["owner"] = TEST
            then = {3: TEST}
        response = await rooms.update(room_id, **fields)
        assert response.status_code == 200, response.text
        for index, value in then.items():
            expected[index] = value
        assert state() == tuple(expected), group


async def test_a_name_and_a_topic_together_change_the_name_only(
    rooms: Rooms, sandbox: Sandbox
) -> None:
    room_id = await rooms.made(name="a", topic="keep")
    assert (
        await rooms.update(room_id, name="b", topic="lost", fcids_to_invite=[TEST])
    ).json() == {}
    room = sandbox.state.rooms[room_id]
    assert (room.name, room.topic, room.members) == ("b", "keep", [BOT])


async def test_an_update_without_a_change_changes_nothing(rooms: Rooms, sandbox: Sandbox) -> None:
    room_id = await rooms.made()
    response = await rooms.update(room_id, fcids_to_invite=[], fcids_to_kick=[])
    assert (response.status_code, response.json()) == (200, {})
    assert (await rooms.update(room_id)).json() == {}


async def test_member_changes_name_the_users_that_failed_and_apply_the_rest(
    rooms: Rooms, sandbox: Sandbox
) -> None:
    room_id = await rooms.made(fcids=[ALICE, TEST])
    response = await rooms.update(
        room_id,
        fcids_to_invite=[USER001, ALICE, GHOST, FOREIGN],
        fcids_to_kick=[TEST, "@example:example.org", BOT],
    )
    assert response.status_code == 200
    assert response.json() == {
        "failed_fcids_to_invite": [ALICE, GHOST, FOREIGN],
        "failed_fcids_to_kick": ["@example:example.org", BOT],
    }
    assert sandbox.state.rooms[room_id].members == [BOT, ALICE, USER001]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"fcids_to_invite": [ALICE]}, (409, "FC_FCID_ALREADY_IN_ROOM")),
        ({"fcids_to_invite": [GHOST]}, (404, "FC_FCID_NOT_FOUND")),
        ({"fcids_to_invite": [FOREIGN]}, (403, "FC_ROOM_IS_NOT_FEDERATE")),
        ({"fcids_to_kick": [TEST]}, (409, "FC_FCID_NOT_IN_ROOM")),
        ({"fcids_to_kick": [GHOST]}, (404, "FC_FCID_NOT_FOUND")),
        ({"fcids_to_kick": [BOT]}, (403, "FC_FORBIDDEN")),
        # Every user failed: the errcode is the first failure's.
        (
            {"fcids_to_invite": [ALICE, GHOST], "fcids_to_kick": [TEST]},
            (409, "FC_FCID_ALREADY_IN_ROOM"),
        ),
        ({"owner": TEST}, (409, "FC_FCID_NOT_IN_ROOM")),
        ({"owner": GHOST}, (404, "FC_FCID_NOT_FOUND")),
    ],
)
async def test_a_change_that_fails_for_every_user_fails_with_their_errcode(
    rooms: Rooms, sandbox: Sandbox, change: dict[str, Any], expected: tuple[int, str]
) -> None:
    room_id = await rooms.made(fcids=[ALICE])
    response = await rooms.update(room_id, **change)
    assert error_of(response) == expected
    for fcid in change.get("fcids_to_invite", []) + change.get("fcids_to_kick", []):
        assert fcid in response.json()["error"]  # named, with why
    assert sandbox.state.rooms[room_id].members == [BOT, ALICE]


async def test_the_owner_alone_names_an_owner_sets_the_flags_and_kicks(
    rooms: Rooms, sandbox: Sandbox
) -> None:
    room_id = await rooms.made(fcids=[ALICE, TEST])
    assert (await rooms.update(room_id, owner=ALICE)).status_code == 200
    for change in (
        {"owner": BOT},
        {"message_forbidden_except_owner": True},
        {"invite_forbidden_except_owner": False},
        {"fcids_to_kick": [TEST]},
    ):
        assert error_of(await rooms.update(room_id, **change)) == (403, "FC_FORBIDDEN")
    # Any member renames the room and invites, until only the owner may invite.
    assert (await rooms.update(room_id, name="renamed")).status_code == 200
    assert (await rooms.update(room_id, fcids_to_invite=[USER001])).status_code == 200
    sandbox.state.rooms[room_id].invite_forbidden_except_owner = True
    response = await rooms.update(room_id, fcids_to_invite=["@example:example.org"])
    assert error_of(response) == (403, "FC_FORBIDDEN")


async def test_a_room_where_only_the_owner_speaks_refuses_the_bot_once_it_is_not_the_owner(
    rooms: Rooms, http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    room_id = await rooms.made(fcids=[ALICE])
    await rooms.update(room_id, message_forbidden_except_owner=True)
    body = {
        "app_id": sandbox.app_id,
        "room_ids": [room_id],
        "content": {"msgtype": "m.text", "body": "x"},
    }
    sent = await http.post(f"{API}/message/send", json=body, headers=rooms.headers)
    assert "event_id" in sent.json()["room_id_result"][0]
    await rooms.update(room_id, owner=ALICE)
    refused = await http.post(f"{API}/message/send", json=body, headers=rooms.headers)
    assert refused.json()["room_id_result"][0]["errcode"] == "FC_FORBIDDEN"
    assert len(sandbox.sent(room_id)) == 1


async def test_rooms_round_trip_through_an_exported_world(rooms: Rooms, sandbox: Sandbox) -> None:
    room_id = await rooms.made(name="n", topic="t", fcids=[ALICE], history_visibility="joined")
    await rooms.update(room_id, invite_forbidden_except_owner=True)
    world = sandbox.export_world()
    with Sandbox(world) as again:
        room = again.state.rooms[room_id]
        assert (room.name, room.topic, room.owner, room.history_visibility) == (
            "n",
            "t",
            BOT,
            "joined",
        )
        assert room.invite_forbidden_except_owner
