from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageInfo")


@_attrs_define
class ImageInfo:
    """Facts about an uploaded image; Matrix's other image fields (e.g. `thumbnail_url`) may be added."""

    mimetype: str | Unset = UNSET
    """ MIME type, e.g. `image/png`. """
    size: int | Unset = UNSET
    """ Size in bytes. """
    h: int | Unset = UNSET
    """ Height in pixels. """
    w: int | Unset = UNSET
    """ Width in pixels. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        mimetype = self.mimetype

        size = self.size

        h = self.h

        w = self.w

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if mimetype is not UNSET:
            field_dict["mimetype"] = mimetype
        if size is not UNSET:
            field_dict["size"] = size
        if h is not UNSET:
            field_dict["h"] = h
        if w is not UNSET:
            field_dict["w"] = w

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        mimetype = d.pop("mimetype", UNSET)

        size = d.pop("size", UNSET)

        h = d.pop("h", UNSET)

        w = d.pop("w", UNSET)

        image_info = cls(
            mimetype=mimetype,
            size=size,
            h=h,
            w=w,
        )

        image_info.additional_properties = d
        return image_info

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
