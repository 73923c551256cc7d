"""What every send of the areas shares: its plan and requests, prepared without I/O, and the run.

A send is prepared once for both clients, without I/O: `plan_send` checks and plans the
recipients (`BulkSend`) and the concurrency, and `SendPlan.prepared` checks the content by
building a first request, so a bad argument raises on the caller's line before anything is sent.
Only then does `run_send` (the caller's thread and up to `concurrency - 1` more) or `arun_send`
(tasks) run the plan's requests, each through the client's request loop (token, one replay on a
refused token, retries only where nothing can be sent twice, errors).

Recipients. `room_ids` and `fcids` may be given together. The server ignores `fcids` in a request
whose `room_ids` is not empty, so the client never mixes them: rooms and users go in separate
requests and both get the message, and a `UserWarning` says so (unless the caller passes
`warn_mixed_recipients=False`), since a user who is also in one of the rooms then sees the
message twice (once in the room, once in the direct room). Repeated ids are sent once. The
recipients of one request are bounded by the client's `SendLimits`: the configured maximum,
lowered for the client's life when the server answers `FC_MESSAGE_*_LIMIT_EXCEEDED`.
"""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeAlias, TypedDict

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
from .._constants import DEFAULT_SEND_CONCURRENCY
from .._errors import InvalidResponseError
from .._logging import logger
from .._upload import ProgressCallback

if TYPE_CHECKING:
    import httpx
    from finchat_openapi.models import SendMessageResponse

    from .._operations import Call

__all__ = [
    "DEFAULT_SEND_CONCURRENCY",
    "MIXED_RECIPIENTS_WARNING",
    "BuildCall",
    "MediaSendOptions",
    "PreparedSend",
    "RecipientOptions",
    "SendDefaults",
    "SendOptions",
    "SendPlan",
    "arun_send",
    "batch_builder",
    "plan_send",
    "run_send",
]


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


class RecipientOptions(TypedDict, total=False):
    """The keyword arguments every send takes (see `SendOptions`)."""

    room_ids: Iterable[str]
    fcids: Iterable[str]
    concurrency: int | None
    warn_mixed_recipients: bool


class SendOptions(RecipientOptions, total=False):
    """The keyword arguments of every send of `client.messages`, written once for all of them.

    - `room_ids`, `fcids`: the recipients, any number of each (see the module docstring).
    - `concurrency`: requests in flight for this send (default: the client's
      `send_concurrency`).
    - `progress`: called as `progress(recipients_settled, total)` as requests end.
    - `warn_mixed_recipients`: False when rooms and users are both meant: no `UserWarning`.
    """

    progress: SendProgress | None


class MediaSendOptions(RecipientOptions, total=False):
    """The keyword arguments of `media.send_image` / `send_file`: those of `SendOptions`, and

    - `filename`, `content_type`: override what is taken from the source;
    - `body`: the text clients show instead of the file (its name by default);
    - `progress`: called as `progress(bytes_sent, total)` while uploading;
    - `send_progress`: called as `send_progress(recipients_settled, total)` while sending.
    """

    filename: str | None
    content_type: str | None
    body: str | None
    progress: ProgressCallback | None
    send_progress: SendProgress | None


class SendDefaults(Protocol):
    """The settings of a client's sends, held by `client.messages` and used by `client.media`."""

    @property
    def limits(self) -> SendLimits: ...

    @property
    def concurrency(self) -> int: ...


def _plan_recipients(
    room_ids: Iterable[str],
    fcids: Iterable[str],
    limits: SendLimits,
    *,
    require_event_id: bool,
    warn_mixed: bool,
    stacklevel: int,
) -> BulkSend:
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
    # One probe per kind of recipient: a request to users may carry fields one to rooms does
    # not (the topic of a send as a user).
    probes = {
        kind: make([first], []) if kind == "room_ids" else make([], [first])
        for kind, first in plan.first_recipients.items()
    }
    others = {
        kind: {k: v for k, v in probe.json.items() if k not in ("room_ids", "fcids")}
        for kind, probe in probes.items()
    }

    def build(batch: Batch) -> Call[SendMessageResponse]:
        fields = {**others[batch.kind], **batch.request_fields()}
        return probes[batch.kind]._replace(json=fields)

    return build


# NamedTuples, not dataclasses: making a dataclass costs a millisecond of `import finchat_wrapper`.
class PreparedSend(NamedTuple):
    """A send checked and planned, ready for `run_send` / `arun_send`."""

    what: str
    plan: BulkSend
    build: BuildCall
    concurrency: int
    progress: SendProgress | None


class SendPlan(NamedTuple):
    """The recipients and the concurrency of a send, checked; the content comes next."""

    plan: BulkSend
    concurrency: int
    progress: SendProgress | None

    def prepared(self, what: str, make: MakeCall) -> PreparedSend:
        """The send whose requests `make` builds, checked by building the first one."""
        build = batch_builder(self.plan, make)
        return PreparedSend(what, self.plan, build, self.concurrency, self.progress)


def plan_send(
    defaults: SendDefaults,
    *,
    room_ids: Iterable[str] = (),
    fcids: Iterable[str] = (),
    concurrency: int | None = None,
    progress: SendProgress | None = None,
    warn_mixed_recipients: bool = True,
    require_event_id: bool = True,
    stacklevel: int,
) -> SendPlan:
    """The checked plan of a send (ValueError for no or malformed recipients or concurrency).

    The keyword arguments are `SendOptions`, named here (so that a misspelt one is a TypeError)
    and nowhere else. `require_event_id=False` counts a result without event id as a success
    (an update). `stacklevel` counts the frames from this function's caller to the user's line,
    which the mixed-recipients warning points at.
    """
    chosen = check_concurrency(defaults.concurrency if concurrency is None else concurrency)
    plan = _plan_recipients(
        room_ids,
        fcids,
        defaults.limits,
        require_event_id=require_event_id,
        warn_mixed=warn_mixed_recipients,
        stacklevel=stacklevel + 1,
    )
    return SendPlan(plan, chosen, progress)


def _read_answer(batch: Batch, response: httpx.Response) -> BatchResults:
    try:
        data = response.json()
    except ValueError as exc:
        raise InvalidResponseError(
            f"the HTTP {response.status_code} answer to a send is not JSON", response=response
        ) from exc
    return parse_answer(batch, data)


def _finished(send: PreparedSend, report: SendReport) -> SendReport:
    logger.debug("%s: %d recipients, %r", send.what, send.plan.total, report)
    return report


def run_send(request: Callable[[Call[Any]], httpx.Response], send: PreparedSend) -> SendReport:
    """Run `send` through `request` (a client's `_request`) on threads."""
    build = send.build

    def send_batch(batch: Batch) -> BatchResults:
        return _read_answer(batch, request(build(batch)))

    report = drive(send.plan, send_batch, concurrency=send.concurrency, progress=send.progress)
    return _finished(send, report)


async def arun_send(
    request: Callable[[Call[Any]], Awaitable[httpx.Response]], send: PreparedSend
) -> SendReport:
    """Run `send` through `request` (a client's `_request`) in tasks."""
    build = send.build

    async def send_batch(batch: Batch) -> BatchResults:
        return _read_answer(batch, await request(build(batch)))

    report = await adrive(
        send.plan, send_batch, concurrency=send.concurrency, progress=send.progress
    )
    return _finished(send, report)
