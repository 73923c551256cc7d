"""The API areas of a client (`client.users`, `client.contacts`, ...), sync and async side by side.

Each method is one line: a builder of `_operations` validates the arguments and makes the `Call`,
the client sends and parses it. A new or hand-written operation is one builder plus one method in
each class; it can also call `client._request(call)` to handle the raw response itself.
`client.messages` and `client.media` (bulk sends, streamed uploads) live in `_messaging`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

from . import _operations as ops

if TYPE_CHECKING:
    from finchat_openapi.models import (
        AppFriendship,
        CuiContent,
        FileContent,
        ImageContent,
        TextCardContent,
        TextContent,
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
    "AsyncUsers",
    "Auth",
    "Contacts",
    "MessageContent",
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
