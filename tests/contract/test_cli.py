"""`finchat contract`: options, exit status, output and reports."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from finchat_wrapper._cli import main
from finchat_wrapper.sandbox import Sandbox, serve

REMOTE = ["--base-url", "http://127.0.0.1:1", "--app-id", "a", "--secret", "s"]
# No credentials from the environment or a config file of whoever runs the tests.
NO_SETTINGS = {
    "FINCHAT_APP_ID": None,
    "FINCHAT_SECRET": None,
    "FINCHAT_BASE_URL": None,
    "FINCHAT_CONFIG": "/nonexistent/finchat-config.toml",
}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--app-id", "a"], "--app-id needs --base-url"),
        (["--secret", "s"], "--secret needs --base-url"),
        (["--allow-writes"], "--allow-writes, --room, --webhook and --insecure need --base-url"),
        (["--webhook", "h"], "--allow-writes, --room, --webhook and --insecure need --base-url"),
        (["--base-url", "http://127.0.0.1:1"], "missing app_id, secret"),
        (
            [*REMOTE, "--allow-writes"],
            "--allow-writes needs at least one --room",
        ),
        (
            [*REMOTE, "--room", "!r:x"],
            "--room and --webhook are only used with --allow-writes",
        ),
        (
            [*REMOTE, "--webhook", "h"],
            "--room and --webhook are only used with --allow-writes",
        ),
        ([*REMOTE, "--socket"], "--socket applies to the embedded sandbox only"),
        (["--phases", "examples,explore"], "choose among examples, coverage, fuzzing, stateful"),
        (["--max-examples", "0"], "--max-examples"),
    ],
)
def test_inconsistent_options_are_usage_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["contract", *args], env=NO_SETTINGS)

    assert result.exit_code == 2, result.output
    assert message in result.output


def test_a_passing_run_prints_the_figures_writes_both_reports_and_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    result = CliRunner().invoke(
        main, ["contract", "--phases", "examples", "--report-dir", "out", "--seed", "3"]
    )

    assert result.exit_code == 0, result.output
    assert "embedded sandbox, in-process (ASGI), seed 3" in result.output
    # The FinChat host's 20 read and write operations and the IAM's 5.
    assert "operations  25/25 tested" in result.output
    assert "cases/s" in result.output
    assert "PASSED" in result.output
    report = json.loads((tmp_path / "out" / "contract-report.json").read_text(encoding="utf-8"))
    assert report["ok"] is True
    assert report["seed"] == 3
    assert (tmp_path / "out" / "contract-junit.xml").is_file()
    assert not (tmp_path / ".hypothesis").exists()
    assert not (tmp_path / ".schemathesis").exists()


def test_json_mode_prints_the_report_as_one_document_on_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    result = CliRunner().invoke(main, ["contract", "--phases", "examples", "--json"])

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["operations_tested"] == 25  # the FinChat host's 20, the IAM's 5
    assert report["cases_by_phase"]["examples"] == report["cases"]


def test_sandbox_credentials_in_the_environment_do_not_redirect_the_default_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    env = {"FINCHAT_APP_ID": "elsewhere", "FINCHAT_SECRET": "s", "FINCHAT_BASE_URL": "http://x"}

    result = CliRunner().invoke(main, ["contract", "--phases", "examples", "--json"], env=env)

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["target"] == "embedded sandbox, in-process (ASGI)"


@pytest.mark.network
def test_a_server_refusing_the_secret_exits_3_in_one_line_without_printing_it(
    tmp_path: Path,
) -> None:
    wrong_secret = "wrong-secret-4f0c2a"

    with Sandbox() as sandbox, serve(sandbox) as base_url:
        args = ["contract", "--base-url", base_url, "--app-id", sandbox.app_id]
        args += ["--report-dir", str(tmp_path / "out")]
        result = CliRunner().invoke(main, args, env={**NO_SETTINGS, "FINCHAT_SECRET": wrong_secret})
        operations = dict(sandbox.stats.operations)

    assert result.exit_code == 3, result.output
    assert "FC_INVALID_SECRET" in result.output
    assert wrong_secret not in result.output
    assert operations == {"get_app_access_token": 1}
    assert not (tmp_path / "out").exists()


def test_an_unreachable_server_exits_6_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    # Nothing listens on the port once the socket is closed.

    result = CliRunner().invoke(
        main,
        ["contract", "--base-url", f"http://127.0.0.1:{port}", "--app-id", "a", "--secret", "s"],
        env=NO_SETTINGS,
    )

    assert result.exit_code == 6, result.output
    assert "cannot connect" in result.output
