"""Event delivery to an app, by the document's rules; shortcut searches sent to an app.

An event goes to the app's callback: `PUT {app_id, token, event}`, or into the forwarder when the
callback address is the forwarder's (`_forwarder`). The delivery rules of the document:

- an answer other than 200, none within `answer_timeout` (30 s), or no connection is a failure;
- a failed delivery is tried again after intervals that grow up to 10 minutes (1, 2, 4, ... 512,
  600, 600 ... seconds; `Sandbox(delivery_delays=...)` gives other intervals, and the event is
  given up once they are spent);
- the time of failures adds up per app from its first failed delivery, and a delivery that
  succeeds resets it; once it reaches an hour, the app's pending redeliveries are dropped, and a
  new event whose first delivery fails is dropped at once.

Redeliveries are timers on the sandbox's clock (`_clock`): with a `VirtualClock` an hour of them
runs in milliseconds. Every attempt is logged (`CallbackAttempt`: when, which retry, the status,
why it failed, what happens next), and each delivery's outcome is reported (`DeliveryReport`),
saying why a failure failed: the status, and what it usually means (401: the tokens differ).

A search (`search`) is sent once, never again: `POST {app_id, token, event}` to the app's search
URL (its callback URL when none is registered), answered within `search_timeout` (5 s) with a
`SearchResult` of the spec, or failed; `SearchRecord` says what the user got.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import httpx
from jsonschema import Draft202012Validator

from ._clock import SandboxClock, Timer, WallClock
from ._faults import FaultInjector
from ._forwarder import Forwarder, is_forwarder

logger = logging.getLogger("finchat.sandbox")

ANSWER_TIMEOUT: Final = 30.0
"""Seconds the platform waits for the answer to a delivery (the document's figure)."""
SEARCH_TIMEOUT: Final = 5.0
"""Seconds the platform waits for the answer to a search (the document's figure)."""
FAILURE_WINDOW: Final = 3600.0
"""Seconds of accumulated failures after which an app's events are dropped."""
MAX_INTERVAL: Final = 600.0
"""The longest wait between two deliveries of one event (10 minutes)."""
_EXCERPT: Final = 200

Outcome = Literal["delivered", "failed", "dropped", "gave_up", "stored"]
State = Literal["delivered", "retrying", "dropped", "gave_up", "stored", "no_callback", "pending"]


def document_delays() -> Iterator[float]:
    """The intervals between deliveries of one event: doubling from 1 s, then every 10 min."""
    delay = 1.0
    while True:
        yield min(delay, MAX_INTERVAL)
        delay *= 2


@dataclass(frozen=True)
class Callback:
    url: str
    token: str
    transport: httpx.AsyncBaseTransport | None = None

    def __repr__(self) -> str:  # the verification token never appears in a repr
        return f"Callback(url={self.url!r})"


@dataclass(frozen=True)
class CallbackAttempt:
    """One try to deliver one event (or its storing in the forwarder, or its dropping).

    `attempt` counts from 1 (`retry` = attempt - 1); `at` is the sandbox clock's time; `status`
    is None when no answer came; `error` says why it failed; `outcome` what became of the event
    after it: `delivered`, `failed` (tried again at `next_attempt_at`), `dropped` (the hour of
    failures passed), `gave_up` (the sandbox's `delivery_delays` spent), `stored` (forwarder).
    """

    app_id: str
    event_id: str
    event_type: str
    attempt: int
    status: int | None
    delivered: bool
    error: str = ""
    duplicate: bool = False
    at: float = 0.0
    outcome: Outcome = "delivered"
    next_attempt_at: float | None = None

    @property
    def retry(self) -> int:
        """0 for the first delivery, 1 for the first redelivery, ..."""
        return self.attempt - 1


@dataclass(frozen=True)
class DeliveryReport:
    """What became of one event for one app, as far as known when reported.

    `state`: `delivered`; `retrying` (failed, tried again at `next_attempt_at`); `dropped` or
    `gave_up` (failed for good); `stored` (kept by the forwarder for pulling); `no_callback` (the
    app has no callback address); `pending` (delivery runs in the background, `wait=False`).
    `reason` says why it is not delivered, e.g. "the bot answered 401 ...: the verification token
    registered with the callback differs from the bot's".
    """

    app_id: str
    event_id: str
    state: State
    status: int | None = None
    reason: str = ""
    attempts: int = 0
    next_attempt_at: float | None = None

    @property
    def delivered(self) -> bool:
        """Whether the app has the event: its callback answered 200, or the forwarder keeps it."""
        return self.state in ("delivered", "stored")


@dataclass(frozen=True)
class SearchRecord:
    """One simulated search: what was asked, and what the user got.

    `answered`: the app answered 200 with a `SearchResult` of the spec within the limit; `result`
    is that answer. Otherwise `error` says why the user saw nothing.
    """

    app_id: str
    fcid: str
    event_id: str
    search_text: str
    page_no: int
    page_size: int
    at: float
    seconds: float
    answered: bool
    status: int | None = None
    result: dict[str, Any] | None = None
    error: str = ""


# A search is a POST, often to the callback URL, where a receiver without a search handler takes
# only PUT (`WebhookReceiver` answers 405).
_SEARCH_HINTS = {
    404: "the search URL names no endpoint of the bot: check its path",
    405: "the bot takes no search there: has it a search handler (on_search)?",
}


def failure_reason(status: int, body: str, *, search: bool = False) -> str:
    """Why an answer other than 200 failed a delivery (or, with `search`, a search), in words a
    developer can act on."""
    hints = {
        401: "the bot refused the verification token: the token registered with the callback "
        "(set_callback, or finchat sandbox --webhook-token) differs from the bot's "
        "(its FINCHAT_WEBHOOK_TOKEN)",
        403: "the bot refused the callback's app_id: it serves another app",
        404: "the callback URL names no endpoint of the bot: check its path",
        405: "the callback URL does not take PUT: is it a FinChat receiver?",
        409: "the bot is handling this event right now (a delivery of it in flight)",
        413: "the bot refused the body as too large",
    }
    if search:
        hints.update(_SEARCH_HINTS)
    hint = hints.get(status) or (
        "the bot's handler failed" if status >= 500 else "the platform needs 200"
    )
    excerpt = " ".join(body.split())[:_EXCERPT]
    return f"answered {status}: {hint}" + (f" (it said: {excerpt})" if excerpt else "")


def _no_answer(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, TimeoutError | httpx.TimeoutException):
        return f"no answer within {timeout:g} s"
    if isinstance(exc, httpx.ConnectError):
        return "could not connect to the callback URL (is the bot running?)"
    return f"no answer: {type(exc).__name__}"


@dataclass
class _Pending:
    app_id: str
    event: dict[str, Any]
    attempts: int = 0
    timer: Timer | None = None
    number: int = 0
    due: float = 0.0  # when the next delivery is to be made


@dataclass
class _AppDeliveries:
    # When the current run of failures began; None while deliveries succeed.
    failing_since: float | None = None
    pending: dict[int, _Pending] = field(default_factory=dict)


class Deliverer:
    def __init__(
        self,
        delays: Sequence[float] | None,
        faults: Callable[[str], FaultInjector | None],
        *,
        clock: SandboxClock | None = None,
        forwarder: Forwarder | None = None,
        answer_timeout: float = ANSWER_TIMEOUT,
        search_timeout: float = SEARCH_TIMEOUT,
        failure_window: float = FAILURE_WINDOW,
        search_validator: Draft202012Validator | None = None,
        on_attempt: Callable[[CallbackAttempt], object] | None = None,
        on_search: Callable[[SearchRecord], object] | None = None,
    ) -> None:
        self.delays = None if delays is None else tuple(delays)
        self.faults = faults
        self.clock: SandboxClock = clock if clock is not None else WallClock()
        self.forwarder = forwarder if forwarder is not None else Forwarder()
        self.answer_timeout = answer_timeout
        self.search_timeout = search_timeout
        self.failure_window = failure_window
        self.search_validator = search_validator
        self.on_attempt = on_attempt
        self.on_search = on_search
        self.callbacks: dict[str, Callback] = {}
        self.search_callbacks: dict[str, Callback] = {}
        self.log: list[CallbackAttempt] = []
        self.searches: list[SearchRecord] = []
        self.events: list[tuple[str, dict[str, Any]]] = []  # (app_id, event), in order produced
        self._apps: dict[str, _AppDeliveries] = {}
        self._numbers = itertools.count(1)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._in_flight = 0

    # ---- entry points ------------------------------------------------------------------------
    async def deliver(self, app_id: str, event: dict[str, Any]) -> DeliveryReport:
        """Deliver an event now: the report of its first delivery (redeliveries, if it failed,
        are scheduled on the clock)."""
        self.events.append((app_id, event))
        callback = self.callbacks.get(app_id)
        if callback is None:
            return DeliveryReport(
                app_id,
                str(event.get("event_id", "")),
                "no_callback",
                reason=f"app {app_id} has no callback address (set_callback, or PUT "
                f"/_sandbox/apps/{app_id}/callback)",
            )
        return await self._attempt(_Pending(app_id, event, number=next(self._numbers)))

    def deliver_later(self, app_id: str, event: dict[str, Any]) -> DeliveryReport:
        """Deliver an event in the background (a task on the running loop)."""
        self._spawn(self.deliver(app_id, event))
        return DeliveryReport(app_id, str(event.get("event_id", "")), "pending")

    async def drain(self) -> None:
        """Wait for the deliveries started in the background on this loop, and, on the wall
        clock, for every redelivery to be made (or dropped)."""
        loop = asyncio.get_running_loop()
        while True:
            mine = [t for t in self._tasks if t.get_loop() is loop]
            if mine:
                await asyncio.gather(*mine, return_exceptions=True)
            elif isinstance(self.clock, WallClock) and self.pending():
                # Redeliveries sleep in timer tasks, maybe on another loop: look again soon.
                await asyncio.sleep(0.005)
            else:
                return

    def pending(self) -> int:
        """Redeliveries scheduled and not yet made, or under way."""
        return self._in_flight + sum(len(d.pending) for d in list(self._apps.values()))

    def cancel(self) -> None:
        """Stop every redelivery not yet made (the sandbox is closing)."""
        for deliveries in self._apps.values():
            for pending in deliveries.pending.values():
                if pending.timer is not None:
                    pending.timer.cancel()
            deliveries.pending.clear()

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        # Keep a reference: the loop holds only weak ones, and a collected task never finishes.
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # ---- one attempt -------------------------------------------------------------------------
    async def _attempt(self, pending: _Pending) -> DeliveryReport:
        app_id, event = pending.app_id, pending.event
        event_id = str(event.get("event_id", ""))
        event_type = str(event.get("type", ""))
        callback = self.callbacks.get(app_id)
        pending.attempts += 1
        at = self.clock()
        if callback is None:
            reason = "the app's callback address was removed: dropped"
            self._log(pending, None, reason, at, "dropped")
            return DeliveryReport(app_id, event_id, "dropped", None, reason, pending.attempts)
        if is_forwarder(callback.url):
            self.forwarder.store(app_id, event)
            self._log(pending, None, "", at, "stored", delivered=True)
            return DeliveryReport(app_id, event_id, "stored", attempts=pending.attempts)
        injector = self.faults(app_id)
        if injector is not None and injector.callback_fails():
            status: int | None = None
            reason = "injected delivery failure"
        else:
            status, reason = await self._put(app_id, callback, event)
        deliveries = self._apps.setdefault(app_id, _AppDeliveries())
        if status == 200:
            self._succeeded(deliveries)
            self._log(pending, 200, "", at, "delivered", delivered=True)
            if injector is not None and injector.duplicate_delivery():
                again, _ = await self._put(app_id, callback, event)
                self._record(
                    CallbackAttempt(
                        app_id, event_id, event_type, pending.attempts, again, again == 200,
                        duplicate=True, at=self.clock(),
                        outcome="delivered" if again == 200 else "failed",
                    )
                )  # fmt: skip
            return DeliveryReport(app_id, event_id, "delivered", 200, attempts=pending.attempts)
        return self._failed(deliveries, pending, status, reason, at)

    def _succeeded(self, deliveries: _AppDeliveries) -> None:
        deliveries.failing_since = None

    def _failed(
        self,
        deliveries: _AppDeliveries,
        pending: _Pending,
        status: int | None,
        reason: str,
        at: float,
    ) -> DeliveryReport:
        app_id, event_id = pending.app_id, str(pending.event.get("event_id", ""))
        now = self.clock()
        if deliveries.failing_since is None:
            deliveries.failing_since = now
        deliveries.pending.pop(pending.number, None)
        if now - deliveries.failing_since >= self.failure_window:
            reason += "; deliveries to this app have failed for an hour: dropped, not retried"
            self._log(pending, status, reason, at, "dropped")
            return DeliveryReport(app_id, event_id, "dropped", status, reason, pending.attempts)
        delay = self._delay(pending.attempts)
        if delay is None:
            reason += "; the sandbox's delivery_delays are spent: given up"
            self._log(pending, status, reason, at, "gave_up")
            logger.warning("sandbox: gave up delivering %s to app %s", event_id, app_id)
            return DeliveryReport(app_id, event_id, "gave_up", status, reason, pending.attempts)
        next_at = pending.due = now + delay
        deliveries.pending[pending.number] = pending
        self._schedule(deliveries, pending)
        self._log(pending, status, reason, at, "failed", next_at=next_at)
        return DeliveryReport(
            app_id, event_id, "retrying", status, reason, pending.attempts, next_at
        )

    def _schedule(self, deliveries: _AppDeliveries, pending: _Pending) -> None:
        """Wake the redelivery when it is due, or at the hour mark of the app's failures if that
        comes first (the event is then dropped there)."""
        now = self.clock()
        wake = pending.due
        if deliveries.failing_since is not None:
            wake = min(wake, deliveries.failing_since + self.failure_window)
        pending.timer = self.clock.call_later(max(wake - now, 0.0), lambda: self._retry(pending))

    async def _retry(self, pending: _Pending) -> None:
        deliveries = self._apps.get(pending.app_id)
        if deliveries is None or pending.number not in deliveries.pending:
            return  # cancelled meanwhile
        now = self.clock()
        since = deliveries.failing_since
        if since is not None and now - since >= self.failure_window:
            del deliveries.pending[pending.number]
            reason = "deliveries to this app have failed for an hour: dropped"
            # Logged as the attempt that will not be made.
            self._log(pending, None, reason, now, "dropped", attempt=pending.attempts + 1)
            return
        if now < pending.due:
            # Woken at an hour mark that a success has since moved: sleep on until due.
            self._schedule(deliveries, pending)
            return
        del deliveries.pending[pending.number]
        self._in_flight += 1
        try:
            await self._attempt(pending)
        except Exception:  # a redelivery must never take the clock's other timers down with it
            logger.exception("sandbox: redelivery to app %s failed", pending.app_id)
        finally:
            self._in_flight -= 1

    def _delay(self, attempts: int) -> float | None:
        if self.delays is None:
            return next(itertools.islice(document_delays(), attempts - 1, None))
        return self.delays[attempts - 1] if attempts <= len(self.delays) else None

    def _record(self, attempt: CallbackAttempt) -> None:
        self.log.append(attempt)
        if self.on_attempt is not None:
            self.on_attempt(attempt)

    def _log(
        self,
        pending: _Pending,
        status: int | None,
        error: str,
        at: float,
        outcome: Outcome,
        *,
        delivered: bool = False,
        next_at: float | None = None,
        attempt: int | None = None,
    ) -> None:
        self._record(
            CallbackAttempt(
                app_id=pending.app_id,
                event_id=str(pending.event.get("event_id", "")),
                event_type=str(pending.event.get("type", "")),
                attempt=pending.attempts if attempt is None else attempt,
                status=status,
                delivered=delivered,
                error=error,
                at=at,
                outcome=outcome,
                next_attempt_at=next_at,
            )
        )

    async def _put(
        self, app_id: str, callback: Callback, event: dict[str, Any]
    ) -> tuple[int | None, str]:
        payload = {"app_id": app_id, "token": callback.token, "event": copy.deepcopy(event)}
        status, text, error = await self._send("PUT", callback, payload, self.answer_timeout)
        if error:
            return None, error
        assert status is not None
        return status, "" if status == 200 else failure_reason(status, text)

    async def _send(
        self, method: str, callback: Callback, payload: dict[str, Any], limit: float
    ) -> tuple[int | None, str, str]:
        """(status, body text, why no answer came) of one request to an app, answered within
        `limit` seconds."""
        client = httpx.AsyncClient(transport=callback.transport, timeout=limit)
        try:
            # The limit again around the whole exchange: an in-process transport has none.
            async with asyncio.timeout(limit):
                response = await client.request(method, callback.url, json=payload)
                text = (await response.aread()).decode("utf-8", "replace")
            return response.status_code, text, ""
        except (httpx.HTTPError, TimeoutError) as exc:
            return None, "", _no_answer(exc, limit)
        finally:
            # A caller's transport belongs to the caller: closing the client would close it.
            if callback.transport is None:
                await client.aclose()

    # ---- searches ----------------------------------------------------------------------------
    async def search(self, app_id: str, fcid: str, event: dict[str, Any]) -> SearchRecord:
        """POST a search to the app once and record what the user got."""
        content = event["content"]
        asked = {
            "app_id": app_id,
            "fcid": fcid,
            "event_id": str(event["event_id"]),
            "search_text": content["search_text"],
            "page_no": content["page_no"],
            "page_size": content["page_size"],
            "at": self.clock(),
        }
        target = self.search_callbacks.get(app_id) or self.callbacks.get(app_id)
        if target is None or is_forwarder(target.url):
            record = SearchRecord(
                **asked,
                seconds=0.0,
                answered=False,
                error=f"app {app_id} has no search URL (set_search_callback, or a callback URL)",
            )
            return self._searched(record)
        payload = {"app_id": app_id, "token": target.token, "event": copy.deepcopy(event)}
        started = time.perf_counter()
        status, text, error = await self._send("POST", target, payload, self.search_timeout)
        seconds = time.perf_counter() - started
        result: dict[str, Any] | None = None
        if not error and status != 200:
            error = failure_reason(status or 0, text, search=True)
        elif not error:
            result, error = self._read_result(text)
        record = SearchRecord(
            **asked,
            seconds=seconds,
            answered=not error,
            status=status,
            result=result if not error else None,
            error=error,
        )
        return self._searched(record)

    def _searched(self, record: SearchRecord) -> SearchRecord:
        self.searches.append(record)
        if self.on_search is not None:
            self.on_search(record)
        return record

    def _read_result(self, text: str) -> tuple[dict[str, Any] | None, str]:
        try:
            data = json.loads(text)
        except ValueError:
            return None, "the answer is not JSON"
        if self.search_validator is not None:
            problem = next(iter(self.search_validator.iter_errors(data)), None)
            if problem is not None:
                return None, (
                    f"the answer is not a SearchResult of the spec: {problem.json_path} fails "
                    f"'{problem.validator}'"
                )
        return data, ""
