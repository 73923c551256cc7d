from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

# The package's one $ref resolver: the spec tests read the spec as the sandbox does.
from finchat_wrapper._refs import merged, resolve

__all__ = ["IAM_SPEC", "PACKAGES", "SPEC", "SPEC_PATH", "load", "merged", "operations", "resolve"]

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "openapi" / "finchat.yaml"
IAM_SPEC_PATH = ROOT / "openapi" / "finchat-iam.yaml"
# Spec file -> the package generated from it (scripts/generate).
PACKAGES = {SPEC_PATH: "finchat_openapi", IAM_SPEC_PATH: "finchat_iam_openapi"}


def load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        document: dict[str, Any] = yaml.safe_load(fh)
    return document


SPEC = load(SPEC_PATH)
IAM_SPEC = load(IAM_SPEC_PATH)


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    return SPEC


@pytest.fixture(scope="session")
def iam_spec() -> dict[str, Any]:
    return IAM_SPEC


def operations(document: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId -> (method, path, operation) of every path operation."""
    return {
        op["operationId"]: (method, path, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
    }
