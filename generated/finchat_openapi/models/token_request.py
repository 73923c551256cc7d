from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TokenRequest")


@_attrs_define
class TokenRequest:
    app_id: str
    """ An app's id, as issued when the app is created. """
    secret: str
    """ The app's secret. """

    def to_dict(self) -> dict[str, Any]:
        app_id = self.app_id

        secret = self.secret

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "app_id": app_id,
                "secret": secret,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        app_id = d.pop("app_id")

        secret = d.pop("secret")

        token_request = cls(
            app_id=app_id,
            secret=secret,
        )

        return token_request
