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
    from ..models.file_info import FileInfo


T = TypeVar("T", bound="FileContent")


@_attrs_define
class FileContent:
    """A file message."""

    msgtype: Literal["m.file"]
    body: str
    """ The file's name. """
    o_url: str
    """ The URI of an uploaded file, `mxc://server/media-id`. """
    info: FileInfo | Unset = UNSET
    """ Facts about an uploaded file. """

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

        return file_content
