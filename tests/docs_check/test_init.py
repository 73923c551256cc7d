"""The package's names are few, sorted and importable."""

from __future__ import annotations

import finchat_wrapper._docs_check as docs_check


def test_all_is_sorted_and_every_name_exists() -> None:
    assert docs_check.__all__ == sorted(docs_check.__all__)
    assert all(hasattr(docs_check, name) for name in docs_check.__all__)
