from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UserInfo")


@_attrs_define
class UserInfo:
    """The signed-in user's claims."""

    sub: str
    """ The user's id in the IAM (OpenID's subject); not needed by the app. """
    name: str | Unset = UNSET
    """ The user's name. """
    fcid: str | Unset = UNSET
    """ The user's FinChat id. """
    organization_id: str | Unset = UNSET
    """ The user's organization. """
    phone_number: str | Unset = UNSET
    """ The user's phone number. """
    email: str | Unset = UNSET
    """ The user's e-mail address. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sub = self.sub

        name = self.name

        fcid = self.fcid

        organization_id = self.organization_id

        phone_number = self.phone_number

        email = self.email

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sub": sub,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if fcid is not UNSET:
            field_dict["fcid"] = fcid
        if organization_id is not UNSET:
            field_dict["organization_id"] = organization_id
        if phone_number is not UNSET:
            field_dict["phone_number"] = phone_number
        if email is not UNSET:
            field_dict["email"] = email

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        sub = d.pop("sub")

        name = d.pop("name", UNSET)

        fcid = d.pop("fcid", UNSET)

        organization_id = d.pop("organization_id", UNSET)

        phone_number = d.pop("phone_number", UNSET)

        email = d.pop("email", UNSET)

        user_info = cls(
            sub=sub,
            name=name,
            fcid=fcid,
            organization_id=organization_id,
            phone_number=phone_number,
            email=email,
        )

        user_info.additional_properties = d
        return user_info

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
