"""Fixtures of the identity tests: a sandbox and identity clients on one virtual clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from finchat_wrapper.identity import AsyncIdentityClient, Authorization, IdentityClient
from finchat_wrapper.sandbox import IamSettings, Sandbox, serve

REDIRECT = "http://127.0.0.1:5000/auth/callback"
ALICE = "@alice:example.org"
LINIAN = "@linian002:dev.finogeeks.club"


class Clock:
    """Wall-clock seconds that only move when a test says so."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sandbox(clock: Clock) -> Iterator[Sandbox]:
    settings = IamSettings(access_token_ttl=300, refresh_token_ttl=1800, code_ttl=60)
    with Sandbox(clock=clock, iam=settings) as sb:
        yield sb


def identity_kwargs(sandbox: Sandbox, clock: Clock, **overrides: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"base_url": sandbox.base_url, "clock": clock}
    kwargs.update(overrides)
    return kwargs


@pytest.fixture
def identity(sandbox: Sandbox, clock: Clock) -> Iterator[IdentityClient]:
    with IdentityClient(
        sandbox.app_id,
        sandbox.secret,
        transport=sandbox.transport(),
        **identity_kwargs(sandbox, clock),
    ) as client:
        yield client


@pytest.fixture
async def aidentity(sandbox: Sandbox, clock: Clock) -> AsyncIterator[AsyncIdentityClient]:
    async with AsyncIdentityClient(
        sandbox.app_id,
        sandbox.secret,
        transport=httpx.ASGITransport(app=sandbox.app),
        **identity_kwargs(sandbox, clock),
    ) as client:
        yield client


def browse(sandbox: Sandbox, url: str, *, network: bool = False) -> httpx.Response:
    """What the user's browser gets for `url` at the sandbox (no redirect followed)."""
    transport = httpx.HTTPTransport() if network else sandbox.transport(network=False)
    with httpx.Client(transport=transport, follow_redirects=False) as browser:
        return browser.get(url)


def callback_params(response: httpx.Response, redirect_uri: str = REDIRECT) -> dict[str, str]:
    """The query the IAM's redirect brings back to the app; fails unless it goes there."""
    assert response.status_code == 302, response.text[:300]
    location = response.headers["location"]
    assert location.startswith(redirect_uri + "?"), location
    return dict(parse_qsl(urlsplit(location).query))


def authorize(sandbox: Sandbox, started: Authorization, *, network: bool = False) -> dict[str, str]:
    return callback_params(browse(sandbox, started.url, network=network), started.redirect_uri)


@pytest.fixture
def served(sandbox: Sandbox) -> Iterator[str]:
    with serve(sandbox) as base_url:
        yield base_url
