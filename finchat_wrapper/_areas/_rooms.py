"""`client.rooms`: the app's group rooms: create, read, list, and change one thing at a time.

An update changes one thing. The server applies only the highest of the fields given, by the
precedence name > topic > history_visibility > owner > the two owner-only flags > member changes,
and silently ignores the rest; so an update that names fields of two of these groups is refused
before anything is sent (ValueError), and each change is its own call. Changes that a repeat
would answer differently (owner, invites, kicks) are never retried after they may have reached
the server; a new name, topic, history visibility or flag is (see `_operations.UPDATE_ROOM`).
A room create is retried only when the request never left.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal, TypedDict, Unpack

from .. import _operations as ops
from ._base import Area, AsyncCaller, Caller

if TYPE_CHECKING:
    from finchat_openapi.models import CreateRoomResponse, RoomDetail, UpdateRoomResponse

__all__ = ["AsyncRooms", "RoomChange", "Rooms"]

HistoryVisibility = Literal["shared", "joined"]


class RoomChange(TypedDict, total=False):
    """The fields of one room update; give those of one group (see the module docstring).

    - `name`, `topic`: the new name, the new topic (the room's notice board);
    - `history_visibility`: `shared` (members see the history from before they joined) or
      `joined`;
    - `owner`: the new owner, a member of the room;
    - `message_forbidden_except_owner`, `invite_forbidden_except_owner`: only the owner may
      send, only the owner may add members;
    - `fcids_to_invite`, `fcids_to_kick`: members to add and to remove, in one update.
    """

    name: str
    topic: str
    history_visibility: HistoryVisibility
    owner: str
    message_forbidden_except_owner: bool
    invite_forbidden_except_owner: bool
    fcids_to_invite: Iterable[str]
    fcids_to_kick: Iterable[str]


class Rooms(Area[Caller]):
    """The app's group rooms: create, read, list, change."""

    def create(
        self,
        *,
        name: str | None = None,
        topic: str | None = None,
        history_visibility: HistoryVisibility | None = None,
        federate: bool | None = None,
        owner: str | None = None,
        fcids: Iterable[str] = (),
    ) -> CreateRoomResponse:
        """Create a group room with the bot and `fcids` in it; `.room_id` is the new room.

        `owner` (default: the app's bot) is a user, `federate` (default False) lets users of
        other servers in, `history_visibility` defaults to `shared`.
        """
        call = ops.create_room(
            self._client.app_id,
            name=name,
            topic=topic,
            history_visibility=history_visibility,
            federate=federate,
            owner=owner,
            fcids=fcids,
        )
        return self._client._call(call)

    def list(self) -> builtins.list[str]:
        """The ids of the group rooms the app's bot is in."""
        return self._client._call(ops.list_rooms(self._client.app_id))

    def get(self, room_id: str) -> RoomDetail:
        """The room's name, topic, federation, owner and members (`RoomNotFoundError` for a
        room that does not exist or that the bot is not in)."""
        return self._client._call(ops.get_room(self._client.app_id, room_id))

    def update(self, room_id: str, **change: Unpack[RoomChange]) -> UpdateRoomResponse:
        """Make one change (`RoomChange`); after member changes, the answer's
        `failed_fcids_to_invite` / `failed_fcids_to_kick` name the users who could not be added
        or removed (when every one failed, the errcode of the failure is raised instead)."""
        return self._client._call(ops.update_room(self._client.app_id, room_id, change))


class AsyncRooms(Area[AsyncCaller]):
    __doc__ = Rooms.__doc__

    async def create(
        self,
        *,
        name: str | None = None,
        topic: str | None = None,
        history_visibility: HistoryVisibility | None = None,
        federate: bool | None = None,
        owner: str | None = None,
        fcids: Iterable[str] = (),
    ) -> CreateRoomResponse:
        """Create a group room with the bot and `fcids` in it; `.room_id` is the new room.

        `owner` (default: the app's bot) is a user, `federate` (default False) lets users of
        other servers in, `history_visibility` defaults to `shared`.
        """
        call = ops.create_room(
            self._client.app_id,
            name=name,
            topic=topic,
            history_visibility=history_visibility,
            federate=federate,
            owner=owner,
            fcids=fcids,
        )
        return await self._client._call(call)

    async def list(self) -> builtins.list[str]:
        """The ids of the group rooms the app's bot is in."""
        return await self._client._call(ops.list_rooms(self._client.app_id))

    async def get(self, room_id: str) -> RoomDetail:
        """The room's name, topic, federation, owner and members (`RoomNotFoundError` for a
        room that does not exist or that the bot is not in)."""
        return await self._client._call(ops.get_room(self._client.app_id, room_id))

    async def update(self, room_id: str, **change: Unpack[RoomChange]) -> UpdateRoomResponse:
        """Make one change (`RoomChange`); after member changes, the answer's
        `failed_fcids_to_invite` / `failed_fcids_to_kick` name the users who could not be added
        or removed (when every one failed, the errcode of the failure is raised instead)."""
        return await self._client._call(ops.update_room(self._client.app_id, room_id, change))
