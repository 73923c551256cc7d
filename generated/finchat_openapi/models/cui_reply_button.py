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

from ..types import UNSET, Unset

T = TypeVar("T", bound="CuiReplyButton")


@_attrs_define
class CuiReplyButton:
    """One answer of a question; choosing it submits `value` under `key`."""

    type_: Literal["button"]
    subtype: Literal["reply"]
    key: str
    """ Name the answer is submitted under. """
    value: str
    """ The answer, also the label. """
    status: str | Unset = UNSET
    """ Display state of the button. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        subtype = self.subtype

        key = self.key

        value = self.value

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "subtype": subtype,
                "key": key,
                "value": value,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = cast(Literal["button"], d.pop("type"))
        if type_ != "button":
            raise ValueError(f"type must match const 'button', got '{type_}'")

        subtype = cast(Literal["reply"], d.pop("subtype"))
        if subtype != "reply":
            raise ValueError(f"subtype must match const 'reply', got '{subtype}'")

        key = d.pop("key")

        value = d.pop("value")

        status = d.pop("status", UNSET)

        cui_reply_button = cls(
            type_=type_,
            subtype=subtype,
            key=key,
            value=value,
            status=status,
        )

        cui_reply_button.additional_properties = d
        return cui_reply_button

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
