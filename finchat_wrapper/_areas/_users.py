"""`client.users`: user profiles and friendships."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _operations as ops
from ._base import Area, AsyncCaller, Caller

if TYPE_CHECKING:
    from finchat_openapi.models import UserDetail, UserFriendship

__all__ = ["AsyncUsers", "Users"]


class Users(Area[Caller]):
    """User profiles and friendships."""

    def get(self, fcid: str) -> UserDetail:
        """The profile of `fcid` (`NotFoundError` for an unknown user)."""
        return self._client._call(ops.get_user(self._client.app_id, fcid))

    def friendships(self, fcid: str) -> list[UserFriendship]:
        """The friends of `fcid`, each with their direct room."""
        return self._client._call(ops.get_user_friendships(self._client.app_id, fcid))


class AsyncUsers(Area[AsyncCaller]):
    __doc__ = Users.__doc__

    async def get(self, fcid: str) -> UserDetail:
        """The profile of `fcid` (`NotFoundError` for an unknown user)."""
        return await self._client._call(ops.get_user(self._client.app_id, fcid))

    async def friendships(self, fcid: str) -> list[UserFriendship]:
        """The friends of `fcid`, each with their direct room."""
        return await self._client._call(ops.get_user_friendships(self._client.app_id, fcid))
