"""`client.auth`: the app access token the client uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._base import Area, AsyncCaller, Caller

if TYPE_CHECKING:
    from .._auth import Token

__all__ = ["AsyncAuth", "Auth"]


class Auth(Area[Caller]):
    """The app access token the client uses (fetched, cached and refreshed automatically)."""

    def token(self, *, refresh: bool = False) -> Token:
        """The current token, fetched if there is none; `refresh=True` replaces it.

        Its `value` is a secret: it is left out of `repr`, and must not be logged.
        """
        return self._client._token(refresh=refresh)


class AsyncAuth(Area[AsyncCaller]):
    __doc__ = Auth.__doc__

    async def token(self, *, refresh: bool = False) -> Token:
        """The current token, fetched if there is none; `refresh=True` replaces it.

        Its `value` is a secret: it is left out of `repr`, and must not be logged.
        """
        return await self._client._token(refresh=refresh)
