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
    from ..models.image_info import ImageInfo


T = TypeVar("T", bound="ImageContent")


@_attrs_define
class ImageContent:
    """An image message."""

    msgtype: Literal["m.image"]
    body: str
    """ The image's file name. """
    o_url: str
    """ The URI of an uploaded file, `mxc://server/media-id`; checked by its scheme only. """
    info: ImageInfo | Unset = UNSET
    """ Facts about an uploaded image; Matrix's other image fields (e.g. `thumbnail_url`) may be added. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        msgtype = self.msgtype

        body = self.body

        o_url = self.o_url

        info: dict[str, Any] | Unset = UNSET
        if not isinstance(self.info, Unset):
            info = self.info.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
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

        image_content.additional_properties = d
        return image_content

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
