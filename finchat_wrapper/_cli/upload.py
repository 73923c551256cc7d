"""`finchat upload`: upload a file and print its mxc:// URI."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .._upload import Upload, prepare_upload
from . import examples_epilog
from ._common import Cli, api_command
from ._progress import Bars


def prepare(source: str, name: str | None = None, content_type: str | None = None) -> Upload:
    """The upload of a file, or of stdin for `-`, checked before any request."""
    if source == "-":
        stream = sys.stdin.buffer
        return prepare_upload(stream, filename=name or "stdin", content_type=content_type)
    return prepare_upload(Path(source), filename=name, content_type=content_type)


@click.command(
    epilog=examples_epilog(
        "finchat upload report.pdf",
        "URI=$(finchat upload photo.png)",
        "curl -s https://example.org/logo.png | finchat upload - --name logo.png",
    )
)
@click.argument("source", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--name", help="File name to record [default: the file's; 'stdin' for -].")
@click.option(
    "--content-type", metavar="TYPE", help="Media type [default: guessed from bytes and name]."
)
@api_command
def upload(cli: Cli, source: str, name: str | None, content_type: str | None) -> None:
    """Upload FILE ('-' for stdin) and print its mxc:// URI.

    A terminal shows a progress bar (bytes, rate, time left) on stderr; piped, only the URI is
    printed on stdout.
    """
    prepared = prepare(source, name, content_type)
    with cli.client() as client, Bars(cli) as bars:
        uri = client.media.upload(prepared, progress=bars.upload(prepared))
    if cli.json:
        cli.emit(
            {
                "ok": True,
                "content_uri": str(uri),
                "filename": prepared.filename,
                "content_type": prepared.content_type,
                "size": prepared.size,
            }
        )
    else:
        click.echo(str(uri))
