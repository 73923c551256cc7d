"""The facts both sides are reduced to, and the differences between them.

The upstream markdown document (`_markdown`) and the OpenAPI spec (`_spec`) are each turned into a
`Facts`; `_compare` then only ever compares two `Facts`. Types are JSON-schema type names
(`string`, `integer`, `number`, `boolean`, `object`, `array<T>`); `any` stands for a schema that
does not constrain the type and matches every type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

WEBHOOK_PATH = "(callback URL)"
"""The path of an operation the platform calls on the app: the document gives no path for it."""

ANY = "any"


class DocumentError(ValueError):
    """The document is not in the upstream format; the message names the line."""


class SpecError(ValueError):
    """The spec lacks something the comparison needs."""


@dataclass(frozen=True)
class Field:
    """A field, a parameter, or (at the top of an event or a message content) the object itself.

    `required` is None where the source does not say. `children` is None where the source does not
    define the object's fields (an `Object` row without a table, a oneOf, a free-form map); for an
    array of objects they are the fields of its items. `exhaustive` says whether `children` lists
    every field (a table does) or only some (an example may leave optional fields out).
    `free_form` marks a spec object that declares no properties but takes any (a map).
    `from_example` marks a field known only from an example, whose type is that of one value.
    """

    name: str
    type: str
    required: bool | None = None
    children: dict[str, Field] | None = None
    exhaustive: bool = True
    free_form: bool = False
    from_example: bool = False
    line: int | None = None


Location = Literal["path", "query", "body"]


@dataclass(frozen=True)
class Operation:
    """One operation; `request` is keyed by (location, name), `response` is None if undescribed."""

    method: str
    path: str
    request: dict[tuple[Location, str], Field]
    response: dict[str, Field] | None
    message_types: dict[str, Field]
    line: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        return operation_key(self.method, self.path)

    @property
    def title(self) -> str:
        return f"{self.method} {self.path}"


def operation_key(method: str, path: str) -> tuple[str, str]:
    """Method and path, parameter names blanked: `/users/{fcid}` and `/users/{id}` are one route."""
    segments = ["{}" if s.startswith("{") and s.endswith("}") else s for s in path.split("/")]
    return method.upper(), "/".join(segments)


@dataclass(frozen=True)
class Facts:
    operations: dict[tuple[str, str], Operation]
    errcodes: dict[str, int | None]
    error_envelope: dict[str, Field] | None
    events: dict[str, Field]


Kind = Literal["doc-only", "spec-only", "type", "required"]


@dataclass(frozen=True, order=True)
class Difference:
    """One fact the two sides disagree on.

    `section` is `operations`, `error envelope`, `errcodes`, `message types` or `events`;
    `subject` the operation, message type or event concerned (empty when the section is the
    subject); `item` what differs. `doc` and `spec` carry the two values for `type` and `required`.
    """

    section: str
    subject: str
    kind: Kind
    item: str
    doc: str | None = None
    spec: str | None = None
    line: int | None = field(default=None, compare=False)
