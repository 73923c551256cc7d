"""Extract from the OpenAPI spec the same facts the document gives.

- Operations: every method under `paths`, and every webhook under `webhooks` (path
  `WEBHOOK_PATH`: the document gives the callback no path).
- Request: path and query parameters (header and cookie parameters are not in the document's
  tables), and the properties of an `application/json` body.
- Response: the properties of the first 2xx JSON response; an array answer is unwrapped to its
  items, because the document's tables describe the items and have no notation for a list.
- Fields: `$ref` resolved, `allOf` merged (properties and `required` of every part). A `oneOf` or
  `anyOf` has a type when all its variants agree; its fields are not listed (`children` None): the
  variants are compared one by one where the document shows them (message types and events).
- Errcodes: the enum of the `ErrorCode` schema, the spec's list of the known codes.
- Error envelope: the schema of the JSON bodies of the non-2xx responses (one schema for all).
- Message types: per operation, every object schema under the request body whose `msgtype`
  property is a constant, keyed by it.
- Events: the variants of every property of a webhook body whose variants all have a constant
  `type` (`event`), keyed by that constant plus `content.msgtype` when that is a constant too.
- Nesting: fields are listed down to `MAX_DEPTH` objects deep, which also ends a recursive schema.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ._model import ANY, WEBHOOK_PATH, Facts, Field, Location, Operation, SpecError

ERRCODE_SCHEMA = "ErrorCode"
MAX_DEPTH = 16
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number"}

Schema = Mapping[str, Any]


class _Resolver:
    def __init__(self, document: Mapping[str, Any]) -> None:
        self._document = document

    def resolve(self, node: Any) -> Schema:
        seen: set[str] = set()
        while isinstance(node, Mapping) and "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                raise SpecError(f"only local references are supported, not {ref!r}")
            if ref in seen:
                raise SpecError(f"reference cycle at {ref}")
            seen.add(ref)
            target: Any = self._document
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, Mapping) or part not in target:
                    raise SpecError(f"unresolvable reference {ref}")
                target = target[part]
            node = target
        if not isinstance(node, Mapping):
            raise SpecError(f"expected a schema object, found {node!r}")
        return node

    def merged(self, node: Any) -> Schema:
        """The schema with its `allOf` parts folded in (properties and `required` unite)."""
        schema = self.resolve(node)
        if "allOf" not in schema:
            return schema
        result: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        properties: dict[str, Any] = dict(result.get("properties", {}))
        required: list[str] = list(result.get("required", []))
        for part in schema["allOf"]:
            piece = self.merged(part)
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

    def variants(self, node: Any) -> list[Schema]:
        schema = self.merged(node)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return [v for part in schema[key] for v in self.variants(part)]
        return [schema]

    def type_of(self, node: Any) -> str:
        variants = self.variants(node)
        types = {self._single_type(v) for v in variants}
        return types.pop() if len(types) == 1 else ANY

    def _single_type(self, schema: Schema) -> str:
        declared = schema.get("type")
        if isinstance(declared, list):
            declared = [t for t in declared if t != "null"]
            declared = declared[0] if len(declared) == 1 else None
        if declared is None:
            if "const" in schema:
                declared = _JSON_TYPES.get(type(schema["const"]))
            elif "properties" in schema:
                declared = "object"
            elif "items" in schema:
                declared = "array"
        if declared == "array":
            items = schema.get("items")
            return f"array<{self.type_of(items) if items is not None else ANY}>"
        return declared if isinstance(declared, str) else ANY

    def field(self, name: str, node: Any, required: bool | None, depth: int = 0) -> Field:
        type_ = self.type_of(node)
        target = node
        if type_.startswith("array<"):
            target = self.resolve(node).get("items", {})
        children, free_form = self.children(target, depth)
        return Field(name, type_, required, children, True, free_form)

    def children(self, node: Any, depth: int = 0) -> tuple[dict[str, Field] | None, bool]:
        """The fields of an object schema; None for a oneOf, a non-object or a map (then True)."""
        variants = self.variants(node)
        if len(variants) != 1 or depth >= MAX_DEPTH:
            return None, False
        schema = variants[0]
        if self._single_type(schema) != "object":
            return None, False
        properties = schema.get("properties")
        if not properties:
            return None, True
        required = set(schema.get("required", []))
        fields = {
            name: self.field(name, sub, name in required, depth + 1)
            for name, sub in properties.items()
        }
        return fields, False


def _operations(document: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any], Any]]:
    for path, item in (document.get("paths") or {}).items():
        for method in _HTTP_METHODS:
            if method in item:
                yield method.upper(), path, item[method], item.get("parameters", [])
    for item in (document.get("webhooks") or {}).values():
        for method in _HTTP_METHODS:
            if method in item:
                yield method.upper(), WEBHOOK_PATH, item[method], item.get("parameters", [])


def _json_schema(resolver: _Resolver, holder: Any) -> Any | None:
    """The schema of the JSON content of a request body or response, if it has one."""
    if holder is None:
        return None
    content = resolver.resolve(holder).get("content") or {}
    for media, body in content.items():
        if media == "application/json" or media.endswith("+json"):
            return body.get("schema")
    return None


def _success(responses: Mapping[str, Any]) -> Any | None:
    codes = sorted(str(code) for code in responses if str(code).startswith("2"))
    return responses[codes[0]] if codes else None


def _message_types(resolver: _Resolver, node: Any, found: dict[str, Field], depth: int = 0) -> None:
    if depth >= MAX_DEPTH:
        return
    for schema in resolver.variants(node):
        properties = schema.get("properties") or {}
        msgtype = properties.get("msgtype")
        const = resolver.resolve(msgtype).get("const") if msgtype is not None else None
        if isinstance(const, str):
            children, free_form = resolver.children(schema)
            found[const] = Field(const, "object", None, children, True, free_form)
            continue
        for sub in properties.values():
            _message_types(resolver, sub, found, depth + 1)
        if "items" in schema:
            _message_types(resolver, schema["items"], found, depth + 1)


def _operation(
    resolver: _Resolver, method: str, path: str, op: Mapping[str, Any], shared: Any
) -> Operation:
    request: dict[tuple[Location, str], Field] = {}
    parameters: dict[tuple[str, str], Any] = {}
    for raw in [*shared, *op.get("parameters", [])]:
        parameter = resolver.resolve(raw)
        parameters[(parameter["in"], parameter["name"])] = parameter
    for (where, name), parameter in parameters.items():
        if where == "path":
            schema = parameter.get("schema", {})
            request[("path", name)] = resolver.field(name, schema, True)
        elif where == "query":
            required = bool(parameter.get("required", False))
            request[("query", name)] = resolver.field(name, parameter.get("schema", {}), required)
    body = _json_schema(resolver, op.get("requestBody"))
    messages: dict[str, Field] = {}
    if body is not None:
        fields, _ = resolver.children(body)
        for name, fld in (fields or {}).items():
            request[("body", name)] = fld
        if path != WEBHOOK_PATH:  # the contents a webhook carries are its events
            _message_types(resolver, body, messages)
    response_schema = _json_schema(resolver, _success(op.get("responses") or {}))
    response: dict[str, Field] = {}
    if response_schema is not None:
        target = response_schema
        if resolver.type_of(target).startswith("array<"):
            target = resolver.resolve(target).get("items", {})
        response = resolver.children(target)[0] or {}
    return Operation(method, path, request, response, messages)


def _error_envelope(resolver: _Resolver, document: Mapping[str, Any]) -> dict[str, Field] | None:
    schemas: dict[int, Any] = {}
    for _, _, op, _ in _operations(document):
        for code, response in (op.get("responses") or {}).items():
            if str(code).startswith("2"):
                continue
            schema = _json_schema(resolver, response)
            if schema is not None:
                schemas[id(resolver.resolve(schema))] = schema
    if not schemas:
        return None
    if len(schemas) > 1:
        raise SpecError("the error responses do not share one schema")
    return resolver.children(next(iter(schemas.values())))[0] or {}


def _event_key(resolver: _Resolver, variant: Schema) -> str | None:
    properties = variant.get("properties") or {}
    type_const = resolver.resolve(properties.get("type", {})).get("const")
    if not isinstance(type_const, str):
        return None
    content = properties.get("content")
    if content is not None:
        content_props = resolver.merged(content).get("properties") or {}
        msgtype = resolver.resolve(content_props.get("msgtype", {})).get("const")
        if isinstance(msgtype, str):
            return f"{type_const} ({msgtype})"
    return type_const


def _events(resolver: _Resolver, document: Mapping[str, Any]) -> dict[str, Field]:
    """Variants, with a constant `type`, of the properties of the webhook bodies."""
    events: dict[str, Field] = {}
    for _, path, op, _ in _operations(document):
        body = _json_schema(resolver, op.get("requestBody")) if path == WEBHOOK_PATH else None
        if body is None:
            continue
        for holder in (resolver.merged(body).get("properties") or {}).values():
            variants = resolver.variants(holder)
            keyed = [(key, v) for v in variants if (key := _event_key(resolver, v)) is not None]
            if len(keyed) != len(variants):
                continue  # not an event: a variant without a constant `type`
            for key, variant in keyed:
                if key in events:
                    raise SpecError(f"two event schemas are both {key}")
                events[key] = Field(key, "object", None, resolver.children(variant)[0], True)
    return events


def extract(document: Any) -> Facts:
    """The facts of a parsed spec; raises `SpecError` if it lacks something needed."""
    try:
        return _extract(document)
    except (KeyError, TypeError, AttributeError) as exc:
        # openapi-spec-validator checks the spec in CI; this only keeps a broken one readable.
        raise SpecError(f"the spec is not valid OpenAPI: {type(exc).__name__} {exc}") from exc


def _extract(document: Any) -> Facts:
    if not isinstance(document, Mapping) or not str(document.get("openapi", "")).startswith("3."):
        raise SpecError("not an OpenAPI 3 document")
    resolver = _Resolver(document)
    operations: dict[tuple[str, str], Operation] = {}
    for method, path, op, shared in _operations(document):
        operation = _operation(resolver, method, path, op, shared)
        if operation.key in operations:
            raise SpecError(f"{operation.title} is defined twice")
        operations[operation.key] = operation
    codes = ((document.get("components") or {}).get("schemas") or {}).get(ERRCODE_SCHEMA)
    if codes is None or not isinstance(resolver.resolve(codes).get("enum"), list):
        raise SpecError(f"components/schemas/{ERRCODE_SCHEMA} with an enum of errcodes is missing")
    errcodes: dict[str, int | None] = {str(code): None for code in resolver.resolve(codes)["enum"]}
    return Facts(
        operations, errcodes, _error_envelope(resolver, document), _events(resolver, document)
    )
