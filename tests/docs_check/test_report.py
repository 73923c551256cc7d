"""The text report groups differences by section and subject; JSON carries every field."""

from __future__ import annotations

import io
import json
from dataclasses import replace

from rich.console import Console

from finchat_wrapper._docs_check import Comparison, Difference, Finding, Issue, Unread
from finchat_wrapper._docs_check._report import describe, print_text, to_json

_DIFFERENCES = [
    Difference("events", "", "removed", "event type x.y"),
    Difference("operations", "GET /a", "type", "response field `n`", "string", "integer", 7),
    Difference("operations", "", "added", "operation GET /b", line=3),
]
_COMPARED = {"operations": 1, "events": 2}


def _text(
    differences: list[Difference],
    findings: list[Finding] | None = None,
    unread: list[Unread] | None = None,
    width: int = 200,
) -> str:
    out = io.StringIO()
    comparison = Comparison(differences, findings or [], unread or [], _COMPARED)
    print_text(comparison, Console(file=out, width=width, no_color=True, soft_wrap=True))
    return out.getvalue()


_ISSUE = Issue("operations", "GET /a", "the address says `x`, the table `y`", 4, ("x", "y"))


def test_each_kind_of_difference_reads_as_a_sentence() -> None:
    assert describe(_DIFFERENCES[0]) == "event type x.y: in the spec, not in the document"
    assert describe(_DIFFERENCES[1]) == (
        "response field `n`: type string in the document (line 7), integer in the spec"
    )
    assert (
        describe(_DIFFERENCES[2]) == "operation GET /b: in the document (line 3), not in the spec"
    )


def test_the_text_lists_sections_in_order_with_subjects_and_a_count() -> None:
    assert _text(_DIFFERENCES).splitlines() == [
        "operations",
        "  + operation GET /b: in the document (line 3), not in the spec",
        "  GET /a",
        "    ~ response field `n`: type string in the document (line 7), integer in the spec",
        "events",
        "  - event type x.y: in the spec, not in the document",
        "3 differences (compared in common: 1 operations, 2 events)",
    ]


def test_no_difference_says_so_and_what_was_compared() -> None:
    assert _text([]).strip() == "no differences (compared in common: 1 operations, 2 events)"


def test_document_issues_say_whether_the_spec_decided_them_and_unread_parts_their_line() -> None:
    findings = [Finding(_ISSUE, None), Finding(replace(_ISSUE, line=5), "`y` wins (line 4)")]
    assert _text([], findings, [Unread(9, "cannot read the type 'x|y'")]).splitlines() == [
        "document issues",
        "  GET /a",
        "    ! the address says `x`, the table `y`: not decided by the spec",
        "    = the address says `x`, the table `y`: decided by the spec: `y` wins (line 4)",
        "unread",
        "  ? line 9: cannot read the type 'x|y'",
        "no differences, 1 undecided document issue, 1 unread part (1 document issue decided by"
        " the spec; compared in common: 1 operations, 2 events)",
    ]


def test_long_lines_are_not_wrapped_in_a_narrow_console() -> None:
    long = Difference("operations", "GET /a", "added", "request body field `" + "x" * 120 + "`")
    lines = _text([long], width=40).splitlines()
    assert len(lines) == 4
    assert lines[2].startswith("    + request body field `xxx")


def test_json_carries_every_difference_issue_and_unread_part_with_its_values() -> None:
    comparison = Comparison(
        _DIFFERENCES, [Finding(_ISSUE, "decided")], [Unread(9, "why")], _COMPARED
    )
    loaded = json.loads(to_json(comparison, "doc.md", ["a.yaml", "b.yaml"]))
    assert loaded["document"] == "doc.md"
    assert loaded["specs"] == ["a.yaml", "b.yaml"]
    assert loaded["compared"] == _COMPARED
    assert loaded["clean"] is False
    assert loaded["summary"] == {"differences": 3, "issues": 1, "undecided": 0, "unread": 1}
    assert loaded["issues"] == [
        {
            "section": "operations",
            "subject": "GET /a",
            "what": "the address says `x`, the table `y`",
            "line": 4,
            "terms": ["x", "y"],
            "key": None,
            "decided": True,
            "decision": "decided",
        }
    ]
    assert loaded["unread"] == [{"line": 9, "reason": "why"}]
    assert loaded["differences"][1] == {
        "section": "operations",
        "subject": "GET /a",
        "kind": "type",
        "item": "response field `n`",
        "doc": "string",
        "spec": "integer",
        "line": 7,
    }
