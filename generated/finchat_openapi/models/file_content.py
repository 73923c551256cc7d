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
    from ..models.file_info import FileInfo


T = TypeVar("T", bound="FileContent")


@_attrs_define
class FileContent:
    """A file message."""

    msgtype: Literal["m.file"]
    body: str
    """ The file's name. """
    o_url: str
    """ The URI of an uploaded file, `mxc://server/media-id`; checked by its scheme only. """
    info: FileInfo | Unset = UNSET
    """ Facts about an uploaded file. """
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
        from ..models.file_info import FileInfo

        d = dict(src_dict)
        msgtype = cast(Literal["m.file"], d.pop("msgtype"))
        if msgtype != "m.file":
            raise ValueError(f"msgtype must match const 'm.file', got '{msgtype}'")

        body = d.pop("body")

        o_url = d.pop("o_url")

        _info = d.pop("info", UNSET)
        info: FileInfo | Unset
        if isinstance(_info, Unset):
            info = UNSET
        else:
            info = FileInfo.from_dict(_info)

        file_content = cls(
            msgtype=msgtype,
            body=body,
            o_url=o_url,
            info=info,
        )

        file_content.additional_properties = d
        return file_content

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
