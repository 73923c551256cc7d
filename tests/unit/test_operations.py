"""The operation table matches the generated client; request builders validate everything."""

from __future__ import annotations

from typing import Any

import pytest
from finchat_openapi.models import CuiContent, CuiInfo, TextContent

from finchat_wrapper import _operations as ops


@pytest.mark.parametrize("operation", ops.OPERATIONS, ids=lambda op: op.name)
def test_operation_method_and_path_are_the_generated_endpoints(
    operation: ops.Operation[Any],
) -> None:
    # The generated `_get_kwargs` holds its method and URL template as constants.
    constants = operation.generated()._get_kwargs.__code__.co_consts
    assert operation.method.lower() in constants
    assert operation.path in constants


def test_only_reads_the_token_and_the_cui_update_are_safe_to_repeat() -> None:
    safe = {op.name for op in ops.OPERATIONS if op.safe}
    assert safe == {
        "get_app_access_token",
        "update_cui",
        "get_users_by_authority",
        "get_user",
        "get_user_friendships",
        "get_app_friendships",
    }


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
