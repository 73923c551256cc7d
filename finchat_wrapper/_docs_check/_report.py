"""Print a comparison for people (grouped, with document lines) or as JSON for tools."""

from __future__ import annotations

import json
from dataclasses import asdict
from itertools import groupby

from rich.console import Console
from rich.markup import escape

from ._compare import Comparison
from ._model import Difference

SECTIONS = ("operations", "error envelope", "errcodes", "message types", "events")
_MARKS = {
    "doc-only": "[green]+[/]",
    "spec-only": "[red]-[/]",
    "type": "[yellow]~[/]",
    "required": "[yellow]~[/]",
}


def describe(difference: Difference) -> str:
    """One line, in plain words, of what differs."""
    where = f" (line {difference.line})" if difference.line else ""
    if difference.kind == "doc-only":
        return f"{difference.item}: in the document{where}, not in the spec"
    if difference.kind == "spec-only":
        return f"{difference.item}: in the spec, not in the document"
    what = "type" if difference.kind == "type" else "required flag"
    return (
        f"{difference.item}: {what} {difference.doc} in the document{where},"
        f" {difference.spec} in the spec"
    )


def print_text(comparison: Comparison, console: Console) -> None:
    order = {name: index for index, name in enumerate(SECTIONS)}
    # Stable: within a subject the differences keep the order of the document.
    ordered = sorted(
        comparison.differences, key=lambda d: (order.get(d.section, len(order)), d.subject)
    )
    for section, in_section in groupby(ordered, key=lambda d: d.section):
        console.print(f"[bold]{escape(section)}[/]")
        for subject, items in groupby(in_section, key=lambda d: d.subject):
            indent = "  "
            if subject:
                console.print(f"  [bold]{escape(subject)}[/]")
                indent = "    "
            for difference in items:
                console.print(f"{indent}{_MARKS[difference.kind]} {escape(describe(difference))}")
    compared = ", ".join(f"{count} {name}" for name, count in comparison.compared.items())
    count = len(comparison.differences)
    if count:
        plural = "difference" if count == 1 else "differences"
        console.print(f"[bold red]{count} {plural}[/] (compared in common: {compared})")
    else:
        console.print(f"[bold green]no differences[/] (compared: {compared})")


def to_json(comparison: Comparison, document: str, spec: str) -> str:
    return json.dumps(
        {
            "document": document,
            "spec": spec,
            "differences": [asdict(d) for d in comparison.differences],
            "compared": comparison.compared,
        },
        ensure_ascii=False,
        indent=2,
    )
