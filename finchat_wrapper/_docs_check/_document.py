"""Read the facts of an upstream FinChat API document (Chinese markdown), and its own mistakes.

The block structure comes from markdown-it (`_blocks`); this is the FinChat layer on top:

- An operation is recognised by its content: a `请求方式：METHOD` line and a `请求地址：ADDRESS`
  line (bold or not), whatever the depth of the heading above them. It runs from that heading to
  the next heading of the same or a higher level, or to the next operation. The address is a
  path in `:param`, `{param}` or `${param}` style, possibly after a host (`{HOST}/...` is the
  FinChat host, `{IAM_HOST}/...` another one, `https://...` is dropped) and with a query string.
  An address that is not a path (`开发者填写的地址`) is a callback the platform makes to the app.
- A bold line (`**请求参数说明：**`) or a heading inside an operation labels the tables and
  examples below it: `请求…` the request, `响应…`/`返回…` the response, `…头…` headers, a bare
  identifier (`**event**`) the nested object of that name in the part (request or response) it
  follows; a label without those words (`**示例**`, `**发送文本**`) keeps the part as it is.
- Tables (`_fields`): field tables, header tables (`Content-Type` gives the kind of body,
  `Authorization` its scheme), value lists (`值 | 说明`), the errcode table (first column
  `errcode`), and outside operations under a heading about errors (`错误`) the error envelope.
- Examples (`_examples`): message contents (every object with a `msgtype` in a request example),
  events (in a callback's request examples, the object with a `type` under an object field),
  status lines, the shape of the answer. A value list belongs to the fields of the examples above
  it whose values it lists.

How a request table maps: a row named in the path or the query string of the address is that path
or query parameter; any other row is a body field for `POST`, `PUT` and `PATCH` and a query
parameter for the other methods. Parameters of the address missing from the table are still
parameters (path ones required, with no type).

What the document says two ways becomes an `Issue` (with its line) instead of a silent choice:
an address parameter the table spells otherwise (the field then answers to both names), an
example that contradicts its table (`_examples.mismatches`), a status line whose phrase is not
its code's, an HTTP request example for another method or path. A part this cannot read becomes
an `Unread` item and the rest is still read; only a file without any operation is refused
(`DocumentError`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from . import _blocks, _examples, _fields
from ._blocks import Block, Code, Heading, Table, Text
from ._examples import Example, Mismatch
from ._fields import Subtables, Unreadable
from ._model import (
    ANY,
    WEBHOOK_PATH,
    DocumentedOperation,
    DocumentError,
    Facts,
    Field,
    Form,
    Issue,
    Location,
    ShownEvent,
    Unread,
    merge_fields,
    merged_request,
    route,
)

_METHOD = re.compile(r"^请求(?:方式|方法)\s*[：:]\s*(.*?)\s*$")
_ADDRESS = re.compile(r"^请求(?:地址|路径|URL|url)\s*[：:]\s*(.*?)\s*$")
_HOST = re.compile(r"^(?:\$?\{(\w+)\}|https?://[^/\s]+)")
_PARAM = re.compile(r":(\w+)|\$?\{(\w+)\}")
_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
_BODY_METHODS = {"POST", "PUT", "PATCH"}
FINCHAT_HOST = "HOST"
"""The document's name for the FinChat host (`{HOST}/api/...`); an address without one is on it."""


def extract(text: str) -> Facts:
    """The facts of a document; `DocumentError` if it has no operation at all."""
    blocks = _blocks.blocks(text)
    spans = _operation_spans(blocks)
    if not spans:
        raise DocumentError("no operation found: the document has no 请求方式：METHOD line")
    reader = _Reader()
    inside: set[int] = set()
    for heading, start, end in spans:
        inside.update(range(start, end))
        reader.operation(heading, blocks[start:end])
    reader.outside(blocks, inside)
    return reader.facts()


def _method_line(block: Block) -> re.Match[str] | None:
    return _METHOD.match(block.text) if isinstance(block, Text) else None


def _address_line(block: Block) -> re.Match[str] | None:
    return _ADDRESS.match(block.text) if isinstance(block, Text) else None


def _operation_spans(blocks: list[Block]) -> list[tuple[Heading | None, int, int]]:
    """(heading, first block, end) of each operation, found by its method line."""
    methods = [index for index, block in enumerate(blocks) if _method_line(block)]
    starts: list[tuple[Heading | None, int]] = []
    for position, index in enumerate(methods):
        previous = methods[position - 1] if position else -1
        above = [
            (i, block)
            for i in range(index - 1, previous, -1)
            if isinstance(block := blocks[i], Heading)
        ]
        if above:
            starts.append((above[0][1], above[0][0] + 1))
        else:  # a second operation under one heading starts at its method line
            starts.append((None, index if previous >= 0 else 0))
    spans = []
    for position, (heading, start) in enumerate(starts):
        following = len(blocks)
        if position + 1 < len(starts):
            next_heading, next_start = starts[position + 1]
            following = next_start - 1 if next_heading is not None else next_start
        end = following
        for index in range(methods[position] + 1, following):
            block = blocks[index]
            if isinstance(block, Heading) and (heading is None or block.level <= heading.level):
                end = index
                break
        spans.append((heading, start, end))
    return spans


# ---- one operation -------------------------------------------------------------------------


@dataclass
class _Part:
    """The request or the response of an operation: its tables and examples."""

    tables: list[Table] = field(default_factory=list)
    nested: dict[str, Table] = field(default_factory=dict)
    examples: list[Example] = field(default_factory=list)


@dataclass
class _Scan:
    method: tuple[str, int] | None = None
    address: tuple[str, int] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    request: _Part = field(default_factory=_Part)
    response: _Part = field(default_factory=_Part)
    values: list[Table] = field(default_factory=list)


def _mode(label: str, current: str) -> str:
    if "响应" in label:
        return "response"
    if "请求" in label:
        return "request"
    if "返回" in label:
        return "response"
    return current


def _table_role(label: str | None, mode: str) -> str | None:
    if label is None:
        return None
    if "头" in label:
        return "headers"
    if "响应" in label or "返回" in label:
        return "response"
    if "请求" in label or "参数" in label:
        return "request"
    if _fields.IDENTIFIER.match(label):
        return f"nested {mode}"
    return None


def _is_header_table(table: Table) -> bool:
    kinds = _fields.columns(table)
    return len(kinds) >= 2 and kinds[0] in ("name", "key") and kinds[1] == "value"


class _Reader:
    def __init__(self) -> None:
        self.operations: dict[tuple[str, str], DocumentedOperation] = {}
        self.shown: list[ShownEvent] = []
        self.errcodes: dict[str, int | None] = {}
        self.envelope: dict[str, Field] | None = None
        self.issues: list[Issue] = []
        self.unread: list[Unread] = []

    def facts(self) -> Facts:
        seen: set[tuple[str, str, int]] = set()
        issues = []
        for issue in self.issues:
            if (issue.subject, issue.what, issue.line) not in seen:
                seen.add((issue.subject, issue.what, issue.line))
                issues.append(issue)
        unread = sorted(set(self.unread), key=lambda u: (u.line, u.reason))
        return Facts(self.operations, self.errcodes, self.envelope, {}, issues, unread, self.shown)

    # -- scanning ---------------------------------------------------------------------------

    def _scan(self, blocks: list[Block]) -> _Scan:
        scan = _Scan()
        label: str | None = None
        mode = "request"
        for block in blocks:
            if isinstance(block, Text):
                method, address = _method_line(block), _address_line(block)
                if method:
                    scan.method = (method.group(1).strip("`* ").upper(), block.line)
                elif address:
                    if scan.address is not None:
                        self.unread.append(Unread(block.line, "a second 请求地址 in one operation"))
                    else:
                        scan.address = (address.group(1), block.line)
                elif block.bold:
                    label = block.text.strip("*` ").rstrip("：:").strip()
                    mode = _mode(label, mode)
            elif isinstance(block, Heading):
                label = block.text.strip("*` ").rstrip("：:").strip()
                mode = _mode(label, mode)
            elif isinstance(block, Table):
                self._table(scan, block, label, mode)
            elif isinstance(block, Code):
                if not block.closed:
                    self.unread.append(Unread(block.line - 1, "code block is never closed"))
                    continue
                try:
                    example = _examples.parse(block)
                except Unreadable as exc:
                    self.unread.append(exc.unread)
                    continue
                if example is not None:
                    part = scan.response if mode == "response" else scan.request
                    part.examples.append(example)
        return scan

    def _table(self, scan: _Scan, table: Table, label: str | None, mode: str) -> None:
        if _fields.is_errcodes(table):
            self._errcodes(table)
            return
        if _fields.is_values(table):
            scan.values.append(table)
            return
        role = _table_role(label, mode)
        if role == "headers" or _is_header_table(table):
            for row in table.rows:
                if len(row.cells) >= 2:
                    scan.headers[row.cells[0].strip().lower()] = row.cells[1].strip()
            return
        if not _fields.is_fields(table):
            return  # prose in a table (terms, notes): nothing to compare
        if role in ("request", "response"):
            (scan.request if role == "request" else scan.response).tables.append(table)
        elif role is not None and role.startswith("nested ") and label is not None:
            part = scan.response if role == "nested response" else scan.request
            if label in part.nested:
                self.unread.append(Unread(table.line, f"a second table {label!r}"))
            else:
                part.nested[label] = table
        else:
            self.unread.append(
                Unread(
                    table.line,
                    f"cannot tell what the table describes (label {label!r}); expected"
                    " 请求参数…, 响应参数… or an object name",
                )
            )

    def _errcodes(self, table: Table) -> None:
        for row in table.rows:
            code = row.cells[0].strip("`* ") if row.cells else ""
            if not code:
                self.unread.append(Unread(row.line, "an errcode row without an errcode"))
            elif code in self.errcodes:
                self.unread.append(Unread(row.line, f"errcode {code} is listed twice"))
            else:
                self.errcodes[code] = row.line

    # -- building ---------------------------------------------------------------------------

    def operation(self, heading: Heading | None, blocks: list[Block]) -> None:
        scan = self._scan(blocks)
        if scan.method is None:  # spans are found by their method line: never true
            return
        method, line = scan.method
        if method not in _METHODS:
            self.unread.append(Unread(line, f"unknown request method {method!r}"))
            return
        if scan.address is None:
            self.unread.append(Unread(line, "request method without a 请求地址 line"))
            return
        try:
            host, path, path_params, query_params = _address(*scan.address)
        except Unreadable as exc:
            self.unread.append(exc.unread)
            return
        title = f"{method} {path}"
        key = (method, route(path))
        builder = _Builder(self, title, key, method, path)
        request = builder.request(scan.request, path_params, query_params, scan.address[1])
        response = builder.response(scan.response)
        events: list[tuple[ShownEvent, Example]] = []
        messages: dict[str, Field] = {}
        if path == WEBHOOK_PATH:
            events = builder.events(request, scan.request.examples)
        else:
            for example in scan.request.examples:
                _message_contents(example.value, example.line, messages)
        request = builder.check_request(request, scan.request.examples)
        response = builder.check_response(response, scan.response.examples)
        self.shown += builder.values(scan, events)
        operation = DocumentedOperation(
            method,
            path,
            request,
            response,
            messages,
            line,
            heading.text if heading else "",
            host,
            _body_kind(method, scan.headers),
            _auth(scan.headers),
            builder.statuses(scan.response.examples),
            _shape(scan.response.examples),
        )
        if key in self.operations:
            operation = _another_form(self.operations[key], operation)
        self.operations[key] = operation

    def outside(self, blocks: list[Block], inside: set[int]) -> None:
        """Errcodes and the error envelope, and the field tables no operation holds."""
        headings: list[Heading] = []
        for index, block in enumerate(blocks):
            if isinstance(block, Heading):
                while headings and headings[-1].level >= block.level:
                    headings.pop()
                headings.append(block)
            if index in inside or not isinstance(block, Table):
                continue
            if _fields.is_errcodes(block):
                self._errcodes(block)
            elif _fields.is_fields(block):
                if any("错误" in heading.text for heading in headings):
                    if self.envelope is not None:
                        self.unread.append(Unread(block.line, "a second error format table"))
                        continue
                    subtables = Subtables({})
                    self.envelope = subtables.fields(block)
                    self.unread += subtables.unread
                else:
                    self.unread.append(Unread(block.line, "a field table outside any operation"))


@dataclass
class _Builder:
    """Builds one operation's fields, events and issues; `reader` collects what is unread."""

    reader: _Reader
    title: str
    key: tuple[str, str]
    method: str
    path: str

    def issue(self, what: str, line: int, terms: tuple[str, ...]) -> None:
        self.reader.issues.append(Issue("operations", self.title, what, line, terms, self.key))

    def _fields(self, part: _Part) -> list[dict[str, Field]]:
        nested = Subtables(part.nested)
        tables = [nested.fields(table) for table in part.tables]
        self.reader.unread += nested.unread
        self.reader.unread += nested.unused()
        return tables

    def request(
        self, part: _Part, path_params: list[str], query_params: list[str], address_line: int
    ) -> dict[tuple[Location, str], Field]:
        request: dict[tuple[Location, str], Field] = {}
        tables = self._fields(part)
        for fields in tables:
            for name, fld in fields.items():
                location: Location
                if name in path_params:
                    location = "path"
                elif name in query_params or self.method not in _BODY_METHODS:
                    location = "query"
                else:
                    location = "body"
                if (location, name) in request:
                    self.reader.unread.append(
                        Unread(fld.line or address_line, f"request field {name!r} appears twice")
                    )
                    continue
                request[(location, name)] = fld
        for name in path_params:
            request.setdefault(("path", name), Field(name, ANY, True, line=address_line))
        for name in query_params:
            if ("query", name) in request:
                continue
            # A query parameter of the address the table spells otherwise: one field, two names.
            spelled = [
                (loc, other)
                for (loc, other), fld in request.items()
                if loc != "path" and other not in query_params and _examples.similar(name, other)
            ]
            if spelled and tables:
                loc, other = spelled[0]
                fld = request.pop((loc, other))
                request[("query", other)] = replace(fld, aliases=(*fld.aliases, name))
                self.issue(
                    f"the address (line {address_line}) says `{name}`, the table (line"
                    f" {fld.line}) `{other}`",
                    address_line,
                    (name, other),
                )
                continue
            if tables:
                self.issue(
                    f"the address (line {address_line}) has the parameter `{name}`, which the"
                    " table does not list",
                    address_line,
                    (name,),
                )
            request[("query", name)] = Field(name, ANY, None, line=address_line)
        return request

    def response(self, part: _Part) -> dict[str, Field] | None:
        tables = self._fields(part)
        response: dict[str, Field] | None = None
        for fields in tables:
            for name, fld in fields.items():
                if response is not None and name in response:
                    self.reader.unread.append(
                        Unread(fld.line or 0, f"response field {name!r} appears in two tables")
                    )
                    continue
                response = {**(response or {}), name: fld}
        return response

    # -- examples ---------------------------------------------------------------------------

    def _apply(self, fields: dict[str, Field], found: list[Mismatch]) -> dict[str, Field]:
        for mismatch in found:
            self.issue(mismatch.what, mismatch.line, mismatch.terms)
            if mismatch.alias is not None:
                fields = _with_alias(fields, mismatch.path, mismatch.alias)
        return fields

    def check_request(
        self,
        request: dict[tuple[Location, str], Field],
        examples: list[Example],
    ) -> dict[tuple[Location, str], Field]:
        holders = frozenset(_holders(request))
        for example in examples:
            if example.request is not None:
                self._request_line(example)
            location: Location = "query" if example.kind == "url" else "body"
            if example.kind == "form" and self.method not in _BODY_METHODS:
                location = "query"
            fields = {name: fld for (loc, name), fld in request.items() if loc == location}
            if not fields or not isinstance(example.value, dict):
                continue
            found = list(
                _examples.mismatches(example, example.value, fields, extensible_children=holders)
            )
            checked = self._apply(fields, found)
            for name, fld in checked.items():
                request[(location, name)] = fld
        return request

    def _request_line(self, example: Example) -> None:
        assert example.request is not None
        method, path, line = example.request
        path = path.partition("?")[0]
        if self.path == WEBHOOK_PATH:
            return
        if method != self.method or not _same_route(path, self.path):
            self.issue(
                f"the request example (line {line}) is `{method} {path}`, the operation"
                f" `{self.title}`",
                line,
                (method, path),
            )

    def check_response(
        self, response: dict[str, Field] | None, examples: list[Example]
    ) -> dict[str, Field] | None:
        if response is None:
            return None
        for example in examples:
            values = example.value if isinstance(example.value, list) else [example.value]
            for value in values:
                found = list(_examples.mismatches(example, value, response))
                response = self._apply(response, found)
        return response

    def statuses(self, examples: list[Example]) -> frozenset[int]:
        codes: dict[int, int] = {}
        troubled = False
        for example in examples:
            if example.status is None:
                continue
            code, reason, line = example.status
            problem = _examples.status_problem(code, reason)
            if problem is not None:
                troubled = True
                self.issue(
                    f"the status line `{code} {reason}` (line {line}): {problem}",
                    line,
                    (str(code),),
                )
            codes.setdefault(code, line)
        if len(codes) > 1:
            lines = ", ".join(f"{code} (line {line})" for code, line in codes.items())
            self.issue(
                f"the response examples give different statuses: {lines}",
                min(codes.values()),
                tuple(str(code) for code in codes),
            )
            return frozenset()
        return frozenset() if troubled else frozenset(codes)

    def events(
        self, request: dict[tuple[Location, str], Field], examples: list[Example]
    ) -> list[tuple[ShownEvent, Example]]:
        """Each callback example carries one event in a body field of type object (`event`)."""
        holders = _holders(request)
        found: list[tuple[ShownEvent, Example]] = []
        for example in examples:
            value = example.value
            events = [
                (holders[key], item)
                for key, item in (value.items() if isinstance(value, dict) else [])
                if key in holders and isinstance(item, dict) and isinstance(item.get("type"), str)
            ]
            if not events:
                self.reader.unread.append(
                    Unread(
                        example.line,
                        "a callback example without an event (an object with a `type` under"
                        f" one of {sorted(holders) or 'no object field'})",
                    )
                )
                continue
            for holder, event in events:
                key = _event_key(event)
                fields = _event_field(key, holder, event, example.line)
                found.append((ShownEvent(key, fields, event, self.title), example))
        return found

    def values(self, scan: _Scan, events: list[tuple[ShownEvent, Example]]) -> list[ShownEvent]:
        """Give each value list to the example fields above it whose values it lists."""
        shown = [event for event, _ in events]
        for table in scan.values:
            values = tuple(row.cells[0].strip("`* ") for row in table.rows if row.cells)
            values = tuple(value for value in values if value)
            if not values:
                continue
            linked = False
            for index, (event, example) in enumerate(events):
                if example.line > table.line:
                    continue
                fields = shown[index].fields
                for path in sorted(set(_paths_with(event.value, values))):
                    fields = _with_values(fields, path, values, table.line)
                    linked = True
                shown[index] = replace(shown[index], fields=fields)
            if not linked:
                self.reader.unread.append(
                    Unread(table.line, "a value list that no field of the examples above it takes")
                )
        return shown


def _another_form(first: DocumentedOperation, second: DocumentedOperation) -> DocumentedOperation:
    """A route the document describes again: another form of its request (a second grant)."""
    forms = (
        *(first.forms or (Form(first.request, first.line),)),
        Form(second.request, second.line),
    )
    response = None
    if first.response is not None or second.response is not None:
        response = {**(second.response or {}), **(first.response or {})}
    return replace(
        first,
        request=merged_request([form.request for form in forms]),
        response=response,
        message_types={**second.message_types, **first.message_types},
        body=first.body | second.body,
        auth=first.auth | second.auth if first.auth and second.auth else first.auth or second.auth,
        statuses=first.statuses | second.statuses,
        shape=first.shape or second.shape,
        forms=forms,
    )


def _holders(request: dict[tuple[Location, str], Field]) -> dict[str, Field]:
    return {
        name: fld
        for (location, name), fld in request.items()
        if location == "body" and fld.type == "object"
    }


def _event_key(event: dict[str, Any]) -> str:
    key = str(event["type"])
    content = event.get("content")
    if isinstance(content, dict) and isinstance(content.get("msgtype"), str):
        key = f"{key} ({content['msgtype']})"
    return key


def _event_field(key: str, holder: Field, event: dict[str, Any], line: int) -> Field:
    """An event: the rows of the event table, and the fields its example shows besides."""
    shown = _from_example(key, event, line)
    children = dict(holder.children or {})
    for name, example_field in (shown.children or {}).items():
        table_field = children.get(name)
        if table_field is None:
            by_alias = next((f for f in children.values() if name in f.aliases), None)
            if by_alias is None:
                children[name] = example_field
        elif table_field.children is None and example_field.children is not None:
            children[name] = replace(table_field, children=example_field.children, exhaustive=False)
    return Field(key, "object", None, children, holder.children is not None, line=line)


def _paths_with(value: Any, values: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and item in values:
                yield (key,)
            for path in _paths_with(item, values):
                yield (key, *path)
    elif isinstance(value, list):
        for item in value:
            yield from _paths_with(item, values)


def _with_values(fld: Field, path: tuple[str, ...], values: tuple[str, ...], line: int) -> Field:
    if not path:
        return replace(fld, values=values, values_line=line)
    children = dict(fld.children or {})
    child = children.get(path[0])
    if child is None:
        return fld
    children[path[0]] = _with_values(child, path[1:], values, line)
    return replace(fld, children=children)


def _with_alias(fields: dict[str, Field], path: tuple[str, ...], alias: str) -> dict[str, Field]:
    result = dict(fields)
    fld = result.get(path[0]) if path else None
    if fld is None:
        return result
    if len(path) == 1:
        if alias not in fld.aliases:
            result[path[0]] = replace(fld, aliases=(*fld.aliases, alias))
    elif fld.children is not None:
        result[path[0]] = replace(fld, children=_with_alias(fld.children, path[1:], alias))
    return result


def _same_route(shown: str, path: str) -> bool:
    first, second = shown.strip("/").split("/"), path.strip("/").split("/")
    return len(first) == len(second) and all(
        a == b or (b.startswith("{") and b.endswith("}"))
        for a, b in zip(first, second, strict=True)
    )


def _address(raw: str, line: int) -> tuple[str | None, str, list[str], list[str]]:
    """Host, path in `{param}` style, its path parameters and the query string's parameters."""
    text = raw.strip().strip("`").strip()
    host: str | None = None
    match = _HOST.match(text)
    if match:
        name = match.group(1)
        host = None if name is None or name == FINCHAT_HOST else name
        text = text[match.end() :]
    if not text.startswith("/"):
        return None, WEBHOOK_PATH, [], []
    path, _, query = text.partition("?")
    path_params: list[str] = []
    segments = []
    for segment in path.split("/"):
        param = _PARAM.fullmatch(segment)
        if param:
            name = param.group(1) or param.group(2)
            path_params.append(name)
            segment = "{" + name + "}"
        elif any(char in segment for char in ":{}$ "):
            raise Unreadable(line, f"cannot read the path segment {segment!r}")
        segments.append(segment)
    query_params = [part.partition("=")[0].strip() for part in query.split("&") if part.strip()]
    return host, "/".join(segments), path_params, query_params


def _body_kind(method: str, headers: dict[str, str]) -> frozenset[str]:
    if method not in _BODY_METHODS or "content-type" not in headers:
        return frozenset()
    value = headers["content-type"].lower()
    if "json" in value:
        return frozenset({"json"})
    if "x-www-form-urlencoded" in value:
        return frozenset({"form"})
    if "multipart" in value:
        return frozenset({"multipart"})
    return frozenset({"binary"})


def _auth(headers: dict[str, str]) -> frozenset[str] | None:
    if not headers:
        return None
    value = headers.get("authorization", "").strip('"').lower()
    if not value:
        return frozenset({"none"})
    if value.startswith("basic"):
        return frozenset({"basic"})
    if value.startswith("bearer"):
        return frozenset({"bearer"})
    return frozenset({value.split()[0]})


def _shape(examples: list[Example]) -> str | None:
    for example in examples:
        if example.kind == "url":
            return "redirect"
        if isinstance(example.value, list):
            return "array"
        if isinstance(example.value, dict):
            return "object"
    return None


# ---- example fields --------------------------------------------------------------------------


def _from_example(name: str, value: Any, line: int) -> Field:
    children: dict[str, Field] | None = None
    objects = [value] if isinstance(value, dict) else []
    if isinstance(value, list):
        objects = [item for item in value if isinstance(item, dict)]
    for obj in objects:
        shown = {key: _from_example(key, item, line) for key, item in obj.items()}
        children = shown if children is None else _union(children, shown)
    return Field(
        name,
        _examples.value_type(value),
        None,
        children,
        exhaustive=False,
        from_example=True,
        line=line,
    )


def _union(first: dict[str, Field], second: dict[str, Field]) -> dict[str, Field]:
    merged = dict(first)
    for name, other in second.items():
        merged[name] = merge_fields(merged[name], other) if name in merged else other
    return merged


def _message_contents(value: Any, line: int, found: dict[str, Field]) -> None:
    if isinstance(value, dict):
        msgtype = value.get("msgtype")
        if isinstance(msgtype, str):
            content = _from_example(msgtype, value, line)
            found[msgtype] = merge_fields(found[msgtype], content) if msgtype in found else content
            return
        for item in value.values():
            _message_contents(item, line, found)
    elif isinstance(value, list):
        for item in value:
            _message_contents(item, line, found)
