"""The FinChat spec as the sandbox reads it: request validators compiled once per Sandbox.

The sandbox does not trust its callers: every body, query and path parameter is checked against
the very schemas of `openapi/finchat.yaml` (JSON Schema Draft 2020-12), so the sandbox rejects
exactly what the spec calls invalid and nothing more.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

# The spec lives next to the package in a checkout (and in the sdist); an installed wheel must be
# given `spec_path` explicitly.
DEFAULT_SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "finchat.yaml"

_SPEC_URI = "urn:finchat:spec"


@dataclass(frozen=True)
class ParamSpec:
    name: str
    location: str  # "query" or "path"
    required: bool
    validator: Draft202012Validator


@dataclass(frozen=True)
class OperationSpec:
    operation_id: str
    method: str
    path: str
    body: Draft202012Validator | None
    body_media_type: str | None
    body_required: bool
    params: tuple[ParamSpec, ...]
    secured: bool


@dataclass(frozen=True)
class Spec:
    document: dict[str, Any]
    operations: dict[str, OperationSpec]  # by operation id

    def paths(self) -> dict[str, dict[str, OperationSpec]]:
        """Path template -> method -> operation."""
        out: dict[str, dict[str, OperationSpec]] = {}
        for op in self.operations.values():
            out.setdefault(op.path, {})[op.method] = op
        return out


def _resolve(document: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        ref: str = node["$ref"]
        target: Any = document
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _compile(document: dict[str, Any]) -> Spec:
    registry: Registry[Any] = Registry().with_resource(
        _SPEC_URI, Resource.from_contents(document, default_specification=DRAFT202012)
    )

    def compiled(schema: dict[str, Any]) -> Draft202012Validator:
        # A local "$ref" would resolve against the wrapper, so rewrite it to the spec URI.
        return Draft202012Validator(_absolute(schema), registry=registry)

    operations: dict[str, OperationSpec] = {}
    for path, item in document["paths"].items():
        for method, op in item.items():
            if method not in {"get", "put", "post", "delete", "patch"}:
                continue
            body_validator = None
            media_type = None
            request_body = _resolve(document, op.get("requestBody"))
            if request_body:
                media_type, media = next(iter(request_body["content"].items()))
                if media_type == "application/json":
                    body_validator = compiled(media["schema"])
            params = []
            for raw in op.get("parameters", []):
                param = _resolve(document, raw)
                params.append(
                    ParamSpec(
                        name=param["name"],
                        location=param["in"],
                        required=bool(param.get("required")),
                        validator=compiled(param["schema"]),
                    )
                )
            operations[op["operationId"]] = OperationSpec(
                operation_id=op["operationId"],
                method=method.upper(),
                path=path,
                body=body_validator,
                body_media_type=media_type,
                body_required=bool(request_body and request_body.get("required")),
                params=tuple(params),
                secured=bool(op.get("security")),
            )
    return Spec(document=document, operations=operations)


def _absolute(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: (
                _SPEC_URI + value if key == "$ref" and value.startswith("#") else _absolute(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_absolute(value) for value in node]
    return node


@functools.lru_cache(maxsize=4)
def load_spec(path: Path = DEFAULT_SPEC_PATH) -> Spec:
    """Parse and compile the spec; cached: validators are immutable and costly to build."""
    with path.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    return _compile(document)


def event_validator(spec: Spec) -> Draft202012Validator:
    """A validator of `EventCallback` bodies, for checking what the sandbox delivers."""
    registry: Registry[Any] = Registry().with_resource(
        _SPEC_URI, Resource.from_contents(spec.document, default_specification=DRAFT202012)
    )
    return Draft202012Validator(
        {"$ref": _SPEC_URI + "#/components/schemas/EventCallback"}, registry=registry
    )
