"""Fixtures of the contract tests: sandboxes, a hypothesis home outside the tree, broken apps."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from finchat_wrapper.sandbox import Sandbox

# (status, headers, body) of a response, as a break may rewrite it.
Reply = tuple[int, list[tuple[bytes, bytes]], bytes]


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


@pytest.fixture(scope="session")
def storage_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hypothesis's caches for the runs of this session, away from the working tree."""
    return tmp_path_factory.mktemp("hypothesis")


class Broken:
    """The sandbox with one deliberate bug: rewrites the request and/or the response of a path.

    `request(body) -> body` sees the raw request body; `response(request_body, reply) -> reply`
    sees the sandbox's answer. Everything else passes through untouched.
    """

    def __init__(
        self,
        app: ASGIApp,
        path: str,
        *,
        headers: Callable[[list[tuple[bytes, bytes]]], list[tuple[bytes, bytes]]] | None = None,
        request: Callable[[bytes], bytes] | None = None,
        response: Callable[[bytes, Reply], Reply] | None = None,
    ) -> None:
        self.app = app
        self.path = path
        self.headers = headers
        self.request = request
        self.response = response

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.path):
            await self.app(scope, receive, send)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if self.request is not None:
            body = self.request(body)
        if self.headers is not None:
            scope = {**scope, "headers": self.headers(list(scope["headers"]))}
        original = body
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": original, "more_body": False}

        reply: dict[str, Any] = {"status": 500, "headers": [], "body": b""}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                reply["status"] = message["status"]
                reply["headers"] = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                reply["body"] += message.get("body", b"")

        await self.app(scope, replay, capture)
        status, headers, out = reply["status"], reply["headers"], reply["body"]
        if self.response is not None:
            status, headers, out = self.response(original, (status, headers, out))
        headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(out)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": out})


def json_reply(status: int, data: Any, headers: list[tuple[bytes, bytes]] | None = None) -> Reply:
    kept = [(k, v) for k, v in headers or [] if k.lower() != b"content-type"]
    body = json.dumps(data).encode()
    return status, [*kept, (b"content-type", b"application/json")], body
