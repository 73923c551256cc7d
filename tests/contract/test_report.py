"""The summary, JUnit XML and JSON renderings of a contract result."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

from rich.console import Console

from finchat_wrapper.contract import (
    CheckFailure,
    ContractResult,
    render_summary,
    to_json,
    to_junit,
    write_reports,
)

SEND = "POST /api/v1/finchat/open-api/message/send"
USER = "GET /api/v1/finchat/open-api/users/{fcid}"


def _result(*, failures: list[CheckFailure] | None = None) -> ContractResult:
    return ContractResult(
        target="embedded sandbox, in-process (ASGI)",
        seed=42,
        elapsed=2.0,
        operations_selected=("get_user", "send_message"),
        cases_by_phase=Counter({"examples": 10, "coverage": 50, "fuzzing": 30, "stateful": 10}),
        cases_by_operation=Counter({SEND: 60, USER: 40}),
        statuses={SEND: Counter({200: 20, 400: 40}), USER: Counter({200: 30, 404: 10})},
        phases={"examples": "success", "coverage": "success", "fuzzing": "success"},
        links={f"{USER} -> [200] GetFriendships -> GET /x": Counter({200: 3})},
        checks=Counter({"not_a_server_error": 100, "ignored_auth": 90}),
        failures=failures or [],
    )


def _failure(check: str, operation: str = SEND, title: str = "Bad") -> CheckFailure:
    return CheckFailure(
        check=check,
        operation=operation,
        phase="coverage",
        title=title,
        message="Expected: 400",
        curl=f"curl -X POST 'http://127.0.0.1:8765{operation.split()[1]}'",
        status_code=200,
        occurrences=3,
    )


def _summary(result: ContractResult) -> str:
    out = io.StringIO()
    render_summary(result, Console(file=out, width=200, color_system=None))
    return out.getvalue()


def test_the_summary_gives_operations_cases_rate_and_phases() -> None:
    text = _summary(_result())

    assert "operations  2/2 tested" in text
    assert "cases       100 in 2.0 s (50 cases/s)" in text
    assert "examples 10 ✓ · coverage 50 ✓ · fuzzing 30 ✓ · stateful 10 (not run)" in text
    assert "checks      2: ignored_auth, not_a_server_error" in text
    assert "GetFriendships" in text
    assert "PASSED: 100 cases, 2 operations, 0 failures" in text


def test_the_summary_groups_failures_by_check_with_a_curl_to_reproduce_each() -> None:
    result = _result(
        failures=[
            _failure("negative_data_rejection"),
            _failure("negative_data_rejection", USER, "Accepted"),
            _failure("not_a_server_error"),
        ]
    )

    text = _summary(result)

    assert "✗ negative_data_rejection (6 cases)" in text
    assert "✗ not_a_server_error (3 cases)" in text
    assert text.index("✗ negative_data_rejection") < text.index("✗ not_a_server_error")
    curl = "curl -X POST 'http://127.0.0.1:8765/api/v1/finchat/open-api/message/send'"
    assert f"reproduce: {curl}" in text
    assert "FAILED: 3 distinct failures (9 cases), 0 errors, in 100 cases" in text


def test_a_run_without_cases_is_not_a_pass() -> None:
    assert not ContractResult(target="t", seed=1).ok


def test_the_json_report_carries_the_figures_and_each_failure() -> None:
    data = to_json(_result(failures=[_failure("status_code_conformance")]))

    assert data["ok"] is False
    assert data["cases"] == 100
    assert data["cases_per_second"] == 50.0
    assert data["cases_by_phase"]["coverage"] == 50
    assert data["statuses_by_operation"][SEND] == {"200": 20, "400": 40}
    assert data["failures"][0]["check"] == "status_code_conformance"
    assert data["failures"][0]["curl"].startswith("curl -X POST")
    json.dumps(data)  # plain JSON data all the way down


def test_the_junit_report_has_a_test_case_per_operation_failed_by_its_checks() -> None:
    suite = to_junit(_result(failures=[_failure("not_a_server_error")])).getroot()

    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {SEND, USER}
    failure = cases[SEND].find("failure")
    assert failure is not None
    assert failure.get("type") == "not_a_server_error"
    assert "curl -X POST" in (failure.text or "")
    assert cases[USER].find("failure") is None
    assert suite.get("failures") == "1"


def test_reports_are_written_as_parseable_files(tmp_path: Path) -> None:
    junit_path, json_path = write_reports(_result(), tmp_path / "reports")

    # The file was written by this test a line above: trusted input.
    assert ElementTree.parse(junit_path).getroot().tag == "testsuite"  # noqa: S314
    assert json.loads(json_path.read_text(encoding="utf-8"))["ok"] is True
