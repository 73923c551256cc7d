from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UserFriendship")


@_attrs_define
class UserFriendship:
    to_fcid: str
    """ The friend's id. """
    room_id: str
    """ The direct room shared with the friend. """
    is_bot: bool
    """ Whether the friend is a bot. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        to_fcid = self.to_fcid

        room_id = self.room_id

        is_bot = self.is_bot

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "to_fcid": to_fcid,
                "room_id": room_id,
                "is_bot": is_bot,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        to_fcid = d.pop("to_fcid")

        room_id = d.pop("room_id")

        is_bot = d.pop("is_bot")

        user_friendship = cls(
            to_fcid=to_fcid,
            room_id=room_id,
            is_bot=is_bot,
        )

        user_friendship.additional_properties = d
        return user_friendship

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
