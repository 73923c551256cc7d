"""The API's operations and the requests that call them, built and validated without I/O.

This module is the wrapper's one boundary with the generated client. `Operation` names one
endpoint by its generated module (`finchat_openapi.api.<tag>.<operationId>`) and says whether
repeating it is safe; its method and path template are read from that module's `_get_kwargs`
(`endpoint_of`), and `Operation.parse` is the one caller of its `_parse_response`. So a
regenerated client changes the wrapper here or nowhere, and a generator upgrade that renames
those private functions breaks one place. `Call` is one request ready to send: the builders below
validate every id and argument first, so a bad argument raises before anything reaches the
network. tests/unit/test_operations.py calls each generated `_get_kwargs` with the arguments of
a builder and compares what it would send with the builder's `Call`.
"""

from __future__ import annotations

import importlib
import inspect
import json
import threading
from collections.abc import AsyncIterable, Callable, Iterable, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar
from urllib.parse import quote

from ._ids import (
    validate_event_id,
    validate_fcid,
    validate_fcids,
    validate_path_id,
    validate_room_id,
    validate_room_ids,
    validate_webhook_id,
)

if TYPE_CHECKING:
    import httpx
    from finchat_openapi import AuthenticatedClient, Client
    from finchat_openapi.models import (
        AppFriendship,
        AppVisibility,
        CreateRoomResponse,
        Department,
        Organization,
        RoomDetail,
        SendMessageResponse,
        SendWebhookMessageResponse,
        UpdateRoomResponse,
        UploadResponse,
        UserDetail,
        UserFriendship,
    )

__all__ = ["Call", "Endpoint", "Operation", "endpoint_of", "import_generated"]

T = TypeVar("T")

GENERATED_API = "finchat_openapi.api"


class Endpoint(NamedTuple):
    """The method and path template of an operation, e.g. `("GET", "/.../users/{fcid}")`."""

    method: str
    path: str


# NamedTuples, not dataclasses: making a dataclass costs a millisecond of `import finchat_wrapper`.
class Operation(NamedTuple, Generic[T]):
    """One endpoint of `openapi/finchat.yaml`, as the generated client has it.

    `tag` and `name` are its generated module's package and name (the spec's tag and
    operationId). `safe`: repeating it after a failure cannot do anything twice. `shape` checks a
    parsed answer the generated parser passes through unchecked (it only casts a JSON list of
    strings); None: the parsed model is checked against its annotations (`_shapes.conforms`).
    `statuses`: the 2xx statuses the spec documents for it (a test compares them).
    """

    tag: str
    name: str
    safe: bool
    shape: Callable[[object], bool] | None = None
    statuses: tuple[int, ...] = (200,)

    @property
    def module(self) -> str:
        return f"{GENERATED_API}.{self.tag}.{self.name}"

    def generated(self) -> ModuleType:
        """The generated endpoint module (imported on first use: it pulls in the models)."""
        return import_generated(self.module)

    @property
    def endpoint(self) -> Endpoint:
        """Method and path template, read from the generated module once."""
        endpoint = _ENDPOINTS.get(self.module)
        if endpoint is None:
            endpoint = _ENDPOINTS[self.module] = endpoint_of(self.generated())
        return endpoint

    @property
    def method(self) -> str:
        return self.endpoint.method

    @property
    def path(self) -> str:
        return self.endpoint.path

    def parse(self, *, client: Client | AuthenticatedClient, response: httpx.Response) -> T | None:
        """The generated parse of a 2xx `response`: the model, or None for a status the spec
        does not list. Raises what the generated code raises on a body of another shape."""
        parsed: T | None = self.generated()._parse_response(client=client, response=response)
        return parsed


_ENDPOINTS: dict[str, Endpoint] = {}
_IMPORTED: dict[str, ModuleType] = {}
_IMPORT_LOCK = threading.Lock()


def import_generated(name: str) -> ModuleType:
    """A module of the generated client, imported once, by one thread at a time.

    Threads making their first calls at once would otherwise import the generated package
    together, and its models import one another: Python's import deadlock detection can then
    hand one thread a partially initialized module. Only fully imported modules are cached.
    """
    module = _IMPORTED.get(name)
    if module is None:
        with _IMPORT_LOCK:
            module = importlib.import_module(name)
            _IMPORTED[name] = module
    return module


class _StandIn:
    """Whatever a generated `_get_kwargs` does with an argument other than a path parameter
    (a body model's `to_dict()`, a file's `payload`, an enum's `value`, a list): only the method
    and the URL of its answer are read."""

    payload = b""
    value = ""

    def to_dict(self) -> dict[str, Any]:
        return {}

    def to_multipart(self) -> list[Any]:
        return []

    def isoformat(self) -> str:
        return ""

    def __iter__(self) -> Any:
        return iter(())


def endpoint_of(module: ModuleType) -> Endpoint:
    """The method and path template of a generated endpoint module.

    Its `_get_kwargs` takes the path parameters first, by position: each is given its own
    `{name}` placeholder, which comes back percent-encoded in the URL and is decoded again; the
    other required arguments get a stand-in.
    """
    get_kwargs = module._get_kwargs
    placeholders: list[str] = []
    stand_ins: dict[str, Any] = {}
    for parameter in inspect.signature(get_kwargs).parameters.values():
        if parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
            placeholders.append(f"{{{parameter.name}}}")
        elif parameter.default is inspect.Parameter.empty:
            stand_ins[parameter.name] = _StandIn()
    built = get_kwargs(*placeholders, **stand_ins)
    path: str = built["url"]
    for placeholder in placeholders:
        path = path.replace(quote(placeholder, safe=""), placeholder)
    return Endpoint(str(built["method"]).upper(), path)


def _op(
    tag: str,
    name: str,
    *,
    safe: bool,
    shape: Callable[[object], bool] | None = None,
    statuses: tuple[int, ...] = (200,),
) -> Operation[Any]:
    return Operation(tag, name, safe, shape, statuses)


def _list_of_str(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


GET_APP_ACCESS_TOKEN: Operation[Any] = _op("auth", "get_app_access_token", safe=True)
SEND_MESSAGE: Operation[SendMessageResponse] = _op("messages", "send_message", safe=False)
SEND_MESSAGE_AS_USER: Operation[SendMessageResponse] = _op(
    "messages", "send_message_as_user", safe=False
)
# Repeating the same update leaves the card in the same state (a decision in DECISIONS.md: a PUT
# that replaces the card's content).
UPDATE_CUI: Operation[SendMessageResponse] = _op("messages", "update_cui", safe=True)
UPLOAD_MEDIA: Operation[UploadResponse] = _op("media", "upload_media", safe=False)
GET_USERS_BY_AUTHORITY: Operation[list[str]] = _op(
    "contacts", "get_users_by_authority", safe=True, shape=_list_of_str
)
GET_USER: Operation[UserDetail] = _op("users", "get_user", safe=True)
GET_USER_FRIENDSHIPS: Operation[list[UserFriendship]] = _op(
    "users", "get_user_friendships", safe=True
)
GET_APP_FRIENDSHIPS: Operation[list[AppFriendship]] = _op("apps", "get_app_friendships", safe=True)
# Its answer is read by the events parser (`client.events`), not the generated one, so that a
# pulled event is typed exactly as a pushed one: the type parameter is the raw answer.
PULL_EVENTS: Operation[Any] = _op("events", "pull_events", safe=True)
GET_APP_VISIBILITY: Operation[AppVisibility] = _op("apps", "get_app_visibility", safe=True)
SEND_WEBHOOK_MESSAGE: Operation[SendWebhookMessageResponse] = _op(
    "messages", "send_webhook_message", safe=False
)
# A room is created anew by each request: retried only when the request never left.
CREATE_ROOM: Operation[CreateRoomResponse] = _op(
    "rooms", "create_room", safe=False, statuses=(201,)
)
# The document's status lines say "201 OK" for the reads and the update too: both are accepted.
LIST_ROOMS: Operation[list[str]] = _op(
    "rooms", "list_rooms", safe=True, shape=_list_of_str, statuses=(200, 201)
)
GET_ROOM: Operation[RoomDetail] = _op("rooms", "get_room", safe=True, statuses=(200, 201))
# `update_room` is one endpoint whose safety depends on the change. A new name, topic, history
# visibility or owner-only flag leaves the room as it was after the first request, so a repeat
# changes nothing. An invite or a kick that went through makes its repeat fail
# (FC_FCID_ALREADY_IN_ROOM, FC_FCID_NOT_IN_ROOM) although the change was made, and a new owner
# makes the bot lose the right to name one: those are sent once.
UPDATE_ROOM: Operation[UpdateRoomResponse] = _op(
    "rooms", "update_room", safe=True, statuses=(200, 201)
)
UPDATE_ROOM_ONCE: Operation[UpdateRoomResponse] = _op(
    "rooms", "update_room", safe=False, statuses=(200, 201)
)
GET_ORGANIZATIONS_BY_TYPE: Operation[list[Organization]] = _op(
    "contacts", "get_organizations_by_type", safe=True
)
GET_ORGANIZATION: Operation[Organization] = _op("contacts", "get_organization", safe=True)
GET_DEPARTMENT: Operation[Department] = _op("contacts", "get_department", safe=True)

OPERATIONS: tuple[Operation[Any], ...] = (
    GET_APP_ACCESS_TOKEN,
    SEND_MESSAGE,
    SEND_MESSAGE_AS_USER,
    SEND_WEBHOOK_MESSAGE,
    UPDATE_CUI,
    UPLOAD_MEDIA,
    CREATE_ROOM,
    LIST_ROOMS,
    GET_ROOM,
    UPDATE_ROOM,
    UPDATE_ROOM_ONCE,
    GET_USERS_BY_AUTHORITY,
    GET_ORGANIZATIONS_BY_TYPE,
    GET_ORGANIZATION,
    GET_DEPARTMENT,
    GET_USER,
    GET_USER_FRIENDSHIPS,
    GET_APP_FRIENDSHIPS,
    GET_APP_VISIBILITY,
    PULL_EVENTS,
)


class Call(NamedTuple, Generic[T]):
    """One request of `operation`, ready to send.

    `url` is the path with its parameters validated and percent-encoded. `content` must be bytes
    or a re-iterable body (an async iterable for `AsyncFinChat` only): a retry or a token replay
    sends it again.
    """

    operation: Operation[T]
    url: str
    params: Mapping[str, str | int] | None = None
    json: Any = None
    content: bytes | Iterable[bytes] | AsyncIterable[bytes] | None = None
    headers: Mapping[str, str] | None = None


def _path_param(value: str) -> str:
    # Validated ids cannot be "", "." or ".."; quoting keeps ':' '@' '!' '$' from meaning anything.
    return quote(value, safe="")


def content_dict(content: Any) -> dict[str, Any]:
    """A message content as JSON: a generated model's `to_dict()`, or a mapping copied."""
    to_dict = getattr(content, "to_dict", None)
    if callable(to_dict):
        result = to_dict()
    elif isinstance(content, Mapping):
        result = dict(content)
    else:
        raise TypeError(
            f"content must be a finchat_openapi content model or a mapping, not "
            f"{type(content).__name__}"
        )
    if not isinstance(result, dict) or not isinstance(result.get("msgtype"), str):
        raise ValueError("content needs a 'msgtype' string, e.g. 'm.text'")
    _check_json(result, "content")
    return result


def _check_json(value: Any, what: str) -> None:
    """Raise ValueError now for what httpx could not encode later, in the middle of a send."""
    try:
        json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(
            f"{what} holds a lone surrogate (such as '\\ud800'): not text, so not sendable"
        ) from None
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what} is not JSON: {exc}") from None


def recipients(room_ids: Iterable[str], fcids: Iterable[str]) -> dict[str, list[str]]:
    """The recipient fields of a send or update body, validated."""
    rooms = validate_room_ids(room_ids)
    users = validate_fcids(fcids)
    if not rooms and not users:
        raise ValueError("no recipient: give room_ids or fcids")
    if rooms and users:
        # The server ignores fcids whenever room_ids is set: those users would get nothing.
        raise ValueError("give room_ids or fcids, not both: the server ignores fcids then")
    return {"room_ids": rooms} if rooms else {"fcids": users}


def _message(
    operation: Operation[SendMessageResponse],
    app_id: str,
    payload: dict[str, Any],
    room_ids: Iterable[str],
    fcids: Iterable[str],
    **fields: str,
) -> Call[SendMessageResponse]:
    body = {"app_id": app_id, **fields, **recipients(room_ids, fcids), "content": payload}
    return Call(operation, operation.path, json=body)


def send_message(
    app_id: str, content: Any, room_ids: Iterable[str], fcids: Iterable[str]
) -> Call[SendMessageResponse]:
    return _message(SEND_MESSAGE, app_id, content_dict(content), room_ids, fcids)


def send_message_as_user(
    app_id: str,
    sender: str,
    content: Any,
    room_ids: Iterable[str],
    fcids: Iterable[str],
    *,
    topic: str | None = None,
) -> Call[SendMessageResponse]:
    """`topic`: the topic of the direct rooms with `fcids`; refused with `room_ids`, where the
    server would ignore it."""
    validate_fcid(sender)
    payload = content_dict(content)
    if payload["msgtype"] == "m.cui":
        raise ValueError("a CUI card cannot be sent as a user; use messages.send")
    if topic is None:
        return _message(SEND_MESSAGE_AS_USER, app_id, payload, room_ids, fcids, sender=sender)
    _text("topic", topic)
    call = _message(
        SEND_MESSAGE_AS_USER, app_id, payload, room_ids, fcids, sender=sender, topic=topic
    )
    if "fcids" not in call.json:
        raise ValueError("topic sets the topic of the direct rooms of fcids; give fcids")
    return call


def send_webhook_message(
    app_id: str, webhook_id: str, content: Any
) -> Call[SendWebhookMessageResponse]:
    body = {
        "app_id": app_id,
        "webhook_id": validate_webhook_id(webhook_id),
        "content": content_dict(content),
    }
    return Call(SEND_WEBHOOK_MESSAGE, SEND_WEBHOOK_MESSAGE.path, json=body)


def update_cui(
    app_id: str, origin_event: str, content: Any, room_ids: Iterable[str], fcids: Iterable[str]
) -> Call[SendMessageResponse]:
    validate_event_id(origin_event)
    payload = content_dict(content)
    if payload["msgtype"] != "m.cui":
        raise ValueError(f"update_cui takes CUI content ('m.cui'), not {payload['msgtype']!r}")
    return _message(UPDATE_CUI, app_id, payload, room_ids, fcids, origin_event=origin_event)


def upload_media(app_id: str, data: bytes, content_type: str) -> Call[UploadResponse]:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"data must be bytes, not {type(data).__name__}")
    if len(data) == 0:
        raise ValueError("cannot upload an empty file")
    if not isinstance(content_type, str):
        raise TypeError(f"content_type must be a str, not {type(content_type).__name__}")
    main, _, sub = content_type.partition("/")
    if (
        not main.strip()
        or not sub.strip()
        or not content_type.isascii()  # a header: httpx would fail to encode it mid-request
        or any(ord(c) < 32 or ord(c) == 127 for c in content_type)
    ):
        raise ValueError(f"content_type must look like 'image/png', not {content_type!r}")
    return Call(
        UPLOAD_MEDIA,
        UPLOAD_MEDIA.path,
        params={"app_id": app_id},
        content=bytes(data),
        headers={"Content-Type": content_type},
    )


def upload_media_stream(
    app_id: str, content: Iterable[bytes] | AsyncIterable[bytes], headers: Mapping[str, str]
) -> Call[UploadResponse]:
    """An upload whose body is streamed from a re-iterable source (the hand-written upload).

    `headers` must carry the real Content-Type (and Content-Length when known).
    """
    if isinstance(content, str | bytes | bytearray | memoryview):
        raise TypeError("a streamed upload takes an iterable of byte chunks; use upload_media")
    if not any(name.lower() == "content-type" for name in headers):
        raise ValueError("a streamed upload needs its Content-Type header")
    return Call(
        UPLOAD_MEDIA, UPLOAD_MEDIA.path, params={"app_id": app_id}, content=content, headers=headers
    )


def get_users_by_authority(app_id: str, authority_name: str) -> Call[list[str]]:
    if not isinstance(authority_name, str):
        raise TypeError(f"authority_name must be a str, not {type(authority_name).__name__}")
    if not authority_name:
        raise ValueError("authority_name must be a non-empty string")
    if any(ord(c) < 32 or ord(c) == 127 or 0xD800 <= ord(c) <= 0xDFFF for c in authority_name):
        raise ValueError("authority_name must not contain control characters or lone surrogates")
    return Call(
        GET_USERS_BY_AUTHORITY,
        GET_USERS_BY_AUTHORITY.path,
        params={"authority_name": authority_name, "app_id": app_id},
    )


def get_user(app_id: str, fcid: str) -> Call[UserDetail]:
    url = GET_USER.path.format(fcid=_path_param(validate_fcid(fcid)))
    return Call(GET_USER, url, params={"app_id": app_id})


def get_user_friendships(app_id: str, fcid: str) -> Call[list[UserFriendship]]:
    url = GET_USER_FRIENDSHIPS.path.format(fcid=_path_param(validate_fcid(fcid)))
    return Call(GET_USER_FRIENDSHIPS, url, params={"app_id": app_id})


def get_app_friendships(app_id: str) -> Call[list[AppFriendship]]:
    # app_id was validated when the client was made.
    url = GET_APP_FRIENDSHIPS.path.format(app_id=_path_param(app_id))
    return Call(GET_APP_FRIENDSHIPS, url)


def pull_events(app_id: str, since: str | None, page_size: int) -> Call[Any]:
    if since is not None and not isinstance(since, str):
        raise TypeError(f"since must be a str or None, not {type(since).__name__}")
    if isinstance(page_size, bool) or not isinstance(page_size, int):
        raise TypeError(f"page_size must be an int, not {type(page_size).__name__}")
    if page_size < 1:
        raise ValueError(f"page_size must be at least 1, not {page_size}")
    params: dict[str, str | int] = {"page_size": page_size}
    if since:
        # Empty means "from the beginning", as absent does: sent only when it says something.
        params["since"] = since
    url = PULL_EVENTS.path.format(app_id=_path_param(app_id))
    return Call(PULL_EVENTS, url, params=params)


def get_app_visibility(app_id: str) -> Call[AppVisibility]:
    url = GET_APP_VISIBILITY.path.format(app_id=_path_param(app_id))
    return Call(GET_APP_VISIBILITY, url)


# ---- group rooms -------------------------------------------------------------------------------

HISTORY_VISIBILITIES = ("shared", "joined")
# The fields of `update_room` by precedence, highest first (the spec's `x-precedence`, which a
# test compares with this): the server applies the highest group present and ignores the rest.
ROOM_UPDATE_PRECEDENCE: tuple[tuple[str, ...], ...] = (
    ("name",),
    ("topic",),
    ("history_visibility",),
    ("owner",),
    ("message_forbidden_except_owner", "invite_forbidden_except_owner"),
    ("fcids_to_invite", "fcids_to_kick"),
)
# The groups a repeat could answer differently (see UPDATE_ROOM_ONCE).
_SENT_ONCE = frozenset({"owner", "fcids_to_invite", "fcids_to_kick"})


def _text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    _check_json(value, name)
    return value


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, not {type(value).__name__}")
    return value


def _history(value: object) -> str:
    if value not in HISTORY_VISIBILITIES:
        raise ValueError(f"history_visibility must be 'shared' or 'joined', not {value!r}")
    return str(value)


_ROOM_FIELD_CHECKS: dict[str, Callable[[Any], Any]] = {
    "name": lambda v: _text("name", v),
    "topic": lambda v: _text("topic", v),
    "history_visibility": _history,
    "federate": lambda v: _flag("federate", v),
    "owner": validate_fcid,
    "fcids": validate_fcids,
    "message_forbidden_except_owner": lambda v: _flag("message_forbidden_except_owner", v),
    "invite_forbidden_except_owner": lambda v: _flag("invite_forbidden_except_owner", v),
    "fcids_to_invite": validate_fcids,
    "fcids_to_kick": validate_fcids,
}
_ROOM_UPDATE_FIELDS = frozenset(name for group in ROOM_UPDATE_PRECEDENCE for name in group)


def _room_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The body fields of a room create or update that are given (not None), each checked."""
    checks = _ROOM_FIELD_CHECKS
    return {name: checks[name](value) for name, value in fields.items() if value is not None}


def create_room(
    app_id: str,
    *,
    name: str | None = None,
    topic: str | None = None,
    history_visibility: str | None = None,
    federate: bool | None = None,
    owner: str | None = None,
    fcids: Iterable[str] = (),
) -> Call[CreateRoomResponse]:
    fields = _room_fields(
        {
            "name": name,
            "topic": topic,
            "history_visibility": history_visibility,
            "federate": federate,
            "owner": owner,
        }
    )
    members = list(dict.fromkeys(validate_fcids(fcids)))
    if members:
        fields["fcids"] = members
    return Call(
        CREATE_ROOM, CREATE_ROOM.path, json={"app_id": app_id, "type": "multi_chat", **fields}
    )


def list_rooms(app_id: str) -> Call[list[str]]:
    return Call(LIST_ROOMS, LIST_ROOMS.path, params={"app_id": app_id})


def _room_url(operation: Operation[Any], room_id: str) -> str:
    return operation.path.format(room_id=_path_param(validate_room_id(room_id)))


def get_room(app_id: str, room_id: str) -> Call[RoomDetail]:
    return Call(GET_ROOM, _room_url(GET_ROOM, room_id), params={"app_id": app_id})


def update_room(app_id: str, room_id: str, changes: Mapping[str, Any]) -> Call[UpdateRoomResponse]:
    """One change of a group room: the fields of one group of `ROOM_UPDATE_PRECEDENCE`.

    Fields of several groups are refused (ValueError): the server would apply the highest one
    and silently ignore the others, so each change is its own call.
    """
    unknown = sorted(set(changes) - _ROOM_UPDATE_FIELDS)
    if unknown:
        raise TypeError(f"update_room has no field {', '.join(unknown)}")
    fields = _room_fields(changes)
    for member_list in ("fcids_to_invite", "fcids_to_kick"):
        if member_list in fields:
            fields[member_list] = list(dict.fromkeys(fields[member_list]))
            if not fields[member_list]:
                del fields[member_list]
    groups = [group for group in ROOM_UPDATE_PRECEDENCE if any(f in fields for f in group)]
    if not groups:
        raise ValueError("nothing to change: give one of " + ", ".join(sorted(_ROOM_UPDATE_FIELDS)))
    if len(groups) > 1:
        given = [f for group in groups for f in group if f in fields]
        order = " > ".join(",".join(group) for group in ROOM_UPDATE_PRECEDENCE)
        raise ValueError(
            f"one change per update: {', '.join(given)} given together, and the server applies "
            f"only the first by its precedence ({order}), ignoring the others; "
            "make one call per change"
        )
    invite, kick = fields.get("fcids_to_invite", []), fields.get("fcids_to_kick", [])
    both = sorted(set(invite) & set(kick))
    if both:
        raise ValueError(f"{', '.join(both)} both invited and kicked in one update")
    operation = UPDATE_ROOM_ONCE if _SENT_ONCE & fields.keys() else UPDATE_ROOM
    return Call(operation, _room_url(operation, room_id), json={"app_id": app_id, **fields})


# ---- the directory -----------------------------------------------------------------------------


def get_organizations_by_type(
    app_id: str, fcid: str, organization_type: int
) -> Call[list[Organization]]:
    if isinstance(organization_type, bool) or not isinstance(organization_type, int):
        raise TypeError(f"organization_type must be an int, not {type(organization_type).__name__}")
    params = {
        "app_id": app_id,
        "fcid": validate_fcid(fcid),
        "organization_type": str(organization_type),
    }
    return Call(GET_ORGANIZATIONS_BY_TYPE, GET_ORGANIZATIONS_BY_TYPE.path, params=params)


def get_organization(app_id: str, organization_id: str) -> Call[Organization]:
    segment = _path_param(validate_path_id("organization_id", organization_id))
    url = GET_ORGANIZATION.path.format(organization_id=segment)
    return Call(GET_ORGANIZATION, url, params={"app_id": app_id})


def get_department(
    app_id: str, department_id: str, *, include_sub_departments: bool = False
) -> Call[Department]:
    segment = _path_param(validate_path_id("department_id", department_id))
    flag = _flag("include_sub_departments", include_sub_departments)
    params = {"app_id": app_id, "include_sub_departments": "true" if flag else "false"}
    url = GET_DEPARTMENT.path.format(department_id=segment)
    return Call(GET_DEPARTMENT, url, params=params)
