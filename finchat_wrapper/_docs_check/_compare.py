"""Compare the facts of the document with those of the spec.

What is compared, section by section:

- operations: present on one side only, by method and path (parameter names and styles aside:
  `:fcid`, `{fcid}`, `${id}` are one route; the query string gives query parameters). Per
  operation the request (path and query parameters, JSON body fields) and the response fields:
  present on one side only, type, required flag. A spec answer that is an array is compared by
  its items (the document's tables have no notation for a list); an operation without a response
  table has no response fields.
- error envelope: the fields of the error body (the table under the document's error heading).
- errcodes: present on one side only.
- message types: per operation, the `msgtype` values of the request examples against the spec's
  message content schemas; per message type, the fields the example shows.
- events: event types (`type`, plus `content.msgtype` for messages); per event, the rows of the
  event table and the fields its example shows. A difference of a table row is the same for every
  event type: it is reported once, under `every event`.

What is deliberately not compared, by generic rules (none names anything of the document):

- Inside an object, only where the document defines the object's fields. A table defines them
  all: then fields on either side only are differences. An example shows some: then a field it
  shows that the spec lacks is a difference, and a spec field it omits is one only if the spec
  requires it (an example may leave optional fields out). An `Object` row without a table, an empty
  `{}` example, a spec `oneOf` (compared variant by variant under message types and events) and a
  spec map without declared properties (free-form) are not looked into. This is what leaves out
  the spec's richer CUI card schemas, which the document refers to another document for.
- Required flags only where the document says: tables with a `是否必须` column (not the response
  tables, not the callback's table) and path parameters; never for example fields.
- Types where one side says nothing: a parameter only named in the address, a spec schema without
  a type, a spec `oneOf` whose variants have different types.
- The top level of request examples: the request table is authoritative (DECISIONS.md records the
  one example that contradicts it), so examples are read for message contents and events only.
- Response examples, request headers, HTTP statuses, descriptions, formats (`int64` is `integer`),
  patterns and limits: the document either has none or they are the spec's own decisions
  (openapi/DECISIONS.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from ._model import ANY, Difference, Facts, Field, Kind, Location, Operation

_LOCATIONS: dict[Location, str] = {
    "path": "path parameter",
    "query": "query parameter",
    "body": "request body field",
}


@dataclass(frozen=True)
class Comparison:
    differences: list[Difference]
    compared: dict[str, int]  # what both sides have in common, per section


def compare(doc: Facts, spec: Facts) -> Comparison:
    differences: list[Difference] = []
    operations = Where("operations", "", "operation")
    differences += _presence(
        {op.title: op.line for key, op in doc.operations.items() if key not in spec.operations},
        [op.title for key, op in spec.operations.items() if key not in doc.operations],
        operations,
    )
    common = [
        (op, spec.operations[key]) for key, op in doc.operations.items() if key in spec.operations
    ]
    for op, other in common:
        differences += _operation(op, other)

    if doc.error_envelope is not None:
        where = Where("error envelope", "", "field")
        differences += _fields(doc.error_envelope, spec.error_envelope or {}, where, True)
    elif spec.error_envelope is not None:
        differences.append(Difference("error envelope", "", "spec-only", "error envelope table"))

    differences += _presence(
        {code: line for code, line in doc.errcodes.items() if code not in spec.errcodes},
        [code for code in spec.errcodes if code not in doc.errcodes],
        Where("errcodes", "", "errcode"),
    )

    message_types = 0
    for op, other in common:
        differences += _presence(
            {t: c.line for t, c in op.message_types.items() if t not in other.message_types},
            [t for t in other.message_types if t not in op.message_types],
            Where("message types", op.title, "message type"),
        )
        for msgtype, content in op.message_types.items():
            if msgtype in other.message_types:
                message_types += 1
                where = Where("message types", f"{op.title} {msgtype}", "content field")
                differences += _object(content, other.message_types[msgtype], where)

    differences += _presence(
        {key: event.line for key, event in doc.events.items() if key not in spec.events},
        [key for key in spec.events if key not in doc.events],
        Where("events", "", "event type"),
    )
    differences += _events(doc, spec)

    compared = {
        "operations": len(common),
        "error envelope": int(doc.error_envelope is not None and spec.error_envelope is not None),
        "errcodes": len(doc.errcodes.keys() & spec.errcodes.keys()),
        "message types": message_types,
        "events": len(doc.events.keys() & spec.events.keys()),
    }
    return Comparison(differences, compared)


def _events(doc: Facts, spec: Facts) -> list[Difference]:
    """Per event type its fields; a difference all of them share from one line is listed once.

    The document's event table holds the fields every event has, so a row that differs from the
    spec differs for every event type: that is one difference, under `every event`. A difference
    from an example, or one only some event types have, stays with its event type.
    """
    per_event = {
        key: list(_object(event, spec.events[key], Where("events", key, "field")))
        for key, event in doc.events.items()
        if key in spec.events
    }
    signatures = [{_signature(d) for d in found} for found in per_event.values()]
    common = set.intersection(*signatures) if len(signatures) > 1 else set()
    result: list[Difference] = []
    reported: set[tuple[str, str, str | None, str | None, int | None]] = set()
    for found in per_event.values():
        for difference in found:
            signature = _signature(difference)
            if signature not in common:
                result.append(difference)
            elif signature not in reported:
                reported.add(signature)
                result.append(replace(difference, subject="every event"))
    return result


def _signature(d: Difference) -> tuple[str, str, str | None, str | None, int | None]:
    return d.kind, d.item, d.doc, d.spec, d.line


def _presence(
    doc_only: dict[str, int | None], spec_only: list[str], where: Where
) -> Iterator[Difference]:
    for name, line in doc_only.items():
        yield where.diff("doc-only", f"{where.what} {name}", line=line)
    for name in spec_only:
        yield where.diff("spec-only", f"{where.what} {name}")


@dataclass(frozen=True)
class Where:
    section: str
    subject: str
    what: str

    def diff(
        self,
        kind: Kind,
        item: str,
        doc: str | None = None,
        spec: str | None = None,
        line: int | None = None,
    ) -> Difference:
        return Difference(self.section, self.subject, kind, item, doc, spec, line)


def _operation(op: Operation, other: Operation) -> Iterator[Difference]:
    for location, what in _LOCATIONS.items():
        doc_fields = {name: f for (loc, name), f in op.request.items() if loc == location}
        spec_fields = {name: f for (loc, name), f in other.request.items() if loc == location}
        yield from _fields(
            doc_fields, spec_fields, Where("operations", op.title, what), exhaustive=True
        )
    # Without a response table the document describes no field (a list of ids, say): the spec
    # then has none either, or they are differences.
    where = Where("operations", op.title, "response field")
    yield from _fields(op.response or {}, other.response or {}, where, exhaustive=True)


def _object(doc: Field, spec: Field, where: Where) -> Iterator[Difference]:
    if doc.children is None:
        return
    yield from _fields(doc.children, spec.children, where, doc.exhaustive, spec.free_form)


def _fields(
    doc: dict[str, Field],
    spec: dict[str, Field] | None,
    where: Where,
    exhaustive: bool,
    spec_free_form: bool = False,
    prefix: str = "",
) -> Iterator[Difference]:
    """Differences between the fields of one object; `exhaustive`: the document lists them all."""
    if spec is None:
        # A spec oneOf is compared variant by variant elsewhere, a non-object has its type
        # reported; a free-form map lacks the fields only a table (not an example) defines.
        if spec_free_form and exhaustive:
            for name, fld in doc.items():
                yield where.diff("doc-only", f"{where.what} `{prefix}{name}`", line=fld.line)
        return
    for name, fld in doc.items():
        item = f"{where.what} `{prefix}{name}`"
        other = spec.get(name)
        if other is None:
            yield where.diff("doc-only", item, line=fld.line)
            continue
        same_type = _same_type(fld, other.type)
        if not same_type:
            yield where.diff("type", item, fld.type, other.type, fld.line)
        if (
            fld.required is not None
            and other.required is not None
            and fld.required != other.required
        ):
            yield where.diff("required", item, _yes(fld.required), _yes(other.required), fld.line)
        # Fields of a value whose type differs would only repeat that difference.
        if fld.children is not None and same_type:
            inner = f"{prefix}{name}{'[]' if fld.type.startswith('array<') else ''}."
            yield from _fields(
                fld.children, other.children, where, fld.exhaustive, other.free_form, inner
            )
    for name, other in spec.items():
        if name not in doc and (exhaustive or other.required):
            yield where.diff("spec-only", f"{where.what} `{prefix}{name}`")


def _same_type(doc: Field, spec: str) -> bool:
    return _compatible(doc.type, spec, doc.from_example)


def _compatible(doc: str, spec: str, from_example: bool) -> bool:
    if doc == spec or ANY in (doc, spec):
        return True
    if doc.startswith("array<") and spec.startswith("array<"):
        return _compatible(doc[6:-1], spec[6:-1], from_example)
    # An example's `1` is an integer, which a number schema takes.
    return from_example and doc == "integer" and spec == "number"


def _yes(flag: bool) -> str:
    return "required" if flag else "optional"
