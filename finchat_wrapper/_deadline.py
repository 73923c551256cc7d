"""The overall deadline of a call, enforced while the answer is awaited and while it is read.

`RetryPolicy.deadline` bounds a whole call: its backoff, each attempt, and each attempt's reading
of the answer. Timeouts alone cannot do that: httpx's read timeout applies to each read, so a
server sending its headers and then one byte every half second would hold a call for as long as
it likes. So:

- `Deadline` is the point on the client's clock by which a call must end. Sending the request's
  own body (an upload's bytes) does not count against it: an upload that keeps moving is bounded
  by the write timeout of each chunk, never cut off by the deadline; the server's time to answer
  and to send its answer is.
- `AsyncFinChat` runs each attempt in `Deadline.enforced()` (`asyncio.timeout`, paused while the
  request body goes out), which ends it wherever it waits.
- `FinChat` cannot interrupt a blocking read from its own thread, and a thread per request is
  too dear. Each attempt's timeouts are capped to the time left (`_client`), which bounds the
  wait for the answer's headers; once they have arrived, `watch()` hands the connection's socket
  to one watchdog thread for the whole process, which shuts the socket down at the deadline: the
  blocked read returns at once and the call raises `DeadlineExceededError`. The body's reader
  (`_guard`) also checks the deadline at every chunk, which covers transports without a socket.
"""

from __future__ import annotations

import contextlib
import itertools
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

from ._errors import DeadlineExceededError

if TYPE_CHECKING:
    import asyncio

__all__ = ["DEADLINE_EXTENSION", "Deadline", "Watch", "watch"]

# The key of a request's `Deadline` in its httpx `extensions`: the client's hooks find it there,
# on the token request it causes too.
DEADLINE_EXTENSION = "finchat.deadline"


class Deadline:
    """The end of one call: `seconds` after it started on `clock`, not counting paused time."""

    __slots__ = ("_clock", "_paused_at", "_started", "_timeout", "seconds")

    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self.seconds = seconds
        self._clock = clock
        self._started = clock()
        self._paused_at: float | None = None
        self._timeout: asyncio.Timeout | None = None

    def __repr__(self) -> str:
        return f"Deadline(seconds={self.seconds:g}, left={self.left():.3f})"

    def elapsed(self) -> float:
        """Seconds counted against the deadline so far."""
        now = self._paused_at if self._paused_at is not None else self._clock()
        return now - self._started

    def left(self) -> float:
        return self.seconds - self.elapsed()

    def expired(self) -> bool:
        return self._paused_at is None and self.left() <= 0

    def pause(self) -> None:
        """Stop counting: the request body is being sent."""
        if self._paused_at is None:
            self._paused_at = self._clock()
            if self._timeout is not None:
                self._timeout.reschedule(None)

    def resume(self) -> None:
        """Count again (idempotent: the answer's arrival resumes it whatever the body did)."""
        if self._paused_at is not None:
            self._started += self._clock() - self._paused_at
            self._paused_at = None
            if self._timeout is not None:
                self._timeout.reschedule(_loop_time() + max(self.left(), 0.0))

    def exceeded(self, what: str) -> DeadlineExceededError:
        """The error for `what` (an operation, or where it stopped) when the deadline passed."""
        return DeadlineExceededError(
            f"{what}: the call's deadline of {self.seconds:g} s (RetryPolicy.deadline) passed",
            maybe_processed=True,
        )

    @contextlib.asynccontextmanager
    async def enforced(self, what: str) -> AsyncIterator[None]:
        """Cancel the block at the deadline (paused while a request body goes out); raise
        `DeadlineExceededError` for `what` then."""
        import asyncio

        timeout = asyncio.timeout(max(self.left(), 0.0))
        try:
            async with timeout:
                self._timeout = timeout
                yield
        except TimeoutError as exc:
            if timeout.expired():
                raise self.exceeded(what) from exc
            raise
        finally:
            self._timeout = None


def _loop_time() -> float:
    import asyncio

    return asyncio.get_running_loop().time()


class Watch:
    """A socket the watchdog shuts down at a point in time unless `cancel()` came first."""

    __slots__ = ("_dog", "_sock", "done", "fired")

    def __init__(self, dog: _Watchdog, sock: socket.socket) -> None:
        self._dog = dog
        self._sock = sock
        self.done = False
        self.fired = False

    def cancel(self) -> None:
        """Forget the socket. Called before its connection can go back to the pool: once this
        returns, the watchdog never touches the socket (both hold the watchdog's lock)."""
        with self._dog.lock:
            if not self.done:
                self.done = True
                self._dog.cancelled += 1

    def _fire(self) -> None:
        self.done = True
        self.fired = True
        # The plain socket's shutdown, also for TLS: SSLSocket.shutdown would drop its SSL object
        # under the reading thread. The blocked read returns at once. Closed already: no matter.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(self._sock, socket.SHUT_RDWR)


class _Watchdog:
    """One thread for the process, alive while something is watched, asleep until the nearest
    deadline."""

    def __init__(self) -> None:
        self.lock = threading.Condition()
        self.cancelled = 0
        self._heap: list[tuple[float, int, Watch]] = []
        self._order = itertools.count()
        self._running = False

    def watch(self, at: float, sock: socket.socket) -> Watch:
        import heapq  # here: importing the package loads nothing httpx does not load already

        entry = Watch(self, sock)
        with self.lock:
            self._prune()
            # The thread sleeps until the nearest entry: it needs waking only for a nearer one.
            # Deadlines of one client are mostly of one length, so a new one is rarely nearer,
            # and not waking the thread per request keeps it off the senders' GIL and lock.
            nearer = not self._heap or at < self._heap[0][0]
            heapq.heappush(self._heap, (at, next(self._order), entry))
            if not self._running:
                self._running = True
                threading.Thread(
                    target=self._run, name="finchat-deadline-watchdog", daemon=True
                ).start()
            elif nearer:
                self.lock.notify()
        return entry

    def _prune(self) -> None:
        import heapq

        # Most watches are cancelled long before their deadline: drop them in bulk, so a busy
        # client does not keep a minute's worth of finished requests in the heap.
        if self.cancelled > 64 and self.cancelled * 2 > len(self._heap):
            self._heap = [item for item in self._heap if not item[2].done]
            heapq.heapify(self._heap)
            self.cancelled = 0

    def _run(self) -> None:
        import heapq

        with self.lock:
            while self._heap:
                at, _, entry = self._heap[0]
                if entry.done:
                    heapq.heappop(self._heap)
                    self.cancelled = max(self.cancelled - 1, 0)
                    continue
                wait = at - time.monotonic()
                if wait > 0:
                    self.lock.wait(wait)
                    continue
                heapq.heappop(self._heap)
                entry._fire()
            self._running = False


_WATCHDOG = _Watchdog()


def watch(deadline: Deadline, sock: socket.socket) -> Watch:
    """Shut `sock` down when `deadline` passes (in real time), unless cancelled first."""
    return _WATCHDOG.watch(time.monotonic() + max(deadline.left(), 0.0), sock)
