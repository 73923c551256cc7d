"""Read the JSON examples of the upstream document, which are JSON only in spirit.

They carry `//` comments, miss commas between members, keep trailing commas, and once miss a
closing quote (`"url": "https://example.org/home // 跳转链接`). The text is tokenised, repaired
token by token, and handed to `json.loads`; what still fails is reported with its line.
"""

from __future__ import annotations

import json
import re
from typing import Any

_PUNCT = set("{}[]:,")
_BARE = re.compile(r"[^\s{}\[\]:,\"/]+")


class LenientJSONError(ValueError):
    def __init__(self, reason: str, line: int) -> None:
        super().__init__(f"line {line}: {reason}")
        self.reason = reason
        self.line = line


def loads(text: str, first_line: int = 1) -> Any:
    """Parse an example; `first_line` is the document line of the text's first line."""
    tokens = _tokens(text, first_line)
    repaired: list[str] = []
    previous: tuple[str, str] | None = None
    current_line = first_line
    for index, (kind, value, line) in enumerate(tokens):
        if kind == "punct" and value == ",":
            following = tokens[index + 1][1] if index + 1 < len(tokens) else ""
            if following in ("}", "]", ""):
                continue  # trailing comma
        if previous is not None and _ends_value(previous) and _starts_value((kind, value)):
            repaired.append(",")  # missing comma between members or elements
        # Keep the line breaks, so that a parse error points at the document's line.
        repaired.append("\n" * (line - current_line))
        current_line = line
        repaired.append(value)
        previous = (kind, value)
    try:
        return json.loads("".join(repaired))
    except json.JSONDecodeError as exc:
        line = first_line + exc.lineno - 1
        raise LenientJSONError(f"example is not JSON even leniently: {exc.msg}", line) from exc
    except RecursionError as exc:
        raise LenientJSONError("example is nested too deeply", first_line) from exc


def _ends_value(token: tuple[str, str]) -> bool:
    kind, value = token
    return kind in ("string", "bare") or value in ("}", "]")


def _starts_value(token: tuple[str, str]) -> bool:
    kind, value = token
    return kind in ("string", "bare") or value in ("{", "[")


def _tokens(text: str, first_line: int) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    for offset, raw_line in enumerate(text.split("\n")):
        line_no = first_line + offset
        i = 0
        n = len(raw_line)
        while i < n:
            char = raw_line[i]
            if char.isspace():
                i += 1
            elif raw_line.startswith("//", i):
                break  # comment to the end of the line
            elif raw_line.startswith("/*", i):
                end = raw_line.find("*/", i + 2)
                if end < 0:
                    raise LenientJSONError("unterminated /* comment", line_no)
                i = end + 2
            elif char in _PUNCT:
                tokens.append(("punct", char, line_no))
                i += 1
            elif char == '"':
                value, i = _string(raw_line, i)
                tokens.append(("string", value, line_no))
            else:
                match = _BARE.match(raw_line, i)
                if match is None:
                    raise LenientJSONError(f"unexpected character {char!r}", line_no)
                tokens.append(("bare", match.group(), line_no))
                i = match.end()
    return tokens


def _string(line: str, start: int) -> tuple[str, int]:
    i = start + 1
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        if line[i] == '"':
            return line[start : i + 1], i + 1
        i += 1
    # JSON strings never span lines, so the closing quote is missing: end the string before a
    # trailing comment if there is one, else at the end of the line.
    content = line[start + 1 :]
    cut = content.find(" //")
    if cut >= 0:
        content = content[:cut]
    return '"' + content.rstrip() + '"', len(line)
