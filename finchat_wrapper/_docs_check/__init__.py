"""`finchat docs-check`: compare the upstream FinChat API document with the OpenAPI spec.

`_markdown` reads the document, `_spec` the spec, both into the `Facts` of `_model`; `_compare`
lists their `Difference`s (its docstring says what is compared and what deliberately is not);
`_report` prints them. `check` runs the whole chain on two files.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from . import _markdown, _spec
from ._compare import Comparison, compare
from ._model import Difference, DocumentError, SpecError

__all__ = ["Comparison", "Difference", "DocumentError", "SpecError", "check", "compare"]


def check(document: Path, spec: Path) -> Comparison:
    """Compare a document with a spec; `DocumentError` or `SpecError` if one cannot be read."""
    try:
        text = document.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(f"cannot read {document}: {exc}") from exc
    try:
        loaded = yaml.safe_load(spec.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SpecError(f"cannot read {spec}: {exc}") from exc
    return compare(_markdown.extract(text), _spec.extract(loaded))
