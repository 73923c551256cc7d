"""What a fleet store does after a call returned: renew the leases its process holds, and finish
what a failed call left unknown.

A command that timed out on our side may still run on Redis: a stalled Redis executes what it
had received as soon as it resumes. So a store never leaves such a command to chance. What it
took (a claim, a lease) carries an owner value the store chose, and when the answer did not come,
the store *fences* that owner: one script marks the owner as given up, so that a late copy of the
command takes nothing, and deletes whatever the owner holds (compare-and-delete). That fence, a
release or a done mark that could not reach Redis, is a *chore*: retried here, with a short
backoff, until Redis takes it or it stops mattering. Leases are renewed here too, so a lease
lapses a few seconds after its holder stops renewing it (it died, or Redis stopped answering it),
not after the whole TTL the caller asked for.

`Chores` is the schedule, without I/O; `ThreadKeeper` (blocking stores) and `TaskKeeper` (asyncio
stores) carry it out, each on one worker that exists only while there is something to do.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import redis

__all__ = ["BACKOFF_CAP", "MAX_CHORES", "Chore", "Chores", "TaskKeeper", "ThreadKeeper"]

logger = logging.getLogger("finchat.fleet")

BACKOFF_CAP: Final = 0.5
"""Seconds at most between two attempts of a chore while Redis fails: once Redis is back, every
chore is done within this (plus one answer)."""
_BACKOFF_FIRST: Final = 0.05
# Seconds an idle keeper thread waits for the next chore before it ends: a process fetching tokens
# in a burst (one lease each) then reuses one thread.
_LINGER: Final = 5.0
MAX_CHORES: Final = 10_000
"""Chores a store keeps at most. Only a Redis that stays down while traffic goes on fills it
(one chore per failed call); the oldest one-off is then forgotten, and its claim or lease lapses
by its TTL instead."""


@dataclass(eq=False)
class Chore:
    """One thing to get done in Redis. `run` makes one attempt (returns the reply, or with an
    asyncio store an awaitable of it) and raises a `redis.RedisError` if Redis did not answer.

    A one-off (`every` is None) is done once an attempt succeeds. A renewal runs every `every`
    seconds until cancelled, until its reply is 0 (what it renews is gone), or until `until`.
    Either is dropped at `until` (clock time), when it no longer matters.
    """

    what: str
    run: Callable[[], Any]
    until: float
    every: float | None = None
    due: float = 0.0
    failures: int = 0


class Chores:
    """The schedule of a store's chores: what is due when, and what an attempt's outcome means.
    No I/O and no locking: the keeper that owns it serialises every call."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, limit: int = MAX_CHORES):
        self.clock = clock
        self._limit = limit
        self._chores: list[Chore] = []

    def __len__(self) -> int:
        return len(self._chores)

    def add(self, chore: Chore, *, delay: float = 0.0) -> Chore:
        chore.due = self.clock() + delay
        if len(self._chores) >= self._limit:
            one_offs = [c for c in self._chores if c.every is None]
            if one_offs:
                oldest = min(one_offs, key=lambda c: c.until)
                self._chores.remove(oldest)
                logger.warning(
                    "fleet store: more than %d chores waiting for Redis; gave up on a %s",
                    self._limit,
                    oldest.what,
                )
        self._chores.append(chore)
        return chore

    def cancel(self, chore: Chore) -> None:
        with contextlib.suppress(ValueError):
            self._chores.remove(chore)

    def clear(self) -> int:
        """Forget every chore; return how many one-offs were still undone."""
        undone = sum(1 for c in self._chores if c.every is None)
        self._chores.clear()
        return undone

    def next(self) -> float | None:
        """When the next chore is due (clock time), or None when there is nothing to do."""
        self._expire()
        return min((c.due for c in self._chores), default=None)

    def take(self) -> list[Chore]:
        """The chores due now, earliest first. They stay scheduled until their outcome is told."""
        self._expire()
        now = self.clock()
        return sorted((c for c in self._chores if c.due <= now), key=lambda c: c.due)

    def succeeded(self, chore: Chore, reply: Any) -> None:
        if chore not in self._chores:
            return  # cancelled while it ran
        if chore.every is None or reply == 0:
            self._chores.remove(chore)
            return
        chore.failures = 0
        chore.due = self.clock() + chore.every

    def failed(self, chore: Chore) -> None:
        """Redis did not answer (this chore, or one before it in the same round)."""
        if chore not in self._chores:
            return
        chore.failures += 1
        backoff = min(BACKOFF_CAP, _BACKOFF_FIRST * 2 ** (chore.failures - 1))
        if chore.every is not None:
            backoff = min(backoff, chore.every)
        chore.due = self.clock() + backoff

    def attempt_failed(self, due: list[Chore], index: int, exc: Exception) -> bool:
        """The attempt of `due[index]` in a round raised `exc`. Redis not answering puts that
        chore and the rest of the round on backoff, and ends the round (True): the rest would
        only wait as long. Anything else is a bug: logged, and the chore dropped (False)."""
        chore = due[index]
        if not _attempt_failed(chore, exc):
            self.cancel(chore)
            return False
        for waiting in due[index:]:
            self.failed(waiting)
        return True

    def _expire(self) -> None:
        now = self.clock()
        expired = [c for c in self._chores if c.until <= now]
        for chore in expired:
            self._chores.remove(chore)
            if chore.every is None:
                logger.warning("fleet store: Redis did not answer in time for a %s", chore.what)


def _attempt_failed(chore: Chore, exc: Exception) -> bool:
    """True if `exc` means "try again later"; anything else is a bug, logged, and dropped."""
    if isinstance(exc, redis.RedisError):
        logger.debug("fleet store: %s failed (%s); will retry", chore.what, type(exc).__name__)
        return True
    logger.error("fleet store: %s failed", chore.what, exc_info=exc)
    return False


class ThreadKeeper:
    """Carries out a blocking store's chores on a daemon thread, started when there is a chore
    and ending when there is none."""

    def __init__(self, name: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._name = name
        self._chores = Chores(clock)
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def __len__(self) -> int:
        with self._cond:
            return len(self._chores)

    def add(self, chore: Chore, *, delay: float = 0.0) -> Chore:
        with self._cond:
            if self._closed:
                return chore
            self._chores.add(chore, delay=delay)
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name=self._name, daemon=True)
                self._thread.start()
            self._cond.notify()
        return chore

    def cancel(self, chore: Chore) -> None:
        with self._cond:
            self._chores.cancel(chore)

    def close(self) -> None:
        """Forget every chore and let the thread end (an attempt under way finishes first)."""
        with self._cond:
            self._closed = True
            undone = self._chores.clear()
            self._cond.notify()
        if undone:
            logger.warning("fleet store closed with %d chores Redis never took", undone)

    def _work(self) -> None:
        while True:
            with self._cond:
                due = self._wait()
                if not due:
                    self._thread = None
                    return
            self._round(due)

    def _wait(self) -> list[Chore]:
        idle_since: float | None = None
        while not self._closed:
            now = self._chores.clock()
            when = self._chores.next()
            if when is None:
                idle_since = now if idle_since is None else idle_since
                if now - idle_since >= _LINGER:
                    return []
                self._cond.wait(_LINGER - (now - idle_since))
                continue
            idle_since = None
            if when <= now:
                return self._chores.take()
            self._cond.wait(when - now)
        return []

    def _round(self, due: list[Chore]) -> None:
        for index, chore in enumerate(due):
            try:
                reply = chore.run()
            except Exception as exc:
                with self._cond:
                    if self._chores.attempt_failed(due, index, exc):
                        return
                continue
            with self._cond:
                self._chores.succeeded(chore, reply)


class TaskKeeper:
    """`ThreadKeeper` for an asyncio store: one task on the store's event loop."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._chores = Chores(clock)
        self._task: asyncio.Task[None] | None = None
        # Made with the task: an asyncio.Event belongs to the loop that first waits on it.
        self._wake: asyncio.Event | None = None
        self._closed = False

    def __len__(self) -> int:
        return len(self._chores)

    def add(self, chore: Chore, *, delay: float = 0.0) -> Chore:
        if self._closed:
            return chore
        self._chores.add(chore, delay=delay)
        if self._task is None or self._wake is None:
            self._wake = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._work(self._wake))
        self._wake.set()
        return chore

    def cancel(self, chore: Chore) -> None:
        self._chores.cancel(chore)

    async def aclose(self) -> None:
        self._closed = True
        undone = self._chores.clear()
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if undone:
            logger.warning("fleet store closed with %d chores Redis never took", undone)

    async def _work(self, wake: asyncio.Event) -> None:
        try:
            while True:
                when = self._chores.next()
                if when is None:
                    return
                delay = when - self._chores.clock()
                if delay > 0:
                    wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(wake.wait(), delay)
                    continue
                await self._round(self._chores.take())
        finally:
            if self._task is asyncio.current_task():
                self._task = None

    async def _round(self, due: list[Chore]) -> None:
        for index, chore in enumerate(due):
            try:
                reply = chore.run()
                if inspect.isawaitable(reply):
                    reply = await reply
            except Exception as exc:
                if self._chores.attempt_failed(due, index, exc):
                    return
                continue
            self._chores.succeeded(chore, reply)
