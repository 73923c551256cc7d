"""A stateful local FinChat server: the whole API of `openapi/finchat.yaml`, simulated users,
event delivery to webhooks, and seeded fault injection.

    from finchat_wrapper.sandbox import FaultPlan, Sandbox, serve

    sb = Sandbox()                      # the world of the upstream document's examples
    sb.app_id, sb.secret                # the default app's published sandbox credentials

    # in-process: httpx.ASGITransport(app=sb.app), or sb.transport() / sb.async_transport(),
    # which also turn injected connection drops into httpx exceptions
    client = FinChat(sb.app_id, sb.secret, base_url=sb.base_url, transport=sb.transport())

    # or a real socket (uvicorn in a background thread)
    with serve(sb) as base_url: ...

    # what users do; each returns the event and how its first delivery went
    sb.set_callback(sb.app_id, "http://bot/hook", "verify-token", transport=bot_transport)
    sent = await sb.simulate.user_message("@test:example.org", "hello")
    sent["event_id"], sent.delivered, sent.delivery.reason   # "answered 401: ... tokens differ"
    record = await sb.simulate.search("@test:example.org", "insurance")   # what the user got

    # the forwarder: events stored for pulling instead of PUT
    sb.set_callback(sb.app_id, f"http://any{FORWARDER_PATH}", "unused")

    # the document's delivery rules on a virtual clock: an hour of redeliveries in milliseconds
    sb = Sandbox(clock=VirtualClock()); ...; await sb.advance(3600)

    # assertions
    sb.sent("!112321588723954859:example.org")   # messages of a room
    sb.delivery_log                              # one entry per message per addressed recipient
    sb.callback_log                              # every delivery attempt: when, retry, why
    sb.search_log                                # every search and what the user got
    sb.changes.since(0)                          # every change, in order (what the UI follows)

    sb.set_faults(FaultPlan(seed=1, error_rate=0.2, drop_after_rate=0.1))

    # Sign in with FinChat: an OpenID provider on the same app (see `_iam`)
    sb.iam.issuer, sb.iam.sign_ins, sb.iam.rotate_keys(), sb.iam.revoke_sessions(fcid)

Behaviour follows the spec and `openapi/DECISIONS.md`; the `/_sandbox` HTTP API of
`openapi/sandbox-simulation.yaml` offers the same simulation, inspection and control, and
`/_sandbox/ui/` a page for people (`_ui`). `_faults` explains how dropped connections are injected.
"""

# ruff: noqa: E402 - the extra is checked before the imports that need it
from .._needs import needs

needs("sandbox", "starlette", "uvicorn", "jsonschema", "joserfc")

from ._changes import Change, ChangeFeed, Gap
from ._clock import VirtualClock
from ._delivery import (
    ANSWER_TIMEOUT,
    FAILURE_WINDOW,
    MAX_INTERVAL,
    SEARCH_TIMEOUT,
    CallbackAttempt,
    DeliveryReport,
    SearchRecord,
)
from ._faults import ErrorFault, FaultPlan
from ._forwarder import FORWARDER_PATH
from ._iam import IamSettings, SandboxIam, SignInRecord
from ._sandbox import Sandbox
from ._serve import serve
from ._simulate import Simulated, SimulationError, Simulator
from ._state import MessageDelivery, SentMessage, Stats
from ._world import App, Media, Message, Room, User, World, WorldError

__all__ = [  # noqa: RUF022 - plainly sorted(), as tests/sandbox/test_sandbox.py checks
    "ANSWER_TIMEOUT",
    "App",
    "CallbackAttempt",
    "Change",
    "ChangeFeed",
    "DeliveryReport",
    "ErrorFault",
    "FAILURE_WINDOW",
    "FORWARDER_PATH",
    "FaultPlan",
    "Gap",
    "IamSettings",
    "MAX_INTERVAL",
    "Media",
    "Message",
    "MessageDelivery",
    "Room",
    "SEARCH_TIMEOUT",
    "Sandbox",
    "SandboxIam",
    "SearchRecord",
    "SentMessage",
    "SignInRecord",
    "Simulated",
    "SimulationError",
    "Simulator",
    "Stats",
    "User",
    "VirtualClock",
    "World",
    "WorldError",
    "serve",
]
