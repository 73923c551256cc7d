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

T = TypeVar("T", bound="CuiDivider")


@_attrs_define
class CuiDivider:
    """A horizontal rule."""

    type_: Literal["divider"]
    subtype: Literal["divider"]
    height: int | str | Unset = UNSET
    """ Thickness in pixels, e.g. `"1"` as in the guide's example, or a number; 1 when absent. """
    background: str | Unset = UNSET
    """ Line colour, e.g. `#666`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        subtype = self.subtype

        height: int | str | Unset
        if isinstance(self.height, Unset):
            height = UNSET
        else:
            height = self.height

        background = self.background

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "subtype": subtype,
            }
        )
        if height is not UNSET:
            field_dict["height"] = height
        if background is not UNSET:
            field_dict["background"] = background

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = cast(Literal["divider"], d.pop("type"))
        if type_ != "divider":
            raise ValueError(f"type must match const 'divider', got '{type_}'")

        subtype = cast(Literal["divider"], d.pop("subtype"))
        if subtype != "divider":
            raise ValueError(f"subtype must match const 'divider', got '{subtype}'")

        def _parse_height(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        height = _parse_height(d.pop("height", UNSET))

        background = d.pop("background", UNSET)

        cui_divider = cls(
            type_=type_,
            subtype=subtype,
            height=height,
            background=background,
        )

        cui_divider.additional_properties = d
        return cui_divider

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
