from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="OpenIdConfiguration")


@_attrs_define
class OpenIdConfiguration:
    """OpenID Connect Discovery 1.0 provider metadata (the fields a client of this flow reads)."""

    issuer: str
    """ The `iss` of its id_tokens, e.g. `https://iam.example.org/auth/realms/master`. """
    authorization_endpoint: str
    """ The authorize address. """
    token_endpoint: str
    """ The token address. """
    jwks_uri: str
    """ The key set's address. """
    response_types_supported: list[str]
    subject_types_supported: list[str]
    id_token_signing_alg_values_supported: list[str]
    userinfo_endpoint: str | Unset = UNSET
    """ The userinfo address. """
    end_session_endpoint: str | Unset = UNSET
    """ Where to sign the user out. """
    grant_types_supported: list[str] | Unset = UNSET
    token_endpoint_auth_methods_supported: list[str] | Unset = UNSET
    scopes_supported: list[str] | Unset = UNSET
    claims_supported: list[str] | Unset = UNSET
    code_challenge_methods_supported: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        issuer = self.issuer

        authorization_endpoint = self.authorization_endpoint

        token_endpoint = self.token_endpoint

        jwks_uri = self.jwks_uri

        response_types_supported = self.response_types_supported

        subject_types_supported = self.subject_types_supported

        id_token_signing_alg_values_supported = (
            self.id_token_signing_alg_values_supported
        )

        userinfo_endpoint = self.userinfo_endpoint

        end_session_endpoint = self.end_session_endpoint

        grant_types_supported: list[str] | Unset = UNSET
        if not isinstance(self.grant_types_supported, Unset):
            grant_types_supported = self.grant_types_supported

        token_endpoint_auth_methods_supported: list[str] | Unset = UNSET
        if not isinstance(self.token_endpoint_auth_methods_supported, Unset):
            token_endpoint_auth_methods_supported = (
                self.token_endpoint_auth_methods_supported
            )

        scopes_supported: list[str] | Unset = UNSET
        if not isinstance(self.scopes_supported, Unset):
            scopes_supported = self.scopes_supported

        claims_supported: list[str] | Unset = UNSET
        if not isinstance(self.claims_supported, Unset):
            claims_supported = self.claims_supported

        code_challenge_methods_supported: list[str] | Unset = UNSET
        if not isinstance(self.code_challenge_methods_supported, Unset):
            code_challenge_methods_supported = self.code_challenge_methods_supported

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "issuer": issuer,
                "authorization_endpoint": authorization_endpoint,
                "token_endpoint": token_endpoint,
                "jwks_uri": jwks_uri,
                "response_types_supported": response_types_supported,
                "subject_types_supported": subject_types_supported,
                "id_token_signing_alg_values_supported": id_token_signing_alg_values_supported,
            }
        )
        if userinfo_endpoint is not UNSET:
            field_dict["userinfo_endpoint"] = userinfo_endpoint
        if end_session_endpoint is not UNSET:
            field_dict["end_session_endpoint"] = end_session_endpoint
        if grant_types_supported is not UNSET:
            field_dict["grant_types_supported"] = grant_types_supported
        if token_endpoint_auth_methods_supported is not UNSET:
            field_dict["token_endpoint_auth_methods_supported"] = (
                token_endpoint_auth_methods_supported
            )
        if scopes_supported is not UNSET:
            field_dict["scopes_supported"] = scopes_supported
        if claims_supported is not UNSET:
            field_dict["claims_supported"] = claims_supported
        if code_challenge_methods_supported is not UNSET:
            field_dict["code_challenge_methods_supported"] = (
                code_challenge_methods_supported
            )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        issuer = d.pop("issuer")

        authorization_endpoint = d.pop("authorization_endpoint")

        token_endpoint = d.pop("token_endpoint")

        jwks_uri = d.pop("jwks_uri")

        response_types_supported = cast(list[str], d.pop("response_types_supported"))

        subject_types_supported = cast(list[str], d.pop("subject_types_supported"))

        id_token_signing_alg_values_supported = cast(
            list[str], d.pop("id_token_signing_alg_values_supported")
        )

        userinfo_endpoint = d.pop("userinfo_endpoint", UNSET)

        end_session_endpoint = d.pop("end_session_endpoint", UNSET)

        grant_types_supported = cast(list[str], d.pop("grant_types_supported", UNSET))

        token_endpoint_auth_methods_supported = cast(
            list[str], d.pop("token_endpoint_auth_methods_supported", UNSET)
        )

        scopes_supported = cast(list[str], d.pop("scopes_supported", UNSET))

        claims_supported = cast(list[str], d.pop("claims_supported", UNSET))

        code_challenge_methods_supported = cast(
            list[str], d.pop("code_challenge_methods_supported", UNSET)
        )

        open_id_configuration = cls(
            issuer=issuer,
            authorization_endpoint=authorization_endpoint,
            token_endpoint=token_endpoint,
            jwks_uri=jwks_uri,
            response_types_supported=response_types_supported,
            subject_types_supported=subject_types_supported,
            id_token_signing_alg_values_supported=id_token_signing_alg_values_supported,
            userinfo_endpoint=userinfo_endpoint,
            end_session_endpoint=end_session_endpoint,
            grant_types_supported=grant_types_supported,
            token_endpoint_auth_methods_supported=token_endpoint_auth_methods_supported,
            scopes_supported=scopes_supported,
            claims_supported=claims_supported,
            code_challenge_methods_supported=code_challenge_methods_supported,
        )

        open_id_configuration.additional_properties = d
        return open_id_configuration

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
