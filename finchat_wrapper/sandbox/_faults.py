"""Seeded, deterministic fault injection.

A `FaultPlan` says how often each fault happens; a `FaultInjector` (one per installed plan) draws
from its own `random.Random(plan.seed)`, so the same plan facing the same sequence of requests
injects the same faults, run after run.

Dropped connections. An ASGI app cannot close its own connection, so the app only *decides* a drop
and marks its response with the internal header `x-finchat-sandbox-fault`:
- `drop-before`: answered at once, before anything is processed (no state changes);
- `drop-after`: answered after the operation took effect.
The sandbox's transports (`Sandbox.transport()`, `Sandbox.async_transport()`) turn the mark into
the exception a real network gives: `httpx.ConnectError` for drop-before (the request provably
never reached the server: safe to retry) and `httpx.RemoteProtocolError` for drop-after (the
outcome is unknown). Served over a real socket (`serve()`), drop-after is also a real broken
connection: the response head goes out with a `Content-Length` it never honours and the
connection is then aborted, which any HTTP client reports as a read-side protocol error.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

FAULT_HEADER = "x-finchat-sandbox-fault"
DROP_BEFORE = "drop-before"
DROP_AFTER = "drop-after"


@dataclass(frozen=True)
class ErrorFault:
    """One kind of injected error answer."""

    status: int = 500
    errcode: str = "FC_INTERNAL_ERROR"
    error: str = "injected fault"
    # An HTML body instead of the error envelope, as a proxy in front of FinChat would answer.
    html: bool = False
    retry_after: float | None = None

    @classmethod
    def internal_error(cls) -> ErrorFault:
        return cls(500, "FC_INTERNAL_ERROR", "internal error (injected)")

    @classmethod
    def bad_gateway_html(cls) -> ErrorFault:
        return cls(502, "", "", html=True)

    @classmethod
    def rate_limited(cls, retry_after: float = 1.0) -> ErrorFault:
        return cls(429, "FC_UNKNOWN", "too many requests (injected)", retry_after=retry_after)


@dataclass(frozen=True)
class FaultPlan:
    """How often each fault happens, as probabilities in [0, 1] drawn per request or delivery.

    `operations` restricts request faults to those operation ids (None: every FinChat operation;
    the simulation API is never faulted). Exactly one request fault at most hits a request, tried
    in the order drop-before, error, drop-after, token revocation; latency adds to any of them,
    and recipient errors to a request that is processed.
    """

    seed: int = 0
    error_rate: float = 0.0
    errors: tuple[ErrorFault, ...] = (ErrorFault.internal_error(),)
    latency: float = 0.0
    latency_rate: float = 1.0
    drop_before_rate: float = 0.0
    drop_after_rate: float = 0.0
    token_revocation_rate: float = 0.0
    # Per addressed room or user of send, send-as-user and update-cui: that recipient's result is
    # FC_INTERNAL_ERROR and nothing reaches it, while the others succeed.
    recipient_error_rate: float = 0.0
    callback_failure_rate: float = 0.0
    duplicate_delivery_rate: float = 0.0
    operations: Collection[str] | None = None

    def __post_init__(self) -> None:
        for name in (
            "error_rate",
            "latency_rate",
            "drop_before_rate",
            "drop_after_rate",
            "token_revocation_rate",
            "recipient_error_rate",
            "callback_failure_rate",
            "duplicate_delivery_rate",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"FaultPlan.{name} must be within [0, 1], got {value!r}")
        if self.latency < 0:
            raise ValueError("FaultPlan.latency must not be negative")
        if self.error_rate and not self.errors:
            raise ValueError("FaultPlan.errors must name at least one error when error_rate > 0")


@dataclass(frozen=True)
class RequestFaults:
    """What the injector decided for one request."""

    latency: float = 0.0
    drop_before: bool = False
    error: ErrorFault | None = None
    drop_after: bool = False
    revoke_token: bool = False
    # Drawn once per recipient while the request is processed.
    recipient_fails: Callable[[], bool] | None = None


NO_FAULTS = RequestFaults()


@dataclass
class FaultInjector:
    plan: FaultPlan
    _rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.plan.seed)

    def _hit(self, rate: float) -> bool:
        # Always draw, so that a fault's rate never shifts the draws of the others.
        draw = self._rng.random()
        return draw < rate

    def for_request(self, operation_id: str) -> RequestFaults:
        plan = self.plan
        if plan.operations is not None and operation_id not in plan.operations:
            return NO_FAULTS
        latency = plan.latency if self._hit(plan.latency_rate) and plan.latency else 0.0
        drop_before = self._hit(plan.drop_before_rate)
        error_hit = self._hit(plan.error_rate)
        error_pick = self._rng.randrange(len(plan.errors)) if plan.errors else 0
        drop_after = self._hit(plan.drop_after_rate)
        revoke = self._hit(plan.token_revocation_rate)
        recipient_fails = self._recipient_fails if plan.recipient_error_rate else None
        if drop_before:
            return RequestFaults(latency=latency, drop_before=True)
        if error_hit:
            return RequestFaults(latency=latency, error=plan.errors[error_pick])
        if drop_after:
            return RequestFaults(latency=latency, drop_after=True, recipient_fails=recipient_fails)
        return RequestFaults(latency=latency, revoke_token=revoke, recipient_fails=recipient_fails)

    def _recipient_fails(self) -> bool:
        return self._hit(self.plan.recipient_error_rate)

    def callback_fails(self) -> bool:
        return self._hit(self.plan.callback_failure_rate)

    def duplicate_delivery(self) -> bool:
        return self._hit(self.plan.duplicate_delivery_rate)
