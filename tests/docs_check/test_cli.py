"""`finchat docs-check`: exit 0 when the document matches, 1 on differences, 2 when unreadable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import finchat_wrapper._docs_check as docs_check_package
from finchat_wrapper._cli import main
from finchat_wrapper._docs_check import default_spec_dir, default_specs

from .conftest import DOCUMENTS, MINI_SPEC, ROOT


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["docs-check", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_matching_document_exits_zero() -> None:
    code, out, _ = _run(str(DOCUMENTS / "baseline.md"), "--spec", str(MINI_SPEC))
    assert code == 0
    assert "no differences" in out


def test_differences_exit_one_and_are_listed() -> None:
    code, out, _ = _run(str(DOCUMENTS / "changed.md"), "--spec", str(MINI_SPEC))
    assert code == 1
    assert "response field `expires_in`: type string in the document" in out
    assert "2 differences" in out


def test_json_output_is_one_document_for_tools() -> None:
    code, out, _ = _run(str(DOCUMENTS / "added.md"), "--spec", str(MINI_SPEC), "--json")
    assert code == 1
    loaded = json.loads(out)
    assert len(loaded["differences"]) == 5
    assert {d["kind"] for d in loaded["differences"]} == {"added"}


def test_a_file_that_is_not_an_api_document_exits_two_with_a_clear_error(tmp_path: Path) -> None:
    document = tmp_path / "notes.md"
    document.write_text("# 会议记录\n\n没有接口。\n", encoding="utf-8")
    code, out, err = _run(str(document), "--spec", str(MINI_SPEC))
    assert code == 2
    assert out == ""
    assert "cannot read the document: no operation found" in err
    assert "Traceback" not in err


def test_a_binary_file_exits_two(tmp_path: Path) -> None:
    document = tmp_path / "image.md"
    document.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    code, _, err = _run(str(document), "--spec", str(MINI_SPEC))
    assert code == 2
    assert "cannot read the document" in err


def test_an_unreadable_part_exits_one_and_the_rest_is_still_compared(tmp_path: Path) -> None:
    text = (DOCUMENTS / "baseline.md").read_text(encoding="utf-8")
    document = tmp_path / "broken.md"
    document.write_text(text.replace("| expires_in | int64 |", "| expires_in | int64?? |"))
    code, out, _ = _run(str(document), "--spec", str(MINI_SPEC))
    assert code == 1
    assert "cannot read the type 'int64??'" in out
    # The row is left out, so the spec's field is unmatched; everything else still matches.
    assert "response field `expires_in`: in the spec, not in the document" in out
    assert "1 difference, 1 unread part" in out


def test_a_malformed_document_with_json_gives_the_error_as_json(tmp_path: Path) -> None:
    document = tmp_path / "bad.md"
    document.write_text("no operations here\n", encoding="utf-8")
    code, out, _ = _run(str(document), "--json", "--spec", str(MINI_SPEC))
    assert code == 2
    assert json.loads(out)["error"] == {
        "in": "document",
        "path": str(document),
        "message": "no operation found: the document has no 请求方式：METHOD line",
    }


@pytest.mark.parametrize("which", ["document", "spec"])
def test_a_missing_file_exits_two(tmp_path: Path, which: str) -> None:
    missing = str(tmp_path / "missing")
    args = (
        [missing, "--spec", str(MINI_SPEC)]
        if which == "document"
        else [
            str(DOCUMENTS / "baseline.md"),
            "--spec",
            missing,
        ]
    )
    code, _, err = _run(*args)
    assert code == 2
    assert f"cannot read the {which}" in err


def test_an_unreadable_spec_exits_two(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: [unclosed\n", encoding="utf-8")
    code, _, err = _run(str(DOCUMENTS / "baseline.md"), "--spec", str(spec))
    assert code == 2
    assert "cannot read the spec" in err


def test_help_names_the_spec_files_it_reads_by_default() -> None:
    code, out, _ = _run("--help")
    assert code == 0
    flat = " ".join(out.split())
    assert f"Default: every finchat*.yaml of {default_spec_dir()}" in flat


def test_the_default_specs_are_those_of_the_checkout_with_finchat_yaml_first() -> None:
    specs = default_specs()
    assert specs[0] == ROOT / "openapi" / "finchat.yaml"
    assert all(path.parent == ROOT / "openapi" for path in specs)
    assert ROOT / "openapi" / "sandbox-simulation.yaml" not in specs


def test_an_installed_package_without_a_checkout_reads_the_specs_it_carries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site-packages" / "finchat_wrapper"
    specs = package / "sandbox" / "_specs"
    specs.mkdir(parents=True)
    for name in ("finchat-iam.yaml", "finchat.yaml", "sandbox-simulation.yaml"):
        (specs / name).write_text("openapi: 3.1.0\n", encoding="utf-8")
    monkeypatch.setattr(docs_check_package, "_PACKAGE", package)
    assert default_spec_dir() == specs
    assert default_specs() == [specs / "finchat.yaml", specs / "finchat-iam.yaml"]


def test_piped_output_keeps_each_item_on_one_line(tmp_path: Path) -> None:
    document = tmp_path / "long.md"
    long_name = "a_field_with_a_name_long_enough_to_wrap_an_eighty_column_terminal_" + "x" * 40
    text = (DOCUMENTS / "baseline.md").read_text(encoding="utf-8")
    document.write_text(text.replace("| secret | string |", f"| {long_name} | string |"))
    finchat = Path(sys.executable).parent / "finchat"
    result = subprocess.run(
        [str(finchat), "docs-check", str(document), "--spec", str(MINI_SPEC)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "40", "TERM": "xterm-256color"},
        check=False,
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.strip().startswith(f"+ request body field `{long_name}`") for line in lines)
    assert "\x1b[" not in result.stdout  # no colour codes in a pipe
