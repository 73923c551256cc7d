"""The document's field tables: columns, type names, required flags, nested object tables.

A field table has a name column (`参数`) and a type column (`类型`), optionally a required column
(`是否必须`: `是`/`否`), in any order. A row whose type names a table (`[room_id_result]`) or whose
name is a table's name (`event | Object` above a table labelled `**event**`) has that table's
rows as its fields. A row this cannot read is left out and said why (`Unreadable`); the rest of
the table still counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ._blocks import Row, Table
from ._model import ANY, Field, Unread

NAME_COLUMNS = {"参数", "参数名", "字段", "字段名", "名称", "name", "field", "parameter", "key"}
TYPE_COLUMNS = {"类型", "type"}
REQUIRED_COLUMNS = {"是否必须", "必须", "必填", "是否必填", "required"}
VALUE_COLUMNS = {"值", "value", "取值", "枚举值"}
_YES = {"是", "必须", "必填", "yes", "y", "true", "required"}
_NO = {"否", "非必须", "可选", "选填", "no", "n", "false", "optional"}
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")

_PRIMITIVES = {
    "string": "string",
    "str": "string",
    "int": "integer",
    "int32": "integer",
    "int64": "integer",
    "integer": "integer",
    "long": "integer",
    "float": "number",
    "double": "number",
    "number": "number",
    "bool": "boolean",
    "boolean": "boolean",
    "object": "object",
    "map": "object",
    "json": "object",
    "array": f"array<{ANY}>",
    "list": f"array<{ANY}>",
}


class Unreadable(ValueError):
    """One part of the document cannot be read; the rest still is."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.unread = Unread(line, reason)


def column(header: str) -> str:
    """A header cell as `name`, `type`, `required`, `value` or itself (lower case)."""
    name = header.strip().strip("`*").strip()
    lowered = name.lower()
    for kind, names in (
        ("name", NAME_COLUMNS),
        ("type", TYPE_COLUMNS),
        ("required", REQUIRED_COLUMNS),
        ("value", VALUE_COLUMNS),
    ):
        if name in names or lowered in names:
            return kind
    return lowered


def columns(table: Table) -> list[str]:
    return [column(cell) for cell in table.header]


def is_fields(table: Table) -> bool:
    kinds = columns(table)
    return "name" in kinds and "type" in kinds


def is_errcodes(table: Table) -> bool:
    return bool(table.header) and table.header[0].strip().strip("`*").lower() == "errcode"


def is_values(table: Table) -> bool:
    """A list of the values a field takes: `值 | 说明` (the first column holds the values)."""
    return bool(table.header) and columns(table)[0] == "value"


def cells(table: Table, row: Row) -> dict[str, str]:
    padded = list(row.cells) + [""] * (len(table.header) - len(row.cells))
    return dict(zip(columns(table), padded, strict=False))


def parse_type(raw: str, line: int) -> tuple[str, str | None]:
    """The JSON-schema type of a type cell, and the name of the nested table it refers to."""
    text = raw.strip().strip("`").strip()
    if not text:
        raise Unreadable(line, "the type cell is empty")
    inner: str | None = None
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1]
    elif text.endswith("[]"):
        inner = text[:-2]
    elif re.fullmatch(r"(?i)(array|list)<.+>", text):
        inner = text[text.index("<") + 1 : -1]
    if inner is not None:
        item, name = parse_type(inner, line)
        return f"array<{item}>", name
    primitive = _PRIMITIVES.get(text.lower())
    if primitive is not None:
        return primitive, None
    if IDENTIFIER.match(text):
        return "object", text  # a nested object, defined by the table of that name if any
    raise Unreadable(line, f"cannot read the type {raw.strip()!r}")


def parse_required(raw: str | None, line: int) -> bool | None:
    if raw is None:
        return None
    value = raw.strip().strip("`*").strip().lower()
    if value in ("", "-", "—"):
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise Unreadable(line, f"required flag {raw.strip()!r} is neither 是 nor 否")


def row_name(table: Table, row: Row) -> str:
    return cells(table, row).get("name", "").strip("`* ")


@dataclass
class Subtables:
    """The nested object tables of one part of an operation (its request or its response)."""

    tables: dict[str, Table]
    used: set[str] = field(default_factory=set)
    unread: list[Unread] = field(default_factory=list)

    def fields(self, table: Table, within: frozenset[str] = frozenset()) -> dict[str, Field]:
        result: dict[str, Field] = {}
        for row in table.rows:
            try:
                name = row_name(table, row)
                if not name:
                    raise Unreadable(row.line, "a table row has no field name")
                if name in result:
                    raise Unreadable(row.line, f"field {name!r} appears twice in its table")
                result[name] = self.field(table, row, name, within)
            except Unreadable as exc:
                self.unread.append(exc.unread)
        return result

    def field(self, table: Table, row: Row, name: str, within: frozenset[str]) -> Field:
        values = cells(table, row)
        type_, ref = parse_type(values.get("type", ""), row.line)
        required = parse_required(values.get("required"), row.line)
        holds_objects = type_ in ("object", "array<object>")
        nested = (
            ref if ref in self.tables else name if holds_objects and name in self.tables else None
        )
        children = None
        if nested is not None:
            if nested in within:
                raise Unreadable(row.line, f"table {nested!r} contains itself")
            self.used.add(nested)
            children = self.fields(self.tables[nested], within | {nested})
        return Field(name, type_, required, children, True, line=row.line)

    def unused(self) -> Iterator[Unread]:
        for name, table in self.tables.items():
            if name not in self.used:
                yield Unread(
                    table.line,
                    f"no field refers to the table {name!r} (by its type, e.g. [{name}], or by"
                    " its name)",
                )
