"""What users (and the platform) do, simulated: each action changes the state and produces the
documented event, delivered to the apps it concerns.

Every action is a coroutine returning a `Simulated`: the event (a dict) with one
`DeliveryReport` per app it went to, saying whether the app has it and, if not, why (the
status, and what it means: a 401 is a token that differs). With `wait=True` (the default) the
action returns once each first delivery ended; a failed one is redelivered later on the sandbox's
clock, never while the caller waits. With `wait=False` the state changes at once and the
deliveries run in the background (`drain()` waits for them). From synchronous code,
`asyncio.run(sb.simulate.user_message(...))` works.

Who gets what, as the document has it:

| action | event | to |
| --- | --- | --- |
| `user_message` | `m.room.message` (any msgtype) in the user's direct room | the bot's app |
| `mention` | `m.room.message`, `m.alert`, in a group room | the bot's app |
| `room_message` | `m.room.message` in a room, addressed to no bot | nobody but the below |
| (each of the three) | the same, with `receivers` | every app with `all_messages` |
| `open_direct_room` | `finstore.room.create` | the bot's app |
| `submit_cui` | `finstore.room.interactcui` | the card's app |
| `webhook` | `finstore.app.webhook` | the webhook's app |
| `apply_for_app`, `app_status` | application, status change | every admin app |
| `app_visibility`, `sensitive_word` | visibility change, sensitive word | every admin app |

`search` is the shortcut search: sent once to the app's search URL, it returns the
`SearchRecord` of what the user got.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from ._delivery import Deliverer, DeliveryReport, SearchRecord
from ._state import State
from ._world import DIRECT_ROOM, MULTI_ROOM, App, Room, User


class SimulationError(ValueError):
    """The simulated action is impossible in the current state (unknown user, room or event)."""


class Simulated(dict[str, Any]):
    """A simulated event (this dict: `simulated["event_id"]`, JSON-ready as it is) and how its
    delivery went: `deliveries`, one report per app it went to; `delivered`, whether every one
    of them has it; `delivery`, the first report."""

    def __init__(
        self, event: Mapping[str, Any] | None = None, deliveries: Sequence[DeliveryReport] = ()
    ) -> None:
        super().__init__(event or {})
        self.deliveries = tuple(deliveries)

    def __repr__(self) -> str:
        states = ", ".join(f"{d.app_id}: {d.state}" for d in self.deliveries) or "no app"
        return f"<Simulated {self.get('type')} {self.get('event_id')} ({states})>"

    @property
    def event(self) -> dict[str, Any]:
        """The event as a plain dict (a copy)."""
        return dict(self)

    @property
    def delivered(self) -> bool:
        """Whether it went to at least one app, and every one has it (200, or stored)."""
        return bool(self.deliveries) and all(d.delivered for d in self.deliveries)

    @property
    def delivery(self) -> DeliveryReport | None:
        """The report of the first app it went to (the only one, but for the admin kinds)."""
        return self.deliveries[0] if self.deliveries else None

    def to_dict(self) -> dict[str, Any]:
        """As the simulation HTTP API answers it."""
        return {
            "event": self.event,
            "delivered": self.delivered,
            "deliveries": [asdict(d) for d in self.deliveries],
        }


class Simulator:
    def __init__(self, state: State, deliverer: Deliverer, default_app_id: str) -> None:
        self._state = state
        self._deliverer = deliverer
        self._default_app_id = default_app_id

    # ---- messages ----------------------------------------------------------------------------
    async def user_message(
        self,
        fcid: str,
        body: str,
        *,
        msgtype: str = "m.text",
        fields: Mapping[str, Any] | None = None,
        app_id: str | None = None,
        wait: bool = True,
    ) -> Simulated:
        """`fcid` sends a message to the bot in their direct room (opened first when missing):
        `body` is the text (of an image or file: its name); `msgtype` any but `m.alert`, with
        the other `fields` of its content (an image's `url` and `info`, ...)."""
        if msgtype == "m.alert":
            raise SimulationError("an m.alert is a mention: use mention()")
        app, room = await self._direct_room(fcid, app_id, wait)
        content = {**dict(fields or {}), "msgtype": msgtype, "body": body}
        event = self._message_event(room, fcid, content)
        return await self._deliver_message(event, room, fcid, app, wait)

    async def mention(
        self,
        fcid: str,
        room_id: str,
        body: str | None = None,
        *,
        app_id: str | None = None,
        wait: bool = True,
    ) -> Simulated:
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
        return await self._deliver_message(event, room, fcid, app, wait)

    async def room_message(
        self,
        fcid: str,
        room_id: str,
        body: str,
        *,
        msgtype: str = "m.text",
        fields: Mapping[str, Any] | None = None,
        wait: bool = True,
    ) -> Simulated:
        """`fcid` says something in a room they are in, to nobody's bot in particular: only the
        apps with `all_messages` (a privilege of internal apps) receive it."""
        self._user(fcid)
        room = self._state.rooms.get(room_id)
        if room is None or fcid not in room.members:
            raise SimulationError(f"{fcid} is not in a room {room_id}")
        content = {**dict(fields or {}), "msgtype": msgtype, "body": body}
        event = self._message_event(room, fcid, content)
        return await self._deliver_message(event, room, fcid, None, wait)

    # ---- rooms and cards ---------------------------------------------------------------------
    async def open_direct_room(
        self, fcid: str, *, app_id: str | None = None, wait: bool = True
    ) -> Simulated:
        """`fcid` opens a direct room with the bot; refused when one exists already."""
        app = self._app(app_id)
        self._user(fcid)
        if self._state.direct_room(app.bot, fcid) is not None:
            raise SimulationError(f"{fcid} already has a direct room with {app.bot}")
        _, simulated = await self._open(app, fcid, wait)
        return simulated

    async def submit_cui(
        self,
        fcid: str,
        origin_event: str,
        info: dict[str, Any] | None = None,
        *,
        action: str = "submit",
        app_id: str | None = None,
        wait: bool = True,
    ) -> Simulated:
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
        return await self._deliver([app.app_id], event, wait)

    async def webhook(
        self,
        webhook_id: str,
        content: Mapping[str, Any] | None = None,
        *,
        room_id: str | None = None,
        app_id: str | None = None,
        wait: bool = True,
    ) -> Simulated:
        """A website pushes `content` to the app's webhook `webhook_id` (the event names the
        webhook; `room_id`, when given, the group room it posts to)."""
        app = self._app(app_id)
        if not isinstance(webhook_id, str) or not webhook_id:
            raise SimulationError("a webhook id is a non-empty string")
        event: dict[str, Any] = {
            "event_id": self._state.new_event_id(),
            "timestamp": self._state.now_ms(),
            "webhook_id": webhook_id,
            "room_type": MULTI_ROOM,
            # As in the document's example: the platform, not a user, sends it.
            "sender": "",
            "type": "finstore.app.webhook",
            "content": dict(content or {}),
        }
        if room_id is not None:
            if room_id not in self._state.rooms:
                raise SimulationError(f"no room {room_id}")
            event["room_id"] = room_id
        return await self._deliver([app.app_id], event, wait)

    # ---- what the admin app receives ---------------------------------------------------------
    async def apply_for_app(self, fcid: str, app_id: str, *, wait: bool = True) -> Simulated:
        """`fcid` applies to use `app_id`; every admin app receives the application event."""
        user = self._user(fcid)
        target = self._target_app(app_id)
        info = {
            "app_id": target.app_id,
            "app_name": target.name,
            "fcid": fcid,
            "username": str(user.profile.get("name", "")),
        }
        return await self._to_admins(fcid, "finstore.app.application", {"info": [info]}, wait)

    async def app_status(
        self,
        app_id: str,
        *,
        from_status: str,
        to_status: str,
        operation: str,
        operator: str | None = None,
        operator_role: str = "administrator",
        wait: bool = True,
    ) -> Simulated:
        """An app's publishing status changes (`operation`, e.g. `ApprovePublishRequest`, by
        `operator`); every admin app is told. Any strings are taken, known values or not."""
        target = self._target_app(app_id)
        content: dict[str, Any] = {
            "app_id": target.app_id,
            "app_name": target.name,
            "from_status": from_status,
            "operation": operation,
            "to_status": to_status,
            "operator_role": operator_role,
        }
        if operator is not None:
            content.update(operator_id=operator, operator_name=self._name(operator))
        return await self._to_admins(operator or "", "finstore.app.status", content, wait)

    async def app_visibility(
        self,
        app_id: str,
        *,
        added: Sequence[str] = (),
        removed: Sequence[str] = (),
        administrator: str | None = None,
        wait: bool = True,
    ) -> Simulated:
        """Who can see an app changes (`added`, `removed` fcids); every admin app is told."""
        target = self._target_app(app_id)
        for fcid in (*added, *removed):
            self._user(fcid)
        content: dict[str, Any] = {
            "app_id": target.app_id,
            "app_name": target.name,
            "added_fcids": list(added),
            "removed_fcids": list(removed),
        }
        if administrator is not None:
            content.update(
                administrator_id=administrator, administrator_name=self._name(administrator)
            )
        return await self._to_admins(administrator or "", "finstore.app.visibility", content, wait)

    async def sensitive_word(
        self,
        fcid: str,
        room_id: str,
        body: str,
        word: str,
        *,
        disposal: str = "禁止发送",
        wait: bool = True,
    ) -> Simulated:
        """`fcid`'s message `body` in `room_id` holds the sensitive `word`; every admin app is
        told (the message itself is not posted: the disposal stopped it)."""
        self._user(fcid)
        room = self._state.rooms.get(room_id)
        if room is None or fcid not in room.members:
            raise SimulationError(f"{fcid} is not in a room {room_id}")
        content = {
            "sender_id": fcid,
            "sender_name": self._name(fcid),
            "room_id": room_id,
            "room_name": room_id,
            "timestamp": self._state.now_ms(),
            "body": body,
            "sensitive_word": word,
            "disposal": disposal,
            "receivers": [m for m in room.members if m != fcid],
        }
        return await self._to_admins("", "observe.message.sensitivity", content, wait)

    # ---- shortcut search ---------------------------------------------------------------------
    async def search(
        self,
        fcid: str,
        text: str,
        *,
        page_no: int = 0,
        page_size: int = 10,
        app_id: str | None = None,
    ) -> SearchRecord:
        """`fcid` searches the app for `text`: POSTed once to its search URL; what they got."""
        app = self._app(app_id)
        self._user(fcid)
        event = {
            "event_id": self._state.new_event_id(),
            "timestamp": self._state.now_ms(),
            "sender": fcid,
            "type": "finstore.shortcut.search",
            "content": {"search_text": text, "page_no": page_no, "page_size": page_size},
        }
        return await self._deliverer.search(app.app_id, fcid, event)

    async def drain(self) -> None:
        """Wait for the deliveries the simulation API started in the background on this loop
        (and, on the wall clock, their redeliveries)."""
        await self._deliverer.drain()

    # ---- helpers -----------------------------------------------------------------------------
    def _app(self, app_id: str | None) -> App:
        app = self._state.apps.get(app_id or self._default_app_id)
        if app is None:
            raise SimulationError(f"no app {app_id}")
        return app

    def _target_app(self, app_id: str) -> App:
        target = self._state.apps.get(app_id)
        if target is None:
            raise SimulationError(f"no app {app_id}")
        return target

    def _user(self, fcid: str) -> User:
        user = self._state.users.get(fcid)
        if user is None:
            raise SimulationError(f"no user {fcid}")
        return user

    def _name(self, fcid: str) -> str:
        user = self._state.users.get(fcid)
        return str(user.profile.get("name", "")) if user is not None else ""

    async def _deliver(
        self, app_ids: Sequence[str], event: dict[str, Any], wait: bool
    ) -> Simulated:
        if not wait:
            return Simulated(
                event, [self._deliverer.deliver_later(app_id, event) for app_id in app_ids]
            )
        reports = await asyncio.gather(
            *(self._deliverer.deliver(app_id, event) for app_id in app_ids)
        )
        return Simulated(event, reports)

    async def _deliver_message(
        self, event: dict[str, Any], room: Room, fcid: str, app: App | None, wait: bool
    ) -> Simulated:
        """The message to the app it addresses, and, with `receivers`, to every app that
        receives all messages (an app does not get both: the one addressed gets its own)."""
        addressed = await self._deliver([app.app_id] if app is not None else [], event, wait)
        watchers = [
            a.app_id
            for a in self._state.apps.values()
            if a.all_messages and (app is None or a.app_id != app.app_id)
        ]
        if not watchers:
            return addressed
        feed = {**event, "receivers": [m for m in room.members if m != fcid]}
        watched = await self._deliver(watchers, feed, wait)
        return Simulated(event, [*addressed.deliveries, *watched.deliveries])

    async def _to_admins(
        self, sender: str, event_type: str, content: dict[str, Any], wait: bool
    ) -> Simulated:
        event = {
            "event_id": self._state.new_event_id(),
            "timestamp": self._state.now_ms(),
            "sender": sender,
            "type": event_type,
            "content": content,
        }
        admins = [app.app_id for app in self._state.apps.values() if app.admin]
        return await self._deliver(admins, event, wait)

    async def _direct_room(self, fcid: str, app_id: str | None, wait: bool) -> tuple[App, Room]:
        app = self._app(app_id)
        self._user(fcid)
        room = self._state.direct_room(app.bot, fcid)
        if room is None:
            room, _ = await self._open(app, fcid, wait)
        return app, room

    async def _open(self, app: App, fcid: str, wait: bool) -> tuple[Room, Simulated]:
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
        return room, await self._deliver([app.app_id], event, wait)

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
