"""The hand-written FinChat client: tokens, errors, retries, messaging, media and events.

`import finchat_wrapper` loads only httpx and this package's core (the clients, tokens, errors,
retries); the areas of a client (`client.messages`, ...) load when first used, and so do the
names below that live with them (sends, uploads, contents, cards), and the generated models and
endpoint modules.
"""

import importlib
from typing import TYPE_CHECKING, Any

from ._auth import AsyncTokenStore, MemoryTokenStore, Token, TokenStore
from ._client import AsyncFinChat, FinChat
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

if TYPE_CHECKING:
    from ._areas import MediaSendOptions, RoomChange, SendOptions
    from ._bulk import (
        RecipientFailure,
        SendFailedError,
        SendLimits,
        SendReport,
        partial_report,
    )
    from ._content import (
        ContentUri,
        file_content,
        image_content,
        text_content,
        textcard_content,
    )
    from ._cui import Card, Option, cui_content
    from ._upload import (
        PrepareOptions,
        SourceOptions,
        Upload,
        UploadSourceError,
        aprepare_upload,
        prepare_upload,
    )

# The names loaded on first use, and the module of each.
_LAZY = {
    **dict.fromkeys(("MediaSendOptions", "RoomChange", "SendOptions"), "_areas"),
    **dict.fromkeys(
        ("RecipientFailure", "SendFailedError", "SendLimits", "SendReport", "partial_report"),
        "_bulk",
    ),
    **dict.fromkeys(
        ("ContentUri", "file_content", "image_content", "text_content", "textcard_content"),
        "_content",
    ),
    # The CUI card builder loads the generated models.
    **dict.fromkeys(("Card", "Option", "cui_content"), "_cui"),
    **dict.fromkeys(
        (
            "PrepareOptions",
            "SourceOptions",
            "Upload",
            "UploadSourceError",
            "aprepare_upload",
            "prepare_upload",
        ),
        "_upload",
    ),
}

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
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # once: the next lookup is the module's own
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
