"""A sandbox on a real socket: uvicorn in a background thread, stopped on exit."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import threading
import time
from collections.abc import Iterator
from typing import Protocol

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .._net import bind, is_loopback
from ._faults import DROP_AFTER, FAULT_HEADER

logger = logging.getLogger("finchat.sandbox")


def exposed_warning(host: str) -> str:
    """What to say when a sandbox listens on `host`, which is not a loopback address."""
    return (
        f"the sandbox listens on {host}, not on a loopback address: anyone who can reach this "
        "machine can read every app's secret (GET /_sandbox/state), post as any user and "
        "inject faults, with no credential. Use 127.0.0.1 unless that is what you want."
    )


def _reachable(host: str) -> str:
    """The host part of a URL that reaches a server bound to `host`.

    A socket bound to every interface (`0.0.0.0`, `::`) is reached on loopback: the unspecified
    address itself is no destination, and clients (this package's among them) refuse it.
    """
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host
    if address.is_unspecified:
        return "[::1]" if address.version == 6 else "127.0.0.1"
    return f"[{address}]" if address.version == 6 else str(address)


class Servable(Protocol):
    """What `serve()` needs: a `Sandbox`, or anything with an ASGI `app` and a `base_url`."""

    @property
    def app(self) -> ASGIApp: ...

    base_url: str


_MARK = FAULT_HEADER.encode()


class RealDrops:
    """Makes a drop-after mark a real broken connection on the socket.

    The response head goes out with its `Content-Length`, then the app returns without the body:
    uvicorn closes the connection, and the client fails while reading (incomplete message).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        dropping = False

        async def guarded_send(message: Message) -> None:
            nonlocal dropping
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                dropping = any(k == _MARK and v == DROP_AFTER.encode() for k, v in headers)
            if dropping and message["type"] == "http.response.body":
                return  # the body never goes out
            await send(message)

        await self.app(scope, receive, guarded_send)


class _Server(uvicorn.Server):
    """uvicorn polls its exit flag every 0.1 s; a test server polls every 0.01 s, so that a
    test suite starting one server per test does not spend its time shutting them down."""

    async def main_loop(self) -> None:
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864000
            await asyncio.sleep(0.01)


@contextlib.contextmanager
def serve(
    sandbox: Servable, host: str = "127.0.0.1", port: int = 0, *, startup_timeout: float = 10.0
) -> Iterator[str]:
    """Serve `sandbox` with uvicorn in a background thread; yields the base URL.

    `port=0` takes a free port. The socket is bound before uvicorn starts, so a port in use is an
    `OSError` here. The server stops, and its thread ends, when the block exits.
    """
    if not is_loopback(host):
        logger.warning(exposed_warning(host))
    sock = bind(host, port)
    config = uvicorn.Config(
        RealDrops(sandbox.app),
        log_level="warning",
        access_log=False,
        lifespan="off",
        # A sandbox answers quickly; long keep-alive only delays shutdown.
        timeout_keep_alive=5,
        timeout_graceful_shutdown=2,
    )
    server = _Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="finchat-sandbox-server", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + startup_timeout
    try:
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the sandbox server did not start on {host}:{port}")
            time.sleep(0.005)
        previous = sandbox.base_url
        sandbox.base_url = f"http://{_reachable(host)}:{sock.getsockname()[1]}"
        try:
            yield sandbox.base_url
        finally:
            sandbox.base_url = previous
    finally:
        # Streams that never end by themselves (the UI's live updates) would hold the shutdown
        # up to its graceful timeout: a sandbox ends them first.
        close_streams = getattr(sandbox, "close_streams", None)
        if callable(close_streams):
            close_streams()
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
