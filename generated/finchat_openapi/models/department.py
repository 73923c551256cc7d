from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Department")


@_attrs_define
class Department:
    department_id: str
    """ The department's id. """
    department_name: str | Unset = UNSET
    """ Its name. """
    parent_department: str | Unset = UNSET
    """ Id of the department above it. """
    sub_departments: list[str] | Unset = UNSET
    """ Ids of the departments directly below it. """
    fcids: list[str] | Unset = UNSET
    """ Its members (with `include_sub_departments`, those of its sub-departments too). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        department_id = self.department_id

        department_name = self.department_name

        parent_department = self.parent_department

        sub_departments: list[str] | Unset = UNSET
        if not isinstance(self.sub_departments, Unset):
            sub_departments = self.sub_departments

        fcids: list[str] | Unset = UNSET
        if not isinstance(self.fcids, Unset):
            fcids = self.fcids

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "department_id": department_id,
            }
        )
        if department_name is not UNSET:
            field_dict["department_name"] = department_name
        if parent_department is not UNSET:
            field_dict["parent_department"] = parent_department
        if sub_departments is not UNSET:
            field_dict["sub_departments"] = sub_departments
        if fcids is not UNSET:
            field_dict["fcids"] = fcids

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        department_id = d.pop("department_id")

        department_name = d.pop("department_name", UNSET)

        parent_department = d.pop("parent_department", UNSET)

        sub_departments = cast(list[str], d.pop("sub_departments", UNSET))

        fcids = cast(list[str], d.pop("fcids", UNSET))

        department = cls(
            department_id=department_id,
            department_name=department_name,
            parent_department=parent_department,
            sub_departments=sub_departments,
            fcids=fcids,
        )

        department.additional_properties = d
        return department

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
