"""A command whose extra is not installed says, in one line, which extra to install."""

from __future__ import annotations

import importlib.metadata
import sys

import pytest
from click.testing import CliRunner

from finchat_wrapper._cli import COMMANDS, main
from finchat_wrapper._cli._extras import COMMAND_EXTRAS, MODULE_EXTRAS, missing_distributions


def without(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """Make the distributions `names` look uninstalled, as in a virtualenv without the extra."""
    real = importlib.metadata.version

    def version(name: str) -> str:
        if name.lower() in names:
            raise importlib.metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(importlib.metadata, "version", version)


@pytest.mark.parametrize(
    ("args", "extra", "missing"),
    [
        (["contract"], "contract", "schemathesis"),
        (["sandbox", "--port", "0"], "sandbox", "starlette"),
        (["listen", "--token", "t"], "sandbox", "uvicorn"),
    ],
)
def test_a_command_without_its_extra_names_the_extra_in_one_line(
    monkeypatch: pytest.MonkeyPatch, args: list[str], extra: str, missing: str
) -> None:
    without(monkeypatch, missing)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Error: `finchat {args[0]}` needs the {extra} extra ({missing} is not installed): "
        f"pip install 'finchat[{extra}]'"
    ]


def test_a_missing_module_met_while_running_names_its_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A part of the package whose extra is missing fails at its import: the group says which.
    monkeypatch.setitem(sys.modules, "schemathesis", None)  # `import schemathesis` fails
    result = CliRunner().invoke(main, ["contract", "--phases", "examples", "--max-examples", "1"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: `finchat contract` needs the contract extra (schemathesis is not installed): "
        "pip install 'finchat[contract]'"
    )
    assert "Traceback" not in result.output


def test_the_extras_named_are_extras_of_the_package() -> None:
    declared = set(importlib.metadata.metadata("finchat").get_all("Provides-Extra") or [])
    assert set(COMMAND_EXTRAS.values()) | set(MODULE_EXTRAS.values()) <= declared
    assert set(COMMAND_EXTRAS) <= set(COMMANDS)
    assert all(missing_distributions(extra) == [] for extra in declared)  # the dev install


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "import sys; sys.modules['starlette'] = None; import finchat_wrapper.sandbox",
            "this needs the sandbox extra (starlette is not installed): "
            "pip install 'finchat[sandbox]'",
        ),
        (
            "import sys; sys.modules['schemathesis'] = None\n"
            "from finchat_wrapper.contract import run_contract\n"
            "run_contract(None, base_url='http://127.0.0.1:9')",
            "this needs the contract extra (schemathesis is not installed): "
            "pip install 'finchat[contract]'",
        ),
    ],
    ids=["sandbox", "contract"],
)
def test_the_library_names_the_extra_a_missing_module_belongs_to(code: str, message: str) -> None:
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == f"ModuleNotFoundError: {message}"
