from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.search_event import SearchEvent


T = TypeVar("T", bound="SearchCallback")


@_attrs_define
class SearchCallback:
    """What FinChat POSTs to the app's search URL."""

    token: str
    """ The verification token registered with the search URL; compare it before answering. """
    event: SearchEvent
    """ A user searched the app. """
    app_id: str | Unset = UNSET
    """ The app searched. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        token = self.token

        event = self.event.to_dict()

        app_id = self.app_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "token": token,
                "event": event,
            }
        )
        if app_id is not UNSET:
            field_dict["app_id"] = app_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.search_event import SearchEvent

        d = dict(src_dict)
        token = d.pop("token")

        event = SearchEvent.from_dict(d.pop("event"))

        app_id = d.pop("app_id", UNSET)

        search_callback = cls(
            token=token,
            event=event,
            app_id=app_id,
        )

        search_callback.additional_properties = d
        return search_callback

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
