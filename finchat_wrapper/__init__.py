"""The hand-written FinChat client: tokens, errors, retries, messaging, media and events.

`import finchat_wrapper` loads only httpx and this package's small core; the generated models
and endpoint modules load when first used.
"""

from typing import TYPE_CHECKING, Any

from ._areas import MediaSendOptions, RoomChange, SendOptions
from ._auth import AsyncTokenStore, MemoryTokenStore, Token, TokenStore
from ._bulk import RecipientFailure, SendFailedError, SendLimits, SendReport, partial_report
from ._client import AsyncFinChat, FinChat
from ._content import (
    ContentUri,
    file_content,
    image_content,
    text_content,
    textcard_content,
)
from ._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AppNotFoundError,
    AppNotPublishedError,
    AuthenticationError,
    BadJSONError,
    BadRequestError,
    ConflictError,
    DeadlineExceededError,
    FcidAlreadyInRoomError,
    FcidLimitExceededError,
    FcidNotFoundError,
    FcidNotInRoomError,
    FinChatError,
    ForbiddenError,
    InternalServerError,
    InvalidAccessTokenError,
    InvalidResponseError,
    InvalidSecretError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RecipientLimitError,
    RedirectError,
    ResourceNotFoundError,
    ResponseTooLargeError,
    RoomIdLimitExceededError,
    RoomNotFederatedError,
    RoomNotFoundError,
    ServerError,
    TransportError,
)
from ._retry import RetryPolicy
from ._upload import (
    PrepareOptions,
    SourceOptions,
    Upload,
    UploadSourceError,
    aprepare_upload,
    prepare_upload,
)

if TYPE_CHECKING:
    from ._cui import Card, Option, cui_content

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AppNotFoundError",
    "AppNotPublishedError",
    "AsyncFinChat",
    "AsyncTokenStore",
    "AuthenticationError",
    "BadJSONError",
    "BadRequestError",
    "Card",
    "ConflictError",
    "ContentUri",
    "DeadlineExceededError",
    "FcidAlreadyInRoomError",
    "FcidLimitExceededError",
    "FcidNotFoundError",
    "FcidNotInRoomError",
    "FinChat",
    "FinChatError",
    "ForbiddenError",
    "InternalServerError",
    "InvalidAccessTokenError",
    "InvalidResponseError",
    "InvalidSecretError",
    "MediaSendOptions",
    "MemoryTokenStore",
    "NotFoundError",
    "Option",
    "PermissionDeniedError",
    "PrepareOptions",
    "RateLimitError",
    "RecipientFailure",
    "RecipientLimitError",
    "RedirectError",
    "ResourceNotFoundError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "RoomChange",
    "RoomIdLimitExceededError",
    "RoomNotFederatedError",
    "RoomNotFoundError",
    "SendFailedError",
    "SendLimits",
    "SendOptions",
    "SendReport",
    "ServerError",
    "SourceOptions",
    "Token",
    "TokenStore",
    "TransportError",
    "Upload",
    "UploadSourceError",
    "aprepare_upload",
    "cui_content",
    "file_content",
    "image_content",
    "partial_report",
    "prepare_upload",
    "text_content",
    "textcard_content",
]


def __getattr__(name: str) -> Any:
    # The CUI card builder loads the generated models: only when asked for.
    if name in ("Card", "Option", "cui_content"):
        from . import _cui

        return getattr(_cui, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
