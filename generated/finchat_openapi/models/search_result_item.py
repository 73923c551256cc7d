from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.search_result_item_type import (
    SearchResultItemType,
    check_search_result_item_type,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="SearchResultItem")


@_attrs_define
class SearchResultItem:
    type_: SearchResultItemType
    """ The kind of result; only `text` exists today. """
    title: str
    """ The result's title. """
    description: str
    """ The result's text. """
    url: str | Unset = UNSET
    """ What opens when the user taps it; nothing happens without one. """

    def to_dict(self) -> dict[str, Any]:
        type_: str = self.type_

        title = self.title

        description = self.description

        url = self.url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "title": title,
                "description": description,
            }
        )
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = check_search_result_item_type(d.pop("type"))

        title = d.pop("title")

        description = d.pop("description")

        url = d.pop("url", UNSET)

        search_result_item = cls(
            type_=type_,
            title=title,
            description=description,
            url=url,
        )

        return search_result_item
