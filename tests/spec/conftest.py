from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

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


def resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def operations(document: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId -> (method, path, operation) of every path operation."""
    return {
        op["operationId"]: (method, path, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
    }
