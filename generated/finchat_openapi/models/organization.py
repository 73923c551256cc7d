from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Organization")


@_attrs_define
class Organization:
    organization_id: str
    """ The organization's id. """
    organization_name: str | Unset = UNSET
    """ Its name. """
    organization_type: int | Unset = UNSET
    """ Its type, a number. """
    dispatch_supervision_organizations: list[str] | Unset = UNSET
    """ Ids of the dispatch-supervision organizations it belongs to. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        organization_id = self.organization_id

        organization_name = self.organization_name

        organization_type = self.organization_type

        dispatch_supervision_organizations: list[str] | Unset = UNSET
        if not isinstance(self.dispatch_supervision_organizations, Unset):
            dispatch_supervision_organizations = self.dispatch_supervision_organizations

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "organization_id": organization_id,
            }
        )
        if organization_name is not UNSET:
            field_dict["organization_name"] = organization_name
        if organization_type is not UNSET:
            field_dict["organization_type"] = organization_type
        if dispatch_supervision_organizations is not UNSET:
            field_dict["dispatch_supervision_organizations"] = (
                dispatch_supervision_organizations
            )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        organization_id = d.pop("organization_id")

        organization_name = d.pop("organization_name", UNSET)

        organization_type = d.pop("organization_type", UNSET)

        dispatch_supervision_organizations = cast(
            list[str], d.pop("dispatch_supervision_organizations", UNSET)
        )

        organization = cls(
            organization_id=organization_id,
            organization_name=organization_name,
            organization_type=organization_type,
            dispatch_supervision_organizations=dispatch_supervision_organizations,
        )

        organization.additional_properties = d
        return organization

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
