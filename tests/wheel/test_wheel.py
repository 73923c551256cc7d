"""What a user installs: the wheel, in a fresh virtualenv outside the checkout.

Built once per session and installed in two virtualenvs, one with the `sandbox` extra and one
with the `contract` extra (installed in the background while the first is used; pip's cache
makes the next runs cheaper). From a directory outside the checkout: `finchat --help`, `finchat
contract` without its extra (one line naming it), `finchat docs-check` on the specs the wheel
carries, `finchat sandbox` in the background serving its specs and index, the README's
walk-through, and `finchat contract` with its extra.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.readme.readme import (
    ROOT,
    free_port,
    normalized,
    run_walkthrough,
    walkthrough,
    write_blocks,
)

pytestmark = [pytest.mark.slow, pytest.mark.network]

DOCUMENT = ROOT.parent / "shared" / "docs" / "finchat-server-api-rev2.md"


@dataclass(frozen=True)
class Installed:
    venv: Path
    wheel: Path
    home: Path  # a directory outside the checkout to run in

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FINCHAT_", "PYTHON"))}
        return {**env, "PATH": f"{self.bin}:/usr/bin:/bin", "XDG_CONFIG_HOME": str(self.home)}

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / args[0]), *args[1:]], capture_output=True, text=True,
            cwd=self.home, env=self.env(), timeout=timeout, check=False,
        )  # fmt: skip

    def pip_install(self, requirement: str) -> None:
        # No byte-compiling of every installed file: it is half of the install's time here.
        result = self.run(
            "python", "-m", "pip", "install", "--quiet", "--no-compile", requirement, timeout=600
        )
        assert result.returncode == 0, result.stdout + result.stderr


def _virtualenv(base: Path, wheel: Path, extra: str) -> Installed:
    venv = base / f"venv-{extra}"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    home = base / f"home-{extra}"
    home.mkdir()
    target = Installed(venv, wheel, home)
    target.pip_install(f"{wheel}[{extra}]")
    return target


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The wheel, built once; (it, the directory the virtualenvs go in)."""
    base = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(base / "dist"),
         str(ROOT)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    [path] = (base / "dist").glob("finchat-*.whl")
    return path, base


@pytest.fixture(scope="session")
def with_contract(wheel: tuple[Path, Path]) -> Iterator[Future[Installed]]:
    """A second virtualenv, with the `contract` extra, installed in the background meanwhile."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool.submit(_virtualenv, wheel[1], wheel[0], "contract")


@pytest.fixture(scope="session")
def installed(wheel: tuple[Path, Path], with_contract: Future[Installed]) -> Installed:
    """The virtualenv with the `sandbox` extra only (the other one is on its way)."""
    return _virtualenv(wheel[1], wheel[0], "sandbox")


def test_the_package_imported_is_the_installed_one(installed: Installed) -> None:
    code = "import finchat_wrapper, finchat_openapi; print(finchat_wrapper.__file__)"
    result = installed.run("python", "-c", code)
    assert result.returncode == 0, result.stderr
    assert "site-packages" in result.stdout
    assert str(ROOT) not in result.stdout


def test_help_lists_the_commands(installed: Installed) -> None:
    result = installed.run("finchat", "--help")
    assert result.returncode == 0, result.stderr
    for command in ("contract", "docs-check", "sandbox", "send", "token"):
        assert command in result.stdout


def test_contract_without_its_extra_says_which_to_install(installed: Installed) -> None:
    result = installed.run("finchat", "contract")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "Error: `finchat contract` needs the contract extra (schemathesis is not installed): "
        "pip install 'finchat[contract]'"
    ]
    # Its help works without the extra, and names the spec the wheel carries.
    help_text = "".join(installed.run("finchat", "contract", "--help").stdout.split())
    assert "finchat_wrapper/sandbox/_specs/finchat.yaml]" in help_text  # wrapped at a "-" too


def test_docs_check_compares_with_the_specs_the_wheel_carries(installed: Installed) -> None:
    if not DOCUMENT.is_file():
        pytest.skip(f"{DOCUMENT} is not here (the upstream documents live beside the repo)")
    result = installed.run("finchat", "docs-check", str(DOCUMENT))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no differences" in result.stdout
    help_text = installed.run("finchat", "docs-check", "--help").stdout
    assert "sandbox/_specs" in " ".join(help_text.split()).replace("/ ", "/")


@pytest.fixture
def sandbox(installed: Installed) -> Iterator[dict[str, str]]:
    proc = subprocess.Popen(
        [str(installed.bin / "finchat"), "sandbox", "--port", "0", "--json"],
        stdout=subprocess.PIPE, text=True, cwd=installed.home, env=installed.env(),
        start_new_session=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        yield json.loads(proc.stdout.readline())
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=20)
        if proc.stdout is not None:
            proc.stdout.close()


def test_the_sandbox_serves_its_index_and_the_specs_it_carries(
    sandbox: dict[str, str], installed: Installed
) -> None:
    index = httpx.get(sandbox["simulation"]).json()
    assert index["app_id"] == sandbox["app_id"]
    spec = httpx.get(index["specs"]["sandbox-simulation.yaml"])
    assert spec.status_code == 200
    assert spec.content == (ROOT / "openapi" / "sandbox-simulation.yaml").read_bytes()
    said = installed.run(
        "finchat", "sandbox", "say", "--base-url", sandbox["base_url"], "--user",
        "@test:example.org", "hi",
    )  # fmt: skip
    assert said.returncode == 1  # no callback registered: said so
    assert "the app has no callback" in said.stderr


def test_the_readme_walkthrough_runs_with_the_installed_package(
    installed: Installed, tmp_path: Path
) -> None:
    write_blocks(tmp_path)  # mybot.py among them
    _, shown = walkthrough()
    env = installed.env()
    walk = run_walkthrough(tmp_path, env, ports={8008: free_port(), 9000: free_port()})
    assert normalized(walk.output) == normalized(shown.text), walk.servers


def test_contract_runs_with_its_extra_installed(with_contract: Future[Installed]) -> None:
    installed = with_contract.result(timeout=600)
    result = installed.run(
        "finchat", "contract", "--phases", "examples", "--max-examples", "1", "--report-dir",
        str(installed.home / "reports"), timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "operations" in result.stdout
    assert (installed.home / "reports" / "contract-junit.xml").is_file()
