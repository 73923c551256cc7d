"""`finchat sandbox`: a local FinChat server for bots under development."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import click
from rich.console import Console


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
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
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Start from this world (YAML or JSON; GET /_sandbox/state exports one).",
)
@click.option("--seed", default=0, show_default=True, help="Seed of ids and of fault plans.")
@click.option("--token-ttl", default=7200, show_default=True, help="Token lifetime in seconds.")
def sandbox(host: str, port: int, world_path: Path | None, seed: int, token_ttl: int) -> None:
    """Run a local FinChat sandbox (the whole API, simulated users, faults) until Ctrl-C.

    It prints the base URL and the default app's id and secret, ready to paste. Printing a secret
    is intended here: it is the sandbox's own credential, published with its world, and grants
    nothing on any real FinChat deployment. The simulation API is under /_sandbox
    (openapi/sandbox-simulation.yaml).
    """
    from finchat_wrapper.sandbox import Sandbox, World, WorldError, serve

    try:
        world = World.load(world_path) if world_path else None
        sb = Sandbox(world, seed=seed, token_ttl=token_ttl)
    except (WorldError, ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    console = Console(highlight=False, soft_wrap=True)
    try:
        with sb, serve(sb, host=host, port=port) as base_url:
            console.print(f"FinChat sandbox on [bold]{base_url}[/bold]  (Ctrl-C stops it)")
            console.print(f"  FINCHAT_BASE_URL={base_url}")
            console.print(f"  FINCHAT_APP_ID={sb.app_id}")
            console.print(f"  FINCHAT_SECRET={sb.secret}")
            console.print(
                f"  simulation API: {base_url}/_sandbox/  (openapi/sandbox-simulation.yaml)"
            )
            _wait_forever()
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None


def _wait_forever() -> None:
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()
