"""`finchat contract`: options, exit status, output and reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from finchat_wrapper._cli import main
from finchat_wrapper.sandbox import Sandbox, serve

REMOTE = ["--base-url", "http://127.0.0.1:1", "--app-id", "a", "--secret", "s"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--app-id", "a"], "--app-id needs --base-url"),
        (["--secret", "s"], "--secret needs --base-url"),
        (["--allow-writes"], "--allow-writes and --room need --base-url"),
        (["--base-url", "http://127.0.0.1:1"], "--base-url needs --app-id and --secret"),
        (
            [*REMOTE, "--allow-writes"],
            "--allow-writes needs at least one --room",
        ),
        (
            [*REMOTE, "--room", "!r:x"],
            "--room is only used with --allow-writes",
        ),
        ([*REMOTE, "--socket"], "--socket applies to the embedded sandbox only"),
        (["--phases", "examples,explore"], "choose among examples, coverage, fuzzing, stateful"),
        (["--max-examples", "0"], "--max-examples"),
    ],
)
def test_inconsistent_options_are_usage_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["contract", *args], env={"FINCHAT_SECRET": None})

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
    assert "operations  9/9 tested" in result.output
    assert "cases/s" in result.output
    assert "PASSED" in result.output
    report = json.loads((tmp_path / "out" / "contract-report.json").read_text(encoding="utf-8"))
    assert report["ok"] is True
    assert report["seed"] == 3
    assert (tmp_path / "out" / "contract-junit.xml").is_file()
    assert not (tmp_path / ".hypothesis").exists()
    assert not (tmp_path / ".schemathesis").exists()


@pytest.mark.network
def test_a_server_refusing_the_credentials_fails_the_run_without_printing_the_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    wrong_secret = "wrong-secret-4f0c2a"

    with Sandbox() as sandbox, serve(sandbox) as base_url:
        result = CliRunner().invoke(
            main,
            [
                "contract",
                "--base-url",
                base_url,
                "--app-id",
                sandbox.app_id,
                "--phases",
                "examples",
                "--report-dir",
                str(tmp_path / "out"),
            ],
            env={"FINCHAT_SECRET": wrong_secret},
        )
        sent = sandbox.delivery_log

    assert result.exit_code == 1, result.output
    assert "FAILED" in result.output
    assert wrong_secret not in result.output
    for report in (tmp_path / "out").iterdir():
        assert wrong_secret not in report.read_text(encoding="utf-8")
    assert sent == []
