"""`finchat listen`: serve the webhook receiver, print each verified event, optionally relay it.

For development: point the app's callback URL (or the sandbox's) at this, watch events arrive,
and with `--forward-to` pass each verified event on to the bot running locally, as FinChat would.
A relay that fails answers 500, so the platform delivers the event again.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from typing import Any

import click
import httpx
from rich.console import Console
from rich.logging import RichHandler
from rich.text import Text

from ..events import Event, EventDispatcher, UnknownEvent, WebhookReceiver, event_key
from ..events._receiver import DEFAULT_MAX_BODY_BYTES
from ._common import CliError, ExitCode

TOKEN_ENV = "FINCHAT_WEBHOOK_TOKEN"  # noqa: S105 - the variable's name, not a token
_BODY_PREVIEW = 200


def _printable(value: object) -> str:
    # Event fields come from users: no escape sequence of theirs reaches the terminal.
    return "".join(ch if ch.isprintable() else " " for ch in str(value))


def describe(event: Event) -> Text:
    """One line saying what the event is; user text is shown as text, never as markup."""
    event_type, msgtype = event_key(event)
    line = Text()
    line.append(time.strftime("%H:%M:%S "), style="dim")
    line.append(_printable(msgtype or event_type), style="bold cyan")
    if isinstance(event, UnknownEvent):
        line.append(f" {_printable(event_type)}" if msgtype else "", style="cyan")
        line.append(f" {_printable(event.event_id or '(no event_id)')}", style="dim")
        line.append(" (unknown kind)", style="yellow")
        return line
    data: dict[str, Any] = event.to_dict()
    line.append(f" {_printable(data['event_id'])}", style="dim")
    for key in ("room_id", "sender", "fcid"):
        if data.get(key):
            line.append(f" {key}=", style="dim")
            line.append(_printable(data[key]))
    content = data.get("content", {})
    shown = content.get("body") if isinstance(content.get("body"), str) else None
    if shown is None and "origin_event" in data:
        shown = f"{content.get('action')} on {data['origin_event']}: {content.get('info')}"
    if shown is None and "info" in content:
        shown = str(content["info"])
    if shown is None and "creator" in content:
        shown = f"created by {content['creator']}"
    if shown is not None:
        shown = " ".join(_printable(shown).split())
        if len(shown) > _BODY_PREVIEW:
            shown = shown[: _BODY_PREVIEW - 1] + "…"
        line.append("  ")
        line.append(shown)
    return line


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
        data = dict(event.raw) if isinstance(event, UnknownEvent) else event.to_dict()
        try:
            response = await self._client.put(self.url, json={"token": self._token, "event": data})
        except httpx.HTTPError as exc:
            raise RelayError(f"relay to {self.url} failed: {type(exc).__name__}") from None
        if response.status_code != 200:
            raise RelayError(f"relay to {self.url} answered {response.status_code}")


def build_receiver(
    console: Console,
    token: str,
    *,
    relay: Relay | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ack_first: bool = False,
) -> WebhookReceiver:
    """The receiver `finchat listen` serves: prints every event, then relays it if asked."""
    events = EventDispatcher()

    @events.fallback
    async def show(event: Event) -> None:
        console.print(describe(event))
        if relay is not None:
            try:
                await relay(event)
            except RelayError as exc:
                console.print(Text(f"  {exc}; answered 500 so it is delivered again", "red"))
                raise
            console.print(Text(f"  relayed to {relay.url}", "green"))

    return WebhookReceiver(events, token=token, max_body_bytes=max_body_bytes, ack_first=ack_first)


@click.command()
@click.option(
    "--token",
    envvar=TOKEN_ENV,
    show_envvar=True,
    required=True,
    help="The callback's verification token (prefer the environment variable: flags show in ps).",
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
def listen(
    token: str, host: str, port: int, forward_to: str | None, max_body_bytes: int, ack_first: bool
) -> None:
    """Receive FinChat event callbacks (PUT) and print each verified event."""
    try:
        import uvicorn
    except ImportError:
        raise click.ClickException(
            "`finchat listen` needs uvicorn: pip install 'finchat[sandbox]'"
        ) from None
    if not token:
        raise click.BadParameter("must not be empty", param_hint="--token")
    if forward_to is not None and not forward_to.startswith(("http://", "https://")):
        raise click.BadParameter("must be an http:// or https:// URL", param_hint="--forward-to")
    sock = _bind(host, port)
    console = Console(highlight=False)
    # The receiver logs refusals and handler failures (never a token or a body); show them here.
    log = logging.getLogger("finchat_wrapper.events")
    log.addHandler(RichHandler(console=console, show_path=False, show_time=False))
    log.setLevel(logging.INFO)
    bound_port = sock.getsockname()[1]
    relayed = f", relaying to {forward_to}" if forward_to else ""
    console.print(f"Listening for FinChat callbacks (PUT) on http://{host}:{bound_port}/{relayed}")
    app_options = {"max_body_bytes": max_body_bytes, "ack_first": ack_first}
    asyncio.run(_serve(uvicorn, console, sock, token, forward_to, app_options))


def _bind(host: str, port: int) -> socket.socket:
    # Bound and listening before uvicorn starts: a port in use is one clear line, not uvicorn's
    # traceback, and with --port 0 the port is known (and connectable) when it is printed.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise CliError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}", ExitCode.USAGE
        ) from None
    return sock


async def _serve(
    uvicorn: Any,
    console: Console,
    sock: socket.socket,
    token: str,
    forward_to: str | None,
    app_options: dict[str, Any],
) -> None:
    async with httpx.AsyncClient(timeout=10.0) as client:
        relay = Relay(forward_to, token, client) if forward_to else None
        app = build_receiver(console, token, relay=relay, **app_options)
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
        await uvicorn.Server(config).serve(sockets=[sock])
