"""`finchat contract`: schemathesis over the whole spec, against the sandbox or a server."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click
from click.core import ParameterSource
from rich.console import Console

from finchat_wrapper.contract import (
    DEFAULT_MAX_EXAMPLES,
    DEFAULT_SEED,
    PHASES,
    READ_ONLY_OPERATIONS,
    WEBHOOK_OPERATIONS,
    WRITE_OPERATIONS,
    ContractConfigError,
    ContractResult,
    ContractSettings,
    default_spec_path,
    iam_settings,
    render_summary,
    run_contract,
    run_sandbox,
    sandbox_settings,
    to_json,
    write_reports,
)

from .._constants import ENV_APP_ID, ENV_SECRET
from .._errors import FinChatError
from ._common import (
    DEFAULT_RETRIES,
    ENV_INSECURE,
    PIPE_WIDTH,
    Cli,
    CliError,
    ExitCode,
    Layers,
    app_id_option,
    config_option,
    insecure_option,
    secret_option,
)
from ._extras import require_extra

_EPILOG = """\b
Examples:
  finchat contract                      # the embedded sandbox, in-process (make contract)
  finchat contract --seed 7 --max-examples 50
  FINCHAT_SECRET=... finchat contract --base-url https://finchat.example.org --app-id ID
  finchat contract --base-url URL --app-id ID --allow-writes --room '!test:example.org'
  finchat contract --base-url URL --app-id ID --allow-writes --room '!test:x' --webhook HOOK_ID
  finchat contract --json | jq .cases

\b
Exit status: 0 every check passed; 1 a check failed or the run had errors; 2 bad usage;
3 credentials refused; 6 no connection to --base-url.
"""


def _phases(_: click.Context, __: click.Parameter, value: str) -> tuple[str, ...]:
    phases = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [phase for phase in phases if phase not in PHASES]
    if unknown or not phases:
        raise click.BadParameter(f"choose among {', '.join(PHASES)}; got {value!r}")
    return phases


@click.command("contract", epilog=_EPILOG)
@click.option(
    "--base-url",
    metavar="URL",
    help="Test a real FinChat deployment instead of the embedded sandbox (read-only by default).",
)
@app_id_option(help=f"App id on --base-url [env {ENV_APP_ID}].")
@secret_option(help=f"App secret on --base-url [env {ENV_SECRET}; prefer it]; never printed.")
@insecure_option(
    help=f"Allow plain http to a --base-url that is not loopback [env {ENV_INSECURE}]."
)
@config_option()
@click.option(
    "--allow-writes",
    is_flag=True,
    help="On --base-url, also send, update cards, upload, create rooms and change rooms: every "
    "send and room change goes to --room only, a created room holds the bot alone.",
)
@click.option(
    "--room",
    "rooms",
    multiple=True,
    metavar="ROOM_ID",
    help="A test room that writes may reach (repeatable); required by --allow-writes.",
)
@click.option(
    "--webhook",
    "webhooks",
    multiple=True,
    metavar="WEBHOOK_ID",
    help="A webhook bot that writes may send through (repeatable); webhook sends are tested "
    "only with it.",
)
@click.option("--socket", is_flag=True, help="Serve the sandbox on a loopback socket, not ASGI.")
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
    help=f"The OpenAPI spec [default: {default_spec_path()}].",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the JSON report on stdout; progress on stderr."
)
@click.pass_context
def contract(
    ctx: click.Context,
    base_url: str | None,
    app_id: str | None,
    secret: str | None,
    insecure: bool,
    allow_writes: bool,
    rooms: tuple[str, ...],
    webhooks: tuple[str, ...],
    socket: bool,
    seed: int,
    max_examples: int,
    phases: tuple[str, ...],
    report_dir: Path,
    spec_path: Path | None,
    as_json: bool,
) -> None:
    """Contract-test the spec: examples, coverage, fuzzing and stateful phases, every check.

    Without --base-url, an embedded sandbox is started and tested in-process. With --base-url,
    a real deployment is tested with the token and read operations only, unless --allow-writes
    is given together with the --room ids that sends and room changes may reach (and the
    --webhook ids that webhook sends may use). Its credentials come from --app-id and --secret,
    then FINCHAT_APP_ID and FINCHAT_SECRET, then the config file.
    """
    require_extra("contract")
    started = time.perf_counter()
    # Piped or in a CI log, a line is never wrapped: a record (a failure, its curl) stays whole.
    piped = not sys.stdout.isatty()
    console = Console(
        highlight=False, stderr=as_json, soft_wrap=piped, width=PIPE_WIDTH if piped else None
    )
    spec = spec_path or default_spec_path()

    def progress(line: str) -> None:
        console.print(f"[dim]  {line}[/dim]")

    def flag(name: str) -> bool:
        # The environment and the config file may hold settings for other commands.
        return ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE

    try:
        if base_url is None:
            for name in ("app_id", "secret"):
                if flag(name):
                    option = "--" + name.replace("_", "-")
                    raise click.UsageError(f"{option} needs --base-url (the sandbox has its own)")
            if allow_writes or rooms or webhooks or flag("insecure"):
                raise click.UsageError(
                    "--allow-writes, --room, --webhook and --insecure need --base-url"
                )
            from finchat_wrapper.sandbox import Sandbox

            with Sandbox() as sandbox:
                settings = sandbox_settings(
                    sandbox, seed=seed, max_examples=max_examples, phases=phases, spec_path=spec
                )
                # The sandbox's IAM too (Sign in with FinChat), against openapi/finchat-iam.yaml.
                iam = iam_settings(sandbox, seed=seed, max_examples=max_examples, phases=phases)
                result = run_sandbox(
                    settings, sandbox=sandbox, over_socket=socket, on_event=progress, iam=iam
                )
        else:
            if socket:
                raise click.UsageError("--socket applies to the embedded sandbox only")
            if allow_writes and not rooms:
                raise click.UsageError("--allow-writes needs at least one --room to send to")
            if (rooms or webhooks) and not allow_writes:
                raise click.UsageError("--room and --webhook are only used with --allow-writes")
            cli = Cli(Layers.of(ctx), retries=DEFAULT_RETRIES, as_json=as_json)
            _check_credentials(cli)
            settings = ContractSettings(
                app_id=cli.settings.app_id,
                secret=cli.settings.secret,
                operations=READ_ONLY_OPERATIONS
                + (WRITE_OPERATIONS if allow_writes else ())
                + (WEBHOOK_OPERATIONS if webhooks else ()),
                pinned_rooms=rooms,
                pinned_webhooks=webhooks,
                seed=seed,
                max_examples=max_examples,
                phases=phases,
                spec_path=spec,
            )
            result = run_contract(settings, base_url=base_url, on_event=progress)
    except ContractConfigError as exc:
        raise click.UsageError(str(exc)) from None

    _finish(result, report_dir, console, started, as_json=as_json)


def _check_credentials(cli: Cli) -> None:
    # One token request first: a wrong secret or a dead URL is one line and its own exit status,
    # not hundreds of failed cases.
    try:
        with cli.client() as client:
            client.auth.token()
    except CliError as exc:
        cli.fail(exc)
    except (FinChatError, ValueError) as exc:
        cli.fail(exc)


def _finish(
    result: ContractResult, report_dir: Path, console: Console, started: float, *, as_json: bool
) -> None:
    junit_path, json_path = write_reports(result, report_dir)
    if as_json:
        click.echo(json.dumps(to_json(result), ensure_ascii=False, sort_keys=True))
    else:
        console.print()
        render_summary(result, console)
    console.print(f"[dim]reports: {junit_path}, {json_path}[/dim]")
    total = time.perf_counter() - started
    console.print(f"[dim]wall time of the command, start-up included: {total:.1f} s[/dim]")
    if not result.ok:
        raise SystemExit(int(ExitCode.FAILED))
