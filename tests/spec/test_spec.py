"""The specs describe every operation, field, errcode, message type and event of revision 2."""

from __future__ import annotations

import re
from typing import Any

import pytest
from openapi_spec_validator import validate

from .conftest import IAM_SPEC, SPEC, merged, operations, resolve

OPEN = "/api/v1/finchat/open-api"
PRIVILEGE = "/api/v1/finchat/privilege-api"

# operationId -> (method, path), as revision 2 gives them.
OPERATIONS: dict[str, tuple[str, str]] = {
    "get_app_access_token": ("post", f"{OPEN}/auth/token"),
    "send_message": ("post", f"{OPEN}/message/send"),
    "send_webhook_message": ("post", f"{OPEN}/message/webhook/send"),
    "send_message_as_user": ("post", f"{PRIVILEGE}/message/send-as-user"),
    "pull_events": ("get", f"{PRIVILEGE}/forwarder/{{app_id}}/events"),
    "update_cui": ("put", f"{OPEN}/message/update-cui"),
    "upload_media": ("post", f"{OPEN}/media/upload"),
    "create_room": ("post", f"{OPEN}/rooms"),
    "list_rooms": ("get", f"{OPEN}/rooms"),
    "update_room": ("put", f"{OPEN}/rooms/{{room_id}}"),
    "get_room": ("get", f"{OPEN}/rooms/{{room_id}}"),
    "get_users_by_authority": ("get", f"{OPEN}/contact/get-users-by-authority"),
    "get_organizations_by_type": ("get", f"{OPEN}/contact/get-organizations-by-type"),
    "get_organization": ("get", f"{OPEN}/contact/organizations/{{organization_id}}"),
    "get_department": ("get", f"{OPEN}/contact/departments/{{department_id}}"),
    "get_user": ("get", f"{OPEN}/users/{{fcid}}"),
    "get_user_friendships": ("get", f"{OPEN}/users/{{fcid}}/friendships"),
    "get_app_friendships": ("get", f"{OPEN}/apps/{{app_id}}/friendships"),
    "get_app_visibility": ("get", f"{OPEN}/apps/{{app_id}}/visibility"),
    "get_iam_info": ("get", "/api/v1/finchat-control/iam-info"),
}
OIDC = "/auth/realms/master/protocol/openid-connect"
IAM_OPERATIONS: dict[str, tuple[str, str]] = {
    "authorize": ("get", f"{OIDC}/auth"),
    "get_token": ("post", f"{OIDC}/token"),
    "get_userinfo": ("get", f"{OIDC}/userinfo"),
    "get_openid_configuration": ("get", "/auth/realms/master/.well-known/openid-configuration"),
    "get_jwks": ("get", f"{OIDC}/certs"),
}
NOT_IN_DOCUMENT = {"get_openid_configuration", "get_jwks"}

# Request body fields as the document's tables give them: name -> (JSON type, required).
REQUEST_FIELDS: dict[str, dict[str, tuple[str, bool]]] = {
    "get_app_access_token": {"app_id": ("string", True), "secret": ("string", True)},
    "send_message": {
        "app_id": ("string", True),
        "fcids": ("array", False),
        "room_ids": ("array", False),
        "content": ("object", True),
    },
    "send_webhook_message": {
        "app_id": ("string", True),
        "webhook_id": ("string", True),
        "content": ("object", True),
    },
    "send_message_as_user": {
        "app_id": ("string", True),
        "sender": ("string", True),
        "topic": ("string", False),
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
    "create_room": {
        "app_id": ("string", True),
        "type": ("string", True),
        "name": ("string", False),
        "topic": ("string", False),
        "history_visibility": ("string", False),
        "federate": ("boolean", False),
        "owner": ("string", False),
        "fcids": ("array", False),
    },
    # `room_id` of the table is the path parameter (DECISIONS.md).
    "update_room": {
        "app_id": ("string", True),
        "name": ("string", False),
        "topic": ("string", False),
        "history_visibility": ("string", False),
        "owner": ("string", False),
        "message_forbidden_except_owner": ("boolean", False),
        "invite_forbidden_except_owner": ("boolean", False),
        "fcids_to_invite": ("array", False),
        "fcids_to_kick": ("array", False),
    },
}

# Query and path parameters: name -> (location, required).
PARAMETERS: dict[str, dict[str, tuple[str, bool]]] = {
    "pull_events": {
        "app_id": ("path", True),
        "since": ("query", False),
        "page_size": ("query", False),
    },
    "upload_media": {"app_id": ("query", True)},
    "list_rooms": {"app_id": ("query", True)},
    "update_room": {"room_id": ("path", True)},
    "get_room": {"room_id": ("path", True), "app_id": ("query", True)},
    "get_users_by_authority": {"authority_name": ("query", True), "app_id": ("query", True)},
    "get_organizations_by_type": {
        "app_id": ("query", True),
        "fcid": ("query", True),
        "organization_type": ("query", True),
    },
    "get_organization": {"organization_id": ("path", True), "app_id": ("query", True)},
    "get_department": {
        "department_id": ("path", True),
        "app_id": ("query", True),
        "include_sub_departments": ("query", False),
    },
    "get_user": {"fcid": ("path", True), "app_id": ("query", True)},
    "get_user_friendships": {"fcid": ("path", True), "app_id": ("query", True)},
    "get_app_friendships": {"app_id": ("path", True)},
    "get_app_visibility": {"app_id": ("path", True)},
}

# Response fields of the 2xx answer (of the items, for list answers): name -> JSON type.
RESPONSE_FIELDS: dict[str, dict[str, str]] = {
    "get_app_access_token": {
        "app_access_token": "string",
        "expires_in": "integer",
        "token_type": "string",
    },
    "send_message": {"room_id_result": "array", "fcid_result": "array"},
    "send_webhook_message": {"event_id": "string"},
    "send_message_as_user": {"room_id_result": "array", "fcid_result": "array"},
    "pull_events": {"since": "string", "events": "array"},
    "update_cui": {"room_id_result": "array", "fcid_result": "array"},
    "upload_media": {"content_uri": "string"},
    "create_room": {"room_id": "string"},
    "update_room": {"failed_fcids_to_invite": "array", "failed_fcids_to_kick": "array"},
    "get_room": {
        "name": "string",
        "type": "string",
        "topic": "string",
        "federate": "boolean",
        "owner": "string",
        "fcids": "array",
    },
    "get_organizations_by_type": {
        "organization_id": "string",
        "organization_name": "string",
        "organization_type": "integer",
        "dispatch_supervision_organizations": "array",
    },
    "get_organization": {
        "organization_id": "string",
        "organization_name": "string",
        "organization_type": "integer",
        "dispatch_supervision_organizations": "array",
    },
    "get_department": {
        "department_id": "string",
        "department_name": "string",
        "parent_department": "string",
        "sub_departments": "array",
        "fcids": "array",
    },
    "get_user": {
        "fcid": "string",
        "account": "string",
        "name": "string",
        "gender": "string",
        "mobile": "string",
        "landline": "string",
        "position": "string",
        "email": "string",
        "job_number": "string",
        "roles": "array",
        "departments": "array",
        "organization_id": "string",
    },
    "get_user_friendships": {"to_fcid": "string", "room_id": "string", "is_bot": "boolean"},
    "get_app_friendships": {"to_fcid": "string", "room_id": "string"},
    "get_app_visibility": {"unlimited": "boolean", "departments": "array", "fcids": "array"},
    "get_iam_info": {"flows": "array"},
}

# The document's 16 errcodes, in its order, and the status this project decided for each.
ERRCODES = {
    "FC_BAD_JSON": 400,
    "FC_APP_NOT_FOUND": 404,
    "FC_APP_NOT_PUBLISHED": 403,
    "FC_INVALID_SECRET": 401,
    "FC_INVALID_ACCESS_TOKEN": 401,
    "FC_MESSAGE_FCID_LIMIT_EXCEEDED": 400,
    "FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED": 400,
    "FC_ROOM_NOT_FOUND": 404,
    "FC_ROOM_IS_NOT_FEDERATE": 403,
    "FC_FCID_NOT_FOUND": 404,
    "FC_FCID_ALREADY_IN_ROOM": 409,
    "FC_FCID_NOT_IN_ROOM": 409,
    "FC_NOT_FOUND": 404,
    "FC_FORBIDDEN": 403,
    "FC_INTERNAL_ERROR": 500,
    "FC_UNKNOWN": None,
}

# The errcodes each operation can answer as a whole (per-recipient ones live in the results).
COMMON = {"FC_BAD_JSON", "FC_INVALID_ACCESS_TOKEN", "FC_APP_NOT_PUBLISHED", "FC_APP_NOT_FOUND"}
LIMITS = {"FC_MESSAGE_FCID_LIMIT_EXCEEDED", "FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED"}
ROOM_CHANGE = {"FC_FORBIDDEN", "FC_ROOM_IS_NOT_FEDERATE", "FC_FCID_NOT_FOUND"}
OPERATION_ERRCODES: dict[str, set[str]] = {
    "get_app_access_token": {"FC_BAD_JSON", "FC_INVALID_SECRET", "FC_APP_NOT_PUBLISHED"}
    | {"FC_APP_NOT_FOUND"},
    "send_message": COMMON | LIMITS,
    "send_webhook_message": COMMON | {"FC_NOT_FOUND"},
    "send_message_as_user": COMMON | LIMITS | {"FC_FORBIDDEN", "FC_FCID_NOT_FOUND"},
    "pull_events": COMMON | {"FC_FORBIDDEN"},
    "update_cui": COMMON | LIMITS,
    "upload_media": COMMON,
    "create_room": COMMON | ROOM_CHANGE,
    "list_rooms": COMMON,
    "update_room": COMMON
    | ROOM_CHANGE
    | {"FC_ROOM_NOT_FOUND"}
    | {"FC_FCID_ALREADY_IN_ROOM", "FC_FCID_NOT_IN_ROOM"},
    "get_room": COMMON | {"FC_ROOM_NOT_FOUND"},
    "get_users_by_authority": COMMON,
    "get_organizations_by_type": COMMON | {"FC_FCID_NOT_FOUND"},
    "get_organization": COMMON | {"FC_NOT_FOUND"},
    "get_department": COMMON | {"FC_NOT_FOUND"},
    "get_user": COMMON | {"FC_FCID_NOT_FOUND"},
    "get_user_friendships": COMMON | {"FC_FCID_NOT_FOUND"},
    "get_app_friendships": COMMON,
    "get_app_visibility": COMMON,
    "get_iam_info": {"FC_UNKNOWN"},
}

MESSAGE_TYPES = {
    "m.text": "TextContent",
    "m.image": "ImageContent",
    "m.file": "FileContent",
    "m.textcard": "TextCardContent",
    "m.cui": "CuiContent",
}

# Every push kind of revision 2, in the order the generated client tries them:
# schema -> (type, content msgtype or None, fields required beyond the table's).
EVENTS: dict[str, tuple[str | None, str | None, set[str]]] = {
    "AllRoomsMessageEvent": ("m.room.message", None, {"room_id", "receivers"}),
    "MentionEvent": ("m.room.message", "m.alert", {"room_id"}),
    "MessageEvent": ("m.room.message", None, {"room_id"}),
    "RoomCreateEvent": ("finstore.room.create", None, {"room_id", "fcid"}),
    "CuiSubmitEvent": ("finstore.room.interactcui", None, {"room_id", "origin_event"}),
    "WebhookEvent": ("finstore.app.webhook", None, {"webhook_id"}),
    "AppApplicationEvent": ("finstore.app.application", None, set()),
    "AppStatusEvent": ("finstore.app.status", None, set()),
    "AppVisibilityEvent": ("finstore.app.visibility", None, set()),
    "SensitiveWordEvent": ("observe.message.sensitivity", None, set()),
    "OtherEvent": (None, None, set()),
}
# The document's event table: name -> (JSON type, required).
EVENT_TABLE = {
    "event_id": ("string", True),
    "content": ("object", True),
    "type": ("string", True),
    "timestamp": ("integer", True),
    "sender": ("string", True),
    "room_id": ("string", False),
    "room_type": ("string", False),
    "receivers": ("array", False),
    "origin_event": ("string", False),
    "webhook_id": ("string", False),
    "fcid": ("string", False),
    "unsigned": ("object", False),
}


def object_properties(
    document: dict[str, Any], schema: dict[str, Any]
) -> tuple[dict[str, Any], set[str]]:
    """Properties and required names of an object schema, allOf merged."""
    schema = merged(document, schema)
    return dict(schema.get("properties", {})), set(schema.get("required", []))


def json_type(document: dict[str, Any], schema: dict[str, Any]) -> str:
    schema = resolve(document, schema)
    if "type" in schema:
        return str(schema["type"])
    if "oneOf" in schema:
        kinds = {json_type(document, s) for s in schema["oneOf"]}
        assert len(kinds) == 1, kinds
        return kinds.pop()
    if "allOf" in schema:
        return "object"
    raise AssertionError(f"no type in {schema}")


def success_schema(document: dict[str, Any], op: dict[str, Any]) -> dict[str, Any]:
    [status] = sorted(s for s in op["responses"] if s.startswith("2"))[:1]
    response = resolve(document, op["responses"][status])
    return resolve(document, response["content"]["application/json"]["schema"])


def variant_names(schema: dict[str, Any]) -> list[str]:
    return [s["$ref"].rsplit("/", 1)[1] for s in schema["oneOf"]]


@pytest.mark.parametrize("document", [SPEC, IAM_SPEC], ids=["finchat", "iam"])
def test_spec_is_valid_openapi_31(document: dict[str, Any]) -> None:
    validate(document)


def test_every_operation_of_revision_2_has_its_method_and_path() -> None:
    assert {k: (m, p) for k, (m, p, _) in operations(SPEC).items()} == OPERATIONS
    assert {k: (m, p) for k, (m, p, _) in operations(IAM_SPEC).items()} == IAM_OPERATIONS


def test_send_as_user_is_only_on_its_revision_2_path() -> None:
    assert f"{OPEN}/message/send-as-user" not in SPEC["paths"]
    _, _, op = operations(SPEC)["send_message_as_user"]
    assert "open-api/message/send-as-user" in op["x-document-inconsistency"]


def test_the_iam_is_its_own_server_and_the_finchat_host_is_another() -> None:
    [iam] = IAM_SPEC["servers"]
    [host] = SPEC["servers"]
    assert iam["url"] == "https://{iam_host}"
    assert host["url"] == "https://{host}"
    assert "x-document-inconsistency" in iam
    assert "get_iam_info" in operations(SPEC)


@pytest.mark.parametrize("operation_id", sorted(NOT_IN_DOCUMENT))
def test_operations_the_document_lacks_are_marked(operation_id: str) -> None:
    _, _, op = operations(IAM_SPEC)[operation_id]
    assert op["x-not-in-document"]


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_every_operation_declares_its_security(operation_id: str) -> None:
    _, _, op = operations(SPEC)[operation_id]
    public = {"get_app_access_token", "get_iam_info"}
    assert op["security"] == ([] if operation_id in public else [{"appAccessToken": []}])
    assert SPEC["components"]["securitySchemes"]["appAccessToken"]["scheme"] == "bearer"


def test_iam_operations_declare_basic_client_auth_bearer_tokens_or_none() -> None:
    found = {k: op["security"] for k, (_, _, op) in operations(IAM_SPEC).items()}
    assert found == {
        "authorize": [],
        "get_token": [{"clientBasic": []}],
        "get_userinfo": [{"iamAccessToken": []}],
        "get_openid_configuration": [],
        "get_jwks": [],
    }
    schemes = IAM_SPEC["components"]["securitySchemes"]
    assert (schemes["clientBasic"]["scheme"], schemes["iamAccessToken"]["scheme"]) == (
        "basic",
        "bearer",
    )


@pytest.mark.parametrize("operation_id", sorted(REQUEST_FIELDS))
def test_request_body_fields_match_the_document(operation_id: str) -> None:
    _, _, op = operations(SPEC)[operation_id]
    schema = op["requestBody"]["content"]["application/json"]["schema"]
    props, required = object_properties(SPEC, schema)
    got = {name: (json_type(SPEC, s), name in required) for name, s in props.items()}
    assert got == REQUEST_FIELDS[operation_id]
    assert resolve(SPEC, schema)["additionalProperties"] is False


@pytest.mark.parametrize("operation_id", sorted(PARAMETERS))
def test_parameters_match_the_document(operation_id: str) -> None:
    _, _, op = operations(SPEC)[operation_id]
    params = [resolve(SPEC, p) for p in op["parameters"]]
    assert {p["name"]: (p["in"], p["required"]) for p in params} == PARAMETERS[operation_id]


def test_pull_page_size_and_department_flag_have_the_documented_defaults() -> None:
    by_name = {
        (op_id, param["name"]): param
        for op_id, (_, _, op) in operations(SPEC).items()
        for param in (resolve(SPEC, p) for p in op.get("parameters", []))
    }
    assert by_name[("pull_events", "page_size")]["schema"] == {"type": "integer", "default": 20}
    flag = by_name[("get_department", "include_sub_departments")]
    assert flag["schema"] == {"type": "boolean", "default": False}
    assert "include_sub_deparments" in flag["x-document-inconsistency"]


@pytest.mark.parametrize("operation_id", sorted(RESPONSE_FIELDS))
def test_response_fields_match_the_document(operation_id: str) -> None:
    _, _, op = operations(SPEC)[operation_id]
    schema = success_schema(SPEC, op)
    if schema.get("type") == "array":
        schema = resolve(SPEC, schema["items"])
    props, _ = object_properties(SPEC, schema)
    assert {name: json_type(SPEC, s) for name, s in props.items()} == RESPONSE_FIELDS[operation_id]


def test_room_answers_use_the_statuses_decided_for_the_documents_201_ok() -> None:
    found = {
        op_id: sorted(s for s in op["responses"] if s.startswith("2"))
        for op_id, (_, _, op) in operations(SPEC).items()
    }
    assert found["create_room"] == ["201"]
    for op_id in ("update_room", "get_room", "list_rooms"):
        assert found[op_id] == ["200", "201"], op_id
    others = set(found) - {"create_room", "update_room", "get_room", "list_rooms"}
    assert {op_id for op_id in others if found[op_id] != ["200"]} == set()


def test_update_room_records_the_documented_precedence() -> None:
    _, _, op = operations(SPEC)["update_room"]
    groups = op["x-precedence"]
    assert groups == [
        ["name"],
        ["topic"],
        ["history_visibility"],
        ["owner"],
        ["message_forbidden_except_owner", "invite_forbidden_except_owner"],
        ["fcids_to_invite", "fcids_to_kick"],
    ]
    props, _ = object_properties(SPEC, op["requestBody"]["content"]["application/json"]["schema"])
    assert sorted(f for group in groups for f in group) == sorted(set(props) - {"app_id"})


def test_the_user_profile_has_departments_instead_of_groups() -> None:
    user = SPEC["components"]["schemas"]["UserDetail"]["properties"]
    assert "groups" not in user
    assert "groups" in user["departments"]["x-document-inconsistency"]


def test_int64_fields_are_declared_int64() -> None:
    schemas = SPEC["components"]["schemas"]
    assert schemas["TokenResponse"]["properties"]["expires_in"]["format"] == "int64"
    assert schemas["EventBase"]["properties"]["timestamp"]["format"] == "int64"
    assert schemas["SearchEvent"]["properties"]["timestamp"]["format"] == "int64"


def test_per_recipient_results_carry_the_documented_fields() -> None:
    schemas = SPEC["components"]["schemas"]
    assert set(schemas["RoomIdResult"]["properties"]) == {"room_id", "errcode", "error", "event_id"}
    assert set(schemas["FcidResult"]["properties"]) == {"fcid", "errcode", "error", "event_id"}


def test_the_spec_lists_exactly_the_sixteen_errcodes_with_a_status_for_each() -> None:
    schemas = SPEC["components"]["schemas"]
    assert set(schemas["Error"]["properties"]) == {"errcode", "error", "data"}
    assert schemas["Error"]["properties"]["errcode"]["type"] == "string"  # never an enum
    code = schemas["ErrorCode"]
    assert code["enum"] == list(ERRCODES)
    assert code["x-http-status"] == ERRCODES
    # A list in enum order: the portable form other generators read (a map breaks them).
    assert isinstance(code["x-enum-descriptions"], list)
    assert len(code["x-enum-descriptions"]) == len(ERRCODES)


def _declared_errcodes(op: dict[str, Any]) -> dict[str, set[str]]:
    """errcode -> statuses under which the operation's error examples carry it."""
    declared: dict[str, set[str]] = {}
    for status, response in op["responses"].items():
        if status.startswith("2") or status == "default":
            continue
        for example in resolve(SPEC, response)["content"]["application/json"]["examples"].values():
            declared.setdefault(example["value"]["errcode"], set()).add(status)
    return declared


@pytest.mark.parametrize("operation_id", sorted(OPERATION_ERRCODES))
def test_every_operation_lists_the_errcodes_it_can_answer_under_their_status(
    operation_id: str,
) -> None:
    _, _, op = operations(SPEC)[operation_id]
    declared = _declared_errcodes(op)
    assert set(declared) == OPERATION_ERRCODES[operation_id] | {"FC_INTERNAL_ERROR"}
    for errcode, statuses in declared.items():
        expected = ERRCODES[errcode]
        if expected is not None:
            assert statuses == {str(expected)}, errcode


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_every_operation_declares_the_other_answers_as_default_errors(operation_id: str) -> None:
    _, _, op = operations(SPEC)[operation_id]
    default = resolve(SPEC, op["responses"]["default"])
    assert default["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    for status, response in op["responses"].items():
        if not status.startswith("2"):
            body = resolve(SPEC, response)["content"]["application/json"]["schema"]
            assert body == {"$ref": "#/components/schemas/Error"}


def test_every_errcode_is_answered_by_some_operation_or_result() -> None:
    answered = set().union(*OPERATION_ERRCODES.values(), {"FC_INTERNAL_ERROR"})
    results = SPEC["components"]["schemas"]["RoomIdResult"]["description"]
    per_recipient = {code for code in ERRCODES if code in results}
    assert answered | per_recipient == set(ERRCODES)
    assert {"FC_ROOM_NOT_FOUND", "FC_INTERNAL_ERROR", "FC_UNKNOWN"} <= per_recipient


def test_ids_in_bodies_are_checked_by_their_sigil_and_path_ids_strictly() -> None:
    schemas = SPEC["components"]["schemas"]
    sigils = {"Fcid": "^@.", "RoomId": "^!.", "EventId": "^\\$.", "ContentUri": "^mxc://."}
    for name, pattern in sigils.items():
        assert schemas[name]["pattern"] == pattern, name
        assert "maxLength" not in schemas[name]
    assert "pattern" not in schemas["AppId"]
    assert not any("maxLength" in s for s in schemas.values() if isinstance(s, dict))
    segments = {
        "FcidPathSegment": ["@a:b"],
        "RoomIdPathSegment": ["!a:b"],
        "PathId": ["5cf29aec6ccfd004ccd28075", "a.b", ".a"],
    }
    for name, good in segments.items():
        regex = re.compile(schemas[name]["pattern"])
        assert all(regex.search(v) for v in good), name
        assert not any(regex.search(v) for v in ["", ".", "..", "a/b", "a b"]), name
    for param in SPEC["components"]["parameters"].values():
        if param["in"] == "path":
            assert param["schema"]["$ref"].endswith(("PathSegment", "/PathId")), param["name"]


def test_origin_event_accepts_modern_matrix_event_ids() -> None:
    pattern = re.compile(SPEC["components"]["schemas"]["EventId"]["pattern"])
    assert pattern.search("$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg")  # room v4+
    assert pattern.search("$acR1l0raoZnm60CBwAVgqbZqoO/mYU81xysh1u7XcJk")  # room v3, with /
    assert not pattern.search("!notanevent:x")


def test_message_content_is_open_and_its_variants_are_told_apart_by_msgtype() -> None:
    schemas = SPEC["components"]["schemas"]
    for msgtype, name in MESSAGE_TYPES.items():
        assert schemas[name]["properties"]["msgtype"]["const"] == msgtype
        assert schemas[name]["additionalProperties"] is True
    for union, expected in (
        ("MessageContent", MESSAGE_TYPES),
        ("UserMessageContent", {k: v for k, v in MESSAGE_TYPES.items() if k != "m.cui"}),
    ):
        assert sorted(variant_names(schemas[union])) == sorted(expected.values())
        mapping = schemas[union]["discriminator"]["mapping"]
        assert {k: v.rsplit("/", 1)[1] for k, v in mapping.items()} == expected


def test_no_constraint_the_document_does_not_state_on_cards_and_infos() -> None:
    schemas = SPEC["components"]["schemas"]
    assert "required" not in schemas["TextCardInfo"]
    assert schemas["TextCardInfo"]["properties"]["opentype"]["enum"] == ["inapp", "inbrowser"]
    for info in ("TextCardInfo", "ImageInfo", "FileInfo", "CuiInfo"):
        assert schemas[info]["additionalProperties"] is True, info
    assert schemas["CuiDivider"]["properties"]["height"]["type"] == ["string", "integer"]


def test_upload_takes_any_media_type_and_a_nonempty_binary_body() -> None:
    _, _, op = operations(SPEC)["upload_media"]
    content = op["requestBody"]["content"]
    body = {"type": "string", "format": "binary", "minLength": 1}
    assert content == {"application/octet-stream": {"schema": body}, "*/*": {"schema": body}}


def test_cui_elements_cover_every_type_and_subtype_of_the_guide() -> None:
    schemas = SPEC["components"]["schemas"]
    pairs = set()
    for ref in schemas["CuiElement"]["oneOf"]:
        props = resolve(SPEC, ref)["properties"]
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
    assert set(schemas["CuiElement"]["discriminator"]["mapping"]) == {p[1] for p in pairs}
    info = schemas["CuiInfo"]["properties"]
    assert info["status"]["enum"] == ["input", "loading", "disable"]
    assert {"type", "status", "shared", "fcids", "elements"} == set(info)


def test_the_event_table_is_the_base_of_every_event_with_content_required() -> None:
    schemas = SPEC["components"]["schemas"]
    for name in EVENTS:
        props, required = object_properties(SPEC, schemas[name])
        table = {field: (json_type(SPEC, props[field]), field in required) for field in EVENT_TABLE}
        expected_required = {f for f, (_, req) in EVENT_TABLE.items() if req} | EVENTS[name][2]
        assert {f for f, (_, req) in table.items() if req} == expected_required, name
        assert {f: t for f, (t, _) in table.items()} == {
            f: t for f, (t, _) in EVENT_TABLE.items()
        }, name


def test_every_push_kind_is_its_own_variant_with_constant_type_and_the_open_one_last() -> None:
    schemas = SPEC["components"]["schemas"]
    assert variant_names(schemas["Event"]) == list(EVENTS)
    assert "discriminator" not in schemas["Event"]  # `m.room.message` names three kinds
    for name, (event_type, msgtype, _) in EVENTS.items():
        props, _ = object_properties(SPEC, schemas[name])
        if event_type is None:
            assert schemas[name]["x-open-variant"]
            assert "m.room.message" in props["type"]["not"]["enum"]
            continue
        assert props["type"]["const"] == event_type, name
        content = resolve(SPEC, props["content"])
        if msgtype:
            assert content["properties"]["msgtype"]["const"] == msgtype
    known = {t for t, _, _ in EVENTS.values() if t}
    assert set(schemas["OtherEvent"]["allOf"][1]["properties"]["type"]["not"]["enum"]) == known


def test_the_envelope_has_the_app_id_and_the_callback_its_delivery_rules() -> None:
    envelope = SPEC["components"]["schemas"]["EventCallback"]
    assert set(envelope["properties"]) == {"app_id", "token", "event"}
    assert envelope["required"] == ["token", "event"]
    op = SPEC["webhooks"]["event"]["put"]
    assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/EventCallback"
    )
    for rule in ("30 seconds", "10 minutes", "1 hour", "event_id"):
        assert rule in op["description"], rule


def test_app_status_and_operation_value_lists_are_the_documents() -> None:
    schemas = SPEC["components"]["schemas"]
    assert (
        len(schemas["AppStatus"]["enum"]) == len(schemas["AppStatus"]["x-enum-descriptions"]) == 10
    )
    assert len(schemas["AppOperation"]["enum"]) == 9
    assert {"Published", "PublishWithdrawed"} <= set(schemas["AppStatus"]["enum"])
    content = schemas["AppStatusEventContent"]["properties"]
    assert {"from_status", "to_status", "operation", "operator_role"} <= set(content)
    known = {
        name: content[name].get("x-known-values")
        for name in ("from_status", "to_status", "operation")
    }
    assert known == {
        "from_status": "AppStatus",
        "to_status": "AppStatus",
        "operation": "AppOperation",
    }


def test_shortcut_search_is_a_post_answered_with_layout_and_content() -> None:
    op = SPEC["webhooks"]["shortcutSearch"]["post"]
    for rule in ("5 seconds", "never delivered again"):
        assert rule in op["description"], rule
    callback = SPEC["components"]["schemas"]["SearchCallback"]
    assert set(callback["properties"]) == {"app_id", "token", "event"}
    event, required = object_properties(SPEC, SPEC["components"]["schemas"]["SearchEvent"])
    assert event["type"]["const"] == "finstore.shortcut.search"
    assert required == {"event_id", "content", "type", "timestamp", "sender"}
    assert set(event) == required | {"unsigned"}
    result = resolve(SPEC, op["responses"]["200"]["content"]["application/json"]["schema"])
    assert set(result["properties"]) == {"layout", "content"}
    content, required = object_properties(SPEC, result["properties"]["content"])
    assert set(content) == required == {"total", "list", "opentype"}
    item, required = object_properties(SPEC, content["list"]["items"])
    assert (set(item), required) == (
        {"type", "title", "description", "url"},
        {"type", "title", "description"},
    )


def test_token_grants_are_a_form_body_with_both_grants() -> None:
    _, _, op = operations(IAM_SPEC)["get_token"]
    [(media, body)] = op["requestBody"]["content"].items()
    assert media == "application/x-www-form-urlencoded"
    grants = resolve(IAM_SPEC, body["schema"])
    consts = {}
    for ref in grants["oneOf"]:
        props, required = object_properties(IAM_SPEC, ref)
        consts[props["grant_type"]["const"]] = required
    assert consts == {
        "authorization_code": {"grant_type", "code", "redirect_uri", "client_id"},
        "refresh_token": {"grant_type", "refresh_token"},
    }


def test_token_set_fields_use_the_spelling_decided_for_the_documents_typos() -> None:
    token = IAM_SPEC["components"]["schemas"]["TokenSet"]["properties"]
    assert set(token) == {
        "access_token",
        "expires_in",
        "refresh_token",
        "refresh_expires_in",
        "token_type",
        "id_token",
        "not-before-policy",
        "session_state",
        "scope",
    }
    assert "refresh_rexpires_in" in token["refresh_expires_in"]["x-document-inconsistency"]
    assert "not_before_policy" in token["not-before-policy"]["x-document-inconsistency"]


def test_userinfo_and_authorize_carry_the_documented_fields() -> None:
    schemas = IAM_SPEC["components"]["schemas"]
    assert set(schemas["UserInfo"]["properties"]) == {
        "sub",
        "name",
        "fcid",
        "organization_id",
        "phone_number",
        "email",
    }
    assert set(schemas["AuthorizationRedirect"]["properties"]) == {"code", "state", "session_state"}
    _, _, op = operations(IAM_SPEC)["authorize"]
    documented = {p["name"] for p in op["parameters"] if "x-not-in-document" not in p}
    assert documented == {"client_id", "redirect_uri", "response_type", "scope", "state"}
    assert op["responses"]["302"]["x-redirect-query"] == "AuthorizationRedirect"
