from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_base_unsigned import EventBaseUnsigned
    from ..models.message_event_content import MessageEventContent


T = TypeVar("T", bound="MessageEvent")


@_attrs_define
class MessageEvent:
    """A user sent a message in a direct room with the bot: text (`m.text`), or any other msgtype
    but `m.alert`. Always in a room.

    """

    event_id: str
    """ The event's id; a delivery of the same event again keeps it. """
    timestamp: int
    """ When the event happened, in milliseconds since the epoch. """
    sender: str
    """ Who caused the event; may be empty. """
    room_id: str
    """ The room concerned. """
    type_: Literal["m.room.message"]
    content: MessageEventContent
    """ A message a user sent: any Matrix msgtype but `m.alert` (e.g. `m.text`, `m.image`,
    `m.file`), with the fields of that msgtype beside `msgtype` and `body`.
     """
    room_type: str | Unset = UNSET
    """ `direct_room` or `multi_room` (see `RoomType`). """
    receivers: list[str] | Unset = UNSET
    """ The users who received the message (every-message events of privileged apps). """
    origin_event: str | Unset = UNSET
    """ The id of the original message (the CUI card a submission answers). """
    webhook_id: str | Unset = UNSET
    """ The webhook the event came through. """
    fcid: str | Unset = UNSET
    """ The user concerned; in a group room empty. """
    unsigned: EventBaseUnsigned | Unset = UNSET
    """ Extension fields. """
    app_id: str | Unset = UNSET
    """ The app; present on events pulled from the forwarder (`pull_events`). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event_id = self.event_id

        timestamp = self.timestamp

        sender = self.sender

        room_id = self.room_id

        type_ = self.type_

        content = self.content.to_dict()

        room_type = self.room_type

        receivers: list[str] | Unset = UNSET
        if not isinstance(self.receivers, Unset):
            receivers = self.receivers

        origin_event = self.origin_event

        webhook_id = self.webhook_id

        fcid = self.fcid

        unsigned: dict[str, Any] | Unset = UNSET
        if not isinstance(self.unsigned, Unset):
            unsigned = self.unsigned.to_dict()

        app_id = self.app_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event_id": event_id,
                "timestamp": timestamp,
                "sender": sender,
                "room_id": room_id,
                "type": type_,
                "content": content,
            }
        )
        if room_type is not UNSET:
            field_dict["room_type"] = room_type
        if receivers is not UNSET:
            field_dict["receivers"] = receivers
        if origin_event is not UNSET:
            field_dict["origin_event"] = origin_event
        if webhook_id is not UNSET:
            field_dict["webhook_id"] = webhook_id
        if fcid is not UNSET:
            field_dict["fcid"] = fcid
        if unsigned is not UNSET:
            field_dict["unsigned"] = unsigned
        if app_id is not UNSET:
            field_dict["app_id"] = app_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.event_base_unsigned import EventBaseUnsigned
        from ..models.message_event_content import MessageEventContent

        d = dict(src_dict)
        event_id = d.pop("event_id")

        timestamp = d.pop("timestamp")

        sender = d.pop("sender")

        room_id = d.pop("room_id")

        type_ = cast(Literal["m.room.message"], d.pop("type"))
        if type_ != "m.room.message":
            raise ValueError(f"type must match const 'm.room.message', got '{type_}'")

        content = MessageEventContent.from_dict(d.pop("content"))

        room_type = d.pop("room_type", UNSET)

        receivers = cast(list[str], d.pop("receivers", UNSET))

        origin_event = d.pop("origin_event", UNSET)

        webhook_id = d.pop("webhook_id", UNSET)

        fcid = d.pop("fcid", UNSET)

        _unsigned = d.pop("unsigned", UNSET)
        unsigned: EventBaseUnsigned | Unset
        if isinstance(_unsigned, Unset):
            unsigned = UNSET
        else:
            unsigned = EventBaseUnsigned.from_dict(_unsigned)

        app_id = d.pop("app_id", UNSET)

        message_event = cls(
            event_id=event_id,
            timestamp=timestamp,
            sender=sender,
            room_id=room_id,
            type_=type_,
            content=content,
            room_type=room_type,
            receivers=receivers,
            origin_event=origin_event,
            webhook_id=webhook_id,
            fcid=fcid,
            unsigned=unsigned,
            app_id=app_id,
        )

        message_event.additional_properties = d
        return message_event

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
