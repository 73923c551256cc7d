"""The schema views the docs check needs, on the package's one `$ref` resolver (`.._refs`).

`resolve` and `merged` are `_refs`' own, with a `RefError` reported as the docs check's
`SpecError`; `variants` and `named_variants` flatten `oneOf`/`anyOf`, which only the docs check
needs. Nothing here knows about FinChat.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import _refs
from ._model import SpecError

Schema = Mapping[str, Any]
# Nested oneOf/anyOf are flattened this deep at most (a cycle through them stops there).
_MAX_DEPTH = 32


class Resolver:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document

    def resolve(self, node: Any) -> Schema:
        try:
            target = _refs.resolve(self.document, node)
        except _refs.RefError as exc:
            raise SpecError(str(exc)) from exc
        if not isinstance(target, Mapping):
            raise SpecError(f"expected an object, found {target!r}")
        return target

    def merged(self, node: Any) -> Schema:
        """The schema with its `allOf` parts folded in (properties and `required` unite)."""
        try:
            return _refs.merged(self.document, node)
        except _refs.RefError as exc:
            raise SpecError(str(exc)) from exc

    def named_variants(self, node: Any, name: str = "", depth: int = 0) -> list[tuple[str, Schema]]:
        """`variants`, each with the name of the component it references (or its parent's)."""
        if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            name = node["$ref"].rsplit("/", 1)[-1]
        schema = self.merged(node)
        if depth <= _MAX_DEPTH:
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
        if depth <= _MAX_DEPTH:
            for key in ("oneOf", "anyOf"):
                if key in schema:
                    return [v for part in schema[key] for v in self.variants(part, depth + 1)]
        return [schema]
