"""`EventPoller`: the webhook receiver's work for events pulled from the forwarder.

For a bot that cannot take inbound HTTP: its callback address is the platform's forwarder, the
platform stores its events, and the poller pulls them a page at a time (`client.events.pull`)
and hands each to the same `EventRunner` the webhook receiver uses: the same dispatcher, the
same deduplication, so a handler is written once for either way of receiving.

The cursor (`CursorStore`) is saved only once every event of a page was handled: an event whose
handler failed, or that another poller is handling right now, keeps the cursor where it was, and
the page is pulled again later (its handled events are then duplicates, skipped). A pulled event
of a known kind that fails its checks is logged and passed: it can never be handled. When there
is nothing new, the poller waits longer each time, up to `max_poll_interval`; a full page is
followed at once by the next.

Transient failures (no connection, a server error, a rate limit, an unreadable answer) are
logged and retried after a growing wait. Failures no retry can cure (wrong secret, no privilege,
unknown app, a refused request) stop `run` with their exception.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Protocol

import anyio

from .._errors import (
    AuthenticationError,
    BadRequestError,
    FinChatError,
    NotFoundError,
    PermissionDeniedError,
)
from ._cursor import CursorStore, MemoryCursorStore
from ._dedupe import DedupeStore, InMemoryDedupeStore
from ._dispatcher import EventDispatcher
from ._handling import EVENTS_LOGGER, EventRunner, dedupe_key, describe, foreign_app, loggable
from ._parse import Event, EventPage, UnknownEvent

if TYPE_CHECKING:
    from finchat_openapi.types import Unset

__all__ = [
    "DEFAULT_MAX_POLL_INTERVAL",
    "DEFAULT_POLL_INTERVAL",
    "EventPoller",
    "PollerStats",
    "PullingClient",
]

DEFAULT_POLL_INTERVAL: Final = 1.0
"""Seconds to wait after an empty page, at first."""
DEFAULT_MAX_POLL_INTERVAL: Final = 15.0
"""The longest wait between pulls while nothing is new, or after failures."""
DEFAULT_POLL_PAGE_SIZE: Final = 100

logger = logging.getLogger(EVENTS_LOGGER)

# What no retry cures: the configuration is wrong (secret, privilege, app id, request).
_FATAL: Final = (AuthenticationError, PermissionDeniedError, NotFoundError, BadRequestError)


class _Puller(Protocol):
    async def pull(self, since: str | None = None, *, page_size: int = ...) -> EventPage: ...


class PullingClient(Protocol):
    """What the poller needs of its client: `AsyncFinChat` is one."""

    @property
    def app_id(self) -> str: ...

    @property
    def events(self) -> _Puller: ...


@dataclass
class PollerStats:
    """What a poller did since it was made."""

    pages: int = 0
    handled: int = 0
    ignored: int = 0
    duplicates: int = 0
    in_progress: int = 0
    failed: int = 0
    rejected: int = 0
    foreign: int = 0
    pull_failures: int = 0


def _seconds(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be seconds, not {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")
    return float(value)


def _app_of(event: Event) -> str | Unset | Any:
    return event.raw.get("app_id") if isinstance(event, UnknownEvent) else event.app_id


class EventPoller:
    """Pulls the app's stored events and runs their handlers once each.

    >>> async with AsyncFinChat.from_env() as client:
    ...     await EventPoller(client, events, cursor_store=FileCursorStore("bot.cursor")).run()

    `dedupe` and `cursor_store` default to this process's memory; for a poller that survives its
    restarts with nothing handled twice, give both a store outliving it (`FileCursorStore` or
    `RedisCursorStore`, and `RedisDedupeStore`). `run()` pulls until `stop()` or cancellation;
    either way the handler running at that moment is cancelled and its event freed for the next
    pull, and the cursor stays at the last page finished.
    """

    def __init__(
        self,
        client: PullingClient,
        dispatcher: EventDispatcher,
        *,
        cursor_store: CursorStore | None = None,
        dedupe: DedupeStore | None = None,
        page_size: int = DEFAULT_POLL_PAGE_SIZE,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
    ) -> None:
        if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
            raise ValueError(f"page_size must be an int of at least 1, not {page_size!r}")
        self.poll_interval = _seconds("poll_interval", poll_interval)
        self.max_poll_interval = _seconds("max_poll_interval", max_poll_interval)
        if self.max_poll_interval < self.poll_interval:
            raise ValueError("max_poll_interval must not be below poll_interval")
        self.client = client
        self.dispatcher = dispatcher
        self.cursor_store: CursorStore = (
            cursor_store if cursor_store is not None else MemoryCursorStore()
        )
        self.dedupe: DedupeStore = dedupe if dedupe is not None else InMemoryDedupeStore()
        self.page_size = page_size
        self.stats = PollerStats()
        self._runner = EventRunner(dispatcher, self.dedupe)
        self._since: str | None = None
        self._loaded = False
        self._stop = False
        # Made in `run`: an anyio event belongs to a running loop.
        self._wake: anyio.Event | None = None
        self._scope: anyio.CancelScope | None = None

    def __repr__(self) -> str:
        return (
            f"<EventPoller app_id={self.client.app_id!r} {self.dispatcher!r} "
            f"cursor_store={self.cursor_store!r} dedupe={self.dedupe!r}>"
        )

    @property
    def since(self) -> str | None:
        """The cursor: the `since` of the last page finished (None before any)."""
        return self._since

    def stop(self) -> None:
        """Make `run()` return: at once if it is waiting, else once the current event's handler
        is cancelled (that event is pulled again next time)."""
        self._stop = True
        if self._wake is not None:
            self._wake.set()
        if self._scope is not None:
            self._scope.cancel()

    async def poll_once(self) -> tuple[EventPage, bool]:
        """Pull one page after the cursor and handle its events; move the cursor past the page
        if every event of it is done. The page, and whether it was finished. Raises what the
        pull raises."""
        if not self._loaded:
            self._since = await self.cursor_store.load()
            self._loaded = True
        page = await self.client.events.pull(self._since, page_size=self.page_size)
        self.stats.pages += 1
        finished = await self._handle(page)
        if finished and page.since and page.since != self._since:
            # Shielded: a save that began completes, so the store is never left behind what
            # was handled (a file store replaces atomically either way).
            with anyio.CancelScope(shield=True):
                await self.cursor_store.save(page.since)
            self._since = page.since
        return page, finished

    async def _handle(self, page: EventPage) -> bool:
        finished = True
        app_id = self.client.app_id
        stats = self.stats
        for event in page.events:
            if foreign_app(_app_of(event), app_id):
                stats.foreign += 1
                logger.warning(
                    "pulled event passed: it is for app %s, this poller is app %s",
                    loggable(str(_app_of(event))),
                    app_id,
                )
                continue
            key = dedupe_key(event)
            try:
                outcome = await self._runner.handle(event, key)
            except Exception:
                # Logged and released by the runner: the page comes again.
                stats.failed += 1
                finished = False
                continue
            if outcome == "handled":
                stats.handled += 1
            elif outcome == "ignored":
                stats.ignored += 1
            elif outcome == "duplicate":
                stats.duplicates += 1
            else:
                stats.in_progress += 1
                finished = False
                logger.info("pulled event is being handled elsewhere: %s", describe(event, key))
        for rejected in page.rejected:
            stats.rejected += 1
            logger.warning("pulled event passed, it can never be handled: %s", rejected.error)
        return finished

    async def run(self) -> None:
        """Pull and handle until `stop()` (or cancellation). Raises a failure no retry cures."""
        self._wake = anyio.Event()
        try:
            await self._run()
        finally:
            self._stop = False  # a stopped poller may run again
            self._wake = None

    async def _run(self) -> None:
        wait = self.poll_interval
        while not self._stop:
            polled: tuple[EventPage, bool] | None = None
            try:
                with anyio.CancelScope() as self._scope:
                    polled = await self.poll_once()
            except _FATAL:
                raise
            except FinChatError as exc:
                self.stats.pull_failures += 1
                logger.warning(
                    "pulling events failed (%s: %s); again in %.1f s",
                    type(exc).__name__,
                    loggable(str(exc)),
                    wait,
                )
                await self._sleep(wait)
                wait = min(wait * 2, self.max_poll_interval)
                continue
            finally:
                self._scope = None
            if polled is None:  # stopped while pulling or handling
                return
            page, finished = polled
            if not finished:
                # A handler failed, or another poller holds an event: that page again, later.
                await self._sleep(wait)
                wait = min(wait * 2, self.max_poll_interval)
            elif len(page) >= self.page_size:
                wait = self.poll_interval  # more may be waiting: no pause
            elif len(page):
                wait = self.poll_interval
                await self._sleep(wait)
            else:
                await self._sleep(wait)
                wait = min(wait * 2, self.max_poll_interval)

    async def _sleep(self, seconds: float) -> None:
        assert self._wake is not None  # made by run, the only caller
        with anyio.move_on_after(seconds):
            await self._wake.wait()
