"""What every way of receiving events does with one event: run its handler once.

The webhook receiver (events PUT to the app) and the poller (events pulled from the forwarder)
both hand each verified, typed event to an `EventRunner`, which claims it in the `DedupeStore`,
dispatches it, and marks it done, or releases it when the handler fails or is cancelled so that
the next delivery (or pull) handles it again. Only what they answer differs.

Every event is deduplicated: by its `event_id`, or, when it has none that can serve (missing,
empty, blank, longer than 255 characters, a lone surrogate), by a digest of the event itself, so
that an event is never refused for its id and never runs twice (`dedupe_key`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Mapping
from typing import Any, Final, Literal, TypeAlias

import anyio

from .._constants import LOGGER_NAME
from ._dedupe import ClaimOutcome, DedupeStore
from ._dispatcher import EventDispatcher, event_key
from ._parse import Event, UnknownEvent

__all__ = [
    "EVENTS_LOGGER",
    "EventRunner",
    "Outcome",
    "dedupe_key",
    "describe",
    "foreign_app",
    "loggable",
]

EVENTS_LOGGER: Final = f"{LOGGER_NAME}.events"
"""The logger of the receiver and the poller: refusals, duplicates and handler failures (never a
token or a body)."""

logger = logging.getLogger(EVENTS_LOGGER)

Outcome: TypeAlias = Literal["handled", "ignored", "duplicate", "in_progress"]
"""What became of one event: its handler ran (`ignored`: no handler takes it), it was handled
before (`duplicate`), or it is being handled right now elsewhere (`in_progress`)."""

# The longest event id used as it is to deduplicate; FinChat's are far shorter.
_MAX_EVENT_ID = 255


def loggable(text: str) -> str:
    """`text` safe for any log handler: a lone surrogate (valid JSON, no UTF-8) escaped."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def dedupe_key(event: Event, data: Mapping[str, Any] | None = None) -> str:
    """What deduplicates an event: its `event_id`, or, when it has no usable one (missing, empty,
    blank, too long, not encodable), a digest of the event as sent (`data`; by default what the
    event holds), so that a redelivery of it is still recognised: FinChat sends the same event
    again, byte for byte or at least key for key. Two events without an id and alike in every
    field are taken for one."""
    event_id = event.event_id
    if isinstance(event_id, str) and event_id.strip() and len(event_id) <= _MAX_EVENT_ID:
        try:
            event_id.encode("utf-8")
        except UnicodeEncodeError:
            pass
        else:
            return event_id
    if data is None:
        data = event.raw if isinstance(event, UnknownEvent) else event.to_dict()
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=repr)
    return "sha256:" + hashlib.sha256(canonical.encode("ascii")).hexdigest()


def describe(event: Event, key: str) -> str:
    """What a log line may say about an event: its kind and key, never its content."""
    event_type, msgtype = event_key(event)
    kind = event_type if msgtype is None else f"{event_type}/{msgtype}"
    shown = key if key == event.event_id else f"(no usable event_id; {key[:19]})"
    return loggable(f"{kind} {shown}")


def foreign_app(given: object, expected: str | None) -> bool:
    """Whether an envelope's (or pulled event's) `app_id` names another app than `expected`.
    No `app_id` (a revision-1 server), or no expected app, is never foreign."""
    return expected is not None and isinstance(given, str) and given != expected


class EventRunner:
    """Runs each event's handler once, through a `DedupeStore` (see the module docstring)."""

    def __init__(self, dispatcher: EventDispatcher, dedupe: DedupeStore) -> None:
        self.dispatcher = dispatcher
        self.dedupe = dedupe

    def __repr__(self) -> str:
        return f"<EventRunner {self.dispatcher!r} dedupe={self.dedupe!r}>"

    async def claim(self, event: Event, key: str) -> tuple[ClaimOutcome, str]:
        """Claim the event for a fresh owner: (`claimed`, owner) or why not. A store failure
        raises (nothing was claimed, nothing may run)."""
        owner = secrets.token_hex(8)
        outcome = await self.dedupe.claim(key, owner)
        if outcome == "done":
            logger.debug("duplicate of a handled event: %s", describe(event, key))
        elif outcome == "in_progress":
            logger.debug("duplicate of an event being handled: %s", describe(event, key))
        return outcome, owner

    async def run(self, event: Event, key: str, owner: str) -> bool:
        """Run the handler of an event claimed by `owner`; whether a handler took it.

        The handler's exception propagates, after the event is released for its next delivery;
        so does a cancellation (the release then shielded from it). A failure to mark the event
        done is only logged: the handler ran, and its claim lapses by itself.
        """
        try:
            handled = await self.dispatcher.dispatch(event)
        except Exception:
            logger.exception("handler failed for %s", describe(event, key))
            await self.dedupe.release(key, owner)
            raise
        except BaseException:
            # Cancelled (the server or the poller stopping): the event was not handled, so free
            # it for the redelivery now rather than after the claim lapses. Shielded, or the
            # release itself would be cancelled.
            with anyio.CancelScope(shield=True):
                await self.dedupe.release(key, owner)
            raise
        try:
            await self.dedupe.mark_done(key, owner)
        except Exception:
            # The handler ran; failing now would make it run again. Its claim lapses by itself.
            logger.exception("could not mark %s done", describe(event, key))
        if not handled:
            logger.debug("no handler for %s", describe(event, key))
        return handled

    async def handle(self, event: Event, key: str | None = None) -> Outcome:
        """Claim and run in one: what became of the event. The handler's exception propagates
        (the event released)."""
        if key is None:
            key = dedupe_key(event)
        outcome, owner = await self.claim(event, key)
        if outcome == "done":
            return "duplicate"
        if outcome == "in_progress":
            return "in_progress"
        return "handled" if await self.run(event, key, owner) else "ignored"
