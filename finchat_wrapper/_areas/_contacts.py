"""`client.contacts`: the enterprise directory: authorities, organizations, departments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _operations as ops
from ._base import Area, AsyncCaller, Caller

if TYPE_CHECKING:
    from finchat_openapi.models import Department, Organization

__all__ = ["AsyncContacts", "Contacts"]


class Contacts(Area[Caller]):
    """The enterprise directory."""

    def by_authority(self, authority_name: str) -> list[str]:
        """The fcids of the users who hold `authority_name` (empty if nobody does)."""
        return self._client._call(ops.get_users_by_authority(self._client.app_id, authority_name))

    def organizations(self, organization_type: int, *, fcid: str) -> list[Organization]:
        """The organizations of type `organization_type` (a number). The API asks for a user,
        `fcid`, too, without saying how it narrows the answer (`FcidNotFoundError` for an
        unknown user)."""
        call = ops.get_organizations_by_type(self._client.app_id, fcid, organization_type)
        return self._client._call(call)

    def organization(self, organization_id: str) -> Organization:
        """One organization (`ResourceNotFoundError` for an unknown one)."""
        return self._client._call(ops.get_organization(self._client.app_id, organization_id))

    def department(
        self, department_id: str, *, include_sub_departments: bool = False
    ) -> Department:
        """One department: its parent, sub-departments and members (`fcids`); with
        `include_sub_departments`, the members of every department below it as well
        (`ResourceNotFoundError` for an unknown one)."""
        call = ops.get_department(
            self._client.app_id, department_id, include_sub_departments=include_sub_departments
        )
        return self._client._call(call)


class AsyncContacts(Area[AsyncCaller]):
    __doc__ = Contacts.__doc__

    async def by_authority(self, authority_name: str) -> list[str]:
        """The fcids of the users who hold `authority_name` (empty if nobody does)."""
        call = ops.get_users_by_authority(self._client.app_id, authority_name)
        return await self._client._call(call)

    async def organizations(self, organization_type: int, *, fcid: str) -> list[Organization]:
        """The organizations of type `organization_type` (a number). The API asks for a user,
        `fcid`, too, without saying how it narrows the answer (`FcidNotFoundError` for an
        unknown user)."""
        call = ops.get_organizations_by_type(self._client.app_id, fcid, organization_type)
        return await self._client._call(call)

    async def organization(self, organization_id: str) -> Organization:
        """One organization (`ResourceNotFoundError` for an unknown one)."""
        call = ops.get_organization(self._client.app_id, organization_id)
        return await self._client._call(call)

    async def department(
        self, department_id: str, *, include_sub_departments: bool = False
    ) -> Department:
        """One department: its parent, sub-departments and members (`fcids`); with
        `include_sub_departments`, the members of every department below it as well
        (`ResourceNotFoundError` for an unknown one)."""
        call = ops.get_department(
            self._client.app_id, department_id, include_sub_departments=include_sub_departments
        )
        return await self._client._call(call)
