from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = Path(__file__).resolve().parent / "documents"
MINI_SPEC = DOCUMENTS / "spec.yaml"
# The upstream documents live beside the checkout, as in the Makefile's docs-check target.
UPSTREAM_DOCS = ROOT.parent / "shared" / "docs"
REVISION_1 = UPSTREAM_DOCS / "finchat-server-api.md"
REVISION_2 = UPSTREAM_DOCS / "finchat-server-api-rev2.md"
