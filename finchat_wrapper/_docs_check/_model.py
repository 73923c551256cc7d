"""The facts both sides are reduced to, and what the comparison finds.

The upstream markdown document (`_document`) and the OpenAPI spec files (`_spec`) are each turned
into a `Facts`; `_compare` then only ever compares two `Facts`. Types are JSON-schema type names
(`string`, `integer`, `number`, `boolean`, `object`, `array<T>`); `any` stands for a schema that
does not constrain the type and matches every type.

The document's side also carries what the document gets wrong itself (`Issue`: a name spelled
two ways, an example that contradicts its table, a `201 OK` status line) and the parts that could
not be read (`Unread`); the spec's side carries its decisions on such points
(`x-document-inconsistency` texts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

WEBHOOK_PATH = "(callback URL)"
"""The path of an operation the platform calls on the app: the document gives no path for it."""

ANY = "any"


class DocumentError(ValueError):
    """The file is not an upstream API document at all (not text, or no operation in it)."""


class SpecError(ValueError):
    """A spec file cannot be read or lacks something the comparison needs."""


@dataclass(frozen=True)
class Field:
    """A field, a parameter, or (at the top of an event or a message content) the object itself.

    `required` is None where the source does not say. `children` is None where the source does not
    define the object's fields (an `Object` row without a table, a oneOf, a free-form map); for an
    array of objects they are the fields of its items. `exhaustive` says whether `children` lists
    every field (a table does) or only some (an example may leave optional fields out).
    `free_form` marks a spec object that declares no properties but takes any (a map).
    `from_example` marks a field known only from an example, whose type is that of one value.
    `aliases` are the other spellings the document uses for the field (each is a document issue).
    `values` is the closed list of values the field takes (a document value table, a spec enum),
    `values_line` where the document lists them.
    """

    name: str
    type: str
    required: bool | None = None
    children: dict[str, Field] | None = None
    exhaustive: bool = True
    free_form: bool = False
    from_example: bool = False
    line: int | None = None
    aliases: tuple[str, ...] = ()
    values: tuple[str, ...] | None = None
    values_line: int | None = None


Location = Literal["path", "query", "body"]
Request = dict[tuple[Location, str], Field]


@dataclass(frozen=True)
class Form:
    """One alternative of a request (`line`: where the document describes it)."""

    request: Request
    line: int | None = None


@dataclass(frozen=True)
class DocumentedOperation:
    """One operation; `request` is keyed by (location, name), `response` is None if undescribed.

    `host` is None for the FinChat host, else the name of the other host (`IAM_HOST` in the
    document, the server URL in the spec). `body` holds the kinds of request body (`json`,
    `form`, `multipart`, `binary`), `auth` the kinds of authorization (`bearer`, `basic`, `none`;
    None where the document does not say), `statuses` the success statuses (empty where not
    said), `shape` the kind of answer (`object`, `array`, `redirect`; None where not said).
    `decisions` are the spec's `x-document-inconsistency` texts within the operation. `forms`
    are the request's alternatives where there are several (the document describes the route
    once per form, the spec gives the body a `oneOf`); `request` then holds them merged.
    """

    method: str
    path: str
    request: Request
    response: dict[str, Field] | None
    message_types: dict[str, Field]
    line: int | None = None
    heading: str = ""
    host: str | None = None
    body: frozenset[str] = frozenset()
    auth: frozenset[str] | None = None
    statuses: frozenset[int] = frozenset()
    shape: str | None = None
    decisions: tuple[str, ...] = ()
    forms: tuple[Form, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return operation_key(self.method, self.path)

    @property
    def title(self) -> str:
        return f"{self.method} {self.path}"


def merged_request(forms: list[Request]) -> Request:
    """The fields of several alternatives: required only where every one requires them."""
    result: Request = {}
    for form in forms:
        for key, fld in form.items():
            if key not in result:
                result[key] = fld
    for key, fld in result.items():
        flags = {form[key].required if key in form else False for form in forms}
        if len(flags) > 1:
            result[key] = replace(fld, required=None)
    return result


def merge_fields(first: Field, second: Field) -> Field:
    """Two examples of one thing: the fields either shows (the first one's types win)."""
    if first.children is None or second.children is None:
        children = first.children if first.children is not None else second.children
    else:
        children = dict(first.children)
        for name, other in second.children.items():
            children[name] = merge_fields(children[name], other) if name in children else other
    if first.values is None and second.values is not None:
        return replace(
            first, children=children, values=second.values, values_line=second.values_line
        )
    return replace(first, children=children)


def operation_key(method: str, path: str) -> tuple[str, str]:
    """Method and path, parameter names blanked: `/users/{fcid}` and `/users/{id}` are one route."""
    return method.upper(), route(path)


def route(path: str) -> str:
    segments = ["{}" if s.startswith("{") and s.endswith("}") else s for s in path.split("/")]
    return "/".join(segments)


@dataclass(frozen=True)
class Issue:
    """Something the document says two ways, or says wrongly; `line` is where it shows.

    `section` and `subject` are those of the differences (`operations` and the operation's title,
    `events` and the event type, ...); `key` is the operation concerned, if any. `terms` are the
    names (or status codes) a decision of the spec mentions when it settles the point.
    """

    section: str
    subject: str
    what: str
    line: int
    terms: tuple[str, ...]
    key: tuple[str, str] | None = None


@dataclass(frozen=True)
class Unread:
    """A part of the document that could not be interpreted: it is left out of the comparison."""

    line: int
    reason: str


@dataclass(frozen=True)
class ShownEvent:
    """An event as one example of the document shows it.

    `key` is its type, plus `(content.msgtype)` for messages; `fields` are the rows of the event
    table of its callback and the fields the example shows besides; `value` is the event object
    itself, which the comparison matches against the spec's event schemas; `source` the title of
    the callback it is shown under.
    """

    key: str
    fields: Field
    value: Any
    source: str


EventMatcher = Callable[[Any, bool], bool]
"""Whether an event object is one of a spec's event schemas (`strict`: in every constraint;
else in its constants only, for an example that gets some field wrong)."""


@dataclass(frozen=True)
class Facts:
    operations: dict[tuple[str, str], DocumentedOperation]
    errcodes: dict[str, int | None]
    error_envelope: dict[str, Field] | None
    events: dict[str, Field]
    """Spec: the event schemas, keyed by type (plus msgtype, or the schema's name if needed)."""
    issues: list[Issue] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)
    shown_events: list[ShownEvent] = field(default_factory=list)
    """Document: every event its examples show, in document order."""
    event_matchers: dict[str, EventMatcher] = field(default_factory=dict)
    """Spec: per event key, whether an event object is of that schema, in the spec's order."""
    decisions: tuple[str, ...] = ()
    """Spec: every `x-document-inconsistency` text (for issues outside any operation)."""
    event_decisions: tuple[str, ...] = ()
    """Spec: the `x-document-inconsistency` texts within the callbacks and event schemas."""


Kind = Literal["added", "removed", "type", "required", "method", "moved", "changed"]
"""`added`: the document has it, the spec does not; `removed`: the spec has it, the document does
not; `type`, `required`: the field's type or required flag differs; `method`, `moved`: an
operation's method or path differs while the rest matches; `changed`: another property of an
operation or a field (host, authorization, body kind, status, value list)."""


@dataclass(frozen=True, order=True)
class Difference:
    """One fact the two sides disagree on.

    `section` is `operations`, `error envelope`, `errcodes`, `message types` or `events`;
    `subject` the operation, message type or event concerned (empty when the section is the
    subject); `item` what differs. `doc` and `spec` carry the two values where both sides have one.
    """

    section: str
    subject: str
    kind: Kind
    item: str
    doc: str | None = None
    spec: str | None = None
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Finding:
    """A document issue, and the spec's decision on it (None: the spec has not decided)."""

    issue: Issue
    decision: str | None
