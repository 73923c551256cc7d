from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.cui_submit_event_content_info import CuiSubmitEventContentInfo


T = TypeVar("T", bound="CuiSubmitEventContent")


@_attrs_define
class CuiSubmitEventContent:
    action: str
    """ What the user did; only `submit` exists today. """
    info: CuiSubmitEventContentInfo
    """ The card's inputs, key to value. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        info = self.info.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "info": info,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.cui_submit_event_content_info import CuiSubmitEventContentInfo

        d = dict(src_dict)
        action = d.pop("action")

        info = CuiSubmitEventContentInfo.from_dict(d.pop("info"))

        cui_submit_event_content = cls(
            action=action,
            info=info,
        )

        cui_submit_event_content.additional_properties = d
        return cui_submit_event_content

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
