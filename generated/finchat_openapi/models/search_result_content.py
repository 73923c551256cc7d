from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.search_result_content_opentype import (
    SearchResultContentOpentype,
    check_search_result_content_opentype,
)

if TYPE_CHECKING:
    from ..models.search_result_item import SearchResultItem


T = TypeVar("T", bound="SearchResultContent")


@_attrs_define
class SearchResultContent:
    total: int
    """ How many results there are in all. """
    list_: list[SearchResultItem]
    """ This page's results. """
    opentype: SearchResultContentOpentype
    """ Where a result's `url` opens, in the app (`inapp`) or in the browser (`inbrowser`). """

    def to_dict(self) -> dict[str, Any]:
        total = self.total

        list_ = []
        for list_item_data in self.list_:
            list_item = list_item_data.to_dict()
            list_.append(list_item)

        opentype: str = self.opentype

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "total": total,
                "list": list_,
                "opentype": opentype,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.search_result_item import SearchResultItem

        d = dict(src_dict)
        total = d.pop("total")

        list_ = []
        _list_ = d.pop("list")
        for list_item_data in _list_:
            list_item = SearchResultItem.from_dict(list_item_data)

            list_.append(list_item)

        opentype = check_search_result_content_opentype(d.pop("opentype"))

        search_result_content = cls(
            total=total,
            list_=list_,
            opentype=opentype,
        )

        return search_result_content
