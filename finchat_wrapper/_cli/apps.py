"""`finchat apps`: the app's own direct rooms."""

from __future__ import annotations

import click
from rich.table import Table
from rich.text import Text

from . import examples_epilog
from ._common import Cli, api_command, cell


@click.group(epilog=examples_epilog("finchat apps friendships"))
def apps() -> None:
    """Read the app's own direct rooms."""


@apps.command("friendships", epilog=examples_epilog("finchat apps friendships --json"))
@api_command
def apps_friendships(cli: Cli) -> None:
    """List the users who have a direct room with the app's bot, and that room."""
    with cli.client() as client:
        friends = client.apps.friendships()
    rows = [friend.to_dict() for friend in friends]
    if cli.json:
        cli.emit({"ok": True, "friendships": rows})
        return
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("User", no_wrap=True)
    table.add_column("Direct room", no_wrap=True)
    for row in rows:
        table.add_row(cell(row["to_fcid"]), cell(row["room_id"]))
    cli.print(table)
    cli.print(Text(f"{len(rows)} direct room(s)", style="dim"))
