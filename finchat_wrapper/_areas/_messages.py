"""`client.messages`: send as the app's bot or as a user, and update CUI cards, to any number of
recipients (how recipients are sent: `_sending`).

Everything a send decides is made by `_MessagesBase` without I/O (`plan_send`); `Messages`
and `AsyncMessages` only run it, on threads or in tasks. Their methods take the same keyword
arguments, `SendOptions`, written once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Unpack

from .. import _operations as ops
from .._bulk import SendLimits, SendReport, check_concurrency
from ._base import Area, AsyncCaller, C, Caller
from ._sending import (
    DEFAULT_SEND_CONCURRENCY,
    PreparedSend,
    SendOptions,
    arun_send,
    plan_send,
    run_send,
)

if TYPE_CHECKING:
    from finchat_openapi.models import SendMessageResponse

    from .._content import CuiMessageContent, MessageContent, UserMessageContent

__all__ = ["AsyncMessages", "Messages"]

# Where the mixed-recipients warning points, counted from the `_MessagesBase` method that
# prepares a send: itself, the public method, then the caller's line.
_STACKLEVEL = 3


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

    def _send(self, content: object, options: SendOptions) -> PreparedSend:
        plan = plan_send(self, stacklevel=_STACKLEVEL, **options)
        payload, app_id = ops.content_dict(content), self._client.app_id
        return plan.prepared(
            "send", lambda rooms, users: ops.send_message(app_id, payload, rooms, users)
        )

    def _send_as_user(
        self, sender: str, content: object, topic: str | None, options: SendOptions
    ) -> PreparedSend:
        plan = plan_send(self, stacklevel=_STACKLEVEL, **options)
        payload, app_id = ops.content_dict(content), self._client.app_id
        if topic is not None and not plan.plan.first_recipients.get("fcids"):
            raise ValueError("topic sets the topic of the direct rooms of fcids; give fcids")

        def make(rooms: list[str], users: list[str]) -> ops.Call[SendMessageResponse]:
            # The topic belongs to the requests to users: the server ignores it beside room_ids.
            chosen = topic if users else None
            return ops.send_message_as_user(app_id, sender, payload, rooms, users, topic=chosen)

        return plan.prepared("send_as_user", make)

    def _update_cui(self, origin_event: str, content: object, options: SendOptions) -> PreparedSend:
        # An update's answer may carry no event id: a result without error is a success.
        plan = plan_send(self, require_event_id=False, stacklevel=_STACKLEVEL, **options)
        payload, app_id = ops.content_dict(content), self._client.app_id

        def make(rooms: list[str], users: list[str]) -> ops.Call[SendMessageResponse]:
            return ops.update_cui(app_id, origin_event, payload, rooms, users)

        return plan.prepared("update_cui", make)


class Messages(_MessagesBase[Caller]):
    """Send messages as the app's bot or as a user, and update CUI cards, to any number of
    recipients; see `finchat_wrapper._areas._sending` for how recipients are sent.

    Each method takes the recipients and options of `SendOptions` (`room_ids`, `fcids`,
    `concurrency`, `progress`, `warn_mixed_recipients`), returns a `SendReport` with exactly one
    outcome per recipient and raises only for bad arguments (before any request);
    `report.raise_for_failures()` turns failed or unknown recipients into a `SendFailedError`.
    Safe to share between threads.
    """

    def send(self, content: MessageContent, **options: Unpack[SendOptions]) -> SendReport:
        """Send `content` as the app's bot; each fcid's direct room with the bot must exist."""
        return run_send(self._client._request, self._send(content, options))

    def send_as_user(
        self,
        sender: str,
        content: UserMessageContent,
        *,
        topic: str | None = None,
        **options: Unpack[SendOptions],
    ) -> SendReport:
        """Send `content` in the name of the user `sender`; the server creates missing direct
        rooms between `sender` and `fcids`, and `topic` becomes the topic of each of those direct
        rooms. A CUI card cannot be sent as a user (ValueError, nothing sent)."""
        send = self._send_as_user(sender, content, topic, options)
        return run_send(self._client._request, send)

    def update_cui(
        self, origin_event: str, content: CuiMessageContent, **options: Unpack[SendOptions]
    ) -> SendReport:
        """Replace the CUI card the app sent as `origin_event` where it was sent."""
        return run_send(self._client._request, self._update_cui(origin_event, content, options))


class AsyncMessages(_MessagesBase[AsyncCaller]):
    __doc__ = Messages.__doc__

    async def send(self, content: MessageContent, **options: Unpack[SendOptions]) -> SendReport:
        """Send `content` as the app's bot; each fcid's direct room with the bot must exist."""
        return await arun_send(self._client._request, self._send(content, options))

    async def send_as_user(
        self,
        sender: str,
        content: UserMessageContent,
        *,
        topic: str | None = None,
        **options: Unpack[SendOptions],
    ) -> SendReport:
        """Send `content` in the name of the user `sender`; the server creates missing direct
        rooms between `sender` and `fcids`, and `topic` becomes the topic of each of those direct
        rooms. A CUI card cannot be sent as a user (ValueError, nothing sent)."""
        send = self._send_as_user(sender, content, topic, options)
        return await arun_send(self._client._request, send)

    async def update_cui(
        self, origin_event: str, content: CuiMessageContent, **options: Unpack[SendOptions]
    ) -> SendReport:
        """Replace the CUI card the app sent as `origin_event` where it was sent."""
        send = self._update_cui(origin_event, content, options)
        return await arun_send(self._client._request, send)
