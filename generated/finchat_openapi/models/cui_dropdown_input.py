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
    from ..models.cui_dropdown_option import CuiDropdownOption


T = TypeVar("T", bound="CuiDropdownInput")


@_attrs_define
class CuiDropdownInput:
    """A choice among options; submitted under `key`."""

    type_: Literal["input"]
    subtype: Literal["dropdown-input"]
    key: str
    """ Name the value is submitted under. """
    options: list[CuiDropdownOption]
    placeholder: str | Unset = UNSET
    """ Hint shown while nothing is chosen. """
    value: str | Unset = UNSET
    """ Value chosen initially; empty for none. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        subtype = self.subtype

        key = self.key

        options = []
        for options_item_data in self.options:
            options_item = options_item_data.to_dict()
            options.append(options_item)

        placeholder = self.placeholder

        value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "subtype": subtype,
                "key": key,
                "options": options,
            }
        )
        if placeholder is not UNSET:
            field_dict["placeholder"] = placeholder
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.cui_dropdown_option import CuiDropdownOption

        d = dict(src_dict)
        type_ = cast(Literal["input"], d.pop("type"))
        if type_ != "input":
            raise ValueError(f"type must match const 'input', got '{type_}'")

        subtype = cast(Literal["dropdown-input"], d.pop("subtype"))
        if subtype != "dropdown-input":
            raise ValueError(
                f"subtype must match const 'dropdown-input', got '{subtype}'"
            )

        key = d.pop("key")

        options = []
        _options = d.pop("options")
        for options_item_data in _options:
            options_item = CuiDropdownOption.from_dict(options_item_data)

            options.append(options_item)

        placeholder = d.pop("placeholder", UNSET)

        value = d.pop("value", UNSET)

        cui_dropdown_input = cls(
            type_=type_,
            subtype=subtype,
            key=key,
            options=options,
            placeholder=placeholder,
            value=value,
        )

        cui_dropdown_input.additional_properties = d
        return cui_dropdown_input

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
