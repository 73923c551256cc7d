"""Group rooms of the sandbox: create, read, list and update, with every rule the document states.

The app acts as its bot. A room of the app is a group room the bot is in; any other id is
`FC_ROOM_NOT_FOUND`. Who may do what (the document says only that some changes need a
permission; decided in openapi/DECISIONS.md, "Group rooms"):

- any member (the bot) may rename the room, set its topic and its history visibility;
- only the owner may name a new owner, set the two owner-only flags and kick;
- anyone in the room may invite, unless `invite_forbidden_except_owner`: then only the owner;
- with `message_forbidden_except_owner`, only the owner's messages are taken (`State.send`).

Federation: a user "of another server" is one whose fcid's server is not the room's (the server
of its id; the sandbox creates rooms on its world's `server_name`). A room that does not federate
refuses them as owner or member, `FC_ROOM_IS_NOT_FEDERATE`; the app's own bot is the room's
maker, not a user it admits, and is never refused.

An update applies the highest group of fields given (`update_room`'s `x-precedence`) and ignores
the others. Member changes are judged one user at a time: the users that fail are answered in
`failed_fcids_to_invite` / `failed_fcids_to_kick`, and when every one failed the request fails
with the errcode of the first failure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._state import RefusalError, locked
from ._world import MULTI_ROOM, App, Room, owner_of

if TYPE_CHECKING:
    from ._state import State

# `update_room`'s `x-precedence`, highest first (a test compares it with the spec).
PRECEDENCE: tuple[tuple[str, ...], ...] = (
    ("name",),
    ("topic",),
    ("history_visibility",),
    ("owner",),
    ("message_forbidden_except_owner", "invite_forbidden_except_owner"),
    ("fcids_to_invite", "fcids_to_kick"),
)
# What a group room's detail calls its type (the event's `room_type` is `multi_room`).
ROOM_TYPE = "multi_chat"


def server_of(some_id: str) -> str:
    """The server of an fcid or a room id: what follows the first `:`."""
    return some_id.partition(":")[2]


def forbidden(error: str) -> RefusalError:
    return RefusalError(403, "FC_FORBIDDEN", error)


def room_not_found() -> RefusalError:
    return RefusalError(404, "FC_ROOM_NOT_FOUND", "room does not exist")


def user_not_found(fcid: str) -> RefusalError:
    return RefusalError(404, "FC_FCID_NOT_FOUND", f"user {fcid} does not exist")


def _not_federated(fcid: str) -> RefusalError:
    return RefusalError(
        403, "FC_ROOM_IS_NOT_FEDERATE", f"room does not federate; {fcid} is of another server"
    )


# Why one user of a member change failed: the status of the whole request when all failed.
_MEMBER_ERRORS = {
    "FC_FCID_NOT_FOUND": (404, "does not exist"),
    "FC_FCID_ALREADY_IN_ROOM": (409, "is already in the room"),
    "FC_FCID_NOT_IN_ROOM": (409, "is not in the room"),
    "FC_ROOM_IS_NOT_FEDERATE": (403, "is of another server, and the room does not federate"),
    "FC_FORBIDDEN": (403, "owns the room and cannot be kicked"),
}


class GroupRooms:
    """The group-room operations on a `State` (its lock, users and rooms)."""

    def __init__(self, state: State) -> None:
        self.state = state
        self.lock = state.lock  # what `locked` holds

    def _room(self, app: App, room_id: str) -> Room:
        room = self.state.rooms.get(room_id)
        if room is None or room.type != MULTI_ROOM or app.bot not in room.members:
            raise room_not_found()
        return room

    def _foreign(self, room_id: str, app: App, fcid: str) -> bool:
        return fcid != app.bot and server_of(fcid) != server_of(room_id)

    @locked
    def create(self, app: App, body: dict[str, Any]) -> dict[str, Any]:
        users = self.state.users
        owner: str = body.get("owner", app.bot)
        members = list(dict.fromkeys([app.bot, owner, *body.get("fcids", [])]))
        for fcid in members:
            if fcid not in users:
                raise user_not_found(fcid)
        room_id = self.state.new_room_id()
        federate = bool(body.get("federate", False))
        if not federate:
            for fcid in members:
                if self._foreign(room_id, app, fcid):
                    raise _not_federated(fcid)
        room = Room(
            room_id=room_id,
            type=MULTI_ROOM,
            members=members,
            name=body.get("name"),
            topic=body.get("topic"),
            owner=owner,
            federate=federate,
            history_visibility=body.get("history_visibility", "shared"),
        )
        self.state.add_room(room)
        return {"room_id": room_id}

    @locked
    def list_ids(self, app: App) -> list[str]:
        return [
            room.room_id
            for room in self.state.rooms.values()
            if room.type == MULTI_ROOM and app.bot in room.members
        ]

    @locked
    def detail(self, app: App, room_id: str) -> dict[str, Any]:
        room = self._room(app, room_id)
        detail: dict[str, Any] = {"type": ROOM_TYPE, "federate": room.federate}
        if room.name is not None:
            detail["name"] = room.name
        if room.topic is not None:
            detail["topic"] = room.topic
        return {**detail, "owner": owner_of(room), "fcids": list(room.members)}

    @locked
    def update(self, app: App, room_id: str, body: dict[str, Any]) -> dict[str, Any]:
        room = self._room(app, room_id)
        group = next((g for g in PRECEDENCE if any(f in body for f in g)), None)
        if group is None:
            return {}  # nothing to change
        answer = self._apply(app, room, group, body)
        self.state.room_changed(room)  # only once applied: a refused update changed nothing
        return answer

    def _apply(
        self, app: App, room: Room, group: tuple[str, ...], body: dict[str, Any]
    ) -> dict[str, Any]:
        is_owner = owner_of(room) == app.bot
        first = group[0]
        if first in ("name", "topic", "history_visibility"):
            setattr(room, first, body[first])
            return {}
        if first == "owner":
            return self._new_owner(app, room, body["owner"], is_owner=is_owner)
        if first == "message_forbidden_except_owner":
            if not is_owner:
                raise forbidden("only the room's owner may change who can send and invite")
            for flag in group:
                if flag in body:
                    setattr(room, flag, body[flag])
            return {}
        return self._members(app, room, body, is_owner=is_owner)

    def _new_owner(self, app: App, room: Room, owner: str, *, is_owner: bool) -> dict[str, Any]:
        if not is_owner:
            raise forbidden("only the room's owner may name a new owner")
        if owner not in self.state.users:
            raise user_not_found(owner)
        if owner not in room.members:
            raise RefusalError(409, "FC_FCID_NOT_IN_ROOM", "the new owner is not in the room")
        room.owner = owner
        return {}

    def _members(
        self, app: App, room: Room, body: dict[str, Any], *, is_owner: bool
    ) -> dict[str, Any]:
        invite: list[str] = list(dict.fromkeys(body.get("fcids_to_invite", [])))
        kick: list[str] = list(dict.fromkeys(body.get("fcids_to_kick", [])))
        if invite and room.invite_forbidden_except_owner and not is_owner:
            raise forbidden("only the room's owner may add members to this room")
        if kick and not is_owner:
            raise forbidden("only the room's owner may remove members")
        failures: list[tuple[str, str]] = []  # (fcid, errcode), in the order judged
        failed_invites = [fcid for fcid in invite if self._invite(app, room, fcid, failures)]
        failed_kicks = [fcid for fcid in kick if self._kick(room, fcid, failures)]
        if not invite and not kick:
            return {}
        if len(failures) == len(invite) + len(kick):
            status = _MEMBER_ERRORS[failures[0][1]][0]
            named = "; ".join(f"{fcid} {_MEMBER_ERRORS[code][1]}" for fcid, code in failures)
            raise RefusalError(status, failures[0][1], f"no member changed: {named}")
        answer: dict[str, Any] = {}
        if failed_invites:
            answer["failed_fcids_to_invite"] = failed_invites
        if failed_kicks:
            answer["failed_fcids_to_kick"] = failed_kicks
        return answer

    def _invite(self, app: App, room: Room, fcid: str, failures: list[tuple[str, str]]) -> bool:
        """Add `fcid`; True (and why in `failures`) when it fails."""
        if fcid not in self.state.users:
            failures.append((fcid, "FC_FCID_NOT_FOUND"))
        elif fcid in room.members:
            failures.append((fcid, "FC_FCID_ALREADY_IN_ROOM"))
        elif not room.federate and self._foreign(room.room_id, app, fcid):
            failures.append((fcid, "FC_ROOM_IS_NOT_FEDERATE"))
        else:
            room.members.append(fcid)
            return False
        return True

    def _kick(self, room: Room, fcid: str, failures: list[tuple[str, str]]) -> bool:
        """Remove `fcid`; True (and why in `failures`) when it fails."""
        if fcid not in self.state.users:
            failures.append((fcid, "FC_FCID_NOT_FOUND"))
        elif fcid not in room.members:
            failures.append((fcid, "FC_FCID_NOT_IN_ROOM"))
        elif fcid == owner_of(room):
            failures.append((fcid, "FC_FORBIDDEN"))
        else:
            room.members.remove(fcid)
            return False
        return True
