"""The public API of `finchat_wrapper.fleet`: a sorted `__all__`, one exception root, and an
import that only the fleet's users pay for."""

from __future__ import annotations

import subprocess
import sys

import finchat_wrapper.fleet


def test_all_is_sorted_unique_and_importable() -> None:
    names = finchat_wrapper.fleet.__all__
    assert names == sorted(set(names))
    for name in names:
        assert getattr(finchat_wrapper.fleet, name) is not None, name


def test_every_exception_derives_from_the_one_root() -> None:
    exceptions = [
        name
        for name in finchat_wrapper.fleet.__all__
        if isinstance(value := getattr(finchat_wrapper.fleet, name), type)
        and issubclass(value, BaseException)
    ]
    assert exceptions  # the check below judges something
    for name in exceptions:
        value = getattr(finchat_wrapper.fleet, name)
        assert issubclass(value, finchat_wrapper.FinChatError), name
        assert name.endswith("Error"), name


def test_importing_the_client_does_not_import_redis() -> None:
    code = "import sys, finchat_wrapper; print('redis' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
