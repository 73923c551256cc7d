from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="IamFlow")


@_attrs_define
class IamFlow:
    type_: str
    """ The kind of sign-in; `iam` for an IAM (OpenID Connect) sign-in. """
    url: str | Unset = UNSET
    """ For `iam`, the IAM's address (`IAM_HOST`), e.g. `https://iam.example.org/auth`: the
    endpoints of `finchat-iam.yaml` are below it, without the `/auth` that both carry.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = d.pop("type")

        url = d.pop("url", UNSET)

        iam_flow = cls(
            type_=type_,
            url=url,
        )

        iam_flow.additional_properties = d
        return iam_flow

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
