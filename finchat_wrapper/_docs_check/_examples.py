"""The document's examples: what a code block holds, and where it contradicts its tables.

A code block in an operation is one of:

- JSON, lenient (comments, missing and trailing commas: `_lenient_json`), optionally under an
  HTTP status line (`HTTP/1.1 200 OK`);
- an HTTP request (`POST /path HTTP/1.1`, headers, a blank line, a JSON or form body);
- a URL (`https://host/path?a=1&b=2`), whose query string gives the fields;
- a form body (`a=1&b=2`);
- a placeholder (`<bytes>`), which shows nothing.

`mismatches` compares an example with the fields of its table: a name spelled another way than
the table's (paired by similarity, `similar`), a name the table lacks, a required field left out,
a value of another type. Each is a `Mismatch` the caller turns into a document issue.
"""

from __future__ import annotations

import http
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from . import _lenient_json
from ._blocks import Code
from ._fields import Unreadable
from ._model import ANY, Field

_STATUS_LINE = re.compile(r"^HTTP/\d(?:\.\d)?\s+(\d{3})\b\s*(.*?)\s*$")
_REQUEST_LINE = re.compile(r"^([A-Z]+)\s+(\S+)\s+HTTP/\d(?:\.\d)?\s*$")
_URL = re.compile(r"^https?://\S")
_FORM = re.compile(r"^[\w.\[\]-]+=[^&]*(?:&[\w.\[\]-]+=[^&]*)*$")
_PLACEHOLDER = re.compile(r"^<[^<>]*>$")


@dataclass(frozen=True)
class Example:
    """One example: `value` is the JSON value, or the fields of a form body or a URL query."""

    value: Any
    kind: str  # json, form or url
    line: int  # where the example starts (its first line that is not blank)
    text: str  # the code block's text
    text_line: int  # the document line of the text's first line
    status: tuple[int, str, int] | None = None  # code, reason phrase, line of the status line
    request: tuple[str, str, int] | None = None  # method, path, line of the request line


def parse(code: Code) -> Example | None:
    """The example a code block holds; None for a placeholder; `Unreadable` for anything else."""
    raw = code.text.split("\n")
    offset = 0
    while offset < len(raw) and not raw[offset].strip():
        offset += 1
    lines = raw[offset:]
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return None
    first_line = code.line + offset
    head = lines[0].strip()
    status = _STATUS_LINE.match(head)
    if status:
        code_status = (int(status.group(1)), status.group(2), first_line)
        value, kind = _body(lines[1:], first_line + 1, None)
        return Example(value, kind, first_line, code.text, code.line, status=code_status)
    request = _REQUEST_LINE.match(head)
    if request:
        content_type = None
        index = 1
        while index < len(lines) and lines[index].strip():
            name, _, header = lines[index].partition(":")
            if name.strip().lower() == "content-type":
                content_type = header.strip().lower()
            index += 1
        value, kind = _body(lines[index:], first_line + index, content_type)
        method_path = (request.group(1), request.group(2), first_line)
        return Example(value, kind, first_line, code.text, code.line, request=method_path)
    if len(lines) == 1 and _URL.match(head):
        return Example(query_fields(head), "url", first_line, code.text, code.line)
    value, kind = _body(lines, first_line, None)
    if value is None:
        return None
    return Example(value, kind, first_line, code.text, code.line)


def _body(lines: list[str], first_line: int, content_type: str | None) -> tuple[Any, str]:
    offset = 0
    while offset < len(lines) and not lines[offset].strip():
        offset += 1
    lines = lines[offset:]
    first_line += offset
    text = "\n".join(lines).strip()
    if not text or _PLACEHOLDER.match(text):
        return None, "json"
    if text[:1] in ("{", "["):
        try:
            return _lenient_json.loads("\n".join(lines), first_line), "json"
        except _lenient_json.LenientJSONError as exc:
            raise Unreadable(exc.line, str(exc.reason)) from exc
    if (content_type is None or "form" in content_type) and _FORM.match(text):
        return form_fields(text), "form"
    raise Unreadable(
        first_line, "an example that is neither JSON, a form body, an HTTP message nor a URL"
    )


def form_fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for part in text.split("&"):
        name, _, value = part.partition("=")
        if name.strip():
            fields[name.strip()] = value
    return fields


def query_fields(url: str) -> dict[str, str]:
    _, _, query = url.partition("?")
    return form_fields(query.partition("#")[0]) if query else {}


def status_problem(code: int, reason: str) -> str | None:
    """What is wrong with a status line, if anything (`201 OK`: 201 is Created)."""
    try:
        phrase = http.HTTPStatus(code).phrase
    except ValueError:
        return f"{code} is not an HTTP status"
    if reason and reason.lower() != phrase.lower():
        return f"{code} is {phrase!r}, not {reason!r}"
    return None


# ---- examples against their tables --------------------------------------------------------


@dataclass(frozen=True)
class Mismatch:
    """Where an example contradicts its table; `path` is the table field's (for `alias`)."""

    what: str
    line: int
    terms: tuple[str, ...]
    path: tuple[str, ...] = ()
    alias: str | None = None


def similar(first: str, second: str) -> bool:
    """Two spellings of one name: equal but for case and `-`/`_`, or one or two letters apart."""
    a, b = first.lower().replace("-", "_"), second.lower().replace("-", "_")
    if a == b:
        return True
    return min(len(a), len(b)) >= 5 and _distance(a, b) <= (1 if min(len(a), len(b)) < 8 else 2)


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


# The JSON type of each Python type a JSON value is read as (bool first: True is an int too).
_JSON_TYPES = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (dict, "object"),
)


def value_type(value: Any) -> str:
    if isinstance(value, list):
        items = {value_type(item) for item in value if item is not None}
        return f"array<{items.pop()}>" if len(items) == 1 else f"array<{ANY}>"
    return next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), ANY)


def compatible(shown: str, declared: str) -> bool:
    """An example's value type against a declared one (an integer is a number too)."""
    if shown == declared or ANY in (shown, declared):
        return True
    if shown.startswith("array<") and declared.startswith("array<"):
        return compatible(shown[6:-1], declared[6:-1])
    return shown == "integer" and declared == "number"


def key_line(example: Example, key: str) -> int:
    """The document line where an example first shows `key` (its first line if nowhere)."""
    pattern = re.compile(r'"' + re.escape(key) + r'"\s*:|(?:^|[?&\s])' + re.escape(key) + "=")
    for index, line in enumerate(example.text.split("\n")):
        if pattern.search(line):
            return example.text_line + index
    return example.line


def mismatches(
    example: Example,
    value: Any,
    fields: Mapping[str, Field],
    *,
    extensible: bool = False,
    prefix: tuple[str, ...] = (),
    extensible_children: frozenset[str] = frozenset(),
) -> Iterator[Mismatch]:
    """Where the object `value` of an example contradicts the table `fields`.

    `extensible`: the table lists the fields every such object has and an example may show more
    (an event table; the event kinds add their own). Objects are looked into where the table
    defines their fields; `extensible_children` names the fields whose objects are extensible.
    """
    if not isinstance(value, dict):
        return
    by_name: dict[str, Field] = {}
    for fld in fields.values():
        by_name[fld.name] = fld
        for alias in fld.aliases:
            by_name.setdefault(alias, fld)
    unmatched = [key for key in value if key not in by_name]
    missing = [fld for fld in fields.values() if not ({fld.name, *fld.aliases} & value.keys())]
    for key in unmatched:
        line = key_line(example, key)
        pair = next((fld for fld in missing if similar(key, fld.name)), None)
        shown = _dotted(prefix, key)
        if pair is not None:
            missing.remove(pair)
            yield Mismatch(
                f"`{shown}` in the example (line {line}) is `{_dotted(prefix, pair.name)}` in"
                f" the table (line {pair.line})",
                line,
                (key, pair.name),
                (*prefix, pair.name),
                key,
            )
        elif not extensible:
            yield Mismatch(
                f"the example (line {line}) has `{shown}`, which the table does not list",
                line,
                (key,),
            )
    for fld in missing:
        if fld.required:
            yield Mismatch(
                f"the example (line {example.line}) lacks `{_dotted(prefix, fld.name)}`, which"
                f" the table (line {fld.line}) marks required",
                example.line,
                (fld.name,),
            )
    for key, item in value.items():
        known = by_name.get(key)
        if known is None or item is None:
            continue
        fld = known
        shown_type = value_type(item)
        if not compatible(shown_type, fld.type):
            line = key_line(example, key)
            yield Mismatch(
                f"`{_dotted(prefix, key)}` is {shown_type} in the example (line {line}),"
                f" {fld.type} in the table (line {fld.line})",
                line,
                (fld.name,),
            )
            continue
        if fld.children is None:
            continue
        objects = item if isinstance(item, list) else [item]
        for obj in objects:
            yield from mismatches(
                example,
                obj,
                fld.children,
                extensible=fld.name in extensible_children,
                prefix=(*prefix, fld.name),
            )


def _dotted(prefix: tuple[str, ...], name: str) -> str:
    return ".".join((*prefix, name))
