from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.search_result_layout import SearchResultLayout, check_search_result_layout

if TYPE_CHECKING:
    from ..models.search_result_content import SearchResultContent


T = TypeVar("T", bound="SearchResult")


@_attrs_define
class SearchResult:
    """The app's answer to a search."""

    layout: SearchResultLayout
    """ How the results are shown; only `list` exists today. """
    content: SearchResultContent

    def to_dict(self) -> dict[str, Any]:
        layout: str = self.layout

        content = self.content.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "layout": layout,
                "content": content,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.search_result_content import SearchResultContent

        d = dict(src_dict)
        layout = check_search_result_layout(d.pop("layout"))

        content = SearchResultContent.from_dict(d.pop("content"))

        search_result = cls(
            layout=layout,
            content=content,
        )

        return search_result
