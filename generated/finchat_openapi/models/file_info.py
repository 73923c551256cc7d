from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="FileInfo")


@_attrs_define
class FileInfo:
    """Facts about an uploaded file."""

    mimetype: str | Unset = UNSET
    """ MIME type; the document's examples give an empty string for plain files. """
    size: int | Unset = UNSET
    """ Size in bytes. """

    def to_dict(self) -> dict[str, Any]:
        mimetype = self.mimetype

        size = self.size

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if mimetype is not UNSET:
            field_dict["mimetype"] = mimetype
        if size is not UNSET:
            field_dict["size"] = size

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        mimetype = d.pop("mimetype", UNSET)

        size = d.pop("size", UNSET)

        file_info = cls(
            mimetype=mimetype,
            size=size,
        )

        return file_info
