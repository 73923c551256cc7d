"""`finchat docs-check`: exit 0 when the document matches, 1 on differences, 2 when unreadable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from finchat_wrapper._cli import main

from .conftest import DOCUMENTS, MINI_SPEC, UPSTREAM


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
    assert {d["kind"] for d in loaded["differences"]} == {"doc-only"}


def test_a_malformed_document_exits_two_with_a_clear_error(tmp_path: Path) -> None:
    document = tmp_path / "bad.md"
    document.write_text("### 接口\n\n**请求方式：GET**\n", encoding="utf-8")
    code, out, err = _run(str(document), "--spec", str(MINI_SPEC))
    assert code == 2
    assert out == ""
    assert f"cannot read the document {document}: line 3: request method without" in err
    assert "Traceback" not in err


def test_a_malformed_document_with_json_gives_the_error_as_json(tmp_path: Path) -> None:
    document = tmp_path / "bad.md"
    document.write_text("no operations here\n", encoding="utf-8")
    code, out, _ = _run(str(document), "--json", "--spec", str(MINI_SPEC))
    assert code == 2
    assert json.loads(out)["error"]["in"] == "document"


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


@pytest.mark.skipif(
    not UPSTREAM.is_file(), reason="the upstream document is not beside the checkout"
)
def test_the_upstream_document_matches_the_repository_spec() -> None:
    code, out, _ = _run(str(UPSTREAM))  # the default --spec is the repository's
    assert code == 0, out
    assert "no differences" in out
