"""Seeded mutations of a document: each breaks one thing a real revision might get wrong.

`mutations(text, count, seed)` yields (name, mutated text): lines deleted, duplicated, swapped or
truncated, table cells garbled, fences left open, bold and heading marks added or removed, stray
punctuation, whole sections repeated. The same seed gives the same mutations.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

_STRAY = ["{", "}", "[", "]", "|", '"', "**", "#", ":", "$", "`", "```", "//", ",", "\\", "<"]
_CELLS = ["", "???", "也许", "[", "[]", "Object<", "int or string", "`", "|", "是|否"]


def _delete(lines: list[str], rng: random.Random) -> tuple[str, list[str]]:
    i = rng.randrange(len(lines))
    return f"delete line {i + 1}", lines[:i] + lines[i + 1 :]


def _duplicate(lines: list[str], rng: random.Random) -> tuple[str, list[str]]:
    i = rng.randrange(len(lines))
    return f"duplicate line {i + 1}", lines[: i + 1] + lines[i:]


def _swap(lines: list[str], rng: random.Random) -> tuple[str, list[str]]:
    i = rng.randrange(len(lines) - 1)
    swapped = list(lines)
    swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
    return f"swap lines {i + 1} and {i + 2}", swapped


def _truncate(lines: list[str], rng: random.Random) -> tuple[str, list[str]]:
    i = rng.randrange(1, len(lines))
    return f"truncate after line {i}", lines[:i]


def _cell(lines: list[str], rng: random.Random) -> tuple[str, list[str]]:
    rows = [i for i, line in enumerate(lines) if line.strip().startswith("|") and "---" not in line]
    i = rng.choice(rows)
    cells = lines[i].split("|")
    j = rng.randrange(1, max(2, len(cells) - 1))
    cells[j] = f" {rng.choice(_CELLS)} "
    changed = list(lines)
    changed[i] = "|".join(cells)
    return f"garble a cell of line {i + 1}", changed


def _open_fence(lines: list[str], rng: random.Random) -> tuple[str, list[str]]:
    fences = [i for i, line in enumerate(lines) if line.strip().startswith("```")]
    i = rng.choice(fences)
    return f"delete the fence of line {i + 1}", lines[:i] + lines[i + 1 :]


def _bold(lines: list[str], rng: random.Random) -> tuple[str, list[str]]:
    labels = [i for i, line in enumerate(lines) if line.startswith("**")]
    i = rng.choice(labels)
    changed = list(lines)
    changed[i] = changed[i].replace("**", "", 1)
    return f"unbalance the bold of line {i + 1}", changed


def _heading(lines: list[str], rng: random.Random) -> tuple[str, list[str]]:
    i = rng.randrange(len(lines))
    changed = list(lines)
    if changed[i].startswith("#"):
        changed[i] = changed[i].lstrip("#").lstrip() if rng.random() < 0.5 else "#" + changed[i]
    else:
        changed[i] = "#" * rng.randint(1, 6) + " " + changed[i]
    return f"change the heading mark of line {i + 1}", changed


def _stray(lines: list[str], rng: random.Random) -> tuple[str, list[str]]:
    i = rng.randrange(len(lines))
    line = lines[i]
    at = rng.randint(0, len(line))
    changed = list(lines)
    changed[i] = line[:at] + rng.choice(_STRAY) + line[at:]
    return f"insert punctuation into line {i + 1}", changed


def _repeat_section(lines: list[str], rng: random.Random) -> tuple[str, list[str]]:
    headings = [i for i, line in enumerate(lines) if line.startswith("#")]
    start = rng.choice(headings)
    end = next((i for i in headings if i > start), len(lines))
    return f"repeat the section at line {start + 1}", lines[:end] + lines[start:end] + lines[end:]


_KINDS: list[Callable[[list[str], random.Random], tuple[str, list[str]]]] = [
    _delete,
    _duplicate,
    _swap,
    _truncate,
    _cell,
    _open_fence,
    _bold,
    _heading,
    _stray,
    _repeat_section,
]


def mutations(text: str, count: int, seed: int = 13) -> Iterator[tuple[str, str]]:
    rng = random.Random(seed)
    lines = text.split("\n")
    for index in range(count):
        kind = _KINDS[index % len(_KINDS)]
        name, changed = kind(lines, rng)
        yield name, "\n".join(changed)
