"""The local `$ref`s of an OpenAPI document (`#/components/...`): followed, merged, inlined.

One module for everything that reads `openapi/*.yaml` as data: the sandbox (request validators),
the spec tests, and the docs check. Only references inside the document are followed; a JSON
Pointer's `~1` and `~0` are decoded. Every failure is a `RefError` naming the reference.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["RefError", "inline", "merged", "resolve"]

# Keywords that only describe: a "$ref" beside them alone can be replaced by its target.
_ANNOTATIONS = frozenset({"description", "title", "examples", "default", "summary"})


class RefError(ValueError):
    """A reference that cannot be followed: not local, unresolvable, or a cycle."""


def _target(document: Mapping[str, Any], ref: object) -> Any:
    if not isinstance(ref, str) or not ref.startswith("#/"):
        raise RefError(f"only local references are supported, not {ref!r}")
    target: Any = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, Mapping) or part not in target:
            raise RefError(f"unresolvable reference {ref}")
        target = target[part]
    return target


def resolve(document: Mapping[str, Any], node: Any) -> Any:
    """`node`, or what its `$ref` (and the target's, and so on) points at in `document`."""
    seen: set[str] = set()
    while isinstance(node, Mapping) and "$ref" in node:
        ref = node["$ref"]
        if ref in seen:
            raise RefError(f"reference cycle at {ref}")
        seen.add(ref)
        node = _target(document, ref)
    return node


def merged(document: Mapping[str, Any], node: Any) -> dict[str, Any]:
    """The schema `node` resolved, with its `allOf` parts folded in.

    `properties` and `required` of every part unite; any other keyword is the schema's own, or
    else the first part's that has it. A part that comes back to a schema being merged is a
    cycle: RefError.
    """
    return _merged(document, node, ())


def _merged(document: Mapping[str, Any], node: Any, stack: tuple[str, ...]) -> dict[str, Any]:
    ref = node.get("$ref") if isinstance(node, Mapping) else None
    if isinstance(ref, str):
        if ref in stack:
            raise RefError(f"reference cycle at {ref}")
        stack = (*stack, ref)
    schema = resolve(document, node)
    if not isinstance(schema, Mapping):
        raise RefError(f"expected a schema object, found {schema!r}")
    result: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    if "allOf" not in schema:
        return result
    properties: dict[str, Any] = dict(result.get("properties", {}))
    required: list[str] = list(result.get("required", []))
    for part in schema["allOf"]:
        piece = _merged(document, part, stack)
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


def inline(document: Mapping[str, Any], node: Any) -> Any:
    """`node` with every local `$ref` replaced by a copy of its target, recursively.

    A `$ref` with keywords beside it becomes `allOf: [target]` plus those keywords, unless they
    only describe. A recursive schema cannot be inlined: RefError.
    """
    return _inline(document, node, ())


def _inline(document: Mapping[str, Any], node: Any, stack: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_inline(document, value, stack) for value in node]
    if not isinstance(node, Mapping):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        if ref in stack:
            raise RefError(f"recursive schema {ref} cannot be inlined")
        target = _inline(document, resolve(document, {"$ref": ref}), (*stack, ref))
        siblings = {k: _inline(document, v, stack) for k, v in node.items() if k != "$ref"}
        if not siblings.keys() - _ANNOTATIONS:
            return target
        return {"allOf": [target], **siblings}
    return {key: _inline(document, value, stack) for key, value in node.items()}
