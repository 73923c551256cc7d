"""The sandbox each integration test runs against: in-process, and over a real uvicorn socket."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from finchat_wrapper import AsyncFinChat, FinChat, RetryPolicy
from finchat_wrapper.sandbox import Sandbox, serve

NO_SLEEP = RetryPolicy(sleep=False)


@dataclass
class Target:
    """A sandbox and where a client reaches it."""

    sandbox: Sandbox
    base_url: str

    def client(self, **kwargs: Any) -> FinChat:
        kwargs.setdefault("retry_policy", NO_SLEEP)
        app_id = kwargs.pop("app_id", self.sandbox.app_id)
        secret = kwargs.pop("secret", self.sandbox.secret)
        return FinChat(
            app_id, secret, base_url=self.base_url, transport=self.sandbox.transport(), **kwargs
        )

    def async_client(self, **kwargs: Any) -> AsyncFinChat:
        kwargs.setdefault("retry_policy", NO_SLEEP)
        return AsyncFinChat(
            self.sandbox.app_id,
            self.sandbox.secret,
            base_url=self.base_url,
            transport=self.sandbox.async_transport(),
            **kwargs,
        )


@pytest.fixture(params=["inprocess", pytest.param("socket", marks=pytest.mark.network)])
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    with Sandbox() as sandbox:
        if request.param == "socket":
            with serve(sandbox) as base_url:
                yield Target(sandbox, base_url)
        else:
            yield Target(sandbox, sandbox.base_url)
