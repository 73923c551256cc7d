"""`client.messages`: send as the app's bot or as a user, and update CUI cards, to any number of
recipients (how recipients are sent: `_sending`).

Everything a send decides is in `_MessagesBase._prepare`, without I/O; `Messages` and
`AsyncMessages` add only the run, on threads or in tasks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeAlias

from .. import _operations as ops
from .._bulk import BulkSend, SendLimits, SendProgress, SendReport, check_concurrency
from ._base import Area, AsyncCaller, C, Caller
from ._sending import (
    DEFAULT_SEND_CONCURRENCY,
    BuildCall,
    arun_send,
    batch_builder,
    pick_concurrency,
    plan_send,
    run_send,
)

if TYPE_CHECKING:
    from finchat_openapi.models import SendMessageResponse

    from .._content import CuiMessageContent, MessageContent, UserMessageContent

__all__ = ["AsyncMessages", "Messages"]

# A builder of `_operations` with all but the content and the recipients bound.
_Make: TypeAlias = "Callable[[Any, list[str], list[str]], ops.Call[SendMessageResponse]]"

# Frames from `_prepare` to the caller of a public method: the method itself, then the caller.
_CALLER = 2


class _MessagesBase(Area[C]):
    def __init__(
        self,
        client: C,
        *,
        limits: SendLimits | None = None,
        concurrency: int = DEFAULT_SEND_CONCURRENCY,
    ) -> None:
        super().__init__(client)
        check_concurrency(concurrency)
        if limits is not None and not isinstance(limits, SendLimits):
            raise TypeError(f"send_limits must be a SendLimits, not {type(limits).__name__}")
        self.limits = limits if limits is not None else SendLimits()
        """Recipients per request, learned for the client's life."""
        self.concurrency = concurrency
        """Requests of one send in flight at once, unless a call gives its own."""

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} of {self._client!r}, {self.limits!r}, "
            f"concurrency={self.concurrency}>"
        )

    def _prepare(
        self,
        make: _Make,
        content: object,
        room_ids: Iterable[str],
        fcids: Iterable[str],
        concurrency: int | None,
        *,
        warn_mixed: bool,
        require_event_id: bool = True,
    ) -> tuple[BulkSend, BuildCall, int]:
        """The plan, the request of each batch and the concurrency of a send, all checked."""
        chosen = pick_concurrency(self.concurrency, concurrency)
        plan = plan_send(
            room_ids,
            fcids,
            self.limits,
            require_event_id=require_event_id,
            warn_mixed=warn_mixed,
            stacklevel=_CALLER + 1,
        )
        payload = ops.content_dict(content)  # once: a model's to_dict() is not free
        return plan, batch_builder(plan, lambda rooms, users: make(payload, rooms, users)), chosen

    def _send_message(self) -> _Make:
        return functools.partial(ops.send_message, self._client.app_id)

    def _send_as_user(self, sender: str) -> _Make:
        return functools.partial(ops.send_message_as_user, self._client.app_id, sender)

    def _update_cui(self, origin_event: str) -> _Make:
        return functools.partial(ops.update_cui, self._client.app_id, origin_event)


class Messages(_MessagesBase[Caller]):
    """Send messages as the app's bot or as a user, and update CUI cards, to any number of
    recipients; see `finchat_wrapper._areas._sending` for how recipients are sent.

    Each method returns a `SendReport` with exactly one outcome per recipient and raises only
    for bad arguments (before any request); `report.raise_for_failures()` turns failed or
    unknown recipients into a `SendFailedError`. `concurrency` overrides the client's
    `send_concurrency` for one send; `progress(recipients_settled, total)` is called as requests
    end; `warn_mixed_recipients=False` says that rooms and users are both meant. Safe to share
    between threads.
    """

    def send(
        self,
        content: MessageContent,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        concurrency: int | None = None,
        progress: SendProgress | None = None,
        warn_mixed_recipients: bool = True,
    ) -> SendReport:
        """Send `content` as the app's bot; each fcid's direct room with the bot must exist."""
        plan, build, chosen = self._prepare(
            self._send_message(),
            content,
            room_ids,
            fcids,
            concurrency,
            warn_mixed=warn_mixed_recipients,
        )
        return run_send(self._client._request, "send", plan, build, chosen, progress)

    def send_as_user(
        self,
        sender: str,
        content: UserMessageContent,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        concurrency: int | None = None,
        progress: SendProgress | None = None,
        warn_mixed_recipients: bool = True,
    ) -> SendReport:
        """Send `content` in the name of the user `sender`; the server creates missing direct
        rooms for `fcids`. A CUI card cannot be sent as a user (ValueError, nothing sent)."""
        plan, build, chosen = self._prepare(
            self._send_as_user(sender),
            content,
            room_ids,
            fcids,
            concurrency,
            warn_mixed=warn_mixed_recipients,
        )
        return run_send(self._client._request, "send_as_user", plan, build, chosen, progress)

    def update_cui(
        self,
        origin_event: str,
        content: CuiMessageContent,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        concurrency: int | None = None,
        progress: SendProgress | None = None,
        warn_mixed_recipients: bool = True,
    ) -> SendReport:
        """Replace the CUI card the app sent as `origin_event` where it was sent."""
        # An update's answer may carry no event id: a result without error is a success.
        plan, build, chosen = self._prepare(
            self._update_cui(origin_event),
            content,
            room_ids,
            fcids,
            concurrency,
            warn_mixed=warn_mixed_recipients,
            require_event_id=False,
        )
        return run_send(self._client._request, "update_cui", plan, build, chosen, progress)


class AsyncMessages(_MessagesBase[AsyncCaller]):
    __doc__ = Messages.__doc__

    async def send(
        self,
        content: MessageContent,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        concurrency: int | None = None,
        progress: SendProgress | None = None,
        warn_mixed_recipients: bool = True,
    ) -> SendReport:
        """Send `content` as the app's bot; each fcid's direct room with the bot must exist."""
        plan, build, chosen = self._prepare(
            self._send_message(),
            content,
            room_ids,
            fcids,
            concurrency,
            warn_mixed=warn_mixed_recipients,
        )
        return await arun_send(self._client._request, "send", plan, build, chosen, progress)

    async def send_as_user(
        self,
        sender: str,
        content: UserMessageContent,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        concurrency: int | None = None,
        progress: SendProgress | None = None,
        warn_mixed_recipients: bool = True,
    ) -> SendReport:
        """Send `content` in the name of the user `sender`; the server creates missing direct
        rooms for `fcids`. A CUI card cannot be sent as a user (ValueError, nothing sent)."""
        plan, build, chosen = self._prepare(
            self._send_as_user(sender),
            content,
            room_ids,
            fcids,
            concurrency,
            warn_mixed=warn_mixed_recipients,
        )
        return await arun_send(self._client._request, "send_as_user", plan, build, chosen, progress)

    async def update_cui(
        self,
        origin_event: str,
        content: CuiMessageContent,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        concurrency: int | None = None,
        progress: SendProgress | None = None,
        warn_mixed_recipients: bool = True,
    ) -> SendReport:
        """Replace the CUI card the app sent as `origin_event` where it was sent."""
        plan, build, chosen = self._prepare(
            self._update_cui(origin_event),
            content,
            room_ids,
            fcids,
            concurrency,
            warn_mixed=warn_mixed_recipients,
            require_event_id=False,
        )
        return await arun_send(self._client._request, "update_cui", plan, build, chosen, progress)
