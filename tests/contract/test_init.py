from __future__ import annotations

import subprocess
import sys

import finchat_wrapper.contract as contract


def test_all_is_sorted_and_names_exactly_the_public_names() -> None:
    assert contract.__all__ == sorted(contract.__all__)
    # "@py_builtins" and the like: pytest rewrites the asserts of its plugins' packages, ours too.
    public = {name for name in vars(contract) if not name.startswith(("_", "@"))}
    assert set(contract.__all__) == public


def test_importing_the_package_does_not_load_schemathesis_or_the_sandbox() -> None:
    code = (
        "import sys, finchat_wrapper.contract; "
        "print(sorted(m for m in ('schemathesis', 'hypothesis', 'finchat_wrapper.sandbox') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout

    assert out.strip() == "[]"
