from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TextCardInfo")


@_attrs_define
class TextCardInfo:
    title: str
    """ The card's title. """
    url: str
    """ The link the card opens. """
    description: str
    """ The card's text. """
    btntext: str | Unset = UNSET
    """ The label of the card's button. """

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        url = self.url

        description = self.description

        btntext = self.btntext

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "title": title,
                "url": url,
                "description": description,
            }
        )
        if btntext is not UNSET:
            field_dict["btntext"] = btntext

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        title = d.pop("title")

        url = d.pop("url")

        description = d.pop("description")

        btntext = d.pop("btntext", UNSET)

        text_card_info = cls(
            title=title,
            url=url,
            description=description,
            btntext=btntext,
        )

        return text_card_info
