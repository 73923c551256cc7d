"""`finchat webhook`: a message sent as one of the app's webhook bots, into the room it serves."""

from __future__ import annotations

from typing import Any

import click

from . import examples_epilog
from ._common import Cli, api_command, printable
from .send import MediaMessage, MessageOptions, message_options


@click.group(epilog=examples_epilog("finchat webhook send HOOK_ID --text 'Disk 90% full'"))
def webhook() -> None:
    """Send messages as the app's webhook bots."""


@webhook.command(
    "send",
    epilog=examples_epilog(
        "finchat webhook send 5df29mec9ccfd002ccd28076 --text 'Disk 90% full'",
        "df -h | finchat webhook send HOOK_ID --text -",
        "finchat webhook send HOOK_ID --image graph.png --json",
        "finchat webhook send HOOK_ID --card approval.yaml",
    ),
)
@click.argument("webhook_id")
@message_options
@api_command
def webhook_send(cli: Cli, webhook_id: str, **message: Any) -> None:
    """Send one message as the webhook bot WEBHOOK_ID; print the message's event id.

    The message is one of --text, --image, --file (a local file is uploaded first), a text card
    (--title, --description, --url) or --card, as for `finchat send`. A webhook send is never
    repeated once it may have reached the server.
    """
    content = MessageOptions(**message).message()
    with cli.client() as client:
        if isinstance(content, MediaMessage):
            content = content.content(client)
        answer = client.webhooks.send(webhook_id, content)
    if cli.json:
        cli.emit({"ok": True, "webhook_id": webhook_id, "event_id": answer.event_id})
    else:
        click.echo(printable(answer.event_id))
