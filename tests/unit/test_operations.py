"""The operation table is read from the generated client; request builders send what it would
send, and validate everything first."""

from __future__ import annotations

import importlib
import io
import json
import pkgutil
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml
from finchat_openapi.models import (
    CuiContent,
    CuiInfo,
    SendMessageAsUserRequest,
    SendMessageRequest,
    TextContent,
    TokenRequest,
    UpdateCuiRequest,
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
}


def test_every_operation_with_a_builder_is_compared_with_the_generated_client() -> None:
    # The token request is built by the token flow, compared below.
    assert set(SAMPLES) == {op.name for op in ops.OPERATIONS} - {"get_app_access_token"}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_builder_sends_what_the_generated_client_would(name: str) -> None:
    build, generated_kwargs = SAMPLES[name]
    call = build()
    module = call.operation.generated()
    expected = generated_kwargs(module, call)
    assert call.operation.name == name
    assert call.operation.method == expected["method"].upper()
    assert call.url == expected["url"]
    assert dict(call.params or {}) == expected.get("params", {})
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


def test_only_reads_the_token_and_the_cui_update_are_safe_to_repeat() -> None:
    safe = {op.name for op in ops.OPERATIONS if op.safe}
    assert safe == {
        "get_app_access_token",
        "update_cui",
        "get_users_by_authority",
        "get_user",
        "get_user_friendships",
        "get_app_friendships",
        "pull_events",
    }


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
