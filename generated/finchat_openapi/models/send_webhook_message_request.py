from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.cui_content import CuiContent
    from ..models.file_content import FileContent
    from ..models.image_content import ImageContent
    from ..models.text_card_content import TextCardContent
    from ..models.text_content import TextContent


T = TypeVar("T", bound="SendWebhookMessageRequest")


@_attrs_define
class SendWebhookMessageRequest:
    app_id: str
    """ An app's id, as issued when the app is created. """
    webhook_id: str
    """ The id of one of the app's webhook bots. """
    content: CuiContent | FileContent | ImageContent | TextCardContent | TextContent
    """ The content of a message sent by the app's bot or a webhook bot. """

    def to_dict(self) -> dict[str, Any]:
        from ..models.file_content import FileContent
        from ..models.image_content import ImageContent
        from ..models.text_card_content import TextCardContent
        from ..models.text_content import TextContent

        app_id = self.app_id

        webhook_id = self.webhook_id

        content: dict[str, Any]
        if (
            isinstance(self.content, TextContent)
            or isinstance(self.content, ImageContent)
            or isinstance(self.content, FileContent)
            or isinstance(self.content, TextCardContent)
        ):
            content = self.content.to_dict()
        else:
            content = self.content.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "app_id": app_id,
                "webhook_id": webhook_id,
                "content": content,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.cui_content import CuiContent
        from ..models.file_content import FileContent
        from ..models.image_content import ImageContent
        from ..models.text_card_content import TextCardContent
        from ..models.text_content import TextContent

        d = dict(src_dict)
        app_id = d.pop("app_id")

        webhook_id = d.pop("webhook_id")

        def _parse_content(
            data: object,
        ) -> CuiContent | FileContent | ImageContent | TextCardContent | TextContent:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_message_content_type_0 = TextContent.from_dict(data)

                return componentsschemas_message_content_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_message_content_type_1 = ImageContent.from_dict(data)

                return componentsschemas_message_content_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_message_content_type_2 = FileContent.from_dict(data)

                return componentsschemas_message_content_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_message_content_type_3 = TextCardContent.from_dict(
                    data
                )

                return componentsschemas_message_content_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_message_content_type_4 = CuiContent.from_dict(data)

            return componentsschemas_message_content_type_4

        content = _parse_content(d.pop("content"))

        send_webhook_message_request = cls(
            app_id=app_id,
            webhook_id=webhook_id,
            content=content,
        )

        return send_webhook_message_request
