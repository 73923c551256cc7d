"""What changed in a sandbox, in order: the feed a browser page follows to stay live.

The state publishes a `Change` whenever a room gets a message, a CUI card is updated, a room is
created or changed, a delivery attempt ends or a search is answered; the sandbox does for
callbacks and fault plans. Publishing costs a lock and an append, whoever listens: it happens in
the thread that changed the state (a served sandbox's, a test's, the in-process transport's), and
each follower, an asyncio task on its own loop, is woken with `call_soon_threadsafe`.

The feed keeps the last `keep` changes. A follower that fell further behind (or resumes from a
sequence number the feed no longer has) gets `None` instead of the changes it missed: it must
reload what it shows. Memory stays bounded, however long the sandbox runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import threading
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

__all__ = ["Change", "ChangeFeed", "Gap"]

# Kinds of change, and what `data` holds for each.
MESSAGE = "message"  # a message as `SentMessage` has it, new or with a CUI card's new content
ROOM = "room"  # a room (`Room` fields) that was created, or as a group room update left it
DELIVERY = "delivery"  # a `CallbackAttempt` that ended
SEARCH = "search"  # a `SearchRecord`: a search sent to an app, and what the user got
WORLD = "world"  # {"what": ...}: a callback or a fault plan was set or removed


@dataclass(frozen=True)
class Change:
    seq: int
    kind: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Gap:
    """Changes up to `seq` were missed: reload what depends on them, then follow from `seq`."""

    seq: int


class ChangeFeed:
    def __init__(self, keep: int = 4096) -> None:
        if keep < 1:
            raise ValueError("a change feed keeps at least one change")
        self._lock = threading.Lock()
        self._changes: deque[Change] = deque(maxlen=keep)
        self._seq = 0
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        # Bumped by `close()`: the followers of an earlier generation end, later ones may start.
        self._generation = 0

    @property
    def seq(self) -> int:
        """The sequence number of the latest change (0 before any)."""
        return self._seq

    def publish(self, kind: str, data: dict[str, Any]) -> Change:
        with self._lock:
            self._seq += 1
            change = Change(self._seq, kind, data)
            self._changes.append(change)
            waiters = list(self._waiters)
        for loop, event in waiters:
            _wake(loop, event)
        return change

    def since(self, seq: int) -> list[Change] | Gap:
        """The changes after `seq`, oldest first; a `Gap` when some are no longer kept, or when
        `seq` is not one of this feed's (a page still open from an earlier sandbox)."""
        with self._lock:
            if seq == self._seq:
                return []
            oldest = self._changes[0].seq if self._changes else self._seq + 1
            if seq < 0 or seq > self._seq or seq + 1 < oldest:
                return Gap(self._seq)
            return list(itertools.islice(self._changes, seq + 1 - oldest, None))

    def close(self) -> None:
        """End every `follow()` running now: the server is about to stop, and an open stream
        would hold up its shutdown. The feed itself goes on (the sandbox may be served again)."""
        with self._lock:
            self._generation += 1
            waiters = list(self._waiters)
        for loop, event in waiters:
            _wake(loop, event)

    async def follow(self, seq: int, *, idle: float = 15.0) -> AsyncIterator[list[Change] | Gap]:
        """Batches of changes after `seq` as they come; a `Gap` when some are no longer kept
        (the follower reloads, and continues from the gap's `seq`); `[]` after `idle` seconds
        without any, so that a stream can send a keep-alive. Ends when the feed is closed."""
        event = asyncio.Event()
        waiter = (asyncio.get_running_loop(), event)
        with self._lock:
            self._waiters.add(waiter)
            generation = self._generation
        try:
            while generation == self._generation:
                event.clear()
                batch = self.since(seq)
                if isinstance(batch, Gap):
                    seq = batch.seq
                    yield batch
                    continue
                if batch:
                    seq = batch[-1].seq
                    yield batch
                    continue
                try:
                    await asyncio.wait_for(event.wait(), idle)
                except TimeoutError:
                    yield []
        finally:
            with self._lock:
                self._waiters.discard(waiter)


def _wake(loop: asyncio.AbstractEventLoop, event: asyncio.Event) -> None:
    # A closed loop raises RuntimeError: its follower is gone with it.
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(event.set)
