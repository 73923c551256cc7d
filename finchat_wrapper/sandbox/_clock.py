"""The sandbox's time: the wall clock, or a `VirtualClock` that moves only when told.

The document's delivery rules speak in minutes and hours (redelivery up to every 10 minutes,
events dropped after an hour of failures). A sandbox built with `clock=VirtualClock()` keeps its
redeliveries as timers on that clock, and `await clock.advance(3600)` runs every one of them that
falls due within that hour, in time order, each at its own moment (the clock reads that moment
while it runs) and each to its end (a redelivery's HTTP attempt included) before the next: an
hour of the rules in milliseconds, in the order the platform would have followed. Token expiry and
event timestamps read the same clock.

With the wall clock (any `Callable[[], float]`, `time.time` by default) timers are asyncio tasks
sleeping on the loop that scheduled them.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import math
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

__all__ = ["SandboxClock", "Timer", "VirtualClock", "WallClock", "clock_of"]

Callback = Callable[[], Awaitable[None]]


class Timer(Protocol):
    def cancel(self) -> None: ...


class SandboxClock(Protocol):
    """What the sandbox needs of a clock: the time (seconds since the epoch) and timers."""

    def __call__(self) -> float: ...

    def call_later(self, delay: float, callback: Callback) -> Timer: ...


class _TaskTimer:
    def __init__(self, task: asyncio.Task[None]) -> None:
        self._task = task

    def cancel(self) -> None:
        """Cancel the timer's task, from its loop or from any other thread."""
        loop = self._task.get_loop()
        if self._task.done() or loop.is_closed():
            return
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._task.cancel()
        else:
            loop.call_soon_threadsafe(self._task.cancel)


class WallClock:
    """Real time: `now` (by default `time.time`), timers as tasks on the running loop."""

    def __init__(self, now: Callable[[], float] = time.time) -> None:
        self._now = now
        self._tasks: set[asyncio.Task[None]] = set()

    def __call__(self) -> float:
        return self._now()

    def call_later(self, delay: float, callback: Callback) -> Timer:
        async def later() -> None:
            await asyncio.sleep(delay)
            await callback()

        task = asyncio.get_running_loop().create_task(later())
        # Keep a reference: the loop holds only weak ones, and a collected task never finishes.
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return _TaskTimer(task)

    async def drain(self) -> None:
        """Wait for every timer scheduled on this loop to have run."""
        loop = asyncio.get_running_loop()
        while mine := [t for t in self._tasks if t.get_loop() is loop]:
            await asyncio.gather(*mine, return_exceptions=True)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()


class _VirtualTimer:
    def __init__(self, due: float) -> None:
        self.due = due
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class VirtualClock:
    """Time that stands still until `advance` moves it, running the timers on the way.

    >>> clock = VirtualClock()
    >>> sb = Sandbox(clock=clock, ...)
    >>> await clock.advance(3600)   # an hour of redeliveries, in milliseconds
    """

    def __init__(self, start: float = 1_750_000_000.0) -> None:
        self._now = float(start)
        self._timers: list[tuple[float, int, _VirtualTimer, Callback]] = []
        self._order = itertools.count()
        self._advancing = asyncio.Lock()

    def __repr__(self) -> str:
        return f"VirtualClock(now={self._now}, timers={self.pending})"

    def __call__(self) -> float:
        return self._now

    @property
    def pending(self) -> int:
        """Timers not yet run (nor cancelled)."""
        return sum(1 for _, _, timer, _ in self._timers if not timer.cancelled)

    @property
    def next_due(self) -> float | None:
        """When the next timer falls due, or None."""
        due = [d for d, _, timer, _ in self._timers if not timer.cancelled]
        return min(due) if due else None

    def call_later(self, delay: float, callback: Callback) -> Timer:
        timer = _VirtualTimer(self._now + max(delay, 0.0))
        heapq.heappush(self._timers, (timer.due, next(self._order), timer, callback))
        return timer

    async def advance(self, seconds: float) -> None:
        """Move time forward by `seconds`, running each timer that falls due on the way at its
        moment, in order, to its end; timers they schedule within the span run too."""
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"a clock advances by a finite, non-negative span, not {seconds!r}")
        async with self._advancing:
            target = self._now + seconds
            while self._timers and self._timers[0][0] <= target:
                due, _, timer, callback = heapq.heappop(self._timers)
                if timer.cancelled:
                    continue
                self._now = max(self._now, due)
                await callback()
            self._now = target

    async def run_timers(self, limit: float = 365 * 24 * 3600.0) -> None:
        """Advance to each next timer until none is left (or `limit` seconds have passed)."""
        end = self._now + limit
        while (due := self.next_due) is not None and due <= end:
            await self.advance(due - self._now)


def clock_of(clock: Callable[[], float]) -> SandboxClock:
    """The sandbox clock for what `Sandbox(clock=...)` was given."""
    if isinstance(clock, VirtualClock | WallClock):
        return clock
    return WallClock(clock)
