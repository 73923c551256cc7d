"""The keeper of a fleet store: its schedule on a virtual clock, and both workers carrying out
chores that fail the way a call to an unreachable Redis fails. No server needed."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
import redis

from finchat_wrapper.fleet._keeper import (
    BACKOFF_CAP,
    Chore,
    Chores,
    TaskKeeper,
    ThreadKeeper,
)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _noop() -> int:
    return 1


def test_a_one_off_is_due_at_once_and_done_once_it_succeeds() -> None:
    clock = Clock()
    chores = Chores(clock)
    chore = chores.add(Chore("release", _noop, until=clock.now + 10))
    assert chores.next() == clock.now
    assert chores.take() == [chore]
    chores.succeeded(chore, 1)
    assert len(chores) == 0
    assert chores.next() is None


def test_a_failed_attempt_backs_off_exponentially_up_to_the_cap() -> None:
    clock = Clock()
    chores = Chores(clock)
    chore = chores.add(Chore("fence", _noop, until=clock.now + 60))
    waits = []
    for _ in range(6):
        chores.failed(chore)
        waits.append(round(chore.due - clock.now, 3))
    assert waits == [0.05, 0.1, 0.2, 0.4, BACKOFF_CAP, BACKOFF_CAP]
    assert chores.take() == []  # not due during its backoff
    clock.now += BACKOFF_CAP
    assert chores.take() == [chore]


def test_a_renewal_repeats_until_its_reply_says_the_lease_is_gone() -> None:
    clock = Clock()
    chores = Chores(clock)
    renewal = chores.add(Chore("renewal", _noop, until=clock.now + 60, every=1.0), delay=1.0)
    assert chores.take() == []
    clock.now += 1.0
    assert chores.take() == [renewal]
    chores.succeeded(renewal, 1)
    assert renewal.due == clock.now + 1.0
    clock.now += 1.0
    chores.succeeded(renewal, 0)
    assert len(chores) == 0


def test_a_failing_renewal_is_retried_sooner_than_its_period() -> None:
    clock = Clock()
    chores = Chores(clock)
    renewal = chores.add(Chore("renewal", _noop, until=clock.now + 60, every=0.03))
    chores.failed(renewal)
    assert renewal.due - clock.now == pytest.approx(0.03)


def test_a_chore_is_dropped_when_it_no_longer_matters(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    chores = Chores(clock)
    chores.add(Chore("done mark", _noop, until=clock.now + 5))
    clock.now += 5
    assert chores.next() is None
    assert "Redis did not answer in time for a done mark" in caplog.text


def test_a_chore_cancelled_while_it_ran_is_not_scheduled_again() -> None:
    clock = Clock()
    chores = Chores(clock)
    renewal = chores.add(Chore("renewal", _noop, until=clock.now + 60, every=1.0))
    chores.cancel(renewal)
    chores.succeeded(renewal, 1)
    chores.failed(renewal)
    assert len(chores) == 0


def test_past_the_limit_the_oldest_one_off_is_forgotten_never_a_renewal(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    chores = Chores(clock, limit=3)
    renewal = chores.add(Chore("renewal", _noop, until=clock.now + 1, every=1.0))
    oldest = chores.add(Chore("fence 1", _noop, until=clock.now + 10))
    newer = chores.add(Chore("fence 2", _noop, until=clock.now + 20))
    newest = chores.add(Chore("fence 3", _noop, until=clock.now + 30))
    assert set(chores.take()) == {renewal, newer, newest}
    assert oldest not in chores.take()
    assert "gave up on a fence 1" in caplog.text


class Flaky:
    """One attempt after another: raises redis.ConnectionError `failures` times, then answers."""

    def __init__(self, failures: int, reply: Any = 1) -> None:
        self.failures = failures
        self.reply = reply
        self.calls = 0
        self.done = threading.Event()

    def __call__(self) -> Any:
        self.calls += 1
        if self.calls <= self.failures:
            raise redis.ConnectionError("Connection refused")
        self.done.set()
        return self.reply


def test_the_thread_keeper_retries_a_chore_until_redis_answers_then_its_thread_ends() -> None:
    keeper = ThreadKeeper("test-keeper")
    attempt = Flaky(failures=3)
    keeper.add(Chore("release", attempt, until=1e12))
    assert attempt.done.wait(timeout=10)
    assert attempt.calls == 4
    keeper.close()


def test_the_thread_keeper_drops_a_chore_that_fails_for_another_reason(
    caplog: pytest.LogCaptureFixture,
) -> None:
    keeper = ThreadKeeper("test-keeper")
    ran = threading.Event()

    def broken() -> None:
        ran.set()
        raise RuntimeError("a bug, not Redis")

    keeper.add(Chore("broken", broken, until=1e12))
    after = Flaky(failures=0)
    assert ran.wait(timeout=10)
    keeper.add(Chore("after", after, until=1e12))
    assert after.done.wait(timeout=10)  # the worker survived it
    keeper.close()
    assert "broken failed" in caplog.text


def test_a_closed_thread_keeper_takes_no_more_chores(caplog: pytest.LogCaptureFixture) -> None:
    keeper = ThreadKeeper("test-keeper")
    keeper.add(Chore("fence", Flaky(failures=10**9), until=1e12), delay=60)
    keeper.close()
    assert "closed with 1 chores Redis never took" in caplog.text
    keeper.add(Chore("late", _noop, until=1e12))
    assert len(keeper) == 0


async def test_the_task_keeper_awaits_async_attempts_and_retries_them() -> None:
    keeper = TaskKeeper()
    attempt = Flaky(failures=2)

    async def run() -> Any:
        return attempt()

    keeper.add(Chore("release", run, until=1e12))
    await asyncio.wait_for(asyncio.to_thread(attempt.done.wait), timeout=10)
    assert attempt.calls == 3
    await keeper.aclose()


async def test_the_task_keeper_renews_until_cancelled_and_closes_cleanly() -> None:
    keeper = TaskKeeper()
    renewals = 0
    three = asyncio.Event()

    async def renew() -> int:
        nonlocal renewals
        renewals += 1
        if renewals == 3:
            three.set()
        return 1

    renewal = keeper.add(Chore("renewal", renew, until=1e12, every=0.01))
    await asyncio.wait_for(three.wait(), timeout=10)
    keeper.cancel(renewal)
    assert len(keeper) == 0
    await keeper.aclose()
