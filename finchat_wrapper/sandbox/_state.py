"""The sandbox's mutable state and the FinChat operations on it, free of HTTP.

Each operation takes already-validated request data and either returns the JSON answer or raises
`RefusalError`, whose status and errcode follow the table of `openapi/DECISIONS.md`. The group
rooms (`_rooms`) and the directory (`_directory`) are modules of their own, on this state.
"""

from __future__ import annotations

import functools
import hmac
import random
import secrets
import string
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Protocol, TypeVar, cast

from ._changes import MESSAGE, ROOM, ChangeFeed
from ._world import (
    DIRECT_ROOM,
    MULTI_ROOM,
    App,
    Department,
    Media,
    Message,
    Organization,
    Room,
    User,
    Webhook,
    World,
    owner_of,
)

F = TypeVar("F", bound=Callable[..., Any])


class _Locked(Protocol):
    lock: threading.RLock


def locked(method: F) -> F:
    """Run a method of the state (or of a part of it with the state's `lock`) under its lock: a
    served sandbox's thread and the test's thread both read and change the state, and iterating
    a dict that grows meanwhile would fail."""

    @functools.wraps(method)
    def wrapper(self: _Locked, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            return method(self, *args, **kwargs)

    return cast(F, wrapper)


def message_view(message: Message) -> dict[str, Any]:
    """A message as the control API shows it (`SentMessage`), sharing the content: a content is
    replaced by an update, never changed in place."""
    return {
        "room_id": message.room_id,
        "event_id": message.event_id,
        "sender": message.sender,
        "content": message.content,
        "timestamp": message.timestamp,
        "app_id": message.app_id,
        "history": list(message.history),
    }


class RefusalError(Exception):
    """The sandbox refusing a request: HTTP status plus the `Error` envelope (what the client
    then raises as an `APIError`)."""

    def __init__(self, status: int, errcode: str, error: str) -> None:
        super().__init__(f"{status} {errcode}: {error}")
        self.status = status
        self.errcode = errcode
        self.error = error


def invalid_token() -> RefusalError:
    return RefusalError(401, "FC_INVALID_ACCESS_TOKEN", "access token is invalid")


def bad_json(error: str) -> RefusalError:
    return RefusalError(400, "FC_BAD_JSON", error)


def user_not_found() -> RefusalError:
    return RefusalError(404, "FC_FCID_NOT_FOUND", "user does not exist")


def _owner_only(room: Room, sender: str) -> bool:
    """True when only the owner may send in `room` and `sender` is not the owner."""
    return (
        room.type == MULTI_ROOM and room.message_forbidden_except_owner and sender != owner_of(room)
    )


def _injected(key: str, recipient: str) -> dict[str, Any]:
    return {key: recipient, "errcode": "FC_INTERNAL_ERROR", "error": "内部错误 (injected)"}


@dataclass(frozen=True)
class SentMessage:
    """A message as a room received it (its current content, for a CUI card that was updated)."""

    room_id: str
    event_id: str
    sender: str
    content: dict[str, Any]
    timestamp: int
    app_id: str | None
    history: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class MessageDelivery:
    """One message put into one room for one addressed recipient (a room id or an fcid)."""

    room_id: str
    event_id: str
    recipient: str
    content: dict[str, Any]
    operation: str


@dataclass
class Stats:
    """Requests received, per operation id (faulted ones included)."""

    operations: Counter[str] = field(default_factory=Counter)

    @property
    def token_requests(self) -> int:
        return self.operations["get_app_access_token"]

    @property
    def send_requests(self) -> int:
        return self.operations["send_message"] + self.operations["send_message_as_user"]

    @property
    def total(self) -> int:
        return sum(self.operations.values())


@dataclass
class _Token:
    app_id: str
    expires_at: float


class State:
    def __init__(
        self,
        world: World,
        *,
        fcid_limit: int,
        room_id_limit: int,
        token_ttl: int,
        seed: int,
        clock: Callable[[], float],
        max_media_bytes: int,
    ) -> None:
        self.lock = threading.RLock()
        self.max_media_bytes = max_media_bytes
        self.world = world
        self.server_name = world.server_name
        self.fcid_limit = fcid_limit
        self.room_id_limit = room_id_limit
        self.token_ttl = token_ttl
        self.clock = clock
        self._rng = random.Random(seed)
        self._counter = 0
        self.apps: dict[str, App] = {a.app_id: a for a in world.apps}
        self.users: dict[str, User] = {u.fcid: u for u in world.users}
        self.rooms: dict[str, Room] = {r.room_id: r for r in world.rooms}
        self.messages: dict[str, Message] = {m.event_id: m for m in world.messages}
        self.room_messages: dict[str, list[Message]] = {}
        for message in world.messages:
            self.room_messages.setdefault(message.room_id, []).append(message)
        self.media_store: dict[str, Media] = {m.content_uri: m for m in world.media}
        self.organizations: dict[str, Organization] = {
            o.organization_id: o for o in world.organizations
        }
        self.departments: dict[str, Department] = {d.department_id: d for d in world.departments}
        self.webhooks: dict[str, Webhook] = {w.webhook_id: w for w in world.webhooks}
        self._direct: dict[frozenset[str], Room] = {}
        for room in world.rooms:
            if room.type == DIRECT_ROOM:
                self._direct.setdefault(frozenset(room.members), room)
        self.tokens: dict[str, _Token] = {}
        self.stats = Stats()
        self.delivery_log: list[MessageDelivery] = []
        self.changes = ChangeFeed()
        """Every message posted or updated and every room created, for pages that follow them."""

    # ---- ids and time ------------------------------------------------------------------------
    def now_ms(self) -> int:
        return int(self.clock() * 1000)

    def _opaque(self, length: int) -> str:
        self._counter += 1
        letters = "".join(self._rng.choices(string.ascii_letters, k=length))
        return f"{self._counter:06d}{letters}"

    @locked
    def new_event_id(self) -> str:
        return f"${self._opaque(10)}:{self.server_name}"

    @locked
    def new_room_id(self) -> str:
        return f"!{self._opaque(12)}:{self.server_name}"

    # ---- apps and tokens -------------------------------------------------------------------------
    @locked
    def issue_token(self, app_id: str, secret: str) -> dict[str, Any]:
        app = self.apps.get(app_id)
        if app is None:
            raise RefusalError(404, "FC_APP_NOT_FOUND", "app does not exist")
        # surrogatepass: a str from a world file may hold anything; comparing must never raise.
        given, expected = (v.encode("utf-8", "surrogatepass") for v in (secret, app.secret))
        if not hmac.compare_digest(expected, given):
            raise RefusalError(401, "FC_INVALID_SECRET", "secret is wrong")
        if not app.published:
            raise RefusalError(403, "FC_APP_NOT_PUBLISHED", "app is not published")
        token = secrets.token_hex(16)
        self.tokens[token] = _Token(app_id, self.clock() + self.token_ttl)
        return {"app_access_token": token, "expires_in": self.token_ttl, "token_type": "Bearer"}

    @locked
    def token_app(self, token: str | None) -> str | None:
        """The app a live token belongs to, or None."""
        if not token:
            return None
        entry = self.tokens.get(token)
        if entry is None:
            return None
        if self.clock() >= entry.expires_at:
            del self.tokens[token]
            return None
        return entry.app_id

    @locked
    def revoke_tokens(self, app_id: str | None = None) -> int:
        doomed = [t for t, e in self.tokens.items() if app_id is None or e.app_id == app_id]
        for token in doomed:
            del self.tokens[token]
        return len(doomed)

    def authorize(self, token_app_id: str, app_id: str) -> App:
        """The app a request names, checked against the app its token belongs to."""
        app = self.apps.get(app_id)
        if app is None:
            raise RefusalError(404, "FC_APP_NOT_FOUND", "app does not exist")
        if not app.published:
            raise RefusalError(403, "FC_APP_NOT_PUBLISHED", "app is not published")
        if app_id != token_app_id:
            raise invalid_token()
        return app

    # ---- rooms -------------------------------------------------------------------------------
    def direct_room(self, a: str, b: str) -> Room | None:
        return self._direct.get(frozenset((a, b)))

    @locked
    def create_direct_room(self, a: str, b: str) -> Room:
        room = Room(room_id=self.new_room_id(), type=DIRECT_ROOM, members=[a, b])
        self._direct[frozenset((a, b))] = room
        return self.add_room(room)

    @locked
    def add_room(self, room: Room) -> Room:
        self.rooms[room.room_id] = room
        self.world.rooms.append(room)
        self.changes.publish(ROOM, asdict(room))
        return room

    @locked
    def room_changed(self, room: Room) -> None:
        """Publish `room` as it is now: an update changed its name, members, owner, ..."""
        self.changes.publish(ROOM, asdict(room))

    @locked
    def post(self, room: Room, sender: str, content: dict[str, Any], app_id: str | None) -> Message:
        message = Message(
            room_id=room.room_id,
            event_id=self.new_event_id(),
            sender=sender,
            content=content,
            timestamp=self.now_ms(),
            app_id=app_id,
        )
        self.messages[message.event_id] = message
        self.room_messages.setdefault(room.room_id, []).append(message)
        self.world.messages.append(message)
        self.changes.publish(MESSAGE, message_view(message))
        return message

    @locked
    def sent(self, room_id: str) -> list[SentMessage]:
        return [
            SentMessage(
                room_id=m.room_id,
                event_id=m.event_id,
                sender=m.sender,
                content=m.content,
                timestamp=m.timestamp,
                app_id=m.app_id,
                history=tuple(m.history),
            )
            for m in self.room_messages.get(room_id, [])
        ]

    # ---- messages ----------------------------------------------------------------------------
    def _recipients(self, body: dict[str, Any]) -> tuple[str, list[str]]:
        room_ids: list[str] = body.get("room_ids") or []
        fcids: list[str] = body.get("fcids") or []
        if room_ids:
            if len(room_ids) > self.room_id_limit:
                raise RefusalError(400, "FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED", "too many room_ids")
            return "room", room_ids
        if fcids:
            if len(fcids) > self.fcid_limit:
                raise RefusalError(400, "FC_MESSAGE_FCID_LIMIT_EXCEEDED", "too many fcids")
            return "fcid", fcids
        return "none", []

    @locked
    def send(
        self,
        app: App,
        body: dict[str, Any],
        *,
        as_user: bool,
        recipient_fails: Callable[[], bool] | None = None,
    ) -> dict[str, Any]:
        kind, recipients = self._recipients(body)
        content: dict[str, Any] = body["content"]
        operation = "send_message_as_user" if as_user else "send_message"
        sender = app.bot
        if as_user:
            if not app.privileged:
                raise RefusalError(
                    403, "FC_FORBIDDEN", "app has no permission for the privilege API"
                )
            sender = body["sender"]
            if sender not in self.users:
                raise RefusalError(404, "FC_FCID_NOT_FOUND", "sender does not exist")
        topic: str | None = body.get("topic") if as_user and kind == "fcid" else None
        results: list[dict[str, Any]] = []
        for recipient in recipients:
            key = "room_id" if kind == "room" else "fcid"
            if kind == "room":
                room = self.rooms.get(recipient)
                if room is not None and sender not in room.members:
                    room = None
            else:
                room, error = self._direct_room_of(sender, recipient, create=as_user)
                if error is not None:
                    results.append({key: recipient, **error})
                    continue
            if room is None:
                results.append(
                    {key: recipient, "errcode": "FC_ROOM_NOT_FOUND", "error": "room does not exist"}
                )
                continue
            if _owner_only(room, sender):
                results.append(
                    {
                        key: recipient,
                        "errcode": "FC_FORBIDDEN",
                        "error": "only the room's owner may send messages here",
                    }
                )
                continue
            if recipient_fails is not None and recipient_fails():
                results.append(_injected(key, recipient))
                continue
            if topic is not None:
                room.topic = topic
            message = self.post(room, sender, content, app.app_id)
            self.delivery_log.append(
                MessageDelivery(room.room_id, message.event_id, recipient, content, operation)
            )
            results.append({key: recipient, "event_id": message.event_id})
        return self._answer(kind, results)

    def _direct_room_of(
        self, sender: str, fcid: str, *, create: bool
    ) -> tuple[Room | None, dict[str, str] | None]:
        """The direct room of `sender` and `fcid`, created when `create` (a send as a user);
        or a per-recipient error."""
        room = self.direct_room(sender, fcid)
        if room is not None or not create:
            return room, None
        if fcid not in self.users:
            return None, {"errcode": "FC_FCID_NOT_FOUND", "error": "user does not exist"}
        if fcid == sender:
            return None, {
                "errcode": "FC_ROOM_NOT_FOUND",
                "error": "a user has no direct room with themselves",
            }
        return self.create_direct_room(sender, fcid), None

    @locked
    def send_webhook(self, app: App, body: dict[str, Any]) -> dict[str, Any]:
        webhook = self.webhooks.get(body["webhook_id"])
        if webhook is None or webhook.app_id != app.app_id:
            raise RefusalError(404, "FC_NOT_FOUND", "webhook does not exist")
        room = self.rooms[webhook.room_id]
        if webhook.sender not in room.members:
            raise RefusalError(404, "FC_NOT_FOUND", "the webhook's bot is no longer in its room")
        if _owner_only(room, webhook.sender):
            raise RefusalError(403, "FC_FORBIDDEN", "only the room's owner may send messages here")
        content: dict[str, Any] = body["content"]
        message = self.post(room, webhook.sender, content, app.app_id)
        self.delivery_log.append(
            MessageDelivery(
                room.room_id, message.event_id, room.room_id, content, "send_webhook_message"
            )
        )
        return {"event_id": message.event_id}

    @locked
    def update_cui(
        self,
        app: App,
        body: dict[str, Any],
        *,
        recipient_fails: Callable[[], bool] | None = None,
    ) -> dict[str, Any]:
        kind, recipients = self._recipients(body)
        origin: str = body["origin_event"]
        results: list[dict[str, Any]] = []
        for recipient in recipients:
            key = "room_id" if kind == "room" else "fcid"
            if kind == "room":
                room = self.rooms.get(recipient)
                if room is not None and app.bot not in room.members:
                    room = None
            else:
                room = self.direct_room(app.bot, recipient)
            if room is None:
                results.append(
                    {key: recipient, "errcode": "FC_ROOM_NOT_FOUND", "error": "room does not exist"}
                )
                continue
            if recipient_fails is not None and recipient_fails():
                results.append(_injected(key, recipient))
                continue
            message = self.messages.get(origin)
            if (
                message is None
                or message.room_id != room.room_id
                or message.app_id != app.app_id
                or message.sender != app.bot
                or message.content.get("msgtype") != "m.cui"
            ):
                results.append(
                    {
                        key: recipient,
                        "errcode": "FC_UNKNOWN",
                        "error": "origin_event is not a CUI message of this app in this room",
                    }
                )
                continue
            if message.content != body["content"]:
                message.history.append(message.content)
                message.content = body["content"]
                self.changes.publish(MESSAGE, message_view(message))
            results.append({key: recipient, "event_id": message.event_id})
        return self._answer(kind, results)

    @staticmethod
    def _answer(kind: str, results: list[dict[str, Any]]) -> dict[str, Any]:
        if kind == "room":
            return {"room_id_result": results}
        if kind == "fcid":
            return {"fcid_result": results}
        return {}

    # ---- media -------------------------------------------------------------------------------
    @locked
    def media_bytes(self) -> int:
        """Bytes of media held; summed, not counted, so a store emptied by hand stays right."""
        return sum(len(m.data) for m in self.media_store.values())

    @locked
    def check_media_room(self, size: int) -> None:
        """Raise the store-full error unless `size` more bytes fit under `max_media_bytes`."""
        held = self.media_bytes()
        if held + size > self.max_media_bytes:
            raise RefusalError(
                500,
                "FC_INTERNAL_ERROR",
                f"the sandbox's media store is full: it holds {held} bytes, {size} more would "
                f"pass its limit of {self.max_media_bytes} (Sandbox(max_media_bytes=...), "
                "finchat sandbox --max-media-mib)",
            )

    @locked
    def export_parts(self) -> tuple[dict[str, Any], list[Media]]:
        """The world without its media, copied under the lock (quick), and the media, whose
        bytes never change, to encode afterwards outside it (slow: base64 of every file)."""
        head = asdict(replace(self.world, media=[]))
        del head["media"]
        return head, list(self.world.media)

    @locked
    def store_media(self, data: bytes, content_type: str) -> str:
        self.check_media_room(len(data))
        media_id = "".join(self._rng.choices(string.ascii_letters + string.digits, k=24))
        uri = f"mxc://{self.server_name}/{media_id}"
        media = Media(content_uri=uri, content_type=content_type, data=data)
        self.media_store[uri] = media
        self.world.media.append(media)
        return uri

    # ---- contacts and users ------------------------------------------------------------------
    @locked
    def users_by_authority(self, authority: str) -> list[str]:
        return [u.fcid for u in self.users.values() if authority in u.authorities]

    def user_detail(self, fcid: str) -> dict[str, Any]:
        user = self.users.get(fcid)
        if user is None:
            raise user_not_found()
        return {"fcid": user.fcid, **user.profile}

    @locked
    def user_friendships(self, fcid: str) -> list[dict[str, Any]]:
        if fcid not in self.users:
            raise user_not_found()
        out = []
        for members, room in self._direct.items():
            # A bot's message to its own fcid opens a room with itself: not a friendship.
            if fcid in members and len(members) == 2:
                (other,) = members - {fcid}
                friend = self.users.get(other)
                is_bot = bool(friend and friend.is_bot)
                out.append({"to_fcid": other, "room_id": room.room_id, "is_bot": is_bot})
        return out

    @locked
    def app_friendships(self, app: App) -> list[dict[str, Any]]:
        out = []
        for members, room in self._direct.items():
            if app.bot in members and len(members) == 2:
                (other,) = members - {app.bot}
                out.append({"to_fcid": other, "room_id": room.room_id})
        return out
