from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateRoomResponse")


@_attrs_define
class UpdateRoomResponse:
    """Present only after member changes of which some failed."""

    failed_fcids_to_invite: list[str] | Unset = UNSET
    """ The users that could not be added. """
    failed_fcids_to_kick: list[str] | Unset = UNSET
    """ The members that could not be removed. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        failed_fcids_to_invite: list[str] | Unset = UNSET
        if not isinstance(self.failed_fcids_to_invite, Unset):
            failed_fcids_to_invite = self.failed_fcids_to_invite

        failed_fcids_to_kick: list[str] | Unset = UNSET
        if not isinstance(self.failed_fcids_to_kick, Unset):
            failed_fcids_to_kick = self.failed_fcids_to_kick

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if failed_fcids_to_invite is not UNSET:
            field_dict["failed_fcids_to_invite"] = failed_fcids_to_invite
        if failed_fcids_to_kick is not UNSET:
            field_dict["failed_fcids_to_kick"] = failed_fcids_to_kick

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        failed_fcids_to_invite = cast(list[str], d.pop("failed_fcids_to_invite", UNSET))

        failed_fcids_to_kick = cast(list[str], d.pop("failed_fcids_to_kick", UNSET))

        update_room_response = cls(
            failed_fcids_to_invite=failed_fcids_to_invite,
            failed_fcids_to_kick=failed_fcids_to_kick,
        )

        update_room_response.additional_properties = d
        return update_room_response

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
