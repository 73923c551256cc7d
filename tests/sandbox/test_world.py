"""Worlds: the default one serves the document's examples; files load, export and round-trip."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml

from finchat_wrapper.contract._config import NOT_SERVED_YET
from finchat_wrapper.sandbox import Sandbox, World, WorldError, _world
from finchat_wrapper.sandbox._spec import load_spec

from .conftest import API, get_token


def test_default_world_has_the_documents_ids() -> None:
    world = World.default()
    apps = {a.app_id: a for a in world.apps}
    assert apps["5cf29aec6ccfd004ccd28075"].secret == "90fa4652-5cd1-4280-ae20-e3d381f9b1fa"
    assert any(not a.published for a in world.apps)
    fcids = {u.fcid for u in world.users}
    assert {
        "@test:example.org",
        "@user001:example.org",
        "@linian002:dev.finogeeks.club",
        "@test001:dev.finogeeks.club",
        "@test002:dev.finogeeks.club",
        "@vsadf-bot:dev.finogeeks.club",
    } <= fcids
    rooms = {r.room_id for r in world.rooms}
    assert {"!112321588723954859:example.org", "!132221587624558592:example.org"} <= rooms


def doc_examples() -> list[tuple[str, str, str, Any]]:
    """(operation id, method, path, example body) of every request example of the spec."""
    spec = load_spec()
    out = []
    for path, item in spec.document["paths"].items():
        for method, op in item.items():
            media = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            if op["operationId"] in NOT_SERVED_YET:
                continue
            for name, example in media.get("examples", {}).items():
                out.append((f"{op['operationId']}-{name}", method.upper(), path, example["value"]))
    return out


@pytest.mark.parametrize(
    ("name", "method", "path", "body"), doc_examples(), ids=[e[0] for e in doc_examples()]
)
async def test_every_request_example_of_the_document_succeeds(
    name: str, method: str, path: str, body: Any
) -> None:
    sandbox = Sandbox()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox.app), base_url="http://sandbox.localhost"
    ) as http:
        token = await get_token(http, sandbox.app_id, sandbox.secret)
        # The room of the document's examples (an update's example names none).
        path = path.replace("{room_id}", _world.DOC_ROOM)
        response = await http.request(
            method, path, json=body, headers={"Authorization": f"Bearer {token}"}
        )
    operation_id = name.rsplit("-", 1)[0]
    documented = load_spec().document
    (op,) = [
        o
        for item in documented["paths"].values()
        for o in item.values()
        if o["operationId"] == operation_id
    ]
    success = min(int(status) for status in op["responses"] if str(status).startswith("2"))
    assert response.status_code == success, response.text
    answer = response.json()
    if not isinstance(answer, dict) or "event_id" in answer or "room_id" in answer:
        return  # a webhook send's event id, a new room's id
    for result in answer.get("room_id_result", []) + answer.get("fcid_result", []):
        assert "errcode" not in result, result


async def test_the_document_query_examples_succeed() -> None:
    sandbox = Sandbox()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox.app), base_url="http://sandbox.localhost"
    ) as http:
        token = await get_token(http, sandbox.app_id, sandbox.secret)
        headers = {"Authorization": f"Bearer {token}"}
        params = {"app_id": sandbox.app_id}
        user = await http.get(
            f"{API}/users/@linian002:dev.finogeeks.club", params=params, headers=headers
        )
        assert user.json()["job_number"] == "001"
        friends = await http.get(
            f"{API}/users/@test001:dev.finogeeks.club/friendships", params=params, headers=headers
        )
        assert len(friends.json()) == 2


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_a_world_survives_dump_and_load(tmp_path: Path, suffix: str) -> None:
    world = World.default()
    path = tmp_path / f"world{suffix}"
    world.dump(path)
    assert World.load(path).to_dict() == world.to_dict()


async def test_exported_state_starts_an_identical_sandbox(tmp_path: Path) -> None:
    sandbox = Sandbox()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox.app), base_url="http://sandbox.localhost"
    ) as http:
        token = await get_token(http, sandbox.app_id, sandbox.secret)
        headers = {"Authorization": f"Bearer {token}"}
        upload = await http.post(
            f"{API}/media/upload",
            params={"app_id": sandbox.app_id},
            content=b"bytes",
            headers=headers,
        )
        await sandbox.simulate.open_direct_room("@test002:dev.finogeeks.club")
    path = tmp_path / "state.json"
    path.write_text(json.dumps(sandbox.export_state()))
    again = Sandbox(World.load(path))
    assert again.media(upload.json()["content_uri"]) == (b"bytes", "application/octet-stream")
    assert again.export_state() == sandbox.export_state()


def test_the_sandbox_copies_its_world() -> None:
    world = World.default()
    Sandbox(world).state.users["@test:example.org"].profile["name"] = "changed"
    assert next(u for u in world.users if u.fcid == "@test:example.org").profile["name"] == "test"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "a world is a mapping"),
        ({"planets": []}, "unknown world keys: planets"),
        ({"apps": [{"app_id": "a"}]}, "malformed world"),
        ({"apps": [{"app_id": "a", "secret": "s", "bot": "@nobody:x"}]}, "is not a user"),
        ({"users": [{"fcid": 5}]}, "fcid must be a string"),
        ({"users": [{"fcid": "@a:x", "authorities": "admin"}]}, "authorities must be a list"),
        (
            {
                "users": [{"fcid": "@a:x"}],
                "rooms": [{"room_id": "!r:x", "type": "direct_room", "members": ["@a:x"]}],
            },
            "exactly two members",
        ),
    ],
)
def test_malformed_worlds_are_refused_with_the_reason(data: Any, message: str) -> None:
    with pytest.raises(WorldError, match=message):
        World.from_dict(data)


def test_a_malformed_world_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"rooms": [{"room_id": "!r:x"}]}))
    with pytest.raises(WorldError, match=r"bad\.yaml"):
        World.load(path)


def test_app_reprs_never_show_the_secret() -> None:
    assert "90fa4652" not in repr(World.default().apps[0])
    assert "90fa4652" not in repr(Sandbox())


def test_the_ids_that_tests_name_are_those_of_the_default_world_file() -> None:
    world = World.default()
    apps = {a.app_id: a for a in world.apps}
    assert apps[_world.DEFAULT_APP_ID].secret == _world.DEFAULT_SECRET
    assert apps[_world.DEFAULT_APP_ID].bot == _world.BOT
    assert apps[_world.OTHER_APP_ID].secret == _world.OTHER_SECRET
    unpublished = apps[_world.UNPUBLISHED_APP_ID]
    assert (unpublished.secret, unpublished.published) == (_world.UNPUBLISHED_SECRET, False)
    assert next(u for u in world.users if u.fcid == _world.BOT).is_bot
    assert _world.DOC_CUI_EVENT in {m.event_id for m in world.messages}
    assert _world.DOC_MEDIA_URI in {m.content_uri for m in world.media}


def test_the_world_schema_is_a_valid_json_schema_that_the_default_world_meets() -> None:
    schema = yaml.safe_load(_world.WORLD_SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = yaml.safe_load(_world.DEFAULT_WORLD_PATH.read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"users": [{"fcid": "@a:x"}, {"fcid": "@b:x", "is_bot": "no"}]},
            "malformed world: users[1] ('@b:x'): is_bot must be true or false",
        ),
        (
            {"rooms": [{"room_id": "!r:x", "type": "dm", "members": []}]},
            "malformed world: rooms[0] ('!r:x'): type must be direct_room or multi_room",
        ),
        (
            {"apps": [{"app_id": "a", "secret": "s", "bot": "@b:x", "colour": "red"}]},
            "malformed world: apps[0] ('a'): unknown app keys: colour",
        ),
        (
            {"messages": [{"room_id": "!r:x", "event_id": "$e:x", "sender": "@a:x"}]},
            "malformed world: messages[0] ('$e:x'): 'content' is missing; "
            "messages[0] ('$e:x'): 'timestamp' is missing",
        ),
        (
            {"media": [{"content_uri": "mxc://x/y", "data_base64": "not base64!"}]},
            "malformed world: media[0] ('mxc://x/y'): data_base64 is not base64",
        ),
    ],
)
def test_a_malformed_world_names_the_entry_and_the_field(data: Any, message: str) -> None:
    with pytest.raises(WorldError) as info:
        World.from_dict(data)
    assert str(info.value) == message


def test_a_world_built_in_python_is_checked_against_the_same_schema() -> None:
    world = World.default()
    world.users[0].authorities = "admin"  # type: ignore[assignment]
    with pytest.raises(WorldError, match=r"users\[0\] \('@vsadf-bot:dev.finogeeks.club'\): "):
        Sandbox(world)


def test_the_directory_and_webhook_ids_that_tests_name_are_the_default_worlds() -> None:
    world = World.default()
    assert _world.DOC_DEPARTMENT_ID in {d.department_id for d in world.departments}
    assert _world.DOC_ORGANIZATION_ID in {o.organization_id for o in world.organizations}
    (webhook,) = [w for w in world.webhooks if w.webhook_id == _world.DOC_WEBHOOK_ID]
    assert (webhook.app_id, webhook.room_id, webhook.sender) == (
        _world.DEFAULT_APP_ID,
        _world.DOC_ROOM,
        _world.WEBHOOK_BOT,
    )
    linian = next(u for u in world.users if u.fcid == _world.DOC_USER)
    assert linian.profile["departments"] == ["d7646430-53b8-11ea-8719-19c1a365f2ff"]
    assert "groups" not in linian.profile


_USER = {"fcid": "@a:x"}
_ROOM = {"room_id": "!r:x", "type": "multi_room", "members": ["@a:x"]}
_APP = {"app_id": "a", "secret": "s", "bot": "@a:x"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # Revision 1's name of a profile's departments.
        (
            {"users": [{"fcid": "@a:x", "profile": {"groups": ["d"]}}]},
            "unknown profile keys: groups",
        ),
        (
            {"users": [{"fcid": "@a:x", "profile": {"departments": "d"}}]},
            "departments must be a list",
        ),
        ({"users": [{"fcid": "@a:x", "profile": {"departments": ["d"]}}]}, "unknown departments"),
        (
            {"users": [{"fcid": "@a:x", "profile": {"organization_id": "o"}}]},
            "unknown organization o",
        ),
        (
            {"departments": [{"department_id": "d", "parent_department": "e"}]},
            "department d: unknown parent e",
        ),
        (
            {
                "departments": [
                    {"department_id": "d", "parent_department": "e"},
                    {"department_id": "e", "parent_department": "d"},
                ]
            },
            "the tree has a cycle",
        ),
        (
            {"departments": [{"department_id": "d"}, {"department_id": "d"}]},
            "share a department_id",
        ),
        (
            {
                "organizations": [
                    {"organization_id": "o", "dispatch_supervision_organizations": ["p"]}
                ]
            },
            "unknown dispatch-supervision organizations",
        ),
        (
            {"organizations": [{"organization_id": "o", "organization_type": "3"}]},
            "organization_type must be an integer",
        ),
        (
            {"users": [_USER], "rooms": [{**_ROOM, "owner": "@b:x"}]},
            "its owner @b:x is not a member",
        ),
        (
            {"users": [_USER], "rooms": [{**_ROOM, "history_visibility": "all"}]},
            "history_visibility must be shared or joined",
        ),
        (
            {
                "users": [_USER],
                "apps": [{**_APP, "visibility": {"unlimited": False, "departments": ["d"]}}],
            },
            "its visibility names unknown",
        ),
        (
            {
                "users": [_USER],
                "apps": [_APP],
                "rooms": [_ROOM],
                "webhooks": [
                    {"webhook_id": "w", "app_id": "b", "room_id": "!r:x", "sender": "@a:x"}
                ],
            },
            "webhook w: unknown app b",
        ),
        (
            {
                "users": [_USER, {"fcid": "@hook:x"}],
                "apps": [_APP],
                "rooms": [_ROOM],
                "webhooks": [
                    {"webhook_id": "w", "app_id": "a", "room_id": "!r:x", "sender": "@hook:x"}
                ],
            },
            "its sender @hook:x is not in its room",
        ),
    ],
)
def test_malformed_directories_rooms_and_webhooks_are_refused_with_the_reason(
    data: Any, message: str
) -> None:
    with pytest.raises(WorldError, match=re.escape(message)):
        World.from_dict(data)
