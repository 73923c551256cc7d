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

T = TypeVar("T", bound="CuiImage")


@_attrs_define
class CuiImage:
    """An image uploaded beforehand."""

    type_: Literal["image"]
    subtype: Literal["image"]
    o_url: str
    """ The URI of an uploaded file, `mxc://server/media-id`; checked by its scheme only. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        subtype = self.subtype

        o_url = self.o_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "subtype": subtype,
                "o_url": o_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = cast(Literal["image"], d.pop("type"))
        if type_ != "image":
            raise ValueError(f"type must match const 'image', got '{type_}'")

        subtype = cast(Literal["image"], d.pop("subtype"))
        if subtype != "image":
            raise ValueError(f"subtype must match const 'image', got '{subtype}'")

        o_url = d.pop("o_url")

        cui_image = cls(
            type_=type_,
            subtype=subtype,
            o_url=o_url,
        )

        cui_image.additional_properties = d
        return cui_image

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
