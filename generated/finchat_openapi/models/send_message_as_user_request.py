from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.file_content import FileContent
    from ..models.image_content import ImageContent
    from ..models.text_card_content import TextCardContent
    from ..models.text_content import TextContent


T = TypeVar("T", bound="SendMessageAsUserRequest")


@_attrs_define
class SendMessageAsUserRequest:
    app_id: str
    """ An app's id, as issued when the app is created. """
    sender: str
    """ A user's FinChat id, `@localpart:server`; checked by its `@` only. """
    content: FileContent | ImageContent | TextCardContent | TextContent
    """ The content of a message sent in a user's name (every type but `m.cui`). """
    topic: str | Unset = UNSET
    """ With `fcids`, the topic every one of those direct rooms gets; absent to leave topics alone. """
    fcids: list[str] | Unset = UNSET
    """ Users whose direct room with `sender` receives the message; a missing room is created. Ignored when
    `room_ids` is not empty. """
    room_ids: list[str] | Unset = UNSET
    """ Rooms that receive the message, direct or group. When not empty, `fcids` is ignored. """

    def to_dict(self) -> dict[str, Any]:
        from ..models.file_content import FileContent
        from ..models.image_content import ImageContent
        from ..models.text_content import TextContent

        app_id = self.app_id

        sender = self.sender

        content: dict[str, Any]
        if (
            isinstance(self.content, TextContent)
            or isinstance(self.content, ImageContent)
            or isinstance(self.content, FileContent)
        ):
            content = self.content.to_dict()
        else:
            content = self.content.to_dict()

        topic = self.topic

        fcids: list[str] | Unset = UNSET
        if not isinstance(self.fcids, Unset):
            fcids = self.fcids

        room_ids: list[str] | Unset = UNSET
        if not isinstance(self.room_ids, Unset):
            room_ids = self.room_ids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "app_id": app_id,
                "sender": sender,
                "content": content,
            }
        )
        if topic is not UNSET:
            field_dict["topic"] = topic
        if fcids is not UNSET:
            field_dict["fcids"] = fcids
        if room_ids is not UNSET:
            field_dict["room_ids"] = room_ids

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.file_content import FileContent
        from ..models.image_content import ImageContent
        from ..models.text_card_content import TextCardContent
        from ..models.text_content import TextContent

        d = dict(src_dict)
        app_id = d.pop("app_id")

        sender = d.pop("sender")

        def _parse_content(
            data: object,
        ) -> FileContent | ImageContent | TextCardContent | TextContent:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_user_message_content_type_0 = TextContent.from_dict(
                    data
                )

                return componentsschemas_user_message_content_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_user_message_content_type_1 = ImageContent.from_dict(
                    data
                )

                return componentsschemas_user_message_content_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_user_message_content_type_2 = FileContent.from_dict(
                    data
                )

                return componentsschemas_user_message_content_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_user_message_content_type_3 = TextCardContent.from_dict(
                data
            )

            return componentsschemas_user_message_content_type_3

        content = _parse_content(d.pop("content"))

        topic = d.pop("topic", UNSET)

        fcids = cast(list[str], d.pop("fcids", UNSET))

        room_ids = cast(list[str], d.pop("room_ids", UNSET))

        send_message_as_user_request = cls(
            app_id=app_id,
            sender=sender,
            content=content,
            topic=topic,
            fcids=fcids,
            room_ids=room_ids,
        )

        return send_message_as_user_request
