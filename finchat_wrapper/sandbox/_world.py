"""What a sandbox starts from: apps, users, rooms, messages and media, loadable from YAML or JSON.

A `World` is plain data. A `Sandbox` copies it on start, so one world seeds many sandboxes, and
`Sandbox.export_world()` gives the state back in the same shape for reproducible scenarios.
Friendships are not stored apart: two users are friends when they share a direct room, which is
also what the friendship operations answer.
"""

from __future__ import annotations

import base64
import copy
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

DIRECT_ROOM = "direct_room"
MULTI_ROOM = "multi_room"

# The profile fields `UserDetail` documents besides `fcid`.
PROFILE_FIELDS = (
    "name",
    "gender",
    "mobile",
    "landline",
    "position",
    "email",
    "job_number",
    "roles",
    "groups",
)


class WorldError(ValueError):
    """A world file or dict is malformed; the message says where."""


@dataclass
class App:
    app_id: str
    secret: str
    bot: str
    name: str = ""
    published: bool = True
    # The admin app receives `finstore.app.application` events for every app.
    admin: bool = False
    # Where the sandbox IAM may send a signed-in user back (see `_iam.redirect_uri_allowed`).
    redirect_uris: list[str] = field(default_factory=list)

    def __repr__(self) -> str:  # the secret never appears in a repr
        return f"App(app_id={self.app_id!r}, bot={self.bot!r}, published={self.published})"


@dataclass
class User:
    fcid: str
    profile: dict[str, Any] = field(default_factory=dict)
    is_bot: bool = False
    authorities: list[str] = field(default_factory=list)


@dataclass
class Room:
    room_id: str
    type: str
    members: list[str]


@dataclass
class Message:
    room_id: str
    event_id: str
    sender: str
    content: dict[str, Any]
    timestamp: int
    # The app whose bot sent it, or that sent it in a user's name; None for a user's own message.
    app_id: str | None = None
    # Earlier contents of a CUI card, oldest first; `content` is the current one.
    history: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Media:
    content_uri: str
    content_type: str
    data: bytes

    def __repr__(self) -> str:
        return f"Media({self.content_uri!r}, {self.content_type!r}, {len(self.data)} bytes)"


@dataclass
class World:
    server_name: str = "example.org"
    apps: list[App] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    rooms: list[Room] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)

    # ---- serialisation -------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["media"] = [
            {
                "content_uri": m.content_uri,
                "content_type": m.content_type,
                "data_base64": base64.b64encode(m.data).decode("ascii"),
            }
            for m in self.media
        ]
        return data

    @classmethod
    def from_dict(cls, data: Any) -> World:
        if not isinstance(data, dict):
            raise WorldError("a world is a mapping with apps, users, rooms, messages and media")
        unknown = set(data) - {"server_name", "apps", "users", "rooms", "messages", "media"}
        if unknown:
            raise WorldError(f"unknown world keys: {', '.join(sorted(unknown))}")
        try:
            media = [
                Media(
                    content_uri=m["content_uri"],
                    content_type=m.get("content_type", "application/octet-stream"),
                    data=base64.b64decode(m.get("data_base64", ""), validate=True),
                )
                for m in data.get("media", [])
            ]
            world = cls(
                server_name=str(data.get("server_name", "example.org")),
                apps=[App(**a) for a in data.get("apps", [])],
                users=[User(**u) for u in data.get("users", [])],
                rooms=[Room(**r) for r in data.get("rooms", [])],
                messages=[Message(**m) for m in data.get("messages", [])],
                media=media,
            )
        except (TypeError, KeyError, ValueError, AttributeError) as exc:
            raise WorldError(f"malformed world: {exc}") from None
        world.check()
        return world

    @classmethod
    def load(cls, path: str | Path) -> World:
        """Read a world from a `.json`, `.yaml` or `.yml` file."""
        path = Path(path)
        text = path.read_text(encoding="utf-8")
        try:
            data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            raise WorldError(
                f"{path}: not valid {path.suffix.lstrip('.') or 'YAML'}: {exc}"
            ) from None
        try:
            return cls.from_dict(data)
        except WorldError as exc:
            raise WorldError(f"{path}: {exc}") from None

    def dump(self, path: str | Path) -> None:
        """Write the world as JSON or YAML, chosen by the file's suffix."""
        path = Path(path)
        data = self.to_dict()
        if path.suffix == ".json":
            path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")

    def copy(self) -> World:
        return copy.deepcopy(self)

    def check(self) -> None:
        """Refuse worlds of the wrong types or whose references do not hold together."""
        self._check_types()
        fcids = {u.fcid for u in self.users}
        if len(fcids) != len(self.users):
            raise WorldError("two users share an fcid")
        app_ids = {a.app_id for a in self.apps}
        if len(app_ids) != len(self.apps):
            raise WorldError("two apps share an app_id")
        for app in self.apps:
            if app.bot not in fcids:
                raise WorldError(f"app {app.app_id}: its bot {app.bot} is not a user")
        room_ids = set()
        for room in self.rooms:
            if room.type not in (DIRECT_ROOM, MULTI_ROOM):
                raise WorldError(f"room {room.room_id}: type must be direct_room or multi_room")
            if room.type == DIRECT_ROOM and len(set(room.members)) != 2:
                raise WorldError(f"room {room.room_id}: a direct room has exactly two members")
            missing = set(room.members) - fcids
            if missing:
                raise WorldError(f"room {room.room_id}: unknown members {sorted(missing)}")
            room_ids.add(room.room_id)
        if len(room_ids) != len(self.rooms):
            raise WorldError("two rooms share a room_id")
        for message in self.messages:
            if message.room_id not in room_ids:
                raise WorldError(f"message {message.event_id}: unknown room {message.room_id}")

    def _check_types(self) -> None:
        def need(ok: bool, where: str, what: str) -> None:
            if not ok:
                raise WorldError(f"{where}: {what}")

        def strings(value: Any) -> bool:
            return isinstance(value, list) and all(isinstance(v, str) for v in value)

        for app in self.apps:
            where = f"app {app.app_id!r}"
            for name in ("app_id", "secret", "bot", "name"):
                need(isinstance(getattr(app, name), str), where, f"{name} must be a string")
            need(isinstance(app.published, bool), where, "published must be true or false")
            need(isinstance(app.admin, bool), where, "admin must be true or false")
            need(strings(app.redirect_uris), where, "redirect_uris must be a list of strings")
        for user in self.users:
            where = f"user {user.fcid!r}"
            need(isinstance(user.fcid, str), where, "fcid must be a string")
            need(isinstance(user.profile, dict), where, "profile must be a mapping")
            need(strings(user.authorities), where, "authorities must be a list of strings")
            need(isinstance(user.is_bot, bool), where, "is_bot must be true or false")
        for room in self.rooms:
            where = f"room {room.room_id!r}"
            need(isinstance(room.room_id, str), where, "room_id must be a string")
            need(strings(room.members), where, "members must be a list of fcids")
        for message in self.messages:
            where = f"message {message.event_id!r}"
            for name in ("room_id", "event_id", "sender"):
                need(isinstance(getattr(message, name), str), where, f"{name} must be a string")
            need(isinstance(message.content, dict), where, "content must be a mapping")
            need(isinstance(message.timestamp, int), where, "timestamp must be an integer")

    @classmethod
    def default(cls) -> World:
        """The world of the upstream document's examples, so that each of them succeeds."""
        return cls.from_dict(copy.deepcopy(_DEFAULT_WORLD))


DEFAULT_APP_ID = "5cf29aec6ccfd004ccd28075"
# Published in the upstream document; a sandbox credential, not a secret of any real deployment.
DEFAULT_SECRET = "90fa4652-5cd1-4280-ae20-e3d381f9b1fa"  # noqa: S105
OTHER_APP_ID = "6a1e0f0c4b7d2e9a5c3f8b10"
OTHER_SECRET = "0d6c1b52-7f34-4c1e-9a0b-5be8f2d4c6a1"  # noqa: S105
UNPUBLISHED_APP_ID = "461cf042d9eedaa60d445f26dc747d5e"
UNPUBLISHED_SECRET = "c7b9e1d0-2a4f-4d83-8e6b-1f0a9c3d5e72"  # noqa: S105

BOT = "@vsadf-bot:dev.finogeeks.club"
DOC_CUI_EVENT = "$22222222:dev.finogeeks.club"
DOC_MEDIA_URI = "mxc://example.org/66696e6f6765656b732e636c75625e6f4670efda61000110b517"
# A 1x1 transparent PNG: the document's example image must be readable from the sandbox.
_PNG_1X1 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5E"
    "rkJggg=="
)

_CUI_DOC_CONTENT: dict[str, Any] = {
    "body": "[交互卡片]",
    "info": {
        "type": "form",
        "status": "input",
        "shared": True,
        "fcids": [],
        "elements": [
            {"type": "context", "subtype": "text", "value": "FinChat私有化部署POC申请"},
            {"type": "input", "subtype": "text-input", "placeholder": "公司名称", "key": "company"},
            {"type": "button", "subtype": "submit", "value": "提交", "action": "submit"},
        ],
    },
    "msgtype": "m.cui",
    "version": "0.1.0",
}

_DEFAULT_WORLD: dict[str, Any] = {
    "server_name": "example.org",
    "apps": [
        {
            "app_id": DEFAULT_APP_ID,
            "secret": DEFAULT_SECRET,
            "bot": BOT,
            "name": "FinChat小助手",
            "published": True,
            "admin": True,
            # Any web app on the developer's machine, on any port and path (RFC 8252 7.3).
            "redirect_uris": ["http://127.0.0.1/*", "http://localhost/*", "http://[::1]/*"],
        },
        {
            "app_id": OTHER_APP_ID,
            "secret": OTHER_SECRET,
            "bot": "@other-bot:example.org",
            "name": "另一个机器人",
            "published": True,
        },
        {
            "app_id": UNPUBLISHED_APP_ID,
            "secret": UNPUBLISHED_SECRET,
            "bot": "@test-bot:example.org",
            "name": "测试机器人",
            "published": False,
        },
    ],
    "users": [
        {"fcid": BOT, "profile": {"name": "vsadf-bot"}, "is_bot": True},
        {"fcid": "@other-bot:example.org", "profile": {"name": "other-bot"}, "is_bot": True},
        {"fcid": "@test-bot:example.org", "profile": {"name": "test-bot"}, "is_bot": True},
        {"fcid": "@test:example.org", "profile": {"name": "test", "gender": "female"}},
        {"fcid": "@user001:example.org", "profile": {"name": "user001"}},
        {"fcid": "@example:example.org", "profile": {"name": "example"}},
        {"fcid": "@alice:example.org", "profile": {"name": "alice"}},
        {
            "fcid": "@linian002:dev.finogeeks.club",
            "profile": {
                "name": "linian002",
                "gender": "male",
                "mobile": "12346278569",
                "landline": "020-7789898",
                "position": "研发总监",
                "email": "222@qq.com",
                "job_number": "001",
                "roles": [],
                "groups": ["d7646430-53b8-11ea-8719-19c1a365f2ff"],
            },
        },
        {
            "fcid": "@test001:dev.finogeeks.club",
            "profile": {"name": "测试账号001"},
            "authorities": ["admin", "approver"],
        },
        {
            "fcid": "@test002:dev.finogeeks.club",
            "profile": {"name": "测试账号002"},
            "authorities": ["admin"],
        },
    ],
    "rooms": [
        {
            "room_id": "!112321588723954859:example.org",
            "type": MULTI_ROOM,
            "members": [BOT, "@test:example.org", "@user001:example.org", "@example:example.org"],
        },
        {
            "room_id": "!132221587624558592:example.org",
            "type": MULTI_ROOM,
            "members": [BOT, "@test:example.org", "@user001:example.org", "@alice:example.org"],
        },
        {
            # A group the bot is not in: sending there fails with FC_ROOM_NOT_FOUND.
            "room_id": "!900000000000000001:example.org",
            "type": MULTI_ROOM,
            "members": ["@test001:dev.finogeeks.club", "@test002:dev.finogeeks.club"],
        },
        {
            "room_id": "!jEsUZKDJdhlrceRyVU:example.org",
            "type": DIRECT_ROOM,
            "members": [BOT, "@alice:example.org"],
        },
        {
            "room_id": "!224069434157826048:dev.finogeeks.club",
            "type": DIRECT_ROOM,
            "members": [BOT, "@test001:dev.finogeeks.club"],
        },
        {
            "room_id": "!230427174354550784:dev.finogeeks.club",
            "type": DIRECT_ROOM,
            "members": ["@test001:dev.finogeeks.club", "@linian002:dev.finogeeks.club"],
        },
        {
            "room_id": "!100000000000000001:example.org",
            "type": DIRECT_ROOM,
            "members": [BOT, "@test:example.org"],
        },
        {
            "room_id": "!100000000000000002:example.org",
            "type": DIRECT_ROOM,
            "members": [BOT, "@user001:example.org"],
        },
        {
            "room_id": "!100000000000000003:dev.finogeeks.club",
            "type": DIRECT_ROOM,
            "members": [BOT, "@linian002:dev.finogeeks.club"],
        },
        {
            "room_id": "!100000000000000004:example.org",
            "type": DIRECT_ROOM,
            "members": [BOT, "@example:example.org"],
        },
    ],
    "messages": [
        {
            "room_id": "!112321588723954859:example.org",
            "event_id": DOC_CUI_EVENT,
            "sender": BOT,
            "content": _CUI_DOC_CONTENT,
            "timestamp": 1432735824653,
            "app_id": DEFAULT_APP_ID,
        },
        {
            "room_id": "!jEsUZKDJdhlrceRyVU:example.org",
            "event_id": "$153243582843Pxrdn:example.org",
            "sender": BOT,
            "content": _CUI_DOC_CONTENT,
            "timestamp": 1432735824653,
            "app_id": DEFAULT_APP_ID,
        },
    ],
    "media": [
        {"content_uri": DOC_MEDIA_URI, "content_type": "image/png", "data_base64": _PNG_1X1},
    ],
}
