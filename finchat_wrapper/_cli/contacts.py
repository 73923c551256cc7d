"""`finchat contacts`: the enterprise address book."""

from __future__ import annotations

import click
from rich.text import Text

from . import examples_epilog
from ._common import Cli, api_command, printable


@click.group(epilog=examples_epilog("finchat contacts by-authority admin"))
def contacts() -> None:
    """Read the enterprise address book."""


@contacts.command(
    "by-authority",
    epilog=examples_epilog(
        "finchat contacts by-authority admin",
        "finchat contacts by-authority approver | finchat send --users-from - --text 'Review'",
    ),
)
@click.argument("name")
@api_command
def contacts_by_authority(cli: Cli, name: str) -> None:
    """List the fcids of the users who hold the authority NAME, one per line."""
    with cli.client() as client:
        fcids = client.contacts.by_authority(name)
    if cli.json:
        cli.emit({"ok": True, "authority": name, "fcids": fcids})
        return
    for fcid in fcids:
        click.echo(printable(fcid))
    if not fcids:
        cli.err.print(Text(f"nobody holds the authority {printable(name)!r}", style="dim"))
