from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_data import ErrorData


T = TypeVar("T", bound="Error")


@_attrs_define
class Error:
    """The error envelope. `errcode` takes precedence over the HTTP status, except `FC_UNKNOWN`,
    which is classified by the HTTP status. `errcode` is deliberately a plain string: a server
    may add codes, and a client must not fail to read them. `ErrorCode` lists the known ones.

    """

    errcode: str
    """ Short, readable, globally unique error code; see `ErrorCode`. """
    error: str
    """ Readable description of the error. """
    data: ErrorData | Unset = UNSET
    """ Data the server may attach to the error. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        errcode = self.errcode

        error = self.error

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "errcode": errcode,
                "error": error,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.error_data import ErrorData

        d = dict(src_dict)
        errcode = d.pop("errcode")

        error = d.pop("error")

        _data = d.pop("data", UNSET)
        data: ErrorData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = ErrorData.from_dict(_data)

        error = cls(
            errcode=errcode,
            error=error,
            data=data,
        )

        error.additional_properties = d
        return error

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
