"""`finchat token`: fetch an app access token and show when it expires."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import click
from rich.text import Text

from . import examples_epilog
from ._common import Cli, api_command, printable


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


@click.command(
    epilog=examples_epilog(
        "finchat token --base-url https://finchat.example.org --app-id 5cf29aec6ccfd004ccd28075",
        "finchat token --json --show-token | jq -r .token",
    )
)
@click.option(
    "--show-token",
    is_flag=True,
    help="Also print the token itself: a secret that acts as the app until it expires.",
)
@api_command
def token(cli: Cli, show_token: bool) -> None:
    """Fetch an app access token and show when it expires (never the secret).

    Checks that the credentials work: a bad secret or an unpublished app fails here.
    """
    with cli.client() as client:
        issued = client.auth.token()
    if not show_token:
        cli.redact.add(issued.value)
    settings = cli.settings
    expires_at = datetime.now(UTC) + timedelta(seconds=issued.ttl)
    when = expires_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    if cli.json:
        data: dict[str, Any] = {
            "ok": True,
            "app_id": settings.app_id,
            "base_url": settings.base_url,
            "expires_in": round(issued.ttl),
            "expires_at": expires_at.isoformat(timespec="seconds"),
        }
        if show_token:
            data["token"] = issued.value
        cli.emit(data)
        return
    line = Text("Token for app ")
    line.append(printable(settings.app_id), style="bold")
    line.append(f" on {printable(settings.base_url)}: expires in ")
    line.append(_duration(issued.ttl), style="bold")
    line.append(f" (at {when})")
    cli.print(line)
    if show_token:
        # Unstyled and alone on its line, so it can be selected or cut out whole.
        cli.out.print(Text(issued.value), soft_wrap=True)
