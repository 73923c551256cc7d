"""`finchat sandbox`: a local FinChat server for bots under development, and what its users do.

`finchat sandbox` serves one until Ctrl-C; `--callback URL --webhook-token T` registers the
default app's callback at start. Its subcommands act as the world's users against a running
sandbox (`say`, `mention`, `open-room`, `submit-card`, `apply`) through the simulation API
(`/_sandbox/simulate/...`), and print the event and whether the bot took it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import click
import httpx
from rich.console import Console

from .._constants import ENV_BASE_URL
from . import examples_epilog
from ._common import CliError, ExitCode, log_handler, printable
from ._extras import require_extra

F = TypeVar("F", bound=Callable[..., None])

WEBHOOK_TOKEN_ENV = "FINCHAT_WEBHOOK_TOKEN"  # noqa: S105 - the variable's name, not a token

_EPILOG = """\b
Examples:
  finchat sandbox --port 8000
  finchat sandbox --port 0 --json          # one JSON line with base_url, app_id, secret, ui
  FINCHAT_WEBHOOK_TOKEN=dev finchat sandbox --callback http://127.0.0.1:9000/   # your bot
  finchat sandbox --world world.yaml --seed 7
  finchat sandbox --iam-access-ttl 30      # Sign in with FinChat: short access tokens
  finchat sandbox say --user @test:example.org "hi"   # a user messages the bot
  curl -s localhost:8000/_sandbox/state > world.json   # export, then --world world.json
"""


def _callback_url(_: click.Context, __: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value.startswith(("http://", "https://")):
        raise click.BadParameter("must be an http:// or https:// URL")
    return value


def _positive(flag: str, default: int, help: str) -> Callable[[F], F]:
    """A whole-number option of at least 1, its default shown in --help."""
    return click.option(
        flag, default=default, show_default=True, type=click.IntRange(min=1), help=help
    )


@click.group(invoke_without_command=True, epilog=_EPILOG)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on. Any but loopback exposes the secrets and the control API.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="0: any free port.",
)
@click.option(
    "--world",
    "world_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Start from this world (YAML or JSON; GET /_sandbox/state exports one).",
)
@click.option("--seed", default=0, show_default=True, help="Seed of generated ids.")
@_positive("--token-ttl", 7200, "Token lifetime in seconds.")
@_positive(
    "--max-media-mib", 256, "Memory for all uploaded media together; a full store refuses uploads."
)
@_positive(
    "--iam-access-ttl",
    300,
    "Lifetime of the IAM's access tokens (Sign in with FinChat), in seconds.",
)
@_positive("--iam-refresh-ttl", 1800, "Lifetime of the IAM's refresh tokens, in seconds.")
@click.option(
    "--callback",
    metavar="URL",
    callback=_callback_url,
    help="Deliver the default app's events to this URL (your bot's webhook).",
)
@click.option(
    "--webhook-token",
    envvar=WEBHOOK_TOKEN_ENV,
    show_envvar=True,
    help="The token sent with each event: the bot's FINCHAT_WEBHOOK_TOKEN (prefer the variable: "
    "flags show in ps).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the settings as one JSON line.")
@click.pass_context
def sandbox(
    ctx: click.Context,
    host: str,
    port: int,
    world_path: Path | None,
    seed: int,
    token_ttl: int,
    max_media_mib: int,
    iam_access_ttl: int,
    iam_refresh_ttl: int,
    callback: str | None,
    webhook_token: str | None,
    as_json: bool,
) -> None:
    """Run a local FinChat sandbox (the whole API, simulated users, faults) until Ctrl-C.

    It prints the base URL and the default app's id and secret, ready to paste. Printing a secret
    is intended here: it is the sandbox's own credential, published with its world, and grants
    nothing on any real FinChat deployment. Open the printed /_sandbox/ui/ address in a browser
    to chat with your bot as its users, see every card and every delivery. /_sandbox/ lists what
    the sandbox serves: the simulation API (its spec at /_sandbox/specs/sandbox-simulation.yaml),
    the reference at /_sandbox/reference/. The webhook token is never printed.

    The subcommands act as users of a running sandbox (FINCHAT_BASE_URL or --base-url).
    """
    if ctx.invoked_subcommand is not None:
        return
    require_extra("sandbox")
    if callback is not None and not webhook_token:
        raise click.BadParameter(
            f"--callback needs --webhook-token (or {WEBHOOK_TOKEN_ENV})", param_hint="--callback"
        )
    from finchat_wrapper.sandbox import IamSettings, Sandbox, World, WorldError, serve

    try:
        world = World.load(world_path) if world_path else None
        media = max_media_mib * 1024 * 1024
        iam = IamSettings(access_token_ttl=iam_access_ttl, refresh_token_ttl=iam_refresh_ttl)
        sb = Sandbox(world, seed=seed, token_ttl=token_ttl, max_media_bytes=media, iam=iam)
    except (WorldError, ValueError, OSError) as exc:
        raise CliError(str(exc), ExitCode.USAGE) from None
    console = Console(highlight=False, soft_wrap=True)
    # The sandbox's own warnings (bound to a non-loopback address, an internal error) on stderr.
    log = logging.getLogger("finchat.sandbox")
    handler = log_handler()
    log.addHandler(handler)
    if callback is not None and webhook_token:
        sb.set_callback(sb.app_id, callback, webhook_token)
    try:
        with sb, serve(sb, host=host, port=port) as base_url:
            index = f"{base_url}/_sandbox/"
            reference = f"{base_url}/_sandbox/reference/"
            if as_json:
                settings = {
                    "base_url": base_url,
                    "app_id": sb.app_id,
                    "secret": sb.secret,
                    "ui": sb.ui_url,
                    "reference": reference,
                    "simulation": index,
                    "simulation_spec": f"{index}specs/sandbox-simulation.yaml",
                    "callback": callback,
                    "pages": sb.pages(),
                    "iam_issuer": sb.iam.issuer,
                }
                click.echo(json.dumps(settings), nl=True)
            else:
                console.print(f"FinChat sandbox on [bold]{base_url}[/bold]  (Ctrl-C stops it)")
                console.print(f"  FINCHAT_BASE_URL={base_url}")
                console.print(f"  FINCHAT_APP_ID={sb.app_id}")
                console.print(f"  FINCHAT_SECRET={sb.secret}")
                console.print(f"  in your browser: [bold]{sb.ui_url}[/bold]  (chat as a user)")
                console.print(f"  API reference: {reference}")
                if callback is not None:
                    console.print(
                        f"  events of app {sb.app_id} go to {callback} "
                        f"(with the token of {WEBHOOK_TOKEN_ENV} or --webhook-token)"
                    )
                else:
                    console.print(
                        "  no callback yet: --callback URL --webhook-token T, or PUT "
                        f"{index}apps/{sb.app_id}/callback"
                    )
                console.print(
                    f"  simulation API: {index}  (spec: {index}specs/sandbox-simulation.yaml)"
                )
                console.print(f"  Sign in with FinChat: IAM {sb.iam.issuer}")
                if host != httpx.URL(base_url).host.strip("[]"):
                    console.print(f"  listening on {host}, port {httpx.URL(base_url).port}")
            _wait_for_ctrl_c()
    except OSError as exc:  # from bind(): its strerror names host:port and the cause
        raise CliError(exc.strerror or str(exc), ExitCode.USAGE) from None
    except RuntimeError as exc:
        raise CliError(str(exc), ExitCode.SERVER) from None
    finally:
        log.removeHandler(handler)
    # Ctrl-C is how a foreground server ends; the exit status says so, as for every command.
    raise SystemExit(ExitCode.INTERRUPTED)


def _wait_for_ctrl_c() -> None:
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()


# ---- acting as users of a running sandbox --------------------------------------------------------


class _Simulation:
    """The simulation API of the sandbox at `base_url`: one POST per action, errors as CliError."""

    def __init__(self, base_url: str | None, *, as_json: bool, wait: bool) -> None:
        if not base_url:
            raise CliError(
                f"which sandbox? give --base-url or {ENV_BASE_URL} (`finchat sandbox` prints it)",
                ExitCode.USAGE,
            )
        if not base_url.startswith(("http://", "https://")):
            raise CliError(f"--base-url must be an http:// URL, not {base_url!r}", ExitCode.USAGE)
        self.base_url = base_url.rstrip("/")
        self.as_json = as_json
        self.wait = wait

    def act(self, simulation: str, **fields: Any) -> None:
        """POST /_sandbox/simulate/<simulation> with the `fields` given (None: left out), print
        the event, its delivery and what the bot replied; exit 1 when it was not delivered."""
        wait = self.wait
        body = {name: value for name, value in fields.items() if value is not None}
        answer = self._request("POST", f"/_sandbox/simulate/{simulation}", body, wait=wait)
        event = answer.get("event", {})
        delivered = bool(answer.get("delivered"))
        replies = self._replies(event) if wait and delivered else []
        if self.as_json:
            document = {"ok": delivered or not wait, **answer, "replies": replies}
            click.echo(json.dumps(document, sort_keys=True))
        else:
            self._show(event, answer, wait=wait)
            for reply in replies:
                content = reply.get("content", {})
                shown = content.get("body") or content.get("msgtype", "")
                click.echo(printable(f"the bot replied: {shown}"))
        if wait and not delivered:
            raise SystemExit(int(ExitCode.FAILED))

    def _replies(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        """What others posted in the event's room after it, while the bot handled it."""
        room_id = event.get("room_id")
        if not room_id:
            return []
        messages = self._request(
            "GET", f"/_sandbox/rooms/{quote(room_id, safe='')}/messages", None, wait=True
        )
        ids = [m.get("event_id") for m in messages]
        after = ids.index(event["event_id"]) + 1 if event.get("event_id") in ids else len(ids)
        return [m for m in messages[after:] if m.get("sender") != event.get("sender")]

    def _show(self, event: dict[str, Any], answer: dict[str, Any], *, wait: bool) -> None:
        kind = " ".join(
            filter(None, (event.get("type", "?"), event.get("content", {}).get("msgtype")))
        )
        where = event.get("room_id") or event.get("sender") or ""
        click.echo(printable(f"{kind} {event.get('event_id', '')} in {where}"))
        if not wait:
            click.echo("delivery runs in the background (see GET /_sandbox/callbacks)")
            return
        if answer.get("delivered"):
            click.echo("delivered: the bot answered 200")
            return
        # One report per app the event went to, each saying why it was not delivered (the
        # sandbox words it: its status, and for 401 that the tokens differ).
        for report in answer.get("deliveries") or []:
            state = report.get("state")
            if state == "delivered":
                continue
            if state == "no_callback":
                click.echo(
                    "not delivered: the app has no callback; start the sandbox with --callback "
                    f"URL --webhook-token T, or PUT {self.base_url}/_sandbox/apps/APP_ID/callback",
                    err=True,
                )
                continue
            attempts = report.get("attempts", 0)
            then = ""
            if state == "retrying" and report.get("next_attempt_at") is not None:
                # Said relative to the event (its timestamp is on the same sandbox clock): the
                # clock may be virtual, so an absolute time would tell the reader nothing.
                since = float(event.get("timestamp", 0)) / 1000
                later = max(0.0, float(report["next_attempt_at"]) - since)
                shown = f"{later:.0f}" if later >= 10 else f"{later:.3f}".rstrip("0").rstrip(".")
                then = f"; retried {shown} s after the event (sandbox clock)"
            click.echo(
                printable(
                    f"not delivered to {report.get('app_id', '?')} ({state}, {attempts} "
                    f"attempt(s)): {report.get('reason') or 'no answer'}{then}"
                ),
                err=True,
            )

    def _request(self, method: str, path: str, body: dict[str, Any] | None, *, wait: bool) -> Any:
        params = {} if wait else {"wait": "false"}
        try:
            # The sandbox answers after the first delivery, which a bot may take 30 s to answer.
            response = httpx.request(
                method, self.base_url + path, json=body, params=params, timeout=60.0
            )
        except httpx.HTTPError as exc:
            raise CliError(
                f"cannot reach the sandbox at {self.base_url} ({type(exc).__name__}); is "
                "`finchat sandbox` running there?",
                ExitCode.CONNECTION,
            ) from None
        try:
            data = response.json()
        except ValueError:
            data = None
        if response.status_code in (200, 202) and isinstance(data, dict | list):
            return data
        if isinstance(data, dict) and isinstance(data.get("error"), str):
            if response.status_code == 404 and data.get("errcode") == "FC_UNKNOWN":
                if data["error"] == "Not Found":
                    raise self._not_a_sandbox(response.status_code)
                raise CliError(printable(data["error"]), ExitCode.NOT_FOUND)
            raise CliError(printable(data["error"]), ExitCode.USAGE)
        raise self._not_a_sandbox(response.status_code)

    def _not_a_sandbox(self, status: int) -> CliError:
        return CliError(
            f"HTTP {status} from {self.base_url}{'' if status != 404 else ' (no simulation API)'}: "
            "is it a FinChat sandbox? check the base URL",
            ExitCode.SERVER,
        )


def simulation_command(name: str, *examples: str) -> Callable[[F], click.Command]:
    """A subcommand of `finchat sandbox` acting as a user: the options every action has, and a
    `_Simulation` of the sandbox they name passed first."""

    def decorate(function: F) -> click.Command:
        @click.option(
            "--base-url",
            metavar="URL",
            envvar=ENV_BASE_URL,
            help=f"The running sandbox [env {ENV_BASE_URL}].",
        )
        @click.option("--no-wait", is_flag=True, help="Do not wait for the delivery to end.")
        @click.option("--json", "as_json", is_flag=True, help="Print the outcome as one JSON line.")
        @functools.wraps(function)
        def command(base_url: str | None, no_wait: bool, as_json: bool, **kwargs: Any) -> None:
            function(_Simulation(base_url, as_json=as_json, wait=not no_wait), **kwargs)

        return sandbox.command(name, epilog=examples_epilog(*examples))(command)

    return decorate


_USER = click.option("--user", "fcid", required=True, metavar="FCID", help="The user who acts.")
_APP = click.option(
    "--app-id", metavar="APP_ID", help="The app concerned [default: the sandbox's default app]."
)


@simulation_command(
    "say",
    'finchat sandbox say --user @test:example.org "hi"',
    "finchat sandbox say --user @test:example.org --json hello",
)
@_USER
@click.argument("text")
@_APP
def say(sim: _Simulation, fcid: str, text: str, app_id: str | None) -> None:
    """A user sends TEXT to the bot in their direct room (opened first if missing)."""
    sim.act("user-message", fcid=fcid, body=text, app_id=app_id)


@simulation_command(
    "mention",
    "finchat sandbox mention --user @test:example.org --room '!group:example.org' 'help'",
)
@_USER
@click.option("--room", "room_id", required=True, metavar="ROOM_ID", help="The group room.")
@click.argument("text", required=False)
@_APP
def mention(
    sim: _Simulation, fcid: str, room_id: str, text: str | None, app_id: str | None
) -> None:
    """A user @-mentions the bot in a group room (TEXT defaults to "@<bot> hello")."""
    sim.act("mention", fcid=fcid, room_id=room_id, body=text, app_id=app_id)


@simulation_command("open-room", "finchat sandbox open-room --user @new:example.org")
@_USER
@_APP
def open_room(sim: _Simulation, fcid: str, app_id: str | None) -> None:
    """A user opens a direct room with the bot."""
    sim.act("open-direct-room", fcid=fcid, app_id=app_id)


def _fields(_: click.Context, __: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}")
        fields[name] = text
    return fields


@simulation_command(
    "submit-card",
    "finchat sandbox submit-card --user @test:example.org --event '$abc:example.org' \\",
    "    --field company=ACME",
)
@_USER
@click.option(
    "--event", "origin_event", required=True, metavar="EVENT_ID", help="The card the bot sent."
)
@click.option(
    "--field",
    "info",
    multiple=True,
    callback=_fields,
    metavar="NAME=VALUE",
    help="A value typed into the card (repeatable).",
)
@click.option("--action", default="submit", show_default=True, help="The button's action.")
@_APP
def submit_card(
    sim: _Simulation,
    fcid: str,
    origin_event: str,
    info: dict[str, str],
    action: str,
    app_id: str | None,
) -> None:
    """A user fills in and submits a CUI card the bot sent."""
    sim.act(
        "submit-cui", fcid=fcid, origin_event=origin_event, info=info, action=action, app_id=app_id
    )


@simulation_command("apply", "finchat sandbox apply --user @test:example.org --app-id APP_ID")
@_USER
@click.option("--app-id", required=True, metavar="APP_ID", help="The app applied for.")
def apply(sim: _Simulation, fcid: str, app_id: str) -> None:
    """A user applies to use an app; every admin app receives the application."""
    sim.act("apply-for-app", fcid=fcid, app_id=app_id)
