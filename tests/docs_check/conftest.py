from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = Path(__file__).resolve().parent / "documents"
MINI_SPEC = DOCUMENTS / "spec.yaml"
REPO_SPEC = ROOT / "openapi" / "finchat.yaml"
# The upstream document lives beside the checkout, as in the Makefile's docs-check target.
UPSTREAM = ROOT.parent / "shared" / "docs" / "finchat-server-api.md"
