"""The API areas of a client (`client.messages`, `client.rooms`, ...): one module per area.

Each module holds the area's sync and async classes side by side. What an area decides is
written once, without I/O: the builders of `_operations` (arguments checked, the `Call` made),
`_sending` (the plan and requests of a send), `MediaSend` (an image or file message). The
classes are the typed shells around it: each method of the async class is its sync twin with
`await`, kept as two classes so that both clients have precise signatures and docstrings; only
the I/O between the decisions differs. An area reaches its client through the `Caller` /
`AsyncCaller` protocols of `_base`, never the client classes.

`client.events` parses what it pulls with the events parser (`finchat_wrapper.events`, no
I/O), so that a pulled event is typed as a pushed one.

A new area is one module here: a class per client, each method one builder call and one
`self._client._call(...)` (see `_users` for the smallest one); `_client` constructs it.
"""

from ._apps import Apps, AsyncApps
from ._auth import AsyncAuth, Auth
from ._base import Area, AsyncCaller, Caller
from ._contacts import AsyncContacts, Contacts
from ._events import DEFAULT_PAGE_SIZE, FORWARDER_PATH, AsyncEvents, Events
from ._media import AsyncMedia, Media, MediaSend
from ._messages import AsyncMessages, Messages
from ._rooms import AsyncRooms, RoomChange, Rooms
from ._sending import (
    DEFAULT_SEND_CONCURRENCY,
    MIXED_RECIPIENTS_WARNING,
    MediaSendOptions,
    RecipientOptions,
    SendOptions,
)
from ._users import AsyncUsers, Users
from ._webhooks import AsyncWebhooks, Webhooks

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_SEND_CONCURRENCY",
    "FORWARDER_PATH",
    "MIXED_RECIPIENTS_WARNING",
    "Apps",
    "Area",
    "AsyncApps",
    "AsyncAuth",
    "AsyncCaller",
    "AsyncContacts",
    "AsyncEvents",
    "AsyncMedia",
    "AsyncMessages",
    "AsyncRooms",
    "AsyncUsers",
    "AsyncWebhooks",
    "Auth",
    "Caller",
    "Contacts",
    "Events",
    "Media",
    "MediaSend",
    "MediaSendOptions",
    "Messages",
    "RecipientOptions",
    "RoomChange",
    "Rooms",
    "SendOptions",
    "Users",
    "Webhooks",
]
