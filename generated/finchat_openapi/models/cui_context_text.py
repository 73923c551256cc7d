from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CuiContextText")


@_attrs_define
class CuiContextText:
    """A line of text."""

    type_: Literal["context"]
    subtype: Literal["text"]
    value: str
    """ The text. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        subtype = self.subtype

        value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "subtype": subtype,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = cast(Literal["context"], d.pop("type"))
        if type_ != "context":
            raise ValueError(f"type must match const 'context', got '{type_}'")

        subtype = cast(Literal["text"], d.pop("subtype"))
        if subtype != "text":
            raise ValueError(f"subtype must match const 'text', got '{subtype}'")

        value = d.pop("value")

        cui_context_text = cls(
            type_=type_,
            subtype=subtype,
            value=value,
        )

        cui_context_text.additional_properties = d
        return cui_context_text

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
