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

T = TypeVar("T", bound="RefreshTokenGrant")


@_attrs_define
class RefreshTokenGrant:
    """Renews the tokens with the refresh token."""

    grant_type: Literal["refresh_token"]
    refresh_token: str
    """ The refresh token of the last `TokenSet`. """

    def to_dict(self) -> dict[str, Any]:
        grant_type = self.grant_type

        refresh_token = self.refresh_token

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "grant_type": grant_type,
                "refresh_token": refresh_token,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        grant_type = cast(Literal["refresh_token"], d.pop("grant_type"))
        if grant_type != "refresh_token":
            raise ValueError(
                f"grant_type must match const 'refresh_token', got '{grant_type}'"
            )

        refresh_token = d.pop("refresh_token")

        refresh_token_grant = cls(
            grant_type=grant_type,
            refresh_token=refresh_token,
        )

        return refresh_token_grant
