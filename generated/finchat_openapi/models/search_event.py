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
    from ..models.search_event_content import SearchEventContent
    from ..models.search_event_unsigned import SearchEventUnsigned


T = TypeVar("T", bound="SearchEvent")


@_attrs_define
class SearchEvent:
    """A user searched the app."""

    event_id: str
    """ The search's id. """
    type_: Literal["finstore.shortcut.search"]
    timestamp: int
    """ When the user searched, in milliseconds since the epoch. """
    sender: str
    """ The user who searched. """
    content: SearchEventContent
    unsigned: SearchEventUnsigned | Unset = UNSET
    """ Extension fields. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event_id = self.event_id

        type_ = self.type_

        timestamp = self.timestamp

        sender = self.sender

        content = self.content.to_dict()

        unsigned: dict[str, Any] | Unset = UNSET
        if not isinstance(self.unsigned, Unset):
            unsigned = self.unsigned.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event_id": event_id,
                "type": type_,
                "timestamp": timestamp,
                "sender": sender,
                "content": content,
            }
        )
        if unsigned is not UNSET:
            field_dict["unsigned"] = unsigned

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.search_event_content import SearchEventContent
        from ..models.search_event_unsigned import SearchEventUnsigned

        d = dict(src_dict)
        event_id = d.pop("event_id")

        type_ = cast(Literal["finstore.shortcut.search"], d.pop("type"))
        if type_ != "finstore.shortcut.search":
            raise ValueError(
                f"type must match const 'finstore.shortcut.search', got '{type_}'"
            )

        timestamp = d.pop("timestamp")

        sender = d.pop("sender")

        content = SearchEventContent.from_dict(d.pop("content"))

        _unsigned = d.pop("unsigned", UNSET)
        unsigned: SearchEventUnsigned | Unset
        if isinstance(_unsigned, Unset):
            unsigned = UNSET
        else:
            unsigned = SearchEventUnsigned.from_dict(_unsigned)

        search_event = cls(
            event_id=event_id,
            type_=type_,
            timestamp=timestamp,
            sender=sender,
            content=content,
            unsigned=unsigned,
        )

        search_event.additional_properties = d
        return search_event

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
