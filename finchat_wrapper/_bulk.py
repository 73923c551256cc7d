"""Bulk sends without I/O: split recipients into requests, learn the server's limits, merge results.

The server takes a limited, unstated number of recipients per request and answers per recipient.
`BulkSend` is the state machine a sync or an async driver runs, so the logic exists once:

    plan = BulkSend(room_ids=rooms, fcids=users, limits=client_limits)
    while not plan.done:
        for batch in plan.next_batches(free_slots):      # at most `free_slots` requests
            ... POST {**batch.request_fields(), "content": ...} ...
            plan.record_response(batch, parse_answer(batch, answer_json))   # a 200 answer
            plan.record_error(batch, errcode=..., error=..., maybe_sent=...)   # anything else
    report = plan.report()

The one rule everything else serves: the same message never reaches a recipient twice. A
recipient leaves the pending set when a request holding it is handed out, and only comes back when
the server said that request sent nothing (a recipient-limit error, a refused token). After a
failure that may have
happened once the server had the request (connection dropped, timeout while waiting), its
recipients end as *unknown*: resending could deliver twice.

`room_ids` and `fcids` are never mixed in one request, because the server ignores `fcids` when
`room_ids` is not empty.

`drive(plan, send, concurrency=n)` and `await adrive(plan, send, concurrency=n)` are that loop, with
at most `n` requests at a time; `send(batch)` does the one request and raises the wrapper's errors.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, NoReturn, Self, TypeAlias

from ._checks import check_concurrency
from ._errors import APIError, FinChatError, InvalidResponseError, TransportError
from ._ids import validate_fcids, validate_room_ids

__all__ = [
    "DEFAULT_MAX_PER_REQUEST",
    "Batch",
    "BatchResults",
    "BulkSend",
    "RecipientFailure",
    "RecipientKind",
    "SendFailedError",
    "SendLimits",
    "SendProgress",
    "SendReport",
    "adrive",
    "check_concurrency",
    "drive",
    "error_outcome",
    "parse_answer",
    "partial_report",
]

RecipientKind = Literal["room_ids", "fcids"]

DEFAULT_MAX_PER_REQUEST = 100
"""Recipients per request when none is configured. The document states no limit; 100 keeps a
request small and is what the sandbox enforces by default. A lower server limit is learned."""

LIMIT_ERRCODES: Mapping[RecipientKind, str] = MappingProxyType(
    {
        "room_ids": "FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED",
        "fcids": "FC_MESSAGE_FCID_LIMIT_EXCEEDED",
    }
)

# A request failing with one of these says nothing about its recipients: every other request of
# the send would fail the same way, so the rest is failed without being sent.
WHOLE_SEND_ERRCODES = frozenset({"FC_INVALID_SECRET", "FC_APP_NOT_PUBLISHED", "FC_APP_NOT_FOUND"})

# A refused token means the server did nothing, and the client already replayed the request once
# with a fresh token: a refusal again is another revocation racing the send (tokens revoked while
# requests run). The batch goes back to pending, up to this many times per recipient, then fails.
TOKEN_ERRCODE = "FC_INVALID_ACCESS_TOKEN"  # noqa: S105 - an error code, not a credential
MAX_TOKEN_REQUEUES = 3


class SendLimits:
    """Recipients per request, per kind: the configured maximum, lowered by what the server refused.

    A client keeps one for its life, so a limit learned by one send spares the next sends the
    refused requests. Safe to share between threads.
    """

    def __init__(
        self,
        *,
        max_room_ids: int = DEFAULT_MAX_PER_REQUEST,
        max_fcids: int = DEFAULT_MAX_PER_REQUEST,
    ) -> None:
        for name, value in (("max_room_ids", max_room_ids), ("max_fcids", max_fcids)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        self._configured: dict[RecipientKind, int] = {
            "room_ids": max_room_ids,
            "fcids": max_fcids,
        }
        self._current = dict(self._configured)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SendLimits(room_ids={self._current['room_ids']}, fcids={self._current['fcids']})"

    def per_request(self, kind: RecipientKind) -> int:
        """How many recipients of `kind` one request holds now."""
        return self._current[kind]

    def configured(self, kind: RecipientKind) -> int:
        return self._configured[kind]

    def learn(self, kind: RecipientKind, refused: int) -> int:
        """The server refused `refused` recipients as too many for one request: halve.

        Halving from the refused size, not from the current limit, keeps concurrent refusals of
        same-sized requests from halving more than once.
        """
        with self._lock:
            self._current[kind] = min(self._current[kind], max(1, refused // 2))
            return self._current[kind]


@dataclass(frozen=True, eq=False)
class Batch:
    """The recipients of one request. Compared by identity: each one is handed out once."""

    kind: RecipientKind
    recipients: tuple[str, ...]
    number: int
    """Order in which the batch was handed out, from 1; for logs and tests."""

    def request_fields(self) -> dict[str, list[str]]:
        """`{"room_ids": [...]}` or `{"fcids": [...]}`, to merge into the request body."""
        return {self.kind: list(self.recipients)}

    def __len__(self) -> int:
        return len(self.recipients)


@dataclass(frozen=True)
class RecipientFailure:
    """Why a recipient did not get the message; `errcode` is None for a client-side failure."""

    errcode: str | None
    error: str


class SendFailedError(FinChatError):
    """Some recipients of a send failed or are unknown; `report` says which and why."""

    def __init__(self, report: SendReport) -> None:
        self.report = report
        parts = []
        if report.failed:
            parts.append(f"{len(report.failed)} failed")
        if report.unknown:
            parts.append(f"{len(report.unknown)} unknown")
        examples = [
            f"{rid} ({failure.errcode or 'client'}: {failure.error})"
            for rid, failure in list(report.failed.items())[:3]
        ] + [f"{rid} (unknown: {reason})" for rid, reason in list(report.unknown.items())[:2]]
        super().__init__(
            f"{' and '.join(parts)} of {report.total} recipients; e.g. {'; '.join(examples)}"
        )


def _frozen(mapping: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class SendReport:
    """The outcome of a send, exactly one per recipient.

    `succeeded` maps a recipient to the event id of its message, `failed` to a `RecipientFailure`,
    `unknown` to the reason its outcome cannot be known (a failure after the server may have taken
    the request; resending could deliver twice, so it is left to the caller), `not_attempted` to
    why no request ever held it (the send was interrupted first: safe to send again). `requests`
    counts the requests made, refused ones included.
    """

    succeeded: Mapping[str, str] = field(default_factory=dict)
    failed: Mapping[str, RecipientFailure] = field(default_factory=dict)
    unknown: Mapping[str, str] = field(default_factory=dict)
    requests: int = 0
    not_attempted: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The report outlives the send: make it read-only so nobody edits a shared outcome.
        for name in ("succeeded", "failed", "unknown", "not_attempted"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    @property
    def total(self) -> int:
        return len(self.succeeded) + len(self.failed) + len(self.unknown) + len(self.not_attempted)

    @property
    def ok(self) -> bool:
        """True when every recipient got the message."""
        return not self.failed and not self.unknown and not self.not_attempted

    def summary(self) -> str:
        """One line of counts, for a person: `2 sent, 0 failed, 1 unknown, 7 not attempted`."""
        return (
            f"{len(self.succeeded)} sent, {len(self.failed)} failed, {len(self.unknown)} unknown, "
            f"{len(self.not_attempted)} not attempted"
        )

    def __repr__(self) -> str:
        return (
            f"SendReport(succeeded={len(self.succeeded)}, failed={len(self.failed)}, "
            f"unknown={len(self.unknown)}, not_attempted={len(self.not_attempted)}, "
            f"requests={self.requests})"
        )

    def raise_for_failures(self) -> Self:
        """Raise `SendFailedError` unless every recipient got the message; return the report."""
        if not self.ok:
            raise SendFailedError(self)
        return self


class BulkSend:
    """The plan of one send to any number of recipients; see the module docstring.

    Not thread-safe: a driver calls it from one thread (or one event loop) and runs only the
    requests concurrently. `require_event_id=False` counts a result without error and without
    event id as a success (for operations whose answer may carry none).
    """

    def __init__(
        self,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        limits: SendLimits,
        require_event_id: bool = True,
    ) -> None:
        # dict.fromkeys drops repeats, keeping order: one message per recipient listed twice.
        rooms = list(dict.fromkeys(validate_room_ids(room_ids)))
        users = list(dict.fromkeys(validate_fcids(fcids)))
        if not rooms and not users:
            raise ValueError("no recipients: give at least one room id or fcid")
        self._limits = limits
        self._require_event_id = require_event_id
        self._pending: dict[RecipientKind, deque[str]] = {
            "room_ids": deque(rooms),
            "fcids": deque(users),
        }
        self._in_flight: set[Batch] = set()
        self._succeeded: dict[str, str] = {}
        self._failed: dict[str, RecipientFailure] = {}
        self._unknown: dict[str, str] = {}
        self._not_attempted: dict[str, str] = {}
        self._token_requeues: dict[str, int] = {}
        self._requests = 0
        self.total = len(rooms) + len(users)

    def __repr__(self) -> str:
        return (
            f"BulkSend(total={self.total}, pending={self.pending}, in_flight={self.in_flight}, "
            f"succeeded={len(self._succeeded)}, failed={len(self._failed)}, "
            f"unknown={len(self._unknown)})"
        )

    @property
    def has_both_kinds(self) -> bool:
        """True when the send goes to rooms and to users (in separate requests)."""
        return bool(self._pending["room_ids"]) and bool(self._pending["fcids"])

    @property
    def first_recipients(self) -> dict[RecipientKind, str]:
        """The first pending recipient of each kind that has one, e.g. to check the requests of
        each kind before any is sent."""
        return {kind: queue[0] for kind, queue in self._pending.items() if queue}

    @property
    def done(self) -> bool:
        """True when every recipient has its outcome."""
        return not self._in_flight and not any(self._pending.values())

    @property
    def in_flight(self) -> int:
        """Requests handed out and not recorded yet."""
        return len(self._in_flight)

    @property
    def settled(self) -> int:
        """Recipients with their outcome already."""
        return (
            len(self._succeeded) + len(self._failed) + len(self._unknown) + len(self._not_attempted)
        )

    @property
    def pending(self) -> int:
        """Recipients not in any request yet."""
        return sum(map(len, self._pending.values()))

    def next_batches(self, max_batches: int | None = None) -> list[Batch]:
        """Hand out up to `max_batches` requests (all that are ready when None).

        May return fewer, or none while the remaining recipients are in requests not recorded yet
        (a refused request brings its recipients back).
        """
        if max_batches is not None and max_batches < 0:
            raise ValueError("max_batches must not be negative")
        batches: list[Batch] = []
        for kind in ("room_ids", "fcids"):
            queue = self._pending[kind]
            while queue and (max_batches is None or len(batches) < max_batches):
                size = self._limits.per_request(kind)
                recipients = tuple(queue.popleft() for _ in range(min(size, len(queue))))
                self._requests += 1
                batch = Batch(kind=kind, recipients=recipients, number=self._requests)
                self._in_flight.add(batch)
                batches.append(batch)
        return batches

    def sole_batch(self) -> Batch | None:
        """Hand out the rest of the send if it is one request and none is in flight, else None.

        A driver sends such a batch in the caller's own thread or task: most sends are one
        request, and starting a thread for it would cost more than the request's own work.
        """
        if self._in_flight:
            return None
        kinds: list[RecipientKind] = [k for k in ("room_ids", "fcids") if self._pending[k]]
        if len(kinds) != 1 or len(self._pending[kinds[0]]) > self._limits.per_request(kinds[0]):
            return None
        return self.next_batches(1)[0]

    def _take(self, batch: Batch) -> None:
        if batch not in self._in_flight:
            raise RuntimeError(f"batch {batch.number} is not in flight: recorded twice or foreign")
        self._in_flight.remove(batch)

    def record_response(self, batch: Batch, results: BatchResults) -> None:
        """Record the server's 200 answer to `batch`: the results `parse_answer` read from it."""
        self._take(batch)
        for rid in batch.recipients:
            if rid not in results:
                # The server had the request and answered; it may well have delivered.
                self._unknown[rid] = "the server's answer holds no result for this recipient"
                continue
            errcode, error, event_id = results[rid]
            if errcode:
                self._failed[rid] = RecipientFailure(errcode=errcode, error=error)
            elif event_id or not self._require_event_id:
                self._succeeded[rid] = event_id
            else:
                self._unknown[rid] = "the server's answer holds neither an event id nor an error"

    def record_error(
        self, batch: Batch, *, errcode: str | None, error: str, maybe_sent: bool
    ) -> None:
        """Record that `batch` got no 200 answer.

        `maybe_sent` is True when the server may have processed the request (the connection
        failed after the request was written, a timeout while waiting for the answer); its
        recipients then end as unknown. Otherwise `errcode` (None for a failure on the client's
        side) decides: a recipient-limit error halves the request and its recipients go back to
        pending, a refused token sends the batch again (a few times), an error of the app fails
        the whole send, and any other fails the batch.
        """
        self._take(batch)
        if maybe_sent:
            for rid in batch.recipients:
                self._unknown[rid] = error
            return
        if errcode == LIMIT_ERRCODES[batch.kind] and len(batch) > 1:
            self._limits.learn(batch.kind, len(batch))
            self._requeue(batch)
            return
        if errcode == TOKEN_ERRCODE and all(
            self._token_requeues.get(rid, 0) < MAX_TOKEN_REQUEUES for rid in batch.recipients
        ):
            for rid in batch.recipients:
                self._token_requeues[rid] = self._token_requeues.get(rid, 0) + 1
            self._requeue(batch)
            return
        failure = RecipientFailure(errcode=errcode, error=error)
        for rid in batch.recipients:
            self._failed[rid] = failure
        if errcode in WHOLE_SEND_ERRCODES:
            self._fail_pending(RecipientFailure(errcode=errcode, error=f"not sent: {error}"))

    def _requeue(self, batch: Batch) -> None:
        # Back to the front, in order: nothing was sent, so they may go out again.
        self._pending[batch.kind].extendleft(reversed(batch.recipients))

    def record_exception(self, batch: Batch, exc: FinChatError) -> None:
        """Record the wrapper's exception for `batch`, classified by `error_outcome`."""
        errcode, error, maybe_sent = error_outcome(exc)
        self.record_error(batch, errcode=errcode, error=error, maybe_sent=maybe_sent)

    def abort(self, reason: str) -> None:
        """End the send now (cancelled, or a driver bug): pending recipients are not attempted,
        and the recipients of requests not recorded yet are unknown."""
        for batch in self._in_flight:
            for rid in batch.recipients:
                self._unknown[rid] = reason
        self._in_flight.clear()
        for queue in self._pending.values():
            while queue:
                self._not_attempted[queue.popleft()] = reason

    def _fail_pending(self, failure: RecipientFailure) -> None:
        for queue in self._pending.values():
            while queue:
                self._failed[queue.popleft()] = failure

    def report(self) -> SendReport:
        if not self.done:
            raise RuntimeError(f"the send is not finished: {self!r}")
        return SendReport(
            succeeded=self._succeeded,
            failed=self._failed,
            unknown=self._unknown,
            requests=self._requests,
            not_attempted=self._not_attempted,
        )


def _fields(errcode: object, error: object, event_id: object) -> tuple[str, str, str]:
    # Absent (UNSET) and empty mean the same, as the document says "empty" where servers omit.
    def text(value: object) -> str:
        return value if isinstance(value, str) else ""

    return text(errcode), text(error), text(event_id)


BatchResults: TypeAlias = Mapping[str, tuple[str, str, str]]
"""A 200 answer to a batch as `{recipient: (errcode, error, event_id)}`, "" for absent fields."""

_RESULT_FIELDS: Mapping[RecipientKind, tuple[str, str]] = MappingProxyType(
    {"room_ids": ("room_id_result", "room_id"), "fcids": ("fcid_result", "fcid")}
)


def parse_answer(batch: Batch, answer: object) -> BatchResults:
    """The per-recipient results of the JSON `answer` to `batch`, the first one per recipient.

    Reads only what a send needs, without building the generated models (a broadcast reads
    thousands of results). An answer of another shape is an `InvalidResponseError`: the request
    was processed, so its recipients end as unknown.
    """
    list_key, id_key = _RESULT_FIELDS[batch.kind]
    items = answer.get(list_key) if isinstance(answer, dict) else None
    if not isinstance(answer, dict) or not isinstance(items, list | None):
        raise InvalidResponseError(f"the answer to a send is not a {list_key} object")
    results: dict[str, tuple[str, str, str]] = {}
    for item in items or ():
        rid = item.get(id_key) if isinstance(item, dict) else None
        if not isinstance(rid, str):
            raise InvalidResponseError(f"a {list_key} entry has no {id_key}")
        if rid not in results:
            results[rid] = _fields(item.get("errcode"), item.get("error"), item.get("event_id"))
    return results


def error_outcome(exc: FinChatError) -> tuple[str | None, str, bool]:
    """`(errcode, error, maybe_sent)` of a request of a send that raised `exc`.

    An error answer (any non-2xx, 5xx included) is the server saying the request failed: not sent.
    A transport failure was sent unless it provably never reached the server. Anything else (a 2xx
    answer the client cannot read) came after the server took the request: maybe sent.
    """
    if isinstance(exc, APIError):
        return exc.errcode, str(exc), False
    if isinstance(exc, TransportError):
        return None, str(exc), exc.maybe_processed
    return None, str(exc), True


# ---- drivers: the loop of the module docstring, with bounded concurrency ------------------------
#
# Three places send batches: the caller's own thread or task (a send of one request, or
# `concurrency=1`), the threads of `drive` and the tasks of `adrive`. Each only does the request
# (`_attempt` / `_aattempt`); how a batch ended is recorded by `_record` alone, so what stops a
# send, and what reaches the caller, is the same whichever place sent it.

SendBatch: TypeAlias = Callable[[Batch], BatchResults]
AsyncSendBatch: TypeAlias = Callable[[Batch], Awaitable[BatchResults]]
SendProgress: TypeAlias = Callable[[int, int], None]
"""Called as `progress(recipients_settled, total)` as a send goes."""

_Outcome: TypeAlias = BatchResults | BaseException


def _attempt(send: SendBatch, batch: Batch) -> _Outcome:
    try:
        return send(batch)
    except BaseException as exc:  # recorded by `_record`, which says whether it stops the send
        return exc


async def _aattempt(send: AsyncSendBatch, batch: Batch) -> _Outcome:
    try:
        return await send(batch)
    except BaseException as exc:  # as in `_attempt`
        return exc


def _record(
    plan: BulkSend, batch: Batch, outcome: _Outcome, progress: SendProgress | None
) -> BaseException | None:
    """Record how `batch` ended and report progress; return an exception that must stop the send.

    A `FinChatError` is an outcome of the batch. Any other exception (a bug, an interruption)
    leaves nothing saying what reached the server: the batch is unknown and the send stops. So
    does any exception of the caller's `progress` callback, `BaseException` included, which then
    reaches the caller.
    """
    if not isinstance(outcome, BaseException):
        plan.record_response(batch, outcome)
    elif isinstance(outcome, FinChatError):
        plan.record_exception(batch, outcome)
    else:
        error = f"{type(outcome).__name__} while sending"
        plan.record_error(batch, errcode=None, error=error, maybe_sent=True)
        return outcome
    if progress is not None:
        try:
            progress(plan.settled, plan.total)
        except BaseException as exc:  # the caller's callback: raised to the caller
            return exc
    return None


def _stop(plan: BulkSend, exc: BaseException) -> NoReturn:
    plan.abort(f"not finished: {type(exc).__name__}")
    # The caller of an interrupted send still learns how far it went: a line for a person, the
    # report itself for a program (`partial_report`).
    report = plan.report()
    exc.add_note(f"finchat: the send was interrupted: {report.summary()}")
    setattr(exc, _PARTIAL_REPORT, report)
    raise exc


_PARTIAL_REPORT = "_finchat_send_report"


def partial_report(exc: BaseException) -> SendReport | None:
    """The report of the send `exc` interrupted (Ctrl-C, a cancellation, a bug), or None.

    Every recipient is in it: sent, failed, unknown (may have been delivered: never resend
    blindly) or not attempted (never in any request: safe to send again).
    """
    report = getattr(exc, _PARTIAL_REPORT, None)
    return report if isinstance(report, SendReport) else None


def _inline_batch(plan: BulkSend, concurrency: int) -> Batch | None:
    # One request at a time, or one request left: sent by the caller's thread or task, no pool.
    return plan.next_batches(1)[0] if concurrency == 1 and plan.pending else plan.sole_batch()


def drive(
    plan: BulkSend,
    send: SendBatch,
    *,
    concurrency: int,
    progress: SendProgress | None = None,
) -> SendReport:
    """Run `plan` to the end with `send` on up to `concurrency` threads; return the report.

    `progress(settled, total)`, if given, is called after each request's outcome is recorded,
    from the thread that sent it, one call at a time (a refused request that sends its
    recipients again settles none).

    `send(batch)` returns the results of the server's 200 answer (`parse_answer`) or raises a
    `FinChatError`. Any other exception (a bug, KeyboardInterrupt), or one of `progress`, stops
    the send: requests not started are not sent, requests running are awaited and recorded, and
    the exception is raised with the partial report as a note.
    """
    check_concurrency(concurrency)
    while (batch := _inline_batch(plan, concurrency)) is not None:
        if (stop := _record(plan, batch, _attempt(send, batch), progress)) is not None:
            _stop(plan, stop)
    if plan.done:
        return plan.report()
    return _SendThreads(plan, send, concurrency, progress).run()


class _SendThreads:
    """`concurrency` senders, the caller's thread one of them, each taking the plan's next batch
    itself: no thread hands a request to another, which on a busy machine costs more than the
    request's own work. The plan is only touched under `_cond`.
    """

    def __init__(
        self, plan: BulkSend, send: SendBatch, concurrency: int, progress: SendProgress | None
    ) -> None:
        self._plan, self._send, self._progress = plan, send, progress
        self._concurrency = concurrency
        self._cond = threading.Condition()
        self._stop: BaseException | None = None

    def run(self) -> SendReport:
        threads = [
            threading.Thread(target=self._sender, name=f"finchat-send-{n}", daemon=True)
            for n in range(1, self._concurrency)
        ]
        for thread in threads:
            thread.start()
        try:
            self._sender()
            for thread in threads:
                thread.join()
        except BaseException as exc:  # an interruption of the caller's thread, e.g. Ctrl-C
            with self._cond:
                self._stop = self._stop or exc
                self._cond.notify_all()
            for thread in threads:  # running requests end and are recorded; no new one starts
                thread.join()
        if self._stop is not None:
            _stop(self._plan, self._stop)
        return self._plan.report()

    def _sender(self) -> None:
        plan, cond = self._plan, self._cond
        while True:
            with cond:
                while True:
                    if self._stop is not None or plan.done:
                        cond.notify_all()
                        return
                    batches = plan.next_batches(1)
                    if batches:
                        break
                    # Nothing pending, but a request in flight may give its recipients back.
                    cond.wait()
            outcome = _attempt(self._send, batches[0])
            with cond:
                stop = _record(plan, batches[0], outcome, self._progress)
                self._stop = self._stop or stop
                cond.notify_all()


async def adrive(
    plan: BulkSend,
    send: AsyncSendBatch,
    *,
    concurrency: int,
    progress: SendProgress | None = None,
) -> SendReport:
    """Run `plan` to the end with `send` in up to `concurrency` tasks; return the report.

    As `drive`, with `concurrency` tasks taking batches. On cancellation the running requests
    are cancelled too and, since a cancelled request may already have reached the server, their
    recipients are unknown.
    """
    check_concurrency(concurrency)
    while (batch := _inline_batch(plan, concurrency)) is not None:
        if (stop := _record(plan, batch, await _aattempt(send, batch), progress)) is not None:
            _stop(plan, stop)
    if plan.done:
        return plan.report()
    return await _send_tasks(plan, send, concurrency, progress)


async def _send_tasks(
    plan: BulkSend, send: AsyncSendBatch, concurrency: int, progress: SendProgress | None
) -> SendReport:
    import asyncio  # here, not at the top: `import finchat_wrapper` does not load asyncio

    stops: list[BaseException] = []
    recorded = asyncio.Event()

    async def sender() -> None:
        # Each sender takes the plan's next batch itself, as the threads of `drive` do.
        while not stops and not plan.done:
            batches = plan.next_batches(1)
            if not batches:
                # Nothing pending, but a request in flight may give its recipients back.
                recorded.clear()
                await recorded.wait()
                continue
            outcome = await _aattempt(send, batches[0])
            if (stop := _record(plan, batches[0], outcome, progress)) is not None:
                stops.append(stop)
            recorded.set()
            if isinstance(outcome, asyncio.CancelledError):
                raise outcome  # recorded as unknown; the task still ends cancelled

    senders = [asyncio.ensure_future(sender()) for _ in range(concurrency)]
    try:
        await asyncio.gather(*senders)
    except BaseException as exc:  # cancelled: running requests are cancelled and recorded
        for task in senders:
            task.cancel()
        await asyncio.wait(senders)
        stops.insert(0, exc)
    if stops:
        _stop(plan, stops[0])
    return plan.report()
