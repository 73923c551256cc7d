"""A scriptable fake FinChat server for `httpx.MockTransport`, and clients wired to it."""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from finchat_wrapper import AsyncFinChat, FinChat, RetryPolicy

APP_ID = "app1"
SECRET = "s3cret-DO-NOT-LEAK-42"
BASE_URL = "https://finchat.test"
PREFIX = "/api/v1/finchat/open-api"

# A fault is a response to answer, an exception to raise, or a callable making either.
Fault = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


@dataclass
class FakeServer:
    """Issues tokens `tok-1`, `tok-2`, ... and answers every operation of the spec.

    `faults[route]` is a queue consumed one per request (route: "token", "send", "users", ...).
    `token_delay` slows the token endpoint down so that concurrent callers pile up.
    """

    expires_in: int = 3600
    token_delay: float = 0.0
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    hits: Counter[str] = field(default_factory=Counter)
    valid_tokens: set[str] = field(default_factory=set)
    issued: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, route: str, *faults: Fault) -> None:
        self.faults.setdefault(route, []).extend(faults)

    def revoke_all(self) -> None:
        with self.lock:
            self.valid_tokens.clear()

    @staticmethod
    def route(request: httpx.Request) -> str:
        path = request.url.path.removeprefix(PREFIX)
        if path == "/auth/token":
            return "token"
        if path.startswith("/message/"):
            return path.removeprefix("/message/")
        if path == "/api/v1/finchat/privilege-api/message/send-as-user":
            return "send-as-user"
        if path == "/media/upload":
            return "upload"
        if path.startswith("/rooms"):
            return "rooms"
        if path == "/contact/get-organizations-by-type":
            return "organizations"
        if path.startswith("/contact/organizations/"):
            return "organization"
        if path.startswith("/contact/departments/"):
            return "department"
        if path.startswith("/contact/"):
            return "contacts"
        if path.startswith("/apps/") and path.endswith("/visibility"):
            return "visibility"
        if path.startswith("/apps/"):
            return "apps"
        if path.endswith("/friendships"):
            return "friendships"
        return "users"

    def _next_fault(self, route: str) -> Fault | None:
        with self.lock:
            queue = self.faults.get(route)
            return queue.pop(0) if queue else None

    def answer(self, request: httpx.Request) -> httpx.Response:
        route = self.route(request)
        with self.lock:
            self.requests.append(request)
            self.hits[route] += 1
        fault = self._next_fault(route)
        if isinstance(fault, Exception):
            raise fault
        if isinstance(fault, httpx.Response):
            return fault
        if fault is not None:
            return fault(request)
        if route == "token":
            return self._token(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        with self.lock:
            valid = token in self.valid_tokens
        if not valid:
            return httpx.Response(
                401, json={"errcode": "FC_INVALID_ACCESS_TOKEN", "error": "access token is invalid"}
            )
        return self._ok(route, request)

    def _token(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if body != {"app_id": APP_ID, "secret": SECRET}:
            return httpx.Response(401, json={"errcode": "FC_INVALID_SECRET", "error": "bad"})
        with self.lock:
            token = f"tok-{len(self.issued) + 1}"
            self.issued.append(token)
            self.valid_tokens.add(token)
        payload = {"app_access_token": token, "expires_in": self.expires_in, "token_type": "Bearer"}
        return httpx.Response(200, json=payload)

    @staticmethod
    def _ok(route: str, request: httpx.Request) -> httpx.Response:
        if route in ("send", "send-as-user", "update-cui"):
            body = json.loads(request.content)
            if "room_ids" in body:
                results = [{"room_id": r, "event_id": "$ev:x"} for r in body["room_ids"]]
                return httpx.Response(200, json={"room_id_result": results})
            results = [{"fcid": f, "event_id": "$ev:x"} for f in body["fcids"]]
            return httpx.Response(200, json={"fcid_result": results})
        if route == "upload":
            return httpx.Response(200, json={"content_uri": "mxc://finchat.test/abc"})
        if route == "webhook/send":
            return httpx.Response(200, json={"event_id": "$hook:x"})
        if route == "rooms":
            return FakeServer._room(request)
        if route == "organizations":
            return httpx.Response(200, json=[{"organization_id": "o1", "organization_type": 3}])
        if route == "organization":
            return httpx.Response(200, json={"organization_id": "o1", "organization_name": "O"})
        if route == "department":
            return httpx.Response(200, json={"department_id": "d1", "fcids": ["@a:x"]})
        if route == "visibility":
            return httpx.Response(200, json={"unlimited": True})
        if route == "contacts":
            return httpx.Response(200, json=["@a:finchat.test", "@b:finchat.test"])
        if route == "apps":
            return httpx.Response(200, json=[{"to_fcid": "@a:x", "room_id": "!r:x"}])
        if route == "friendships":
            return httpx.Response(
                200, json=[{"to_fcid": "@b:x", "room_id": "!r:x", "is_bot": False}]
            )
        return httpx.Response(200, json={"fcid": "@a:x", "name": "A"})

    @staticmethod
    def _room(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(201, json={"room_id": "!new:finchat.test"})
        if request.method == "PUT":
            return httpx.Response(200, json={})
        if request.url.path.endswith("/rooms"):
            return httpx.Response(200, json=["!g1:finchat.test", "!g2:finchat.test"])
        detail = {"type": "multi_chat", "owner": "@bot:x", "name": "G", "fcids": ["@bot:x"]}
        return httpx.Response(200, json=detail)

    def sync_transport(self) -> httpx.MockTransport:
        def handler(request: httpx.Request) -> httpx.Response:
            if self.token_delay and self.route(request) == "token":
                threading.Event().wait(self.token_delay)
            return self.answer(request)

        return httpx.MockTransport(handler)

    def async_transport(self) -> httpx.MockTransport:
        async def handler(request: httpx.Request) -> httpx.Response:
            # Yield to the loop, so concurrent tasks really are in flight together.
            await asyncio.sleep(self.token_delay if self.route(request) == "token" else 0)
            return self.answer(request)

        return httpx.MockTransport(handler)

    def count(self, route: str) -> int:
        return self.hits[route]


NO_SLEEP = RetryPolicy(sleep=False)


@pytest.fixture
def server() -> FakeServer:
    return FakeServer()


@pytest.fixture
def make_client(server: FakeServer) -> Iterator[Callable[..., FinChat]]:
    made: list[FinChat] = []

    def make(**kwargs: Any) -> FinChat:
        kwargs.setdefault("transport", server.sync_transport())
        kwargs.setdefault("retry_policy", NO_SLEEP)
        client = FinChat(APP_ID, SECRET, base_url=BASE_URL, **kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def make_async_client(server: FakeServer) -> Callable[..., AsyncFinChat]:
    def make(**kwargs: Any) -> AsyncFinChat:
        kwargs.setdefault("transport", server.async_transport())
        kwargs.setdefault("retry_policy", NO_SLEEP)
        return AsyncFinChat(APP_ID, SECRET, base_url=BASE_URL, **kwargs)

    return make


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
