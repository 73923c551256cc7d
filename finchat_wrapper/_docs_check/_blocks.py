"""The document's block structure, from markdown-it-py: headings, lines of text, tables, code.

markdown-it does the Markdown (CommonMark plus GFM tables); this module only flattens its tokens
into the four kinds of block the FinChat layer (`_document`) reads, each with its 1-based line:

- `Heading`: level and plain text.
- `Text`: one line of a paragraph (also inside lists), with `bold` when the whole line is strong
  (`**请求方式：POST**`): the document's labels are such lines.
- `Table`: header cells and rows, cells as plain text (links and code spans reduced to their text).
  GFM lets a table absorb the next unpiped line as a row (`需要对client_id...` right under a
  header table): such a row is given back as the `Text` it is.
- `Code`: a fenced (or indented) block, its info string, text and first line inside. A fence that
  is never closed would swallow the rest of the document: the rest is read without it, and it
  stays as an empty `Code` with `closed` false.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int


@dataclass(frozen=True)
class Text:
    text: str
    bold: bool
    line: int


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    line: int


@dataclass(frozen=True)
class Code:
    info: str
    text: str
    line: int  # of the first line inside the fence
    closed: bool = True


Block = Heading | Text | Table | Code

_PARSER = MarkdownIt("commonmark").enable("table")


def blocks(text: str) -> list[Block]:
    # markdown-it's own line splitting, so that its line maps index these lines.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    unclosed: list[Code] = []
    while True:
        result = _blocks(lines)
        broken = next((b for b in result if isinstance(b, Code) and not b.closed), None)
        if broken is None or len(unclosed) >= 8:
            break
        # A fence left open swallows the rest of the document: read the rest without it.
        unclosed.append(Code(broken.info, "", broken.line, closed=False))
        lines[broken.line - 2] = ""
    for code in unclosed:
        index = next((i for i, b in enumerate(result) if b.line >= code.line), len(result))
        result.insert(index, code)
    return result


def _blocks(lines: list[str]) -> list[Block]:
    tokens = _PARSER.parse("\n".join(lines))
    result: list[Block] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            inline = tokens[i + 1]
            line = _first_line(token)
            result.append(Heading(int(token.tag[1:]), _plain(inline.children or []), line))
            i += 3
        elif token.type == "inline" and token.map is not None:
            # Paragraphs (headings and table cells are consumed where they open).
            result.extend(_text_lines(token))
            i += 1
        elif token.type == "table_open":
            end = _closing(tokens, i, "table_close")
            result.extend(_table(tokens[i : end + 1], lines))
            i = end + 1
        elif token.type in ("fence", "code_block"):
            result.append(_code(token, lines))
            i += 1
        else:
            i += 1
    return result


def _first_line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 0


def _closing(tokens: Sequence[Token], start: int, kind: str) -> int:
    for index in range(start, len(tokens)):
        if tokens[index].type == kind:
            return index
    return len(tokens) - 1


def _plain(children: Sequence[Token]) -> str:
    """The text a reader sees: markup dropped, code spans and link texts kept, breaks as \\n."""
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            continue
        elif child.children:
            parts.append(_plain(child.children))
    return "".join(parts)


def _split_lines(children: Sequence[Token]) -> Iterator[list[Token]]:
    current: list[Token] = []
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            yield current
            current = []
        else:
            current.append(child)
    yield current


def _is_bold(line: Sequence[Token]) -> bool:
    depth = 0
    seen = False
    for child in line:
        if child.type == "strong_open":
            depth += 1
        elif child.type == "strong_close":
            depth -= 1
        elif child.type in ("text", "code_inline") and child.content.strip():
            if depth <= 0:
                return False
            seen = True
    return seen


def _text_lines(inline: Token) -> Iterator[Text]:
    first = _first_line(inline)
    for offset, line in enumerate(_split_lines(inline.children or [])):
        text = _plain(line).strip()
        if text:
            yield Text(text, _is_bold(line), first + offset)


def _table(tokens: Sequence[Token], lines: Sequence[str]) -> Iterator[Block]:
    header: list[str] = []
    rows: list[Row] = []
    absorbed: list[Text] = []
    cells: list[str] = []
    row_line = 0
    for token in tokens:
        if token.type == "tr_open":
            cells = []
            row_line = _first_line(token)
        elif token.type == "inline":
            cells.append(_plain(token.children or []).strip())
        elif token.type == "tr_close":
            if not header:
                header = cells
            elif "|" not in lines[row_line - 1]:
                absorbed.append(Text(lines[row_line - 1].strip(), False, row_line))
            else:
                rows.append(Row(tuple(cells), row_line))
    yield Table(tuple(header), tuple(rows), _first_line(tokens[0]))
    yield from absorbed


def _code(token: Token, lines: Sequence[str]) -> Code:
    start, end = token.map or (0, 0)
    if token.type == "code_block":
        return Code("", token.content, start + 1)
    last = lines[end - 1].strip() if end - 1 > start else ""
    closed = last.startswith(token.markup) and last.strip(token.markup[0]) == ""
    return Code(token.info.strip(), token.content, start + 2, closed)
