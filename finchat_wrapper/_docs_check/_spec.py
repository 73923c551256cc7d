"""Extract from the OpenAPI spec files the same facts the document gives.

Several files describe the API (the FinChat host's, the IAM's); their facts are merged. Per file:

- Operations: every method under `paths`, and every webhook under `webhooks` (path
  `WEBHOOK_PATH`: the document gives a callback no path). The path is prefixed with the path of
  the operation's server URL (variables at their defaults); its host is None when its server's
  host is that of the first file's first server (the FinChat host), else that server's URL.
- Not compared: a path item, operation, parameter or schema marked `x-not-in-document` (what the
  spec adds that the document does not describe, such as OpenID discovery).
- Request: path and query parameters (header and cookie parameters are not in the document's
  tables), and the properties of the body (JSON, else form, else multipart); `body` holds the
  kinds of every media type listed. `auth` comes from the operation's `security` (else the
  file's): HTTP bearer, OAuth 2 and OpenID Connect are `bearer`, HTTP basic `basic`, `[]` or an
  empty requirement `none`.
- Response: the properties of the first 2xx response (an array answer is unwrapped to its items,
  because the document's tables describe the items); `statuses` are its 2xx and 3xx codes,
  `shape` `array`, `object` or, with only a 3xx answer, `redirect`, whose fields are those of the
  schema its `x-redirect-query` names (the query the redirect carries).
- Fields: `$ref` resolved, `allOf` merged (properties and `required` of every part). A `oneOf` or
  `anyOf` has a type when all its variants agree; its fields are not listed (`children` None): the
  variants are compared one by one where the document shows them (message types and events).
  `values` are the field's `enum` or `const` values, in any of its variants, or those of the
  schema `x-known-values` names (for an open string whose known values a schema lists).
- Errcodes: the values of the `ErrorCode` schema (`enum`, or `const`s of its `oneOf`/`anyOf`).
- Error envelope: the schema most of the FinChat host's error responses answer with.
- Message types: per operation, every object schema under the request body whose `msgtype`
  property is a constant, keyed by it.
- Events: the variants, with a constant `type`, of the properties of the webhook bodies, keyed by
  that constant plus `content.msgtype` when that is a constant too (plus the schema's name where
  several share a key); variants without a constant `type` (an open "any other event") are not
  events of the document. Each carries a matcher (`fits`), by which the comparison finds the
  schema a document example is.
- Decisions: every `x-document-inconsistency` text (a string or a list of strings), per operation
  (all the nodes reachable from it) and for the callbacks.
- Nesting: fields are listed down to `MAX_DEPTH` objects deep, which also ends a recursive schema.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ._model import (
    ANY,
    WEBHOOK_PATH,
    DocumentedOperation,
    EventMatcher,
    Facts,
    Field,
    Form,
    Location,
    Request,
    SpecError,
    merged_request,
)
from ._refs import Resolver, Schema

ERRCODE_SCHEMA = "ErrorCode"
NOT_IN_DOCUMENT = "x-not-in-document"
INCONSISTENCY = "x-document-inconsistency"
REDIRECT_QUERY = "x-redirect-query"
KNOWN_VALUES = "x-known-values"
MAX_DEPTH = 16
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number"}


def _skipped(*nodes: Any) -> bool:
    return any(isinstance(node, Mapping) and NOT_IN_DOCUMENT in node for node in nodes)


class _Schemas:
    """The field views of one spec file's schemas."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver

    def type_of(self, node: Any) -> str:
        variants = self.resolver.variants(node)
        types = {self._single_type(v) for v in variants if not _skipped(v)}
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

    def values(self, node: Any) -> tuple[str, ...] | None:
        """A field's closed list: its `enum`/`const` (any variant), or what `x-known-values`
        gives (a schema's name or `$ref`, whose values those are, or the list itself)."""
        found: list[str] = []
        known = node.get(KNOWN_VALUES) if isinstance(node, Mapping) else None
        if known is None:
            known = self.resolver.resolve(node).get(KNOWN_VALUES)
        if isinstance(known, list):
            return tuple(str(value) for value in known)
        if known is not None:
            node = _component(self.resolver, known)
        for variant in self.resolver.variants(node):
            if "const" in variant:
                found.append(str(variant["const"]))
            for value in variant.get("enum") or []:
                found.append(str(value))
        return tuple(dict.fromkeys(found)) if found else None

    def field(self, name: str, node: Any, required: bool | None, depth: int = 0) -> Field:
        type_ = self.type_of(node)
        target = node
        if type_.startswith("array<"):
            target = self.resolver.resolve(node).get("items", {})
        children, free_form = self.children(target, depth)
        return Field(name, type_, required, children, True, free_form, values=self.values(node))

    def children(self, node: Any, depth: int = 0) -> tuple[dict[str, Field] | None, bool]:
        """The fields of an object schema; None for a oneOf, a non-object or a map (then True)."""
        variants = [v for v in self.resolver.variants(node) if not _skipped(v)]
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
            if not _skipped(sub, self.resolver.resolve(sub))
        }
        return fields, False


@dataclass(frozen=True)
class _Raw:
    method: str
    path: str
    op: Mapping[str, Any]
    shared: list[Any]
    servers: Any


def _raw_operations(document: Mapping[str, Any]) -> Iterator[_Raw]:
    for path, item in (document.get("paths") or {}).items():
        if _skipped(item):
            continue
        for method in _HTTP_METHODS:
            if method in item and not _skipped(item[method]):
                op = item[method]
                servers = op.get("servers") or item.get("servers") or document.get("servers")
                yield _Raw(method.upper(), path, op, item.get("parameters", []), servers)
    for item in (document.get("webhooks") or {}).values():
        if _skipped(item):
            continue
        for method in _HTTP_METHODS:
            if method in item and not _skipped(item[method]):
                yield _Raw(method.upper(), WEBHOOK_PATH, item[method], [], None)


def _server(servers: Any) -> tuple[str, str]:
    """The host part and the path part (variables at their defaults) of the first server."""
    if not servers or not isinstance(servers[0], Mapping):
        return "", ""
    url = str(servers[0].get("url", ""))
    scheme, separator, rest = url.partition("://")
    host, path = (rest.partition("/")[0], "/" + rest.partition("/")[2]) if separator else ("", url)
    host = f"{scheme}://{host}" if separator else ""
    for name, variable in (servers[0].get("variables") or {}).items():
        path = path.replace("{" + name + "}", str(variable.get("default", "")))
    return host, path.rstrip("/")


def _media_schema(resolver: Resolver, holder: Any) -> tuple[Any | None, frozenset[str]]:
    """The schema of a body or response (JSON, else form, else multipart), and its media kinds."""
    if holder is None:
        return None, frozenset()
    content = resolver.resolve(holder).get("content") or {}
    kinds: set[str] = set()
    chosen: dict[str, Any] = {}
    for media, body in content.items():
        kind = _media_kind(str(media))
        kinds.add(kind)
        if isinstance(body, Mapping) and "schema" in body:
            chosen.setdefault(kind, body["schema"])
    for kind in ("json", "form", "multipart"):
        if kind in chosen:
            return chosen[kind], frozenset(kinds)
    return None, frozenset(kinds)


def _media_kind(media: str) -> str:
    media = media.lower()
    if media == "application/json" or media.endswith("+json"):
        return "json"
    if media == "application/x-www-form-urlencoded":
        return "form"
    if media.startswith("multipart/"):
        return "multipart"
    return "binary"


def _codes(responses: Mapping[str, Any], low: int, high: int) -> list[str]:
    return sorted(
        str(code) for code in responses if str(code).isdigit() and low <= int(str(code)) < high
    )


def _message_types(schemas: _Schemas, node: Any, found: dict[str, Field], depth: int = 0) -> None:
    if depth >= MAX_DEPTH:
        return
    resolver = schemas.resolver
    for schema in resolver.variants(node):
        if _skipped(schema):
            continue
        properties = schema.get("properties") or {}
        msgtype = properties.get("msgtype")
        const = resolver.resolve(msgtype).get("const") if msgtype is not None else None
        if isinstance(const, str):
            children, free_form = schemas.children(schema)
            found[const] = Field(const, "object", None, children, True, free_form)
            continue
        for sub in properties.values():
            _message_types(schemas, sub, found, depth + 1)
        if "items" in schema:
            _message_types(schemas, schema["items"], found, depth + 1)


def decisions(resolver: Resolver, node: Any) -> tuple[str, ...]:
    """Every `x-document-inconsistency` text in a node and what it references."""
    found: list[str] = []
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Mapping) and "$ref" in current:
            try:
                current = resolver.resolve(current)
            except SpecError:
                continue
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, Mapping):
            text = current.get(INCONSISTENCY)
            if isinstance(text, str):
                found.append(text)
            elif isinstance(text, list):
                found += [str(item) for item in text]
            stack += [value for key, value in current.items() if key != INCONSISTENCY]
        elif isinstance(current, list):
            stack += current
    return tuple(dict.fromkeys(found))


def _security(document: Mapping[str, Any], op: Mapping[str, Any]) -> frozenset[str] | None:
    requirements = op.get("security", document.get("security"))
    if requirements is None:
        return frozenset({"none"})
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    kinds: set[str] = set()
    for requirement in requirements:
        if not requirement:
            kinds.add("none")
        for name in requirement:
            scheme = schemes.get(name) or {}
            kind = str(scheme.get("type", "")).lower()
            if kind == "http":
                kinds.add(str(scheme.get("scheme", "")).lower())
            elif kind in ("oauth2", "openidconnect"):
                kinds.add("bearer")
            else:
                kinds.add(kind or name)
    return frozenset(kinds or {"none"})


def _operation(
    schemas: _Schemas, document: Mapping[str, Any], raw: _Raw, main_host: str
) -> DocumentedOperation:
    resolver = schemas.resolver
    op = raw.op
    request: dict[tuple[Location, str], Field] = {}
    parameters: dict[tuple[str, str], Any] = {}
    for node in [*raw.shared, *op.get("parameters", [])]:
        parameter = resolver.resolve(node)
        if not _skipped(node, parameter):
            parameters[(parameter["in"], parameter["name"])] = parameter
    for (where, name), parameter in parameters.items():
        schema = parameter.get("schema", {})
        if where == "path":
            request[("path", name)] = schemas.field(name, schema, True)
        elif where == "query":
            required = bool(parameter.get("required", False))
            request[("query", name)] = schemas.field(name, schema, required)
    body, body_kinds = _media_schema(resolver, op.get("requestBody"))
    messages: dict[str, Field] = {}
    forms: tuple[Form, ...] = ()
    if body is not None:
        fields, _ = schemas.children(body)
        variants = [v for v in resolver.variants(body) if not _skipped(v)]
        if fields is None and len(variants) > 1 and all("properties" in v for v in variants):
            # One request in several forms (a token endpoint's grants): each is compared.
            forms = tuple(
                Form({**request, **_body_fields(schemas, variant)}) for variant in variants
            )
            request = merged_request([form.request for form in forms])
        for name, fld in (fields or {}).items():
            request[("body", name)] = fld
        if raw.path != WEBHOOK_PATH:  # the contents a webhook carries are its events
            _message_types(schemas, body, messages)

    responses = op.get("responses") or {}
    successes = [code for code in _codes(responses, 200, 300) if not _skipped(responses[code])]
    redirects = _codes(responses, 300, 400)
    response: dict[str, Field] = {}
    shape: str | None = None
    if successes:
        schema, _ = _media_schema(resolver, responses[successes[0]])
        if schema is not None:
            target = schema
            type_ = schemas.type_of(schema)
            shape = "array" if type_.startswith("array<") else type_
            if type_.startswith("array<"):
                target = resolver.resolve(schema).get("items", {})
            response = schemas.children(target)[0] or {}
    elif redirects:
        shape = "redirect"
        response = _redirect_query(schemas, responses[redirects[0]])
    host, prefix = _server(raw.servers)
    path = raw.path if raw.path == WEBHOOK_PATH else prefix + raw.path
    summary = op.get("summary")
    return DocumentedOperation(
        raw.method,
        path,
        request,
        response,
        messages,
        heading=summary if isinstance(summary, str) else "",
        host=None if raw.path == WEBHOOK_PATH or host == main_host else host,
        body=body_kinds,
        auth=_security(document, op),
        statuses=frozenset(int(code) for code in [*successes, *redirects]),
        shape=shape,
        decisions=decisions(resolver, op),
        forms=forms,
    )


def _component(resolver: Resolver, reference: Any) -> Any:
    """A schema given by name (`AppStatus`) or by `$ref`, as the vendor extensions give it."""
    if isinstance(reference, str):
        return {"$ref": f"#/components/schemas/{reference}"}
    return reference


def _redirect_query(schemas: _Schemas, response: Any) -> dict[str, Field]:
    """The query fields of a redirect: the schema `x-redirect-query` names on a 3xx answer."""
    reference = schemas.resolver.resolve(response).get(REDIRECT_QUERY)
    if reference is None:
        return {}
    return schemas.children(_component(schemas.resolver, reference))[0] or {}


def _body_fields(schemas: _Schemas, variant: Schema) -> Request:
    fields, _ = schemas.children(variant)
    return {("body", name): fld for name, fld in (fields or {}).items()}


def _error_envelope(
    schemas: _Schemas, document: Mapping[str, Any], main_host: str
) -> dict[str, Field] | None:
    resolver = schemas.resolver
    counts: Counter[int] = Counter()
    by_id: dict[int, Any] = {}
    for raw in _raw_operations(document):
        if raw.path != WEBHOOK_PATH and _server(raw.servers)[0] != main_host:
            continue
        for code, response in (raw.op.get("responses") or {}).items():
            if str(code).isdigit() and int(str(code)) < 400:
                continue
            schema, _ = _media_schema(resolver, response)
            if schema is not None:
                resolved = resolver.resolve(schema)
                counts[id(resolved)] += 1
                by_id[id(resolved)] = schema
    if not counts:
        return None
    return schemas.children(by_id[counts.most_common(1)[0][0]])[0] or {}


def _event_key(resolver: Resolver, variant: Schema) -> str | None:
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


def _events(
    schemas: _Schemas, document: Mapping[str, Any]
) -> list[tuple[str, str, Field, EventMatcher]]:
    """(key, schema name, fields, matcher) of the event schemas of the webhook bodies.

    An event schema is a variant, with a constant `type`, of a property of a webhook body; a
    variant without one (an open "any other event") is no event of the document.
    """
    resolver = schemas.resolver
    events: list[tuple[str, str, Field, EventMatcher]] = []
    for raw in _raw_operations(document):
        body = _media_schema(resolver, raw.op.get("requestBody"))[0]
        if raw.path != WEBHOOK_PATH or body is None:
            continue
        for holder in (resolver.merged(body).get("properties") or {}).values():
            for name, variant in resolver.named_variants(holder):
                key = _event_key(resolver, variant)
                if key is None or _skipped(variant):
                    continue
                fields = Field(key, "object", None, schemas.children(variant)[0], True)
                events.append((key, name, fields, _matcher(resolver, variant)))
    return events


def _matcher(resolver: Resolver, schema: Schema) -> EventMatcher:
    def matches(value: Any, strict: bool) -> bool:
        return fits(resolver, schema, value, strict)

    return matches


def fits(resolver: Resolver, node: Any, value: Any, strict: bool, depth: int = 0) -> bool:
    """Whether a value is valid against a schema: in every constraint the docs check needs
    (`strict`), or only in its `const`, `enum` and `not` (what tells variants apart)."""
    if depth > MAX_DEPTH:
        return True
    try:
        schema = resolver.resolve(node)
    except SpecError:
        return True
    if "const" in schema and value != schema["const"]:
        return False
    if "enum" in schema and value not in schema["enum"]:
        return False
    if "not" in schema and fits(resolver, schema["not"], value, True, depth + 1):
        return False
    for part in schema.get("allOf") or []:
        if not fits(resolver, part, value, strict, depth + 1):
            return False
    for key in ("oneOf", "anyOf"):
        if key in schema and not any(
            fits(resolver, part, value, strict, depth + 1) for part in schema[key]
        ):
            return False
    if strict and not _type_fits(schema.get("type"), value):
        return False
    if isinstance(value, dict):
        if strict and any(name not in value for name in schema.get("required") or []):
            return False
        properties = schema.get("properties") or {}
        for name, item in value.items():
            if name in properties:
                if not fits(resolver, properties[name], item, strict, depth + 1):
                    return False
            elif strict and schema.get("additionalProperties") is False:
                return False
    if strict and isinstance(value, list) and "items" in schema:
        return all(fits(resolver, schema["items"], item, strict, depth + 1) for item in value)
    return True


def _type_fits(declared: Any, value: Any) -> bool:
    if declared is None:
        return True
    types = declared if isinstance(declared, list) else [declared]
    actual = {
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "string",
        dict: "object",
        list: "array",
        type(None): "null",
    }.get(type(value), "")
    return actual in types or (actual == "integer" and "number" in types)


def _errcodes(resolver: Resolver, document: Mapping[str, Any]) -> dict[str, int | None] | None:
    codes = ((document.get("components") or {}).get("schemas") or {}).get(ERRCODE_SCHEMA)
    if codes is None:
        return None
    found: list[str] = []
    for variant in resolver.variants(codes):
        if _skipped(variant):
            continue
        if "const" in variant:
            found.append(str(variant["const"]))
        found += [str(code) for code in variant.get("enum") or []]
    return {code: None for code in found}


def extract(documents: list[Any]) -> Facts:
    """The merged facts of parsed spec files (the first is the FinChat host's)."""
    try:
        return _extract(documents)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        if isinstance(exc, SpecError):
            raise
        # openapi-spec-validator checks the spec in CI; this only keeps a broken one readable.
        raise SpecError(f"the spec is not valid OpenAPI: {type(exc).__name__} {exc}") from exc


def _extract(documents: list[Any]) -> Facts:
    operations: dict[tuple[str, str], DocumentedOperation] = {}
    errcodes: dict[str, int | None] | None = None
    envelope: dict[str, Field] | None = None
    found: list[tuple[str, str, Field, EventMatcher]] = []
    every: list[str] = []
    on_events: list[str] = []
    main_host: str | None = None
    for document in documents:
        if not isinstance(document, Mapping) or not str(document.get("openapi", "")).startswith(
            "3."
        ):
            raise SpecError("not an OpenAPI 3 document")
        resolver = Resolver(document)
        schemas = _Schemas(resolver)
        if main_host is None:
            main_host = _server(document.get("servers"))[0]
        for raw in _raw_operations(document):
            operation = _operation(schemas, document, raw, main_host)
            if operation.key in operations:
                raise SpecError(f"{operation.title} is defined twice")
            operations[operation.key] = operation
            if raw.path == WEBHOOK_PATH:
                on_events += operation.decisions
        codes = _errcodes(resolver, document)
        if codes is not None:
            errcodes = {**(errcodes or {}), **codes}
        if envelope is None:
            envelope = _error_envelope(schemas, document, main_host)
        found += _events(schemas, document)
        every += decisions(resolver, document)
    if errcodes is None:
        raise SpecError(f"no spec file has components/schemas/{ERRCODE_SCHEMA} with its errcodes")
    # Keys are the event type (and msgtype); the schema's name tells apart those that share one.
    counts = Counter(key for key, _, _, _ in found)
    events: dict[str, Field] = {}
    matchers: dict[str, EventMatcher] = {}
    for key, name, fields, matcher in found:
        unique = key if counts[key] == 1 else f"{key} [{name}]"
        if unique in events:
            raise SpecError(f"two event schemas are both {unique}")
        events[unique] = replace(fields, name=unique)
        matchers[unique] = matcher
    return Facts(
        operations,
        errcodes,
        envelope,
        events,
        event_matchers=matchers,
        decisions=tuple(dict.fromkeys(every)),
        event_decisions=tuple(dict.fromkeys(on_events)),
    )
