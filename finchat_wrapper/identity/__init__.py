"""Sign in with FinChat: OpenID Connect for web apps, against the FinChat IAM or any provider.

    from finchat_wrapper.identity import IdentityClient

    identity = IdentityClient(app_id, secret, base_url="https://finchat.example.com")
    started = identity.authorization_url("https://app.example.com/callback")
    # redirect to started.url; keep started.to_dict() until the callback, then:
    session = identity.callback(query, redirect_uri=started.redirect_uri, authorization=started)
    session.user.fcid, session.user.name, session.user.organization_id

`AsyncIdentityClient` has the same methods, awaited. `userinfo()` returns the generated
`UserInfo` of `openapi/finchat-iam.yaml` (re-exported here); iam-info and token answers are read
through the generated models too. `SignIn` (needs starlette) adds login,
callback and logout routes with the user in a signed cookie to any ASGI app. Needs the
`identity` extra (joserfc for every JOSE operation; no JWT code is written here).
"""

from typing import TYPE_CHECKING, Any

from ._client import AsyncIdentityClient, IdentityClient
from ._errors import (
    AuthorizationDeniedError,
    CallbackError,
    DiscoveryError,
    IdentityError,
    InvalidClientError,
    InvalidGrantError,
    InvalidIdTokenError,
    OAuthError,
    RedirectUriMismatchError,
    SessionExpiredError,
    StateError,
)
from ._models import Authorization, ProviderMetadata, User, UserSession

if TYPE_CHECKING:
    from finchat_iam_openapi.models import UserInfo

    from ._starlette import MemorySessionStore, SessionStore, SignIn

__all__ = [
    "AsyncIdentityClient",
    "Authorization",
    "AuthorizationDeniedError",
    "CallbackError",
    "DiscoveryError",
    "IdentityClient",
    "IdentityError",
    "InvalidClientError",
    "InvalidGrantError",
    "InvalidIdTokenError",
    "MemorySessionStore",
    "OAuthError",
    "ProviderMetadata",
    "RedirectUriMismatchError",
    "SessionExpiredError",
    "SessionStore",
    "SignIn",
    "StateError",
    "User",
    "UserInfo",
    "UserSession",
]


def __getattr__(name: str) -> Any:
    # The ASGI integration loads starlette: only when asked for.
    if name in ("MemorySessionStore", "SessionStore", "SignIn"):
        from . import _starlette

        return getattr(_starlette, name)
    if name == "UserInfo":  # the generated model of finchat-iam.yaml's userinfo answer
        from finchat_iam_openapi.models import UserInfo

        return UserInfo
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
