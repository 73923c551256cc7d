"""`Deadline` on a clock the test moves, and the watchdog that enforces it on sync sockets."""

from __future__ import annotations

import socket
import threading
import time

from finchat_wrapper import DeadlineExceededError
from finchat_wrapper._deadline import Deadline, watch
from finchat_wrapper._retry import RetryPolicy, decide_retry

from .conftest import FakeClock


def test_time_spent_paused_does_not_count() -> None:
    clock = FakeClock()
    deadline = Deadline(10, clock)
    clock.advance(3)
    deadline.pause()
    clock.advance(100)  # an upload's bytes going out
    assert not deadline.expired()
    deadline.resume()
    deadline.resume()  # idempotent: the answer's arrival resumes it again
    assert deadline.left() == 7
    clock.advance(7)
    assert deadline.expired()


def test_the_deadline_error_is_a_timeout_that_is_never_retried() -> None:
    error = Deadline(3, FakeClock()).exceeded("get_user")
    assert isinstance(error, DeadlineExceededError)
    assert "3 s" in str(error)
    # Even with a clock that says no time passed, as a test's clock may.
    delay = decide_retry(
        error, safe=True, retries_done=0, max_retries=5, elapsed=0, policy=RetryPolicy(), now=0
    )
    assert delay is None


def test_the_watchdog_shuts_a_blocked_socket_down_at_the_deadline() -> None:
    reader, writer = socket.socketpair()
    with reader, writer:
        watched = watch(Deadline(0.2, time.monotonic), reader)
        started = time.monotonic()
        assert reader.recv(10) == b""  # blocked until the watchdog shut the socket down
        assert watched.fired
        assert time.monotonic() - started < 10


def test_a_cancelled_watch_never_touches_its_socket() -> None:
    reader, writer = socket.socketpair()
    spare, _ = socket.socketpair()
    with reader, writer, spare, _:
        watched = watch(Deadline(0.05, time.monotonic), reader)
        watched.cancel()
        other = watch(Deadline(0.1, time.monotonic), spare)  # fires after the cancelled one
        threading.Event().wait(0.3)
        assert not watched.fired
        assert other.fired
        writer.sendall(b"still open")
        assert reader.recv(10) == b"still open"


def test_a_nearer_watch_wakes_the_watchdog_and_a_later_one_waits_its_turn() -> None:
    # The watchdog sleeps until its nearest entry and is woken only for a nearer one: a watch
    # nearer than the one it sleeps for still fires on time, and one behind it fires after it.
    far_r, far_w = socket.socketpair()
    near_r, near_w = socket.socketpair()
    later_r, later_w = socket.socketpair()
    with far_r, far_w, near_r, near_w, later_r, later_w:
        far = watch(Deadline(30, time.monotonic), far_r)
        near = watch(Deadline(0.2, time.monotonic), near_r)
        later = watch(Deadline(0.4, time.monotonic), later_r)
        started = time.monotonic()
        assert near_r.recv(10) == b""
        assert near.fired
        assert time.monotonic() - started < 10  # not the 30 s of the entry it slept for first
        assert later_r.recv(10) == b""
        assert later.fired
        assert not far.fired
        far.cancel()
