from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.app_application import AppApplication


T = TypeVar("T", bound="AppApplicationEventContent")


@_attrs_define
class AppApplicationEventContent:
    info: list[AppApplication]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        info = []
        for info_item_data in self.info:
            info_item = info_item_data.to_dict()
            info.append(info_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "info": info,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.app_application import AppApplication

        d = dict(src_dict)
        info = []
        _info = d.pop("info")
        for info_item_data in _info:
            info_item = AppApplication.from_dict(info_item_data)

            info.append(info_item)

        app_application_event_content = cls(
            info=info,
        )

        app_application_event_content.additional_properties = d
        return app_application_event_content

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
