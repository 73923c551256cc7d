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
    from ..models.mention_event_content import MentionEventContent


T = TypeVar("T", bound="MentionEvent")


@_attrs_define
class MentionEvent:
    """A user @-mentioned the bot in a group room."""

    event_id: str
    """ The event's id; the same event delivered again keeps it. """
    timestamp: int
    """ When the event happened, in milliseconds since the epoch. """
    sender: str
    """ Who caused the event; may be empty. """
    type_: Literal["m.room.message"]
    content: MentionEventContent
    room_id: str | Unset = UNSET
    """ The room concerned. """
    room_type: str | Unset = UNSET
    """ `direct_room` or `multi_room` (see `RoomType`). """
    fcid: str | Unset = UNSET
    """ The user concerned; in a group room empty. """
    unsigned: EventBaseUnsigned | Unset = UNSET
    """ Extension fields. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event_id = self.event_id

        timestamp = self.timestamp

        sender = self.sender

        type_ = self.type_

        content = self.content.to_dict()

        room_id = self.room_id

        room_type = self.room_type

        fcid = self.fcid

        unsigned: dict[str, Any] | Unset = UNSET
        if not isinstance(self.unsigned, Unset):
            unsigned = self.unsigned.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event_id": event_id,
                "timestamp": timestamp,
                "sender": sender,
                "type": type_,
                "content": content,
            }
        )
        if room_id is not UNSET:
            field_dict["room_id"] = room_id
        if room_type is not UNSET:
            field_dict["room_type"] = room_type
        if fcid is not UNSET:
            field_dict["fcid"] = fcid
        if unsigned is not UNSET:
            field_dict["unsigned"] = unsigned

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.event_base_unsigned import EventBaseUnsigned
        from ..models.mention_event_content import MentionEventContent

        d = dict(src_dict)
        event_id = d.pop("event_id")

        timestamp = d.pop("timestamp")

        sender = d.pop("sender")

        type_ = cast(Literal["m.room.message"], d.pop("type"))
        if type_ != "m.room.message":
            raise ValueError(f"type must match const 'm.room.message', got '{type_}'")

        content = MentionEventContent.from_dict(d.pop("content"))

        room_id = d.pop("room_id", UNSET)

        room_type = d.pop("room_type", UNSET)

        fcid = d.pop("fcid", UNSET)

        _unsigned = d.pop("unsigned", UNSET)
        unsigned: EventBaseUnsigned | Unset
        if isinstance(_unsigned, Unset):
            unsigned = UNSET
        else:
            unsigned = EventBaseUnsigned.from_dict(_unsigned)

        mention_event = cls(
            event_id=event_id,
            timestamp=timestamp,
            sender=sender,
            type_=type_,
            content=content,
            room_id=room_id,
            room_type=room_type,
            fcid=fcid,
            unsigned=unsigned,
        )

        mention_event.additional_properties = d
        return mention_event

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
