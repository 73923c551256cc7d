"""`Sandbox`: one FinChat world, its ASGI app, simulation, faults and inspection."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware

from ._app import FinChatApi, build_starlette
from ._changes import DELIVERY, SEARCH, WORLD, ChangeFeed
from ._clock import SandboxClock, VirtualClock, clock_of
from ._control import ControlApi
from ._delivery import (
    ANSWER_TIMEOUT,
    SEARCH_TIMEOUT,
    Callback,
    CallbackAttempt,
    Deliverer,
    SearchRecord,
)
from ._faults import NO_FAULTS, FaultInjector, FaultPlan, RequestFaults
from ._forwarder import Forwarder
from ._guard import ControlGuard
from ._iam import IAM_INFO_PATH, IamSettings, SandboxIam
from ._index import spec_files, web_pages
from ._simulate import Simulator
from ._spec import DEFAULT_SPEC_PATH, SIMULATION_SPEC_PATH, load_spec, schema_validator
from ._state import MessageDelivery, SentMessage, State, Stats
from ._transport import AsyncFaultTransport, FaultTransport, LoopThread, SyncASGITransport
from ._ui import SandboxUi
from ._world import World

# The base URL of an in-process sandbox: any host works with an in-process transport, and a
# `.localhost` one passes clients that refuse plain http to hosts that are not loopback.
IN_PROCESS_URL = "http://sandbox.localhost"
CONTROL_PREFIX = "/_sandbox"
# All uploads together, kept in memory: a long session of big uploads must not eat the machine.
DEFAULT_MAX_MEDIA_BYTES = 256 * 1024 * 1024


class Sandbox:
    """A stateful local FinChat server: use `app` in-process, or `serve()` it on a socket.

    The world is copied, so one `World` seeds many sandboxes. `seed` makes ids reproducible.
    Media is kept in memory: `max_upload_bytes` bounds one upload, `max_media_bytes` all of
    them together (a full store answers an upload 500 `FC_INTERNAL_ERROR`, saying so).

    Events are delivered by the document's rules (`_delivery`): `answer_timeout` seconds for the
    bot's answer, redelivery at intervals growing up to 10 minutes (or `delivery_delays`, then
    given up), dropped after an hour of failures. `clock`: the time the sandbox reads
    (`time.time` by default); a `VirtualClock` runs the redeliveries when it is advanced, so an
    hour of them takes milliseconds. `search_timeout`: how long a simulated search waits.
    """

    def __init__(
        self,
        world: World | None = None,
        *,
        fcid_limit: int = 100,
        room_id_limit: int = 100,
        token_ttl: int = 7200,
        seed: int = 0,
        delivery_delays: Sequence[float] | None = None,
        answer_timeout: float = ANSWER_TIMEOUT,
        search_timeout: float = SEARCH_TIMEOUT,
        max_upload_bytes: int = 20 * 1024 * 1024,
        max_media_bytes: int = DEFAULT_MAX_MEDIA_BYTES,
        max_json_bytes: int = 1024 * 1024,
        clock: Callable[[], float] = time.time,
        spec_path: Path = DEFAULT_SPEC_PATH,
        simulation_spec_path: Path = SIMULATION_SPEC_PATH,
        iam: IamSettings | None = None,
    ) -> None:
        world = (world or World.default()).copy()
        world.check()
        if fcid_limit < 1 or room_id_limit < 1:
            raise ValueError("recipient limits must be at least 1")
        if token_ttl < 1:
            raise ValueError("token_ttl must be at least 1 second")
        if delivery_delays is not None and any(d < 0 for d in delivery_delays):
            raise ValueError("delivery_delays must not be negative")
        if not answer_timeout > 0 or not search_timeout > 0:
            raise ValueError("answer_timeout and search_timeout must be positive seconds")
        self._clock: SandboxClock = clock_of(clock)
        if max_media_bytes < 1 or max_upload_bytes < 1:
            raise ValueError("max_media_bytes and max_upload_bytes must be at least 1")
        self._state = State(
            world,
            fcid_limit=fcid_limit,
            room_id_limit=room_id_limit,
            token_ttl=token_ttl,
            seed=seed,
            clock=self._clock,
            max_media_bytes=max_media_bytes,
        )
        default = next((a for a in world.apps if a.published), None)
        if default is None:
            raise ValueError("the world needs at least one published app")
        self._default_app = default
        self._global_faults: FaultInjector | None = None
        self._app_faults: dict[str, FaultInjector] = {}
        self.internal_errors: list[BaseException] = []
        """Exceptions the app caught and answered with 500; a correct sandbox keeps it empty."""
        spec = load_spec(spec_path)
        self._forwarder = Forwarder()
        self._deliverer = Deliverer(
            delivery_delays,
            self._injector,
            clock=self._clock,
            forwarder=self._forwarder,
            answer_timeout=answer_timeout,
            search_timeout=search_timeout,
            search_validator=schema_validator(spec, "SearchResult"),
            on_attempt=lambda attempt: self.changes.publish(DELIVERY, dataclasses.asdict(attempt)),
            on_search=lambda record: self.changes.publish(SEARCH, dataclasses.asdict(record)),
        )
        self.simulate = Simulator(self._state, self._deliverer, default.app_id)
        """What users do (`user_message`, `mention`, `search`, ...): see `Simulator`."""
        self._api = FinChatApi(
            self._state,
            spec,
            self._decide,
            max_upload_bytes=max_upload_bytes,
            max_json_bytes=max_json_bytes,
            internal_errors=self.internal_errors,
            forwarder=self._forwarder,
        )
        self.base_url: str = IN_PROCESS_URL
        """Where clients reach the sandbox: `serve()` sets its socket's URL while it serves."""
        self.iam = SandboxIam(
            self._state,
            iam or IamSettings(),
            base_url=lambda: self.base_url,
            clock=self._clock,
            internal_errors=self.internal_errors,
        )
        """The OpenID provider (Sign in with FinChat) this sandbox also serves."""
        control = ControlApi(
            self,
            load_spec(simulation_spec_path),
            max_json_bytes,
            spec_files(spec_path, simulation_spec_path),
        )
        # iam-info is an operation of finchat.yaml: the FinChat API routes it, the IAM answers it.
        self._api.handlers["get_iam_info"] = self.iam.iam_info_operation
        iam_routes = self.iam.routes(with_iam_info=IAM_INFO_PATH not in self._api.spec.paths())
        # The browser UI and the API reference: pages under the control prefix, like the API.
        operations = frozenset(control.handlers)
        ui = SandboxUi(self, prefix=CONTROL_PREFIX, simulation_operations=operations)
        # Every control path and every page served under it behind one same-origin guard.
        guard = Middleware(ControlGuard, prefix=CONTROL_PREFIX, base_url=lambda: self.base_url)
        self.app: Starlette = build_starlette(
            self._api, [*control.routes(), *iam_routes, *ui.routes()], [guard]
        )
        self._loop = LoopThread()

    def __repr__(self) -> str:
        return f"Sandbox(app_id={self.app_id!r}, apps={len(self._state.apps)})"

    # ---- credentials -------------------------------------------------------------------------
    @property
    def app_id(self) -> str:
        """The id of the default app (the world's first published app)."""
        return self._default_app.app_id

    @property
    def secret(self) -> str:
        """The default app's secret: a sandbox credential, published with the world."""
        return self._default_app.secret

    def credentials(self, app_id: str) -> tuple[str, str]:
        """(app_id, secret) of any app of the world."""
        app = self._state.apps[app_id]
        return app.app_id, app.secret

    def pages(self) -> dict[str, str]:
        """The web pages of the sandbox, name -> URL (its UI once it has one)."""
        return web_pages(self.app, self.base_url)

    # ---- inspection --------------------------------------------------------------------------
    @property
    def stats(self) -> Stats:
        return self._state.stats

    @property
    def delivery_log(self) -> list[MessageDelivery]:
        """Every message the send operations put into a room, one entry per recipient."""
        return self._state.delivery_log

    @property
    def callback_log(self) -> list[CallbackAttempt]:
        """Every attempt to deliver an event to a callback URL (and every event stored by the
        forwarder, or dropped), in order: when, which retry, the status, why it failed."""
        return self._deliverer.log

    @property
    def search_log(self) -> list[SearchRecord]:
        """Every simulated search, with what the user got."""
        return self._deliverer.searches

    def forwarded(self, app_id: str) -> list[dict[str, Any]]:
        """The events the forwarder stores for an app (whose callback is `FORWARDER_PATH`), in
        `event_id` order, as `pull_events` serves them."""
        return self._forwarder.stored(app_id)

    @property
    def clock(self) -> SandboxClock:
        """The sandbox's time; `await sb.clock.advance(s)` when it is a `VirtualClock`."""
        return self._clock

    async def advance(self, seconds: float) -> None:
        """Run `seconds` of the sandbox's virtual time (its redeliveries); needs
        `Sandbox(clock=VirtualClock())`."""
        if not isinstance(self._clock, VirtualClock):
            raise TypeError("the sandbox runs on the wall clock: Sandbox(clock=VirtualClock())")
        await self._clock.advance(seconds)

    @property
    def events(self) -> list[tuple[str, dict[str, Any]]]:
        """Every event produced, as (app_id, event), whether delivered or not."""
        return self._deliverer.events

    @property
    def changes(self) -> ChangeFeed:
        """Every change of the state, in order: what the browser UI follows live."""
        return self._state.changes

    @property
    def ui_url(self) -> str:
        """The browser UI's address (`/_sandbox/ui/` of `base_url`)."""
        return f"{self.base_url}{CONTROL_PREFIX}/ui/"

    def sent(self, room_id: str) -> list[SentMessage]:
        """The messages of a room, oldest first (the bot's and the users')."""
        return self._state.sent(room_id)

    def media(self, content_uri: str) -> tuple[bytes, str]:
        """The bytes and content type stored behind an `mxc://` URI; KeyError if unknown."""
        stored = self._state.media_store[content_uri]
        return stored.data, stored.content_type

    def export_world(self) -> World:
        """The current state as a `World` (a copy): dump it, load it, start from it again."""
        with self._state.lock:
            return self._state.world.copy()

    def export_state(self) -> dict[str, Any]:
        """The current state as a JSON-ready dict (the world file format)."""
        with self._state.lock:
            return self._state.world.to_dict()

    # ---- control -----------------------------------------------------------------------------
    def revoke_tokens(self, app_id: str | None = None) -> int:
        """Invalidate every issued token (of one app, or all); returns how many."""
        return self._state.revoke_tokens(app_id)

    def set_faults(self, plan: FaultPlan | None, *, app_id: str | None = None) -> None:
        """Install (or with None remove) a fault plan for one app, or the global one.

        An app's own plan replaces the global plan for that app. Installing restarts the plan's
        random sequence from its seed.
        """
        if app_id is not None and app_id not in self._state.apps:
            raise KeyError(f"no app {app_id}")
        injector = FaultInjector(plan) if plan is not None else None
        if app_id is None:
            self._global_faults = injector
        elif injector is None:
            self._app_faults.pop(app_id, None)
        else:
            self._app_faults[app_id] = injector
        self.changes.publish(WORLD, {"what": "faults", "app_id": app_id})

    def fault_plan(self, app_id: str | None = None) -> FaultPlan | None:
        """The plan installed for one app (its own, not the global one it may fall back on), or
        with None the global plan; None when there is none."""
        injector = self._global_faults if app_id is None else self._app_faults.get(app_id)
        return injector.plan if injector is not None else None

    def set_callback(
        self,
        app_id: str,
        url: str,
        token: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Deliver the app's events to `url` with the verification `token`.

        `transport` (e.g. `httpx.ASGITransport(app=receiver)`) delivers in-process. A `url` whose
        path is the forwarder's (`FORWARDER_PATH`, any host) stores the events for
        `pull_events` instead.
        """
        self._set(self._deliverer.callbacks, "callback", app_id, Callback(url, token, transport))

    def remove_callback(self, app_id: str) -> None:
        self._set(self._deliverer.callbacks, "callback", app_id, None)

    def callback_url(self, app_id: str) -> str | None:
        """Where the app's events go, or None; its verification token is never shown."""
        return _url(self._deliverer.callbacks, app_id)

    def set_search_callback(
        self,
        app_id: str,
        url: str,
        token: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """POST the app's shortcut searches to `url` with `token` (without it, searches go to
        the callback URL with its token: a `WebhookReceiver` answers both)."""
        callback = Callback(url, token, transport)
        self._set(self._deliverer.search_callbacks, "search_callback", app_id, callback)

    def remove_search_callback(self, app_id: str) -> None:
        self._set(self._deliverer.search_callbacks, "search_callback", app_id, None)

    def search_callback_url(self, app_id: str) -> str | None:
        """Where the app's searches go when not to its callback URL, or None; its token is
        never shown."""
        return _url(self._deliverer.search_callbacks, app_id)

    def _set(
        self, callbacks: dict[str, Callback], what: str, app_id: str, callback: Callback | None
    ) -> None:
        """Register (a known app only: KeyError) or remove (`None`) one of the app's callbacks,
        and tell the change feed."""
        if callback is None:
            callbacks.pop(app_id, None)
        elif app_id not in self._state.apps:
            raise KeyError(f"no app {app_id}")
        else:
            callbacks[app_id] = callback
        self.changes.publish(WORLD, {"what": what, "app_id": app_id})

    # ---- transports --------------------------------------------------------------------------
    @property
    def served(self) -> bool:
        return self.base_url != IN_PROCESS_URL

    def transport(self, *, network: bool | None = None) -> httpx.BaseTransport:
        """A sync transport onto this sandbox, turning injected drops into httpx exceptions.

        In-process (the app runs on a private event-loop thread, see `close()`), or with
        `network=True` an `httpx.HTTPTransport` to the URL the client uses; by default the
        network while `serve()` serves the sandbox, in-process otherwise.
        """
        if self.served if network is None else network:
            return FaultTransport(httpx.HTTPTransport())
        return FaultTransport(SyncASGITransport(self.app, self._loop))

    def async_transport(self, *, network: bool | None = None) -> httpx.AsyncBaseTransport:
        """The async twin of `transport()`: `httpx.ASGITransport`, or the network."""
        if self.served if network is None else network:
            return AsyncFaultTransport(httpx.AsyncHTTPTransport())
        return AsyncFaultTransport(httpx.ASGITransport(app=self.app))

    def close_streams(self) -> None:
        """End the live streams of open UI pages (`serve()` calls it before stopping)."""
        self.changes.close()

    def close(self) -> None:
        """Stop the redeliveries not yet made, the live streams of UI pages, and the private
        event-loop thread of sync in-process transports, if it runs."""
        self._deliverer.cancel()
        self.changes.close()
        self._loop.close()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ---- internals used by the app and the control API ---------------------------------------
    @property
    def state(self) -> State:
        return self._state

    @property
    def deliverer(self) -> Deliverer:
        return self._deliverer

    def _injector(self, app_id: str | None) -> FaultInjector | None:
        if app_id is not None:
            own = self._app_faults.get(app_id)
            if own is not None:
                return own
        return self._global_faults

    def _decide(self, operation_id: str, named_app: Callable[[], str | None]) -> RequestFaults:
        if self._global_faults is None and not self._app_faults:
            return NO_FAULTS
        injector = self._injector(named_app() if self._app_faults else None)
        return injector.for_request(operation_id) if injector is not None else NO_FAULTS


def _url(callbacks: dict[str, Callback], app_id: str) -> str | None:
    callback = callbacks.get(app_id)
    return callback.url if callback is not None else None
