"""The IAM's signing keys and id_token verification, with joserfc; no I/O here.

The algorithm comes from the key, never from the token: a JWKS key is used with the `alg` it
declares (or the one its type implies: RS256 for RSA, ES256/384/512 for the P curves, EdDSA for
Ed25519), and a token whose header names another algorithm, `none` included, is refused before
any signature is checked. Symmetric (`oct`) keys in a JWKS are ignored: nobody may publish a key
that verifies tokens anyone holding it could forge.

`KeyCache` knows when a JWKS fetch is worth it: the first time, and when a token names a `kid`
the cache lacks (the IAM rotated its keys) - once per such kid, and at most once per
`refetch_interval`, so tokens with invented kids never turn each login into a fetch.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from joserfc.errors import ExpiredTokenError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry, extract_compact, validate_compact
from joserfc.jwt import JWTClaimsRegistry

from ._errors import DiscoveryError, InvalidIdTokenError

__all__ = ["KeyCache", "key_algorithm"]

# An id_token larger than this is refused unread (a Keycloak id_token is about 1.5 kB).
MAX_ID_TOKEN_BYTES = 16 * 1024

_EC_ALGS = {"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}


def key_algorithm(jwk: Mapping[str, Any]) -> str | None:
    """The one algorithm a public JWK verifies, or None if it is not a signing key we accept."""
    if jwk.get("use", "sig") != "sig":
        return None
    kty = jwk.get("kty")
    declared = jwk.get("alg")
    if kty == "RSA":
        implied: str | None = "RS256"
        allowed = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}
    elif kty == "EC":
        implied = _EC_ALGS.get(str(jwk.get("crv")))
        allowed = {implied} if implied else set()
    elif kty == "OKP" and jwk.get("crv") == "Ed25519":
        implied = "EdDSA"
        allowed = {"EdDSA", "Ed25519"}
    else:
        return None  # oct (shared secrets) and unknown types never verify an id_token
    if declared is None:
        return implied
    return declared if declared in allowed else None


class KeyCache:
    """The JWKS as imported keys by kid, and the refetch decision."""

    def __init__(self, *, clock: Callable[[], float], refetch_interval: float) -> None:
        self._clock = clock
        self._interval = refetch_interval
        self._keys: dict[str | None, tuple[Any, JWSRegistry, str]] = {}
        self._loaded = False
        self._last_refetch: float | None = None
        self._refetched_for: set[str] = set()
        self.fetches = 0  # JWKS documents loaded (for tests and benchmarks)

    @property
    def loaded(self) -> bool:
        return self._loaded

    def load(self, document: Any) -> None:
        """Replace the keys with those of a JWKS document; DiscoveryError if it is not one."""
        if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
            raise DiscoveryError("the JWKS is not a JSON object with a 'keys' list")
        keys: dict[str | None, tuple[Any, JWSRegistry, str]] = {}
        for jwk in document["keys"]:
            if not isinstance(jwk, dict):
                continue
            alg = key_algorithm(jwk)
            if alg is None:
                continue
            try:
                key = KeySet.import_key_set({"keys": [jwk]}).keys[0]
            except (JoseError, ValueError, TypeError, KeyError):
                continue  # one malformed key does not hide the others
            kid = jwk.get("kid")
            registry = JWSRegistry(algorithms=[alg], strict_check_header=False)
            keys[kid if isinstance(kid, str) else None] = (key, registry, alg)
        if not keys:
            raise DiscoveryError("the JWKS has no usable signing key")
        self._keys = keys
        self._loaded = True
        self.fetches += 1

    def should_refetch(self, kid: str | None) -> bool:
        """Whether a token naming `kid` justifies fetching the JWKS again (and records it)."""
        if not self._loaded:
            return True
        if kid is None or kid in self._keys or kid in self._refetched_for:
            return False
        now = self._clock()
        if self._last_refetch is not None and now - self._last_refetch < self._interval:
            return False
        self._last_refetch = now
        if len(self._refetched_for) > 64:
            self._refetched_for.clear()
        self._refetched_for.add(kid)
        return True

    def knows(self, kid: str | None) -> bool:
        """Whether a token naming `kid` (or none) finds its key without a fetch."""
        if kid is None:
            return len(self._keys) == 1 or None in self._keys
        return kid in self._keys

    @staticmethod
    def extract(id_token: str) -> Any:
        """The parsed, unverified JWS of an id_token; InvalidIdTokenError if it is not one."""
        return _extract(id_token)

    @staticmethod
    def kid_in(obj: Any) -> str | None:
        """The `kid` of a parsed token's header (unverified: only to choose a key)."""
        kid = obj.headers().get("kid")
        return kid if isinstance(kid, str) else None

    def verify(
        self, id_token: str, *, issuer: str, audience: str, nonce: str | None, leeway: float
    ) -> dict[str, Any]:
        """`verify_extracted` of a token string."""
        return self.verify_extracted(
            _extract(id_token), issuer=issuer, audience=audience, nonce=nonce, leeway=leeway
        )

    def verify_extracted(
        self,
        obj: Any,
        *,
        issuer: str,
        audience: str,
        nonce: str | None,
        leeway: float,
    ) -> dict[str, Any]:
        """The claims of a valid id_token; InvalidIdTokenError naming what failed otherwise.

        `nonce` None: none is expected (a refresh may omit it; one present is still returned).
        """
        header = obj.headers()
        kid = header.get("kid")
        entry = self._keys.get(kid if isinstance(kid, str) else None)
        if entry is None and kid is None and len(self._keys) == 1:
            entry = next(iter(self._keys.values()))  # one key: a kid is not required
        if entry is None:
            raise InvalidIdTokenError("the id_token is signed with a key the IAM does not publish")
        key, registry, alg = entry
        if header.get("alg") != alg:
            raise InvalidIdTokenError(
                f"the id_token's algorithm {header.get('alg')!r} is not its key's ({alg})"
            )
        try:
            valid = validate_compact(obj, key, registry=registry)
        except JoseError:
            valid = False
        if not valid:
            raise InvalidIdTokenError("the id_token's signature does not verify")
        try:
            claims = json.loads(obj.payload)
        except (TypeError, ValueError):
            raise InvalidIdTokenError("the id_token's payload is not JSON") from None
        if not isinstance(claims, dict):
            raise InvalidIdTokenError("the id_token's payload is not a JSON object")
        _check_claims(claims, issuer, audience, nonce, int(self._clock()), int(leeway))
        return claims


def _extract(id_token: str) -> Any:
    if not isinstance(id_token, str) or not id_token:
        raise InvalidIdTokenError("the token response has no id_token")
    if len(id_token) > MAX_ID_TOKEN_BYTES:
        raise InvalidIdTokenError(f"the id_token is larger than {MAX_ID_TOKEN_BYTES} bytes")
    try:
        return extract_compact(id_token.encode("ascii"))
    except (JoseError, ValueError, UnicodeError):
        raise InvalidIdTokenError("the id_token is not a signed JWT (JWS compact)") from None


def _check_claims(
    claims: dict[str, Any],
    issuer: str,
    audience: str,
    nonce: str | None,
    now: int,
    leeway: int,
) -> None:
    options: dict[str, Any] = {
        "iss": {"essential": True, "value": issuer},
        "sub": {"essential": True},
        "aud": {"essential": True, "value": audience},
        "exp": {"essential": True},
        "iat": {"essential": True},
    }
    if nonce is not None:
        options["nonce"] = {"essential": True, "value": nonce}
    try:
        JWTClaimsRegistry(now=now, leeway=leeway, **options).validate(claims)
    except ExpiredTokenError:
        raise InvalidIdTokenError("the id_token has expired (exp)") from None
    except JoseError as exc:
        # joserfc names the claim (iss, aud, nonce, ...) in its message; no value is quoted.
        raise InvalidIdTokenError(f"the id_token's claims do not hold: {exc}") from None
    # OpenID Connect Core 3.1.3.7: with several audiences, azp must name this app.
    aud = claims["aud"]
    azp = claims.get("azp")
    several = isinstance(aud, list) and len(aud) > 1
    if (several or azp is not None) and azp != audience:
        raise InvalidIdTokenError("the id_token's azp is not this app")
