"""What every send of the areas shares: its plan and requests, prepared without I/O, and the run.

A send is prepared once for both clients: the recipients are checked and planned (`BulkSend`),
and the content is checked by building a first request, so a bad argument raises on the caller's
line before anything is sent. Only then does `run_send` (the caller's thread and up to
`concurrency - 1` more) or `arun_send` (tasks) run the plan's requests, each through the client's
request loop (token, one replay on a refused token, retries only where nothing can be sent
twice, errors).

Recipients. `room_ids` and `fcids` may be given together. The server ignores `fcids` in a request
whose `room_ids` is not empty, so the client never mixes them: rooms and users go in separate
requests and both get the message, and a `UserWarning` says so (unless the caller passes
`warn_mixed_recipients=False`), since a user who is also in one of the rooms then sees the
message twice (once in the room, once in the direct room). Repeated ids are sent once. The
recipients of one request are bounded by the client's `SendLimits`: the configured maximum,
lowered for the client's life when the server answers `FC_MESSAGE_*_LIMIT_EXCEEDED`.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

from .._bulk import (
    Batch,
    BatchResults,
    BulkSend,
    SendLimits,
    SendProgress,
    SendReport,
    adrive,
    check_concurrency,
    drive,
    parse_answer,
)
from .._errors import InvalidResponseError
from .._logging import logger

if TYPE_CHECKING:
    import httpx
    from finchat_openapi.models import SendMessageResponse

    from .._operations import Call

__all__ = [
    "DEFAULT_SEND_CONCURRENCY",
    "MIXED_RECIPIENTS_WARNING",
    "BuildCall",
    "SendDefaults",
    "arun_send",
    "batch_builder",
    "pick_concurrency",
    "plan_send",
    "run_send",
]

DEFAULT_SEND_CONCURRENCY = 8
"""Requests of one send in flight at once: enough to hide a round trip, few enough that one
broadcast does not take a server's whole connection budget."""

MIXED_RECIPIENTS_WARNING = (
    "room_ids and fcids given together: the server would ignore fcids in a request with room_ids, "
    "so they are sent in separate requests and both get the message; a user who is also in one "
    "of the rooms sees it twice. Send to one kind per call, or pass "
    "warn_mixed_recipients=False, to avoid this warning."
)

BuildCall: TypeAlias = "Callable[[Batch], Call[SendMessageResponse]]"
"""The request of one batch of a send."""
MakeCall: TypeAlias = "Callable[[list[str], list[str]], Call[SendMessageResponse]]"
"""A builder of `_operations` with everything but the recipients bound: `(room_ids, fcids)`."""


class SendDefaults(Protocol):
    """The settings of a client's sends, held by `client.messages` and used by `client.media`."""

    @property
    def limits(self) -> SendLimits: ...

    @property
    def concurrency(self) -> int: ...


def plan_send(
    room_ids: Iterable[str],
    fcids: Iterable[str],
    limits: SendLimits,
    *,
    require_event_id: bool = True,
    warn_mixed: bool = True,
    stacklevel: int,
) -> BulkSend:
    """The checked plan of a send (ValueError for no or malformed recipients).

    `stacklevel` counts the frames from this function's caller to the user's line, which the
    mixed-recipients warning points at.
    """
    if isinstance(room_ids, str) or isinstance(fcids, str):
        # A str is an iterable of one-letter "ids": refuse it clearly instead.
        raise TypeError("room_ids and fcids take a list of ids, not one str")
    plan = BulkSend(
        room_ids=room_ids, fcids=fcids, limits=limits, require_event_id=require_event_id
    )
    if warn_mixed and plan.has_both_kinds:
        warnings.warn(MIXED_RECIPIENTS_WARNING, UserWarning, stacklevel=stacklevel + 1)
    return plan


def batch_builder(plan: BulkSend, make: MakeCall) -> BuildCall:
    """`batch -> Call` of a send, checked now by building the request of a first recipient.

    The builders of `_operations` check the content, the sender, the event id; running one before
    any request means a bad argument is a ValueError on the caller's line, not a failure inside
    the driver (which would leave a batch unknown). Each batch's request is that checked one with
    its own recipients (checked by the plan), so a broadcast checks its content once.
    """
    kind, first = plan.first_recipient
    probe = make([first], []) if kind == "room_ids" else make([], [first])
    others = {k: v for k, v in probe.json.items() if k not in ("room_ids", "fcids")}

    def build(batch: Batch) -> Call[SendMessageResponse]:
        return dataclasses.replace(probe, json={**others, **batch.request_fields()})

    return build


def pick_concurrency(default: int, given: int | None) -> int:
    """The concurrency of one send: the call's own, else the client's; checked."""
    return check_concurrency(default if given is None else given)


def _read_answer(batch: Batch, response: httpx.Response) -> BatchResults:
    try:
        data = response.json()
    except ValueError as exc:
        raise InvalidResponseError(
            f"the HTTP {response.status_code} answer to a send is not JSON", response=response
        ) from exc
    return parse_answer(batch, data)


def _finished(what: str, plan: BulkSend, report: SendReport) -> SendReport:
    logger.debug("%s: %d recipients, %r", what, plan.total, report)
    return report


def run_send(
    request: Callable[[Call[Any]], httpx.Response],
    what: str,
    plan: BulkSend,
    build: BuildCall,
    concurrency: int,
    progress: SendProgress | None,
) -> SendReport:
    """Run a prepared send through `request` (a client's `_request`) on threads."""
    report = drive(
        plan,
        lambda batch: _read_answer(batch, request(build(batch))),
        concurrency=concurrency,
        progress=progress,
    )
    return _finished(what, plan, report)


async def arun_send(
    request: Callable[[Call[Any]], Awaitable[httpx.Response]],
    what: str,
    plan: BulkSend,
    build: BuildCall,
    concurrency: int,
    progress: SendProgress | None,
) -> SendReport:
    """Run a prepared send through `request` (a client's `_request`) in tasks."""

    async def send_batch(batch: Batch) -> BatchResults:
        return _read_answer(batch, await request(build(batch)))

    report = await adrive(plan, send_batch, concurrency=concurrency, progress=progress)
    return _finished(what, plan, report)
