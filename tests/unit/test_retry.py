"""The retry decision: what is repeated for which operation, and how long it waits."""

from __future__ import annotations

import email.utils

import httpx
import pytest

from finchat_wrapper import APIConnectionError, APITimeoutError, RetryPolicy
from finchat_wrapper._errors import APIError, FinChatError, api_error_from_response
from finchat_wrapper._retry import decide_retry, is_retryable, parse_retry_after

REQUEST = httpx.Request("GET", "https://finchat.test/x")
NOW = 1_800_000_000.0


def api_error(status: int, errcode: str | None = None, **headers: str) -> APIError:
    body = {"errcode": errcode, "error": "e"} if errcode else None
    return api_error_from_response(
        httpx.Response(status, json=body, headers=headers, request=REQUEST)
    )


NEVER_SENT = APIConnectionError("connect refused", maybe_processed=False)
CONNECT_TIMEOUT = APITimeoutError("connect timeout", maybe_processed=False)
MAYBE_SENT = APIConnectionError("reset after write", maybe_processed=True)
READ_TIMEOUT = APITimeoutError("read timeout", maybe_processed=True)


@pytest.mark.parametrize(
    ("error", "safe", "unsafe"),
    [
        (NEVER_SENT, True, True),
        (CONNECT_TIMEOUT, True, True),
        (MAYBE_SENT, True, False),
        (READ_TIMEOUT, True, False),
        (api_error(500, "FC_INTERNAL_ERROR"), True, False),
        (api_error(200 + 300), True, False),
        (api_error(502), True, False),
        (api_error(520), True, False),
        (api_error(429), True, False),
        (api_error(408), True, False),
        (api_error(400, "FC_INTERNAL_ERROR"), True, False),
        (api_error(400, "FC_BAD_JSON"), False, False),
        (api_error(401, "FC_INVALID_ACCESS_TOKEN"), False, False),
        (api_error(401, "FC_INVALID_SECRET"), False, False),
        (api_error(403, "FC_APP_NOT_PUBLISHED"), False, False),
        (api_error(404, "FC_APP_NOT_FOUND"), False, False),
        (api_error(404, "FC_UNKNOWN"), False, False),
        (api_error(400, "FC_MESSAGE_FCID_LIMIT_EXCEEDED"), False, False),
    ],
)
def test_what_is_retried_for_safe_and_unsafe_operations(
    error: FinChatError, safe: bool, unsafe: bool
) -> None:
    assert is_retryable(error, safe=True) is safe
    assert is_retryable(error, safe=False) is unsafe


def decide(error: FinChatError, **overrides: object) -> float | None:
    arguments: dict[str, object] = {
        "safe": True,
        "retries_done": 0,
        "max_retries": 2,
        "elapsed": 0.0,
        "policy": RetryPolicy(),
        "now": NOW,
        "rand": lambda: 0.999999,
    }
    arguments.update(overrides)
    return decide_retry(error, **arguments)  # type: ignore[arg-type]


def test_backoff_doubles_per_retry_up_to_the_cap() -> None:
    policy = RetryPolicy(initial_delay=0.5, max_delay=3.0, jitter=False)
    delays = [
        decide(api_error(503), retries_done=n, max_retries=10, policy=policy) for n in range(5)
    ]
    assert delays == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_jitter_keeps_the_delay_between_half_and_all_of_the_backoff() -> None:
    policy = RetryPolicy(initial_delay=1.0)
    assert decide(api_error(503), policy=policy, rand=lambda: 0.0) == 0.5
    low_high = decide(api_error(503), policy=policy, rand=lambda: 0.999999)
    assert low_high is not None
    assert 0.99 < low_high < 1.0


def test_max_retries_bounds_the_retries() -> None:
    assert decide(api_error(503), retries_done=1, max_retries=2) is not None
    assert decide(api_error(503), retries_done=2, max_retries=2) is None


def test_max_retries_zero_disables_retries() -> None:
    assert decide(NEVER_SENT, max_retries=0) is None


def test_a_non_retryable_error_is_raised_at_once() -> None:
    assert decide(api_error(400, "FC_BAD_JSON")) is None
    assert decide(MAYBE_SENT, safe=False) is None


def test_retry_after_seconds_is_honoured() -> None:
    assert decide(api_error(429, **{"Retry-After": "3"})) == 3.0


def test_retry_after_http_date_is_honoured() -> None:
    date = email.utils.formatdate(NOW + 7, usegmt=True)
    assert decide(api_error(503, **{"Retry-After": date})) == pytest.approx(7.0)


def test_retry_after_beyond_the_limit_raises_instead_of_waiting() -> None:
    assert decide(api_error(429, **{"Retry-After": "3600"})) is None


def test_the_overall_deadline_stops_retries() -> None:
    policy = RetryPolicy(deadline=10.0, jitter=False, initial_delay=1.0)
    assert decide(api_error(503), elapsed=8.5, policy=policy) == 1.0
    assert decide(api_error(503), elapsed=9.5, policy=policy) is None
    assert decide(api_error(503, **{"Retry-After": "5"}), elapsed=6, policy=policy) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("soon", None),
        ("nan", None),
        ("inf", None),
        ("-5", 0.0),
        (" 2 ", 2.0),
        ("1.5", 1.5),
        (email.utils.formatdate(NOW - 30, usegmt=True), 0.0),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header, now=NOW) == expected


@pytest.mark.parametrize("field", ["initial_delay", "max_delay", "deadline"])
@pytest.mark.parametrize("value", [-1, float("nan"), float("inf")])
def test_retry_policy_rejects_nonsense(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        RetryPolicy(**{field: value})  # type: ignore[arg-type]
