"""A contract result as a terminal summary, JUnit XML (for CI) and JSON (for tools)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ._config import PHASES
from ._runner import CheckFailure, ContractResult

JUNIT_FILE = "contract-junit.xml"
# Every path of the spec starts so; the summary leaves it out to fit a terminal.
_PATH_PREFIX = "/api/v1/finchat/open-api"
_PHASE_MARK = {"success": "✓", "failure": "✗", "error": "✗"}
JSON_FILE = "contract-report.json"


def to_json(result: ContractResult) -> dict[str, Any]:
    """The result as plain JSON data; the shape of `contract-report.json`."""
    return {
        "ok": result.ok,
        "target": result.target,
        "seed": result.seed,
        "elapsed_seconds": round(result.elapsed, 3),
        "cases": result.cases,
        "cases_per_second": round(result.cases_per_second, 1),
        "operations_selected": list(result.operations_selected),
        "operations_tested": result.operations_tested,
        "phases": dict(result.phases),
        "cases_by_phase": dict(result.cases_by_phase),
        "cases_by_operation": dict(sorted(result.cases_by_operation.items())),
        "statuses_by_operation": {
            label: {str(status): count for status, count in sorted(counts.items())}
            for label, counts in sorted(result.statuses.items())
        },
        "links": {
            link: {str(status): count for status, count in sorted(counts.items())}
            for link, counts in sorted(result.links.items())
        },
        "checks": dict(sorted(result.checks.items())),
        "stop_reason": result.stop_reason,
        "failures": [_failure_json(failure) for failure in result.failures],
        "errors": list(result.errors),
    }


def _failure_json(failure: CheckFailure) -> dict[str, Any]:
    return {
        "check": failure.check,
        "operation": failure.operation,
        "phase": failure.phase,
        "title": failure.title,
        "message": failure.message,
        "status_code": failure.status_code,
        "occurrences": failure.occurrences,
        "curl": failure.curl,
    }


def to_junit(result: ContractResult) -> ElementTree.ElementTree:
    """One test case per operation, failed by each distinct check failure seen on it."""
    by_operation: dict[str, list[CheckFailure]] = {}
    for failure in result.failures:
        by_operation.setdefault(failure.operation, []).append(failure)
    suite = ElementTree.Element(
        "testsuite",
        name="finchat-contract",
        tests=str(len(result.cases_by_operation) + len(result.errors)),
        failures=str(len(by_operation)),
        errors=str(len(result.errors)),
        time=f"{result.elapsed:.3f}",
    )
    properties = ElementTree.SubElement(suite, "properties")
    for name, value in (("target", result.target), ("seed", str(result.seed))):
        ElementTree.SubElement(properties, "property", name=name, value=value)
    for label, cases in sorted(result.cases_by_operation.items()):
        testcase = ElementTree.SubElement(
            suite, "testcase", classname="contract", name=label, assertions=str(cases)
        )
        for failure in by_operation.get(label, []):
            element = ElementTree.SubElement(
                testcase, "failure", type=failure.check, message=f"{failure.check}: {failure.title}"
            )
            element.text = f"{failure.message}\n\nReproduce with:\n{failure.curl}\n"
    for index, error in enumerate(result.errors, start=1):
        testcase = ElementTree.SubElement(
            suite, "testcase", classname="contract", name=f"error {index}"
        )
        ElementTree.SubElement(testcase, "error", message=error.splitlines()[0]).text = error
    ElementTree.indent(suite)
    return ElementTree.ElementTree(suite)


def write_reports(result: ContractResult, directory: Path) -> tuple[Path, Path]:
    """Write the JUnit XML and JSON reports into `directory`; answer their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    junit_path = directory / JUNIT_FILE
    json_path = directory / JSON_FILE
    to_junit(result).write(junit_path, encoding="utf-8", xml_declaration=True)
    json_path.write_text(
        json.dumps(to_json(result), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return junit_path, json_path


def render_summary(result: ContractResult, console: Console) -> None:
    """The figures of the run, then the failures grouped by check, each with a curl to replay."""
    console.print(f"[bold]finchat contract[/bold]: {escape(result.target)}, seed {result.seed}")
    selected = len(result.operations_selected)
    console.print(f"  operations  {result.operations_tested}/{selected} tested")
    console.print(
        f"  cases       {result.cases} in {result.elapsed:.1f} s "
        f"({result.cases_per_second:.0f} cases/s)"
    )
    phases = []
    for phase in PHASES:
        status = result.phases.get(phase, "not run")
        mark = _PHASE_MARK.get(status, f"({status})")
        phases.append(f"{phase} {result.cases_by_phase.get(phase, 0)} {mark}")
    console.print(f"  phases      {' · '.join(phases)}")
    console.print(f"  checks      {len(result.checks)}: {', '.join(sorted(result.checks))}")

    table = Table(title=None, show_edge=False, pad_edge=False)
    table.add_column(f"operation ({_PATH_PREFIX}...)")
    for column in ("cases", "2xx", "4xx", "5xx"):
        table.add_column(column, justify="right")
    for label, cases in sorted(result.cases_by_operation.items()):
        statuses = result.statuses.get(label, Counter())
        table.add_row(
            escape(_short(label)),
            str(cases),
            *(
                str(sum(n for status, n in statuses.items() if status // 100 == klass))
                for klass in (2, 4, 5)
            ),
        )
    console.print(table)
    if result.links:
        console.print("  links followed (cases, of which 2xx):")
        for link, counts in sorted(result.links.items()):
            ok = sum(n for status, n in counts.items() if status // 100 == 2)
            name = link.replace(_PATH_PREFIX, "")
            console.print(f"    {escape(name)}: {sum(counts.values())}, {ok}")

    for check, failures in result.failures_by_check().items():
        total = sum(failure.occurrences for failure in failures)
        console.print(f"\n[bold red]✗ {escape(check)}[/bold red] ({total} cases)")
        for failure in failures:
            status = f", status {failure.status_code}" if failure.status_code is not None else ""
            console.print(
                f"  {escape(_short(failure.operation))}: {escape(failure.title)} "
                f"({failure.occurrences}× in {failure.phase}{status})"
            )
            for line in failure.message.strip().splitlines()[:6]:
                console.print(f"    {escape(line)}")
            console.print(f"    [dim]reproduce:[/dim] {escape(failure.curl)}", soft_wrap=True)
    for error in result.errors:
        console.print(f"\n[bold red]✗ error[/bold red] {escape(error)}", soft_wrap=True)

    if result.ok:
        console.print(
            f"\n[bold green]PASSED[/bold green]: {result.cases} cases, "
            f"{result.operations_tested} operations, 0 failures"
        )
    else:
        failing_cases = sum(failure.occurrences for failure in result.failures)
        console.print(
            f"\n[bold red]FAILED[/bold red]: {len(result.failures)} distinct failures "
            f"({failing_cases} cases), {len(result.errors)} errors, in {result.cases} cases"
        )


def _short(label: str) -> str:
    method, _, path = label.partition(" ")
    return f"{method} {path.removeprefix(_PATH_PREFIX)}"
