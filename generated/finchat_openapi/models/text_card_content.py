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
    from ..models.text_card_info import TextCardInfo


T = TypeVar("T", bound="TextCardContent")


@_attrs_define
class TextCardContent:
    """A text card message."""

    msgtype: Literal["m.textcard"]
    body: str
    """ Empty for text cards. """
    info: TextCardInfo
    """ The card; the document marks none of its fields required. """
    o_url: str | Unset = UNSET
    """ The URI of an uploaded file, `mxc://server/media-id`; checked by its scheme only. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        msgtype = self.msgtype

        body = self.body

        info = self.info.to_dict()

        o_url = self.o_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "msgtype": msgtype,
                "body": body,
                "info": info,
            }
        )
        if o_url is not UNSET:
            field_dict["o_url"] = o_url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.text_card_info import TextCardInfo

        d = dict(src_dict)
        msgtype = cast(Literal["m.textcard"], d.pop("msgtype"))
        if msgtype != "m.textcard":
            raise ValueError(f"msgtype must match const 'm.textcard', got '{msgtype}'")

        body = d.pop("body")

        info = TextCardInfo.from_dict(d.pop("info"))

        o_url = d.pop("o_url", UNSET)

        text_card_content = cls(
            msgtype=msgtype,
            body=body,
            info=info,
            o_url=o_url,
        )

        text_card_content.additional_properties = d
        return text_card_content

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
