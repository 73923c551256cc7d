"""Contains all the data models used in inputs/outputs"""

from .authorization_code_grant import AuthorizationCodeGrant
from .authorization_redirect import AuthorizationRedirect
from .authorize_response_type import AuthorizeResponseType
from .json_web_key import JsonWebKey
from .json_web_key_set import JsonWebKeySet
from .o_auth_error import OAuthError
from .open_id_configuration import OpenIdConfiguration
from .refresh_token_grant import RefreshTokenGrant
from .token_set import TokenSet
from .user_info import UserInfo

__all__ = (
    "AuthorizationCodeGrant",
    "AuthorizationRedirect",
    "AuthorizeResponseType",
    "JsonWebKey",
    "JsonWebKeySet",
    "OAuthError",
    "OpenIdConfiguration",
    "RefreshTokenGrant",
    "TokenSet",
    "UserInfo",
)
