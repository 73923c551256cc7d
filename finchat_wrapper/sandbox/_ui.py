"""The sandbox in a browser: the page `/_sandbox/ui/` and the API reference `/_sandbox/reference/`.

The page is the static files of `_static/ui/` (HTML, CSS and JavaScript modules, no build step,
nothing from another host). It acts through the simulation API, as a test or `curl` would:
`/_sandbox/simulate/...` for what users do, `/_sandbox/faults` and `/_sandbox/apps/{id}/callback`
for the controls; and reads through it where the API has the answer: a room's messages, the
callback attempts, the searches, media. What only the page needs is here, under
`/_sandbox/ui/api/`:

- `GET world`: apps (without their secrets; the callback and search URLs without their tokens;
  fault plans), users, rooms and the sequence number of the latest change;
- `GET apps/{app_id}/secret`: an app's secret, when the person at the page asks for it;
- `GET events`: server-sent events, one per `Change` of the sandbox's `ChangeFeed` after the
  `Last-Event-ID` (or the latest change): `message`, `room`, `delivery`, `search`, `world`;
  `reset` when the page missed changes and must reload.

Everything is under the control prefix, so `ControlGuard` holds the page, its assets and its
endpoints to the control API's Host and Origin rules. Pages also carry a Content-Security-Policy
that lets them load and run nothing but the sandbox's own files: whatever a bot puts in a
message is shown as text, never run.

The API reference is built by `scripts/reference` (Redoc through `redocly build-docs`, the pinned
Node tools) into `_reference/`: one page per spec of `openapi/`. A wheel carries it built (the
build hook `hatch_build.py`); a checkout builds it with `make setup`.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import AsyncIterator
from dataclasses import asdict
from html import escape
from pathlib import Path
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import BaseRoute, Route

from ._app import error_response, json_bytes, json_response
from ._changes import Change, Gap
from ._faults import FaultPlan
from ._state import RefusalError, State

STATIC_DIR = Path(__file__).resolve().parent / "_static" / "ui"
REFERENCE_DIR = Path(__file__).resolve().parent / "_reference"

# The reference pages, in the order the index lists them: (file, title, what it describes).
REFERENCE_PAGES = (
    ("finchat.html", "FinChat server API", "openapi/finchat.yaml: what a bot calls"),
    ("finchat-iam.html", "FinChat IAM", "openapi/finchat-iam.yaml: Sign in with FinChat"),
    (
        "sandbox-simulation.html",
        "Sandbox simulation API",
        "openapi/sandbox-simulation.yaml: simulate users, inspect, inject faults",
    ),
)

# The page runs its own scripts and styles only; images come from the sandbox's media.
_UI_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# Redoc's pages hydrate from an inline module script and style themselves inline.
_REFERENCE_POLICY = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
_PAGE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
_TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html"}


class UiSource(Protocol):
    """What the UI reads of a sandbox (a `Sandbox`)."""

    @property
    def state(self) -> State: ...

    @property
    def app_id(self) -> str: ...

    def callback_url(self, app_id: str) -> str | None: ...

    def search_callback_url(self, app_id: str) -> str | None: ...

    def fault_plan(self, app_id: str | None = None) -> FaultPlan | None: ...


def plan_view(plan: FaultPlan | None) -> dict[str, Any] | None:
    """A fault plan as the `FaultPlan` schema of the simulation spec writes it."""
    if plan is None:
        return None
    data = asdict(plan)
    data["operations"] = None if plan.operations is None else sorted(plan.operations)
    return data


def world_view(source: UiSource, *, simulation_operations: frozenset[str]) -> dict[str, Any]:
    """The world as the page shows it: no secret, no callback token."""
    state = source.state
    with state.lock:
        apps = [
            {
                "app_id": app.app_id,
                "name": app.name,
                "bot": app.bot,
                "published": app.published,
                "admin": app.admin,
                "callback_url": source.callback_url(app.app_id),
                "search_url": source.search_callback_url(app.app_id),
                "faults": plan_view(source.fault_plan(app.app_id)),
            }
            for app in state.apps.values()
        ]
        users = [
            {"fcid": user.fcid, "profile": user.profile, "is_bot": user.is_bot}
            for user in state.users.values()
        ]
        # Every field a room has (group rooms may gain names), plus how many messages it holds.
        rooms = [
            {**asdict(room), "messages": len(state.room_messages.get(room.room_id, ()))}
            for room in state.rooms.values()
        ]
        seq = state.changes.seq
    return {
        "seq": seq,
        "default_app_id": source.app_id,
        "apps": apps,
        "users": users,
        "rooms": rooms,
        "global_faults": plan_view(source.fault_plan(None)),
        # What the page offers depends on what this sandbox's simulation API has.
        "simulate": sorted(op for op in simulation_operations if op.startswith("simulate_")),
        "reference": reference_available(),
    }


def reference_available() -> bool:
    return all((REFERENCE_DIR / name).is_file() for name, _, _ in REFERENCE_PAGES)


def sse_message(change: Change) -> bytes:
    """One server-sent event; JSON escapes every line break, so `data` is one line."""
    return b"id: %d\nevent: %s\ndata: %s\n\n" % (
        change.seq,
        change.kind.encode(),
        json_bytes(change.data),
    )


class _Asset:
    def __init__(self, path: Path) -> None:
        self.body = path.read_bytes()
        self.media_type = _TYPES.get(path.suffix) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


class SandboxUi:
    """The routes of the UI and the reference, under `prefix` (the control prefix)."""

    def __init__(
        self, source: UiSource, *, prefix: str, simulation_operations: frozenset[str]
    ) -> None:
        self.source = source
        self.prefix = prefix.rstrip("/")
        self.simulation_operations = simulation_operations
        # Read once: a handful of small files, served from memory with an ETag.
        self.assets = {
            path.name: _Asset(path) for path in sorted(STATIC_DIR.iterdir()) if path.is_file()
        }

    def routes(self) -> list[BaseRoute]:
        ui = f"{self.prefix}/ui"
        reference = f"{self.prefix}/reference"
        return [
            Route(ui, self.to_slash, methods=["GET"]),
            Route(f"{ui}/", self.page, methods=["GET"]),
            Route(f"{ui}/api/world", self.world, methods=["GET"]),
            Route(f"{ui}/api/apps/{{app_id}}/secret", self.secret, methods=["GET"]),
            Route(f"{ui}/api/events", self.events, methods=["GET"]),
            Route(f"{ui}/{{name}}", self.asset, methods=["GET"]),
            Route(reference, self.to_slash, methods=["GET"]),
            Route(f"{reference}/", self.reference_index, methods=["GET"]),
            Route(f"{reference}/{{name}}", self.reference_file, methods=["GET"]),
        ]

    # ---- the page ----------------------------------------------------------------------------
    async def to_slash(self, request: Request) -> Response:
        # The page's own URLs are relative to the directory.
        return RedirectResponse(f"{request.url.path}/", status_code=308)

    async def page(self, request: Request) -> Response:
        return self._serve_asset(request, "index.html")

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name == "index.html" or name not in self.assets:
            return error_response(RefusalError(404, "FC_UNKNOWN", "no such file of the UI"))
        return self._serve_asset(request, name)

    def _serve_asset(self, request: Request, name: str) -> Response:
        asset = self.assets[name]
        headers = {**_PAGE_HEADERS, "ETag": asset.etag}
        if asset.media_type == "text/html":
            headers["Content-Security-Policy"] = _UI_POLICY
        if request.headers.get("if-none-match") == asset.etag:
            return Response(status_code=304, headers=headers)
        return Response(asset.body, 200, headers=headers, media_type=asset.media_type)

    # ---- what the page reads -----------------------------------------------------------------
    async def world(self, request: Request) -> Response:
        view = world_view(self.source, simulation_operations=self.simulation_operations)
        return json_response(200, view, {"Cache-Control": "no-store"})

    async def secret(self, request: Request) -> Response:
        app = self.source.state.apps.get(request.path_params["app_id"])
        if app is None:
            return error_response(RefusalError(404, "FC_UNKNOWN", "no such app"))
        data = {"app_id": app.app_id, "secret": app.secret}
        return json_response(200, data, {"Cache-Control": "no-store"})

    async def events(self, request: Request) -> Response:
        feed = self.source.state.changes
        last = request.headers.get("last-event-id", "").strip()
        start = int(last) if last.isdigit() else feed.seq

        async def stream() -> AsyncIterator[bytes]:
            # The page reloads what it shows after this first event, then applies the changes
            # that follow (each idempotent: a message is replaced by its event id).
            yield b"retry: 1000\nid: %d\nevent: hello\ndata: {}\n\n" % start
            async for batch in feed.follow(start):
                if isinstance(batch, Gap):
                    yield b"id: %d\nevent: reset\ndata: {}\n\n" % batch.seq
                elif not batch:
                    yield b": keep-alive\n\n"
                else:
                    yield b"".join(sse_message(change) for change in batch)

        headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
        return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)

    # ---- the API reference -------------------------------------------------------------------
    async def reference_index(self, request: Request) -> Response:
        items = "".join(
            f'<li><a href="{name}">{escape(title)}</a> <span>{escape(about)}</span></li>'
            for name, title, about in REFERENCE_PAGES
        )
        missing = (
            ""
            if reference_available()
            else "<p><strong>Not built here.</strong> In a checkout, <code>make setup</code> "
            "(or <code>make reference</code>) builds it with the pinned Node tools.</p>"
        )
        html = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<title>FinChat API reference</title><link rel="icon" href="data:,">'
            '<link rel="stylesheet" href="../ui/style.css"></head>'
            '<body class="reference-index"><main><h1>FinChat API reference</h1>'
            f"{missing}<ul>{items}</ul>"
            '<p><a href="../ui/">Back to the sandbox</a></p></main></body></html>'
        )
        headers = {**_PAGE_HEADERS, "Content-Security-Policy": _UI_POLICY}
        return HTMLResponse(html, headers=headers)

    async def reference_file(self, request: Request) -> Response:
        name = request.path_params["name"]
        known = {page for page, _, _ in REFERENCE_PAGES} | {"redoc.standalone.js"}
        path = REFERENCE_DIR / name
        if name not in known or not path.is_file():
            return error_response(
                RefusalError(
                    404,
                    "FC_UNKNOWN",
                    "the API reference is not built here (in a checkout: make reference)",
                )
            )
        headers = dict(_PAGE_HEADERS)
        if name.endswith(".html"):
            headers["Content-Security-Policy"] = _REFERENCE_POLICY
        media_type = _TYPES[path.suffix]
        return FileResponse(path, media_type=media_type, headers=headers)
