from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FcidResult")


@_attrs_define
class FcidResult:
    """The outcome for one user (the failures of `RoomIdResult`, for the user's direct room)."""

    fcid: str
    """ The user. """
    errcode: str | Unset = UNSET
    """ Error code; absent or empty on success. """
    error: str | Unset = UNSET
    """ Error description; absent or empty on success. """
    event_id: str | Unset = UNSET
    """ Id of the message sent; absent or empty on failure. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        fcid = self.fcid

        errcode = self.errcode

        error = self.error

        event_id = self.event_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fcid": fcid,
            }
        )
        if errcode is not UNSET:
            field_dict["errcode"] = errcode
        if error is not UNSET:
            field_dict["error"] = error
        if event_id is not UNSET:
            field_dict["event_id"] = event_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        fcid = d.pop("fcid")

        errcode = d.pop("errcode", UNSET)

        error = d.pop("error", UNSET)

        event_id = d.pop("event_id", UNSET)

        fcid_result = cls(
            fcid=fcid,
            errcode=errcode,
            error=error,
            event_id=event_id,
        )

        fcid_result.additional_properties = d
        return fcid_result

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
