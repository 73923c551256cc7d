"""Print a comparison for people (grouped, with document lines) or as JSON for tools."""

from __future__ import annotations

import json
from dataclasses import asdict
from itertools import groupby

from rich.console import Console
from rich.markup import escape

from ._compare import Comparison
from ._model import Difference, Finding

SECTIONS = ("operations", "error envelope", "errcodes", "message types", "events")
_MARKS = {
    "added": "[green]+[/]",
    "removed": "[red]-[/]",
    "type": "[yellow]~[/]",
    "required": "[yellow]~[/]",
    "method": "[yellow]~[/]",
    "moved": "[yellow]>[/]",
    "changed": "[yellow]~[/]",
}


def describe(difference: Difference) -> str:
    """One line, in plain words, of what differs."""
    where = f" (line {difference.line})" if difference.line else ""
    kind, item = difference.kind, difference.item
    if kind == "added":
        return f"{item}: in the document{where}, not in the spec"
    if kind == "removed":
        return f"{item}: in the spec, not in the document"
    if kind == "moved":
        return f"{item}: in the document{where}; in the spec at {difference.spec}"
    what = {"type": "type ", "required": "required flag ", "method": "method "}.get(kind, "")
    return f"{item}: {what}{difference.doc} in the document{where}, {difference.spec} in the spec"


def describe_finding(finding: Finding) -> str:
    if finding.decision is None:
        return f"{finding.issue.what}: not decided by the spec"
    return f"{finding.issue.what}: decided by the spec: {finding.decision.strip()}"


def summary(comparison: Comparison) -> str:
    differences = len(comparison.differences)
    undecided = len(comparison.undecided)
    decided = len(comparison.findings) - undecided
    unread = len(comparison.unread)
    parts = [_count(differences, "difference")]
    if undecided:
        parts.append(_count(undecided, "undecided document issue"))
    if unread:
        parts.append(_count(unread, "unread part"))
    decided_part = f"{_count(decided, 'document issue')} decided by the spec; " if decided else ""
    compared = ", ".join(f"{count} {name}" for name, count in comparison.compared.items())
    return f"{', '.join(parts)} ({decided_part}compared in common: {compared})"


def _count(count: int, what: str) -> str:
    if count == 0 and what == "difference":
        return "no differences"
    return f"{count} {what}{'' if count == 1 else 's'}"


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
    if comparison.findings:
        console.print("[bold]document issues[/]")
        findings = sorted(comparison.findings, key=lambda f: (f.issue.subject, f.issue.line))
        for subject, group in groupby(findings, key=lambda f: f.issue.subject):
            console.print(f"  [bold]{escape(subject or 'the document')}[/]")
            for finding in group:
                mark = "[red]![/]" if finding.decision is None else "[green]=[/]"
                console.print(f"    {mark} {escape(describe_finding(finding))}")
    if comparison.unread:
        console.print("[bold]unread[/]")
        for unread in comparison.unread:
            console.print(f"  [red]?[/] line {unread.line}: {escape(unread.reason)}")
    colour = "green" if comparison.clean else "red"
    console.print(f"[bold {colour}]{escape(summary(comparison))}[/]")


def to_json(comparison: Comparison, document: str, specs: list[str]) -> str:
    return json.dumps(
        {
            "document": document,
            "specs": specs,
            "clean": comparison.clean,
            "differences": [asdict(d) for d in comparison.differences],
            "issues": [
                {**asdict(f.issue), "decided": f.decision is not None, "decision": f.decision}
                for f in comparison.findings
            ],
            "unread": [asdict(u) for u in comparison.unread],
            "compared": comparison.compared,
            "summary": {
                "differences": len(comparison.differences),
                "issues": len(comparison.findings),
                "undecided": len(comparison.undecided),
                "unread": len(comparison.unread),
            },
        },
        ensure_ascii=False,
        indent=2,
    )
