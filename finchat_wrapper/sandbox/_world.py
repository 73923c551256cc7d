"""What a sandbox starts from: apps, users, rooms, messages, media, the directory (organizations
and departments) and webhook bots, loadable from YAML or JSON.

A `World` is plain data. A `Sandbox` copies it on start, so one world seeds many sandboxes, and
`Sandbox.export_world()` gives the state back in the same shape for reproducible scenarios.
Friendships are not stored apart: two users are friends when they share a direct room, which is
also what the friendship operations answer. Department members are not stored apart either: a
user is a member of the departments of their profile's `departments`.

A world file's shape is the JSON Schema `_specs/world.schema.yaml`; the default world is the
world file `_specs/default-world.yaml`. `World.check` adds what a schema cannot say: that the
references hold together.
"""

from __future__ import annotations

import base64
import binascii
import copy
import functools
import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

_SPECS = Path(__file__).resolve().parent / "_specs"
WORLD_SCHEMA_PATH = _SPECS / "world.schema.yaml"
DEFAULT_WORLD_PATH = _SPECS / "default-world.yaml"

DIRECT_ROOM = "direct_room"
MULTI_ROOM = "multi_room"

# The profile fields `UserDetail` documents besides `fcid` (world.schema.yaml lists their types).
PROFILE_FIELDS = (
    "account",
    "name",
    "gender",
    "mobile",
    "landline",
    "position",
    "email",
    "job_number",
    "roles",
    "departments",
    "organization_id",
)


class WorldError(ValueError):
    """A world file or dict is malformed; the message says where."""


@dataclass
class Visibility:
    """Who in the enterprise can see an app: everyone, or the departments and users listed."""

    unlimited: bool = True
    departments: list[str] = field(default_factory=list)
    fcids: list[str] = field(default_factory=list)


@dataclass
class App:
    app_id: str
    secret: str
    bot: str
    name: str = ""
    published: bool = True
    # The admin app receives the events about every app: applications to use one, publishing
    # status changes, visibility changes, and sensitive-word notices.
    admin: bool = False
    # Subscribed to every message of every room, its bot a member or not (a privilege of
    # internal apps): each arrives with its `receivers`.
    all_messages: bool = False
    # Where the sandbox IAM may send a signed-in user back (see `_iam.redirect_uri_allowed`).
    redirect_uris: list[str] = field(default_factory=list)
    # May call the privilege API (send as a user, pull events); FC_FORBIDDEN otherwise.
    privileged: bool = True
    visibility: Visibility = field(default_factory=Visibility)

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
    """A direct room (two members) or a group room (`multi_room`).

    The other fields are a group room's (a direct room uses only `topic`, which a send as a user
    can set). `owner` None: the first member. Who may change what is `_rooms`' business.
    """

    room_id: str
    type: str
    members: list[str]
    name: str | None = None
    topic: str | None = None
    owner: str | None = None
    federate: bool = False
    history_visibility: str = "shared"
    message_forbidden_except_owner: bool = False
    invite_forbidden_except_owner: bool = False


def owner_of(room: Room) -> str:
    """The owner of a group room: its `owner`, else its first member."""
    return room.owner if room.owner is not None else room.members[0]


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
class Organization:
    organization_id: str
    organization_name: str = ""
    organization_type: int = 0
    # Ids of the organizations that dispatch and supervise it.
    dispatch_supervision_organizations: list[str] = field(default_factory=list)


@dataclass
class Department:
    department_id: str
    department_name: str = ""
    # None at the top of the tree.
    parent_department: str | None = None


@dataclass
class Webhook:
    """A webhook bot of an app: what the app sends through it appears in its room as `sender`."""

    webhook_id: str
    app_id: str
    room_id: str
    sender: str
    name: str = ""


@dataclass
class World:
    server_name: str = "example.org"
    apps: list[App] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    rooms: list[Room] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    webhooks: list[Webhook] = field(default_factory=list)

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
        """The world of a mapping shaped as `world.schema.yaml` says; WorldError says where not."""
        _validate(data)
        return cls._build(data)

    @classmethod
    def _build(cls, data: dict[str, Any]) -> World:
        media = []
        for index, m in enumerate(data.get("media", [])):
            try:
                content = base64.b64decode(m.get("data_base64", ""), validate=True)
            except binascii.Error:
                where = _place(["media", index], data)
                raise WorldError(f"malformed world: {where}data_base64 is not base64") from None
            content_type = m.get("content_type", "application/octet-stream")
            media.append(Media(m["content_uri"], content_type, content))
        world = cls(
            server_name=data.get("server_name", "example.org"),
            apps=[
                App(**{**a, "visibility": Visibility(**a.get("visibility", {}))})
                for a in data.get("apps", [])
            ],
            users=[User(**u) for u in data.get("users", [])],
            rooms=[Room(**r) for r in data.get("rooms", [])],
            messages=[Message(**m) for m in data.get("messages", [])],
            media=media,
            organizations=[Organization(**o) for o in data.get("organizations", [])],
            departments=[Department(**d) for d in data.get("departments", [])],
            webhooks=[Webhook(**w) for w in data.get("webhooks", [])],
        )
        world._check_references()
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
        """Refuse worlds of the wrong shape or whose references do not hold together."""
        _validate(self.to_dict())
        self._check_references()

    def _check_references(self) -> None:
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
        for room in self.rooms:
            if room.owner is not None and room.owner not in room.members:
                raise WorldError(f"room {room.room_id}: its owner {room.owner} is not a member")
        self._check_directory(fcids)
        rooms = {room.room_id: room for room in self.rooms}
        apps = {app.app_id: app for app in self.apps}
        webhook_ids = set()
        for webhook in self.webhooks:
            where = f"webhook {webhook.webhook_id}"
            if webhook.webhook_id in webhook_ids:
                raise WorldError(f"two webhooks share the webhook_id {webhook.webhook_id}")
            webhook_ids.add(webhook.webhook_id)
            if webhook.app_id not in apps:
                raise WorldError(f"{where}: unknown app {webhook.app_id}")
            its_room = rooms.get(webhook.room_id)
            if its_room is None:
                raise WorldError(f"{where}: unknown room {webhook.room_id}")
            if webhook.sender not in its_room.members:
                raise WorldError(f"{where}: its sender {webhook.sender} is not in its room")

    def _check_directory(self, fcids: set[str]) -> None:
        organizations = {o.organization_id for o in self.organizations}
        if len(organizations) != len(self.organizations):
            raise WorldError("two organizations share an organization_id")
        for organization in self.organizations:
            unknown = set(organization.dispatch_supervision_organizations) - organizations
            if unknown:
                raise WorldError(
                    f"organization {organization.organization_id}: unknown dispatch-supervision "
                    f"organizations {sorted(unknown)}"
                )
        parents = {d.department_id: d.parent_department for d in self.departments}
        if len(parents) != len(self.departments):
            raise WorldError("two departments share a department_id")
        for department_id, parent in parents.items():
            if parent is not None and parent not in parents:
                raise WorldError(f"department {department_id}: unknown parent {parent}")
            seen = {department_id}
            while parent is not None:  # up to the top: a department is never its own ancestor
                if parent in seen:
                    raise WorldError(f"department {department_id}: the tree has a cycle")
                seen.add(parent)
                parent = parents[parent]
        for user in self.users:
            unknown = set(user.profile.get("departments", [])) - parents.keys()
            if unknown:
                raise WorldError(f"user {user.fcid}: unknown departments {sorted(unknown)}")
            organization_id = user.profile.get("organization_id")
            if organization_id is not None and organization_id not in organizations:
                raise WorldError(f"user {user.fcid}: unknown organization {organization_id}")
        for app in self.apps:
            unknown = set(app.visibility.departments) - parents.keys()
            unknown |= set(app.visibility.fcids) - fcids
            if unknown:
                raise WorldError(
                    f"app {app.app_id}: its visibility names unknown {sorted(unknown)}"
                )

    @classmethod
    def default(cls) -> World:
        """The world of the upstream document's examples, so that each of them succeeds."""
        return cls._build(copy.deepcopy(_default_world()))


@functools.cache
def _default_world() -> dict[str, Any]:
    # Read and checked once per process; each `World.default()` builds from a copy.
    with DEFAULT_WORLD_PATH.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    _validate(data)
    return data


# The ids of the default world that tests and examples name; test_world.py checks them there.
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
DOC_ROOM = "!112321588723954859:example.org"
DOC_WEBHOOK_ID = "5df29mec9ccfd002ccd28076"
WEBHOOK_BOT = "@webhook-bot:example.org"
DOC_DEPARTMENT_ID = "55c22c00-09e9-11ea-ab7d-a15ba0c1027b"
DOC_ORGANIZATION_ID = "55c22c00-09e9-11ea-ab7d-a15ba0c1027b"
DOC_USER = "@linian002:dev.finogeeks.club"


# ---- the schema -------------------------------------------------------------------------------

# What a JSON type is called in a message.
_TYPE_NAMES = {
    "string": "a string",
    "boolean": "true or false",
    "integer": "an integer",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}
# The field that names an entry of each list, shown with its place.
_ID_KEYS = {
    "apps": "app_id",
    "users": "fcid",
    "rooms": "room_id",
    "messages": "event_id",
    "media": "content_uri",
    "organizations": "organization_id",
    "departments": "department_id",
    "webhooks": "webhook_id",
}


@functools.cache
def _validator() -> Draft202012Validator:
    with WORLD_SCHEMA_PATH.open(encoding="utf-8") as handle:
        schema = yaml.safe_load(handle)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


# Worlds found valid, by their JSON: every `Sandbox()` checks its world, mostly the same one, and
# checking costs five times as much as this lookup.
_VALID: dict[str, None] = {}
_VALID_MAX = 8
_VALID_LOCK = threading.Lock()


def _validate(data: Any) -> None:
    try:
        key: str | None = json.dumps(data, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError):
        key = None  # not JSON at all: the schema says where
    if key is not None and key in _VALID:
        return
    errors = sorted(_validator().iter_errors(data), key=lambda e: _order(e.absolute_path))
    if errors:
        shown = "; ".join(_describe(error, data) for error in errors[:3])
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        raise WorldError(f"malformed world: {shown}{more}")
    if key is not None:
        with _VALID_LOCK:
            _VALID[key] = None
            while len(_VALID) > _VALID_MAX:
                del _VALID[next(iter(_VALID))]


def _order(path: Iterable[object]) -> tuple[tuple[int, int, str], ...]:
    # Document order: list indexes by number, keys by name.
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in path)


def _describe(error: ValidationError, data: Any) -> str:
    """`apps[0] ('a'): ...`: where, with the entry's id when it has one, and what is wrong."""
    path = list(error.absolute_path)
    field_name = str(path[-1]) if path and isinstance(path[-1], str) else None
    entry = path[:-1] if field_name is not None else path
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    value: Any = error.validator_value
    if error.validator == "type":
        names = [value] if isinstance(value, str) else list(value)
        what = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        if not path:
            return str(schema.get("description", f"a world must be {what}"))
        subject = field_name or f"item {path[-1]}"
        return f"{_place(entry, data, field_name is None)}{subject} must be {what}"
    if error.validator == "additionalProperties":
        instance: Any = error.instance
        unknown = sorted(set(instance) - set(schema.get("properties", {})))
        return f"{_place(path, data)}unknown {schema.get('title', '')} keys: {', '.join(unknown)}"
    if error.validator == "required":
        missing = error.message.removesuffix(" is a required property")
        return f"{_place(path, data)}{missing} is missing"
    if error.validator == "enum":
        choices = " or ".join(map(str, value))
        return f"{_place(entry, data)}{field_name or 'it'} must be {choices}"
    return f"{_place(path, data)}{error.message}"


def _place(path: list[Any], data: Any, parent: bool = False) -> str:
    if parent:
        path = path[:-1]
    if not path:
        return ""
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    node = data
    for part in path:
        node = node[part]
    entry_id = node.get(_ID_KEYS.get(str(path[0]), "")) if isinstance(node, dict) else None
    return f"{text} ({entry_id!r}): " if isinstance(entry_id, str) else f"{text}: "
