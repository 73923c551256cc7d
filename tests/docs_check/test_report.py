"""The text report groups differences by section and subject; JSON carries every field."""

from __future__ import annotations

import io
import json

from rich.console import Console

from finchat_wrapper._docs_check import Comparison, Difference
from finchat_wrapper._docs_check._report import describe, print_text, to_json

_DIFFERENCES = [
    Difference("events", "", "spec-only", "event type x.y"),
    Difference("operations", "GET /a", "type", "response field `n`", "string", "integer", 7),
    Difference("operations", "", "doc-only", "operation GET /b", line=3),
]
_COMPARED = {"operations": 1, "events": 2}


def _text(differences: list[Difference]) -> str:
    out = io.StringIO()
    print_text(Comparison(differences, _COMPARED), Console(file=out, width=200, no_color=True))
    return out.getvalue()


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
    assert _text([]).strip() == "no differences (compared: 1 operations, 2 events)"


def test_json_carries_every_difference_with_its_values() -> None:
    loaded = json.loads(to_json(Comparison(_DIFFERENCES, _COMPARED), "doc.md", "spec.yaml"))
    assert loaded["document"] == "doc.md"
    assert loaded["compared"] == _COMPARED
    assert loaded["differences"][1] == {
        "section": "operations",
        "subject": "GET /a",
        "kind": "type",
        "item": "response field `n`",
        "doc": "string",
        "spec": "integer",
        "line": 7,
    }
