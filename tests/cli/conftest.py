"""A sandbox on a real uvicorn socket, and `run()`: one `finchat` invocation with a clean env."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from finchat_wrapper._cli import main
from finchat_wrapper.sandbox import Sandbox, serve

# Variables that would change what the CLI reads or how rich renders, cleared for every run.
_CLEARED = (
    "FINCHAT_APP_ID",
    "FINCHAT_SECRET",
    "FINCHAT_BASE_URL",
    "FINCHAT_CONFIG",
    "FINCHAT_INSECURE",
    "FINCHAT_TIMEOUT",
    "FORCE_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "NO_COLOR",
    "COLUMNS",
)


@dataclass
class Run:
    result: Result

    @property
    def code(self) -> int:
        return self.result.exit_code

    @property
    def out(self) -> str:
        return self.result.stdout

    @property
    def err(self) -> str:
        return self.result.stderr

    @property
    def all(self) -> str:
        return self.result.stdout + self.result.stderr

    def json(self) -> Any:
        return json.loads(self.out)


@dataclass
class Finchat:
    """Runs `finchat` in-process against one sandbox, with its credentials in the environment."""

    sandbox: Sandbox
    base_url: str
    home: Path

    def env(self, **overrides: str | None) -> dict[str, str | None]:
        env: dict[str, str | None] = dict.fromkeys(_CLEARED)
        env.update(
            FINCHAT_APP_ID=self.sandbox.app_id,
            FINCHAT_SECRET=self.sandbox.secret,
            FINCHAT_BASE_URL=self.base_url,
            # Never the developer's own ~/.config/finchat/config.toml.
            XDG_CONFIG_HOME=str(self.home),
        )
        env.update(overrides)
        return env

    def __call__(
        self,
        *args: str,
        input: str | bytes | None = None,
        env: Mapping[str, str | None] | None = None,
    ) -> Run:
        result = CliRunner().invoke(
            main, list(args), input=input, env=self.env(**(env or {})), catch_exceptions=False
        )
        return Run(result)

    def tokens(self) -> set[str]:
        """Every token the sandbox has issued and still holds."""
        return set(self.sandbox.state.tokens)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Sandbox, str]]:
    with Sandbox() as sandbox, serve(sandbox, host="127.0.0.1", port=0) as base_url:
        yield sandbox, base_url


@pytest.fixture
def finchat(served: tuple[Sandbox, str], tmp_path: Path) -> Finchat:
    sandbox, base_url = served
    return Finchat(sandbox, base_url, tmp_path / "config-home")
