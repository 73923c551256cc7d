"""Where the IAM is: from the URL iam-info gives to the issuer, and the checks on every address.

The upstream document's iam-info example gives `https://host/auth` (Keycloak's server URL) while
its endpoint addresses are `{IAM_HOST}/auth/realms/master/...`, IAM_HOST being iam-info's `url`.
Both readings are accepted: a URL ending in `/auth` is the server URL and the realm is under it;
any other is IAM_HOST and the realm is under `/auth`; a URL that already names a realm
(`.../realms/<name>`) is the issuer itself.
"""

from __future__ import annotations

import httpx

from .._net import is_loopback

__all__ = ["check_endpoint", "check_redirect_uri", "discovery_url", "issuer_for_iam_url"]


def _parse(url: str, what: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        raise ValueError(f"{what} is not a URL") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError(f"{what} must be an absolute http(s) URL")
    if parsed.userinfo:
        raise ValueError(f"{what} must not carry credentials")
    return parsed


def check_endpoint(url: str, what: str, *, allow_insecure_http: bool) -> str:
    """`url` if it is an https URL (or http on loopback, or with allow_insecure_http)."""
    parsed = _parse(url, what)
    if parsed.fragment:
        raise ValueError(f"{what} must not have a fragment")
    if parsed.scheme == "http" and not allow_insecure_http and not is_loopback(parsed.host):
        raise ValueError(
            f"{what} {url!r} is plain http: codes and tokens would cross the network in clear. "
            "Use https, or pass allow_insecure_http=True for a trusted network."
        )
    return url


def check_redirect_uri(url: str, *, allow_insecure_http: bool) -> str:
    """A redirect_uri the client may send: absolute, no fragment (RFC 6749 section 3.1.2)."""
    check_endpoint(url, "redirect_uri", allow_insecure_http=allow_insecure_http)
    return url


def issuer_for_iam_url(url: str, realm: str, *, allow_insecure_http: bool) -> str:
    """The issuer (realm URL) for the IAM URL that iam-info names."""
    check_endpoint(url, "the IAM URL", allow_insecure_http=allow_insecure_http)
    parsed = _parse(url, "the IAM URL")
    if parsed.query:
        raise ValueError("the IAM URL must not have a query")
    base = url.rstrip("/")
    path = parsed.path.rstrip("/")
    if "/realms/" in f"{path}/" and path.rsplit("/", 2)[-2:-1] == ["realms"]:
        return base
    if path.endswith("/auth"):
        return f"{base}/realms/{realm}"
    return f"{base}/auth/realms/{realm}"


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"
