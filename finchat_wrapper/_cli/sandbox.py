"""`finchat sandbox`: a local FinChat server for bots under development."""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from pathlib import Path

import click
from rich.console import Console
from rich.logging import RichHandler

from ._common import CliError, ExitCode

_EPILOG = """\b
Examples:
  finchat sandbox --port 8000
  finchat sandbox --port 0 --json          # one JSON line with base_url, app_id, secret, ui
  finchat sandbox --world world.yaml --seed 7
  finchat sandbox --iam-access-ttl 30      # Sign in with FinChat: short access tokens
  curl -s localhost:8000/_sandbox/state > world.json   # export, then --world world.json
"""


@click.command(epilog=_EPILOG)
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
@click.option(
    "--token-ttl",
    default=7200,
    show_default=True,
    type=click.IntRange(min=1),
    help="Token lifetime in seconds.",
)
@click.option(
    "--max-media-mib",
    default=256,
    show_default=True,
    type=click.IntRange(min=1),
    help="Memory for all uploaded media together; a full store refuses uploads.",
)
@click.option(
    "--iam-access-ttl",
    default=300,
    show_default=True,
    type=click.IntRange(min=1),
    help="Lifetime of the IAM's access tokens (Sign in with FinChat), in seconds.",
)
@click.option(
    "--iam-refresh-ttl",
    default=1800,
    show_default=True,
    type=click.IntRange(min=1),
    help="Lifetime of the IAM's refresh tokens, in seconds.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the settings as one JSON line.")
def sandbox(
    host: str,
    port: int,
    world_path: Path | None,
    seed: int,
    token_ttl: int,
    max_media_mib: int,
    iam_access_ttl: int,
    iam_refresh_ttl: int,
    as_json: bool,
) -> None:
    """Run a local FinChat sandbox (the whole API, simulated users, faults) until Ctrl-C.

    It prints the base URL and the default app's id and secret, ready to paste. Printing a secret
    is intended here: it is the sandbox's own credential, published with its world, and grants
    nothing on any real FinChat deployment. Open the printed /_sandbox/ui/ address in a browser
    to chat with your bot as its users, see every card and every delivery; the simulation API
    is under /_sandbox (openapi/sandbox-simulation.yaml), its reference at /_sandbox/reference/.
    """
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
    handler = RichHandler(console=Console(stderr=True), show_path=False, show_time=False)
    log.addHandler(handler)
    try:
        with sb, serve(sb, host=host, port=port) as base_url:
            simulation = f"{base_url}/_sandbox/"
            reference = f"{base_url}/_sandbox/reference/"
            if as_json:
                settings = {
                    "base_url": base_url,
                    "app_id": sb.app_id,
                    "secret": sb.secret,
                    "ui": sb.ui_url,
                    "reference": reference,
                    "simulation": simulation,
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
                console.print(f"  simulation API: {simulation}  (openapi/sandbox-simulation.yaml)")
                console.print(f"  Sign in with FinChat: IAM {sb.iam.issuer}")
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
