from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SearchEventContent")


@_attrs_define
class SearchEventContent:
    search_text: str
    """ What the user searched for. """
    page_no: int
    """ The page asked for, from 0. """
    page_size: int
    """ How many results a page holds. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        search_text = self.search_text

        page_no = self.page_no

        page_size = self.page_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "search_text": search_text,
                "page_no": page_no,
                "page_size": page_size,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        search_text = d.pop("search_text")

        page_no = d.pop("page_no")

        page_size = d.pop("page_size")

        search_event_content = cls(
            search_text=search_text,
            page_no=page_no,
            page_size=page_size,
        )

        search_event_content.additional_properties = d
        return search_event_content

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
