from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CuiSubmitButton")


@_attrs_define
class CuiSubmitButton:
    """Submits the card's inputs to the app as a `finstore.room.interactcui` event."""

    type_: Literal["button"]
    subtype: Literal["submit"]
    value: str
    """ The button's label. """
    action: Literal["submit"]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        subtype = self.subtype

        value = self.value

        action = self.action

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "subtype": subtype,
                "value": value,
                "action": action,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = cast(Literal["button"], d.pop("type"))
        if type_ != "button":
            raise ValueError(f"type must match const 'button', got '{type_}'")

        subtype = cast(Literal["submit"], d.pop("subtype"))
        if subtype != "submit":
            raise ValueError(f"subtype must match const 'submit', got '{subtype}'")

        value = d.pop("value")

        action = cast(Literal["submit"], d.pop("action"))
        if action != "submit":
            raise ValueError(f"action must match const 'submit', got '{action}'")

        cui_submit_button = cls(
            type_=type_,
            subtype=subtype,
            value=value,
            action=action,
        )

        cui_submit_button.additional_properties = d
        return cui_submit_button

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
