"""Every mutation of a document gives a report or a clean document error, never a traceback.

The mutations (`mutations.py`) break one thing each, as a careless revision would. The real
revisions are mutated when they are beside the checkout, the fixture documents always. The run
is seeded; `FINCHAT_DOCS_MUTATIONS=N` runs N mutations per document instead of the default.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
import yaml
from rich.console import Console

from finchat_wrapper._docs_check import DocumentError, compare, default_specs
from finchat_wrapper._docs_check._document import extract
from finchat_wrapper._docs_check._report import print_text, to_json
from finchat_wrapper._docs_check._spec import extract as extract_spec

from .conftest import DOCUMENTS, UPSTREAM_DOCS
from .mutations import mutations

COUNT = int(os.environ.get("FINCHAT_DOCS_MUTATIONS", "20"))

_CASES = [
    (DOCUMENTS / "baseline.md", [DOCUMENTS / "spec.yaml"]),
    (DOCUMENTS / "irregular.md", [DOCUMENTS / "spec.yaml"]),
    (DOCUMENTS / "rev2.md", [DOCUMENTS / "spec-rev2.yaml", DOCUMENTS / "spec-iam.yaml"]),
    (UPSTREAM_DOCS / "finchat-server-api.md", None),
    (UPSTREAM_DOCS / "finchat-server-api-rev2.md", None),
]


@pytest.mark.parametrize(("document", "specs"), _CASES, ids=[c[0].name for c in _CASES])
def test_every_mutation_gives_a_report_or_a_document_error(
    document: Path, specs: list[Path] | None
) -> None:
    if not document.is_file():
        pytest.skip("the upstream documents are not beside the checkout")
    spec = extract_spec(
        [yaml.safe_load(path.read_text(encoding="utf-8")) for path in specs or default_specs()]
    )
    reports = errors = 0
    for name, text in mutations(document.read_text(encoding="utf-8"), COUNT):
        try:
            comparison = compare(extract(text), spec)
        except DocumentError:
            errors += 1
            continue
        print_text(comparison, Console(file=io.StringIO(), soft_wrap=True))
        assert json.loads(to_json(comparison, "d", ["s"]))["summary"], name
        reports += 1
    assert reports + errors == COUNT
    assert reports > errors  # most mutations leave a document
