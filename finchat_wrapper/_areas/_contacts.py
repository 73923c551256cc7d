"""`client.contacts`: the enterprise address book."""

from __future__ import annotations

from .. import _operations as ops
from ._base import Area, AsyncCaller, Caller

__all__ = ["AsyncContacts", "Contacts"]


class Contacts(Area[Caller]):
    """The enterprise address book."""

    def by_authority(self, authority_name: str) -> list[str]:
        """The fcids of the users who hold `authority_name` (empty if nobody does)."""
        return self._client._call(ops.get_users_by_authority(self._client.app_id, authority_name))


class AsyncContacts(Area[AsyncCaller]):
    __doc__ = Contacts.__doc__

    async def by_authority(self, authority_name: str) -> list[str]:
        """The fcids of the users who hold `authority_name` (empty if nobody does)."""
        call = ops.get_users_by_authority(self._client.app_id, authority_name)
        return await self._client._call(call)
