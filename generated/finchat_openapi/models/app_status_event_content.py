from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AppStatusEventContent")


@_attrs_define
class AppStatusEventContent:
    app_id: str
    """ The app whose status changed. """
    from_status: str
    """ The status before (see `AppStatus`). """
    operation: str
    """ What was done (see `AppOperation`). """
    to_status: str
    """ The status after (see `AppStatus`). """
    app_name: str | Unset = UNSET
    """ Its name. """
    developer_id: str | Unset = UNSET
    """ The app's developer. """
    developer_name: str | Unset = UNSET
    """ The developer's name. """
    operator_id: str | Unset = UNSET
    """ Who did it. """
    operator_name: str | Unset = UNSET
    """ Their name. """
    operator_role: str | Unset = UNSET
    """ Their role: `developer` or `administrator`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        app_id = self.app_id

        from_status = self.from_status

        operation = self.operation

        to_status = self.to_status

        app_name = self.app_name

        developer_id = self.developer_id

        developer_name = self.developer_name

        operator_id = self.operator_id

        operator_name = self.operator_name

        operator_role = self.operator_role

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "app_id": app_id,
                "from_status": from_status,
                "operation": operation,
                "to_status": to_status,
            }
        )
        if app_name is not UNSET:
            field_dict["app_name"] = app_name
        if developer_id is not UNSET:
            field_dict["developer_id"] = developer_id
        if developer_name is not UNSET:
            field_dict["developer_name"] = developer_name
        if operator_id is not UNSET:
            field_dict["operator_id"] = operator_id
        if operator_name is not UNSET:
            field_dict["operator_name"] = operator_name
        if operator_role is not UNSET:
            field_dict["operator_role"] = operator_role

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        app_id = d.pop("app_id")

        from_status = d.pop("from_status")

        operation = d.pop("operation")

        to_status = d.pop("to_status")

        app_name = d.pop("app_name", UNSET)

        developer_id = d.pop("developer_id", UNSET)

        developer_name = d.pop("developer_name", UNSET)

        operator_id = d.pop("operator_id", UNSET)

        operator_name = d.pop("operator_name", UNSET)

        operator_role = d.pop("operator_role", UNSET)

        app_status_event_content = cls(
            app_id=app_id,
            from_status=from_status,
            operation=operation,
            to_status=to_status,
            app_name=app_name,
            developer_id=developer_id,
            developer_name=developer_name,
            operator_id=operator_id,
            operator_name=operator_name,
            operator_role=operator_role,
        )

        app_status_event_content.additional_properties = d
        return app_status_event_content

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
