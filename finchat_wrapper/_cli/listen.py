"""`finchat listen`: serve the webhook receiver, print each verified event, optionally relay it.

For development: point the app's callback URL (or the sandbox's) at this, watch events arrive,
and with `--forward-to` pass each verified event on to the bot running locally, as FinChat would.
A relay that fails answers 500, so the platform delivers the event again.

`--pull`: no inbound HTTP; for an app whose callback address is the forwarder, pull its stored
events (`EventPoller`, with the app's credentials) and print or relay them the same way. A relay
that fails leaves the cursor where it was, so the event is pulled (and relayed) again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from pathlib import Path
from typing import Any

import click
import httpx
from rich.console import Console
from rich.text import Text

from .._client import AsyncFinChat
from .._constants import ENV_BASE_URL
from .._errors import FinChatError
from .._net import bind
from ..events import (
    DEFAULT_MAX_BODY_BYTES,
    EVENTS_LOGGER,
    CursorStore,
    Event,
    EventDispatcher,
    EventPoller,
    FileCursorStore,
    MemoryCursorStore,
    UnknownEvent,
    WebhookReceiver,
    event_key,
)
from . import examples_epilog
from ._common import (
    CliError,
    ExitCode,
    Layers,
    Settings,
    app_id_option,
    config_option,
    describe_error,
    insecure_option,
    log_handler,
    printable,
    secret_option,
)
from ._extras import require_extra

TOKEN_ENV = "FINCHAT_WEBHOOK_TOKEN"  # noqa: S105 - the variable's name, not a token
DEFAULT_PULL_PAGE_SIZE = 100
_BODY_PREVIEW = 200


def describe(event: Event) -> Text:
    """One line saying what the event is; user text is shown as text, never as markup."""
    event_type, msgtype = event_key(event)
    line = Text()
    line.append(time.strftime("%H:%M:%S "), style="dim")
    line.append(printable(msgtype or event_type), style="bold cyan")
    if isinstance(event, UnknownEvent):
        line.append(f" {printable(event_type)}" if msgtype else "", style="cyan")
        line.append(f" {printable(event.event_id or '(no event_id)')}", style="dim")
        line.append(" (unknown kind)", style="yellow")
        return line
    data: dict[str, Any] = event.to_dict()
    line.append(f" {printable(data['event_id'])}", style="dim")
    for key in ("room_id", "sender", "fcid"):
        if data.get(key):
            line.append(f" {key}=", style="dim")
            line.append(printable(data[key]))
    content = data.get("content", {})
    shown = content.get("body") if isinstance(content.get("body"), str) else None
    if shown is None and "origin_event" in data:
        shown = f"{content.get('action')} on {data['origin_event']}: {content.get('info')}"
    if shown is None and "info" in content:
        shown = str(content["info"])
    if shown is None and "creator" in content:
        shown = f"created by {content['creator']}"
    if shown is not None:
        shown = printable(shown)
        if len(shown) > _BODY_PREVIEW:
            shown = shown[: _BODY_PREVIEW - 1] + "…"
        line.append("  ")
        line.append(shown)
    return line


def event_dict(event: Event) -> dict[str, Any]:
    """The event as JSON data, as FinChat sent it (unknown kinds exactly, known ones re-encoded)."""
    return dict(event.raw) if isinstance(event, UnknownEvent) else event.to_dict()


def json_text(data: Any, **options: Any) -> str:
    """`data` as JSON text that can be written as UTF-8: non-ASCII as it is, unless the data holds
    a lone surrogate (valid JSON, "\\ud800", but no text), which then goes out escaped."""
    text = json.dumps(data, ensure_ascii=False, **options)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, ensure_ascii=True, **options)
    return text


class RelayError(Exception):
    """The local app did not take a relayed event; the receiver answers 500 so it comes again."""


class Relay:
    """PUTs each verified event, as `{token, event}`, to a local app."""

    def __init__(self, url: str, token: str, client: httpx.AsyncClient) -> None:
        self.url = url
        self._token = token
        self._client = client

    def __repr__(self) -> str:
        return f"<Relay to {self.url}>"

    async def __call__(self, event: Event) -> None:
        body = json_text({"token": self._token, "event": event_dict(event)}).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        try:
            response = await self._client.put(self.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise RelayError(f"relay to {self.url} failed: {type(exc).__name__}") from None
        if response.status_code != 200:
            raise RelayError(f"relay to {self.url} answered {response.status_code}")


class Output:
    """Where `finchat listen` reports: readable lines, or JSON Lines with `--json`.

    Readable: the event's line as it arrives, then the relay's outcome. JSON: `{"listening": url}`
    first, then one `{"event": ..., "relayed": bool}` per verified event (with `"error"` when the
    relay failed), so that `jq` can follow the stream. Never the token.
    """

    def __init__(self, console: Console, *, as_json: bool = False, pulling: bool = False) -> None:
        self.console = console
        self.as_json = as_json
        # What a failed relay leads to: the platform delivers again, or the poller pulls again.
        self.again = "pulled again later" if pulling else "answered 500 so it is delivered again"

    def line(self, data: dict[str, Any]) -> None:
        # Straight to the file: rich would wrap long lines and read brackets as markup.
        self.console.file.write(json_text(data, sort_keys=True) + "\n")
        self.console.file.flush()

    def listening(self, url: str, forward_to: str | None) -> None:
        if self.as_json:
            self.line({"listening": url, "forward_to": forward_to})
            return
        relayed = f", relaying to {forward_to}" if forward_to else ""
        self.console.print(Text(f"Listening for FinChat callbacks (PUT) on {url}{relayed}"))

    def pulling(self, base_url: str, app_id: str, forward_to: str | None, cursor: str) -> None:
        if self.as_json:
            self.line(
                {"pulling": base_url, "app_id": app_id, "forward_to": forward_to, "cursor": cursor}
            )
            return
        relayed = f", relaying to {forward_to}" if forward_to else ""
        self.console.print(
            Text(f"Pulling FinChat events of app {app_id} from {base_url} ({cursor}){relayed}")
        )

    def received(self, event: Event) -> None:
        if not self.as_json:
            self.console.print(describe(event))

    def relayed(self, event: Event, relay: Relay | None, error: RelayError | None) -> None:
        if self.as_json:
            line = {"event": event_dict(event), "relayed": relay is not None and error is None}
            self.line(line if error is None else {**line, "error": str(error)})
        elif error is not None:
            self.console.print(Text(f"  {error}; {self.again}", "red"))
        elif relay is not None:
            self.console.print(Text(f"  relayed to {relay.url}", "green"))


def build_dispatcher(output: Output, relay: Relay | None = None) -> EventDispatcher:
    """What `finchat listen` does with every event, pushed or pulled: report it, relay it."""
    events = EventDispatcher()

    @events.fallback
    async def show(event: Event) -> None:
        output.received(event)
        try:
            if relay is not None:
                await relay(event)
        except RelayError as exc:
            output.relayed(event, relay, exc)
            raise
        output.relayed(event, relay, None)

    return events


def build_receiver(
    output: Output,
    token: str,
    *,
    relay: Relay | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ack_first: bool = False,
) -> WebhookReceiver:
    """The receiver `finchat listen` serves: reports every event, then relays it if asked."""
    return WebhookReceiver(
        build_dispatcher(output, relay),
        token=token,
        max_body_bytes=max_body_bytes,
        ack_first=ack_first,
    )


@click.command(
    epilog=examples_epilog(
        f"{TOKEN_ENV}=... finchat listen --port 8080",
        "finchat listen --forward-to http://127.0.0.1:9000/callback",
        "finchat listen --json | jq -c .event.content",
        "finchat listen --pull --cursor-file bot.cursor   # app credentials from FINCHAT_*",
    )
)
@click.option(
    "--token",
    envvar=TOKEN_ENV,
    show_envvar=True,
    help="The callback's verification token (prefer the environment variable: flags show in "
    "ps). Required, but with --pull only to --forward-to.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--forward-to",
    metavar="URL",
    help="Relay each verified event to this URL (a bot running locally), as FinChat would.",
)
@click.option(
    "--max-body-bytes",
    default=DEFAULT_MAX_BODY_BYTES,
    show_default=True,
    type=click.IntRange(min=1),
    help="Larger bodies are refused with 413.",
)
@click.option("--ack-first", is_flag=True, help="Answer 200 before handling (slow relays).")
@click.option(
    "--json", "as_json", is_flag=True, help="JSON Lines: the address, then one line per event."
)
@click.option(
    "--pull",
    is_flag=True,
    help="Pull the app's stored events (its callback address is the forwarder) instead of "
    "listening; needs the app's credentials.",
)
@click.option(
    "--cursor-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --pull: keep the cursor in this file, to resume where a previous run stopped.",
)
@click.option(
    "--page-size",
    default=DEFAULT_PULL_PAGE_SIZE,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="With --pull: events asked for per pull.",
)
@app_id_option()
@secret_option()
@click.option(
    "--base-url",
    metavar="URL",
    envvar=ENV_BASE_URL,
    help=f"With --pull: server URL [env {ENV_BASE_URL}].",
)
@config_option()
@insecure_option()
def listen(
    token: str | None,
    host: str,
    port: int,
    forward_to: str | None,
    max_body_bytes: int,
    ack_first: bool,
    as_json: bool,
    pull: bool,
    cursor_file: Path | None,
    page_size: int,
    **connection: Any,
) -> None:
    """Receive FinChat event callbacks (PUT) and print each verified event; or, with --pull,
    pull the app's stored events and print each.

    Refused callbacks (wrong token, bad body) and relay failures are logged on stderr.
    """
    if forward_to is not None and not forward_to.startswith(("http://", "https://")):
        raise click.BadParameter("must be an http:// or https:// URL", param_hint="--forward-to")
    if pull:
        _pull(token, forward_to, as_json, cursor_file, page_size)
        return
    if cursor_file is not None:
        raise click.BadParameter("only with --pull", param_hint="--cursor-file")
    if not token:
        raise click.MissingParameter(param_hint=f"--token (or {TOKEN_ENV})", param_type="option")
    require_extra("listen")
    import uvicorn

    # soft_wrap: one event, one line, also when piped (rich would wrap it at 80 columns).
    output = Output(Console(highlight=False, soft_wrap=True), as_json=as_json)
    try:
        sock = bind(host, port)
    except OSError as exc:  # its strerror names host:port and the cause
        failure = CliError(exc.strerror or str(exc), ExitCode.USAGE)
        if as_json:
            error = {"errcode": None, "message": failure.message, "exit_code": failure.exit_code}
            output.line({"ok": False, "error": error})
        raise failure from None
    _log_to_stderr()
    output.listening(f"http://{host}:{sock.getsockname()[1]}/", forward_to)
    app_options = {"max_body_bytes": max_body_bytes, "ack_first": ack_first}
    asyncio.run(_serve(uvicorn, output, sock, token, forward_to, app_options))


def _log_to_stderr() -> None:
    # Refusals and failures are logged (never a token or a body) to stderr, keeping stdout for
    # events: with --json it stays pure JSON Lines.
    log = logging.getLogger(EVENTS_LOGGER)
    log.addHandler(log_handler())
    log.setLevel(logging.INFO)


def _pull(
    token: str | None,
    forward_to: str | None,
    as_json: bool,
    cursor_file: Path | None,
    page_size: int,
) -> None:
    if forward_to is not None and not token:
        raise click.MissingParameter(
            param_hint=f"--token (or {TOKEN_ENV}), to relay with --forward-to",
            param_type="option",
        )
    # A missing or bad setting is a ConfigError: one line, the usage exit code.
    settings = Layers.of(click.get_current_context()).settings()
    output = Output(Console(highlight=False, soft_wrap=True), as_json=as_json, pulling=True)
    cursor: CursorStore = (
        FileCursorStore(cursor_file) if cursor_file is not None else MemoryCursorStore()
    )
    where = f"cursor in {cursor_file}" if cursor_file is not None else "from the first event"
    _log_to_stderr()
    output.pulling(settings.base_url, settings.app_id, forward_to, where)
    try:
        asyncio.run(_poll(output, settings, token, forward_to, cursor, page_size))
    except KeyboardInterrupt:
        return
    except FinChatError as exc:
        code, _, line = describe_error(exc, settings)
        raise CliError(line, code) from None


async def _poll(
    output: Output,
    settings: Settings,
    token: str | None,
    forward_to: str | None,
    cursor: CursorStore,
    page_size: int,
) -> None:
    async with (
        httpx.AsyncClient(timeout=10.0) as http,
        AsyncFinChat(
            settings.app_id,
            settings.secret,
            base_url=settings.base_url,
            timeout=settings.timeout,
            allow_insecure_http=settings.insecure,
        ) as client,
    ):
        relay = Relay(forward_to, token, http) if forward_to and token else None
        poller = EventPoller(
            client, build_dispatcher(output, relay), cursor_store=cursor, page_size=page_size
        )
        await poller.run()


async def _serve(
    uvicorn: Any,
    output: Output,
    sock: socket.socket,
    token: str,
    forward_to: str | None,
    app_options: dict[str, Any],
) -> None:
    async with httpx.AsyncClient(timeout=10.0) as client:
        relay = Relay(forward_to, token, client) if forward_to else None
        app = build_receiver(output, token, relay=relay, **app_options)
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
        await uvicorn.Server(config).serve(sockets=[sock])
