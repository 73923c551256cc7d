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

from ..types import UNSET, Unset

T = TypeVar("T", bound="CuiTextInput")


@_attrs_define
class CuiTextInput:
    """A one-line text field; submitted under `key`."""

    type_: Literal["input"]
    subtype: Literal["text-input"]
    key: str
    """ Name the value is submitted under. """
    placeholder: str | Unset = UNSET
    """ Hint shown while empty. """
    value: str | Unset = UNSET
    """ Initial value. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        subtype = self.subtype

        key = self.key

        placeholder = self.placeholder

        value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "subtype": subtype,
                "key": key,
            }
        )
        if placeholder is not UNSET:
            field_dict["placeholder"] = placeholder
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = cast(Literal["input"], d.pop("type"))
        if type_ != "input":
            raise ValueError(f"type must match const 'input', got '{type_}'")

        subtype = cast(Literal["text-input"], d.pop("subtype"))
        if subtype != "text-input":
            raise ValueError(f"subtype must match const 'text-input', got '{subtype}'")

        key = d.pop("key")

        placeholder = d.pop("placeholder", UNSET)

        value = d.pop("value", UNSET)

        cui_text_input = cls(
            type_=type_,
            subtype=subtype,
            key=key,
            placeholder=placeholder,
            value=value,
        )

        cui_text_input.additional_properties = d
        return cui_text_input

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
