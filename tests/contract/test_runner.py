"""`run_contract` over HTTP against a served sandbox, operation selection, safety and secrecy."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from rich.console import Console

from finchat_wrapper.contract import (
    ContractResult,
    render_summary,
    run_contract,
    run_sandbox,
    sandbox_settings,
    to_json,
    to_junit,
)
from finchat_wrapper.contract._config import READ_ONLY_OPERATIONS, WRITE_OPERATIONS
from finchat_wrapper.sandbox import Sandbox, serve

from .conftest import Broken, Reply, json_reply

API = "/api/v1/finchat/open-api"


def test_exactly_one_target_is_required(sandbox: Sandbox) -> None:
    settings = sandbox_settings(sandbox)

    with pytest.raises(ValueError, match="exactly one of app"):
        run_contract(settings)
    with pytest.raises(ValueError, match="exactly one of app"):
        run_contract(settings, app=sandbox.app, base_url="http://127.0.0.1:1")


@pytest.mark.network
def test_a_read_only_run_against_a_server_never_sends_updates_or_uploads(
    sandbox: Sandbox, storage_dir: Path
) -> None:
    settings = sandbox_settings(sandbox, operations=READ_ONLY_OPERATIONS, max_examples=5)

    with serve(sandbox) as base_url:
        result = run_contract(settings, base_url=base_url, storage_dir=storage_dir)

    assert result.ok, result.failures
    assert result.operations_tested == len(READ_ONLY_OPERATIONS)
    assert set(sandbox.stats.operations) <= set(READ_ONLY_OPERATIONS)
    assert sandbox.delivery_log == []


@pytest.mark.network
def test_writes_reach_only_the_pinned_rooms(sandbox: Sandbox, storage_dir: Path) -> None:
    room = "!112321588723954859:example.org"
    settings = sandbox_settings(
        sandbox,
        operations=READ_ONLY_OPERATIONS + WRITE_OPERATIONS,
        pinned_rooms=(room,),
        max_examples=5,
        phases=("examples", "fuzzing", "stateful"),
    )

    with serve(sandbox) as base_url:
        run_contract(settings, base_url=base_url, storage_dir=storage_dir)

    assert sandbox.stats.send_requests > 0
    assert sandbox.delivery_log, "no write reached the server, so the test proves nothing"
    assert {delivery.room_id for delivery in sandbox.delivery_log} == {room}


def _report_texts(result: ContractResult) -> str:
    out = io.StringIO()
    render_summary(result, Console(file=out, width=400, color_system=None))
    junit = io.BytesIO()
    to_junit(result).write(junit, encoding="utf-8")
    return out.getvalue() + json.dumps(to_json(result)) + junit.getvalue().decode()


def test_neither_the_secret_nor_a_token_appears_in_any_report(
    sandbox: Sandbox, storage_dir: Path
) -> None:
    def expiry_as_text(_: bytes, reply: Reply) -> Reply:
        status, headers, body = reply
        data = json.loads(body)
        if status == 200:
            data["expires_in"] = "soon"
        return json_reply(status, data, headers)

    app = Broken(sandbox.app, f"{API}/auth/token", response=expiry_as_text)
    settings = sandbox_settings(
        sandbox, operations=("get_app_access_token",), max_examples=10, phases=("examples",)
    )

    result = run_sandbox(settings, sandbox=sandbox, app=app, storage_dir=storage_dir)

    text = _report_texts(result)
    assert {f.check for f in result.failures} == {"response_schema_conformance"}
    assert "/auth/token" in text  # the failure is reported, with its reproduction
    assert sandbox.secret not in text
    assert not re.search(r'"app_access_token":\s*"(?!\[token\])', text)


def test_a_run_leaves_no_hypothesis_or_schemathesis_directory_behind(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = sandbox_settings(sandbox, operations=("get_user",), max_examples=3)

    result = run_sandbox(settings, sandbox=sandbox, storage_dir=tmp_path / "elsewhere")

    assert result.cases > 0
    assert {path.name for path in tmp_path.iterdir()} <= {"elsewhere"}
