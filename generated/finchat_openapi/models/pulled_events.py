from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.all_rooms_message_event import AllRoomsMessageEvent
    from ..models.app_application_event import AppApplicationEvent
    from ..models.app_status_event import AppStatusEvent
    from ..models.app_visibility_event import AppVisibilityEvent
    from ..models.cui_submit_event import CuiSubmitEvent
    from ..models.mention_event import MentionEvent
    from ..models.message_event import MessageEvent
    from ..models.other_event import OtherEvent
    from ..models.room_create_event import RoomCreateEvent
    from ..models.sensitive_word_event import SensitiveWordEvent
    from ..models.webhook_event import WebhookEvent


T = TypeVar("T", bound="PulledEvents")


@_attrs_define
class PulledEvents:
    since: str
    """ The cursor after this page; the `since` of the next pull. """
    events: list[
        AllRoomsMessageEvent
        | AppApplicationEvent
        | AppStatusEvent
        | AppVisibilityEvent
        | CuiSubmitEvent
        | MentionEvent
        | MessageEvent
        | OtherEvent
        | RoomCreateEvent
        | SensitiveWordEvent
        | WebhookEvent
    ]
    """ The events, in `event_id` order; each is the `event` of a callback. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.all_rooms_message_event import AllRoomsMessageEvent
        from ..models.app_application_event import AppApplicationEvent
        from ..models.app_status_event import AppStatusEvent
        from ..models.app_visibility_event import AppVisibilityEvent
        from ..models.cui_submit_event import CuiSubmitEvent
        from ..models.mention_event import MentionEvent
        from ..models.message_event import MessageEvent
        from ..models.room_create_event import RoomCreateEvent
        from ..models.sensitive_word_event import SensitiveWordEvent
        from ..models.webhook_event import WebhookEvent

        since = self.since

        events = []
        for events_item_data in self.events:
            events_item: dict[str, Any]
            if (
                isinstance(events_item_data, AllRoomsMessageEvent)
                or isinstance(events_item_data, MentionEvent)
                or isinstance(events_item_data, MessageEvent)
                or isinstance(events_item_data, RoomCreateEvent)
                or isinstance(events_item_data, CuiSubmitEvent)
                or isinstance(events_item_data, WebhookEvent)
                or isinstance(events_item_data, AppApplicationEvent)
                or isinstance(events_item_data, AppStatusEvent)
                or isinstance(events_item_data, AppVisibilityEvent)
                or isinstance(events_item_data, SensitiveWordEvent)
            ):
                events_item = events_item_data.to_dict()
            else:
                events_item = events_item_data.to_dict()

            events.append(events_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "since": since,
                "events": events,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.all_rooms_message_event import AllRoomsMessageEvent
        from ..models.app_application_event import AppApplicationEvent
        from ..models.app_status_event import AppStatusEvent
        from ..models.app_visibility_event import AppVisibilityEvent
        from ..models.cui_submit_event import CuiSubmitEvent
        from ..models.mention_event import MentionEvent
        from ..models.message_event import MessageEvent
        from ..models.other_event import OtherEvent
        from ..models.room_create_event import RoomCreateEvent
        from ..models.sensitive_word_event import SensitiveWordEvent
        from ..models.webhook_event import WebhookEvent

        d = dict(src_dict)
        since = d.pop("since")

        events = []
        _events = d.pop("events")
        for events_item_data in _events:

            def _parse_events_item(
                data: object,
            ) -> (
                AllRoomsMessageEvent
                | AppApplicationEvent
                | AppStatusEvent
                | AppVisibilityEvent
                | CuiSubmitEvent
                | MentionEvent
                | MessageEvent
                | OtherEvent
                | RoomCreateEvent
                | SensitiveWordEvent
                | WebhookEvent
            ):
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_0 = AllRoomsMessageEvent.from_dict(
                        data
                    )

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
                    componentsschemas_event_type_2 = MessageEvent.from_dict(data)

                    return componentsschemas_event_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_3 = RoomCreateEvent.from_dict(data)

                    return componentsschemas_event_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_4 = CuiSubmitEvent.from_dict(data)

                    return componentsschemas_event_type_4
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_5 = WebhookEvent.from_dict(data)

                    return componentsschemas_event_type_5
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_6 = AppApplicationEvent.from_dict(data)

                    return componentsschemas_event_type_6
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_7 = AppStatusEvent.from_dict(data)

                    return componentsschemas_event_type_7
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_8 = AppVisibilityEvent.from_dict(data)

                    return componentsschemas_event_type_8
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_9 = SensitiveWordEvent.from_dict(data)

                    return componentsschemas_event_type_9
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_10 = OtherEvent.from_dict(data)

                return componentsschemas_event_type_10

            events_item = _parse_events_item(events_item_data)

            events.append(events_item)

        pulled_events = cls(
            since=since,
            events=events,
        )

        pulled_events.additional_properties = d
        return pulled_events

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
