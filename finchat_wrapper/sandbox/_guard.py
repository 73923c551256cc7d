"""Who may use the control API (`/_sandbox/...`): programs and the sandbox's own pages, never a
web page of another origin.

The control API needs no credentials and its state export holds every app's secret, so a page
in the user's browser must not reach it, though the browser runs on the very machine the sandbox
listens on. `ControlGuard`, an ASGI middleware on every path under its prefix, refuses:

- a `Host` that does not name the sandbox (403): its bound host, `localhost` or `*.localhost`, or
  an IP address. A DNS-rebinding page reaches 127.0.0.1 under its own domain name, and the
  browser sends that name.
- a cross-origin request (403): an `Origin` other than the sandbox's own (`http://` + the
  `Host`), or a `Sec-Fetch-Site` other than `same-origin` or `none` (typed by the user). Browsers
  send one or both on every request a page makes, including the form posts and "simple"
  requests that need no CORS preflight; programs like curl send neither.
- a body that is not declared `application/json` (400 `FC_BAD_JSON`): a page may post
  `text/plain` without a preflight, never `application/json`.

Pages the sandbox serves itself under the prefix (a browser UI) pass all three: their requests
are same-origin. Everything else (the FinChat API) passes through untouched.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable

import httpx
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["ControlGuard"]

# What Sec-Fetch-Site says for the sandbox's own pages, and for an address the user typed.
_OWN_FETCHES = frozenset({"same-origin", "none"})


def host_name(host_header: str) -> str | None:
    """The name of a `Host` header (`name`, `name:port`, `[v6]:port`), lowercased; None if
    malformed."""
    value = host_header.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return None
        return name
    name, colon, port = value.partition(":")
    if not name or (colon and not port.isdigit()):
        return None
    return name


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def names_the_sandbox(host_header: str, bound_host: str) -> bool:
    """Whether a request's `Host` is one the sandbox answers as (see the module docstring)."""
    name = host_name(host_header)
    if name is None:
        return False
    return (
        name == bound_host.lower().strip("[]")
        or name == "localhost"
        or name.endswith(".localhost")
        or _is_ip(name)
    )


def is_same_origin(origin: str, scheme: str, host_header: str) -> bool:
    return origin.strip().lower() == f"{scheme}://{host_header.strip().lower()}"


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class ControlGuard:
    """ASGI middleware enforcing the module's rules on the paths under `prefix`.

    `base_url()` gives the URL the sandbox is reached at now (its socket's while served), whose
    host is the bound host.
    """

    def __init__(self, app: ASGIApp, *, prefix: str, base_url: Callable[[], str]) -> None:
        self.app = app
        self.prefix = prefix.rstrip("/")
        self.base_url = base_url

    def _refusal(self, scope: Scope) -> tuple[int, str, str] | None:
        """(status, errcode, why) for a request the rules refuse, None for one they let in."""
        headers: dict[str, str] = {}
        for key, value in scope.get("headers", ()):
            name = key.decode("latin-1").lower()
            # Two Host or Origin headers: ambiguous, and only a forged request has them.
            if name in headers and name in ("host", "origin", "sec-fetch-site", "content-type"):
                return 400, "FC_BAD_JSON", f"the {name} header is given twice"
            headers[name] = value.decode("latin-1")
        bound = httpx.URL(self.base_url()).host
        host = headers.get("host", "")
        if not names_the_sandbox(host, bound):
            return (
                403,
                "FC_UNKNOWN",
                "the Host header does not name this sandbox (its bound host, localhost or an IP "
                "address): the control API answers no other name, so that no DNS-rebinding page "
                "reaches it",
            )
        origin = headers.get("origin")
        if origin is not None and not is_same_origin(origin, scope.get("scheme", "http"), host):
            return 403, "FC_UNKNOWN", "a cross-origin request: the control API is not for pages"
        fetch_site = headers.get("sec-fetch-site")
        if fetch_site is not None and fetch_site.strip().lower() not in _OWN_FETCHES:
            return 403, "FC_UNKNOWN", "a cross-site request: the control API is not for pages"
        has_body = headers.get("content-length", "0").strip() not in ("", "0") or (
            "transfer-encoding" in headers
        )
        if has_body and not _is_json(headers.get("content-type", "")):
            return 400, "FC_BAD_JSON", "the body must be declared Content-Type: application/json"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        guarded = scope["type"] in ("http", "websocket") and (
            path == self.prefix or path.startswith(self.prefix + "/")
        )
        refusal = self._refusal(scope) if guarded else None
        if refusal is None:
            await self.app(scope, receive, send)
            return
        status, errcode, why = refusal
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        body = json.dumps({"errcode": errcode, "error": why}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
