"""Every exception the wrapper raises, and the one table that maps errcodes to them.

    FinChatError                          root: `except FinChatError` catches everything below
    ├── APIError                          the server answered with a non-2xx status
    │   ├── RedirectError                 3xx: never followed; names the target's origin only
    │   ├── BadRequestError               400
    │   │   ├── BadJSONError              FC_BAD_JSON
    │   │   └── RecipientLimitError       too many recipients in one request; nothing was sent
    │   │       ├── FcidLimitExceededError      FC_MESSAGE_FCID_LIMIT_EXCEEDED
    │   │       └── RoomIdLimitExceededError    FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED
    │   ├── AuthenticationError           401
    │   │   ├── InvalidSecretError        FC_INVALID_SECRET
    │   │   └── InvalidAccessTokenError   FC_INVALID_ACCESS_TOKEN
    │   ├── PermissionDeniedError         403
    │   │   ├── AppNotPublishedError      FC_APP_NOT_PUBLISHED
    │   │   ├── ForbiddenError            FC_FORBIDDEN
    │   │   └── RoomNotFederatedError     FC_ROOM_IS_NOT_FEDERATE
    │   ├── NotFoundError                 404
    │   │   ├── AppNotFoundError          FC_APP_NOT_FOUND
    │   │   ├── RoomNotFoundError         FC_ROOM_NOT_FOUND
    │   │   ├── FcidNotFoundError         FC_FCID_NOT_FOUND
    │   │   └── ResourceNotFoundError     FC_NOT_FOUND
    │   ├── ConflictError                 409
    │   │   ├── FcidAlreadyInRoomError    FC_FCID_ALREADY_IN_ROOM
    │   │   └── FcidNotInRoomError        FC_FCID_NOT_IN_ROOM
    │   ├── RateLimitError                429
    │   └── ServerError                   5xx, and any status a server invents (520, 599)
    │       └── InternalServerError       FC_INTERNAL_ERROR
    ├── TransportError                    no answer: the connection failed or timed out
    │   ├── APIConnectionError            connect refused, reset, protocol error
    │   └── APITimeoutError               connect, read, write or pool timeout
    │       └── DeadlineExceededError     the call's deadline passed, even mid-body; no retry
    ├── InvalidResponseError              an answer the client cannot read
    │   └── ResponseTooLargeError         body over max_response_bytes (decompressed)
    ├── IdentityError                     (identity) Sign in with FinChat: its own tree there
    ├── RedisStoreError                   (fleet; redis extra) Redis down, stuck or refusing
    ├── SendFailedError                   (_bulk.py) a bulk send left recipients failed
    ├── UploadSourceError                 (_upload.py; a ValueError too) bad upload source
    ├── InvalidEventError                 (events; a ValueError too) not an event callback
    ├── InvalidTokenError                 (events; a ValueError too) wrong callback token
    └── HandlerAlreadyRegisteredError     (events; a ValueError too) duplicate event handler

The errcode decides the class, except `FC_UNKNOWN` (and an error body that is not an error
envelope: an HTML 502, an empty 520), which the HTTP status classifies, as the API document says.
An errcode nobody documented gives `APIError` itself, so a newer server never crashes the client.

Every class above is public: `finchat_wrapper/__init__.py` lists them, and a test holds it to
every exception this module defines (so they are not listed here a second time).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

# An error message quotes at most this much of a body that is not an error envelope.
_BODY_EXCERPT = 200


class FinChatError(Exception):
    """Root of every exception raised by the FinChat wrapper."""


class APIError(FinChatError):
    """The server answered with a non-2xx status.

    `errcode` and `error` come from the error envelope; both are None when the body was not one
    (an HTML page from a proxy, an empty body). `status_code` is always the HTTP status.
    """

    errcode: str | None
    error: str | None
    data: Any
    status_code: int
    response: httpx.Response | None

    def __init__(
        self,
        message: str,
        *,
        errcode: str | None = None,
        error: str | None = None,
        data: Any = None,
        status_code: int,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.errcode = errcode
        self.error = error
        self.data = data
        self.status_code = status_code
        self.response = response

    def __repr__(self) -> str:
        return f"{type(self).__name__}(errcode={self.errcode!r}, status_code={self.status_code})"


class RedirectError(APIError):
    """3xx: the server sent the request elsewhere. No request of the client follows a redirect
    (a 307 would replay the token request, secret included, to the new host).

    `location_origin` is the target's `scheme://host[:port]`, or None without a usable Location;
    the rest of the Location (path, query, credentials) is never put in the message.
    """

    location_origin: str | None

    def __init__(self, message: str, *, location_origin: str | None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.location_origin = location_origin


class BadRequestError(APIError):
    """400: the request was malformed."""


class BadJSONError(BadRequestError):
    """FC_BAD_JSON: the body or a parameter is malformed, of the wrong type or missing."""


class RecipientLimitError(BadRequestError):
    """More recipients than the server takes in one request; nothing was sent."""


class FcidLimitExceededError(RecipientLimitError):
    """FC_MESSAGE_FCID_LIMIT_EXCEEDED: too many fcids in one request."""


class RoomIdLimitExceededError(RecipientLimitError):
    """FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED: too many room ids in one request."""


class AuthenticationError(APIError):
    """401: the credentials were refused."""


class InvalidSecretError(AuthenticationError):
    """FC_INVALID_SECRET: the secret does not belong to the app."""


class InvalidAccessTokenError(AuthenticationError):
    """FC_INVALID_ACCESS_TOKEN: the access token was refused, even after one fresh token."""


class PermissionDeniedError(APIError):
    """403: the app may not do this."""


class AppNotPublishedError(PermissionDeniedError):
    """FC_APP_NOT_PUBLISHED: the app exists but is not published."""


class ForbiddenError(PermissionDeniedError):
    """FC_FORBIDDEN: the app does not have the permission or privilege this needs."""


class RoomNotFederatedError(PermissionDeniedError):
    """FC_ROOM_IS_NOT_FEDERATE: the room does not federate; a user named is of another server."""


class NotFoundError(APIError):
    """404: the app, user or room does not exist."""


class AppNotFoundError(NotFoundError):
    """FC_APP_NOT_FOUND: no app has this id."""


class RoomNotFoundError(NotFoundError):
    """FC_ROOM_NOT_FOUND: the room does not exist, or the bot is not in it."""


class FcidNotFoundError(NotFoundError):
    """FC_FCID_NOT_FOUND: a user named does not exist."""


class ResourceNotFoundError(NotFoundError):
    """FC_NOT_FOUND: the webhook, organization, department or other resource does not exist."""


class ConflictError(APIError):
    """409: the request contradicts the current state (a room's members)."""


class FcidAlreadyInRoomError(ConflictError):
    """FC_FCID_ALREADY_IN_ROOM: a user to invite is in the room already."""


class FcidNotInRoomError(ConflictError):
    """FC_FCID_NOT_IN_ROOM: a user to kick, or the new owner, is not in the room."""


class RateLimitError(APIError):
    """429: too many requests."""


class ServerError(APIError):
    """5xx (or a status outside the standard range): the server failed."""


class InternalServerError(ServerError):
    """FC_INTERNAL_ERROR: the server failed; repeating is safe only for safe operations."""


class TransportError(FinChatError):
    """No answer: the request failed in transport. `__cause__` is the httpx exception.

    `maybe_processed` is False only when the request provably never reached the server (the
    connection was never established, or no pooled connection was free); a non-idempotent
    operation must not be repeated otherwise.
    """

    maybe_processed: bool

    def __init__(self, message: str, *, maybe_processed: bool) -> None:
        super().__init__(message)
        self.maybe_processed = maybe_processed


class APIConnectionError(TransportError):
    """The connection could not be made, or broke (reset, protocol error)."""


class APITimeoutError(TransportError):
    """The connect, read, write or pool timeout expired."""


class DeadlineExceededError(APITimeoutError):
    """The call's overall deadline (`RetryPolicy.deadline`) passed, while waiting for the answer
    or while reading its body; the attempt was cut off there and is never retried."""


class InvalidResponseError(FinChatError):
    """An answer the client cannot read (not JSON, a missing field, an undocumented status)."""

    def __init__(self, message: str, *, response: httpx.Response | None = None) -> None:
        super().__init__(message)
        self.response = response


class ResponseTooLargeError(InvalidResponseError):
    """The answer's body, once decompressed, is larger than the client's `max_response_bytes`;
    reading stopped at the limit, so memory stays bounded whatever the server sends."""

    limit: int

    def __init__(self, message: str, *, limit: int, response: httpx.Response | None = None) -> None:
        super().__init__(message, response=response)
        self.limit = limit


# The one errcode table: class and the HTTP status the project assigns (openapi/finchat.yaml
# `ErrorCode.x-http-status`, checked by a test). None: classified by the HTTP status instead.
ERRCODES: dict[str, tuple[type[APIError] | None, int | None]] = {
    "FC_BAD_JSON": (BadJSONError, 400),
    "FC_MESSAGE_FCID_LIMIT_EXCEEDED": (FcidLimitExceededError, 400),
    "FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED": (RoomIdLimitExceededError, 400),
    "FC_INVALID_SECRET": (InvalidSecretError, 401),
    "FC_INVALID_ACCESS_TOKEN": (InvalidAccessTokenError, 401),
    "FC_APP_NOT_PUBLISHED": (AppNotPublishedError, 403),
    "FC_FORBIDDEN": (ForbiddenError, 403),
    "FC_ROOM_IS_NOT_FEDERATE": (RoomNotFederatedError, 403),
    "FC_APP_NOT_FOUND": (AppNotFoundError, 404),
    "FC_ROOM_NOT_FOUND": (RoomNotFoundError, 404),
    "FC_FCID_NOT_FOUND": (FcidNotFoundError, 404),
    "FC_NOT_FOUND": (ResourceNotFoundError, 404),
    "FC_FCID_ALREADY_IN_ROOM": (FcidAlreadyInRoomError, 409),
    "FC_FCID_NOT_IN_ROOM": (FcidNotInRoomError, 409),
    "FC_INTERNAL_ERROR": (InternalServerError, 500),
    "FC_UNKNOWN": (None, None),
}

_STATUS_CLASSES: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def class_for_status(status_code: int) -> type[APIError]:
    """The class of an error that only its HTTP status describes."""
    if status_code >= 500 or status_code < 100:
        return ServerError
    return _STATUS_CLASSES.get(status_code, APIError)


def class_for(errcode: str | None, status_code: int) -> type[APIError]:
    """The class for an errcode (None: no error envelope) answered with a status."""
    if errcode is None:
        return class_for_status(status_code)
    entry = ERRCODES.get(errcode)
    if entry is None:
        return APIError
    cls, _ = entry
    return cls if cls is not None else class_for_status(status_code)


def parse_error_body(content: bytes) -> tuple[str | None, str | None, Any]:
    """(errcode, error, data) of an error envelope, or (None, None, None) if it is not one."""
    try:
        body = json.loads(content)
    except ValueError:
        return None, None, None
    if not isinstance(body, dict):
        return None, None, None
    errcode = body.get("errcode")
    if not isinstance(errcode, str) or not errcode:
        return None, None, None
    error = body.get("error")
    return errcode, error if isinstance(error, str) else None, body.get("data")


def _identity(text: str) -> str:
    return text


def api_error_from_response(
    response: httpx.Response, *, redact: Callable[[str], str] = _identity
) -> APIError:
    """The exception for a non-2xx response whose body has been read.

    `redact` scrubs secrets out of server-supplied text: a server may echo a token back.
    """
    status = response.status_code
    if 300 <= status < 400:
        return redirect_error(response)
    errcode, error, data = parse_error_body(response.content)
    if error is not None:
        error = redact(error)
    cls = class_for(errcode, status)
    where = f"{response.request.method} {response.request.url.path}"
    if errcode is not None:
        message = f"{errcode}: {error or '(no description)'} (HTTP {status}, {where})"
    else:
        excerpt = redact(response.content[:_BODY_EXCERPT].decode("utf-8", "replace")).strip()
        shown = f": {excerpt!r}" if excerpt else " with an empty body"
        message = f"HTTP {status} without a FinChat error body{shown} ({where})"
    return cls(
        message, errcode=errcode, error=error, data=data, status_code=status, response=response
    )


# An origin quoted from a Location header is cut to this: it is the server's text.
_MAX_ORIGIN = 100


def _origin(base: httpx.URL, location: str | None) -> str | None:
    """`scheme://host[:port]` of where `location` points from `base`, or None if it is unusable."""
    if not location:
        return None
    try:
        url = base.join(location)
    except (httpx.InvalidURL, ValueError, TypeError):
        return None
    if not url.scheme or not url.host:
        return None
    host = f"[{url.host}]" if ":" in url.host else url.host
    port = "" if url.port is None else f":{url.port}"
    origin = f"{url.scheme}://{host}{port}"
    if len(origin) > _MAX_ORIGIN or not origin.isprintable():
        return None
    return origin


def redirect_error(response: httpx.Response) -> RedirectError:
    """The exception for a 3xx answer, whose body need not have been read.

    Only the target's origin is named: a Location may carry a token or credentials in its path,
    query or user info.
    """
    status = response.status_code
    request = response.request
    origin = _origin(request.url, response.headers.get("Location"))
    target = f"to {origin}" if origin is not None else "without a usable Location"
    message = (
        f"HTTP {status} redirect {target} not followed ({request.method} {request.url.path}): "
        "the client never follows redirects, so the secret and tokens only go to base_url; "
        "set base_url to the address that answers"
    )
    return RedirectError(message, location_origin=origin, status_code=status, response=response)


# The request provably never reached the server: no connection was made, or none was free.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def transport_error_from(exc: httpx.TransportError) -> TransportError:
    """The wrapper's exception for an httpx transport failure (raise it `from exc`)."""
    maybe_processed = not isinstance(exc, _NEVER_SENT)
    cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    try:
        where = f"{exc.request.method} {exc.request.url.path}"
    except RuntimeError:  # an httpx exception raised outside a request has none
        where = "request"
    return cls(f"{type(exc).__name__} during {where}: {exc}", maybe_processed=maybe_processed)
