"""`finchat apps`: the app's own direct rooms, and who in the enterprise can see it."""

from __future__ import annotations

from operator import itemgetter

import click
from rich.table import Table
from rich.text import Text

from . import examples_epilog
from ._common import Cli, api_command, cell, show_rows


@click.group(epilog=examples_epilog("finchat apps friendships", "finchat apps visibility"))
def apps() -> None:
    """Read the app's own direct rooms and who can see it."""


@apps.command("friendships", epilog=examples_epilog("finchat apps friendships --json"))
@api_command
def apps_friendships(cli: Cli) -> None:
    """List the users who have a direct room with the app's bot, and that room."""
    with cli.client() as client:
        friends = client.apps.friendships()
    columns = {"User": itemgetter("to_fcid"), "Direct room": itemgetter("room_id")}
    show_rows(
        cli,
        "friendships",
        [f.to_dict() for f in friends],
        columns,
        f"{len(friends)} direct room(s)",
    )


@apps.command(
    "visibility",
    epilog=examples_epilog("finchat apps visibility", "finchat apps visibility --json"),
)
@api_command
def apps_visibility(cli: Cli) -> None:
    """Show who in the enterprise can see the app: everyone, or the departments and users."""
    with cli.client() as client:
        visibility = client.apps.visibility()
    data = visibility.to_dict()
    if cli.json:
        cli.emit({"ok": True, "visibility": data})
        return
    if visibility.unlimited:
        cli.print(Text("everyone in the enterprise can see the app"))
        return
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("Can see the app", no_wrap=True)
    table.add_column("Id", no_wrap=True)
    for kind, key in (("department", "departments"), ("user", "fcids")):
        for value in data.get(key, []):
            table.add_row(cell(kind), cell(value))
    cli.print(table)
    shown = len(data.get("departments", [])), len(data.get("fcids", []))
    cli.print(Text(f"{shown[0]} department(s), {shown[1]} user(s); nobody else", style="dim"))
