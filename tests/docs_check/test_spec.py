"""What is read from an OpenAPI spec: the same facts the document gives."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from finchat_wrapper._docs_check import default_specs
from finchat_wrapper._docs_check._model import WEBHOOK_PATH, SpecError
from finchat_wrapper._docs_check._spec import extract

from .conftest import MINI_SPEC


def _mini() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(MINI_SPEC.read_text(encoding="utf-8"))
    return loaded


def test_refs_are_resolved_and_formats_reduced_to_json_types() -> None:
    token = extract([_mini()]).operations[("POST", "/api/auth/token")]
    assert token.request[("body", "app_id")].type == "string"
    assert token.request[("body", "app_id")].required is True
    assert (token.response or {})["expires_in"].type == "integer"


def test_path_level_and_operation_level_parameters_are_both_read() -> None:
    users = extract([_mini()]).operations[("GET", "/api/users/{}")]
    assert users.path == "/api/users/{fcid}"
    assert set(users.request) == {("path", "fcid"), ("query", "app_id")}


def test_an_array_answer_is_unwrapped_to_its_items() -> None:
    users = extract([_mini()]).operations[("GET", "/api/users/{}")]
    assert set(users.response or {}) == {"to_fcid", "is_bot"}


def test_a_one_of_has_its_common_type_and_no_fields() -> None:
    send = extract([_mini()]).operations[("POST", "/api/message/send")]
    content = send.request[("body", "content")]
    assert (content.type, content.children) == ("object", None)


def test_message_types_are_the_msgtype_constants_under_the_request_body() -> None:
    send = extract([_mini()]).operations[("POST", "/api/message/send")]
    assert set(send.message_types) == {"m.text", "m.file"}
    assert (send.message_types["m.file"].children or {})["o_url"].required is True


def test_events_are_the_webhook_variants_keyed_by_type_and_msgtype_with_all_of_merged() -> None:
    facts = extract([_mini()])
    assert set(facts.events) == {"m.room.message (m.text)", "finstore.room.create"}
    fields = facts.events["finstore.room.create"].children or {}
    assert set(fields) == {"event_id", "sender", "room_id", "type", "content"}
    assert fields["sender"].required is True
    assert fields["room_id"].required is False
    assert ("PUT", WEBHOOK_PATH) in facts.operations


def test_errcodes_and_the_error_envelope_are_read() -> None:
    facts = extract([_mini()])
    assert list(facts.errcodes) == ["FC_BAD_JSON", "FC_UNKNOWN"]
    assert set(facts.error_envelope or {}) == {"errcode", "error"}


def test_the_repository_specs_are_readable_and_give_every_kind_of_fact() -> None:
    facts = extract([yaml.safe_load(path.read_text(encoding="utf-8")) for path in default_specs()])
    assert ("POST", "/api/v1/finchat/open-api/auth/token") in facts.operations
    assert facts.events
    assert "FC_BAD_JSON" in facts.errcodes
    assert facts.error_envelope


def test_the_files_of_a_spec_are_merged_and_the_first_ones_servers_are_the_finchat_host() -> None:
    iam = {
        "openapi": "3.1.0",
        "servers": [{"url": "https://{iam}/realms", "variables": {"iam": {"default": "x"}}}],
        "paths": {"/token": {"post": {"responses": {"200": {"description": "ok"}}}}},
    }
    facts = extract([_mini(), iam])
    assert facts.operations[("POST", "/realms/token")].host == "https://{iam}"
    assert facts.operations[("POST", "/api/auth/token")].host is None
    assert list(facts.errcodes) == ["FC_BAD_JSON", "FC_UNKNOWN"]


def test_an_operation_in_two_files_is_a_spec_error() -> None:
    with pytest.raises(SpecError, match="POST /api/auth/token is defined twice"):
        extract([_mini(), _mini()])


def test_errcodes_may_be_consts_of_a_one_of_with_their_descriptions() -> None:
    spec = _mini()
    spec["components"]["schemas"]["ErrorCode"] = {
        "oneOf": [
            {"const": "FC_A", "description": "a"},
            {"const": "FC_B", "description": "b", "x-not-in-document": "the spec's own"},
        ]
    }
    assert list(extract([spec]).errcodes) == ["FC_A"]


def test_security_gives_the_kind_of_authorization() -> None:
    spec = _mini()
    spec["components"]["securitySchemes"] = {
        "basic": {"type": "http", "scheme": "basic"},
        "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://x"},
    }
    token = spec["paths"]["/api/auth/token"]["post"]
    token["security"] = [{"basic": []}, {"oidc": []}]
    assert extract([spec]).operations[("POST", "/api/auth/token")].auth == {"basic", "bearer"}
    token["security"] = []
    assert extract([spec]).operations[("POST", "/api/auth/token")].auth == {"none"}


def test_decisions_are_collected_from_everything_an_operation_references() -> None:
    spec = _mini()
    spec["components"]["schemas"]["TokenResponse"]["properties"]["expires_in"][
        "x-document-inconsistency"
    ] = ["first", "second"]
    facts = extract([spec])
    assert facts.operations[("POST", "/api/auth/token")].decisions == ("first", "second")
    assert facts.operations[("GET", "/api/users/{}")].decisions == ()
    assert facts.decisions == ("first", "second")


@pytest.mark.parametrize(
    ("value", "strict", "fits"),
    [
        (
            {
                "type": "m.room.message",
                "event_id": "$e",
                "sender": "",
                "content": {"msgtype": "m.text", "body": "hi"},
            },
            True,
            True,
        ),
        ({"type": "m.room.message", "content": {"msgtype": "m.text"}}, True, False),
        ({"type": "m.room.message", "content": {"msgtype": "m.text"}}, False, True),
        ({"type": "m.room.message", "event_id": 1, "content": {"msgtype": "m.text"}}, False, True),
        ({"type": "m.room.message", "content": {"msgtype": "m.file"}}, False, False),
        ({"type": "finstore.room.create", "content": {"msgtype": "m.text"}}, False, False),
    ],
)
def test_an_event_fits_its_schema_strictly_or_by_its_constants(
    value: dict[str, Any], strict: bool, fits: bool
) -> None:
    matchers = extract([_mini()]).event_matchers
    assert matchers["m.room.message (m.text)"](value, strict) is fits


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.pop("openapi"), "not an OpenAPI 3 document"),
        (lambda s: s["components"]["schemas"].pop("ErrorCode"), "ErrorCode"),
        (
            lambda s: s["components"]["schemas"]["TokenRequest"]["properties"].update(
                secret={"$ref": "#/components/schemas/Missing"}
            ),
            "unresolvable reference #/components/schemas/Missing",
        ),
    ],
)
def test_a_spec_lacking_what_is_needed_raises_a_spec_error(change: Any, message: str) -> None:
    spec = _mini()
    change(spec)
    with pytest.raises(SpecError, match=message):
        extract([spec])
