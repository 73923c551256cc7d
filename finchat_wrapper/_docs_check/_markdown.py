"""Extract the facts of an upstream FinChat API document (Chinese markdown).

The format, as the upstream document writes it:

- An operation is the section of the heading (any level) above a `**请求方式：METHOD**`
  line. It runs to the next heading of the same or a higher level. Its `**请求地址：PATH**` line
  gives the path in `:param`, `{param}` or `${param}` style, possibly with a query string
  (`?authority_name={authority_name}&app_id=${app_id}`). An address that is not a path
  (`开发者填写的地址`, "the address the developer fills in") is the app's event callback: a webhook.
- A bold label line (`**请求参数说明：**`), or a heading inside the operation, names the tables
  and code blocks below it: `请求…` the request, `响应…` the response, `…头…` headers (ignored),
  `示例` examples. A label that is a bare identifier (`**room_id_result**`, `**event**`) heads the
  table of the nested object of that name, used by a row whose type names it (`[room_id_result]`)
  or whose name it is (`event | Object`).
- Field tables have the columns `参数`, `类型`, optionally `是否必须` (`是`/`否`); the errcode
  table has `errcode` as its first column; a field table outside any operation under a heading
  about errors (`错误`) is the error envelope.

How a request table maps: a row named in the path or the query string of the address is that path
or query parameter; any other row is a body field for `POST`, `PUT` and `PATCH` and a query
parameter for the other methods. Parameters of the address missing from the table are still
parameters (path ones required, with no type).

Examples are read only where the document has no table: message contents (every object with a
`msgtype` in an operation's request examples, keyed by it) and events (every webhook example's
event object, keyed by `type` plus `content.msgtype` when there is one). Fields shown by an example
are not exhaustive: an example may leave optional fields out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import _lenient_json
from ._model import ANY, WEBHOOK_PATH, DocumentError, Facts, Field, Location, Operation

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LABEL = re.compile(r"^\s*\*\*(.+?)\*\*\s*$")
_METHOD = re.compile(r"^请求(?:方式|方法)\s*[：:]\s*(.*?)\s*$")
_ADDRESS = re.compile(r"^请求(?:地址|路径|URL|url)\s*[：:]\s*(.*?)\s*$")
_SEPARATOR = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_URL_PREFIX = re.compile(r"^https?://[^/]+")
_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
_BODY_METHODS = {"POST", "PUT", "PATCH"}

_NAME_COLUMNS = {"参数", "参数名", "字段", "字段名", "名称", "name", "field", "parameter", "key"}
_TYPE_COLUMNS = {"类型", "type"}
_REQUIRED_COLUMNS = {"是否必须", "必须", "必填", "是否必填", "required"}
_YES = {"是", "必须", "必填", "yes", "y", "true", "required"}
_NO = {"否", "非必须", "可选", "选填", "no", "n", "false", "optional"}

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


# ---- the document as a sequence of blocks ---------------------------------------------------


@dataclass(frozen=True)
class _Heading:
    level: int
    text: str
    line: int


@dataclass(frozen=True)
class _Label:
    text: str
    line: int


@dataclass(frozen=True)
class _Row:
    cells: dict[str, str]
    line: int


@dataclass(frozen=True)
class _Table:
    columns: list[str]
    rows: list[_Row]
    line: int

    @property
    def is_fields(self) -> bool:
        return "name" in self.columns and "type" in self.columns

    @property
    def is_errcodes(self) -> bool:
        return bool(self.columns) and self.columns[0] == "errcode"


@dataclass(frozen=True)
class _Code:
    text: str
    line: int  # of the first line inside the fence


_Block = _Heading | _Label | _Table | _Code


def _blocks(text: str) -> list[_Block]:
    lines = text.splitlines()
    blocks: list[_Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        number = i + 1
        fence = _FENCE.match(line)
        if fence:
            end = next((j for j in range(i + 1, len(lines)) if _FENCE.match(lines[j])), None)
            if end is None:
                raise DocumentError(f"line {number}: code block is never closed")
            blocks.append(_Code("\n".join(lines[i + 1 : end]), number + 1))
            i = end + 1
            continue
        stripped = line.strip()
        if stripped.startswith("|"):
            end = i
            while end < len(lines) and lines[end].strip().startswith("|"):
                end += 1
            table = _table(lines[i:end], number)
            if table is not None:
                blocks.append(table)
            i = end
            continue
        heading = _HEADING.match(line)
        if heading:
            blocks.append(_Heading(len(heading.group(1)), heading.group(2), number))
        else:
            label = _LABEL.match(line)
            if label:
                blocks.append(_Label(label.group(1).strip(), number))
        i += 1
    return blocks


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner.removeprefix("|").removesuffix("|")
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", inner)]


def _column(header: str) -> str:
    name = header.strip().strip("`*").strip()
    lowered = name.lower()
    if name in _NAME_COLUMNS or lowered in _NAME_COLUMNS:
        return "name"
    if name in _TYPE_COLUMNS or lowered in _TYPE_COLUMNS:
        return "type"
    if name in _REQUIRED_COLUMNS or lowered in _REQUIRED_COLUMNS:
        return "required"
    return lowered


def _table(lines: list[str], first_line: int) -> _Table | None:
    if len(lines) < 2 or not _SEPARATOR.match(lines[1].strip()):
        return None  # a line that merely starts with a bar
    columns = [_column(cell) for cell in _cells(lines[0])]
    rows = []
    for offset, line in enumerate(lines[2:], start=2):
        cells = _cells(line)
        if all(not cell for cell in cells):
            continue
        if len(cells) < len(columns):
            # A row may leave trailing cells out (the last column is often a free-text note).
            cells += [""] * (len(columns) - len(cells))
        rows.append(_Row(dict(zip(columns, cells, strict=False)), first_line + offset))
    return _Table(columns, rows, first_line)


# ---- types and fields ----------------------------------------------------------------------


def _parse_type(raw: str, line: int) -> tuple[str, str | None]:
    """The JSON-schema type of a doc type, and the name of the nested object it refers to."""
    text = raw.strip().strip("`").strip()
    if not text:
        raise DocumentError(f"line {line}: the type cell is empty")
    inner: str | None = None
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1]
    elif text.endswith("[]"):
        inner = text[:-2]
    elif re.fullmatch(r"(?i)(array|list)<.+>", text):
        inner = text[text.index("<") + 1 : -1]
    if inner is not None:
        item, name = _parse_type(inner, line)
        return f"array<{item}>", name
    primitive = _PRIMITIVES.get(text.lower())
    if primitive is not None:
        return primitive, None
    if _IDENTIFIER.match(text):
        return "object", text  # a nested object, defined by the table of that name if any
    raise DocumentError(f"line {line}: cannot read the type {raw.strip()!r}")


def _parse_required(raw: str | None, line: int) -> bool | None:
    if raw is None:
        return None
    value = raw.strip().strip("`*").strip().lower()
    if value in ("", "-", "—"):
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise DocumentError(f"line {line}: required flag {raw.strip()!r} is neither 是 nor 否")


@dataclass
class _Subtables:
    tables: dict[str, _Table]
    used: set[str] = field(default_factory=set)

    def fields(self, table: _Table, within: frozenset[str] = frozenset()) -> dict[str, Field]:
        result: dict[str, Field] = {}
        for row in table.rows:
            name = row.cells["name"].strip("`* ")
            if not name:
                raise DocumentError(f"line {row.line}: a table row has no field name")
            if name in result:
                raise DocumentError(f"line {row.line}: field {name!r} appears twice in its table")
            result[name] = self.field(row, name, within)
        return result

    def field(self, row: _Row, name: str, within: frozenset[str]) -> Field:
        type_, ref = _parse_type(row.cells["type"], row.line)
        required = _parse_required(row.cells.get("required"), row.line)
        holds_objects = type_ in ("object", "array<object>")
        nested = (
            ref if ref in self.tables else name if holds_objects and name in self.tables else None
        )
        children = None
        if nested is not None:
            if nested in within:
                raise DocumentError(f"line {row.line}: table {nested!r} contains itself")
            self.used.add(nested)
            children = self.fields(self.tables[nested], within | {nested})
        return Field(name, type_, required, children, True, line=row.line)


# ---- examples ------------------------------------------------------------------------------


def _example_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        items = {_example_type(item) for item in value}
        return f"array<{items.pop()}>" if len(items) == 1 else f"array<{ANY}>"
    return ANY


def _from_example(name: str, value: Any, line: int) -> Field:
    children: dict[str, Field] | None = None
    objects = [value] if isinstance(value, dict) else []
    if isinstance(value, list):
        objects = [item for item in value if isinstance(item, dict)]
    for obj in objects:
        shown = {key: _from_example(key, item, line) for key, item in obj.items()}
        children = shown if children is None else _merge_children(children, shown)
    return Field(
        name, _example_type(value), None, children, exhaustive=False, from_example=True, line=line
    )


def _merge_children(first: dict[str, Field], second: dict[str, Field]) -> dict[str, Field]:
    merged = dict(first)
    for name, other in second.items():
        merged[name] = _merge(merged[name], other) if name in merged else other
    return merged


def _merge(first: Field, second: Field) -> Field:
    """Two examples of one thing: the fields either shows (the first one's types win)."""
    if first.children is None or second.children is None:
        children = first.children if first.children is not None else second.children
    else:
        children = _merge_children(first.children, second.children)
    return Field(
        first.name,
        first.type,
        first.required,
        children,
        first.exhaustive,
        from_example=first.from_example,
        line=first.line,
    )


def _message_contents(value: Any, line: int, found: dict[str, Field]) -> None:
    if isinstance(value, dict):
        msgtype = value.get("msgtype")
        if isinstance(msgtype, str):
            content = _from_example(msgtype, value, line)
            found[msgtype] = _merge(found[msgtype], content) if msgtype in found else content
            return
        for item in value.values():
            _message_contents(item, line, found)
    elif isinstance(value, list):
        for item in value:
            _message_contents(item, line, found)


# ---- operations ----------------------------------------------------------------------------


@dataclass
class _Section:
    heading: _Heading | None
    blocks: list[_Block]


def _address(raw: str, line: int) -> tuple[str, list[str], list[str]]:
    """Path in `{param}` style, its path parameters and the query string's parameters."""
    text = raw.strip().strip("`").strip()
    text = _URL_PREFIX.sub("", text)
    if not text.startswith("/"):
        return WEBHOOK_PATH, [], []
    path, _, query = text.partition("?")
    path_params: list[str] = []
    segments = []
    for segment in path.split("/"):
        match = re.fullmatch(r":(\w+)|\$?\{(\w+)\}", segment)
        if match:
            name = match.group(1) or match.group(2)
            path_params.append(name)
            segment = "{" + name + "}"
        elif any(char in segment for char in ":{}$ "):
            raise DocumentError(f"line {line}: cannot read the path segment {segment!r}")
        segments.append(segment)
    query_params = [part.partition("=")[0].strip() for part in query.split("&") if part.strip()]
    return "/".join(segments), path_params, query_params


@dataclass
class _Parts:
    """What a section holds, sorted by the label above each table and code block."""

    method: tuple[str, int] | None = None
    address: tuple[str, int] | None = None
    request: list[_Table] = field(default_factory=list)
    response: list[_Table] = field(default_factory=list)
    nested: dict[str, _Table] = field(default_factory=dict)
    examples: list[tuple[Any, int]] = field(default_factory=list)


def _scan(section: _Section) -> _Parts:
    parts = _Parts()
    label: str | None = None
    mode: str | None = None  # whether code blocks are request or response examples
    for block in section.blocks:
        if isinstance(block, _Label):
            method = _METHOD.match(block.text.strip())
            if method:
                if parts.method is not None:
                    raise DocumentError(f"line {block.line}: a second 请求方式 in one section")
                parts.method = (method.group(1).strip("`").upper(), block.line)
                continue
            address = _ADDRESS.match(block.text.strip())
            if address:
                if parts.address is not None:
                    raise DocumentError(f"line {block.line}: a second 请求地址 in one section")
                parts.address = (address.group(1), block.line)
                continue
        if isinstance(block, _Label | _Heading):
            # A heading inside an operation (`##### 请求参数`) labels what follows, as bold does.
            label = block.text.strip().strip("*").rstrip("：:").strip()
            if "响应" in label:
                mode = "response"
            elif "请求" in label or "示例" in label:
                mode = "request"
        elif isinstance(block, _Table) and block.is_fields:
            role = _role(label)
            if role == "request":
                parts.request.append(block)
            elif role == "response":
                parts.response.append(block)
            elif role == "nested" and label is not None:
                if label in parts.nested:
                    raise DocumentError(f"line {block.line}: a second table {label!r}")
                parts.nested[label] = block
            elif role is None:
                raise DocumentError(
                    f"line {block.line}: cannot tell what the table describes"
                    f" (label {label!r}); expected 请求参数…, 响应参数… or an object name"
                )
        elif (
            isinstance(block, _Code)
            and mode == "request"
            and _lenient_json.looks_like_json(block.text)
        ):
            try:
                parts.examples.append((_lenient_json.loads(block.text, block.line), block.line))
            except _lenient_json.LenientJSONError as exc:
                raise DocumentError(str(exc)) from exc
    return parts


def _operation(section: _Section) -> tuple[Operation, list[tuple[Any, int]]]:
    """The operation of a section, and its request examples (for the events of a webhook)."""
    parts = _scan(section)
    if parts.method is None:  # sections are chosen by their method line: never true
        raise DocumentError("a section without a request method")
    method, line = parts.method
    if method not in _METHODS:
        raise DocumentError(f"line {line}: unknown request method {method!r}")
    if parts.address is None:
        raise DocumentError(f"line {line}: request method without a 请求地址 line")
    path, path_params, query_params = _address(*parts.address)

    nested = _Subtables(parts.nested)
    request: dict[tuple[Location, str], Field] = {}
    for table in parts.request:
        for name, fld in nested.fields(table).items():
            location: Location
            if name in path_params:
                location = "path"
            elif name in query_params or method not in _BODY_METHODS:
                location = "query"
            else:
                location = "body"
            if (location, name) in request:
                raise DocumentError(f"line {fld.line}: request field {name!r} appears twice")
            request[(location, name)] = fld
    address_line = parts.address[1]
    for name in path_params:
        request.setdefault(("path", name), Field(name, ANY, True, line=address_line))
    for name in query_params:
        request.setdefault(("query", name), Field(name, ANY, None, line=address_line))

    response: dict[str, Field] | None = None
    for table in parts.response:
        fields = nested.fields(table)
        if response is not None and fields.keys() & response.keys():
            raise DocumentError(f"line {table.line}: response fields appear in two tables")
        response = {**(response or {}), **fields}

    unused = sorted(set(parts.nested) - nested.used)
    if unused:
        raise DocumentError(
            f"line {parts.nested[unused[0]].line}: no field refers to the table {unused[0]!r}"
            " (by its type, e.g. [name], or by its name)"
        )

    messages: dict[str, Field] = {}
    if path != WEBHOOK_PATH:
        for value, example_line in parts.examples:
            _message_contents(value, example_line, messages)
    return Operation(method, path, request, response, messages, line), parts.examples


def _role(label: str | None) -> str | None:
    if label is None:
        return None
    if "头" in label:
        return "headers"
    if "响应" in label:
        return "response"
    if "请求" in label or "参数" in label:
        return "request"
    if _IDENTIFIER.match(label):
        return "nested"
    return None


def _events(operation: Operation, examples: list[tuple[Any, int]], found: dict[str, Field]) -> None:
    """Each webhook example carries one event in a request field of type object (`event`)."""
    holders = {
        name: fld
        for (location, name), fld in operation.request.items()
        if location == "body" and fld.type == "object"
    }
    for value, line in examples:
        events = [
            (holders[key], item)
            for key, item in (value.items() if isinstance(value, dict) else [])
            if key in holders and isinstance(item, dict) and isinstance(item.get("type"), str)
        ]
        if not events:
            raise DocumentError(
                f"line {line}: a callback example without an event (an object with a `type`"
                f" under one of {sorted(holders) or 'no object field'})"
            )
        for holder, event in events:
            key = event["type"]
            content = event.get("content")
            if isinstance(content, dict) and isinstance(content.get("msgtype"), str):
                key = f"{key} ({content['msgtype']})"
            shown = _from_example(key, event, line)
            children = dict(holder.children or {})
            for name, example_field in (shown.children or {}).items():
                table_field = children.get(name)
                if table_field is None:
                    children[name] = example_field
                elif table_field.children is None and example_field.children is not None:
                    children[name] = Field(
                        name,
                        table_field.type,
                        table_field.required,
                        example_field.children,
                        exhaustive=False,
                        line=table_field.line,
                    )
            fld = Field(key, "object", None, children, holder.children is not None, line=line)
            found[key] = _merge(found[key], fld) if key in found else fld


def _sections(blocks: list[_Block]) -> tuple[list[_Section], set[int]]:
    """The sections holding a request method line, and the indices of the blocks inside them."""
    # heading index (-1: before any heading) -> heading, for the headings above a method line
    owns_method: dict[int, _Heading | None] = {}
    current: tuple[int, _Heading | None] = (-1, None)
    for index, block in enumerate(blocks):
        if isinstance(block, _Heading):
            current = (index, block)
        elif isinstance(block, _Label) and _METHOD.match(block.text.strip()):
            owns_method.setdefault(*current)
    sections: list[_Section] = []
    inside: set[int] = set()
    for start, heading in sorted(owns_method.items()):
        end = len(blocks)
        for index in range(start + 1, len(blocks)):
            block = blocks[index]
            if isinstance(block, _Heading) and (
                heading is None or block.level <= heading.level or index in owns_method
            ):
                end = index
                break
        sections.append(_Section(heading, blocks[start + 1 : end]))
        inside.update(range(start + 1, end))
    return sections, inside


def extract(text: str) -> Facts:
    """The facts of a document; raises `DocumentError` (with the line) if it cannot be read."""
    blocks = _blocks(text)
    sections, inside = _sections(blocks)
    if not sections:
        raise DocumentError("no operation found: the document has no **请求方式：METHOD** line")
    operations: dict[tuple[str, str], Operation] = {}
    events: dict[str, Field] = {}
    for section in sections:
        operation, examples = _operation(section)
        if operation.key in operations:
            raise DocumentError(
                f"line {operation.line}: {operation.title} is described twice"
                f" (also at line {operations[operation.key].line})"
            )
        operations[operation.key] = operation
        if operation.path == WEBHOOK_PATH:
            _events(operation, examples, events)

    errcodes: dict[str, int | None] = {}
    envelope: dict[str, Field] | None = None
    headings: list[_Heading] = []
    for index, block in enumerate(blocks):
        if isinstance(block, _Heading):
            while headings and headings[-1].level >= block.level:
                headings.pop()
            headings.append(block)
        elif isinstance(block, _Table) and block.is_errcodes:
            for row in block.rows:
                code = row.cells["errcode"].strip("` ")
                if code in errcodes:
                    raise DocumentError(f"line {row.line}: errcode {code} is listed twice")
                errcodes[code] = row.line
        elif (
            isinstance(block, _Table)
            and block.is_fields
            and index not in inside
            and any("错误" in heading.text for heading in headings)
        ):
            if envelope is not None:
                raise DocumentError(f"line {block.line}: a second error format table")
            envelope = _Subtables({}).fields(block)
    return Facts(operations, errcodes, envelope, events)
