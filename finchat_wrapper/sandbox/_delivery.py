"""Event delivery to an app's callback URL: `PUT {token, event}`, retried with growing delays."""

from __future__ import annotations

import asyncio
import copy
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from ._faults import FaultInjector

logger = logging.getLogger("finchat.sandbox")


@dataclass(frozen=True)
class Callback:
    url: str
    token: str
    transport: httpx.AsyncBaseTransport | None = None

    def __repr__(self) -> str:  # the verification token never appears in a repr
        return f"Callback(url={self.url!r})"


@dataclass(frozen=True)
class CallbackAttempt:
    """One try to deliver one event; `status` is None when no answer came."""

    app_id: str
    event_id: str
    event_type: str
    attempt: int
    status: int | None
    delivered: bool
    error: str = ""
    duplicate: bool = False
    # When the attempt ended, in seconds since the epoch (the sandbox's clock).
    at: float = 0.0


class Deliverer:
    def __init__(
        self,
        delays: Sequence[float],
        faults: Callable[[str], FaultInjector | None],
        timeout: float = 5.0,
        *,
        clock: Callable[[], float] = time.time,
        on_attempt: Callable[[CallbackAttempt], object] | None = None,
    ) -> None:
        self.delays = tuple(delays)
        self.faults = faults
        self.timeout = timeout
        self.clock = clock
        self.on_attempt = on_attempt
        self.callbacks: dict[str, Callback] = {}
        self.log: list[CallbackAttempt] = []
        self.events: list[tuple[str, dict[str, Any]]] = []  # (app_id, event), in order produced
        self._tasks: set[asyncio.Task[bool]] = set()

    async def deliver(self, app_id: str, event: dict[str, Any]) -> bool:
        """Deliver until the app answers 200 or the retries are spent; True if it was delivered."""
        self.events.append((app_id, event))
        callback = self.callbacks.get(app_id)
        if callback is None:
            return False
        injector = self.faults(app_id)
        delivered = await self._attempts(app_id, callback, event, injector, duplicate=False)
        if delivered and injector is not None and injector.duplicate_delivery():
            await self._attempts(app_id, callback, event, injector, duplicate=True)
        return delivered

    def deliver_later(self, app_id: str, event: dict[str, Any]) -> None:
        task = asyncio.get_running_loop().create_task(self.deliver(app_id, event))
        # Keep a reference: the loop holds only weak ones, and a collected task never finishes.
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for every delivery started in the background on this loop."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _attempts(
        self,
        app_id: str,
        callback: Callback,
        event: dict[str, Any],
        injector: FaultInjector | None,
        *,
        duplicate: bool,
    ) -> bool:
        payload = {"token": callback.token, "event": copy.deepcopy(event)}
        waits = (0.0, *self.delays)
        for attempt, wait in enumerate(waits, start=1):
            if wait:
                await asyncio.sleep(wait)
            status: int | None = None
            error = ""
            if injector is not None and injector.callback_fails():
                error = "injected delivery failure"
            else:
                status, error = await self._put(callback, payload)
            delivered = status == 200
            record = CallbackAttempt(
                app_id=app_id,
                event_id=str(event.get("event_id", "")),
                event_type=str(event.get("type", "")),
                attempt=attempt,
                status=status,
                delivered=delivered,
                error=error,
                duplicate=duplicate,
                at=self.clock(),
            )
            self.log.append(record)
            if self.on_attempt is not None:
                self.on_attempt(record)
            if delivered:
                return True
        logger.warning("sandbox: gave up delivering %s to app %s", event.get("event_id"), app_id)
        return False

    async def _put(self, callback: Callback, payload: dict[str, Any]) -> tuple[int | None, str]:
        client = httpx.AsyncClient(transport=callback.transport, timeout=self.timeout)
        try:
            response = await client.put(callback.url, json=payload)
            await response.aread()
            return response.status_code, "" if response.status_code == 200 else "not 200"
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}"
        finally:
            # A caller's transport belongs to the caller: closing the client would close it.
            if callback.transport is None:
                await client.aclose()
