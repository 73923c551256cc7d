from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TokenSet")


@_attrs_define
class TokenSet:
    """The tokens the token endpoint answers, for both grants."""

    access_token: str
    """ Calls `userinfo`; short-lived. Not the app access token of the FinChat host. """
    expires_in: int
    """ Seconds until the access token expires. """
    token_type: str
    """ `bearer` (compare without case). """
    refresh_token: str | Unset = UNSET
    """ Renews the tokens once the access token has expired. """
    refresh_expires_in: int | Unset = UNSET
    """ Seconds until the refresh token expires. """
    id_token: str | Unset = UNSET
    """ A signed JWT with the user's claims (the fields of `UserInfo` and more); verify it before trusting it. """
    not_before_policy: int | Unset = UNSET
    """ Keycloak's not-before time of the realm's tokens; not needed by the app. """
    session_state: str | Unset = UNSET
    """ The IAM's session; not needed by the app. """
    scope: str | Unset = UNSET
    """ The scopes granted, separated by spaces. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_token = self.access_token

        expires_in = self.expires_in

        token_type = self.token_type

        refresh_token = self.refresh_token

        refresh_expires_in = self.refresh_expires_in

        id_token = self.id_token

        not_before_policy = self.not_before_policy

        session_state = self.session_state

        scope = self.scope

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "access_token": access_token,
                "expires_in": expires_in,
                "token_type": token_type,
            }
        )
        if refresh_token is not UNSET:
            field_dict["refresh_token"] = refresh_token
        if refresh_expires_in is not UNSET:
            field_dict["refresh_expires_in"] = refresh_expires_in
        if id_token is not UNSET:
            field_dict["id_token"] = id_token
        if not_before_policy is not UNSET:
            field_dict["not-before-policy"] = not_before_policy
        if session_state is not UNSET:
            field_dict["session_state"] = session_state
        if scope is not UNSET:
            field_dict["scope"] = scope

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        access_token = d.pop("access_token")

        expires_in = d.pop("expires_in")

        token_type = d.pop("token_type")

        refresh_token = d.pop("refresh_token", UNSET)

        refresh_expires_in = d.pop("refresh_expires_in", UNSET)

        id_token = d.pop("id_token", UNSET)

        not_before_policy = d.pop("not-before-policy", UNSET)

        session_state = d.pop("session_state", UNSET)

        scope = d.pop("scope", UNSET)

        token_set = cls(
            access_token=access_token,
            expires_in=expires_in,
            token_type=token_type,
            refresh_token=refresh_token,
            refresh_expires_in=refresh_expires_in,
            id_token=id_token,
            not_before_policy=not_before_policy,
            session_state=session_state,
            scope=scope,
        )

        token_set.additional_properties = d
        return token_set

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
