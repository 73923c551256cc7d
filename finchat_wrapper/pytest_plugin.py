"""pytest fixtures for bots tested against the FinChat sandbox, with no FinChat account.

Installed with the package as the `finchat` pytest plugin. It is opt-in: importing it defines
fixtures and one option and starts nothing; a sandbox exists only for a test that asks for one.

- `finchat_sandbox`: a fresh `finchat_wrapper.sandbox.Sandbox` of the default world, with fast
  event-delivery retries. In-process by default; `--finchat-sandbox=socket` serves every one on a
  real uvicorn socket, and a test can choose with
  `@pytest.mark.parametrize("finchat_sandbox", ["inprocess", "socket"], indirect=True)`.
- `finchat_client` / `finchat_async_client`: a `FinChat` / `AsyncFinChat` wired to that sandbox
  with its default app's credentials.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from finchat_wrapper import AsyncFinChat, FinChat
    from finchat_wrapper.sandbox import Sandbox

MODES = ("inprocess", "socket")
# Retries of event delivery in the fixtures' sandboxes: the same shape, a hundred times faster.
FAST_DELIVERY_DELAYS = (0.005, 0.01, 0.02, 0.04, 0.08)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("finchat")
    group.addoption(
        "--finchat-sandbox",
        choices=MODES,
        default="inprocess",
        help="how finchat_sandbox runs: in-process (default) or on a real loopback socket",
    )


@pytest.fixture
def finchat_sandbox(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """A fresh sandbox: in-process, or served on 127.0.0.1 (see the module docstring)."""
    from finchat_wrapper.sandbox import Sandbox, serve

    mode = getattr(request, "param", None) or request.config.getoption("--finchat-sandbox")
    if mode not in MODES:
        raise pytest.UsageError(f"finchat_sandbox mode must be one of {MODES}, not {mode!r}")
    with Sandbox(delivery_delays=FAST_DELIVERY_DELAYS) as sandbox:
        if mode == "socket":
            with serve(sandbox):
                yield sandbox
        else:
            yield sandbox


def _credentials(sandbox: Sandbox) -> dict[str, Any]:
    return {"app_id": sandbox.app_id, "secret": sandbox.secret, "base_url": sandbox.base_url}


@pytest.fixture
def finchat_client(finchat_sandbox: Sandbox) -> Iterator[FinChat]:
    """A `FinChat` client of the sandbox's default app."""
    from finchat_wrapper import FinChat

    transport = finchat_sandbox.transport()
    with FinChat(**_credentials(finchat_sandbox), transport=transport) as client:
        yield client


@pytest.fixture
async def finchat_async_client(finchat_sandbox: Sandbox) -> AsyncIterator[AsyncFinChat]:
    """An `AsyncFinChat` client of the sandbox's default app."""
    from finchat_wrapper import AsyncFinChat

    transport = finchat_sandbox.async_transport()
    async with AsyncFinChat(**_credentials(finchat_sandbox), transport=transport) as client:
        yield client
