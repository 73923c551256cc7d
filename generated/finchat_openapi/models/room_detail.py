from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RoomDetail")


@_attrs_define
class RoomDetail:
    """A group room."""

    type_: str
    """ The kind of room, e.g. `multi_chat`. """
    owner: str
    """ The owner's fcid. """
    name: str | Unset = UNSET
    """ The room's name. """
    topic: str | Unset = UNSET
    """ The room's topic (its notice board). """
    federate: bool | Unset = UNSET
    """ Whether users of other servers may be in the room. """
    fcids: list[str] | Unset = UNSET
    """ The members. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        owner = self.owner

        name = self.name

        topic = self.topic

        federate = self.federate

        fcids: list[str] | Unset = UNSET
        if not isinstance(self.fcids, Unset):
            fcids = self.fcids

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "owner": owner,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if topic is not UNSET:
            field_dict["topic"] = topic
        if federate is not UNSET:
            field_dict["federate"] = federate
        if fcids is not UNSET:
            field_dict["fcids"] = fcids

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = d.pop("type")

        owner = d.pop("owner")

        name = d.pop("name", UNSET)

        topic = d.pop("topic", UNSET)

        federate = d.pop("federate", UNSET)

        fcids = cast(list[str], d.pop("fcids", UNSET))

        room_detail = cls(
            type_=type_,
            owner=owner,
            name=name,
            topic=topic,
            federate=federate,
            fcids=fcids,
        )

        room_detail.additional_properties = d
        return room_detail

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
