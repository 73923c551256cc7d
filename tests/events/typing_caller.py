"""Written as a bot author would use `finchat_wrapper.events`; checked by `mypy --strict`.

Never run (tests/events/test_typing.py type-checks it). Each `type: ignore[code]` marks a use that
must stay a type error: strict mode's warn_unused_ignores fails the check if it stops being one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, assert_type

from finchat_openapi.models import (
    AllRoomsMessageEvent,
    AppStatusEvent,
    CuiSubmitEvent,
    MentionEvent,
    MessageEvent,
    RoomCreateEvent,
    SearchEvent,
    SearchResult,
    WebhookEvent,
)

from finchat_wrapper import AsyncFinChat, FinChat
from finchat_wrapper.events import (
    AppStatus,
    Callback,
    ClaimOutcome,
    CursorStore,
    DedupeStore,
    Event,
    EventDispatcher,
    EventPage,
    EventPoller,
    FileCursorStore,
    InMemoryDedupeStore,
    MemoryCursorStore,
    UnknownEvent,
    WebhookReceiver,
    app_status_change,
    parse_callback,
    parse_event,
    parse_search,
    search_item,
    search_result,
    verify_token,
)

events = EventDispatcher()


@events.on_message
async def echo(event: MessageEvent) -> None:
    assert_type(event.room_id, str)  # a message is always in a room: no cast, no Unset


@events.on_mention
def answer(event: MentionEvent) -> None: ...


@events.on_all_rooms_message
def audit(event: AllRoomsMessageEvent) -> None:
    assert_type(event.receivers, list[str])  # required for this kind: no Unset to narrow
    assert_type(event.room_id, str)


@events.on_webhook
async def pushed(event: WebhookEvent) -> None:
    assert_type(event.webhook_id, str)


@events.on_app_status
def status(event: AppStatusEvent) -> None:
    assert_type(app_status_change(event).to_status, AppStatus | None)


@events.on_search
async def find(event: SearchEvent) -> SearchResult:
    assert_type(event.content.search_text, str)
    assert_type(event.content.page_no, int)
    return search_result([search_item("title", "text", url="https://example.org")], total=1)


def find_sync(event: SearchEvent) -> SearchResult:
    return search_result()


EventDispatcher().on_search(find_sync)
EventDispatcher().on_search(echo)  # type: ignore[type-var]  # a search handler takes a search


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
assert_type(callback, Callback[Event])
assert_type(callback.app_id, str | None)
assert_type(verify_token(callback, "expected"), bool)
assert_type(parse_search("{}").event, SearchEvent)


class MyStore:
    async def claim(self, event_id: str, owner: str) -> ClaimOutcome:
        return "claimed"

    async def mark_done(self, event_id: str, owner: str) -> None: ...

    async def release(self, event_id: str, owner: str) -> None: ...


store: DedupeStore = MyStore()
store = InMemoryDedupeStore(claim_ttl=60)
receiver = WebhookReceiver(events, token="t", dedupe=store, max_body_bytes=65536, ack_first=True)
WebhookReceiver(events)  # type: ignore[call-arg]  # the token is required
WebhookReceiver(
    events, token="t", app_id="app", search_deadline=3.0, search_fallback=search_result()
)


async def pulling(client: AsyncFinChat, sync_client: FinChat) -> None:
    page = await client.events.pull(page_size=50)
    assert_type(page, EventPage)
    assert_type(page.since, str)
    async for each in client.events.iter_pages(page.since):
        assert_type(each.events, tuple[Event, ...])
    assert_type(sync_client.events.pull("cursor"), EventPage)
    cursor: CursorStore = FileCursorStore("bot.cursor")
    cursor = MemoryCursorStore()
    poller = EventPoller(client, events, cursor_store=cursor, dedupe=store, page_size=50)
    await poller.run()
    EventPoller(sync_client, events)  # type: ignore[arg-type]  # the poller is asyncio
