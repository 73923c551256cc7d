"""The operation table is read from the generated client; request builders send what it would
send, and validate everything first."""

from __future__ import annotations

import importlib
import io
import json
import pkgutil
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml
from finchat_openapi.models import (
    CreateRoomRequest,
    CuiContent,
    CuiInfo,
    SendMessageAsUserRequest,
    SendMessageRequest,
    SendWebhookMessageRequest,
    TextContent,
    TokenRequest,
    UpdateCuiRequest,
    UpdateRoomRequest,
)
from finchat_openapi.types import File

from finchat_wrapper import FinChat
from finchat_wrapper import _operations as ops
from finchat_wrapper._constants import TOKEN_PATH

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "finchat.yaml"


def generated_endpoint_modules() -> list[str]:
    """Every endpoint module of the generated client, however many the spec has."""
    api = importlib.import_module("finchat_openapi.api")
    return sorted(
        info.name
        for info in pkgutil.walk_packages(api.__path__, prefix="finchat_openapi.api.")
        if not info.ispkg
    )


SPEC = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@pytest.mark.parametrize("module", generated_endpoint_modules())
def test_the_method_and_path_of_every_generated_endpoint_are_those_of_the_spec(
    module: str,
) -> None:
    method, path = ops.endpoint_of(importlib.import_module(module))
    operation_id = module.rsplit(".", 1)[1]
    spec_ops = {
        (m.upper(), p): op["operationId"]
        for p, item in SPEC["paths"].items()
        for m, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    }
    assert spec_ops.get((method, path)) is not None, (method, path)
    assert re.sub(r"(?<!^)([A-Z])", r"_\1", spec_ops[(method, path)]).lower() == operation_id


# What each builder is compared with: the generated `_get_kwargs` given the same arguments. The
# builder's `Call` must go to the same method and URL with the same query, and its body must be
# one the generated request model reads back unchanged.
def _text() -> dict[str, Any]:
    return {"msgtype": "m.text", "body": "hi"}


def _card() -> dict[str, Any]:
    return CuiContent(msgtype="m.cui", body="c", info=CuiInfo(), version="0.1.0").to_dict()


SAMPLES: dict[
    str, tuple[Callable[[], ops.Call[Any]], Callable[[ModuleType, ops.Call[Any]], Any]]
] = {
    "send_message": (
        lambda: ops.send_message("app1", _text(), ["!r:x"], []),
        lambda m, call: m._get_kwargs(body=SendMessageRequest.from_dict(call.json)),
    ),
    "send_message_as_user": (
        lambda: ops.send_message_as_user("app1", "@s:x", _text(), [], ["@a:x"]),
        lambda m, call: m._get_kwargs(body=SendMessageAsUserRequest.from_dict(call.json)),
    ),
    "update_cui": (
        lambda: ops.update_cui("app1", "$e:x", _card(), ["!r:x"], []),
        lambda m, call: m._get_kwargs(body=UpdateCuiRequest.from_dict(call.json)),
    ),
    "upload_media": (
        lambda: ops.upload_media("app1", b"\x89PNG", "image/png"),
        lambda m, call: m._get_kwargs(body=File(payload=io.BytesIO(b"\x89PNG")), app_id="app1"),
    ),
    "get_users_by_authority": (
        lambda: ops.get_users_by_authority("app1", "admin"),
        lambda m, call: m._get_kwargs(authority_name="admin", app_id="app1"),
    ),
    "get_user": (
        lambda: ops.get_user("app1", "@alice:example.org"),
        lambda m, call: m._get_kwargs("@alice:example.org", app_id="app1"),
    ),
    "get_user_friendships": (
        lambda: ops.get_user_friendships("app1", "@alice:example.org"),
        lambda m, call: m._get_kwargs("@alice:example.org", app_id="app1"),
    ),
    "get_app_friendships": (
        lambda: ops.get_app_friendships("app1"),
        lambda m, call: m._get_kwargs("app1"),
    ),
    "pull_events": (
        lambda: ops.pull_events("app1", "$e:x", 50),
        lambda m, call: m._get_kwargs("app1", since="$e:x", page_size=50),
    ),
    "get_app_visibility": (
        lambda: ops.get_app_visibility("app1"),
        lambda m, call: m._get_kwargs("app1"),
    ),
    "send_message_as_user with a topic": (
        lambda: ops.send_message_as_user("app1", "@s:x", _text(), [], ["@a:x"], topic="t"),
        lambda m, call: m._get_kwargs(body=SendMessageAsUserRequest.from_dict(call.json)),
    ),
    "send_webhook_message": (
        lambda: ops.send_webhook_message("app1", "5df29mec9ccfd002ccd28076", _card()),
        lambda m, call: m._get_kwargs(body=SendWebhookMessageRequest.from_dict(call.json)),
    ),
    "create_room": (
        lambda: ops.create_room(
            "app1",
            name="n",
            topic="t",
            history_visibility="joined",
            federate=True,
            owner="@o:x",
            fcids=["@a:x", "@a:x", "@b:x"],
        ),
        lambda m, call: m._get_kwargs(body=CreateRoomRequest.from_dict(call.json)),
    ),
    "list_rooms": (lambda: ops.list_rooms("app1"), lambda m, call: m._get_kwargs(app_id="app1")),
    "get_room": (
        lambda: ops.get_room("app1", "!r:example.org"),
        lambda m, call: m._get_kwargs("!r:example.org", app_id="app1"),
    ),
    "update_room": (
        lambda: ops.update_room("app1", "!r:example.org", {"name": "n"}),
        lambda m, call: m._get_kwargs(
            "!r:example.org", body=UpdateRoomRequest.from_dict(call.json)
        ),
    ),
    "update_room of members": (
        lambda: ops.update_room(
            "app1", "!r:example.org", {"fcids_to_invite": ["@a:x"], "fcids_to_kick": ["@b:x"]}
        ),
        lambda m, call: m._get_kwargs(
            "!r:example.org", body=UpdateRoomRequest.from_dict(call.json)
        ),
    ),
    "get_organizations_by_type": (
        lambda: ops.get_organizations_by_type("app1", "@a:x", 3),
        lambda m, call: m._get_kwargs(app_id="app1", fcid="@a:x", organization_type=3),
    ),
    "get_organization": (
        lambda: ops.get_organization("app1", "55c22c00-09e9-11ea-ab7d-a15ba0c1027b"),
        lambda m, call: m._get_kwargs("55c22c00-09e9-11ea-ab7d-a15ba0c1027b", app_id="app1"),
    ),
    "get_department": (
        lambda: ops.get_department("app1", "d:1", include_sub_departments=True),
        lambda m, call: m._get_kwargs("d:1", app_id="app1", include_sub_departments=True),
    ),
    "get_department without sub-departments": (
        lambda: ops.get_department("app1", "d:1"),
        lambda m, call: m._get_kwargs("d:1", app_id="app1"),
    ),
}


def test_every_operation_with_a_builder_is_compared_with_the_generated_client() -> None:
    # The token request is built by the token flow, compared below.
    compared = {build().operation.name for build, _ in SAMPLES.values()}
    assert compared == {op.name for op in ops.OPERATIONS} - {"get_app_access_token"}
    # Both operations of update_room (see UPDATE_ROOM_ONCE) are among them.
    built = {build().operation for build, _ in SAMPLES.values()}
    assert {ops.UPDATE_ROOM, ops.UPDATE_ROOM_ONCE} <= built


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_builder_sends_what_the_generated_client_would(name: str) -> None:
    build, generated_kwargs = SAMPLES[name]
    call = build()
    module = call.operation.generated()
    expected = generated_kwargs(module, call)
    assert name.startswith(call.operation.name)
    assert call.operation.method == expected["method"].upper()
    assert call.url == expected["url"]

    # httpx sends a bool query value as "true"/"false" and an int as its digits.
    def sent(params: Mapping[str, Any]) -> dict[str, str]:
        return {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in params.items()}

    assert sent(call.params or {}) == sent(expected.get("params", {}))
    if "json" in expected:
        assert call.json == expected["json"]
    if name == "upload_media":
        assert call.content == expected["content"].read()
        # The one deliberate difference: the real media type, not application/octet-stream.
        assert expected["headers"] == {"Content-Type": "application/octet-stream"}
        assert call.headers == {"Content-Type": "image/png"}


def test_the_token_request_is_the_generated_token_operation() -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"app_access_token": "t", "expires_in": 60})

    with FinChat("app1", "s", base_url="https://x.org", transport=httpx.MockTransport(answer)) as c:
        c.auth.token()
    (request,) = sent
    module = ops.GET_APP_ACCESS_TOKEN.generated()
    expected = module._get_kwargs(body=TokenRequest(app_id="app1", secret="s"))
    assert (request.method, request.url.path) == (expected["method"].upper(), expected["url"])
    assert json.loads(request.content) == expected["json"]
    assert ops.GET_APP_ACCESS_TOKEN.endpoint == ("POST", TOKEN_PATH)


def test_only_reads_the_token_the_cui_update_and_room_settings_are_safe_to_repeat() -> None:
    safe = {op.name for op in ops.OPERATIONS if op.safe}
    assert safe == {
        "get_app_access_token",
        "update_cui",
        "update_room",
        "get_users_by_authority",
        "get_organizations_by_type",
        "get_organization",
        "get_department",
        "get_user",
        "get_user_friendships",
        "get_app_friendships",
        "pull_events",
        "get_app_visibility",
        "list_rooms",
        "get_room",
    }
    assert not ops.CREATE_ROOM.safe
    assert not ops.SEND_WEBHOOK_MESSAGE.safe


@pytest.mark.parametrize(
    ("change", "safe"),
    [
        ({"name": "n"}, True),
        ({"topic": "t"}, True),
        ({"history_visibility": "joined"}, True),
        ({"message_forbidden_except_owner": True}, True),
        ({"invite_forbidden_except_owner": False}, True),
        # A repeat after success would be refused: the bot is no longer the owner.
        ({"owner": "@o:x"}, False),
        # A repeat after success answers FC_FCID_ALREADY_IN_ROOM / FC_FCID_NOT_IN_ROOM.
        ({"fcids_to_invite": ["@a:x"]}, False),
        ({"fcids_to_kick": ["@a:x"]}, False),
    ],
)
def test_a_room_update_is_repeated_only_when_a_repeat_gives_the_same_answer(
    change: dict[str, Any], safe: bool
) -> None:
    assert ops.update_room("app1", "!r:x", change).operation.safe is safe


def _spec_operation(operation_id: str) -> dict[str, Any]:
    for item in SPEC["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return op
    raise KeyError(operation_id)


@pytest.mark.parametrize("operation", ops.OPERATIONS, ids=lambda op: op.name)
def test_the_success_statuses_of_each_operation_are_the_specs(
    operation: ops.Operation[Any],
) -> None:
    responses = _spec_operation(operation.name)["responses"]
    assert operation.statuses == tuple(int(s) for s in responses if str(s).startswith("2"))


def test_the_room_update_precedence_is_the_specs() -> None:
    precedence = _spec_operation("update_room")["x-precedence"]
    assert [list(group) for group in ops.ROOM_UPDATE_PRECEDENCE] == precedence


@pytest.mark.parametrize(
    "change",
    [
        {"name": "n", "topic": "t"},
        {"topic": "t", "fcids_to_invite": ["@a:x"]},
        {"owner": "@o:x", "message_forbidden_except_owner": True},
        {"history_visibility": "shared", "fcids_to_kick": ["@a:x"]},
    ],
)
def test_a_room_update_of_two_precedence_groups_is_refused_naming_what_would_be_lost(
    change: dict[str, Any],
) -> None:
    with pytest.raises(ValueError, match="one change per update") as caught:
        ops.update_room("app1", "!r:x", change)
    for name in change:
        assert name in str(caught.value)
    assert "name > topic > history_visibility > owner" in str(caught.value)


def test_the_two_flags_and_the_two_member_lists_are_one_change_each() -> None:
    flags = ops.update_room(
        "app1",
        "!r:x",
        {"message_forbidden_except_owner": True, "invite_forbidden_except_owner": False},
    )
    assert flags.json == {
        "app_id": "app1",
        "message_forbidden_except_owner": True,
        "invite_forbidden_except_owner": False,
    }
    members = ops.update_room(
        "app1", "!r:x", {"fcids_to_invite": ["@a:x", "@a:x"], "fcids_to_kick": ["@b:x"]}
    )
    assert members.json == {
        "app_id": "app1",
        "fcids_to_invite": ["@a:x"],
        "fcids_to_kick": ["@b:x"],
    }


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({}, ValueError, "nothing to change"),
        ({"fcids_to_invite": []}, ValueError, "nothing to change"),
        ({"name": None}, ValueError, "nothing to change"),
        ({"title": "x"}, TypeError, "no field title"),
        ({"name": 5}, TypeError, "name must be a str"),
        ({"history_visibility": "world_readable"}, ValueError, "shared' or 'joined"),
        ({"owner": "alice"}, ValueError, "invalid fcid"),
        ({"message_forbidden_except_owner": 1}, TypeError, "True or False"),
        ({"fcids_to_invite": "@a:x"}, TypeError, "list of ids"),
        ({"fcids_to_invite": ["@a:x"], "fcids_to_kick": ["@a:x"]}, ValueError, "both invited"),
        ({"topic": "\ud800"}, ValueError, "lone surrogate"),
    ],
)
def test_a_room_update_is_checked_before_anything_is_sent(
    change: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        ops.update_room("app1", "!r:x", change)


@pytest.mark.parametrize("room_id", ["", "..", "!r", "!a/b:x", "@a:x"])
def test_room_ids_of_a_path_are_validated(room_id: str) -> None:
    with pytest.raises(ValueError, match="invalid room id"):
        ops.get_room("app1", room_id)
    with pytest.raises(ValueError, match="invalid room id"):
        ops.update_room("app1", room_id, {"name": "n"})


def test_a_room_create_sends_only_what_is_given() -> None:
    call = ops.create_room("app1")
    assert call.json == {"app_id": "app1", "type": "multi_chat"}
    assert call.operation is ops.CREATE_ROOM


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"owner": "nobody"}, ValueError),
        ({"fcids": ["@a:x", "b"]}, ValueError),
        ({"fcids": "@a:x"}, TypeError),
        ({"federate": "yes"}, TypeError),
        ({"history_visibility": "invited"}, ValueError),
        ({"name": b"room"}, TypeError),
    ],
)
def test_a_room_create_is_checked_before_anything_is_sent(
    kwargs: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        ops.create_room("app1", **kwargs)


@pytest.mark.parametrize("organization_type", [True, "3", 3.0, None])
def test_the_organization_type_must_be_an_int(organization_type: object) -> None:
    with pytest.raises(TypeError, match="organization_type must be an int"):
        ops.get_organizations_by_type("app1", "@a:x", organization_type)  # type: ignore[arg-type]


def test_organizations_by_type_validates_the_fcid() -> None:
    with pytest.raises(ValueError, match="invalid fcid"):
        ops.get_organizations_by_type("app1", "alice", 1)


@pytest.mark.parametrize("department_id", ["", ".", "..", "a/b", "a b"])
def test_directory_ids_that_would_change_the_route_are_refused(department_id: str) -> None:
    with pytest.raises(ValueError, match="invalid department_id"):
        ops.get_department("app1", department_id)
    with pytest.raises(ValueError, match="invalid organization_id"):
        ops.get_organization("app1", department_id)


def test_include_sub_departments_must_be_a_bool() -> None:
    with pytest.raises(TypeError, match="include_sub_departments"):
        ops.get_department("app1", "d1", include_sub_departments="yes")  # type: ignore[arg-type]


@pytest.mark.parametrize("webhook_id", ["", "a b", 5])
def test_a_webhook_send_validates_the_webhook_id(webhook_id: object) -> None:
    with pytest.raises((TypeError, ValueError), match="webhook_id"):
        ops.send_webhook_message("app1", webhook_id, _text())  # type: ignore[arg-type]


def test_a_webhook_send_takes_every_message_type_cui_included() -> None:
    call = ops.send_webhook_message("app1", "hook", _card())
    assert call.json["content"]["msgtype"] == "m.cui"
    with pytest.raises(ValueError, match="msgtype"):
        ops.send_webhook_message("app1", "hook", {"body": "no type"})


def test_a_topic_goes_with_fcids_only() -> None:
    call = ops.send_message_as_user("app1", "@s:x", _text(), [], ["@a:x"], topic="weekly")
    assert call.json["topic"] == "weekly"
    with pytest.raises(ValueError, match="give fcids"):
        ops.send_message_as_user("app1", "@s:x", _text(), ["!r:x"], [], topic="weekly")
    with pytest.raises(TypeError, match="topic must be a str"):
        ops.send_message_as_user("app1", "@s:x", _text(), [], ["@a:x"], topic=5)  # type: ignore[arg-type]


def test_a_pull_from_the_beginning_sends_no_since_and_the_default_page_size() -> None:
    for since in (None, ""):
        assert ops.pull_events("app1", since, 20).params == {"page_size": 20}
    generated = ops.PULL_EVENTS.generated()._get_kwargs("app1")
    assert generated["params"] == {"page_size": 20}


@pytest.mark.parametrize(
    ("since", "page_size", "error"),
    [(None, 0, ValueError), (None, True, TypeError), (None, "20", TypeError), (5, 20, TypeError)],
)
def test_pull_arguments_are_checked_before_sending(since: Any, page_size: Any, error: type) -> None:
    with pytest.raises(error):
        ops.pull_events("app1", since, page_size)


def test_send_body_takes_a_generated_model_or_a_dict() -> None:
    model = ops.send_message("app1", TextContent(msgtype="m.text", body="hi"), ["!r:x"], [])
    plain = ops.send_message("app1", {"msgtype": "m.text", "body": "hi"}, ["!r:x"], [])
    assert (
        model.json
        == plain.json
        == {
            "app_id": "app1",
            "room_ids": ["!r:x"],
            "content": {"msgtype": "m.text", "body": "hi"},
        }
    )


def test_send_to_users_puts_fcids_only() -> None:
    call = ops.send_message("app1", {"msgtype": "m.text", "body": "hi"}, (), ("@a:x",))
    assert call.json["fcids"] == ["@a:x"]
    assert "room_ids" not in call.json


def test_send_needs_a_recipient() -> None:
    with pytest.raises(ValueError, match="no recipient"):
        ops.send_message("app1", {"msgtype": "m.text", "body": "hi"}, [], [])


def test_send_refuses_rooms_and_users_together_since_the_server_drops_the_users() -> None:
    with pytest.raises(ValueError, match="not both"):
        ops.send_message("app1", {"msgtype": "m.text", "body": "hi"}, ["!r:x"], ["@a:x"])


@pytest.mark.parametrize("content", [None, "hello", 42, {"body": "no msgtype"}])
def test_content_must_be_a_model_or_a_mapping_with_a_msgtype(content: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        ops.send_message("app1", content, ["!r:x"], [])


def test_send_as_user_validates_the_sender_and_refuses_cui() -> None:
    with pytest.raises(ValueError, match="invalid fcid"):
        ops.send_message_as_user("app1", "..", {"msgtype": "m.text", "body": "x"}, ["!r:x"], [])
    cui = CuiContent(msgtype="m.cui", body="[card]", info=CuiInfo(), version="0.1.0")
    with pytest.raises(ValueError, match="CUI"):
        ops.send_message_as_user("app1", "@a:x", cui, ["!r:x"], [])


def test_update_cui_validates_the_origin_event_and_takes_only_cui() -> None:
    with pytest.raises(ValueError, match="invalid event id"):
        ops.update_cui("app1", "../x", {"msgtype": "m.cui", "body": "c"}, ["!r:x"], [])
    with pytest.raises(ValueError, match=r"m\.cui"):
        ops.update_cui("app1", "$e:x", {"msgtype": "m.text", "body": "c"}, ["!r:x"], [])
    call = ops.update_cui("app1", "$e:x", {"msgtype": "m.cui", "body": "c"}, ["!r:x"], [])
    assert call.json["origin_event"] == "$e:x"


def test_path_parameters_are_percent_encoded() -> None:
    assert ops.get_user("app1", "@alice:example.org").url.endswith("/users/%40alice%3Aexample.org")


@pytest.mark.parametrize("fcid", ["", ".", "..", "../apps", "@a:b/../../x"])
def test_dot_segments_never_reach_a_path(fcid: str) -> None:
    with pytest.raises(ValueError, match="invalid fcid"):
        ops.get_user("app1", fcid)


def test_upload_sends_the_real_content_type() -> None:
    call = ops.upload_media("app1", b"\x89PNG", "image/png")
    assert call.headers == {"Content-Type": "image/png"}
    assert call.params == {"app_id": "app1"}
    assert call.content == b"\x89PNG"


@pytest.mark.parametrize(
    ("data", "content_type", "error"),
    [
        (b"", "image/png", ValueError),
        ("text", "text/plain", TypeError),
        (b"x", "png", ValueError),
        (b"x", "image/png\r\nX-Evil: 1", ValueError),
        (b"x", 5, TypeError),
    ],
)
def test_upload_rejects_bad_input(
    data: object, content_type: object, error: type[Exception]
) -> None:
    with pytest.raises(error):
        ops.upload_media("app1", data, content_type)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["", "a\x00b", "x\n"])
def test_authority_name_must_be_a_plain_non_empty_string(name: str) -> None:
    with pytest.raises(ValueError, match="authority_name"):
        ops.get_users_by_authority("app1", name)
