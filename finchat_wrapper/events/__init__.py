"""Receiving FinChat events: typed parsing, token verification, deduplication and dispatch.

from finchat_wrapper.events import EventDispatcher, WebhookReceiver

events = EventDispatcher()

@events.on_message
async def echo(event): ...

app = WebhookReceiver(events, token=os.environ["FINCHAT_WEBHOOK_TOKEN"])  # any ASGI server
"""

from ._dedupe import (
    DEFAULT_CLAIM_TTL,
    DEFAULT_DONE_TTL,
    ClaimOutcome,
    DedupeStore,
    InMemoryDedupeStore,
)
from ._dispatcher import EventDispatcher, Handler, HandlerAlreadyRegisteredError, event_key
from ._parse import Callback, Event, InvalidEventError, UnknownEvent, parse_callback, parse_event
from ._receiver import DEFAULT_MAX_BODY_BYTES, EVENTS_LOGGER, WebhookReceiver
from ._verify import InvalidTokenError, check_token, verify_token

__all__ = [  # noqa: RUF022 - plainly sorted(), as tests/*/test_init.py check
    "Callback",
    "ClaimOutcome",
    "DEFAULT_CLAIM_TTL",
    "DEFAULT_DONE_TTL",
    "DEFAULT_MAX_BODY_BYTES",
    "DedupeStore",
    "EVENTS_LOGGER",
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
