from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SensitiveWordEventContent")


@_attrs_define
class SensitiveWordEventContent:
    sender_id: str
    """ Who sent the message. """
    room_id: str
    """ The room it was sent in. """
    sensitive_word: str
    """ The sensitive word found. """
    sender_name: str | Unset = UNSET
    """ Their name. """
    room_name: str | Unset = UNSET
    """ The room's name. """
    timestamp: int | Unset = UNSET
    """ When it was sent, in milliseconds since the epoch. """
    body: str | Unset = UNSET
    """ The message's text. """
    disposal: str | Unset = UNSET
    """ What was done about it, e.g. the message was not sent. """
    receivers: list[str] | Unset = UNSET
    """ The users who are notified. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sender_id = self.sender_id

        room_id = self.room_id

        sensitive_word = self.sensitive_word

        sender_name = self.sender_name

        room_name = self.room_name

        timestamp = self.timestamp

        body = self.body

        disposal = self.disposal

        receivers: list[str] | Unset = UNSET
        if not isinstance(self.receivers, Unset):
            receivers = self.receivers

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sender_id": sender_id,
                "room_id": room_id,
                "sensitive_word": sensitive_word,
            }
        )
        if sender_name is not UNSET:
            field_dict["sender_name"] = sender_name
        if room_name is not UNSET:
            field_dict["room_name"] = room_name
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if body is not UNSET:
            field_dict["body"] = body
        if disposal is not UNSET:
            field_dict["disposal"] = disposal
        if receivers is not UNSET:
            field_dict["receivers"] = receivers

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        sender_id = d.pop("sender_id")

        room_id = d.pop("room_id")

        sensitive_word = d.pop("sensitive_word")

        sender_name = d.pop("sender_name", UNSET)

        room_name = d.pop("room_name", UNSET)

        timestamp = d.pop("timestamp", UNSET)

        body = d.pop("body", UNSET)

        disposal = d.pop("disposal", UNSET)

        receivers = cast(list[str], d.pop("receivers", UNSET))

        sensitive_word_event_content = cls(
            sender_id=sender_id,
            room_id=room_id,
            sensitive_word=sensitive_word,
            sender_name=sender_name,
            room_name=room_name,
            timestamp=timestamp,
            body=body,
            disposal=disposal,
            receivers=receivers,
        )

        sensitive_word_event_content.additional_properties = d
        return sensitive_word_event_content

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
