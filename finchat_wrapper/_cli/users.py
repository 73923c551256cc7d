"""`finchat users`: user profiles and friendships."""

from __future__ import annotations

import click
from rich.table import Table
from rich.text import Text

from . import examples_epilog
from ._common import Cli, api_command, cell, printable


@click.group(
    epilog=examples_epilog(
        "finchat users get @alice:example.org",
        "finchat users friendships @alice:example.org --json",
    )
)
def users() -> None:
    """Read user profiles and friendships."""


@users.command(
    "get",
    epilog=examples_epilog(
        "finchat users get @linian002:dev.finogeeks.club", "finchat users get @a:b --json"
    ),
)
@click.argument("fcid")
@api_command
def users_get(cli: Cli, fcid: str) -> None:
    """Show the profile of the user FCID (@name:server)."""
    with cli.client() as client:
        user = client.users.get(fcid)
    data = user.to_dict()
    if cli.json:
        cli.emit({"ok": True, "user": data})
        return
    table = Table(show_header=False, show_edge=False, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    for key, value in data.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        table.add_row(cell(key), cell(shown))
    cli.print(table)


@users.command(
    "friendships",
    epilog=examples_epilog("finchat users friendships @alice:example.org"),
)
@click.argument("fcid")
@api_command
def users_friendships(cli: Cli, fcid: str) -> None:
    """List the friends of the user FCID, each with their direct room."""
    with cli.client() as client:
        friends = client.users.friendships(fcid)
    rows = [friend.to_dict() for friend in friends]
    if cli.json:
        cli.emit({"ok": True, "fcid": fcid, "friendships": rows})
        return
    table = Table(show_edge=False, pad_edge=False)
    for column in ("Friend", "Direct room", "Bot"):
        table.add_column(column, no_wrap=True)
    for row in rows:
        table.add_row(
            cell(row["to_fcid"]), cell(row["room_id"]), cell("yes" if row["is_bot"] else "")
        )
    cli.print(table)
    cli.print(Text(f"{len(rows)} friend(s) of {printable(fcid)}", style="dim"))
