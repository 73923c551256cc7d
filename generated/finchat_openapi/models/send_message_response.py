from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.fcid_result import FcidResult
    from ..models.room_id_result import RoomIdResult


T = TypeVar("T", bound="SendMessageResponse")


@_attrs_define
class SendMessageResponse:
    room_id_result: list[RoomIdResult] | Unset = UNSET
    """ One result per room, when rooms were addressed. """
    fcid_result: list[FcidResult] | Unset = UNSET
    """ One result per user, when users were addressed. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        room_id_result: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.room_id_result, Unset):
            room_id_result = []
            for room_id_result_item_data in self.room_id_result:
                room_id_result_item = room_id_result_item_data.to_dict()
                room_id_result.append(room_id_result_item)

        fcid_result: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.fcid_result, Unset):
            fcid_result = []
            for fcid_result_item_data in self.fcid_result:
                fcid_result_item = fcid_result_item_data.to_dict()
                fcid_result.append(fcid_result_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if room_id_result is not UNSET:
            field_dict["room_id_result"] = room_id_result
        if fcid_result is not UNSET:
            field_dict["fcid_result"] = fcid_result

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.fcid_result import FcidResult
        from ..models.room_id_result import RoomIdResult

        d = dict(src_dict)
        _room_id_result = d.pop("room_id_result", UNSET)
        room_id_result: list[RoomIdResult] | Unset = UNSET
        if _room_id_result is not UNSET:
            room_id_result = []
            for room_id_result_item_data in _room_id_result:
                room_id_result_item = RoomIdResult.from_dict(room_id_result_item_data)

                room_id_result.append(room_id_result_item)

        _fcid_result = d.pop("fcid_result", UNSET)
        fcid_result: list[FcidResult] | Unset = UNSET
        if _fcid_result is not UNSET:
            fcid_result = []
            for fcid_result_item_data in _fcid_result:
                fcid_result_item = FcidResult.from_dict(fcid_result_item_data)

                fcid_result.append(fcid_result_item)

        send_message_response = cls(
            room_id_result=room_id_result,
            fcid_result=fcid_result,
        )

        send_message_response.additional_properties = d
        return send_message_response

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
