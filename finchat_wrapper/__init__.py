"""The hand-written FinChat client: tokens, errors, retries, messaging, media and events.

`import finchat_wrapper` loads only httpx and this package's small core; the generated models
and endpoint modules load when first used.
"""

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
    FcidLimitExceededError,
    FinChatError,
    InternalServerError,
    InvalidAccessTokenError,
    InvalidResponseError,
    InvalidSecretError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RecipientLimitError,
    RoomIdLimitExceededError,
    RoomNotFoundError,
    ServerError,
    TransportError,
)
from ._retry import RetryPolicy

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
    "FcidLimitExceededError",
    "FinChat",
    "FinChatError",
    "InternalServerError",
    "InvalidAccessTokenError",
    "InvalidResponseError",
    "InvalidSecretError",
    "MemoryTokenStore",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RecipientLimitError",
    "RetryPolicy",
    "RoomIdLimitExceededError",
    "RoomNotFoundError",
    "ServerError",
    "Token",
    "TokenStore",
    "TransportError",
]
