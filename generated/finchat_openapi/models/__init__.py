"""Contains all the data models used in inputs/outputs"""

from .all_rooms_message_content import AllRoomsMessageContent
from .all_rooms_message_event import AllRoomsMessageEvent
from .app_application import AppApplication
from .app_application_event import AppApplicationEvent
from .app_application_event_content import AppApplicationEventContent
from .app_friendship import AppFriendship
from .app_operation import AppOperation
from .app_status import AppStatus
from .app_status_event import AppStatusEvent
from .app_status_event_content import AppStatusEventContent
from .app_visibility import AppVisibility
from .app_visibility_event import AppVisibilityEvent
from .app_visibility_event_content import AppVisibilityEventContent
from .create_room_request import CreateRoomRequest
from .create_room_request_history_visibility import CreateRoomRequestHistoryVisibility
from .create_room_request_type import CreateRoomRequestType
from .create_room_response import CreateRoomResponse
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
from .department import Department
from .error import Error
from .error_code import ErrorCode
from .error_data import ErrorData
from .event_base import EventBase
from .event_base_unsigned import EventBaseUnsigned
from .event_callback import EventCallback
from .fcid_result import FcidResult
from .file_content import FileContent
from .file_info import FileInfo
from .iam_flow import IamFlow
from .iam_info import IamInfo
from .image_content import ImageContent
from .image_info import ImageInfo
from .mention_event import MentionEvent
from .mention_event_content import MentionEventContent
from .message_event import MessageEvent
from .message_event_content import MessageEventContent
from .organization import Organization
from .other_event import OtherEvent
from .other_event_content import OtherEventContent
from .pulled_events import PulledEvents
from .room_create_event import RoomCreateEvent
from .room_create_event_content import RoomCreateEventContent
from .room_detail import RoomDetail
from .room_id_result import RoomIdResult
from .room_type import RoomType
from .search_callback import SearchCallback
from .search_event import SearchEvent
from .search_event_content import SearchEventContent
from .search_event_unsigned import SearchEventUnsigned
from .search_result import SearchResult
from .search_result_content import SearchResultContent
from .search_result_content_opentype import SearchResultContentOpentype
from .search_result_item import SearchResultItem
from .search_result_item_type import SearchResultItemType
from .search_result_layout import SearchResultLayout
from .send_message_as_user_request import SendMessageAsUserRequest
from .send_message_request import SendMessageRequest
from .send_message_response import SendMessageResponse
from .send_webhook_message_request import SendWebhookMessageRequest
from .send_webhook_message_response import SendWebhookMessageResponse
from .sensitive_word_event import SensitiveWordEvent
from .sensitive_word_event_content import SensitiveWordEventContent
from .text_card_content import TextCardContent
from .text_card_info import TextCardInfo
from .text_card_info_opentype import TextCardInfoOpentype
from .text_content import TextContent
from .token_request import TokenRequest
from .token_response import TokenResponse
from .update_cui_request import UpdateCuiRequest
from .update_room_request import UpdateRoomRequest
from .update_room_request_history_visibility import UpdateRoomRequestHistoryVisibility
from .update_room_response import UpdateRoomResponse
from .upload_response import UploadResponse
from .user_detail import UserDetail
from .user_friendship import UserFriendship
from .webhook_event import WebhookEvent
from .webhook_event_content import WebhookEventContent

__all__ = (
    "AllRoomsMessageContent",
    "AllRoomsMessageEvent",
    "AppApplication",
    "AppApplicationEvent",
    "AppApplicationEventContent",
    "AppFriendship",
    "AppOperation",
    "AppStatus",
    "AppStatusEvent",
    "AppStatusEventContent",
    "AppVisibility",
    "AppVisibilityEvent",
    "AppVisibilityEventContent",
    "CreateRoomRequest",
    "CreateRoomRequestHistoryVisibility",
    "CreateRoomRequestType",
    "CreateRoomResponse",
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
    "Department",
    "Error",
    "ErrorCode",
    "ErrorData",
    "EventBase",
    "EventBaseUnsigned",
    "EventCallback",
    "FcidResult",
    "FileContent",
    "FileInfo",
    "IamFlow",
    "IamInfo",
    "ImageContent",
    "ImageInfo",
    "MentionEvent",
    "MentionEventContent",
    "MessageEvent",
    "MessageEventContent",
    "Organization",
    "OtherEvent",
    "OtherEventContent",
    "PulledEvents",
    "RoomCreateEvent",
    "RoomCreateEventContent",
    "RoomDetail",
    "RoomIdResult",
    "RoomType",
    "SearchCallback",
    "SearchEvent",
    "SearchEventContent",
    "SearchEventUnsigned",
    "SearchResult",
    "SearchResultContent",
    "SearchResultContentOpentype",
    "SearchResultItem",
    "SearchResultItemType",
    "SearchResultLayout",
    "SendMessageAsUserRequest",
    "SendMessageRequest",
    "SendMessageResponse",
    "SendWebhookMessageRequest",
    "SendWebhookMessageResponse",
    "SensitiveWordEvent",
    "SensitiveWordEventContent",
    "TextCardContent",
    "TextCardInfo",
    "TextCardInfoOpentype",
    "TextContent",
    "TokenRequest",
    "TokenResponse",
    "UpdateCuiRequest",
    "UpdateRoomRequest",
    "UpdateRoomRequestHistoryVisibility",
    "UpdateRoomResponse",
    "UploadResponse",
    "UserDetail",
    "UserFriendship",
    "WebhookEvent",
    "WebhookEventContent",
)
