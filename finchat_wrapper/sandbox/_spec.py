"""The FinChat spec as the sandbox reads it: request validators compiled once per Sandbox.

The sandbox does not trust its callers: every body, query and path parameter is checked against
the very schemas of `openapi/finchat.yaml` (JSON Schema Draft 2020-12), so the sandbox rejects
exactly what the spec calls invalid and nothing more.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError

from .._refs import inline, resolve


def spec_file(name: str) -> Path:
    """A spec file of `openapi/`: the checkout's own, else the copy a wheel carries in `_specs/`."""
    checkout = Path(__file__).resolve().parents[2] / "openapi" / name
    return checkout if checkout.exists() else Path(__file__).resolve().parent / "_specs" / name


DEFAULT_SPEC_PATH = spec_file("finchat.yaml")
SIMULATION_SPEC_PATH = spec_file("sandbox-simulation.yaml")

# ECMA-262 white space and line terminators: what `\s` means in a JSON Schema pattern. Python's
# `re` also counts \x1c-\x1f and \x85, so a schema-valid id would be refused without this.
_ECMA_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


@functools.lru_cache(maxsize=256)
def ecma_regex(pattern: str) -> re.Pattern[str]:
    r"""Compile a JSON Schema (ECMA-262) pattern with its meaning, for Python's `re`.

    Translated: `\s` / `\S` (ECMA white space) and an unescaped `$` outside a class, which in
    ECMA matches only at the very end (Python's also before a final newline).
    """
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escaped = pattern[i + 1]
            if escaped == "s":
                out.append(_ECMA_SPACE if in_class else f"[{_ECMA_SPACE}]")
            elif escaped == "S" and not in_class:
                out.append(f"[^{_ECMA_SPACE}]")
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        elif char == "$" and not in_class:
            char = r"\Z"
        out.append(char)
        i += 1
    return re.compile("".join(out))


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Any:
    if isinstance(instance, str) and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"does not match {pattern!r}")


# The stubs leave `extend` untyped; the class it returns is a Draft 2020-12 validator.
_Validator: Any = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, {"pattern": _pattern}
)

# Formats the spec uses on request fields; other formats stay annotations.
_FORMATS = FormatChecker(formats=())


@_FORMATS.checks("int64")
def _int64(value: object) -> bool:
    return not isinstance(value, int) or -(2**63) <= value < 2**63


@_FORMATS.checks("int32")
def _int32(value: object) -> bool:
    return not isinstance(value, int) or -(2**31) <= value < 2**31


@dataclass(frozen=True)
class ParamSpec:
    name: str
    location: str  # "query" or "path"
    required: bool
    validator: Draft202012Validator
    # The JSON type the text of the parameter stands for ("integer", "boolean"), or None for
    # a string: `check_params` reads the text as that type before validating it.
    json_type: str | None = None


@dataclass(frozen=True)
class RouteSpec:
    """One operation of the spec as the sandbox serves it: where, and its request validators."""

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
    operations: dict[str, RouteSpec]  # by operation id

    def paths(self) -> dict[str, dict[str, RouteSpec]]:
        """Path template -> method -> operation."""
        out: dict[str, dict[str, RouteSpec]] = {}
        for op in self.operations.values():
            out.setdefault(op.path, {})[op.method] = op
        return out


def _compile(document: dict[str, Any]) -> Spec:
    def compiled(schema: dict[str, Any]) -> Draft202012Validator:
        # Inlining every "$ref" once here saves a registry lookup per reference per request, the
        # largest cost of validation; the spec has no recursive schema, so inlining terminates.
        validator: Draft202012Validator = _Validator(
            inline(document, schema), format_checker=_FORMATS
        )
        return validator

    operations: dict[str, RouteSpec] = {}
    for path, item in document["paths"].items():
        for method, op in item.items():
            if method not in {"get", "put", "post", "delete", "patch"}:
                continue
            body_validator = None
            media_type = None
            request_body = resolve(document, op.get("requestBody"))
            if request_body:
                media_type, media = next(iter(request_body["content"].items()))
                if media_type == "application/json":
                    body_validator = compiled(media["schema"])
            params = []
            for raw in op.get("parameters", []):
                param = resolve(document, raw)
                schema = inline(document, param["schema"])
                json_type = schema.get("type")
                params.append(
                    ParamSpec(
                        name=param["name"],
                        location=param["in"],
                        required=bool(param.get("required")),
                        validator=compiled(param["schema"]),
                        json_type=json_type if json_type in ("integer", "boolean") else None,
                    )
                )
            operations[op["operationId"]] = RouteSpec(
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


@functools.lru_cache(maxsize=4)
def load_spec(path: Path = DEFAULT_SPEC_PATH) -> Spec:
    """Parse and compile the spec; cached: validators are immutable and costly to build."""
    with path.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    return _compile(document)


def event_validator(spec: Spec) -> Draft202012Validator:
    """A validator of `EventCallback` bodies, for checking what the sandbox delivers."""
    schema = inline(spec.document, {"$ref": "#/components/schemas/EventCallback"})
    return Draft202012Validator(schema)


def schema_validator(spec: Spec, name: str) -> Draft202012Validator:
    """A validator of the spec's schema `name` (`components/schemas`), for what apps answer."""
    schema = inline(spec.document, {"$ref": f"#/components/schemas/{name}"})
    return Draft202012Validator(schema)
