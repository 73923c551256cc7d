"""Local `$ref`s of one OpenAPI document, and the schema views the docs check needs.

Self-contained on purpose (the project is to have one resolver; this is the docs check's use of
it): `resolve` follows `#/...` references, `merged` folds `allOf` parts, `variants` flattens
`oneOf`/`anyOf`. Nothing here knows about FinChat.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._model import SpecError

Schema = Mapping[str, Any]


class Resolver:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document

    def resolve(self, node: Any) -> Schema:
        seen: set[str] = set()
        while isinstance(node, Mapping) and "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                raise SpecError(f"only local references are supported, not {ref!r}")
            if ref in seen:
                raise SpecError(f"reference cycle at {ref}")
            seen.add(ref)
            target: Any = self.document
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, Mapping) or part not in target:
                    raise SpecError(f"unresolvable reference {ref}")
                target = target[part]
            node = target
        if not isinstance(node, Mapping):
            raise SpecError(f"expected an object, found {node!r}")
        return node

    def merged(self, node: Any, depth: int = 0) -> Schema:
        """The schema with its `allOf` parts folded in (properties and `required` unite)."""
        schema = self.resolve(node)
        if "allOf" not in schema or depth > 32:
            return schema
        result: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        properties: dict[str, Any] = dict(result.get("properties", {}))
        required: list[str] = list(result.get("required", []))
        for part in schema["allOf"]:
            piece = self.merged(part, depth + 1)
            for key, value in piece.items():
                if key == "properties":
                    properties.update(value)
                elif key == "required":
                    required += [name for name in value if name not in required]
                else:
                    result.setdefault(key, value)
        if properties:
            result["properties"] = properties
        if required:
            result["required"] = required
        return result

    def named_variants(self, node: Any, name: str = "", depth: int = 0) -> list[tuple[str, Schema]]:
        """`variants`, each with the name of the component it references (or its parent's)."""
        if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            name = node["$ref"].rsplit("/", 1)[-1]
        schema = self.merged(node)
        if depth <= 32:
            for key in ("oneOf", "anyOf"):
                if key in schema:
                    return [
                        named
                        for part in schema[key]
                        for named in self.named_variants(part, name, depth + 1)
                    ]
        return [(name, schema)]

    def variants(self, node: Any, depth: int = 0) -> list[Schema]:
        """The alternatives of a `oneOf`/`anyOf` (nested ones flattened), or the schema itself."""
        schema = self.merged(node)
        if depth <= 32:
            for key in ("oneOf", "anyOf"):
                if key in schema:
                    return [v for part in schema[key] for v in self.variants(part, depth + 1)]
        return [schema]
