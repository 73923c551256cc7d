from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.app_application_event import AppApplicationEvent
    from ..models.cui_submit_event import CuiSubmitEvent
    from ..models.mention_event import MentionEvent
    from ..models.message_event import MessageEvent
    from ..models.room_create_event import RoomCreateEvent


T = TypeVar("T", bound="EventCallback")


@_attrs_define
class EventCallback:
    """What FinChat PUTs to the app's callback URL."""

    token: str
    """ The verification token registered with the callback URL; compare it before trusting the event. """
    event: (
        AppApplicationEvent
        | CuiSubmitEvent
        | MentionEvent
        | MessageEvent
        | RoomCreateEvent
    )
    """ One event; `type` (and for messages `content.msgtype`) tells which. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.cui_submit_event import CuiSubmitEvent
        from ..models.mention_event import MentionEvent
        from ..models.message_event import MessageEvent
        from ..models.room_create_event import RoomCreateEvent

        token = self.token

        event: dict[str, Any]
        if (
            isinstance(self.event, MessageEvent)
            or isinstance(self.event, MentionEvent)
            or isinstance(self.event, RoomCreateEvent)
            or isinstance(self.event, CuiSubmitEvent)
        ):
            event = self.event.to_dict()
        else:
            event = self.event.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "token": token,
                "event": event,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.app_application_event import AppApplicationEvent
        from ..models.cui_submit_event import CuiSubmitEvent
        from ..models.mention_event import MentionEvent
        from ..models.message_event import MessageEvent
        from ..models.room_create_event import RoomCreateEvent

        d = dict(src_dict)
        token = d.pop("token")

        def _parse_event(
            data: object,
        ) -> (
            AppApplicationEvent
            | CuiSubmitEvent
            | MentionEvent
            | MessageEvent
            | RoomCreateEvent
        ):
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_0 = MessageEvent.from_dict(data)

                return componentsschemas_event_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_1 = MentionEvent.from_dict(data)

                return componentsschemas_event_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_2 = RoomCreateEvent.from_dict(data)

                return componentsschemas_event_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_3 = CuiSubmitEvent.from_dict(data)

                return componentsschemas_event_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_event_type_4 = AppApplicationEvent.from_dict(data)

            return componentsschemas_event_type_4

        event = _parse_event(d.pop("event"))

        event_callback = cls(
            token=token,
            event=event,
        )

        event_callback.additional_properties = d
        return event_callback

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
