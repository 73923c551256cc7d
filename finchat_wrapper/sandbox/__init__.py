"""A stateful local FinChat server: the whole API of `openapi/finchat.yaml`, simulated users,
event delivery to webhooks, and seeded fault injection.

    from finchat_wrapper.sandbox import Sandbox, serve

    sb = Sandbox()                                  # the world of the upstream document
    transport = httpx.ASGITransport(app=sb.app)     # in-process
    with serve(sb) as base_url: ...                 # or a real uvicorn socket

`sb.app_id` / `sb.secret` are the default app's published sandbox credentials. See `_faults` for
how dropped connections are injected and surfaced as httpx exceptions.
"""

from ._delivery import CallbackAttempt
from ._faults import FAULT_HEADER, ErrorFault, FaultPlan
from ._sandbox import Sandbox
from ._serve import serve
from ._simulate import SimulationError, Simulator
from ._state import MessageDelivery, SentMessage, Stats
from ._world import App, Media, Message, Room, User, World, WorldError

__all__ = [
    "FAULT_HEADER",
    "App",
    "CallbackAttempt",
    "ErrorFault",
    "FaultPlan",
    "Media",
    "Message",
    "MessageDelivery",
    "Room",
    "Sandbox",
    "SentMessage",
    "SimulationError",
    "Simulator",
    "Stats",
    "User",
    "World",
    "WorldError",
    "serve",
]
