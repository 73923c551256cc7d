"""`client.webhooks`: messages sent as one of the app's webhook bots, into the room it serves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _operations as ops
from ._base import Area, AsyncCaller, Caller

if TYPE_CHECKING:
    from finchat_openapi.models import SendWebhookMessageResponse

    from .._content import MessageContent

__all__ = ["AsyncWebhooks", "Webhooks"]


class Webhooks(Area[Caller]):
    """Messages sent as the app's webhook bots."""

    def send(self, webhook_id: str, content: MessageContent) -> SendWebhookMessageResponse:
        """Send `content` (any message type, CUI cards included) as the webhook bot
        `webhook_id`; `.event_id` is the message's id (`ResourceNotFoundError` for an unknown
        webhook). Never retried once the request may have reached the server."""
        call = ops.send_webhook_message(self._client.app_id, webhook_id, content)
        return self._client._call(call)


class AsyncWebhooks(Area[AsyncCaller]):
    __doc__ = Webhooks.__doc__

    async def send(self, webhook_id: str, content: MessageContent) -> SendWebhookMessageResponse:
        """Send `content` (any message type, CUI cards included) as the webhook bot
        `webhook_id`; `.event_id` is the message's id (`ResourceNotFoundError` for an unknown
        webhook). Never retried once the request may have reached the server."""
        call = ops.send_webhook_message(self._client.app_id, webhook_id, content)
        return await self._client._call(call)
