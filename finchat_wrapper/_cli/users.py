"""`finchat users`: user profiles and friendships."""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

import click

from . import examples_epilog
from ._common import Cli, api_command, printable, show_record, show_rows


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
    columns: dict[str, Callable[[dict[str, Any]], object]] = {
        "Friend": itemgetter("to_fcid"),
        "Direct room": itemgetter("room_id"),
        "Bot": lambda row: "yes" if row["is_bot"] else "",
    }
    summary = f"{len(friends)} friend(s) of {printable(fcid)}"
    show_rows(cli, "friendships", [f.to_dict() for f in friends], columns, summary, fcid=fcid)
