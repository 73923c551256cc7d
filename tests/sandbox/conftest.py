from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from finchat_wrapper.sandbox import Sandbox, serve

API = "/api/v1/finchat/open-api"
FAST = (0.001, 0.002, 0.004)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(delivery_delays=FAST) as sb:
        yield sb


class Switch:
    """One served socket for many tests: it forwards to the current test's sandbox."""

    def __init__(self) -> None:
        self.target: Sandbox | None = None
        self.base_url = ""

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.target is not None
        await self.target.app(scope, receive, send)


@pytest.fixture(scope="session")
def socket_switch() -> Iterator[Switch]:
    switch = Switch()
    with serve(switch):
        yield switch


@pytest.fixture(params=["inprocess", pytest.param("socket", marks=pytest.mark.network)])
async def http(
    request: pytest.FixtureRequest, sandbox: Sandbox
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the sandbox, in-process (ASGI) and over a real uvicorn socket."""
    if request.param == "socket":
        switch: Switch = request.getfixturevalue("socket_switch")
        switch.target = sandbox
        async with httpx.AsyncClient(base_url=switch.base_url) as client:
            yield client
    else:
        transport = httpx.ASGITransport(app=sandbox.app)
        base_url = "http://sandbox.localhost"
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            yield client


async def get_token(http: httpx.AsyncClient, app_id: str, secret: str) -> str:
    response = await http.post(f"{API}/auth/token", json={"app_id": app_id, "secret": secret})
    assert response.status_code == 200, response.text
    token: str = response.json()["app_access_token"]
    return token


@pytest.fixture
async def auth(http: httpx.AsyncClient, sandbox: Sandbox) -> dict[str, str]:
    token = await get_token(http, sandbox.app_id, sandbox.secret)
    return {"Authorization": f"Bearer {token}"}


class Receiver:
    """A webhook receiver that fails its first `failures` calls, then records events."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.bodies: list[dict[str, Any]] = []
        self.app = Starlette(routes=[Route("/hook", self.hook, methods=["PUT"])])

    async def hook(self, request: Request) -> Response:
        if self.failures:
            self.failures -= 1
            return Response(status_code=503)
        self.bodies.append(await request.json())
        return Response(status_code=200)

    @property
    def events(self) -> list[dict[str, Any]]:
        return [body["event"] for body in self.bodies]
