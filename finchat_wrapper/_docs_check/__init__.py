"""`finchat docs-check`: compare the upstream FinChat API document with the OpenAPI spec files.

`_blocks` parses the document's Markdown (markdown-it-py), `_document` reads its FinChat layer
(operations, tables, examples, and what the document says two ways) and `_spec` the spec files,
both into the `Facts` of `_model`; `_compare` lists their `Difference`s and the document's issues
with the spec's decisions (its docstring says what is compared and what deliberately is not);
`_report` prints them. `check` runs the whole chain on files.

Which spec files: `default_specs()`, the `finchat*.yaml` files of the checkout's `openapi/` when
this package runs from a checkout, else the copies an installed wheel carries.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from . import _document, _spec
from ._compare import Comparison, compare
from ._model import Difference, DocumentError, Finding, Issue, SpecError, Unread
from ._report import print_text, to_json

__all__ = [
    "Comparison",
    "Difference",
    "DocumentError",
    "Finding",
    "Issue",
    "SpecError",
    "Unread",
    "check",
    "compare",
    "default_spec_dir",
    "default_specs",
    "print_text",
    "to_json",
]

SPEC_GLOB = "finchat*.yaml"
"""The spec files of the API: `finchat.yaml` (the FinChat host), `finchat-iam.yaml` (the IAM)."""

_PACKAGE = Path(__file__).resolve().parents[1]


def default_spec_dir() -> Path:
    """`openapi/` of the checkout this package runs from, else the wheel's copies of its specs.

    The wheel carries them under the sandbox package (`force-include` in pyproject.toml).
    """
    checkout = _PACKAGE.parent / "openapi"
    if (checkout / "finchat.yaml").is_file():
        return checkout
    return _PACKAGE / "sandbox" / "_specs"


def default_specs() -> list[Path]:
    """Every spec file of the API, `finchat.yaml` first (its servers are the FinChat host)."""
    found = sorted(default_spec_dir().glob(SPEC_GLOB))
    return sorted(found, key=lambda path: path.name != "finchat.yaml")


def _loader() -> type[yaml.SafeLoader]:
    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


def check(document: Path, specs: list[Path] | None = None) -> Comparison:
    """Compare a document with spec files; `DocumentError` or `SpecError` if one cannot be read."""
    try:
        text = document.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(f"cannot read {document}: {exc}") from exc
    if "\x00" in text:
        raise DocumentError(f"{document} is not a text document")
    paths = default_specs() if specs is None else specs
    if not paths:
        raise SpecError(f"no spec file ({SPEC_GLOB}) in {default_spec_dir()}")
    loaded = []
    for path in paths:
        try:
            loaded.append(yaml.load(path.read_text(encoding="utf-8"), Loader=_loader()))  # noqa: S506
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise SpecError(f"cannot read {path}: {exc}") from exc
    spec_facts = _spec.extract(loaded)
    return compare(_document.extract(text), spec_facts)
