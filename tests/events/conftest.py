from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "finchat.yaml"
TOKEN = "2g7als3DgPW6Xp1xEpmcvgVhQG621bFY"  # the spec examples' token


def _load_examples() -> dict[str, dict[str, Any]]:
    with SPEC_PATH.open(encoding="utf-8") as fh:
        spec = yaml.safe_load(fh)
    examples = spec["webhooks"]["event"]["put"]["requestBody"]["content"]["application/json"][
        "examples"
    ]
    return {name: example["value"] for name, example in examples.items()}


CALLBACK_EXAMPLES = _load_examples()


@pytest.fixture
def callbacks() -> dict[str, dict[str, Any]]:
    """The spec's callback examples by name (a fresh deep copy per test)."""
    return copy.deepcopy(CALLBACK_EXAMPLES)


def callback(name: str, **event_changes: Any) -> dict[str, Any]:
    """One spec example, with fields of its event replaced (or removed when given None)."""
    body = copy.deepcopy(CALLBACK_EXAMPLES[name])
    for key, value in event_changes.items():
        if value is None:
            body["event"].pop(key, None)
        else:
            body["event"][key] = value
    return body
