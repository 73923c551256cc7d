"""The spec describes every operation, field, errcode, message type and event of the document."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate

from .conftest import SPEC_PATH

PREFIX = "/api/v1/finchat/open-api"

# operationId -> (method, path below the prefix), as the document gives them.
OPERATIONS: dict[str, tuple[str, str]] = {
    "get_app_access_token": ("post", "/auth/token"),
    "send_message": ("post", "/message/send"),
    "send_message_as_user": ("post", "/message/send-as-user"),
    "update_cui": ("put", "/message/update-cui"),
    "upload_media": ("post", "/media/upload"),
    "get_users_by_authority": ("get", "/contact/get-users-by-authority"),
    "get_user": ("get", "/users/{fcid}"),
    "get_user_friendships": ("get", "/users/{fcid}/friendships"),
    "get_app_friendships": ("get", "/apps/{app_id}/friendships"),
}

# Request body fields as the document's tables give them: name -> (JSON type, required).
REQUEST_FIELDS: dict[str, dict[str, tuple[str, bool]]] = {
    "get_app_access_token": {"app_id": ("string", True), "secret": ("string", True)},
    "send_message": {
        "app_id": ("string", True),
        "fcids": ("array", False),
        "room_ids": ("array", False),
        "content": ("object", True),
    },
    "send_message_as_user": {
        "app_id": ("string", True),
        "sender": ("string", True),
        "fcids": ("array", False),
        "room_ids": ("array", False),
        "content": ("object", True),
    },
    "update_cui": {
        "app_id": ("string", True),
        "fcids": ("array", False),
        "room_ids": ("array", False),
        "origin_event": ("string", True),
        "content": ("object", True),
    },
}

# Query and path parameters: name -> (location, required).
PARAMETERS: dict[str, dict[str, str]] = {
    "upload_media": {"app_id": "query"},
    "get_users_by_authority": {"authority_name": "query", "app_id": "query"},
    "get_user": {"fcid": "path", "app_id": "query"},
    "get_user_friendships": {"fcid": "path", "app_id": "query"},
    "get_app_friendships": {"app_id": "path"},
}

# Response fields of the 200 answer (of the items, for list answers): name -> JSON type.
RESPONSE_FIELDS: dict[str, dict[str, str]] = {
    "get_app_access_token": {
        "app_access_token": "string",
        "expires_in": "integer",
        "token_type": "string",
    },
    "send_message": {"room_id_result": "array", "fcid_result": "array"},
    "send_message_as_user": {"room_id_result": "array", "fcid_result": "array"},
    "update_cui": {"room_id_result": "array", "fcid_result": "array"},
    "upload_media": {"content_uri": "string"},
    "get_user": {
        "fcid": "string",
        "name": "string",
        "gender": "string",
        "mobile": "string",
        "landline": "string",
        "position": "string",
        "email": "string",
        "job_number": "string",
        "roles": "array",
        "groups": "array",
    },
    "get_user_friendships": {"to_fcid": "string", "room_id": "string", "is_bot": "boolean"},
    "get_app_friendships": {"to_fcid": "string", "room_id": "string"},
}

ERRCODES = [
    "FC_BAD_JSON",
    "FC_APP_NOT_FOUND",
    "FC_APP_NOT_PUBLISHED",
    "FC_ROOM_NOT_FOUND",
    "FC_INVALID_SECRET",
    "FC_INVALID_ACCESS_TOKEN",
    "FC_MESSAGE_FCID_LIMIT_EXCEEDED",
    "FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED",
    "FC_INTERNAL_ERROR",
    "FC_UNKNOWN",
]

MESSAGE_TYPES = {
    "m.text": "TextContent",
    "m.image": "ImageContent",
    "m.file": "FileContent",
    "m.textcard": "TextCardContent",
    "m.cui": "CuiContent",
}

EVENTS = {
    # schema: (type, content msgtype or None)
    "MessageEvent": ("m.room.message", "m.text"),
    "MentionEvent": ("m.room.message", "m.alert"),
    "RoomCreateEvent": ("finstore.room.create", None),
    "CuiSubmitEvent": ("finstore.room.interactcui", None),
    "AppApplicationEvent": ("finstore.app.application", None),
}


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def object_properties(
    spec: dict[str, Any], schema: dict[str, Any]
) -> tuple[dict[str, Any], set[str]]:
    """Properties and required names of an object schema, allOf merged."""
    schema = resolve(spec, schema)
    props: dict[str, Any] = {}
    required: set[str] = set(schema.get("required", []))
    for part in schema.get("allOf", []):
        p, r = object_properties(spec, part)
        props.update(p)
        required |= r
    props.update(schema.get("properties", {}))
    return props, required


def json_type(spec: dict[str, Any], schema: dict[str, Any]) -> str:
    schema = resolve(spec, schema)
    if "type" in schema:
        return str(schema["type"])
    if "oneOf" in schema:
        kinds = {json_type(spec, s) for s in schema["oneOf"]}
        assert len(kinds) == 1, kinds
        return kinds.pop()
    raise AssertionError(f"no type in {schema}")


def operations(spec: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    found = {}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            found[op["operationId"]] = (method, path, op)
    return found


def test_spec_is_valid_openapi_31() -> None:
    validate(__import__("yaml").safe_load(SPEC_PATH.read_text(encoding="utf-8")))


def test_all_nine_documented_operations_have_their_method_and_path(spec: dict[str, Any]) -> None:
    found = operations(spec)
    assert {k: (m, p) for k, (m, p, _) in found.items()} == {
        k: (m, PREFIX + p) for k, (m, p) in OPERATIONS.items()
    }


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_bearer_security_is_declared_on_each_protected_operation(
    spec: dict[str, Any], operation_id: str
) -> None:
    _, _, op = operations(spec)[operation_id]
    expected = [] if operation_id == "get_app_access_token" else [{"appAccessToken": []}]
    assert op["security"] == expected
    assert spec["components"]["securitySchemes"]["appAccessToken"]["scheme"] == "bearer"


@pytest.mark.parametrize("operation_id", sorted(REQUEST_FIELDS))
def test_request_body_fields_match_the_document(spec: dict[str, Any], operation_id: str) -> None:
    _, _, op = operations(spec)[operation_id]
    schema = op["requestBody"]["content"]["application/json"]["schema"]
    props, required = object_properties(spec, schema)
    got = {name: (json_type(spec, s), name in required) for name, s in props.items()}
    assert got == REQUEST_FIELDS[operation_id]


@pytest.mark.parametrize("operation_id", sorted(PARAMETERS))
def test_parameters_match_the_document(spec: dict[str, Any], operation_id: str) -> None:
    _, _, op = operations(spec)[operation_id]
    params = [resolve(spec, p) for p in op["parameters"]]
    assert {p["name"]: p["in"] for p in params} == PARAMETERS[operation_id]
    assert all(p["required"] for p in params)


@pytest.mark.parametrize("operation_id", sorted(RESPONSE_FIELDS))
def test_response_fields_match_the_document(spec: dict[str, Any], operation_id: str) -> None:
    _, _, op = operations(spec)[operation_id]
    schema = resolve(
        spec, resolve(spec, op["responses"]["200"])["content"]["application/json"]["schema"]
    )
    if schema.get("type") == "array":
        schema = schema["items"]
    props, _ = object_properties(spec, schema)
    assert {name: json_type(spec, s) for name, s in props.items()} == RESPONSE_FIELDS[operation_id]


def test_int64_fields_are_declared_int64(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert schemas["TokenResponse"]["properties"]["expires_in"]["format"] == "int64"
    assert schemas["EventBase"]["properties"]["timestamp"]["format"] == "int64"


def test_users_by_authority_answers_a_list_of_fcids(spec: dict[str, Any]) -> None:
    _, _, op = operations(spec)["get_users_by_authority"]
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["type"] == "array"
    assert schema["items"]["type"] == "string"


def test_per_recipient_results_carry_the_documented_fields(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert set(schemas["RoomIdResult"]["properties"]) == {"room_id", "errcode", "error", "event_id"}
    assert set(schemas["FcidResult"]["properties"]) == {"fcid", "errcode", "error", "event_id"}


def test_error_envelope_and_all_ten_errcodes_are_listed(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert set(schemas["Error"]["properties"]) == {"errcode", "error", "data"}
    assert schemas["Error"]["properties"]["errcode"]["type"] == "string"  # never an enum
    code = schemas["ErrorCode"]
    assert code["enum"] == ERRCODES
    assert set(code["x-http-status"]) == set(ERRCODES)
    assert set(code["x-enum-descriptions"]) == set(ERRCODES)


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_every_error_response_uses_the_error_envelope(
    spec: dict[str, Any], operation_id: str
) -> None:
    _, _, op = operations(spec)[operation_id]
    statuses = {s for s in op["responses"] if not s.startswith("2")}
    assert {"400", "404", "500"} <= statuses
    for status in statuses:
        body = resolve(spec, op["responses"][status])["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/Error"}


def test_errcode_statuses_are_the_ones_the_operations_declare(spec: dict[str, Any]) -> None:
    """Each errcode with a fixed status is documented under that status by some operation."""
    table = spec["components"]["schemas"]["ErrorCode"]["x-http-status"]
    declared: dict[str, set[str]] = {}
    for _, _, op in operations(spec).values():
        for status, response in op["responses"].items():
            response = resolve(spec, response)
            for example in response["content"]["application/json"].get("examples", {}).values():
                if "errcode" in example["value"]:
                    declared.setdefault(example["value"]["errcode"], set()).add(status)
    for errcode, status in table.items():
        if status is not None and errcode != "FC_ROOM_NOT_FOUND":
            assert declared[errcode] == {str(status)}, errcode


def test_five_message_types_each_with_a_constant_msgtype(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for msgtype, name in MESSAGE_TYPES.items():
        assert schemas[name]["properties"]["msgtype"]["const"] == msgtype
    variants = [s["$ref"].rsplit("/", 1)[1] for s in schemas["MessageContent"]["oneOf"]]
    assert sorted(variants) == sorted(MESSAGE_TYPES.values())


def test_send_as_user_accepts_every_type_but_cui(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    variants = [s["$ref"].rsplit("/", 1)[1] for s in schemas["UserMessageContent"]["oneOf"]]
    assert sorted(variants) == sorted(set(MESSAGE_TYPES.values()) - {"CuiContent"})
    assert schemas["UpdateCuiRequest"]["properties"]["content"]["$ref"].endswith("/CuiContent")


def test_cui_elements_cover_every_type_and_subtype_of_the_guide(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    pairs = set()
    for ref in schemas["CuiElement"]["oneOf"]:
        props = resolve(spec, ref)["properties"]
        pairs.add((props["type"]["const"], props["subtype"]["const"]))
    assert pairs == {
        ("context", "text"),
        ("divider", "divider"),
        ("image", "image"),
        ("input", "text-input"),
        ("input", "dropdown-input"),
        ("button", "submit"),
        ("button", "reply"),
        ("button", "openurl"),
    }
    info = schemas["CuiInfo"]["properties"]
    assert info["status"]["enum"] == ["input", "loading", "disable"]
    assert {"type", "status", "shared", "fcids", "elements"} == set(info)


def test_five_event_payloads_with_constant_types(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    variants = [s["$ref"].rsplit("/", 1)[1] for s in schemas["Event"]["oneOf"]]
    assert sorted(variants) == sorted(EVENTS)
    for name, (event_type, msgtype) in EVENTS.items():
        props, required = object_properties(spec, schemas[name])
        assert props["type"]["const"] == event_type
        assert {"event_id", "type", "timestamp", "sender", "content"} <= required
        assert {"room_id", "room_type", "fcid", "unsigned"} <= set(props)
        if msgtype:
            content = resolve(spec, props["content"])
            assert content["properties"]["msgtype"]["const"] == msgtype
    assert schemas["RoomType"]["enum"] == ["direct_room", "multi_room"]


def test_callback_is_a_put_of_the_token_and_event_envelope(spec: dict[str, Any]) -> None:
    op = spec["webhooks"]["event"]["put"]
    schema = op["requestBody"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/EventCallback")
    envelope = spec["components"]["schemas"]["EventCallback"]
    assert envelope["required"] == ["token", "event"]


def test_upload_takes_a_nonempty_binary_body_and_answers_a_content_uri(
    spec: dict[str, Any],
) -> None:
    _, _, op = operations(spec)["upload_media"]
    body = op["requestBody"]["content"]["application/octet-stream"]["schema"]
    assert body == {"type": "string", "format": "binary", "minLength": 1}
    assert op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/UploadResponse"
    )
