from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageInfo")


@_attrs_define
class ImageInfo:
    """Facts about an uploaded image."""

    mimetype: str | Unset = UNSET
    """ MIME type, e.g. `image/png`. """
    size: int | Unset = UNSET
    """ Size in bytes. """
    h: int | Unset = UNSET
    """ Height in pixels. """
    w: int | Unset = UNSET
    """ Width in pixels. """

    def to_dict(self) -> dict[str, Any]:
        mimetype = self.mimetype

        size = self.size

        h = self.h

        w = self.w

        field_dict: dict[str, Any] = {}

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

        return image_info
