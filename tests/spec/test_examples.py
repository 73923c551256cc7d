"""Every example in the spec (the document's examples, corrected) is valid against its schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
import yaml

from .conftest import SPEC_PATH

SPEC = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def _deref(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _media_examples() -> Iterator[tuple[str, dict[str, Any], Any]]:
    def from_content(
        where: str, content: dict[str, Any]
    ) -> Iterator[tuple[str, dict[str, Any], Any]]:
        for media, body in content.items():
            for name, example in body.get("examples", {}).items():
                yield f"{where} {media} {name}", body["schema"], example["value"]

    items = [
        (f"{m.upper()} {p}", op) for p, item in SPEC["paths"].items() for m, op in item.items()
    ]
    items += [(f"webhook {n}", op) for n, item in SPEC["webhooks"].items() for op in item.values()]
    for where, op in items:
        if "requestBody" in op:
            yield from from_content(f"{where} request", op["requestBody"]["content"])
        for status, response in op["responses"].items():
            yield from from_content(f"{where} {status}", _deref(response).get("content", {}))


def _schema_examples() -> Iterator[tuple[str, dict[str, Any], Any]]:
    for name, schema in SPEC["components"]["schemas"].items():
        for i, example in enumerate(schema.get("examples", [])):
            yield f"schema {name} #{i}", {"$ref": f"#/components/schemas/{name}"}, example


EXAMPLES = list(_media_examples()) + list(_schema_examples())


def _validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    # Resolve "#/components/..." against the whole spec document.
    wrapped = (
        {**schema, "components": SPEC["components"]}
        if "$ref" not in schema
        else {
            "$ref": schema["$ref"],
            "components": SPEC["components"],
        }
    )
    return jsonschema.Draft202012Validator(wrapped, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize(("where", "schema", "value"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_is_valid_against_its_schema(
    where: str, schema: dict[str, Any], value: Any
) -> None:
    errors = sorted(_validator(schema).iter_errors(value), key=str)
    assert not errors, f"{where}: {errors[0].message}"


def test_every_example_of_the_document_is_carried() -> None:
    # The document has 28 JSON examples: token request and response, 5 events, 5 send requests and
    # 2 responses, 4 send-as-user requests (responses shared), 1 update-cui request, upload,
    # authority, user, user friendships and app friendships responses.
    media = [e for e in EXAMPLES if not e[0].startswith("schema ")]
    doc_examples = [e for e in media if " 200 " in e[0] or " request " in e[0]]
    # send, send-as-user and update-cui each carry the 2 result examples (shared component).
    assert len(doc_examples) == 2 + 5 + 5 + 2 + 4 + 2 + 1 + 2 + 1 + 1 + 1 + 1 + 1


def test_a_wrong_example_would_be_caught() -> None:
    """The validator really checks: a text message without body is rejected."""
    schema = {"$ref": "#/components/schemas/TextContent"}
    assert list(_validator(schema).iter_errors({"msgtype": "m.text"}))
    assert list(
        _validator({"$ref": "#/components/schemas/MessageContent"}).iter_errors(
            {"msgtype": "m.file", "body": "x", "o_url": "mxc://a/b", "info": {"w": 1}}
        )
    )
