"""The one `$ref` resolver: local references followed, `allOf` merged, schemas inlined."""

from __future__ import annotations

from typing import Any

import pytest

from finchat_wrapper._refs import RefError, inline, merged, resolve

DOC: dict[str, Any] = {
    "components": {
        "schemas": {
            "Id": {"type": "string", "pattern": "^@"},
            "Alias": {"$ref": "#/components/schemas/Id"},
            "Base": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}},
            },
            "Event": {
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {"required": ["type"], "properties": {"type": {"const": "x"}}},
                ],
                "description": "an event",
            },
            "a/b": {"type": "integer"},
            "Loop": {"$ref": "#/components/schemas/Loop"},
            "Ping": {"allOf": [{"$ref": "#/components/schemas/Pong"}]},
            "Pong": {"allOf": [{"$ref": "#/components/schemas/Ping"}]},
            "Tree": {"properties": {"child": {"$ref": "#/components/schemas/Tree"}}},
        }
    }
}


def test_a_chain_of_references_is_followed_to_its_end() -> None:
    assert resolve(DOC, {"$ref": "#/components/schemas/Alias"}) == {
        "type": "string",
        "pattern": "^@",
    }
    assert resolve(DOC, {"type": "boolean"}) == {"type": "boolean"}
    assert resolve(DOC, None) is None


def test_json_pointer_escapes_are_decoded() -> None:
    assert resolve(DOC, {"$ref": "#/components/schemas/a~1b"}) == {"type": "integer"}


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("other.yaml#/x", "only local references"),
        ("#/components/schemas/Missing", "unresolvable reference #/components/schemas/Missing"),
        ("#/components/schemas/Loop", "reference cycle at #/components/schemas/Loop"),
    ],
)
def test_a_reference_that_cannot_be_followed_is_named(ref: str, message: str) -> None:
    with pytest.raises(RefError, match=message):
        resolve(DOC, {"$ref": ref})


def test_all_of_parts_unite_their_properties_and_required_names() -> None:
    schema = merged(DOC, {"$ref": "#/components/schemas/Event"})
    assert schema["required"] == ["id", "type"]
    assert set(schema["properties"]) == {"id", "type"}
    assert schema["description"] == "an event"
    assert "allOf" not in schema


def test_all_of_parts_that_come_back_to_the_schema_are_a_cycle_not_a_recursion_error() -> None:
    with pytest.raises(RefError, match="reference cycle at #/components/schemas/Ping"):
        merged(DOC, {"$ref": "#/components/schemas/Ping"})


def test_inlining_replaces_references_and_keeps_constraints_beside_them() -> None:
    assert inline(DOC, {"items": {"$ref": "#/components/schemas/Alias"}}) == {
        "items": {"type": "string", "pattern": "^@"}
    }
    beside = inline(DOC, {"$ref": "#/components/schemas/Id", "maxLength": 5, "description": "d"})
    assert beside == {
        "allOf": [{"type": "string", "pattern": "^@"}],
        "maxLength": 5,
        "description": "d",
    }
    described = inline(DOC, {"$ref": "#/components/schemas/Id", "description": "only words"})
    assert described == {"type": "string", "pattern": "^@"}


def test_a_recursive_schema_is_refused_rather_than_inlined_forever() -> None:
    with pytest.raises(RefError, match="recursive schema #/components/schemas/Tree"):
        inline(DOC, {"$ref": "#/components/schemas/Tree"})
