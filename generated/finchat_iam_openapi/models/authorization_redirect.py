from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AuthorizationRedirect")


@_attrs_define
class AuthorizationRedirect:
    """The query parameters of the redirect of `authorize` to the app's `redirect_uri` (not a JSON
    body: `x-redirect-query` of the 302 answer names this schema).

    """

    code: str
    """ The one-time code; use it once, within one minute. """
    state: str | Unset = UNSET
    """ The `state` of the request, unchanged. """
    session_state: str | Unset = UNSET
    """ The IAM's session; not needed by the app. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        state = self.state

        session_state = self.session_state

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
            }
        )
        if state is not UNSET:
            field_dict["state"] = state
        if session_state is not UNSET:
            field_dict["session_state"] = session_state

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        state = d.pop("state", UNSET)

        session_state = d.pop("session_state", UNSET)

        authorization_redirect = cls(
            code=code,
            state=state,
            session_state=session_state,
        )

        authorization_redirect.additional_properties = d
        return authorization_redirect

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
