"""Contains all the data models used in inputs/outputs"""

from .app_application import AppApplication
from .app_application_event import AppApplicationEvent
from .app_application_event_content import AppApplicationEventContent
from .app_friendship import AppFriendship
from .cui_content import CuiContent
from .cui_context_text import CuiContextText
from .cui_divider import CuiDivider
from .cui_dropdown_input import CuiDropdownInput
from .cui_dropdown_option import CuiDropdownOption
from .cui_image import CuiImage
from .cui_info import CuiInfo
from .cui_info_status import CuiInfoStatus
from .cui_open_url_button import CuiOpenUrlButton
from .cui_reply_button import CuiReplyButton
from .cui_submit_button import CuiSubmitButton
from .cui_submit_event import CuiSubmitEvent
from .cui_submit_event_content import CuiSubmitEventContent
from .cui_submit_event_content_info import CuiSubmitEventContentInfo
from .cui_text_input import CuiTextInput
from .error import Error
from .error_code import ErrorCode
from .error_data import ErrorData
from .event_base import EventBase
from .event_base_unsigned import EventBaseUnsigned
from .event_callback import EventCallback
from .fcid_result import FcidResult
from .file_content import FileContent
from .file_info import FileInfo
from .image_content import ImageContent
from .image_info import ImageInfo
from .mention_event import MentionEvent
from .mention_event_content import MentionEventContent
from .message_event import MessageEvent
from .message_event_content import MessageEventContent
from .room_create_event import RoomCreateEvent
from .room_create_event_content import RoomCreateEventContent
from .room_id_result import RoomIdResult
from .room_type import RoomType
from .send_message_as_user_request import SendMessageAsUserRequest
from .send_message_request import SendMessageRequest
from .send_message_response import SendMessageResponse
from .text_card_content import TextCardContent
from .text_card_info import TextCardInfo
from .text_content import TextContent
from .token_request import TokenRequest
from .token_response import TokenResponse
from .update_cui_request import UpdateCuiRequest
from .upload_response import UploadResponse
from .user_detail import UserDetail
from .user_friendship import UserFriendship

__all__ = (
    "AppApplication",
    "AppApplicationEvent",
    "AppApplicationEventContent",
    "AppFriendship",
    "CuiContent",
    "CuiContextText",
    "CuiDivider",
    "CuiDropdownInput",
    "CuiDropdownOption",
    "CuiImage",
    "CuiInfo",
    "CuiInfoStatus",
    "CuiOpenUrlButton",
    "CuiReplyButton",
    "CuiSubmitButton",
    "CuiSubmitEvent",
    "CuiSubmitEventContent",
    "CuiSubmitEventContentInfo",
    "CuiTextInput",
    "Error",
    "ErrorCode",
    "ErrorData",
    "EventBase",
    "EventBaseUnsigned",
    "EventCallback",
    "FcidResult",
    "FileContent",
    "FileInfo",
    "ImageContent",
    "ImageInfo",
    "MentionEvent",
    "MentionEventContent",
    "MessageEvent",
    "MessageEventContent",
    "RoomCreateEvent",
    "RoomCreateEventContent",
    "RoomIdResult",
    "RoomType",
    "SendMessageAsUserRequest",
    "SendMessageRequest",
    "SendMessageResponse",
    "TextCardContent",
    "TextCardInfo",
    "TextContent",
    "TokenRequest",
    "TokenResponse",
    "UpdateCuiRequest",
    "UploadResponse",
    "UserDetail",
    "UserFriendship",
)
