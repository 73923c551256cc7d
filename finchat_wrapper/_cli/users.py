"""`finchat users`: user profiles and friendships."""

from __future__ import annotations

import click
from rich.table import Table
from rich.text import Text

from . import examples_epilog
from ._common import Cli, api_command, cell, printable, show_record


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
    show_record(cli, "user", user.to_dict())


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
