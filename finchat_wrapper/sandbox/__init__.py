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

    # what users do; each returns the event once delivered to the app's callback
    sb.set_callback(sb.app_id, "http://bot/hook", "verify-token", transport=bot_transport)
    await sb.simulate.user_message("@test:example.org", "hello")

    # assertions
    sb.sent("!112321588723954859:example.org")   # messages of a room
    sb.delivery_log                              # one entry per message per addressed recipient
    sb.callback_log                              # every event delivery attempt
    sb.changes.since(0)                          # every change, in order (what the UI follows)

    sb.set_faults(FaultPlan(seed=1, error_rate=0.2, drop_after_rate=0.1))

    # Sign in with FinChat: an OpenID provider on the same app (see `_iam`)
    sb.iam.issuer, sb.iam.sign_ins, sb.iam.rotate_keys(), sb.iam.revoke_sessions(fcid)

Behaviour follows the spec and `openapi/DECISIONS.md`; the `/_sandbox` HTTP API of
`openapi/sandbox-simulation.yaml` offers the same simulation, inspection and control, and
`/_sandbox/ui/` a page for people (`_ui`). `_faults` explains how dropped connections are injected.
"""

from ._changes import Change, ChangeFeed, Gap
from ._delivery import CallbackAttempt
from ._faults import ErrorFault, FaultPlan
from ._iam import IamSettings, SandboxIam, SignInRecord
from ._sandbox import Sandbox
from ._serve import serve
from ._simulate import SimulationError, Simulator
from ._state import MessageDelivery, SentMessage, Stats
from ._world import App, Media, Message, Room, User, World, WorldError

__all__ = [
    "App",
    "CallbackAttempt",
    "Change",
    "ChangeFeed",
    "ErrorFault",
    "FaultPlan",
    "Gap",
    "IamSettings",
    "Media",
    "Message",
    "MessageDelivery",
    "Room",
    "Sandbox",
    "SandboxIam",
    "SentMessage",
    "SignInRecord",
    "SimulationError",
    "Simulator",
    "Stats",
    "User",
    "World",
    "WorldError",
    "serve",
]
