"""Written as a bot author would use `finchat_wrapper.events`; checked by `mypy --strict`.

Never run (tests/events/test_typing.py type-checks it). Each `type: ignore[code]` marks a use that
must stay a type error: strict mode's warn_unused_ignores fails the check if it stops being one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, assert_type

from finchat_openapi.models import CuiSubmitEvent, MentionEvent, MessageEvent, RoomCreateEvent

from finchat_wrapper.events import (
    Callback,
    ClaimOutcome,
    DedupeStore,
    Event,
    EventDispatcher,
    InMemoryDedupeStore,
    UnknownEvent,
    WebhookReceiver,
    parse_callback,
    parse_event,
    verify_token,
)

events = EventDispatcher()


@events.on_message
async def echo(event: MessageEvent) -> None: ...


@events.on_mention
def answer(event: MentionEvent) -> None: ...


@events.on_cui_submit
async def submitted(event: CuiSubmitEvent) -> None: ...


@events.on("finstore.room.leave")
def left(event: Event) -> None: ...


@events.fallback
async def anything(event: Event) -> None: ...


assert_type(answer(parse_event(b"{}")), None)  # type: ignore[arg-type]  # the decorator keeps the signature
events.on_room_created(echo)  # type: ignore[type-var]  # a message handler cannot take room events


def created(event: RoomCreateEvent) -> None: ...


events.on_message(created)  # type: ignore[type-var]

event = parse_event(b"{}")
if isinstance(event, UnknownEvent):
    assert_type(event.raw, Mapping[str, Any])
elif isinstance(event, MessageEvent):
    assert_type(event.content.body, str)

callback = parse_callback("{}")
assert_type(callback, Callback)
assert_type(verify_token(callback, "expected"), bool)


class MyStore:
    async def claim(self, event_id: str, owner: str) -> ClaimOutcome:
        return "claimed"

    async def mark_done(self, event_id: str, owner: str) -> None: ...

    async def release(self, event_id: str, owner: str) -> None: ...


store: DedupeStore = MyStore()
store = InMemoryDedupeStore(claim_ttl=60)
receiver = WebhookReceiver(events, token="t", dedupe=store, max_body_bytes=65536, ack_first=True)
WebhookReceiver(events)  # type: ignore[call-arg]  # the token is required
