"""`finchat contract`: schemathesis over the whole spec, against the sandbox or a server."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from rich.console import Console

from finchat_wrapper.contract import (
    ContractConfigError,
    ContractResult,
    ContractSettings,
    render_summary,
    run_contract,
    run_sandbox,
    sandbox_settings,
    write_reports,
)
from finchat_wrapper.contract._config import (
    DEFAULT_MAX_EXAMPLES,
    DEFAULT_SEED,
    PHASES,
    READ_ONLY_OPERATIONS,
    WRITE_OPERATIONS,
    default_spec_path,
)


def _phases(_: click.Context, __: click.Parameter, value: str) -> tuple[str, ...]:
    phases = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [phase for phase in phases if phase not in PHASES]
    if unknown or not phases:
        raise click.BadParameter(f"choose among {', '.join(PHASES)}; got {value!r}")
    return phases


@click.command(
    "contract",
    epilog="Exit status: 0 when every check passed, 1 on any failure or error, 2 on bad usage.",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="Test a real FinChat deployment instead of the embedded sandbox (read-only by default).",
)
@click.option(
    "--app-id", envvar="FINCHAT_APP_ID", help="App id on --base-url [env FINCHAT_APP_ID]."
)
@click.option(
    "--secret",
    envvar="FINCHAT_SECRET",
    help="App secret on --base-url [FINCHAT_SECRET]; never printed.",
)
@click.option(
    "--allow-writes",
    is_flag=True,
    help="On --base-url, also send, update cards and upload; every send goes to --room only.",
)
@click.option(
    "--room",
    "rooms",
    multiple=True,
    metavar="ROOM_ID",
    help="A test room that writes may reach (repeatable); required by --allow-writes.",
)
@click.option(
    "--socket", is_flag=True, help="Serve the sandbox on a loopback socket (default: ASGI)."
)
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Generation seed.")
@click.option(
    "--max-examples",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_EXAMPLES,
    show_default=True,
    help="Fuzzing examples per operation.",
)
@click.option(
    "--phases",
    default=",".join(PHASES),
    show_default=True,
    callback=_phases,
    help="Comma-separated phases to run.",
)
@click.option(
    "--report-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Where contract-junit.xml and contract-report.json go.",
)
@click.option(
    "--spec",
    "spec_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="The OpenAPI spec [default: openapi/finchat.yaml of this checkout].",
)
def contract(
    base_url: str | None,
    app_id: str | None,
    secret: str | None,
    allow_writes: bool,
    rooms: tuple[str, ...],
    socket: bool,
    seed: int,
    max_examples: int,
    phases: tuple[str, ...],
    report_dir: Path,
    spec_path: Path | None,
) -> None:
    """Contract-test the spec: examples, coverage, fuzzing and stateful phases, every check.

    Without --base-url, an embedded sandbox is started and tested in-process. With --base-url,
    --app-id and --secret, a real deployment is tested with the token and read operations only,
    unless --allow-writes is given together with the --room ids that sends may reach.
    """
    # CI logs are no terminal; 80 columns would wrap every curl line of the summary.
    started = time.perf_counter()
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)
    spec = spec_path or default_spec_path()

    def progress(line: str) -> None:
        console.print(f"[dim]  {line}[/dim]")

    try:
        if base_url is None:
            for given, name in ((app_id, "--app-id"), (secret, "--secret")):
                if given:
                    raise click.UsageError(f"{name} needs --base-url (the sandbox has its own)")
            if allow_writes or rooms:
                raise click.UsageError("--allow-writes and --room need --base-url")
            from finchat_wrapper.sandbox import Sandbox

            with Sandbox() as sandbox:
                result = run_sandbox(
                    sandbox_settings(
                        sandbox, seed=seed, max_examples=max_examples, phases=phases, spec_path=spec
                    ),
                    sandbox=sandbox,
                    over_socket=socket,
                    on_event=progress,
                )
        else:
            if socket:
                raise click.UsageError("--socket applies to the embedded sandbox only")
            if not app_id or not secret:
                raise click.UsageError("--base-url needs --app-id and --secret")
            if allow_writes and not rooms:
                raise click.UsageError("--allow-writes needs at least one --room to send to")
            if rooms and not allow_writes:
                raise click.UsageError("--room is only used with --allow-writes")
            operations = READ_ONLY_OPERATIONS + (WRITE_OPERATIONS if allow_writes else ())
            settings = ContractSettings(
                app_id=app_id,
                secret=secret,
                operations=operations,
                pinned_rooms=rooms,
                seed=seed,
                max_examples=max_examples,
                phases=phases,
                spec_path=spec,
            )
            result = run_contract(settings, base_url=base_url, on_event=progress)
    except ContractConfigError as exc:
        raise click.UsageError(str(exc)) from None

    _finish(result, report_dir, console, started)


def _finish(result: ContractResult, report_dir: Path, console: Console, started: float) -> None:
    junit_path, json_path = write_reports(result, report_dir)
    console.print()
    render_summary(result, console)
    console.print(f"[dim]reports: {junit_path}, {json_path}[/dim]")
    total = time.perf_counter() - started
    console.print(f"[dim]wall time of the command, start-up included: {total:.1f} s[/dim]")
    if not result.ok:
        raise SystemExit(1)
