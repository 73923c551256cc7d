"""Remembering which events were handled, so a redelivered event runs its handler once.

FinChat delivers an event again until the app answers 200, keeping its `event_id`. The receiver
claims each `event_id` in a `DedupeStore` before handling it, marks it done on success, and
releases it when the handler fails so that the next delivery is handled again.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Final, Literal, Protocol, TypeAlias, runtime_checkable

ClaimOutcome: TypeAlias = Literal["claimed", "in_progress", "done"]

DEFAULT_CLAIM_TTL: Final = 300.0
"""Seconds a claim lasts before it lapses: longer than any handler should run."""
DEFAULT_DONE_TTL: Final = 24 * 3600.0
"""Seconds an `event_id` stays marked done: longer than the platform keeps redelivering."""
DEFAULT_MAX_ENTRIES: Final = 100_000


@runtime_checkable
class DedupeStore(Protocol):
    """Where the receiver records, per `event_id`, that an event is being handled or was handled.

    An entry is absent, *claimed* by one owner, or *done*. All methods are coroutines so that a
    store shared between processes (Redis) fits; all must be safe to call concurrently.

    `claim(event_id, owner)`
        Atomically: if the entry is absent (or lapsed), make it claimed by `owner` for the store's
        claim TTL and return `"claimed"`; if it is claimed, return `"in_progress"`; if it is done,
        return `"done"`. Exactly one of any number of concurrent callers, in any process sharing
        the store, may get `"claimed"`. `owner` is a fresh random string per delivery. The claim
        TTL bounds how long a crashed process blocks redelivery; it must outlast a handler.
        (Redis: `SET key owner NX PX claim_ttl`; if that did not set, `GET key` is `"done"` or an
        owner. Treat a key that vanished between the two calls as `"in_progress"`.)

    `mark_done(event_id, owner)`
        The handler succeeded: make the entry done for the store's done TTL, which must cover the
        platform's redelivery window. Unconditional: even if the claim lapsed meanwhile, the event
        was handled. (Redis: `SET key "done" PX done_ttl`.)

    `release(event_id, owner)`
        The handler failed: remove the entry *only if* it is still claimed by `owner`, so that the
        next delivery is handled again; a done entry, or a claim by another owner after this one
        lapsed, is left alone. (Redis: a Lua compare-and-delete, `if GET key == owner then DEL`.)

    Owners are never equal to `"done"`. The receiver calls `release` or `mark_done` exactly once
    after each `"claimed"` (unless its process dies: the claim then lapses), and neither after any
    other outcome. A method may raise when the store is unreachable: a failed `claim` makes the
    receiver answer 500 (the platform delivers again), a failed `mark_done` is logged and the
    answer stays 200 (the handler did run).
    """

    async def claim(self, event_id: str, owner: str) -> ClaimOutcome: ...

    async def mark_done(self, event_id: str, owner: str) -> None: ...

    async def release(self, event_id: str, owner: str) -> None: ...


_DONE: Final = "done"


class InMemoryDedupeStore:
    """A `DedupeStore` for one process (the default): entries in a dict, expired by TTL.

    Atomic because its methods never await: call it from one event loop. At most `max_entries`
    are kept; beyond that the least recently written done entries are forgotten first (a claim in
    progress is never evicted). Several receiver processes need a shared store instead (Redis).
    """

    def __init__(
        self,
        *,
        claim_ttl: float = DEFAULT_CLAIM_TTL,
        done_ttl: float = DEFAULT_DONE_TTL,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if claim_ttl <= 0 or done_ttl <= 0:
            raise ValueError("claim_ttl and done_ttl must be positive")
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self._claim_ttl = claim_ttl
        self._done_ttl = done_ttl
        self._max_entries = max_entries
        self._clock = clock
        # event_id -> (owner or "done", expiry); ordered by last write, oldest first.
        self._entries: OrderedDict[str, tuple[str, float]] = OrderedDict()

    def __repr__(self) -> str:
        return (
            f"<InMemoryDedupeStore entries={len(self._entries)} claim_ttl={self._claim_ttl} "
            f"done_ttl={self._done_ttl} max_entries={self._max_entries}>"
        )

    def __len__(self) -> int:
        return len(self._entries)

    def _write(self, event_id: str, value: str, ttl: float, now: float) -> None:
        entries = self._entries
        entries[event_id] = (value, now + ttl)
        entries.move_to_end(event_id)
        # Most writes find the oldest entry unexpired and the store under its limit: one look.
        if len(entries) > self._max_entries or next(iter(entries.values()))[1] <= now:
            self._evict(now)

    def _evict(self, now: float) -> None:
        # Expired entries at the front go first; then, while over the limit, the oldest done ones.
        # A claim met at the front is moved to the back: it is in use and will be rewritten soon.
        budget = len(self._entries)
        while self._entries and budget > 0:
            budget -= 1
            event_id, (value, expiry) = next(iter(self._entries.items()))
            if expiry <= now:
                del self._entries[event_id]
            elif len(self._entries) <= self._max_entries:
                return
            elif value == _DONE:
                del self._entries[event_id]
            else:
                self._entries.move_to_end(event_id)

    async def claim(self, event_id: str, owner: str) -> ClaimOutcome:
        now = self._clock()
        entry = self._entries.get(event_id)
        if entry is not None and entry[1] > now:
            return "done" if entry[0] == _DONE else "in_progress"
        self._write(event_id, owner, self._claim_ttl, now)
        return "claimed"

    async def mark_done(self, event_id: str, owner: str) -> None:
        now = self._clock()
        self._write(event_id, _DONE, self._done_ttl, now)

    async def release(self, event_id: str, owner: str) -> None:
        entry = self._entries.get(event_id)
        if entry is not None and entry[0] == owner:
            del self._entries[event_id]
