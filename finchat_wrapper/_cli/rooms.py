"""`finchat rooms`: the app's group rooms: create, read, list, and change one thing at a time."""

from __future__ import annotations

from typing import IO, Any

import click
from rich.text import Text

from .._ids import validate_fcid
from .._operations import ROOM_UPDATE_PRECEDENCE
from . import examples_epilog
from ._common import (
    Cli,
    CliError,
    ExitCode,
    api_command,
    ids_from,
    printable,
    show_ids,
    show_record,
)

_HISTORY = click.Choice(["shared", "joined"])


@click.group(
    epilog=examples_epilog(
        "finchat rooms create --name 周会 --user @alice:example.org --user @bob:example.org",
        "finchat rooms list | head -1 | xargs finchat rooms get",
        "finchat rooms update '!r:example.org' --invite @carol:example.org",
    )
)
def rooms() -> None:
    """Create, read, list and change the app's group rooms."""


@rooms.command(
    "create",
    epilog=examples_epilog(
        "finchat rooms create --name 周会 --user @alice:example.org",
        "ROOM=$(finchat rooms create --name oncall --users-from oncall.txt)",
        "finchat rooms create --federate --owner @bob:other.org --json",
    ),
)
@click.option("--name", help="The room's name.")
@click.option("--topic", help="The room's topic (its notice board).")
@click.option(
    "--history", type=_HISTORY, help="Who sees the history from before they joined [shared]."
)
@click.option("--federate", is_flag=True, default=None, help="Let users of other servers in.")
@click.option("--owner", metavar="FCID", help="The owner [default: the app's bot].")
@click.option("--user", "users", multiple=True, metavar="FCID", help="A member (repeatable).")
@click.option(
    "--users-from",
    type=click.File("r", encoding="utf-8"),
    help="File of member fcids, one per line ('-': stdin; # comments).",
)
@api_command
def rooms_create(
    cli: Cli,
    name: str | None,
    topic: str | None,
    history: str | None,
    federate: bool | None,
    owner: str | None,
    users: tuple[str, ...],
    users_from: IO[str] | None,
) -> None:
    """Create a group room with the bot (and --user members) in it; print its room id."""
    members = [validate_fcid(user) for user in users]
    if users_from is not None:
        members += ids_from(users_from, validate_fcid, "fcids")
    with cli.client() as client:
        created = client.rooms.create(
            name=name,
            topic=topic,
            history_visibility=history,  # type: ignore[arg-type]  # click.Choice checked it
            federate=federate,
            owner=owner,
            fcids=members,
        )
    if cli.json:
        cli.emit({"ok": True, "room_id": created.room_id})
    else:
        click.echo(printable(created.room_id))


@rooms.command(
    "list",
    epilog=examples_epilog("finchat rooms list", "finchat rooms list --json"),
)
@api_command
def rooms_list(cli: Cli) -> None:
    """List the ids of the group rooms the app's bot is in, one per line."""
    with cli.client() as client:
        room_ids = client.rooms.list()
    show_ids(cli, "room_ids", room_ids, "the app's bot is in no group room")


@rooms.command(
    "get",
    epilog=examples_epilog(
        "finchat rooms get '!112321588723954859:example.org'", "finchat rooms get '!r:x' --json"
    ),
)
@click.argument("room_id")
@api_command
def rooms_get(cli: Cli, room_id: str) -> None:
    """Show the group room ROOM_ID: name, topic, federation, owner and members."""
    with cli.client() as client:
        room = client.rooms.get(room_id)
    show_record(cli, "room", room.to_dict(), room_id=room_id)


@rooms.command(
    "update",
    epilog=examples_epilog(
        "finchat rooms update '!r:example.org' --name 周会（新）",
        "finchat rooms update '!r:example.org' --invite @a:example.org --kick @b:example.org",
        "finchat rooms update '!r:example.org' --owner-only-messages",
    ),
)
@click.argument("room_id")
@click.option("--name", help="A new name.")
@click.option("--topic", help="A new topic.")
@click.option("--history", type=_HISTORY, help="A new history visibility.")
@click.option("--owner", metavar="FCID", help="A new owner, a member of the room.")
@click.option(
    "--owner-only-messages/--anyone-messages",
    "message_forbidden_except_owner",
    default=None,
    help="Whether only the owner may send messages.",
)
@click.option(
    "--owner-only-invites/--anyone-invites",
    "invite_forbidden_except_owner",
    default=None,
    help="Whether only the owner may add members.",
)
@click.option("--invite", "invite", multiple=True, metavar="FCID", help="Add a member.")
@click.option("--kick", "kick", multiple=True, metavar="FCID", help="Remove a member.")
@api_command
def rooms_update(
    cli: Cli,
    room_id: str,
    invite: tuple[str, ...],
    kick: tuple[str, ...],
    history: str | None,
    **change: Any,
) -> None:
    """Make one change to the group room ROOM_ID.

    One change per call: the name, the topic, the history visibility, the owner, the two
    owner-only switches (together), or members to --invite and --kick (together). The server
    applies only the first of several by that order and ignores the rest, so several are
    refused before anything is sent. Exits 1 when some members could not be changed (listed).
    """
    fields = {key: value for key, value in change.items() if value is not None}
    if history is not None:
        fields["history_visibility"] = history
    if invite:
        fields["fcids_to_invite"] = list(invite)
    if kick:
        fields["fcids_to_kick"] = list(kick)
    _one_change(fields)
    with cli.client() as client:
        answer = client.rooms.update(room_id, **fields)
    failed = {
        key: list(value)
        for key, value in answer.to_dict().items()
        if key in ("failed_fcids_to_invite", "failed_fcids_to_kick") and value
    }
    if cli.json:
        cli.emit({"ok": not failed, "room_id": room_id, **failed})
    else:
        _print_change(cli, room_id, fields, failed)
    if failed:
        click.get_current_context().exit(ExitCode.FAILED)


# The option of each field of a room update, for messages in the terms the user typed.
_OPTIONS = {
    "name": "--name",
    "topic": "--topic",
    "history_visibility": "--history",
    "owner": "--owner",
    "message_forbidden_except_owner": "--owner-only-messages/--anyone-messages",
    "invite_forbidden_except_owner": "--owner-only-invites/--anyone-invites",
    "fcids_to_invite": "--invite",
    "fcids_to_kick": "--kick",
}


def _one_change(fields: dict[str, Any]) -> None:
    """Refuse options of several changes, named as options (the library names fields)."""
    groups = [g for g in ROOM_UPDATE_PRECEDENCE if any(f in fields for f in g)]
    if not groups:
        raise CliError(
            "nothing to change: give one of " + ", ".join(_OPTIONS.values()), ExitCode.USAGE
        )
    if len(groups) > 1:
        given = " and ".join(_OPTIONS[f] for group in groups for f in group if f in fields)
        raise CliError(
            f"one change per call, not {given}: the server would apply only the first of them "
            "and ignore the others; run one `finchat rooms update` per change",
            ExitCode.USAGE,
        )


def _print_change(
    cli: Cli, room_id: str, fields: dict[str, Any], failed: dict[str, list[str]]
) -> None:
    if not failed:
        changed = ", ".join(sorted(fields))
        cli.print(Text(f"{printable(room_id)}: {changed} changed", style="green"))
        return
    # Only member changes fail in part: name each user that could not be changed.
    for key, verb in (("failed_fcids_to_invite", "invite"), ("failed_fcids_to_kick", "kick")):
        for fcid in failed.get(key, []):
            cli.err.print(Text(f"could not {verb} {printable(fcid)}", style="red"))
    wanted = len(fields.get("fcids_to_invite", [])) + len(fields.get("fcids_to_kick", []))
    done = wanted - sum(map(len, failed.values()))
    cli.print(Text(f"{done} of {wanted} member change(s) made", style="dim"))
