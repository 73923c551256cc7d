"""`client.apps`: the app's own direct rooms, and who in the enterprise can see it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _operations as ops
from ._base import Area, AsyncCaller, Caller

if TYPE_CHECKING:
    from finchat_openapi.models import AppFriendship, AppVisibility

__all__ = ["Apps", "AsyncApps"]


class Apps(Area[Caller]):
    """The app's own direct rooms and visibility."""

    def friendships(self) -> list[AppFriendship]:
        """The users who have a direct room with the app's bot, with that room."""
        return self._client._call(ops.get_app_friendships(self._client.app_id))

    def visibility(self) -> AppVisibility:
        """Who can see the app: everyone (`unlimited`), or the `departments` and `fcids` listed."""
        return self._client._call(ops.get_app_visibility(self._client.app_id))


class AsyncApps(Area[AsyncCaller]):
    __doc__ = Apps.__doc__

    async def friendships(self) -> list[AppFriendship]:
        """The users who have a direct room with the app's bot, with that room."""
        return await self._client._call(ops.get_app_friendships(self._client.app_id))

    async def visibility(self) -> AppVisibility:
        """Who can see the app: everyone (`unlimited`), or the `departments` and `fcids` listed."""
        return await self._client._call(ops.get_app_visibility(self._client.app_id))
