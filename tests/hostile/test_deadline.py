"""The overall deadline ends an attempt wherever it waits, the body's reading included; sending an
upload's own bytes does not count against it.

Each slow server here would hold a call for 30 s or more; the deadlines are 1 s. The bounds
asserted (ten seconds and more) leave a loaded machine all the room it needs and still fail a
client that waits for the server.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from finchat_wrapper import APITimeoutError, DeadlineExceededError, RetryPolicy

from .conftest import FCID, HostileServer, Runner, stall, trickle

# A trickle of one byte each 0.5 s under a read timeout of 2 s: no read ever times out.
TRICKLE = trickle(0.5, total=60)
DEADLINE = RetryPolicy(sleep=False, deadline=1.0)
TIMEOUT = 2.0
WITHIN = 12.0  # far below the 30 s the trickle lasts


def _timed(run: Runner, action: Any, **kwargs: Any) -> tuple[BaseException, float]:
    started = time.monotonic()
    with pytest.raises(DeadlineExceededError) as caught:
        run(action, timeout=TIMEOUT, retry_policy=DEADLINE, **kwargs)
    return caught.value, time.monotonic() - started


def test_a_trickling_answer_body_is_cut_off_at_the_deadline(
    run: Runner, hostile: HostileServer
) -> None:
    hostile.on("user", TRICKLE)
    error, took = _timed(run, lambda c: c.users.get(FCID))
    assert took < WITHIN
    assert isinstance(error, APITimeoutError)
    assert "deadline of 1 s" in str(error)
    assert hostile.saw_hang_up()  # the client hung up, and the server saw it
    assert hostile.hits("user") == 1  # a deadline is never retried


def test_a_trickling_token_answer_is_cut_off_at_the_deadline_of_the_call_that_needs_it(
    run: Runner, hostile: HostileServer
) -> None:
    hostile.on("token", TRICKLE)
    _, took = _timed(run, lambda c: c.users.get(FCID))
    assert took < WITHIN
    assert hostile.hits("user") == 0


def test_a_trickling_answer_to_auth_token_is_cut_off_at_the_deadline(
    run: Runner, hostile: HostileServer
) -> None:
    hostile.on("token", TRICKLE)
    _, took = _timed(run, lambda c: c.auth.token())
    assert took < WITHIN


def test_a_server_that_never_answers_ends_the_call_at_the_deadline(
    run: Runner, hostile: HostileServer
) -> None:
    hostile.on("user", stall)
    started = time.monotonic()
    with pytest.raises(DeadlineExceededError):
        run(lambda c: c.users.get(FCID), timeout=30.0, retry_policy=DEADLINE)
    assert time.monotonic() - started < WITHIN


def test_a_trickling_answer_to_a_send_leaves_its_recipients_unknown_not_resent(
    run: Runner, hostile: HostileServer
) -> None:
    hostile.on("send", TRICKLE)
    started = time.monotonic()
    report = run(
        lambda c: c.messages.send({"msgtype": "m.text", "body": "hi"}, room_ids=["!r:h.test"]),
        timeout=TIMEOUT,
        retry_policy=DEADLINE,
    )
    assert time.monotonic() - started < WITHIN
    assert list(report.unknown) == ["!r:h.test"]
    assert "deadline" in report.unknown["!r:h.test"]
    assert hostile.hits("send") == 1


def _slow_chunks(count: int, pause: float) -> Iterator[bytes]:
    yield b"%PDF-1.4\n"
    for _ in range(count):
        time.sleep(pause)
        yield b"x" * 1024


async def _aslow_chunks(count: int, pause: float) -> AsyncIterator[bytes]:
    yield b"%PDF-1.4\n"
    for _ in range(count):
        await asyncio.sleep(pause)
        yield b"x" * 1024


def test_an_upload_that_takes_longer_than_the_deadline_is_not_cut_off(
    run: Runner, hostile: HostileServer
) -> None:
    # 1.5 s of sending against a 1 s deadline: the upload's own bytes do not count.
    policy = RetryPolicy(sleep=False, deadline=1.0)
    source = _aslow_chunks(6, 0.25) if run.is_async else _slow_chunks(6, 0.25)
    uri = run(lambda c: c.media.upload(source, filename="slow.pdf"), retry_policy=policy)
    assert str(uri) == "mxc://hostile.test/media1"
    assert len(hostile.received[-1].body) == 9 + 6 * 1024


def test_the_answer_to_an_upload_still_has_the_deadline(
    run: Runner, hostile: HostileServer
) -> None:
    hostile.on("upload", TRICKLE)
    source = _aslow_chunks(2, 0.1) if run.is_async else _slow_chunks(2, 0.1)
    _, took = _timed(run, lambda c: c.media.upload(source, filename="x.pdf"))
    assert took < WITHIN
