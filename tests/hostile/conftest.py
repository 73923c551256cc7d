"""A FinChat server that misbehaves on purpose, on a real uvicorn socket, and the clients that meet
it.

`HostileServer` is a small Starlette app answering every FinChat path: correctly by default, or,
per route, with a behaviour a test installs (`server.on("token", redirect(307, ...))`). The
behaviours are plain ASGI coroutines, so they can do what a framework would not: send headers and
then one byte at a time, stream a gzip bomb, never answer. Each one notices when the client hangs
up (`Exchange.gone`), so a test can check that the client stopped reading, and no server task
outlives its test.

`attacker` is a second server, on another port, that takes anything and records it: redirect
targets point there, and the tests check it received nothing.

`run` (parametrized over `FinChat` and `AsyncFinChat`) makes a client for the hostile server and
calls an action on it: `run(lambda c: c.users.get(FCID))` works for both, since an async action
returns a coroutine that `run` awaits inside `asyncio.run`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
import inspect
import json
import struct
import time
import zlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import anyio
import anyio.lowlevel
import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from finchat_wrapper import AsyncFinChat, FinChat, RetryPolicy
from finchat_wrapper.sandbox import serve

pytestmark = pytest.mark.network

APP_ID = "app1"
SECRET = "hostile-test-SECRET-never-leaves"
FCID = "@alice:hostile.test"
PREFIX = "/api/v1/finchat/open-api"
MiB = 1024 * 1024

Behaviour = Callable[["Exchange"], Awaitable[None]]


@dataclass
class Received:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


class Exchange:
    """One request as a behaviour sees it: its body, and the means to answer, slowly if need be."""

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.scope = scope
        self._receive = receive
        self._send = send
        self.gone = anyio.Event()
        self.sent = 0

    async def body(self) -> bytes:
        chunks = []
        while True:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                self.gone.set()
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def watch_disconnect(self) -> None:
        """Runs beside the behaviour: sets `gone` when the client closes the connection."""
        while not self.gone.is_set():
            message = await self._receive()
            if message["type"] == "http.disconnect":
                self.gone.set()

    async def start(self, status: int, headers: dict[str, str] | None = None) -> None:
        raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        await self._send({"type": "http.response.start", "status": status, "headers": raw})

    async def chunk(self, data: bytes, *, more: bool = True) -> None:
        if not self.gone.is_set():
            await self._send({"type": "http.response.body", "body": data, "more_body": more})
            self.sent += len(data)

    async def answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        await self.start(status, {"content-length": str(len(body)), **(headers or {})})
        await self.chunk(body, more=False)

    async def json(self, status: int, data: Any) -> None:
        await self.answer(status, json.dumps(data).encode(), {"content-type": "application/json"})


def route_of(path: str) -> str:
    """The name a test uses for a FinChat path: token, user, friendships, contacts, ..."""
    rest = path.removeprefix(PREFIX)
    if rest == "/auth/token":
        return "token"
    if rest == "/media/upload":
        return "upload"
    if rest.startswith("/message/"):
        return rest.removeprefix("/message/")
    if rest.startswith("/contact/"):
        return "contacts"
    if rest.startswith("/apps/"):
        return "apps"
    if rest.endswith("/friendships"):
        return "friendships"
    if rest.startswith("/users/"):
        return "user"
    return "other"


_CORRECT: dict[str, Any] = {
    "token": {"app_access_token": "tok-hostile", "expires_in": 3600, "token_type": "Bearer"},
    "user": {"fcid": FCID, "name": "Alice"},
    "friendships": [],
    "contacts": [FCID],
    "apps": [],
    "upload": {"content_uri": "mxc://hostile.test/media1"},
    "send": {"room_id_result": [{"room_id": "!r:hostile.test", "event_id": "$e:hostile.test"}]},
}


async def correct(ex: Exchange) -> None:
    await ex.json(200, _CORRECT.get(route_of(ex.scope["path"]), {}))


@dataclass
class HostileServer:
    """Answers FinChat paths with the installed behaviours; records every request."""

    name: str
    base_url: str = ""
    behaviours: dict[str, Behaviour] = field(default_factory=dict)
    fallback: Behaviour = correct
    received: list[Received] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.app = Starlette(routes=[Route("/{path:path}", _Endpoint(self))])

    def on(self, route: str, behaviour: Behaviour) -> None:
        self.behaviours[route] = behaviour

    def reset(self) -> None:
        self.behaviours.clear()
        self.fallback = correct
        self.received.clear()
        self.exchanges.clear()

    def saw_hang_up(self, timeout: float = 10.0) -> bool:
        """Whether the client closed its last connection: the server may see it a moment after
        the client raised, so wait a little (events are set on the server's thread)."""
        deadline = time.monotonic() + timeout
        while not (self.exchanges and self.exchanges[-1].gone.is_set()):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def hits(self, route: str) -> int:
        return sum(route_of(r.path) == route for r in self.received)

    @property
    def origin(self) -> str:
        return self.base_url


class _Endpoint:
    def __init__(self, server: HostileServer) -> None:
        self.server = server

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        ex = Exchange(scope, receive, send)
        body = await ex.body()
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        query = scope.get("query_string", b"").decode("latin-1")
        self.server.received.append(Received(scope["method"], scope["path"], query, headers, body))
        self.server.exchanges.append(ex)
        behaviour = self.server.behaviours.get(route_of(scope["path"]), self.server.fallback)
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(ex.watch_disconnect)
            try:
                await behaviour(ex)
            finally:
                tasks.cancel_scope.cancel()


# ---- behaviours ----------------------------------------------------------------------------------


def answer(
    status: int, body: bytes | Any = b"", headers: dict[str, str] | None = None
) -> Behaviour:
    """A fixed answer; a non-bytes body is sent as JSON."""

    async def behave(ex: Exchange) -> None:
        if isinstance(body, bytes):
            await ex.answer(status, body, headers)
        else:
            await ex.answer(
                status,
                json.dumps(body).encode(),
                {"content-type": "application/json", **(headers or {})},
            )

    return behave


def redirect(status: int, location: str | Callable[[], str]) -> Behaviour:
    async def behave(ex: Exchange) -> None:
        target = location() if callable(location) else location
        await ex.answer(status, b'{"moved": true}', {"location": target})

    return behave


def trickle(interval: float, total: int = 1000) -> Behaviour:
    """Headers at once (with a Content-Length), then one byte every `interval` seconds."""

    async def behave(ex: Exchange) -> None:
        await ex.start(200, {"content-type": "application/json", "content-length": str(total)})
        for _ in range(total):
            await ex.chunk(b" ")
            with anyio.move_on_after(interval):
                await ex.gone.wait()
            if ex.gone.is_set():
                return

    return behave


async def stall(ex: Exchange) -> None:
    """Never answers: waits until the client gives up."""
    await ex.gone.wait()


@functools.cache
def gzip_of_zeros(decoded: int) -> bytes:
    """A gzip member decompressing to `decoded` zero bytes (about 1/1000 of that on the wire).

    Built in milliseconds: one MiB of zeros is compressed once, flushed so that it refers to
    nothing before it, and that deflate segment repeated; the trailer's CRC is computed apart.
    """
    block = bytes(MiB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    segment = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    rest = decoded % MiB
    tail = compressor.compress(bytes(rest)) + compressor.flush()
    crc = 0
    for _ in range(decoded // MiB):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(bytes(rest), crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, decoded & 0xFFFFFFFF)
    return header + segment * (decoded // MiB) + tail + trailer


def compressed(data: bytes, coding: str) -> bytes:
    if coding == "gzip":
        return gzip.compress(data)
    if coding == "deflate":
        return zlib.compress(data)
    if coding == "raw-deflate":  # a deflate stream without its zlib header, as some servers send
        compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        return compressor.compress(data) + compressor.flush()
    raise ValueError(coding)


def gzip_bomb(decoded: int) -> Behaviour:
    """A small gzip body that decompresses to `decoded` bytes, sent in 64 KiB chunks."""

    async def behave(ex: Exchange) -> None:
        bomb = gzip_of_zeros(decoded)
        await ex.start(
            200,
            {
                "content-type": "application/json",
                "content-encoding": "gzip",
                "content-length": str(len(bomb)),
            },
        )
        for start in range(0, len(bomb), 64 * 1024):
            await ex.chunk(bomb[start : start + 64 * 1024])
            if ex.gone.is_set():
                return
        await ex.chunk(b"", more=False)

    return behave


def giant(size: int, *, declare_length: bool = True) -> Behaviour:
    """`size` bytes of JSON-ish spaces, streamed as fast as the client reads; `ex.sent` counts
    what went out before the client hung up."""

    async def behave(ex: Exchange) -> None:
        headers = {"content-type": "application/json"}
        if declare_length:
            headers["content-length"] = str(size)
        await ex.start(200, headers)
        block = b" " * (64 * 1024)
        while ex.sent < size and not ex.gone.is_set():
            await ex.chunk(block[: size - ex.sent])
            await anyio.lowlevel.checkpoint()  # let the disconnect watcher run
        await ex.chunk(b"", more=False)

    return behave


# ---- servers and clients -----------------------------------------------------------------------


@contextlib.contextmanager
def running(name: str) -> Iterator[HostileServer]:
    server = HostileServer(name)
    with serve(server):  # the sandbox's uvicorn runner: a real socket on a free loopback port
        yield server


@pytest.fixture(scope="session")
def _hostile_session() -> Iterator[HostileServer]:
    with running("hostile") as server:
        yield server


@pytest.fixture(scope="session")
def _attacker_session() -> Iterator[HostileServer]:
    with running("attacker") as server:
        yield server


@pytest.fixture
def hostile(_hostile_session: HostileServer) -> Iterator[HostileServer]:
    _hostile_session.reset()
    yield _hostile_session
    _hostile_session.reset()


@pytest.fixture
def attacker(_attacker_session: HostileServer) -> Iterator[HostileServer]:
    """Takes anything, answering as a FinChat server would, so a client that followed a redirect
    would go on talking to it."""
    _attacker_session.reset()
    yield _attacker_session
    _attacker_session.reset()


# Retries without waiting, so a test of a refused answer takes no backoff.
FAST = RetryPolicy(sleep=False)


class Runner:
    """Makes a `FinChat` or an `AsyncFinChat` for the hostile server and runs an action on it."""

    def __init__(self, kind: str, server: HostileServer) -> None:
        self.kind = kind
        self.server = server

    @property
    def is_async(self) -> bool:
        return self.kind == "AsyncFinChat"

    def __call__(
        self,
        action: Callable[[Any], Any],
        *,
        follow_redirects_client: bool = False,
        **kwargs: Any,
    ) -> Any:
        """`action(client)`; with `follow_redirects_client`, on an injected httpx client that
        follows redirects (what the wrapper must overrule)."""
        kwargs.setdefault("retry_policy", FAST)
        if not self.is_async:
            http = httpx.Client(follow_redirects=True) if follow_redirects_client else None
            try:
                with FinChat(
                    APP_ID, SECRET, base_url=self.server.base_url, http_client=http, **kwargs
                ) as client:
                    return action(client)
            finally:
                if http is not None:
                    http.close()

        async def main() -> Any:
            http = httpx.AsyncClient(follow_redirects=True) if follow_redirects_client else None
            try:
                async with AsyncFinChat(
                    APP_ID, SECRET, base_url=self.server.base_url, http_client=http, **kwargs
                ) as client:
                    result = action(client)
                    return await result if inspect.isawaitable(result) else result
            finally:
                if http is not None:
                    await http.aclose()

        return asyncio.run(main())


@pytest.fixture(params=["FinChat", "AsyncFinChat"])
def run(request: pytest.FixtureRequest, hostile: HostileServer) -> Runner:
    return Runner(request.param, hostile)
