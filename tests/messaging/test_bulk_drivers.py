"""The sync and async drivers run a plan with bounded concurrency against a faulty fake server."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections import Counter
from collections.abc import Iterable

import pytest
from finchat_openapi.models import FcidResult, RoomIdResult, SendMessageResponse

from finchat_wrapper._bulk import (
    MAX_TOKEN_REQUEUES,
    Batch,
    BatchResults,
    BulkSend,
    SendLimits,
    adrive,
    drive,
    partial_report,
)
from finchat_wrapper._errors import (
    APIConnectionError,
    APITimeoutError,
    FcidLimitExceededError,
    InternalServerError,
    InvalidAccessTokenError,
    RoomIdLimitExceededError,
)

from .answers import as_results

FAULTS = ["none"] * 8 + ["500", "dropped_before", "dropped_after"]


class FakeServer:
    """Delivers to known recipients, refuses requests over its limit, and injects faults.

    `delivered` counts deliveries per recipient: the drivers must never make one exceed 1.
    """

    def __init__(self, *, limit: int, known: Iterable[str], seed: int, faults: list[str]) -> None:
        self.limit = limit
        self.known = set(known)
        self.rng = random.Random(seed)
        self.faults = faults
        self.delivered: Counter[str] = Counter()
        self.dropped_after: set[str] = set()
        self.requests = 0
        self.active = 0
        self.max_active = 0
        self.lock = threading.Lock()

    def enter(self) -> None:
        with self.lock:
            self.requests += 1
            self.active += 1
            self.max_active = max(self.max_active, self.active)

    def leave(self) -> None:
        with self.lock:
            self.active -= 1

    def handle(self, batch: Batch) -> BatchResults:
        with self.lock:
            fault = self.rng.choice(self.faults)
        if len(batch) > self.limit:
            error = RoomIdLimitExceededError if batch.kind == "room_ids" else FcidLimitExceededError
            raise error("too many", errcode=_limit_code(batch), error="too many", status_code=400)
        if fault == "500":
            raise InternalServerError("boom", errcode="FC_INTERNAL_ERROR", status_code=500)
        if fault == "dropped_before":
            raise APIConnectionError("ConnectError", maybe_processed=False)
        results = []
        for rid in batch.recipients:
            if rid in self.known:
                with self.lock:
                    self.delivered[rid] += 1
                results.append((rid, f"$ev-{rid[1:]}", None))
            else:
                results.append((rid, None, "FC_ROOM_NOT_FOUND"))
        if fault == "dropped_after":
            self.dropped_after.update(batch.recipients)
            raise APITimeoutError("ReadTimeout", maybe_processed=True)
        if batch.kind == "room_ids":
            return as_results(
                batch,
                SendMessageResponse(
                    room_id_result=[
                        RoomIdResult(room_id=r, event_id=e or "", errcode=c or "", error=c or "")
                        for r, e, c in results
                    ]
                ),
            )
        return as_results(
            batch,
            SendMessageResponse(
                fcid_result=[
                    FcidResult(fcid=r, event_id=e or "", errcode=c or "", error=c or "")
                    for r, e, c in results
                ]
            ),
        )


def _limit_code(batch: Batch) -> str:
    return (
        "FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED"
        if batch.kind == "room_ids"
        else "FC_MESSAGE_FCID_LIMIT_EXCEEDED"
    )


def recipients() -> tuple[list[str], list[str], set[str]]:
    room_ids = [f"!r{i}:example.org" for i in range(300)]
    fcids = [f"@u{i}:example.org" for i in range(300)]
    # Every tenth recipient does not exist on the server.
    known = {r for i, r in enumerate(room_ids + fcids) if i % 10}
    return room_ids, fcids, known


def check(server: FakeServer, plan: BulkSend, concurrency: int) -> None:
    report = plan.report()
    assert report.total == 600
    assert len(report.succeeded) + len(report.failed) + len(report.unknown) == 600
    assert max(server.delivered.values()) == 1, "a recipient got the message twice"
    assert set(report.unknown) == server.dropped_after
    assert set(report.succeeded) == set(server.delivered) - server.dropped_after
    assert all(
        f.errcode in {"FC_ROOM_NOT_FOUND", "FC_INTERNAL_ERROR", None}
        for f in report.failed.values()
    )
    assert server.max_active <= concurrency
    assert report.requests == server.requests


@pytest.mark.parametrize("concurrency", [1, 4])
def test_drive_sends_exactly_once_with_bounded_concurrency_despite_faults(concurrency: int) -> None:
    room_ids, fcids, known = recipients()
    server = FakeServer(limit=30, known=known, seed=concurrency, faults=FAULTS)
    limits = SendLimits()

    overlapped = threading.Event()

    def send(batch: Batch) -> BatchResults:
        server.enter()
        try:
            if server.max_active > 1:
                overlapped.set()
            # The requests in flight wait (a bounded time) until a second one has started, so
            # the check that the driver overlaps them does not depend on the machine's load; a
            # driver that sends one at a time only makes this test slower, then fails it.
            if concurrency > 1:
                overlapped.wait(timeout=0.5)
            time.sleep(0.001)
            return server.handle(batch)
        finally:
            server.leave()

    plan = BulkSend(room_ids=room_ids, fcids=fcids, limits=limits)
    drive(plan, send, concurrency=concurrency)
    check(server, plan, concurrency)
    assert limits.per_request("room_ids") == limits.per_request("fcids") == 25
    if concurrency > 1:
        assert server.max_active > 1


@pytest.mark.parametrize("concurrency", [1, 6])
async def test_adrive_sends_exactly_once_with_bounded_concurrency_despite_faults(
    concurrency: int,
) -> None:
    room_ids, fcids, known = recipients()
    server = FakeServer(limit=30, known=known, seed=10 + concurrency, faults=FAULTS)
    limits = SendLimits()

    async def send(batch: Batch) -> BatchResults:
        server.enter()
        try:
            await asyncio.sleep(0.001)
            return server.handle(batch)
        finally:
            server.leave()

    plan = BulkSend(room_ids=room_ids, fcids=fcids, limits=limits)
    await adrive(plan, send, concurrency=concurrency)
    check(server, plan, concurrency)
    assert limits.per_request("fcids") == 25
    if concurrency > 1:
        assert server.max_active > 1


def test_a_token_refused_every_time_fails_each_batch_after_a_bounded_number_of_resends() -> None:
    sent: list[Batch] = []

    def send(batch: Batch) -> BatchResults:
        sent.append(batch)
        raise InvalidAccessTokenError(
            "FC_INVALID_ACCESS_TOKEN: revoked", errcode="FC_INVALID_ACCESS_TOKEN", status_code=401
        )

    plan = BulkSend(room_ids=[f"!r{i}:x" for i in range(50)], limits=SendLimits(max_room_ids=5))
    report = drive(plan, send, concurrency=1)
    assert len(sent) == 10 * (1 + MAX_TOKEN_REQUEUES)
    assert len(report.failed) == 50
    assert {f.errcode for f in report.failed.values()} == {"FC_INVALID_ACCESS_TOKEN"}


def test_a_batch_refused_for_its_token_is_sent_again_and_then_succeeds() -> None:
    refusals = iter([True, True, False, False])

    def send(batch: Batch) -> BatchResults:
        if next(refusals):
            raise InvalidAccessTokenError(
                "FC_INVALID_ACCESS_TOKEN: revoked",
                errcode="FC_INVALID_ACCESS_TOKEN",
                status_code=401,
            )
        return as_results(
            batch,
            SendMessageResponse.from_dict(
                {"room_id_result": [{"room_id": r, "event_id": "$e:x"} for r in batch.recipients]}
            ),
        )

    plan = BulkSend(room_ids=[f"!r{i}:x" for i in range(4)], limits=SendLimits(max_room_ids=2))
    report = drive(plan, send, concurrency=1)
    assert report.ok
    assert report.requests == 4
    assert len(report.succeeded) == 4


def test_a_bug_in_send_stops_the_send_and_is_raised_with_the_partial_report() -> None:
    def send(batch: Batch) -> BatchResults:
        if batch.number == 2:
            raise KeyError("bug")
        return as_results(
            batch,
            SendMessageResponse(
                room_id_result=[RoomIdResult(room_id=r, event_id="$e:x") for r in batch.recipients]
            ),
        )

    plan = BulkSend(room_ids=[f"!r{i}:x" for i in range(10)], limits=SendLimits(max_room_ids=2))
    with pytest.raises(KeyError, match="bug") as info:
        drive(plan, send, concurrency=1)
    report = plan.report()
    assert list(report.succeeded) == ["!r0:x", "!r1:x"]
    assert set(report.unknown) == {"!r2:x", "!r3:x"}
    assert len(report.not_attempted) == 6
    assert not report.failed
    assert report.requests == 2
    assert info.value.__notes__[0] == (
        "finchat: the send was interrupted: 2 sent, 0 failed, 2 unknown, 6 not attempted"
    )
    assert partial_report(info.value) == report


async def test_cancelling_adrive_leaves_running_requests_unknown_and_sends_nothing_more() -> None:
    started: list[Batch] = []
    five_started = asyncio.Event()
    never = asyncio.Event()

    async def send(batch: Batch) -> BatchResults:
        started.append(batch)
        if len(started) == 5:
            five_started.set()
        if batch.number > 2:
            await never.wait()
        return as_results(
            batch,
            SendMessageResponse(
                fcid_result=[FcidResult(fcid=f, event_id="$e:x") for f in batch.recipients]
            ),
        )

    plan = BulkSend(fcids=[f"@u{i}:x" for i in range(20)], limits=SendLimits(max_fcids=2))
    task = asyncio.create_task(adrive(plan, send, concurrency=3))
    await five_started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    report = plan.report()
    assert len(report.succeeded) == 4
    assert len(report.unknown) == 6  # three requests were waiting on the server
    assert len(report.not_attempted) == 10
    assert set(report.not_attempted.values()) == {"not finished: CancelledError"}
    assert len(started) == 5


def test_a_concurrency_below_one_is_refused() -> None:
    plan = BulkSend(room_ids=["!a:x"], limits=SendLimits())
    with pytest.raises(ValueError, match="concurrency must be a positive int"):
        drive(plan, lambda b: {}, concurrency=0)


def ok_rooms(batch: Batch) -> BatchResults:
    return as_results(
        batch,
        SendMessageResponse(
            room_id_result=[RoomIdResult(room_id=r, event_id="$e:x") for r in batch.recipients]
        ),
    )


def test_a_send_of_one_request_runs_in_the_callers_thread() -> None:
    threads: list[int] = []

    def send(batch: Batch) -> BatchResults:
        threads.append(threading.get_ident())
        return ok_rooms(batch)

    plan = BulkSend(room_ids=["!a:x", "!b:x"], limits=SendLimits())
    assert drive(plan, send, concurrency=8).ok
    assert threads == [threading.get_ident()]


def test_a_send_refused_as_too_large_fans_out_to_concurrent_senders_for_the_rest() -> None:
    threads: set[int] = set()
    gate = threading.Barrier(2, timeout=5)

    def send(batch: Batch) -> BatchResults:
        threads.add(threading.get_ident())
        if len(batch) > 2:
            raise RoomIdLimitExceededError(
                "too many", errcode="FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED", status_code=400
            )
        if batch.number in (2, 3):
            gate.wait()  # the two halves run at once, or this times out
        return ok_rooms(batch)

    plan = BulkSend(room_ids=[f"!r{i}:x" for i in range(4)], limits=SendLimits())
    report = drive(plan, send, concurrency=2)
    assert report.ok
    assert report.requests == 3
    # The caller's thread is one of the two senders.
    assert threading.get_ident() in threads
    assert len(threads) == 2


def test_an_interruption_of_a_send_in_the_callers_thread_leaves_its_batch_unknown() -> None:
    def send(batch: Batch) -> BatchResults:
        raise KeyboardInterrupt

    plan = BulkSend(room_ids=["!a:x", "!b:x"], limits=SendLimits())
    with pytest.raises(KeyboardInterrupt) as info:
        drive(plan, send, concurrency=4)
    assert set(plan.report().unknown) == {"!a:x", "!b:x"}
    assert "2 unknown" in info.value.__notes__[0]


async def test_cancelling_a_one_request_adrive_leaves_its_batch_unknown() -> None:
    entered = asyncio.Event()

    async def send(batch: Batch) -> BatchResults:
        entered.set()
        await asyncio.Event().wait()
        raise AssertionError("never answered")

    plan = BulkSend(fcids=["@a:x"], limits=SendLimits())
    task = asyncio.ensure_future(adrive(plan, send, concurrency=4))
    await entered.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert list(plan.report().unknown) == ["@a:x"]


def test_an_interruption_while_other_threads_send_lets_them_finish_and_sends_nothing_more() -> None:
    in_main = threading.Event()
    sent: list[int] = []
    lock = threading.Lock()

    def send(batch: Batch) -> BatchResults:
        with lock:
            sent.append(batch.number)
        if threading.current_thread() is threading.main_thread():
            raise KeyboardInterrupt
        in_main.wait(0.05)
        return ok_rooms(batch)

    plan = BulkSend(room_ids=[f"!r{i}:x" for i in range(40)], limits=SendLimits(max_room_ids=2))
    with pytest.raises(KeyboardInterrupt):
        drive(plan, send, concurrency=4)
    report = plan.report()
    assert report.total == 40
    # The interrupted request is unknown; the others that started were recorded; nothing else
    # was sent.
    assert len(report.unknown) == 2
    assert len(report.succeeded) == 2 * (len(sent) - 1)
    assert len(report.not_attempted) == 40 - 2 * len(sent)
    assert not report.failed


@pytest.mark.parametrize("concurrency", [1, 4])
def test_a_progress_callback_that_raises_stops_the_send_and_reaches_the_caller(
    concurrency: int,
) -> None:
    def progress(settled: int, total: int) -> None:
        if settled >= 4:
            raise RuntimeError("stop here")

    plan = BulkSend(room_ids=[f"!r{i}:x" for i in range(20)], limits=SendLimits(max_room_ids=2))
    with pytest.raises(RuntimeError, match="stop here"):
        drive(plan, ok_rooms, concurrency=concurrency, progress=progress)
    report = plan.report()
    assert report.total == 20
    assert len(report.succeeded) >= 4
    assert not report.unknown


async def test_an_async_progress_callback_that_raises_reaches_the_caller() -> None:
    async def send(batch: Batch) -> BatchResults:
        return ok_rooms(batch)

    def progress(settled: int, total: int) -> None:
        raise RuntimeError("stop here")

    plan = BulkSend(room_ids=[f"!r{i}:x" for i in range(20)], limits=SendLimits(max_room_ids=2))
    with pytest.raises(RuntimeError, match="stop here"):
        await adrive(plan, send, concurrency=4, progress=progress)
    assert plan.report().total == 20


class _Stop(BaseException):
    """Not an `Exception`: what a callback raising KeyboardInterrupt or SystemExit looks like."""


@pytest.mark.parametrize("driver", ["threads", "tasks"])
async def test_a_progress_callback_raising_any_exception_lets_running_requests_finish(
    driver: str,
) -> None:
    # The same rule in both drivers: the send stops, the request already running ends and is
    # recorded (it is not cancelled, which would leave its recipients unknown), and the
    # callback's exception reaches the caller.
    second_started = threading.Event()
    second_task_started = asyncio.Event()
    progress_raised = threading.Event()
    released = asyncio.Event()
    loop = asyncio.get_running_loop()

    def progress(settled: int, total: int) -> None:
        if not progress_raised.is_set():
            progress_raised.set()
            # The running request answers well after the send had time to cancel it.
            loop.call_soon_threadsafe(loop.call_later, 0.05, released.set)
            raise _Stop

    def answer(batch: Batch) -> BatchResults:
        if batch.number == 1:
            assert second_started.wait(5)
        else:
            second_started.set()
            assert progress_raised.wait(5)
        return ok_rooms(batch)

    async def async_answer(batch: Batch) -> BatchResults:
        if batch.number == 1:
            await second_task_started.wait()
        else:
            second_task_started.set()
            await released.wait()
        return ok_rooms(batch)

    plan = BulkSend(room_ids=[f"!r{i}:x" for i in range(4)], limits=SendLimits(max_room_ids=2))
    run = (
        asyncio.to_thread(drive, plan, answer, concurrency=2, progress=progress)
        if driver == "threads"
        else adrive(plan, async_answer, concurrency=2, progress=progress)
    )
    with pytest.raises(_Stop) as info:
        await run
    report = plan.report()
    assert set(report.succeeded) == {f"!r{i}:x" for i in range(4)}
    assert not report.unknown
    assert "4 sent" in info.value.__notes__[0]
