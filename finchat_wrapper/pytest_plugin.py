"""pytest fixtures for bots tested against the FinChat sandbox, with no FinChat account.

Installed with the package as the `finchat` pytest plugin (it needs the `sandbox` extra). It is
opt-in: importing it defines fixtures, one option and one marker, and starts nothing; a sandbox
exists only for a test that asks for one.

- `finchat_sandbox`: a fresh `finchat_wrapper.sandbox.Sandbox` of the default world, with fast
  event-delivery retries. In-process by default; `--finchat-sandbox=socket` serves every one on a
  real uvicorn socket, and a test can choose with
  `@pytest.mark.parametrize("finchat_sandbox", ["inprocess", "socket"], indirect=True)`.
- `finchat_client` / `finchat_async_client`: a `FinChat` / `AsyncFinChat` wired to that sandbox
  with its default app's credentials.
- `finchat_env`: for a bot written as a module that reads its settings from the environment (the
  README's echo bot): the sandbox served on a socket, `FINCHAT_APP_ID`, `FINCHAT_SECRET`,
  `FINCHAT_BASE_URL` and `FINCHAT_WEBHOOK_TOKEN` set for the test, `load("mybot")` to import the
  bot then, and `connect(app)` to make an ASGI app the default app's callback.
- `@pytest.mark.finchat(...)`: the sandbox's settings for a test, module or class: any keyword of
  `Sandbox` (`world=`, `fcid_limit=`, `room_id_limit=`, `token_ttl=`, `delivery_delays=`, ...),
  and `sleep=False` for clients whose retries do not wait (`RetryPolicy(sleep=False)`).

The async fixtures (`finchat_async_client`, `finchat_env`) need pytest-asyncio (0.24 or later);
they are declared with `pytest_asyncio.fixture`, so they work in its strict mode (the test marked
`@pytest.mark.asyncio`) and in auto mode alike. The sync fixtures need nothing more.
"""

from __future__ import annotations

import contextlib
import importlib
import secrets
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from starlette.types import ASGIApp

    from finchat_wrapper import AsyncFinChat, FinChat
    from finchat_wrapper.sandbox import Sandbox


MODES = ("inprocess", "socket")
# Retries of event delivery in the fixtures' sandboxes: the same shape, a hundred times faster.
FAST_DELIVERY_DELAYS = (0.005, 0.01, 0.02, 0.04, 0.08)
MARKER = "finchat"
_CLIENT_OPTIONS = ("sleep",)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("finchat")
    group.addoption(
        "--finchat-sandbox",
        choices=MODES,
        default="inprocess",
        help="how finchat_sandbox runs: in-process (default) or on a real loopback socket",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): settings of the finchat fixtures' sandbox (any keyword of "
        "finchat_wrapper.sandbox.Sandbox: world, fcid_limit, room_id_limit, ...) and sleep=False "
        "for clients whose retries do not wait",
    )


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The keywords of every `finchat` marker of the test, the closest one winning."""
    options: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers(MARKER))):
        if marker.args:
            raise pytest.UsageError(f"@pytest.mark.{MARKER} takes keywords only")
        options.update(marker.kwargs)
    return options


def _sandbox_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    options = {k: v for k, v in _options(request).items() if k not in _CLIENT_OPTIONS}
    options.setdefault("delivery_delays", FAST_DELIVERY_DELAYS)
    return options


def _client_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    from finchat_wrapper import RetryPolicy

    options = _options(request)
    if options.get("sleep", True) is False:
        return {"retry_policy": RetryPolicy(sleep=False)}
    return {}


@pytest.fixture
def finchat_sandbox(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """A fresh sandbox: in-process, or served on 127.0.0.1 (see the module docstring)."""
    from finchat_wrapper.sandbox import Sandbox, serve

    mode = getattr(request, "param", None) or request.config.getoption("--finchat-sandbox")
    if mode not in MODES:
        raise pytest.UsageError(f"finchat_sandbox mode must be one of {MODES}, not {mode!r}")
    try:
        sandbox = Sandbox(**_sandbox_options(request))
    except TypeError as exc:
        raise pytest.UsageError(f"@pytest.mark.{MARKER}: {exc}") from None
    with sandbox:
        if mode == "socket":
            with serve(sandbox):
                yield sandbox
        else:
            yield sandbox


def _credentials(sandbox: Sandbox) -> dict[str, Any]:
    return {"app_id": sandbox.app_id, "secret": sandbox.secret, "base_url": sandbox.base_url}


@pytest.fixture
def finchat_client(request: pytest.FixtureRequest, finchat_sandbox: Sandbox) -> Iterator[FinChat]:
    """A `FinChat` client of the sandbox's default app."""
    from finchat_wrapper import FinChat

    transport = finchat_sandbox.transport()
    options = _client_options(request)
    with FinChat(**_credentials(finchat_sandbox), transport=transport, **options) as client:
        yield client


def _async_fixture(function: Callable[..., Any]) -> Any:
    """`pytest_asyncio.fixture` (strict and auto mode); without pytest-asyncio, a fixture that
    fails saying what is missing, rather than pytest's "no plugin handled it"."""
    try:
        import pytest_asyncio
    except ImportError:  # the sync fixtures work without it; the async ones say what they need
        pass
    else:
        return pytest_asyncio.fixture(function)

    @pytest.fixture(name=function.__name__)
    def missing() -> None:
        pytest.fail(f"{function.__name__} needs pytest-asyncio: pip install pytest-asyncio")

    missing.__doc__ = function.__doc__
    return missing


@_async_fixture
async def finchat_async_client(
    request: pytest.FixtureRequest, finchat_sandbox: Sandbox
) -> AsyncIterator[AsyncFinChat]:
    """An `AsyncFinChat` client of the sandbox's default app."""
    from finchat_wrapper import AsyncFinChat

    transport = finchat_sandbox.async_transport()
    options = _client_options(request)
    async with AsyncFinChat(
        **_credentials(finchat_sandbox), transport=transport, **options
    ) as client:
        yield client


class BotEnvironment:
    """What `finchat_env` gives a test of a bot that reads its settings from the environment.

    `environ` is what was set (also in `os.environ` for the test); `load(name)` imports the bot's
    module afresh, now that its settings are there; `connect(app)` delivers the default app's
    events to the ASGI `app` in-process, with `webhook_token`. The clients a loaded module made
    (module-level `FinChat` / `AsyncFinChat` objects) are closed when the test ends.
    """

    def __init__(self, sandbox: Sandbox, webhook_token: str) -> None:
        self.sandbox = sandbox
        self.webhook_token = webhook_token
        self.environ = {
            "FINCHAT_APP_ID": sandbox.app_id,
            "FINCHAT_SECRET": sandbox.secret,
            "FINCHAT_BASE_URL": sandbox.base_url,
            "FINCHAT_WEBHOOK_TOKEN": webhook_token,
        }
        self._modules: list[ModuleType] = []

    def __repr__(self) -> str:  # the secret and the webhook token stay out of reports
        return f"<BotEnvironment {self.sandbox.base_url}>"

    def load(self, name: str) -> ModuleType:
        """Import the module `name` afresh (dropped from `sys.modules` first)."""
        sys.modules.pop(name, None)
        module = importlib.import_module(name)
        self._modules.append(module)
        return module

    def connect(self, app: ASGIApp, *, app_id: str | None = None) -> None:
        """Make the ASGI `app` (a `WebhookReceiver`, or any app mounting one at `/`) the
        callback of `app_id` (the default app), delivered in-process with the webhook token."""
        import httpx

        self.sandbox.set_callback(
            app_id or self.sandbox.app_id,
            "http://bot.localhost/",
            self.webhook_token,
            transport=httpx.ASGITransport(app=app),
        )

    async def close(self) -> None:
        """Close the clients of the loaded modules and forget the modules (at the test's end)."""
        from finchat_wrapper import AsyncFinChat, FinChat

        for module in self._modules:
            for value in list(vars(module).values()):
                if isinstance(value, AsyncFinChat):
                    await value.aclose()
                elif isinstance(value, FinChat):
                    value.close()
            sys.modules.pop(module.__name__, None)


@_async_fixture
async def finchat_env(
    finchat_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[BotEnvironment]:
    """The sandbox on a socket and the bot's settings in the environment (see `BotEnvironment`)."""
    from finchat_wrapper.sandbox import serve

    # The bot's own client connects to FINCHAT_BASE_URL: an in-process sandbox has no address.
    with contextlib.nullcontext() if finchat_sandbox.served else serve(finchat_sandbox):
        env = BotEnvironment(finchat_sandbox, secrets.token_urlsafe(16))
        for name, value in env.environ.items():
            monkeypatch.setenv(name, value)  # undone by monkeypatch after the test
        try:
            yield env
        finally:
            await env.close()
