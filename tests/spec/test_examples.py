"""Every example in the specs (the document's examples, corrected) is valid against its schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from .conftest import IAM_SPEC, SPEC, resolve

Example = tuple[str, dict[str, Any], str, dict[str, Any], Any]  # where, document, op, schema, value


def _from_content(
    where: str, document: dict[str, Any], op_id: str, content: dict[str, Any]
) -> Iterator[Example]:
    for media, body in content.items():
        for name, example in body.get("examples", {}).items():
            yield f"{where} {media} {name}", document, op_id, body["schema"], example["value"]


def _media_examples(document: dict[str, Any]) -> Iterator[Example]:
    items = [
        (f"{m.upper()} {p}", op) for p, item in document["paths"].items() for m, op in item.items()
    ]
    items += [
        (f"webhook {n}", op)
        for n, item in document.get("webhooks", {}).items()
        for op in item.values()
    ]
    for where, op in items:
        op_id = op["operationId"]
        for param in (resolve(document, p) for p in op.get("parameters", [])):
            for name, example in param.get("examples", {}).items():
                where_p = f"{where} parameter {param['name']} {name}"
                yield where_p, document, op_id, param["schema"], example["value"]
        if "requestBody" in op:
            yield from _from_content(
                f"{where} request", document, op_id, op["requestBody"]["content"]
            )
        for status, response in op["responses"].items():
            response = resolve(document, response)
            yield from _from_content(
                f"{where} {status}", document, op_id, response.get("content", {})
            )
            for header_name, header in response.get("headers", {}).items():
                for name, example in header.get("examples", {}).items():
                    where_h = f"{where} {status} header {header_name} {name}"
                    yield where_h, document, op_id, header["schema"], example["value"]


def _schema_examples(document: dict[str, Any]) -> Iterator[Example]:
    for name, schema in document["components"]["schemas"].items():
        for i, example in enumerate(schema.get("examples", [])):
            ref = {"$ref": f"#/components/schemas/{name}"}
            yield f"schema {name} #{i}", document, "", ref, example


EXAMPLES = [e for doc in (SPEC, IAM_SPEC) for e in (*_media_examples(doc), *_schema_examples(doc))]


def validator(document: dict[str, Any], schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    # Resolve "#/components/..." against the whole spec document.
    wrapped = {**schema, "components": document["components"]}
    return jsonschema.Draft202012Validator(wrapped, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize(
    ("where", "document", "op_id", "schema", "value"), EXAMPLES, ids=[e[0] for e in EXAMPLES]
)
def test_example_is_valid_against_its_schema(
    where: str, document: dict[str, Any], op_id: str, schema: dict[str, Any], value: Any
) -> None:
    errors = sorted(validator(document, schema).iter_errors(value), key=str)
    assert not errors, f"{where}: {errors[0].message}"


def _documented() -> dict[tuple[str, str], set[str]]:
    """(operationId, request|status) -> example names of the document's examples."""
    found: dict[tuple[str, str], set[str]] = {}
    for where, _, op_id, _, _ in EXAMPLES:
        if not op_id or " header " in where or " parameter " in where:
            continue
        parts = where.split(" ")
        place, name = parts[-3], parts[-1]
        if place.startswith(("4", "5")) or place == "default":
            continue  # our own error examples, not the document's
        found.setdefault((op_id, place), set()).add(name)
    return found


SEND = {"text", "file", "image", "textcard", "cui"}
RESULTS = {"roomFailed", "userSucceeded"}
# Where each JSON example of revision 2 is carried (56 in the document; the token answers of the
# IAM's two grants are one example, and send-as-user and update-cui share the result examples).
DOCUMENT_EXAMPLES = {
    ("get_app_access_token", "request"): {"doc"},
    ("get_app_access_token", "200"): {"doc"},
    ("receive_event", "request"): {
        "directText",
        "groupMention",
        "allRoomsMessage",
        "roomCreated",
        "cuiSubmitted",
        "webhook",
        "appApplication",
        "appStatus",
        "appVisibility",
        "sensitiveWord",
    },
    ("answer_shortcut_search", "request"): {"doc"},
    ("answer_shortcut_search", "200"): {"doc"},
    ("send_message", "request"): SEND,
    ("send_message", "200"): RESULTS,
    ("send_webhook_message", "request"): SEND,
    ("send_webhook_message", "200"): {"doc"},
    ("send_message_as_user", "request"): SEND - {"cui"},
    ("send_message_as_user", "200"): RESULTS,
    ("pull_events", "200"): {"doc"},
    ("update_cui", "request"): {"doc"},
    ("update_cui", "200"): RESULTS,
    ("upload_media", "200"): {"doc"},
    ("create_room", "request"): {"doc"},
    ("create_room", "201"): {"doc"},
    ("update_room", "request"): {"doc"},
    ("update_room", "200"): {"doc"},
    ("update_room", "201"): {"doc"},
    ("get_room", "200"): {"doc"},
    ("get_room", "201"): {"doc"},
    ("list_rooms", "200"): {"doc"},
    ("list_rooms", "201"): {"doc"},
    ("get_users_by_authority", "200"): {"doc"},
    ("get_organizations_by_type", "200"): {"doc"},
    ("get_organization", "200"): {"doc"},
    ("get_department", "200"): {"doc"},
    ("get_user", "200"): {"doc"},
    ("get_user_friendships", "200"): {"doc"},
    ("get_app_friendships", "200"): {"doc"},
    ("get_app_visibility", "200"): {"doc"},
    ("get_iam_info", "200"): {"doc"},
    # The IAM (finchat-iam.yaml); the form bodies are the document's HTTP request examples.
    ("get_token", "request"): {"authorizationCode", "refreshToken"},
    ("get_token", "200"): {"doc"},
    ("get_userinfo", "200"): {"doc"},
    ("get_openid_configuration", "200"): {"keycloak"},
    ("get_jwks", "200"): {"rsa"},
}


def test_every_example_of_the_document_is_carried_where_it_belongs() -> None:
    assert _documented() == DOCUMENT_EXAMPLES


def test_the_authorize_request_example_of_the_document_is_carried_as_parameter_examples() -> None:
    found = {
        where.split(" ")[-2]: value
        for where, _, op_id, _, value in EXAMPLES
        if op_id == "authorize" and " parameter " in where
    }
    assert found == {
        "client_id": "test-scope",
        "redirect_uri": "https://www.baidu.com",
        "response_type": "code",
        "scope": "openid profile",
        "state": "xyz",
    }


def test_a_wrong_example_would_be_caught() -> None:
    """The validator really checks: a text message without body is rejected."""
    assert list(
        validator(SPEC, {"$ref": "#/components/schemas/TextContent"}).iter_errors(
            {"msgtype": "m.text"}
        )
    )
    assert list(
        validator(SPEC, {"$ref": "#/components/schemas/MessageContent"}).iter_errors(
            {"msgtype": "m.file", "body": "x", "info": {"w": 1}}
        )
    )


EVENT = {"event_id": "$e:x", "timestamp": 1, "sender": "@a:x", "room_id": "!r:x"}


@pytest.mark.parametrize(
    ("event", "variant"),
    [
        (
            {**EVENT, "type": "m.room.message", "content": {"msgtype": "m.image", "body": "a.png"}},
            "MessageEvent",
        ),
        (
            {
                **EVENT,
                "type": "m.room.message",
                "content": {"msgtype": "m.alert", "body": "@b"},
                "receivers": ["@c:x"],
            },
            "AllRoomsMessageEvent",
        ),
        (
            {**EVENT, "type": "m.room.message", "content": {"msgtype": "m.alert", "body": "@b"}},
            "MentionEvent",
        ),
        ({**EVENT, "type": "finstore.room.leave", "content": {}}, "OtherEvent"),
    ],
    ids=["image", "alert-with-receivers", "alert", "unknown-type"],
)
def test_the_event_variants_are_disjoint(event: dict[str, Any], variant: str) -> None:
    # `oneOf` holds only if exactly one variant matches; and it is the expected one.
    assert validator(SPEC, {"$ref": "#/components/schemas/Event"}).is_valid(event)
    matching = [
        ref["$ref"].rsplit("/", 1)[1]
        for ref in SPEC["components"]["schemas"]["Event"]["oneOf"]
        if validator(SPEC, ref).is_valid(event)
    ]
    assert matching == [variant]


def test_a_message_event_without_its_room_is_not_an_event() -> None:
    event = {**EVENT, "type": "m.room.message", "content": {"msgtype": "m.text", "body": "hi"}}
    del event["room_id"]
    assert not validator(SPEC, {"$ref": "#/components/schemas/Event"}).is_valid(event)
