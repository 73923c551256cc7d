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

T = TypeVar("T", bound="TextContent")


@_attrs_define
class TextContent:
    """A text message."""

    msgtype: Literal["m.text"]
    body: str
    """ The text. """

    def to_dict(self) -> dict[str, Any]:
        msgtype = self.msgtype

        body = self.body

        field_dict: dict[str, Any] = {}

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
        msgtype = cast(Literal["m.text"], d.pop("msgtype"))
        if msgtype != "m.text":
            raise ValueError(f"msgtype must match const 'm.text', got '{msgtype}'")

        body = d.pop("body")

        text_content = cls(
            msgtype=msgtype,
            body=body,
        )

        return text_content
