from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AllRoomsMessageContent")


@_attrs_define
class AllRoomsMessageContent:
    """Any message of any msgtype, with the fields of that msgtype beside `msgtype` and `body`."""

    msgtype: str
    """ The message type, e.g. `m.text`. """
    body: str
    """ The text, or the file name of a file or an image. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        msgtype = self.msgtype

        body = self.body

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "msgtype": msgtype,
                "body": body,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        msgtype = d.pop("msgtype")

        body = d.pop("body")

        all_rooms_message_content = cls(
            msgtype=msgtype,
            body=body,
        )

        all_rooms_message_content.additional_properties = d
        return all_rooms_message_content

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
