from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AppVisibility")


@_attrs_define
class AppVisibility:
    unlimited: bool
    """ Whether everyone in the enterprise can see the app. """
    departments: list[str] | Unset = UNSET
    """ Ids of the departments that can see it; absent when `unlimited`. """
    fcids: list[str] | Unset = UNSET
    """ The users who can see it; absent when `unlimited`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        unlimited = self.unlimited

        departments: list[str] | Unset = UNSET
        if not isinstance(self.departments, Unset):
            departments = self.departments

        fcids: list[str] | Unset = UNSET
        if not isinstance(self.fcids, Unset):
            fcids = self.fcids

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "unlimited": unlimited,
            }
        )
        if departments is not UNSET:
            field_dict["departments"] = departments
        if fcids is not UNSET:
            field_dict["fcids"] = fcids

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        unlimited = d.pop("unlimited")

        departments = cast(list[str], d.pop("departments", UNSET))

        fcids = cast(list[str], d.pop("fcids", UNSET))

        app_visibility = cls(
            unlimited=unlimited,
            departments=departments,
            fcids=fcids,
        )

        app_visibility.additional_properties = d
        return app_visibility

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
