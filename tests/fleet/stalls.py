"""Stalling a real redis-server at the exact moment a store sends one operation.

`stall_next(store, "claim", server, seconds=1.0)` wraps that one method of that one store object:
its next call first SIGSTOPs the server (or SIGKILLs it, `kill=True`), then sends the operation,
which thus reaches a Redis that reads nothing; a timer resumes (or restarts) the server after
`seconds`. The store itself is the real one: only the moment of the fault is chosen here.
"""

from __future__ import annotations

import functools
import inspect
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .conftest import RedisServer


@dataclass
class Stall:
    """One stall: when it began (monotonic) and, once the server is back, when it ended."""

    operation: str
    kill: bool
    seconds: float
    began: float = 0.0
    ended: float = 0.0
    timer: threading.Timer | None = None

    def wait_until_over(self, timeout: float = 30.0) -> None:
        assert self.timer is not None, f"the stall at {self.operation} never began"
        self.timer.join(timeout)
        assert not self.timer.is_alive(), "the server was not brought back in time"


def begin(server: RedisServer, stall: Stall, then: Callable[[], None] | None = None) -> None:
    """Stop (or kill) `server` now and bring it back after `stall.seconds`, from a timer (which
    calls `then` once it is back)."""

    def end() -> None:
        if stall.kill:
            server.start()
        else:
            server.resume()
        stall.ended = time.monotonic()
        if then is not None:
            then()

    stall.began = time.monotonic()
    if stall.kill:
        server.stop()
    else:
        server.pause()
    stall.timer = threading.Timer(stall.seconds, end)
    stall.timer.daemon = True
    stall.timer.start()


def stall_next(
    store: Any, operation: str, server: RedisServer, *, seconds: float, kill: bool = False
) -> Stall:
    """Make the next call of `store.<operation>` meet a stall of `seconds`; later calls do not."""
    original = getattr(store, operation)
    stall = Stall(operation, kill, seconds)
    armed = [True]

    def trigger() -> None:
        if armed[0]:
            armed[0] = False
            begin(server, stall)

    if inspect.iscoroutinefunction(original):

        @functools.wraps(original)
        async def async_wrapper(*args: Any) -> Any:
            trigger()
            return await original(*args)

        setattr(store, operation, async_wrapper)
    else:

        @functools.wraps(original)
        def wrapper(*args: Any) -> Any:
            trigger()
            return original(*args)

        setattr(store, operation, wrapper)
    return stall
