from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="JsonWebKey")


@_attrs_define
class JsonWebKey:
    """One public key (RFC 7517, 4); RSA keys carry `n` and `e`."""

    kty: str
    """ The key type, e.g. `RSA`. """
    kid: str | Unset = UNSET
    """ The key's id; an id_token's header names the key that signed it. """
    use: str | Unset = UNSET
    """ `sig` for signing keys. """
    alg: str | Unset = UNSET
    """ The algorithm, e.g. `RS256`. """
    n: str | Unset = UNSET
    """ RSA modulus (base64url). """
    e: str | Unset = UNSET
    """ RSA exponent (base64url). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kty = self.kty

        kid = self.kid

        use = self.use

        alg = self.alg

        n = self.n

        e = self.e

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kty": kty,
            }
        )
        if kid is not UNSET:
            field_dict["kid"] = kid
        if use is not UNSET:
            field_dict["use"] = use
        if alg is not UNSET:
            field_dict["alg"] = alg
        if n is not UNSET:
            field_dict["n"] = n
        if e is not UNSET:
            field_dict["e"] = e

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        kty = d.pop("kty")

        kid = d.pop("kid", UNSET)

        use = d.pop("use", UNSET)

        alg = d.pop("alg", UNSET)

        n = d.pop("n", UNSET)

        e = d.pop("e", UNSET)

        json_web_key = cls(
            kty=kty,
            kid=kid,
            use=use,
            alg=alg,
            n=n,
            e=e,
        )

        json_web_key.additional_properties = d
        return json_web_key

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
