"""The sandbox's enterprise directory: organizations, the department tree, app visibility.

A department's members are the users whose profile lists it in `departments` (the world stores
membership once, on the user, which is also what a user's detail answers); its sub-departments
are the departments whose parent it is, in world order. `include_sub_departments` adds the
members of every department below it, each user once. Unknown organizations and departments
are `FC_NOT_FOUND`; the user an organizations-by-type request names must exist
(`FC_FCID_NOT_FOUND`), and the answer is every organization of the type, since the document
does not say how that user narrows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._state import RefusalError, locked, user_not_found
from ._world import App, Organization

if TYPE_CHECKING:
    from ._state import State


def _not_found(what: str) -> RefusalError:
    return RefusalError(404, "FC_NOT_FOUND", f"{what} does not exist")


def _organization(organization: Organization) -> dict[str, Any]:
    return {
        "organization_id": organization.organization_id,
        "organization_name": organization.organization_name,
        "organization_type": organization.organization_type,
        "dispatch_supervision_organizations": list(organization.dispatch_supervision_organizations),
    }


class Directory:
    """The directory operations on a `State` (its lock, users, organizations, departments)."""

    def __init__(self, state: State) -> None:
        self.state = state
        self.lock = state.lock  # what `locked` holds

    @locked
    def organizations_by_type(self, fcid: str, organization_type: int) -> list[dict[str, Any]]:
        if fcid not in self.state.users:
            raise user_not_found()
        return [
            _organization(o)
            for o in self.state.organizations.values()
            if o.organization_type == organization_type
        ]

    @locked
    def organization(self, organization_id: str) -> dict[str, Any]:
        organization = self.state.organizations.get(organization_id)
        if organization is None:
            raise _not_found("organization")
        return _organization(organization)

    @locked
    def department(self, department_id: str, *, include_sub_departments: bool) -> dict[str, Any]:
        department = self.state.departments.get(department_id)
        if department is None:
            raise _not_found("department")
        children = self._children()
        counted = [department_id]
        if include_sub_departments:
            pending = list(children.get(department_id, []))
            while pending:  # the world's check keeps the tree free of cycles
                below = pending.pop(0)
                counted.append(below)
                pending.extend(children.get(below, []))
        wanted = set(counted)
        members = [
            user.fcid
            for user in self.state.users.values()
            if wanted & set(user.profile.get("departments", ()))
        ]
        answer: dict[str, Any] = {
            "department_id": department.department_id,
            "department_name": department.department_name,
        }
        if department.parent_department is not None:
            answer["parent_department"] = department.parent_department
        answer["sub_departments"] = list(children.get(department_id, []))
        answer["fcids"] = members
        return answer

    def _children(self) -> dict[str, list[str]]:
        children: dict[str, list[str]] = {}
        for department in self.state.departments.values():
            if department.parent_department is not None:
                children.setdefault(department.parent_department, []).append(
                    department.department_id
                )
        return children

    @locked
    def visibility(self, app: App) -> dict[str, Any]:
        seen = app.visibility
        if seen.unlimited:
            return {"unlimited": True}
        return {
            "unlimited": False,
            "departments": list(seen.departments),
            "fcids": list(seen.fcids),
        }
