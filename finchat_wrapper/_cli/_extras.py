"""Which extra a command needs, and one line saying so when it is not installed.

The extras and their distributions are read from the installed package's own metadata (what
`pyproject.toml` declares), so this module restates none of them. `COMMAND_EXTRAS` says which
commands need one; the README's table of commands says the same, and a test holds them together.
"""

from __future__ import annotations

import importlib.metadata
import re

from ._common import CliError, ExitCode

__all__ = [
    "COMMAND_EXTRAS",
    "MODULE_EXTRAS",
    "install_hint",
    "missing_distributions",
    "require_extra",
]

COMMAND_EXTRAS: dict[str, str] = {
    "contract": "contract",
    "listen": "sandbox",
    "sandbox": "sandbox",
}
"""command -> the extra it needs; the other commands need only the base install."""

MODULE_EXTRAS: dict[str, str] = {
    "joserfc": "identity",
    "jsonschema": "sandbox",
    "PIL": "images",
    "redis": "redis",
    "schemathesis": "contract",
    "starlette": "sandbox",
    "uvicorn": "sandbox",
}
"""Top-level module -> the smallest extra that installs it: for a `ModuleNotFoundError` that
escapes a command (a library part whose extra is missing), the extra to name."""

_PACKAGE = "finchat"
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)[^;]*;\s*extra\s*==\s*['\"]([^'\"]+)")


def missing_distributions(extra: str) -> list[str]:
    """The distributions of `extra` that are not installed (platform-conditional ones aside)."""
    try:
        requirements = importlib.metadata.requires(_PACKAGE) or []
    except importlib.metadata.PackageNotFoundError:
        return []  # not installed as a distribution (a bare checkout): nothing to compare with
    missing = []
    for requirement in requirements:
        match = _REQUIREMENT.match(requirement)
        # `uvloop; sys_platform != 'win32' and extra == ...` is a speed-up, never a need.
        if match is None or match.group(2) != extra:
            continue
        name = match.group(1)
        try:
            importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
    return missing


def install_hint(command: str, extra: str, missing: str) -> str:
    return (
        f"`finchat {command}` needs the {extra} extra ({missing} is not installed): "
        f"pip install 'finchat[{extra}]'"
    )


def require_extra(command: str) -> None:
    """CliError (exit 2) naming the extra to install when `command`'s extra is incomplete."""
    extra = COMMAND_EXTRAS.get(command)
    if extra is None:
        return
    missing = missing_distributions(extra)
    if missing:
        raise CliError(install_hint(command, extra, ", ".join(missing)), ExitCode.USAGE)
