"""`GET /_sandbox/`: what a running sandbox serves, as JSON for tools or a page for a person.

It lists the base URL, the default app's id (never a secret), the specs it serves under
`/_sandbox/specs/`, the operations of the simulation API and the sandbox's web pages (its UI
under `/_sandbox/ui/`, the API reference under `/_sandbox/reference/`). Like every `/_sandbox`
path it sits behind the control API's guard.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ._spec import Spec, spec_file

SPECS_PATH = "/_sandbox/specs/"
UI_PATH = "/_sandbox/ui/"
REFERENCE_PATH = "/_sandbox/reference/"


def spec_files(finchat: Path, simulation: Path) -> dict[str, Path]:
    """The spec files a sandbox serves, by the name they are served under."""
    return {
        "finchat.yaml": finchat,
        "finchat-iam.yaml": spec_file("finchat-iam.yaml"),
        "sandbox-simulation.yaml": simulation,
    }


def web_pages(app: object, base_url: str) -> dict[str, str]:
    """The web pages of the sandbox app `app`, name -> URL: its UI and API reference (those
    mounted), the IAM's OpenID configuration."""
    found = {
        name: base_url + path
        for name, path in (("ui", UI_PATH), ("reference", REFERENCE_PATH))
        if _mounted(app, path)
    }
    found["openid_configuration"] = (
        f"{base_url}/auth/realms/master/.well-known/openid-configuration"
    )
    return found


def index(
    request: Request, *, base_url: str, app_id: str, simulation: Spec, specs: Sequence[str]
) -> dict[str, Any]:
    """The index as data (the `SandboxIndex` schema of the simulation spec)."""
    operations = [
        {
            "operation_id": op.operation_id,
            "method": op.method,
            "path": op.path,
            "summary": _summary(simulation.document, op.path, op.method),
        }
        for op in simulation.operations.values()
    ]
    pages = {
        "openid_configuration": f"{base_url}/auth/realms/master/.well-known/openid-configuration"
    }
    if _mounted(request, UI_PATH):
        pages = {"ui": base_url + UI_PATH, **pages}
    return {
        "base_url": base_url,
        "app_id": app_id,
        "specs": {name: f"{base_url}{SPECS_PATH}{name}" for name in specs},
        "operations": operations,
        "pages": web_pages(request.scope.get("app"), base_url),
    }


def wants_html(request: Request) -> bool:
    """A browser asks for HTML first; tools (curl, httpx) ask for anything, and get JSON."""
    accept = request.headers.get("accept", "")
    return accept.split(",", 1)[0].strip().startswith("text/html")


def page(data: Mapping[str, Any]) -> Response:
    """The index as a small page of links: no script, no style sheet, nothing fetched."""

    def link(url: str, text: str) -> str:
        return f'<a href="{html.escape(url)}">{html.escape(text)}</a>'

    rows = "".join(
        f"<tr><td>{html.escape(op['method'])}</td><td><code>{html.escape(op['path'])}</code></td>"
        f"<td>{html.escape(op['summary'])}</td></tr>"
        for op in data["operations"]
    )
    specs = "".join(f"<li>{link(url, name)}</li>" for name, url in data["specs"].items())
    pages = "".join(f"<li>{link(url, name)}</li>" for name, url in data["pages"].items())
    body = (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<title>FinChat sandbox</title></head><body>"
        f"<h1>FinChat sandbox</h1><p>Base URL <code>{html.escape(data['base_url'])}</code>, "
        f"app <code>{html.escape(data['app_id'])}</code>.</p>"
        f"<h2>Pages</h2><ul>{pages}</ul><h2>Specs</h2><ul>{specs}</ul>"
        f"<h2>Simulation API</h2><table>{rows}</table></body></html>"
    )
    return HTMLResponse(body)


def _summary(document: Mapping[str, Any], path: str, method: str) -> str:
    return str(document["paths"][path][method.lower()].get("summary", ""))


def _mounted(app: object, prefix: str) -> bool:
    routes = getattr(app, "routes", ())
    return any(str(getattr(route, "path", "")).startswith(prefix.rstrip("/")) for route in routes)
