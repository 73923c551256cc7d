"""The API commands: `token`, `send`, `upload`, `users`, `contacts` and `apps`.

Each is a thin shell over `FinChat`: it reads its input, calls the client, and prints a table (or
one JSON document with `--json`). Settings, errors and exit codes are `_common`'s.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click
import yaml
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table
from rich.text import Text

from .._bulk import SendReport
from .._client import FinChat
from .._content import (
    ContentUri,
    file_content,
    image_content,
    text_content,
    textcard_content,
)
from .._cui import Card
from .._ids import validate_fcid, validate_room_id
from .._upload import ProgressCallback, Upload, prepare_upload
from . import examples_epilog
from ._common import Cli, CliError, ExitCode, api_command, cell, errcode_hint, printable

if TYPE_CHECKING:
    from .._content import MessageContent

DEFAULT_CONCURRENCY = 4


# ---- token -------------------------------------------------------------------------------------


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


@click.command(
    epilog=examples_epilog(
        "finchat token --base-url https://finchat.example.org --app-id 5cf29aec6ccfd004ccd28075",
        "finchat token --json --show-token | jq -r .token",
    )
)
@click.option(
    "--show-token",
    is_flag=True,
    help="Also print the token itself: a secret that acts as the app until it expires.",
)
@api_command
def token(cli: Cli, show_token: bool) -> None:
    """Fetch an app access token and show when it expires (never the secret).

    Checks that the credentials work: a bad secret or an unpublished app fails here.
    """
    with cli.client() as client:
        issued = client.auth.token()
    if not show_token:
        cli.redact.add(issued.value)
    settings = cli.settings
    expires_at = datetime.now(UTC) + timedelta(seconds=issued.ttl)
    when = expires_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    if cli.json:
        data: dict[str, Any] = {
            "ok": True,
            "app_id": settings.app_id,
            "base_url": settings.base_url,
            "expires_in": round(issued.ttl),
            "expires_at": expires_at.isoformat(timespec="seconds"),
        }
        if show_token:
            data["token"] = issued.value
        cli.emit(data)
        return
    line = Text("Token for app ")
    line.append(printable(settings.app_id), style="bold")
    line.append(f" on {printable(settings.base_url)}: expires in ")
    line.append(_duration(issued.ttl), style="bold")
    line.append(f" (at {when})")
    cli.print(line)
    if show_token:
        # Unstyled and alone on its line, so it can be selected or cut out whole.
        cli.out.print(Text(issued.value), soft_wrap=True)


# ---- upload ------------------------------------------------------------------------------------


@contextlib.contextmanager
def _progress(cli: Cli, upload: Upload) -> Iterator[ProgressCallback | None]:
    """A progress bar on stderr when it is a terminal; nothing when it is piped or a file."""
    if not cli.err.is_terminal:
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=cli.err) as progress:
        task = progress.add_task(printable(upload.filename or "upload"), total=upload.size)

        def update(sent: int, total: int | None) -> None:
            # A retry or a token replay starts again from 0: `completed`, not `advance`.
            progress.update(task, completed=sent, total=total)

        yield update


def _prepare(source: str, name: str | None, content_type: str | None) -> Upload:
    if source == "-":
        stream = sys.stdin.buffer
        return prepare_upload(stream, filename=name or "stdin", content_type=content_type)
    return prepare_upload(Path(source), filename=name, content_type=content_type)


def _upload(cli: Cli, client: FinChat, upload: Upload) -> ContentUri:
    started = time.monotonic()
    with _progress(cli, upload) as progress:
        uri = client.media.upload(upload, progress=progress)
    if not cli.json:
        size = "" if upload.size is None else f"{upload.size:,} bytes, "
        cli.err.print(
            Text(
                f"uploaded {printable(upload.filename or 'stdin')} ({size}{upload.content_type}) "
                f"in {time.monotonic() - started:.1f}s",
                style="dim",
            )
        )
    return uri


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
    prepared = _prepare(source, name, content_type)
    with cli.client() as client:
        uri = _upload(cli, client, prepared)
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


# ---- send --------------------------------------------------------------------------------------


def _ids_from(stream: IO[str], check: Any, kind: str) -> list[str]:
    """Ids of a file, one per line; blank lines and `#` comments are skipped."""
    ids = []
    name = getattr(stream, "name", "-")
    for number, raw in enumerate(stream, start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            ids.append(check(line))
        except ValueError as exc:
            raise CliError(f"{name} line {number}: {exc}", ExitCode.USAGE) from None
    if not ids:
        raise CliError(f"{name} holds no {kind}", ExitCode.USAGE)
    return ids


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
        whole.setdefault("version", "0.1.0")
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
    """Which element is wrong, found by parsing the elements one at a time."""
    from finchat_openapi.models import CuiContent

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


def _file_source(value: str) -> str | Upload:
    """An `mxc://` URI as is, or a local file prepared for upload."""
    if value.startswith("mxc://"):
        return str(ContentUri(value))
    return prepare_upload(Path(value))


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
            else:
                entry.update(status="unknown", error=report.unknown.get(rid, ""))
            results.append(entry)
    return {
        "ok": report.ok,
        "sent": len(report.succeeded),
        "failed": len(report.failed),
        "unknown": len(report.unknown),
        "requests": report.requests,
        "results": results,
    }


def _recipients(
    rooms: tuple[str, ...],
    users: tuple[str, ...],
    rooms_from: IO[str] | None,
    users_from: IO[str] | None,
) -> tuple[list[str], list[str]]:
    room_ids = [validate_room_id(r) for r in rooms]
    fcids = [validate_fcid(u) for u in users]
    if rooms_from is not None:
        room_ids += _ids_from(rooms_from, validate_room_id, "room ids")
    if users_from is not None:
        fcids += _ids_from(users_from, validate_fcid, "fcids")
    if not room_ids and not fcids:
        raise CliError(
            "no recipient: give --room, --user, --rooms-from or --users-from", ExitCode.USAGE
        )
    return room_ids, fcids


def _message(
    *,
    text: str | None,
    image: str | None,
    file_: str | None,
    title: str | None,
    description: str | None,
    url: str | None,
    btntext: str | None,
    cover: str | None,
    card: Path | None,
    body: str | None,
) -> MessageContent | str | Upload:
    """The content to send; for --image and --file, the URI or the prepared file to upload."""
    kinds = {
        "--text": text is not None,
        "--image": image is not None,
        "--file": file_ is not None,
        "--title": title is not None,
        "--card": card is not None,
    }
    chosen = [name for name, given in kinds.items() if given]
    if len(chosen) != 1:
        which = "no message" if not chosen else f"one message at a time, not {', '.join(chosen)}"
        raise CliError(
            f"{which}: give --text, --image, --file, --title/--description/--url or --card",
            ExitCode.USAGE,
        )
    if title is None and any(v is not None for v in (description, url, btntext, cover)):
        raise CliError(
            "--description, --url, --btntext and --cover make a text card: add --title",
            ExitCode.USAGE,
        )
    if text is not None:
        return text_content(sys.stdin.read() if text == "-" else text)
    if title is not None:
        missing = [
            name for name, v in (("--description", description), ("--url", url)) if v is None
        ]
        if missing:
            raise CliError(f"a text card needs {' and '.join(missing)} too", ExitCode.USAGE)
        return textcard_content(
            title=title,
            description=description or "",
            url=url or "",
            btntext=btntext,
            o_url=cover,
            body=body if body is not None else title,
        )
    if card is not None:
        return _card(card, body)
    return _file_source(image if image is not None else file_ or "")


@contextlib.contextmanager
def _send_progress(cli: Cli, total: int) -> Iterator[Callable[[int], None]]:
    """Recipients settled, on stderr when it is a terminal; gone once the report is printed."""
    if not cli.err.is_terminal:
        yield lambda _: None
        return
    columns = (
        TextColumn("sending"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("recipients"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=cli.err, transient=True) as progress:
        task = progress.add_task("send", total=total)
        yield lambda settled: progress.update(task, completed=settled)


def _bulk_send(
    cli: Cli,
    client: FinChat,
    content: MessageContent,
    rooms: list[str],
    users: list[str],
    concurrency: int,
) -> SendReport:
    """One send to the rooms, one to the users (both are meant), merged into one report."""
    rooms, users = list(dict.fromkeys(rooms)), list(dict.fromkeys(users))
    reports: list[SendReport] = []
    with _send_progress(cli, len(rooms) + len(users)) as show:
        for kind, ids in (("room_ids", rooms), ("fcids", users)):
            if not ids:
                continue
            before = sum(report.total for report in reports)

            def progress(settled: int, total: int, before: int = before) -> None:
                show(before + settled)

            reports.append(
                client.messages.send(
                    content,
                    room_ids=ids if kind == "room_ids" else (),
                    fcids=ids if kind == "fcids" else (),
                    concurrency=concurrency,
                    progress=progress,
                )
            )
    return SendReport(
        succeeded={k: v for r in reports for k, v in r.succeeded.items()},
        failed={k: v for r in reports for k, v in r.failed.items()},
        unknown={k: v for r in reports for k, v in r.unknown.items()},
        requests=sum(r.requests for r in reports),
    )


@click.command(
    epilog=examples_epilog(
        "finchat send --room '!abc:example.org' --text 'Deploy finished'",
        "finchat send --users-from oncall.txt --image graph.png",
        "finchat send --user @alice:example.org --file report.pdf",
        "finchat send --room '!abc:example.org' --title Build --description 'v1.2 is out' \\",
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
@click.option("--text", metavar="TEXT", help="Send a text message ('-': read it from stdin).")
@click.option("--image", metavar="FILE|MXC", help="Send an image: a local file (uploaded) or URI.")
@click.option("--file", "file_", metavar="FILE|MXC", help="Send a file: local (uploaded) or URI.")
@click.option("--title", help="Text card: its title (with --description and --url).")
@click.option("--description", help="Text card: its text.")
@click.option("--url", help="Text card: the link it opens.")
@click.option("--btntext", help="Text card: the button label.")
@click.option("--cover", metavar="MXC", help="Text card: an uploaded image to show.")
@click.option(
    "--card",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Send a CUI card from a JSON or YAML file (the m.cui content, or just its form).",
)
@click.option("--body", help="Fallback text of a card, or the name shown for an image or file.")
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
    text: str | None,
    image: str | None,
    file_: str | None,
    title: str | None,
    description: str | None,
    url: str | None,
    btntext: str | None,
    cover: str | None,
    card: Path | None,
    body: str | None,
    concurrency: int,
) -> None:
    """Send one message to rooms and/or users; print one line per recipient.

    The message is one of --text, --image, --file, a text card (--title, --description, --url)
    or --card. Each recipient gets it at most once; exits 1 when any recipient failed or its
    outcome is unknown (listed, never resent).
    """
    readers = [
        name
        for name, value in (
            ("--rooms-from", getattr(rooms_from, "name", None)),
            ("--users-from", getattr(users_from, "name", None)),
            ("--text", text),
        )
        if value in ("-", "<stdin>")
    ]
    if len(readers) > 1:
        raise CliError(f"only one of {', '.join(readers)} can read stdin", ExitCode.USAGE)
    # Everything is checked before the first request: a typo must not cost half a broadcast.
    room_ids, fcids = _recipients(rooms, users, rooms_from, users_from)
    message = _message(
        text=text,
        image=image,
        file_=file_,
        title=title,
        description=description,
        url=url,
        btntext=btntext,
        cover=cover,
        card=card,
        body=body,
    )

    with cli.client() as client:
        # Refused credentials are the app's problem, not the recipients': fail before any send.
        client.auth.token()
        if isinstance(message, str | Upload):
            content = _media_content(cli, client, message, image=image is not None, body=body)
        else:
            content = message
        report = _bulk_send(cli, client, content, room_ids, fcids, concurrency)

    if cli.json:
        cli.emit(_report_json(report, room_ids, fcids))
    else:
        cli.print(_report_table(report, room_ids, fcids))
        summary = f"{len(report.succeeded)} sent, {len(report.failed)} failed"
        if report.unknown:
            summary += f", {len(report.unknown)} unknown (check before resending)"
        cli.print(Text(f"{summary}; {report.requests} request(s)", style="dim"))
        # Once per kind of failure, what to do about it.
        for errcode in dict.fromkeys(f.errcode for f in report.failed.values()):
            hint = errcode_hint(errcode, cli.settings)
            if errcode and hint:
                cli.print(Text(f"{errcode}: {hint}", style="dim"))
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


def _media_content(
    cli: Cli, client: FinChat, media: str | Upload, *, image: bool, body: str | None
) -> MessageContent:
    if isinstance(media, Upload):
        uri = _upload(cli, client, media)
        return media.image_content(uri, body=body) if image else media.file_content(uri, body=body)
    if image:
        return image_content(media, body=body or "image")
    return file_content(media, body=body or "file")


# ---- reads -------------------------------------------------------------------------------------


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
