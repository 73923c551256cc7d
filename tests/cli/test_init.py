"""The `finchat` group: lazy help, the exit-code table, and an example in every command's help."""

from __future__ import annotations

import re
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from finchat_wrapper._cli import API_COMMANDS, COMMANDS, EXIT_CODES, main
from finchat_wrapper._cli._common import ExitCode


def test_help_imports_no_subcommand_module() -> None:
    code = (
        "import sys\n"
        "from finchat_wrapper._cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('finchat_wrapper._cli.')))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_the_exit_code_table_in_help_is_the_one_commands_use() -> None:
    assert [code for code, _ in EXIT_CODES] == [int(code) for code in ExitCode]
    help_text = CliRunner().invoke(main, ["--help"]).output
    for code, meaning in EXIT_CODES:
        assert f"{code:<4} {meaning}" in help_text


def api_commands() -> list[list[str]]:
    paths = []
    for name in API_COMMANDS:
        command = main.get_command(click.Context(main), name)
        assert command is not None
        if isinstance(command, click.Group):
            paths += [[name, sub] for sub in command.commands]
            paths.append([name])
        else:
            paths.append([name])
    return paths


@pytest.mark.parametrize("path", api_commands(), ids=" ".join)
def test_every_api_command_has_an_example_and_json_in_its_help(path: list[str]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert re.search(r"Examples:\n +finchat " + re.escape(" ".join(path)), result.output)
    # A group's own help lists its commands; each command's help has the options.
    if not isinstance(main.get_command(click.Context(main), path[0]), click.Group) or len(path) > 1:
        assert "--json" in result.output
        assert "FINCHAT_SECRET" in result.output


OTHER_COMMANDS = sorted(set(COMMANDS) - set(API_COMMANDS))


@pytest.mark.parametrize("name", OTHER_COMMANDS)
def test_every_other_command_also_has_examples_and_json(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    examples = result.output.split("Examples:\n", 1)
    assert len(examples) == 2
    assert f"finchat {name}" in examples[1]
    assert "--json" in result.output
