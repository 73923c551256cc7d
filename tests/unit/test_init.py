"""The public API: a sorted, complete `__all__`, and a light import."""

from __future__ import annotations

import subprocess
import sys

import finchat_wrapper


def test_all_is_sorted_and_unique() -> None:
    assert finchat_wrapper.__all__ == sorted(set(finchat_wrapper.__all__))


def test_every_public_name_is_importable() -> None:
    for name in finchat_wrapper.__all__:
        assert getattr(finchat_wrapper, name) is not None, name


def test_every_exception_derives_from_the_one_root() -> None:
    exceptions = [
        name
        for name in finchat_wrapper.__all__
        if isinstance(value := getattr(finchat_wrapper, name), type)
        and issubclass(value, BaseException)
    ]
    assert exceptions  # the check below judges something
    for name in exceptions:
        value = getattr(finchat_wrapper, name)
        assert issubclass(value, finchat_wrapper.FinChatError), name
        assert name.endswith("Error"), name


def test_every_exception_of_the_errors_module_is_exported_by_the_package() -> None:
    from finchat_wrapper import _errors

    defined = {
        name
        for name, value in vars(_errors).items()
        if isinstance(value, type)
        and issubclass(value, BaseException)
        and value.__module__ == _errors.__name__
    }
    assert "ServerError" in defined  # the check below judges the module's classes
    assert defined - set(finchat_wrapper.__all__) == set()


def test_importing_the_package_loads_nothing_beyond_httpx_and_itself() -> None:
    # The import budget is 1.3x httpx: generated models, asyncio and extras load when used.
    code = (
        "import sys, httpx; before = set(sys.modules); import finchat_wrapper; "
        "print(sorted(m for m in set(sys.modules) - before if not m.startswith('finchat_wrapper')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_areas_and_the_names_living_with_them_load_on_first_use() -> None:
    code = (
        "import sys, finchat_wrapper as fw; lazy = ('finchat_wrapper._areas', "
        "'finchat_wrapper._bulk', 'finchat_wrapper._upload', 'finchat_wrapper._content'); "
        "print([m for m in lazy if m in sys.modules]); "
        "client = fw.FinChat('app', 's', base_url='https://finchat.test'); "
        "print([m for m in lazy if m in sys.modules]); client.rooms; "
        "print('finchat_wrapper._areas' in sys.modules, fw.SendReport.__name__, fw.text_content)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    before, made, used = result.stdout.splitlines()
    assert before == "[]"
    assert made == "[]"  # a client alone makes no area
    assert used.startswith("True SendReport <function text_content")


def test_dir_lists_the_names_loaded_on_first_use() -> None:
    assert set(finchat_wrapper.__all__) <= set(dir(finchat_wrapper))
