from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AuthorizationCodeGrant")


@_attrs_define
class AuthorizationCodeGrant:
    """Exchanges the code of the redirect for tokens."""

    grant_type: Literal["authorization_code"]
    code: str
    """ The one-time code of the redirect. """
    redirect_uri: str
    """ The same `redirect_uri` as in the authorize request. """
    client_id: str
    """ The app's `app_id`. """
    code_verifier: str | Unset = UNSET
    """ The PKCE verifier, when the authorize request had a challenge. """

    def to_dict(self) -> dict[str, Any]:
        grant_type = self.grant_type

        code = self.code

        redirect_uri = self.redirect_uri

        client_id = self.client_id

        code_verifier = self.code_verifier

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "grant_type": grant_type,
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": client_id,
            }
        )
        if code_verifier is not UNSET:
            field_dict["code_verifier"] = code_verifier

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        grant_type = cast(Literal["authorization_code"], d.pop("grant_type"))
        if grant_type != "authorization_code":
            raise ValueError(
                f"grant_type must match const 'authorization_code', got '{grant_type}'"
            )

        code = d.pop("code")

        redirect_uri = d.pop("redirect_uri")

        client_id = d.pop("client_id")

        code_verifier = d.pop("code_verifier", UNSET)

        authorization_code_grant = cls(
            grant_type=grant_type,
            code=code,
            redirect_uri=redirect_uri,
            client_id=client_id,
            code_verifier=code_verifier,
        )

        return authorization_code_grant
