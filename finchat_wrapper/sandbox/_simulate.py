"""What users do, simulated: each action changes the state and produces the documented event.

The methods are coroutines: each returns the event once its delivery to the app's callback ended
(delivered, or retries spent), so a test can `await` it and then assert on what the bot did; with
`wait=False` the state changes at once and delivery runs in the background (`drain()` waits for
it). From synchronous code, `asyncio.run(sb.simulate.user_message(...))` works.
"""

from __future__ import annotations

from typing import Any

from ._delivery import Deliverer
from ._state import State
from ._world import DIRECT_ROOM, MULTI_ROOM, App, Room


class SimulationError(ValueError):
    """The simulated action is impossible in the current state (unknown user, room or event)."""


class Simulator:
    def __init__(self, state: State, deliverer: Deliverer, default_app_id: str) -> None:
        self._state = state
        self._deliverer = deliverer
        self._default_app_id = default_app_id

    # ---- the five actions --------------------------------------------------------------------
    async def user_message(
        self, fcid: str, body: str, *, app_id: str | None = None, wait: bool = True
    ) -> dict[str, Any]:
        """`fcid` sends `body` to the bot in their direct room (opened first when missing)."""
        app, room = await self._direct_room(fcid, app_id, wait)
        event = self._message_event(room, fcid, {"msgtype": "m.text", "body": body})
        await self._deliver(app.app_id, event, wait)
        return event

    async def mention(
        self,
        fcid: str,
        room_id: str,
        body: str | None = None,
        *,
        app_id: str | None = None,
        wait: bool = True,
    ) -> dict[str, Any]:
        """`fcid` @-mentions the bot in the group room `room_id`."""
        app = self._app(app_id)
        self._user(fcid)
        room = self._state.rooms.get(room_id)
        if room is None or room.type != MULTI_ROOM:
            raise SimulationError(f"no group room {room_id}")
        if fcid not in room.members or app.bot not in room.members:
            raise SimulationError(f"{fcid} and the bot of {app.app_id} are not both in {room_id}")
        bot_name = self._state.users[app.bot].profile.get("name") or app.bot
        text = body if body is not None else f"@{bot_name} hello"
        event = self._message_event(room, fcid, {"msgtype": "m.alert", "body": text})
        await self._deliver(app.app_id, event, wait)
        return event

    async def open_direct_room(
        self, fcid: str, *, app_id: str | None = None, wait: bool = True
    ) -> dict[str, Any]:
        """`fcid` opens a direct room with the bot; refused when one exists already."""
        app = self._app(app_id)
        self._user(fcid)
        if self._state.direct_room(app.bot, fcid) is not None:
            raise SimulationError(f"{fcid} already has a direct room with {app.bot}")
        _, event = await self._open(app, fcid, wait)
        return event

    async def submit_cui(
        self,
        fcid: str,
        origin_event: str,
        info: dict[str, Any] | None = None,
        *,
        action: str = "submit",
        app_id: str | None = None,
        wait: bool = True,
    ) -> dict[str, Any]:
        """`fcid` submits the CUI card `origin_event` (sent by the bot) with the inputs `info`."""
        app = self._app(app_id)
        self._user(fcid)
        message = self._state.messages.get(origin_event)
        if (
            message is None
            or message.content.get("msgtype") != "m.cui"
            or message.sender != app.bot
        ):
            raise SimulationError(f"{origin_event} is not a CUI card sent by {app.bot}")
        room = self._state.rooms[message.room_id]
        if fcid not in room.members:
            raise SimulationError(f"{fcid} is not in {room.room_id}")
        event = {
            **self._base(room, fcid),
            "type": "finstore.room.interactcui",
            "origin_event": origin_event,
            "content": {"action": action, "info": dict(info or {})},
        }
        await self._deliver(app.app_id, event, wait)
        return event

    async def apply_for_app(self, fcid: str, app_id: str, *, wait: bool = True) -> dict[str, Any]:
        """`fcid` applies to use `app_id`; every admin app receives the application event."""
        user = self._user(fcid)
        target = self._state.apps.get(app_id)
        if target is None:
            raise SimulationError(f"no app {app_id}")
        event = {
            "event_id": self._state.new_event_id(),
            "timestamp": self._state.now_ms(),
            "sender": fcid,
            "type": "finstore.app.application",
            "content": {
                "info": [
                    {
                        "app_id": target.app_id,
                        "app_name": target.name,
                        "fcid": fcid,
                        "username": str(user.profile.get("name", "")),
                    }
                ]
            },
        }
        for app in self._state.apps.values():
            if app.admin:
                await self._deliver(app.app_id, event, wait)
        return event

    async def drain(self) -> None:
        """Wait for the deliveries the simulation API started in the background on this loop."""
        await self._deliverer.drain()

    # ---- helpers -----------------------------------------------------------------------------
    def _app(self, app_id: str | None) -> App:
        app = self._state.apps.get(app_id or self._default_app_id)
        if app is None:
            raise SimulationError(f"no app {app_id}")
        return app

    def _user(self, fcid: str) -> Any:
        user = self._state.users.get(fcid)
        if user is None:
            raise SimulationError(f"no user {fcid}")
        return user

    async def _deliver(self, app_id: str, event: dict[str, Any], wait: bool) -> None:
        if wait:
            await self._deliverer.deliver(app_id, event)
        else:
            self._deliverer.deliver_later(app_id, event)

    async def _direct_room(self, fcid: str, app_id: str | None, wait: bool) -> tuple[App, Room]:
        app = self._app(app_id)
        self._user(fcid)
        room = self._state.direct_room(app.bot, fcid)
        if room is None:
            room, _ = await self._open(app, fcid, wait)
        return app, room

    async def _open(self, app: App, fcid: str, wait: bool) -> tuple[Room, dict[str, Any]]:
        room = self._state.create_direct_room(app.bot, fcid)
        event = {
            "event_id": self._state.new_event_id(),
            "timestamp": self._state.now_ms(),
            # As in the document's example: the room is created by the platform, not a user.
            "sender": "",
            "room_id": room.room_id,
            "room_type": DIRECT_ROOM,
            "fcid": fcid,
            "type": "finstore.room.create",
            "content": {"creator": app.bot},
        }
        await self._deliver(app.app_id, event, wait)
        return room, event

    def _base(self, room: Room, fcid: str) -> dict[str, Any]:
        return {
            "event_id": self._state.new_event_id(),
            "timestamp": self._state.now_ms(),
            "sender": fcid,
            "room_id": room.room_id,
            "room_type": room.type,
            "fcid": fcid if room.type == DIRECT_ROOM else "",
        }

    def _message_event(self, room: Room, fcid: str, content: dict[str, Any]) -> dict[str, Any]:
        message = self._state.post(room, fcid, content, None)
        return {
            "event_id": message.event_id,
            "timestamp": message.timestamp,
            "sender": fcid,
            "room_id": room.room_id,
            "room_type": room.type,
            "fcid": fcid if room.type == DIRECT_ROOM else "",
            "type": "m.room.message",
            "content": dict(content),
        }
