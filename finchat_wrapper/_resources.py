"""The API areas of a client (`client.messages`, `client.users`, ...), sync and async side by side.

Each method is one line: a builder of `_operations` validates the arguments and makes the `Call`,
the client sends and parses it. A new or hand-written operation is one builder plus one method in
each class; it can also call `client._request(call)` to handle the raw response itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

from . import _operations as ops

if TYPE_CHECKING:
    from finchat_openapi.models import (
        AppFriendship,
        CuiContent,
        FileContent,
        ImageContent,
        SendMessageResponse,
        TextCardContent,
        TextContent,
        UploadResponse,
        UserDetail,
        UserFriendship,
    )

    from ._auth import Token
    from ._client import AsyncFinChat, FinChat

__all__ = [
    "Apps",
    "AsyncApps",
    "AsyncAuth",
    "AsyncContacts",
    "AsyncMedia",
    "AsyncMessages",
    "AsyncUsers",
    "Auth",
    "Contacts",
    "Media",
    "MessageContent",
    "Messages",
    "Users",
]

# A generated content model, or the same content as a JSON mapping.
MessageContent: TypeAlias = (
    "TextContent | TextCardContent | ImageContent | FileContent | CuiContent | Mapping[str, Any]"
)
UserMessageContent: TypeAlias = (
    "TextContent | TextCardContent | ImageContent | FileContent | Mapping[str, Any]"
)
CuiMessageContent: TypeAlias = "CuiContent | Mapping[str, Any]"


class _Area:
    def __init__(self, client: FinChat) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


class _AsyncArea:
    def __init__(self, client: AsyncFinChat) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


class Messages(_Area):
    """Send messages as the app's bot or as a user, and update CUI cards.

    `room_ids` or `fcids` (not both: the server ignores `fcids` when `room_ids` is set) name the
    recipients; the answer has one result per recipient, a failed one with its `errcode`.
    """

    def send(
        self, content: MessageContent, *, room_ids: Iterable[str] = (), fcids: Iterable[str] = ()
    ) -> SendMessageResponse:
        """Send `content` as the app's bot (each fcid's direct room must exist)."""
        return self._client._call(ops.send_message(self._client.app_id, content, room_ids, fcids))

    def send_as_user(
        self,
        sender: str,
        content: UserMessageContent,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
    ) -> SendMessageResponse:
        """Send `content` in the name of the user `sender` (not a CUI card)."""
        call = ops.send_message_as_user(self._client.app_id, sender, content, room_ids, fcids)
        return self._client._call(call)

    def update_cui(
        self,
        origin_event: str,
        content: CuiMessageContent,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
    ) -> SendMessageResponse:
        """Replace the CUI card `origin_event` the app sent (safe to retry)."""
        call = ops.update_cui(self._client.app_id, origin_event, content, room_ids, fcids)
        return self._client._call(call)


class AsyncMessages(_AsyncArea):
    __doc__ = Messages.__doc__

    async def send(
        self, content: MessageContent, *, room_ids: Iterable[str] = (), fcids: Iterable[str] = ()
    ) -> SendMessageResponse:
        """Send `content` as the app's bot (each fcid's direct room must exist)."""
        call = ops.send_message(self._client.app_id, content, room_ids, fcids)
        return await self._client._call(call)

    async def send_as_user(
        self,
        sender: str,
        content: UserMessageContent,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
    ) -> SendMessageResponse:
        """Send `content` in the name of the user `sender` (not a CUI card)."""
        call = ops.send_message_as_user(self._client.app_id, sender, content, room_ids, fcids)
        return await self._client._call(call)

    async def update_cui(
        self,
        origin_event: str,
        content: CuiMessageContent,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
    ) -> SendMessageResponse:
        """Replace the CUI card `origin_event` the app sent (safe to retry)."""
        call = ops.update_cui(self._client.app_id, origin_event, content, room_ids, fcids)
        return await self._client._call(call)


class Media(_Area):
    """Upload files and images; the answer's `content_uri` is a message's `o_url`."""

    def upload(
        self, data: bytes, *, content_type: str = "application/octet-stream"
    ) -> UploadResponse:
        """Upload `data` (not empty), sent with its real `content_type`."""
        return self._client._call(ops.upload_media(self._client.app_id, data, content_type))


class AsyncMedia(_AsyncArea):
    __doc__ = Media.__doc__

    async def upload(
        self, data: bytes, *, content_type: str = "application/octet-stream"
    ) -> UploadResponse:
        """Upload `data` (not empty), sent with its real `content_type`."""
        return await self._client._call(ops.upload_media(self._client.app_id, data, content_type))


class Users(_Area):
    """User profiles and friendships."""

    def get(self, fcid: str) -> UserDetail:
        """The profile of `fcid` (`NotFoundError` for an unknown user)."""
        return self._client._call(ops.get_user(self._client.app_id, fcid))

    def friendships(self, fcid: str) -> list[UserFriendship]:
        """The friends of `fcid`, each with their direct room."""
        return self._client._call(ops.get_user_friendships(self._client.app_id, fcid))


class AsyncUsers(_AsyncArea):
    __doc__ = Users.__doc__

    async def get(self, fcid: str) -> UserDetail:
        """The profile of `fcid` (`NotFoundError` for an unknown user)."""
        return await self._client._call(ops.get_user(self._client.app_id, fcid))

    async def friendships(self, fcid: str) -> list[UserFriendship]:
        """The friends of `fcid`, each with their direct room."""
        return await self._client._call(ops.get_user_friendships(self._client.app_id, fcid))


class Contacts(_Area):
    """The enterprise address book."""

    def by_authority(self, authority_name: str) -> list[str]:
        """The fcids of the users who hold `authority_name` (empty if nobody does)."""
        return self._client._call(ops.get_users_by_authority(self._client.app_id, authority_name))


class AsyncContacts(_AsyncArea):
    __doc__ = Contacts.__doc__

    async def by_authority(self, authority_name: str) -> list[str]:
        """The fcids of the users who hold `authority_name` (empty if nobody does)."""
        call = ops.get_users_by_authority(self._client.app_id, authority_name)
        return await self._client._call(call)


class Apps(_Area):
    """The app's own direct rooms."""

    def friendships(self) -> list[AppFriendship]:
        """The users who have a direct room with the app's bot, with that room."""
        return self._client._call(ops.get_app_friendships(self._client.app_id))


class AsyncApps(_AsyncArea):
    __doc__ = Apps.__doc__

    async def friendships(self) -> list[AppFriendship]:
        """The users who have a direct room with the app's bot, with that room."""
        return await self._client._call(ops.get_app_friendships(self._client.app_id))


class Auth(_Area):
    """The app access token the client uses (fetched, cached and refreshed automatically)."""

    def token(self, *, refresh: bool = False) -> Token:
        """The current token, fetched if there is none; `refresh=True` replaces it.

        Its `value` is a secret: it is left out of `repr`, and must not be logged.
        """
        return self._client._token(refresh=refresh)


class AsyncAuth(_AsyncArea):
    __doc__ = Auth.__doc__

    async def token(self, *, refresh: bool = False) -> Token:
        """The current token, fetched if there is none; `refresh=True` replaces it.

        Its `value` is a secret: it is left out of `repr`, and must not be logged.
        """
        return await self._client._token(refresh=refresh)
