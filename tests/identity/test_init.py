"""The public API of finchat_wrapper.identity: a sorted, complete `__all__`, one error root, and
the ASGI integration loaded only when asked for."""

from __future__ import annotations

import subprocess
import sys

import finchat_wrapper.identity as identity
from finchat_wrapper import FinChatError


def test_all_is_sorted_unique_and_importable() -> None:
    assert identity.__all__ == sorted(set(identity.__all__))
    for name in identity.__all__:
        assert getattr(identity, name) is not None, name


def test_every_exception_derives_from_identity_error_under_the_one_root() -> None:
    for name in identity.__all__:
        value = getattr(identity, name)
        if isinstance(value, type) and issubclass(value, BaseException):
            assert issubclass(value, identity.IdentityError), name
            assert issubclass(value, FinChatError), name
            assert name.endswith("Error"), name


def test_importing_identity_does_not_load_starlette_nor_the_package_root_loads_identity() -> None:
    code = (
        "import sys; import finchat_wrapper; assert 'finchat_wrapper.identity' not in sys.modules; "
        "import finchat_wrapper.identity; print('starlette' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
