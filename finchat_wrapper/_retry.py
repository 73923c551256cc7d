"""When to repeat a failed request, and how long to wait first: one pure decision.

What is safe to repeat depends on the operation. The token request, the reads and the CUI update
give the same result when repeated, so any failure that may be transient (a timeout, a dropped
connection, a 5xx, FC_INTERNAL_ERROR, 429) is retried. A message send or an upload is retried only
when the request provably never reached the server (no connection could be made, or none was free
in the pool): repeating a send the server may have processed would deliver the message twice.
"""

from __future__ import annotations

import email.utils
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from ._constants import (
    DEFAULT_RETRY_DEADLINE,
    INITIAL_RETRY_DELAY,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
)
from ._errors import APIError, DeadlineExceededError, FinChatError, TransportError

__all__ = ["RetryPolicy", "decide_retry", "is_retryable", "parse_retry_after"]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How retries wait. The number of retries is the client's `max_retries`.

    `deadline` bounds the whole call: no backoff is waited that would end past `deadline` seconds
    after the first attempt, and a retry's timeouts are shortened to the time left.
    `sleep=False` is the testing switch (like `stamina.set_testing`): retries happen at once, with
    the same decisions, so tests of retry paths take no time.
    """

    initial_delay: float = INITIAL_RETRY_DELAY
    max_delay: float = MAX_RETRY_DELAY
    deadline: float = DEFAULT_RETRY_DEADLINE
    jitter: bool = True
    sleep: bool = True

    def __post_init__(self) -> None:
        for name in ("initial_delay", "max_delay", "deadline"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
                raise ValueError(f"RetryPolicy.{name} must be a finite number >= 0, not {value!r}")


def is_retryable(error: FinChatError, *, safe: bool) -> bool:
    """Whether a request that failed with `error` may be sent again.

    `safe`: the operation may be repeated (or the failure happened while fetching the token, so
    the operation itself was never sent).
    """
    if isinstance(error, DeadlineExceededError):
        return False  # the time the caller gave is spent, whatever a clock a test injects says
    if isinstance(error, TransportError):
        return safe or not error.maybe_processed
    if isinstance(error, APIError) and safe:
        return (
            error.status_code >= 500
            or error.status_code in (408, 429)
            or error.errcode == "FC_INTERNAL_ERROR"
        )
    return False


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date); None if unusable.

    `now` is the wall-clock time (an HTTP date is absolute).
    """
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        seconds = when.timestamp() - now
    if not math.isfinite(seconds):
        return None
    return max(seconds, 0.0)


def decide_retry(
    error: FinChatError,
    *,
    safe: bool,
    retries_done: int,
    max_retries: int,
    elapsed: float,
    policy: RetryPolicy,
    now: float,
    rand: Callable[[], float] = random.random,
) -> float | None:
    """Seconds to wait before the next attempt, or None to raise `error` now.

    `retries_done` counts the retries already made; `elapsed` is the time since the first attempt;
    `now` the wall-clock time (for an HTTP-date Retry-After); `rand` returns a float in [0, 1).
    """
    if retries_done >= max_retries or not is_retryable(error, safe=safe):
        return None
    retry_after = None
    if isinstance(error, APIError) and error.response is not None:
        retry_after = parse_retry_after(error.response.headers.get("Retry-After"), now=now)
    if retry_after is not None:
        if retry_after > MAX_RETRY_AFTER:
            return None
        delay = retry_after
    else:
        delay = min(policy.max_delay, policy.initial_delay * 2**retries_done)
        if policy.jitter:
            # Between half and all of the backoff: spreads out clients that failed together.
            delay *= 0.5 + rand() / 2
    if elapsed + delay > policy.deadline:
        return None
    return delay
