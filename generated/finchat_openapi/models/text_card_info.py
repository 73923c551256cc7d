from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.text_card_info_opentype import (
    TextCardInfoOpentype,
    check_text_card_info_opentype,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="TextCardInfo")


@_attrs_define
class TextCardInfo:
    """The card; the document marks none of its fields required."""

    title: str | Unset = UNSET
    """ The card's title. """
    url: str | Unset = UNSET
    """ The link the card opens. """
    description: str | Unset = UNSET
    """ The card's text. """
    btntext: str | Unset = UNSET
    """ The label of the card's button. """
    opentype: TextCardInfoOpentype | Unset = UNSET
    """ Where the link opens, in the app (`inapp`) or in the browser (`inbrowser`). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        url = self.url

        description = self.description

        btntext = self.btntext

        opentype: str | Unset = UNSET
        if not isinstance(self.opentype, Unset):
            opentype = self.opentype

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if title is not UNSET:
            field_dict["title"] = title
        if url is not UNSET:
            field_dict["url"] = url
        if description is not UNSET:
            field_dict["description"] = description
        if btntext is not UNSET:
            field_dict["btntext"] = btntext
        if opentype is not UNSET:
            field_dict["opentype"] = opentype

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        title = d.pop("title", UNSET)

        url = d.pop("url", UNSET)

        description = d.pop("description", UNSET)

        btntext = d.pop("btntext", UNSET)

        _opentype = d.pop("opentype", UNSET)
        opentype: TextCardInfoOpentype | Unset
        if isinstance(_opentype, Unset):
            opentype = UNSET
        else:
            opentype = check_text_card_info_opentype(_opentype)

        text_card_info = cls(
            title=title,
            url=url,
            description=description,
            btntext=btntext,
            opentype=opentype,
        )

        text_card_info.additional_properties = d
        return text_card_info

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
