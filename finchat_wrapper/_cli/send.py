"""`finchat send`: one message to rooms and users, and the report of every recipient.

The command reads its input and checks all of it (recipients, the message, the files) before
the first request, then makes one library call (`messages.send`, or `media.send_image` /
`media.send_file`) after checking the credentials, and prints the `SendReport`.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click
import yaml
from rich.table import Table
from rich.text import Text

from .._bulk import SendReport, partial_report
from .._client import FinChat
from .._content import (
    ContentUri,
    file_content,
    image_content,
    text_content,
    textcard_content,
)
from .._cui import CUI_VERSION, Card
from .._ids import validate_fcid, validate_room_id
from .._upload import Upload
from . import examples_epilog
from ._common import (
    Cli,
    CliError,
    ExitCode,
    api_command,
    cell,
    errcode_hint,
    ids_from,
    printable,
)
from ._progress import Bars
from .upload import prepare

if TYPE_CHECKING:
    from .._content import MessageContent

DEFAULT_CONCURRENCY = 4

F = Callable[..., Any]


# ---- input ---------------------------------------------------------------------------------------


def _recipients(
    rooms: tuple[str, ...],
    users: tuple[str, ...],
    rooms_from: IO[str] | None,
    users_from: IO[str] | None,
) -> tuple[list[str], list[str]]:
    room_ids = [validate_room_id(r) for r in rooms]
    fcids = [validate_fcid(u) for u in users]
    if rooms_from is not None:
        room_ids += ids_from(rooms_from, validate_room_id, "room ids")
    if users_from is not None:
        fcids += ids_from(users_from, validate_fcid, "fcids")
    if not room_ids and not fcids:
        raise CliError(
            "no recipient: give --room, --user, --rooms-from or --users-from", ExitCode.USAGE
        )
    return room_ids, fcids


def _card(path: Path, body: str | None) -> MessageContent:
    """The `m.cui` content of a JSON or YAML file: a whole content, or just its `info` form."""
    from finchat_openapi.models import CuiContent

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read the card {path}: {exc}", ExitCode.USAGE) from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise CliError(f"{path} is not valid JSON/YAML: {printable(exc)}", ExitCode.USAGE) from None
    if not isinstance(data, dict):
        raise CliError(
            f"{path}: a card is a mapping (the m.cui content or its info)", ExitCode.USAGE
        )
    if "msgtype" in data:
        if data["msgtype"] != "m.cui":
            raise CliError(
                f"{path}: msgtype is {data['msgtype']!r}, a card is m.cui", ExitCode.USAGE
            )
        whole = dict(data)
    else:
        # Just the form: the content around it is always the same.
        whole = {"msgtype": "m.cui", "body": "", "info": {"type": "form", **data}}
        whole.setdefault("version", CUI_VERSION)
    try:
        content = CuiContent.from_dict(whole)
        card = Card.from_content(content)
        fallback = body if body is not None else content.body or None
        return card.to_content() if fallback is None else card.to_content(body=fallback)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise CliError(
            f"{path} is not a valid CUI card: {_card_problem(whole, exc)}", ExitCode.USAGE
        ) from None


def _card_problem(whole: dict[str, Any], exc: Exception) -> str:
    """What is wrong: a missing field of the content, else which element, found by parsing the
    elements one at a time."""
    import attrs
    from finchat_openapi.models import CuiContent

    required = [f.name for f in attrs.fields(CuiContent) if f.default is attrs.NOTHING]
    missing = [name for name in required if name not in whole]
    if missing:
        fields = ", ".join(f"`{name}`" for name in missing)
        version = f" (the CUI format version, {CUI_VERSION})" if "version" in missing else ""
        return f"the m.cui content has no {fields}{version}"
    info = whole.get("info")
    elements = info.get("elements") if isinstance(info, dict) else None
    if isinstance(info, dict) and isinstance(elements, list):
        for index, element in enumerate(elements, start=1):
            try:
                CuiContent.from_dict({**whole, "info": {**info, "elements": [element]}})
            except (ValueError, TypeError, KeyError, AttributeError):
                shown = printable(json.dumps(element, ensure_ascii=False))[:120]
                return f"element {index} is not a CUI element of the spec: {shown}"
    if isinstance(exc, KeyError):
        return f"missing field {exc}"
    return printable(exc) or type(exc).__name__


@dataclass(frozen=True)
class MediaMessage:
    """An image or file to send: a URI uploaded before, or a local file checked and prepared."""

    image: bool
    source: ContentUri | Upload
    body: str | None

    def content(self, client: FinChat) -> MessageContent:
        """The message, once the local file (if it is one) is uploaded: for a webhook send,
        which has no recipients for `media.send_image` to send to."""
        if isinstance(self.source, ContentUri):
            if self.image:
                return image_content(str(self.source), body=self.body or "image")
            return file_content(str(self.source), body=self.body or "file")
        uri = client.media.upload(self.source)
        if self.image:
            return self.source.image_content(uri, body=self.body)
        return self.source.file_content(uri, body=self.body)


@dataclass(frozen=True)
class MessageOptions:
    """The message of `finchat send`, as its options give it (None: not given)."""

    text: str | None = None
    image: str | None = None
    file_: str | None = None
    title: str | None = None
    description: str | None = None
    url: str | None = None
    btntext: str | None = None
    cover: str | None = None
    card: Path | None = None
    body: str | None = None

    def message(self) -> MessageContent | MediaMessage:
        """The content to send, or the image or file; CliError for a wrong combination."""
        kinds = {
            "--text": self.text is not None,
            "--image": self.image is not None,
            "--file": self.file_ is not None,
            "--title": self.title is not None,
            "--card": self.card is not None,
        }
        chosen = [name for name, given in kinds.items() if given]
        if len(chosen) != 1:
            which = (
                "no message" if not chosen else f"one message at a time, not {', '.join(chosen)}"
            )
            raise CliError(
                f"{which}: give --text, --image, --file, --title/--description/--url or --card",
                ExitCode.USAGE,
            )
        card_fields = (self.description, self.url, self.btntext, self.cover)
        if self.title is None and any(v is not None for v in card_fields):
            raise CliError(
                "--description, --url, --btntext and --cover make a text card: add --title",
                ExitCode.USAGE,
            )
        if self.text is not None:
            text = sys.stdin.read() if self.text == "-" else self.text
            if not text.strip():
                where = "stdin gave" if self.text == "-" else "--text is"
                raise CliError(f"{where} empty: nothing to send", ExitCode.USAGE)
            return text_content(text)
        if self.title is not None:
            return self._text_card(self.title)
        if self.card is not None:
            return _card(self.card, self.body)
        source = self.image if self.image is not None else self.file_ or ""
        # An `mxc://` URI as is (checked), else a local file prepared for upload.
        media = ContentUri(source) if source.startswith("mxc://") else prepare(source)
        kind = media.content_type if isinstance(media, Upload) else "image/"
        if self.image is not None and not kind.startswith("image/"):
            raise CliError(
                f"{source} is {kind}, not an image: send it with --file",
                ExitCode.USAGE,
            )
        # The empty --body counts as none, as the library's default name does.
        return MediaMessage(image=self.image is not None, source=media, body=self.body or None)

    def _text_card(self, title: str) -> MessageContent:
        given = (("--description", self.description), ("--url", self.url))
        missing = [name for name, value in given if value is None]
        if missing:
            raise CliError(f"a text card needs {' and '.join(missing)} too", ExitCode.USAGE)
        return textcard_content(
            title=title,
            description=self.description or "",
            url=self.url or "",
            btntext=self.btntext,
            o_url=self.cover,
            body=self.body if self.body is not None else title,
        )


def _once(ctx: click.Context, param: click.Parameter, values: tuple[Any, ...]) -> Any:
    # click keeps the last of a repeated option; a message option given twice is a mistake.
    if len(values) > 1:
        raise click.BadParameter("given more than once: send one message at a time")
    return values[0] if values else None


def message_options(function: F) -> F:
    """The options of `send` that make its message, passed on as `MessageOptions` fields.

    Each may be given once: they are `multiple` only so that a repeat is refused (`_once`).
    """
    once = functools.partial(click.option, multiple=True, callback=_once)
    options = [
        once("--text", metavar="TEXT", help="Send a text message ('-': read it from stdin)."),
        once("--image", metavar="FILE|MXC", help="Send an image: a local file (uploaded) or URI."),
        once("--file", "file_", metavar="FILE|MXC", help="Send a file: local (uploaded) or URI."),
        once("--title", help="Text card: its title (with --description and --url)."),
        once("--description", help="Text card: its text."),
        once("--url", help="Text card: the link it opens."),
        once("--btntext", help="Text card: the button label."),
        once("--cover", metavar="MXC", help="Text card: an uploaded image to show."),
        once(
            "--card",
            type=click.Path(dir_okay=False, exists=True, path_type=Path),
            help="Send a CUI card from a JSON or YAML file (the m.cui content, or just its form).",
        ),
        once("--body", help="Fallback text of a card, or the name shown for an image or file."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


# ---- the call ------------------------------------------------------------------------------------


def _send(
    client: FinChat,
    message: MessageContent | MediaMessage,
    room_ids: list[str],
    fcids: list[str],
    concurrency: int,
    bars: Bars,
) -> SendReport:
    """The one library call of the command; rooms and users are both meant, so no warning."""
    total = len(set(room_ids)) + len(set(fcids))
    if not isinstance(message, MediaMessage):
        return client.messages.send(
            message, room_ids=room_ids, fcids=fcids, concurrency=concurrency,
            progress=bars.sending(total), warn_mixed_recipients=False,
        )  # fmt: skip
    send = client.media.send_image if message.image else client.media.send_file
    uploads = isinstance(message.source, Upload)
    return send(
        message.source, room_ids=room_ids, fcids=fcids, body=message.body,
        concurrency=concurrency,
        progress=bars.upload(message.source) if isinstance(message.source, Upload) else None,
        send_progress=bars.sending(total, after_upload=uploads), warn_mixed_recipients=False,
    )  # fmt: skip


# ---- output --------------------------------------------------------------------------------------


def _report_table(report: SendReport, rooms: list[str], users: list[str]) -> Table:
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("Recipient", no_wrap=True)
    table.add_column("Result", no_wrap=True)
    table.add_column("Event id or error")
    for rid in dict.fromkeys([*rooms, *users]):
        if rid in report.succeeded:
            table.add_row(cell(rid), Text("sent", "green"), cell(report.succeeded[rid]))
        elif rid in report.failed:
            failure = report.failed[rid]
            detail = f"{failure.errcode}: {failure.error}" if failure.errcode else failure.error
            table.add_row(cell(rid), Text("failed", "bold red"), cell(detail))
        elif rid in report.unknown:
            table.add_row(
                cell(rid),
                Text("unknown", "yellow"),
                cell(f"may have been delivered: {report.unknown[rid]}"),
            )
        elif rid in report.not_attempted:
            table.add_row(
                cell(rid),
                Text("not attempted", "yellow"),
                cell(f"never sent ({report.not_attempted[rid]}): safe to send again"),
            )
    return table


def _report_json(report: SendReport, rooms: list[str], users: list[str]) -> dict[str, Any]:
    results = []
    for kind, ids in (("room", rooms), ("user", users)):
        for rid in dict.fromkeys(ids):
            entry: dict[str, Any] = {"recipient": rid, "kind": kind}
            if rid in report.succeeded:
                entry.update(status="sent", event_id=report.succeeded[rid])
            elif rid in report.failed:
                failure = report.failed[rid]
                entry.update(status="failed", errcode=failure.errcode, error=failure.error)
            elif rid in report.not_attempted:
                entry.update(status="not_attempted", error=report.not_attempted[rid])
            else:
                entry.update(status="unknown", error=report.unknown.get(rid, ""))
            results.append(entry)
    return {
        "ok": report.ok,
        "sent": len(report.succeeded),
        "failed": len(report.failed),
        "unknown": len(report.unknown),
        "not_attempted": len(report.not_attempted),
        "requests": report.requests,
        "results": results,
    }


def _print_report(cli: Cli, report: SendReport, room_ids: list[str], fcids: list[str]) -> None:
    if cli.json:
        cli.emit(_report_json(report, room_ids, fcids))
        return
    cli.print(_report_table(report, room_ids, fcids))
    summary = f"{len(report.succeeded)} sent, {len(report.failed)} failed"
    if report.unknown:
        summary += f", {len(report.unknown)} unknown (check before resending)"
    if report.not_attempted:
        summary += f", {len(report.not_attempted)} not attempted (safe to send again)"
    cli.print(Text(f"{summary}; {report.requests} request(s)", style="dim"))
    # Once per kind of failure, what to do about it.
    for errcode in dict.fromkeys(f.errcode for f in report.failed.values()):
        hint = errcode_hint(errcode, cli.settings)
        if errcode and hint:
            cli.print(Text(f"{errcode}: {hint}", style="dim"))


# ---- the command ---------------------------------------------------------------------------------


@click.command(
    epilog=examples_epilog(
        "finchat send --room '!abc:example.org' --text 'Deploy finished'",
        "finchat send --users-from oncall.txt --image graph.png",
        "finchat send --user @alice:example.org --file report.pdf",
        "finchat send --room '!abc:example.org' --title Build --description 'v1.2 is out' \\\\",
        "    --url https://ci.example.org/1234",
        "finchat send --rooms-from rooms.txt --card poll.yaml --json",
    )
)
@click.option("--room", "rooms", multiple=True, metavar="ROOM_ID", help="A room (repeatable).")
@click.option("--user", "users", multiple=True, metavar="FCID", help="A user (repeatable).")
@click.option(
    "--rooms-from",
    type=click.File("r", encoding="utf-8"),
    help="File of room ids, one per line ('-': stdin; # comments).",
)
@click.option(
    "--users-from",
    type=click.File("r", encoding="utf-8"),
    help="File of fcids, one per line ('-': stdin; # comments).",
)
@message_options
@click.option(
    "--concurrency",
    type=click.IntRange(1, 32),
    default=DEFAULT_CONCURRENCY,
    show_default=True,
    help="Requests in flight at once.",
)
@api_command
def send(
    cli: Cli,
    rooms: tuple[str, ...],
    users: tuple[str, ...],
    rooms_from: IO[str] | None,
    users_from: IO[str] | None,
    concurrency: int,
    **message: Any,
) -> None:
    """Send one message to rooms and/or users; print one line per recipient.

    The message is one of --text, --image, --file, a text card (--title, --description, --url)
    or --card. Each recipient gets it at most once; exits 1 when any recipient failed or its
    outcome is unknown (listed, never resent).
    """
    options = MessageOptions(**message)
    readers = [
        name
        for name, value in (
            ("--rooms-from", getattr(rooms_from, "name", None)),
            ("--users-from", getattr(users_from, "name", None)),
            ("--text", options.text),
        )
        if value in ("-", "<stdin>")
    ]
    if len(readers) > 1:
        raise CliError(f"only one of {', '.join(readers)} can read stdin", ExitCode.USAGE)
    # Everything is checked before the first request: a typo must not cost half a broadcast.
    room_ids, fcids = _recipients(rooms, users, rooms_from, users_from)
    content = options.message()

    try:
        with cli.client() as client, Bars(cli) as bars:
            # Refused credentials are the app's problem, not the recipients': fail before any send.
            client.auth.token()
            report = _send(client, content, room_ids, fcids, concurrency, bars)
    except KeyboardInterrupt as exc:
        partial = partial_report(exc)
        if partial is None:
            raise
        line = (
            f"interrupted: {partial.summary()}; the not attempted are safe to send again, the "
            "unknown may have been delivered"
        )
        # Whom to send again: the rows say it per recipient, the JSON document too (one document:
        # the report, with the error in it).
        if cli.json:
            error = {"errcode": None, "message": line, "exit_code": int(ExitCode.INTERRUPTED)}
            cli.emit({**_report_json(partial, room_ids, fcids), "error": error})
            cli.err.print(Text(f"Error: {line}"), soft_wrap=True)
            click.get_current_context().exit(ExitCode.INTERRUPTED)
        _print_report(cli, partial, room_ids, fcids)
        raise CliError(line, ExitCode.INTERRUPTED) from None

    _print_report(cli, report, room_ids, fcids)
    if not report.ok:
        if not cli.json:
            cli.err.print(
                Text(
                    f"Error: {len(report.failed) + len(report.unknown)} of {report.total} "
                    "recipients did not surely get the message (see above)",
                    style="red",
                )
            )
        click.get_current_context().exit(ExitCode.FAILED)
