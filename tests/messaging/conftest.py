from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "finchat.yaml"


@pytest.fixture(scope="session")
def spec_components() -> dict[str, Any]:
    with SPEC_PATH.open(encoding="utf-8") as fh:
        components: dict[str, Any] = yaml.safe_load(fh)["components"]
    return components


@pytest.fixture(scope="session")
def validate(spec_components: dict[str, Any]) -> Callable[[str, Any], None]:
    """validate(schema, instance): raise unless `instance` is valid against the named schema."""

    def check(name: str, instance: Any) -> None:
        # The spec is the resource: "#/components/schemas/..." refs resolve inside it.
        schema = {"$ref": f"#/components/schemas/{name}", "components": spec_components}
        validator = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
        validator.validate(instance)

    return check
