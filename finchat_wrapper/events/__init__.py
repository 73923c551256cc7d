"""Receiving FinChat events: typed parsing, token verification, deduplication and dispatch, by
webhook or by pulling; and answering shortcut searches.

from finchat_wrapper.events import EventDispatcher, WebhookReceiver

events = EventDispatcher()

@events.on_message
async def echo(event: MessageEvent) -> None: ...

app = WebhookReceiver(events, token=os.environ["FINCHAT_WEBHOOK_TOKEN"])  # any ASGI server
# or, without inbound HTTP: await EventPoller(client, events, cursor_store=...).run()
"""

from ._cursor import CursorStore, CursorStoreError, FileCursorStore, MemoryCursorStore
from ._dedupe import (
    DEFAULT_CLAIM_TTL,
    DEFAULT_DONE_TTL,
    ClaimOutcome,
    DedupeStore,
    InMemoryDedupeStore,
)
from ._dispatcher import (
    EventDispatcher,
    Handler,
    HandlerAlreadyRegisteredError,
    SearchHandler,
    event_key,
)
from ._handling import EVENTS_LOGGER, EventRunner, Outcome, dedupe_key
from ._parse import (
    Callback,
    Event,
    EventPage,
    RejectedEvent,
    UnknownEvent,
    parse_callback,
    parse_event,
    parse_page,
    parse_search,
)
from ._poller import (
    DEFAULT_MAX_POLL_INTERVAL,
    DEFAULT_POLL_INTERVAL,
    EventPoller,
    PollerStats,
    PullingClient,
)
from ._receiver import DEFAULT_MAX_BODY_BYTES, WebhookReceiver
from ._search import (
    DEFAULT_SEARCH_DEADLINE,
    PLATFORM_SEARCH_LIMIT,
    SearchAnswer,
    answer_search,
    search_item,
    search_result,
)
from ._shapes import InvalidEventError
from ._status import AppOperation, AppStatus, AppStatusChange, app_status_change
from ._verify import InvalidTokenError, check_token, verify_token

__all__ = [  # noqa: RUF022 - plainly sorted(), as tests/*/test_init.py check
    "AppOperation",
    "AppStatus",
    "AppStatusChange",
    "Callback",
    "ClaimOutcome",
    "CursorStore",
    "CursorStoreError",
    "DEFAULT_CLAIM_TTL",
    "DEFAULT_DONE_TTL",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_MAX_POLL_INTERVAL",
    "DEFAULT_POLL_INTERVAL",
    "DEFAULT_SEARCH_DEADLINE",
    "DedupeStore",
    "EVENTS_LOGGER",
    "Event",
    "EventDispatcher",
    "EventPage",
    "EventPoller",
    "EventRunner",
    "FileCursorStore",
    "Handler",
    "HandlerAlreadyRegisteredError",
    "InMemoryDedupeStore",
    "InvalidEventError",
    "InvalidTokenError",
    "MemoryCursorStore",
    "Outcome",
    "PLATFORM_SEARCH_LIMIT",
    "PollerStats",
    "PullingClient",
    "RejectedEvent",
    "SearchAnswer",
    "SearchHandler",
    "UnknownEvent",
    "WebhookReceiver",
    "answer_search",
    "app_status_change",
    "check_token",
    "dedupe_key",
    "event_key",
    "parse_callback",
    "parse_event",
    "parse_page",
    "parse_search",
    "search_item",
    "search_result",
    "verify_token",
]
