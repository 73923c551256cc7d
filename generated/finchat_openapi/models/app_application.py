from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AppApplication")


@_attrs_define
class AppApplication:
    app_id: str
    """ The app applied for. """
    fcid: str
    """ The applicant. """
    app_name: str | Unset = UNSET
    """ Its name. """
    username: str | Unset = UNSET
    """ The applicant's name. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        app_id = self.app_id

        fcid = self.fcid

        app_name = self.app_name

        username = self.username

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "app_id": app_id,
                "fcid": fcid,
            }
        )
        if app_name is not UNSET:
            field_dict["app_name"] = app_name
        if username is not UNSET:
            field_dict["username"] = username

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        app_id = d.pop("app_id")

        fcid = d.pop("fcid")

        app_name = d.pop("app_name", UNSET)

        username = d.pop("username", UNSET)

        app_application = cls(
            app_id=app_id,
            fcid=fcid,
            app_name=app_name,
            username=username,
        )

        app_application.additional_properties = d
        return app_application

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
