from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AppVisibilityEventContent")


@_attrs_define
class AppVisibilityEventContent:
    app_id: str
    """ The app whose visibility changed. """
    app_name: str | Unset = UNSET
    """ Its name. """
    administrator_id: str | Unset = UNSET
    """ The administrator who changed it. """
    administrator_name: str | Unset = UNSET
    """ Their name. """
    added_fcids: list[str] | Unset = UNSET
    """ Users who can see the app now. """
    removed_fcids: list[str] | Unset = UNSET
    """ Users who no longer can. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        app_id = self.app_id

        app_name = self.app_name

        administrator_id = self.administrator_id

        administrator_name = self.administrator_name

        added_fcids: list[str] | Unset = UNSET
        if not isinstance(self.added_fcids, Unset):
            added_fcids = self.added_fcids

        removed_fcids: list[str] | Unset = UNSET
        if not isinstance(self.removed_fcids, Unset):
            removed_fcids = self.removed_fcids

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "app_id": app_id,
            }
        )
        if app_name is not UNSET:
            field_dict["app_name"] = app_name
        if administrator_id is not UNSET:
            field_dict["administrator_id"] = administrator_id
        if administrator_name is not UNSET:
            field_dict["administrator_name"] = administrator_name
        if added_fcids is not UNSET:
            field_dict["added_fcids"] = added_fcids
        if removed_fcids is not UNSET:
            field_dict["removed_fcids"] = removed_fcids

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        app_id = d.pop("app_id")

        app_name = d.pop("app_name", UNSET)

        administrator_id = d.pop("administrator_id", UNSET)

        administrator_name = d.pop("administrator_name", UNSET)

        added_fcids = cast(list[str], d.pop("added_fcids", UNSET))

        removed_fcids = cast(list[str], d.pop("removed_fcids", UNSET))

        app_visibility_event_content = cls(
            app_id=app_id,
            app_name=app_name,
            administrator_id=administrator_id,
            administrator_name=administrator_name,
            added_fcids=added_fcids,
            removed_fcids=removed_fcids,
        )

        app_visibility_event_content.additional_properties = d
        return app_visibility_event_content

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
