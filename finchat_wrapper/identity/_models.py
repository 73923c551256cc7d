"""The typed values of a sign-in: the IAM's description, a started authorization, the user, and
the session an app keeps for them.

All are frozen: a refresh gives a new `UserSession` (one `generation` higher), never a changed
one, so a request holding the old session can tell that another has refreshed it meanwhile.
Tokens, the state, the nonce and the PKCE verifier never appear in a repr.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Authorization", "ProviderMetadata", "User", "UserSession"]


@dataclass(frozen=True, slots=True)
class ProviderMetadata:
    """The parts of the IAM's OpenID configuration the client uses (`raw` has all of it)."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None = None
    code_challenge_methods_supported: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def supports_pkce_s256(self) -> bool:
        return "S256" in self.code_challenge_methods_supported


@dataclass(frozen=True, slots=True)
class Authorization:
    """A sign-in in progress: send the user to `url`, keep the rest until the callback.

    `to_dict()` / `from_dict()` let an app keep it where it likes (a signed cookie, a server-side
    session). It is single use: `exchange` refuses its state a second time.
    """

    url: str = field(repr=False)
    redirect_uri: str
    state: str = field(repr=False)
    nonce: str = field(repr=False)
    code_verifier: str | None = field(repr=False)
    scope: str
    created_at: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "redirect_uri": self.redirect_uri,
            "state": self.state,
            "nonce": self.nonce,
            "code_verifier": self.code_verifier,
            "scope": self.scope,
            "created_at": self.created_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Authorization:
        """Rebuild from `to_dict()` (without the URL, which the callback does not need)."""
        try:
            verifier = data.get("code_verifier")
            created = data["created_at"]
            values = (data["redirect_uri"], data["state"], data["nonce"], data["scope"])
        except (KeyError, TypeError, AttributeError):
            raise ValueError("not a stored Authorization") from None
        if not all(isinstance(v, str) and v for v in values) or not (
            verifier is None or isinstance(verifier, str)
        ):
            raise ValueError("not a stored Authorization")
        if isinstance(created, bool) or not isinstance(created, int | float):
            raise ValueError("not a stored Authorization")
        redirect_uri, state, nonce, scope = values
        return cls("", redirect_uri, state, nonce, verifier, scope, float(created))


def _opt_str(claims: Mapping[str, Any], name: str) -> str | None:
    value = claims.get(name)
    return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class User:
    """Who signed in, from the verified id_token: `fcid` is the user's id in FinChat.

    The FinChat IAM puts `fcid`, `name` and `organization_id` in the id_token; any other
    provider's claims are in `claims` (all of them, as verified).
    """

    sub: str
    fcid: str | None
    name: str | None
    organization_id: str | None
    email: str | None = None
    phone_number: str | None = None
    claims: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> User:
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub:
            raise ValueError("claims without a sub")
        return cls(
            sub=sub,
            fcid=_opt_str(claims, "fcid"),
            name=_opt_str(claims, "name"),
            organization_id=_opt_str(claims, "organization_id"),
            email=_opt_str(claims, "email"),
            phone_number=_opt_str(claims, "phone_number"),
            claims=dict(claims),
        )

    def to_dict(self) -> dict[str, Any]:
        return dict(self.claims) if self.claims else {"sub": self.sub}


@dataclass(frozen=True, slots=True)
class UserSession:
    """A signed-in user: who they are and the IAM tokens that act for them.

    Times are seconds since the epoch on the client's clock. `refresh_expires_at` is None when the
    IAM gave no lifetime for the refresh token (Keycloak's offline tokens), or gave none at all.
    `generation` counts refreshes; `session_id` is the client's own id for this sign-in, stable
    across refreshes, and what single flight and session stores key on.
    """

    session_id: str
    user: User
    access_token: str = field(repr=False)
    access_expires_at: float
    refresh_token: str | None = field(repr=False)
    refresh_expires_at: float | None
    id_token: str = field(repr=False)
    scope: str
    generation: int = 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict for a session store; it holds the tokens: keep it server-side."""
        return {
            "session_id": self.session_id,
            "user": self.user.to_dict(),
            "access_token": self.access_token,
            "access_expires_at": self.access_expires_at,
            "refresh_token": self.refresh_token,
            "refresh_expires_at": self.refresh_expires_at,
            "id_token": self.id_token,
            "scope": self.scope,
            "generation": self.generation,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UserSession:
        try:
            return cls(
                session_id=str(data["session_id"]),
                user=User.from_claims(data["user"]),
                access_token=str(data["access_token"]),
                access_expires_at=float(data["access_expires_at"]),
                refresh_token=None if data["refresh_token"] is None else str(data["refresh_token"]),
                refresh_expires_at=(
                    None
                    if data["refresh_expires_at"] is None
                    else float(data["refresh_expires_at"])
                ),
                id_token=str(data["id_token"]),
                scope=str(data["scope"]),
                generation=int(data["generation"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ValueError("not a stored UserSession") from None
