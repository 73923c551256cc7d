"""A client library for accessing FinChat IAM (OpenID Connect provider)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
