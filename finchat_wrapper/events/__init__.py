"""Receiving FinChat events: typed parsing, token verification, deduplication and dispatch.

from finchat_wrapper.events import EventDispatcher, WebhookReceiver

events = EventDispatcher()

@events.on_message
async def echo(event): ...

app = WebhookReceiver(events, token=os.environ["FINCHAT_WEBHOOK_TOKEN"])  # any ASGI server
"""

from ._dedupe import ClaimOutcome, DedupeStore, InMemoryDedupeStore
from ._dispatcher import EventDispatcher, Handler, HandlerAlreadyRegisteredError, event_key
from ._parse import Callback, Event, InvalidEventError, UnknownEvent, parse_callback, parse_event
from ._receiver import WebhookReceiver
from ._verify import InvalidTokenError, check_token, verify_token

__all__ = [
    "Callback",
    "ClaimOutcome",
    "DedupeStore",
    "Event",
    "EventDispatcher",
    "Handler",
    "HandlerAlreadyRegisteredError",
    "InMemoryDedupeStore",
    "InvalidEventError",
    "InvalidTokenError",
    "UnknownEvent",
    "WebhookReceiver",
    "check_token",
    "event_key",
    "parse_callback",
    "parse_event",
    "verify_token",
]
