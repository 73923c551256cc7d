"""Compare the facts of the document with those of the spec.

What is compared, section by section:

- operations: present on one side only, by method and path (parameter names and styles aside:
  `:fcid`, `{fcid}`, `${id}` are one route; the query string gives query parameters). An
  operation on one side only that matches one on the other side but for its method (same path)
  is a `method` difference; one that matches but for its path (same method, and the same last
  path segment with mostly the same fields, or the very same fields) is `moved`: its fields are
  then compared as for any operation. Per operation: the request (path and query parameters,
  body fields) and the response fields: present on one side only, type, required flag, value
  list; and, where the document says, the host, the authorization, the kind of body, the success
  status and the shape of the answer.
- error envelope: the fields of the error body (the table under the document's error heading).
- errcodes: present on one side only.
- message types: per operation, the `msgtype` values of the request examples against the spec's
  message content schemas; per message type, the fields the example shows.
- events: each example's event is the spec's event schema it fits (`_match_events`); per event,
  the rows of the event table, the fields its examples show and the value lists below them. A
  difference of a table row is the same for every event type: it is reported once, under
  `every event`. A field the event table calls optional may be required by one kind's schema
  when every example of that kind shows it.
- document issues: what the document says two ways (`_document`). An issue is decided when a
  `x-document-inconsistency` text of the spec mentions one of its names (or status codes): in the
  operation concerned, in the callbacks for events, anywhere for the rest. A decided issue is
  printed with the decision; one the spec has not decided counts like a difference.

What is deliberately not compared, by generic rules (none names anything of the document):

- Inside an object, only where the document defines the object's fields. A table defines them
  all: then fields on either side only are differences. An example shows some: then a field it
  shows that the spec lacks is a difference, and a spec field it omits is one only if the spec
  requires it (an example may leave optional fields out). An `Object` row without a table, an empty
  `{}` example, a spec `oneOf` (compared variant by variant under message types and events) and a
  spec map without declared properties (free-form) are not looked into. This is what leaves out
  the spec's richer CUI card schemas, which the document refers to another document for.
- Required flags only where the document says: tables with a `是否必须` column and path
  parameters; never for example fields.
- Types where one side says nothing: a parameter only named in the address, a spec schema without
  a type, a spec `oneOf` whose variants have different types.
- Descriptions, formats (`int64` is `integer`), patterns, limits, error statuses: the document
  either has none or they are the spec's own decisions (openapi/DECISIONS.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ._model import (
    ANY,
    Difference,
    DocumentedOperation,
    Facts,
    Field,
    Finding,
    Issue,
    Kind,
    Location,
    Request,
    ShownEvent,
    Unread,
    merge_fields,
)

_LOCATIONS: dict[Location, str] = {
    "path": "path parameter",
    "query": "query parameter",
    "body": "request body field",
}


@dataclass(frozen=True)
class Comparison:
    differences: list[Difference]
    findings: list[Finding]  # the document's own issues, with the spec's decision if any
    unread: list[Unread]  # parts of the document left out
    compared: dict[str, int]  # what both sides have in common, per section

    @property
    def undecided(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.decision is None]

    @property
    def clean(self) -> bool:
        """Nothing to act on: no difference, no undecided issue, nothing unread."""
        return not (self.differences or self.undecided or self.unread)


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


def compare(doc: Facts, spec: Facts) -> Comparison:
    differences: list[Difference] = []
    pairs, doc_only, spec_only = _pair_operations(doc, spec)
    where = Where("operations", "", "operation")
    for op, other, how in pairs:
        if how == "method":
            differences.append(
                where.diff("method", f"operation {op.path}", op.method, other.method, op.line)
            )
        elif how == "moved":
            item = f"operation {op.method} {op.path}"
            differences.append(where.diff("moved", item, op.path, other.path, op.line))
    differences += _presence(
        {op.title: op.line for op in doc_only}, [op.title for op in spec_only], where
    )
    for op, other, _ in pairs:
        differences += _operation(op, other)

    if doc.error_envelope is not None:
        where = Where("error envelope", "", "field")
        differences += _fields(doc.error_envelope, spec.error_envelope or {}, where, True)
    elif spec.error_envelope is not None:
        differences.append(Difference("error envelope", "", "removed", "error envelope table"))

    differences += _presence(
        {code: line for code, line in doc.errcodes.items() if code not in spec.errcodes},
        [code for code in spec.errcodes if code not in doc.errcodes],
        Where("errcodes", "", "errcode"),
    )

    message_types = 0
    for op, other, _ in pairs:
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

    events = _match_events(doc, spec)
    differences += _presence(
        {key: group[0].fields.line for key, group in events.items() if key not in spec.events},
        [key for key in spec.events if key not in events],
        Where("events", "", "event type"),
    )
    differences += _events(events, spec)

    paired = {op.key: other for op, other, _ in pairs}
    findings = [Finding(issue, _decision(issue, paired, spec)) for issue in doc.issues]
    compared = {
        "operations": len(pairs),
        "error envelope": int(doc.error_envelope is not None and spec.error_envelope is not None),
        "errcodes": len(doc.errcodes.keys() & spec.errcodes.keys()),
        "message types": message_types,
        "events": len(events.keys() & spec.events.keys()),
    }
    return Comparison(differences, findings, list(doc.unread), compared)


# ---- operations ----------------------------------------------------------------------------


def _pair_operations(
    doc: Facts, spec: Facts
) -> tuple[
    list[tuple[DocumentedOperation, DocumentedOperation, str]],
    list[DocumentedOperation],
    list[DocumentedOperation],
]:
    """Operations of both sides: same route, or the same but for the method, or moved."""
    pairs = [
        (op, spec.operations[key], "same")
        for key, op in doc.operations.items()
        if key in spec.operations
    ]
    doc_only = [op for key, op in doc.operations.items() if key not in spec.operations]
    spec_only = [op for key, op in spec.operations.items() if key not in doc.operations]
    for op in list(doc_only):
        other = next((o for o in spec_only if o.key[1] == op.key[1]), None)
        if other is not None:
            pairs.append((op, other, "method"))
            doc_only.remove(op)
            spec_only.remove(other)
    candidates = [(_move_score(op, other), op, other) for op in doc_only for other in spec_only]
    # Surest first; sorted() keeps the document's order among equals.
    for score, op, other in sorted(candidates, key=lambda candidate: -candidate[0]):
        if score > 0 and op in doc_only and other in spec_only:
            pairs.append((op, other, "moved"))
            doc_only.remove(op)
            spec_only.remove(other)
    return pairs, doc_only, spec_only


def _signature(op: DocumentedOperation) -> set[str]:
    names = {f"{location} {name}" for location, name in op.request}
    return names | {f"response {name}" for name in op.response or {}}


def _move_score(op: DocumentedOperation, other: DocumentedOperation) -> float:
    """How surely `other` is `op` at another path (0: not at all)."""
    if op.method != other.method:
        return 0.0
    first, second = _signature(op), _signature(other)
    if not first or not second:
        return 0.0
    overlap = len(first & second) / len(first | second)
    same_end = op.path.rstrip("/").rsplit("/", 1)[-1] == other.path.rstrip("/").rsplit("/", 1)[-1]
    if same_end and overlap >= 0.5:
        return 1.0 + overlap
    return overlap if overlap == 1.0 and len(first) >= 3 else 0.0


def _request(
    doc: Request, spec: Request, subject: str, locations: tuple[Location, ...]
) -> Iterator[Difference]:
    for location in locations:
        doc_fields = {name: f for (loc, name), f in doc.items() if loc == location}
        spec_fields = {name: f for (loc, name), f in spec.items() if loc == location}
        where = Where("operations", subject, _LOCATIONS[location])
        yield from _fields(doc_fields, spec_fields, where, exhaustive=True)


def _forms(op: DocumentedOperation, other: DocumentedOperation) -> Iterator[Difference]:
    """The body of each form of the request against the spec's form most like it."""
    remaining = list(other.forms)
    for number, form in enumerate(op.forms, 1):
        keys = set(form.request)
        best = max(remaining, key=lambda f: len(keys & f.request.keys()), default=None)
        where = f" (line {form.line})" if form.line else ""
        subject = f"{op.title} form {number}{where}"
        if best is None:
            yield Difference(
                "operations", op.title, "added", f"request form {number}", line=form.line
            )
            continue
        remaining.remove(best)
        yield from _request(form.request, best.request, subject, ("body",))
    for form in remaining:
        body = sorted(name for location, name in form.request if location == "body")
        yield Difference("operations", op.title, "removed", f"request form {', '.join(body)}")


def _operation(op: DocumentedOperation, other: DocumentedOperation) -> Iterator[Difference]:
    if op.forms and other.forms:
        yield from _request(op.request, other.request, op.title, ("path", "query"))
        yield from _forms(op, other)
    else:
        yield from _request(op.request, other.request, op.title, ("path", "query", "body"))
    # Without a response table the document describes no field (a list of ids, say): the spec
    # then has none either, or they are differences.
    where = Where("operations", op.title, "response field")
    yield from _fields(op.response or {}, other.response or {}, where, exhaustive=True)
    where = Where("operations", op.title, "")
    if (op.host is None) != (other.host is None):
        yield where.diff(
            "changed", "host", op.host or "the FinChat host", other.host or "the FinChat host"
        )
    if op.auth is not None and other.auth is not None and not op.auth <= other.auth:
        yield where.diff("changed", "authorization", _names(op.auth), _names(other.auth))
    if op.body and not op.body <= other.body:
        yield where.diff("changed", "request body", _names(op.body), _names(other.body) or "none")
    if op.statuses and other.statuses and not op.statuses <= other.statuses:
        yield where.diff("changed", "success status", _names(op.statuses), _names(other.statuses))
    if op.shape is not None and other.shape is not None and op.shape != other.shape:
        yield where.diff("changed", "answer", op.shape, other.shape)


def _names(values: frozenset[str] | frozenset[int]) -> str:
    return ", ".join(sorted(str(value) for value in values))


# ---- fields --------------------------------------------------------------------------------


def _object(doc: Field, spec: Field, where: Where) -> Iterator[Difference]:
    if doc.children is None:
        return
    yield from _fields(doc.children, spec.children, where, doc.exhaustive, spec.free_form)


def _lookup(fld: Field, spec: dict[str, Field]) -> Field | None:
    for name in (fld.name, *fld.aliases):
        if name in spec:
            return spec[name]
    return None


def _fields(
    doc: dict[str, Field],
    spec: dict[str, Field] | None,
    where: Where,
    exhaustive: bool,
    spec_free_form: bool = False,
    prefix: str = "",
) -> Iterator[Difference]:
    """Differences between the fields of one object; `exhaustive`: the document lists them all."""
    what = f"{where.what} " if where.what else ""
    if spec is None:
        # A spec oneOf is compared variant by variant elsewhere, a non-object has its type
        # reported; a free-form map lacks the fields only a table (not an example) defines.
        if spec_free_form and exhaustive:
            for name, fld in doc.items():
                yield where.diff("added", f"{what}`{prefix}{name}`", line=fld.line)
        return
    matched: set[str] = set()
    for name, fld in doc.items():
        item = f"{what}`{prefix}{name}`"
        other = _lookup(fld, spec)
        if other is None:
            yield where.diff("added", item, line=fld.line)
            continue
        matched.add(other.name)
        same_type = _compatible(fld.type, other.type, fld.from_example)
        if not same_type:
            yield where.diff("type", item, fld.type, other.type, fld.line)
        if (
            fld.required is not None
            and other.required is not None
            and fld.required != other.required
        ):
            yield where.diff("required", item, _yes(fld.required), _yes(other.required), fld.line)
        yield from _values(fld, other, where, item)
        # Fields of a value whose type differs would only repeat that difference.
        if fld.children is not None and same_type:
            inner = f"{prefix}{name}{'[]' if fld.type.startswith('array<') else ''}."
            yield from _fields(
                fld.children, other.children, where, fld.exhaustive, other.free_form, inner
            )
    for name, other in spec.items():
        if name not in matched and (exhaustive or other.required):
            yield where.diff("removed", f"{what}`{prefix}{name}`")


def _values(fld: Field, other: Field, where: Where, item: str) -> Iterator[Difference]:
    if fld.values is None:
        return
    if other.values is None:
        yield where.diff(
            "changed", f"values of {item}", f"{len(fld.values)} listed", "no list", fld.values_line
        )
        return
    for value in fld.values:
        if value not in other.values:
            yield where.diff("added", f"value `{value}` of {item}", line=fld.values_line)
    for value in other.values:
        if value not in fld.values:
            yield where.diff("removed", f"value `{value}` of {item}")


def _compatible(doc: str, spec: str, from_example: bool) -> bool:
    if doc == spec or ANY in (doc, spec):
        return True
    if doc.startswith("array<") and spec.startswith("array<"):
        return _compatible(doc[6:-1], spec[6:-1], from_example)
    # An example's `1` is an integer, which a number schema takes.
    return from_example and doc == "integer" and spec == "number"


def _yes(flag: bool) -> str:
    return "required" if flag else "optional"


def _presence(
    doc_only: dict[str, int | None], spec_only: list[str], where: Where
) -> Iterator[Difference]:
    for name, line in doc_only.items():
        yield where.diff("added", f"{where.what} {name}", line=line)
    for name in spec_only:
        yield where.diff("removed", f"{where.what} {name}")


# ---- events --------------------------------------------------------------------------------


def _match_events(doc: Facts, spec: Facts) -> dict[str, list[ShownEvent]]:
    """The document's events by the spec's event they are: the first schema each example fits.

    An example is tried against the spec's event schemas in the spec's order, in every constraint
    first; if it fits none (it gets a field wrong), by the constants that tell events apart
    (`type`, `content.msgtype`). One that fits no schema keeps its own key (type and msgtype).
    """
    groups: dict[str, list[ShownEvent]] = {}
    for shown in doc.shown_events:
        key = next(
            (
                key
                for strict in (True, False)
                for key, matches in spec.event_matchers.items()
                if matches(shown.value, strict)
            ),
            shown.key,
        )
        groups.setdefault(key, []).append(shown)
    return groups


def _events(events: dict[str, list[ShownEvent]], spec: Facts) -> list[Difference]:
    """Per event type its fields; a difference all of them share from one line is listed once.

    The event table of a callback holds the fields every event it carries has, so a row that
    differs from the spec differs for each of those event types: that is one difference, under
    `every event` (`every event of CALLBACK` when the document has several callbacks). A
    difference from an example, or one only some event types have, stays with its event type.
    """
    per_event: dict[str, list[Difference]] = {}
    groups: dict[str, list[str]] = {}
    for key, shown in events.items():
        if key not in spec.events:
            continue
        fields = shown[0].fields
        for other in shown[1:]:
            fields = merge_fields(fields, other.fields)
        # The event table's flags are those of every event; a kind's schema may require a field
        # the table calls optional when every example of that kind shows it.
        always = set.intersection(
            *({*s.value} if isinstance(s.value, dict) else set() for s in shown)
        )
        per_event[key] = [
            d
            for d in _object(fields, spec.events[key], Where("events", key, "field"))
            if not (
                d.kind == "required"
                and d.doc == "optional"
                and d.item.removeprefix("field `").removesuffix("`") in always
            )
        ]
        groups.setdefault(shown[0].source, []).append(key)
    result: list[Difference] = []
    for source, keys in groups.items():
        signatures = [{_event_signature(d) for d in per_event[key]} for key in keys]
        common = set.intersection(*signatures) if len(signatures) > 1 else set()
        subject = "every event" if len(groups) == 1 else f"every event of {source}"
        reported: set[tuple[str, str, str | None, str | None, int | None]] = set()
        for key in keys:
            for difference in per_event[key]:
                signature = _event_signature(difference)
                if signature not in common:
                    result.append(difference)
                elif signature not in reported:
                    reported.add(signature)
                    result.append(replace(difference, subject=subject))
    return result


def _event_signature(d: Difference) -> tuple[str, str, str | None, str | None, int | None]:
    return d.kind, d.item, d.doc, d.spec, d.line


# ---- document issues -----------------------------------------------------------------------


def _mentions(text: str, term: str) -> bool:
    return re.search(r"(?<![A-Za-z0-9_])" + re.escape(term) + r"(?![A-Za-z0-9_])", text) is not None


def _decision(
    issue: Issue, paired: dict[tuple[str, str], DocumentedOperation], spec: Facts
) -> str | None:
    if issue.key is not None:
        other = paired.get(issue.key)
        texts = other.decisions if other is not None else ()
    elif issue.section == "events":
        texts = spec.event_decisions
    else:
        texts = spec.decisions
    return next((text for text in texts if any(_mentions(text, t) for t in issue.terms)), None)
