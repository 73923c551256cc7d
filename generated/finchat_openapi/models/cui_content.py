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

if TYPE_CHECKING:
    from ..models.cui_info import CuiInfo


T = TypeVar("T", bound="CuiContent")


@_attrs_define
class CuiContent:
    """A CUI (conversation card) message."""

    msgtype: Literal["m.cui"]
    body: str
    """ Fallback text for clients that cannot show cards, e.g. `[交互卡片]`. """
    info: CuiInfo
    """ The card: a form of elements. Every field is optional because the document's own examples
    send `info: {}`.
     """
    version: str
    """ CUI format version; `0.1.0`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        msgtype = self.msgtype

        body = self.body

        info = self.info.to_dict()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "msgtype": msgtype,
                "body": body,
                "info": info,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.cui_info import CuiInfo

        d = dict(src_dict)
        msgtype = cast(Literal["m.cui"], d.pop("msgtype"))
        if msgtype != "m.cui":
            raise ValueError(f"msgtype must match const 'm.cui', got '{msgtype}'")

        body = d.pop("body")

        info = CuiInfo.from_dict(d.pop("info"))

        version = d.pop("version")

        cui_content = cls(
            msgtype=msgtype,
            body=body,
            info=info,
            version=version,
        )

        cui_content.additional_properties = d
        return cui_content

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
