from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="UserDetail")


@_attrs_define
class UserDetail:
    """A user's profile."""

    fcid: str
    """ The user's id. """
    account: str | Unset = UNSET
    """ The user's account name. """
    name: str | Unset = UNSET
    """ Display name. """
    gender: str | Unset = UNSET
    """ Gender, e.g. `male`. """
    mobile: str | Unset = UNSET
    """ Mobile number. """
    landline: str | Unset = UNSET
    """ Landline number. """
    position: str | Unset = UNSET
    """ Position or rank. """
    email: str | Unset = UNSET
    """ E-mail address. """
    job_number: str | Unset = UNSET
    """ Employee number. """
    roles: list[str] | Unset = UNSET
    """ Ids of the user's roles. """
    departments: list[str] | Unset = UNSET
    """ Ids of the user's departments (revision 1 called this field `groups`). """
    organization_id: str | Unset = UNSET
    """ Id of the user's organization. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        fcid = self.fcid

        account = self.account

        name = self.name

        gender = self.gender

        mobile = self.mobile

        landline = self.landline

        position = self.position

        email = self.email

        job_number = self.job_number

        roles: list[str] | Unset = UNSET
        if not isinstance(self.roles, Unset):
            roles = self.roles

        departments: list[str] | Unset = UNSET
        if not isinstance(self.departments, Unset):
            departments = self.departments

        organization_id = self.organization_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fcid": fcid,
            }
        )
        if account is not UNSET:
            field_dict["account"] = account
        if name is not UNSET:
            field_dict["name"] = name
        if gender is not UNSET:
            field_dict["gender"] = gender
        if mobile is not UNSET:
            field_dict["mobile"] = mobile
        if landline is not UNSET:
            field_dict["landline"] = landline
        if position is not UNSET:
            field_dict["position"] = position
        if email is not UNSET:
            field_dict["email"] = email
        if job_number is not UNSET:
            field_dict["job_number"] = job_number
        if roles is not UNSET:
            field_dict["roles"] = roles
        if departments is not UNSET:
            field_dict["departments"] = departments
        if organization_id is not UNSET:
            field_dict["organization_id"] = organization_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        fcid = d.pop("fcid")

        account = d.pop("account", UNSET)

        name = d.pop("name", UNSET)

        gender = d.pop("gender", UNSET)

        mobile = d.pop("mobile", UNSET)

        landline = d.pop("landline", UNSET)

        position = d.pop("position", UNSET)

        email = d.pop("email", UNSET)

        job_number = d.pop("job_number", UNSET)

        roles = cast(list[str], d.pop("roles", UNSET))

        departments = cast(list[str], d.pop("departments", UNSET))

        organization_id = d.pop("organization_id", UNSET)

        user_detail = cls(
            fcid=fcid,
            account=account,
            name=name,
            gender=gender,
            mobile=mobile,
            landline=landline,
            position=position,
            email=email,
            job_number=job_number,
            roles=roles,
            departments=departments,
            organization_id=organization_id,
        )

        user_detail.additional_properties = d
        return user_detail

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
