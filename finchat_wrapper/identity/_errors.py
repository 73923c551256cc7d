"""What signing a user in can raise; every class derives from `IdentityError`, under `FinChatError`.

    IdentityError                      root of sign-in failures
    ├── DiscoveryError                 no IAM in iam-info, or an unreadable configuration or JWKS
    ├── CallbackError                  the callback cannot finish this sign-in
    │   ├── StateError                 a foreign, replayed or stale `state`: nothing was exchanged
    │   ├── RedirectUriMismatchError   not the redirect_uri the authorization was started with
    │   └── AuthorizationDeniedError   the IAM sent the user back with an OAuth error
    ├── OAuthError                     the IAM answered a token or userinfo request with an error
    │   ├── InvalidClientError         invalid_client: the app id or the secret was refused
    │   └── InvalidGrantError          invalid_grant: a used, expired or foreign code
    │       └── SessionExpiredError    the refresh token expired or was revoked: sign in again
    └── InvalidIdTokenError            the id_token failed verification (signature, iss, aud, exp,
                                       nonce, algorithm); it is never trusted in part

`oauth_error` is the one place an IAM's refusal becomes a class (the OAuth error code decides).
Transport failures are the client's usual `APIConnectionError` / `APITimeoutError`. No message
carries the secret, a code or a token: they name the step and the OAuth error code only, and any
text a server supplied is scrubbed of every secret and token the client knows.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from .._errors import FinChatError

__all__ = [
    "AuthorizationDeniedError",
    "CallbackError",
    "DiscoveryError",
    "IdentityError",
    "InvalidClientError",
    "InvalidGrantError",
    "InvalidIdTokenError",
    "OAuthError",
    "RedirectUriMismatchError",
    "SessionExpiredError",
    "StateError",
    "oauth_error",
]


class IdentityError(FinChatError):
    """Root of everything signing a user in with FinChat can raise."""


class DiscoveryError(IdentityError):
    """The IAM could not be found or described: iam-info, OpenID configuration or JWKS."""


class CallbackError(IdentityError):
    """The request that came back to the app's redirect_uri does not finish this sign-in."""


class StateError(CallbackError):
    """The `state` is not the one this authorization started with, was used already, or is stale.

    A foreign or replayed state is what a login CSRF or a replayed callback looks like: the code is
    never sent to the IAM.
    """


class RedirectUriMismatchError(CallbackError):
    """The redirect_uri differs (compared exactly) from the one the authorization used."""


class AuthorizationDeniedError(CallbackError):
    """The IAM redirected back with `error=` (e.g. access_denied, login_required)."""

    def __init__(self, message: str, *, error: str, description: str | None = None) -> None:
        super().__init__(message)
        self.error = error
        self.description = description


class OAuthError(IdentityError):
    """The IAM refused a request with an OAuth error (RFC 6749 section 5.2, RFC 6750 section 3).

    `error` is the OAuth error code (`invalid_request`, `invalid_token`, ...), None when the body
    was not an OAuth error; `status_code` the HTTP status (None when the client decided alone, e.g.
    a refresh token its own clock says has expired).
    """

    def __init__(
        self,
        message: str,
        *,
        error: str | None = None,
        description: str | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.error = error
        self.description = description
        self.status_code = status_code

    def __repr__(self) -> str:
        return f"{type(self).__name__}(error={self.error!r}, status_code={self.status_code})"


class InvalidClientError(OAuthError):
    """invalid_client: the IAM does not accept this app id and secret."""


class InvalidGrantError(OAuthError):
    """invalid_grant: the code was used already, expired, or was issued for another request."""


class SessionExpiredError(InvalidGrantError):
    """The user's IAM session is over (refresh token expired or revoked): sign them in again."""


class InvalidIdTokenError(IdentityError):
    """The id_token is not signed by the IAM's key, or its claims do not hold."""


def oauth_error(
    step: str, status: int, content: bytes, challenge: str, redact: Callable[[str], str]
) -> OAuthError:
    """The error for the IAM's refusal of `step` (a grant type, or `userinfo`): its class from
    the OAuth error code of the body (`content`), else of the `WWW-Authenticate` `challenge`; any
    text the IAM supplied scrubbed by `redact`."""
    if 300 <= status < 400:
        return OAuthError(
            f"{step}: the IAM answered with a redirect (HTTP {status}); it is not followed",
            error=None,
            status_code=status,
        )
    error: str | None = None
    description: str | None = None
    try:
        body = json.loads(content)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        error = body["error"]
        if isinstance(body.get("error_description"), str):
            description = redact(body["error_description"])
    elif "invalid_token" in challenge:
        error = "invalid_token"
    cls: type[OAuthError] = OAuthError
    if error == "invalid_client":
        cls = InvalidClientError
    elif error == "invalid_grant":
        cls = SessionExpiredError if step == "refresh_token" else InvalidGrantError
    elif error == "invalid_token" and step == "userinfo":
        cls = SessionExpiredError
    shown = f"{error}: {description}" if description else (error or "no OAuth error body")
    return cls(
        f"{step}: the IAM refused it (HTTP {status}, {redact(shown)})",
        error=error,
        description=description,
        status_code=status,
    )
