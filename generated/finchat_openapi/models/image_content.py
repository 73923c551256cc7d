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

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.image_info import ImageInfo


T = TypeVar("T", bound="ImageContent")


@_attrs_define
class ImageContent:
    """An image message."""

    msgtype: Literal["m.image"]
    body: str
    """ The image's file name. """
    o_url: str
    """ The URI of an uploaded file, `mxc://server/media-id`. """
    info: ImageInfo | Unset = UNSET
    """ Facts about an uploaded image. """

    def to_dict(self) -> dict[str, Any]:
        msgtype = self.msgtype

        body = self.body

        o_url = self.o_url

        info: dict[str, Any] | Unset = UNSET
        if not isinstance(self.info, Unset):
            info = self.info.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "msgtype": msgtype,
                "body": body,
                "o_url": o_url,
            }
        )
        if info is not UNSET:
            field_dict["info"] = info

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.image_info import ImageInfo

        d = dict(src_dict)
        msgtype = cast(Literal["m.image"], d.pop("msgtype"))
        if msgtype != "m.image":
            raise ValueError(f"msgtype must match const 'm.image', got '{msgtype}'")

        body = d.pop("body")

        o_url = d.pop("o_url")

        _info = d.pop("info", UNSET)
        info: ImageInfo | Unset
        if isinstance(_info, Unset):
            info = UNSET
        else:
            info = ImageInfo.from_dict(_info)

        image_content = cls(
            msgtype=msgtype,
            body=body,
            o_url=o_url,
            info=info,
        )

        return image_content
