from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

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


T = TypeVar("T", bound="EventCallback")


@_attrs_define
class EventCallback:
    """What FinChat PUTs to the app's callback URL."""

    token: str
    """ The verification token registered with the callback URL; compare it before trusting the event. """
    event: (
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
    )
    """ One event. The variants are disjoint (`type`, `content.msgtype` and the presence of
    `receivers` tell them apart) and listed so that trying them in order, as the generated
    client does, finds the right one; the open variant `OtherEvent` comes last.
     """
    app_id: str | Unset = UNSET
    """ The app the event is for (new in revision 2). """
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

        token = self.token

        event: dict[str, Any]
        if (
            isinstance(self.event, AllRoomsMessageEvent)
            or isinstance(self.event, MentionEvent)
            or isinstance(self.event, MessageEvent)
            or isinstance(self.event, RoomCreateEvent)
            or isinstance(self.event, CuiSubmitEvent)
            or isinstance(self.event, WebhookEvent)
            or isinstance(self.event, AppApplicationEvent)
            or isinstance(self.event, AppStatusEvent)
            or isinstance(self.event, AppVisibilityEvent)
            or isinstance(self.event, SensitiveWordEvent)
        ):
            event = self.event.to_dict()
        else:
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
        token = d.pop("token")

        def _parse_event(
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
                componentsschemas_event_type_0 = AllRoomsMessageEvent.from_dict(data)

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

        event = _parse_event(d.pop("event"))

        app_id = d.pop("app_id", UNSET)

        event_callback = cls(
            token=token,
            event=event,
            app_id=app_id,
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
