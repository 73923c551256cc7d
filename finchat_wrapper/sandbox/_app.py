"""The FinChat API over HTTP: a Starlette app with one `Route` per path.

Each route's endpoint is an ASGI object that dispatches on the method itself, so a wrong method
gets 405 with an `Allow` header listing exactly the spec's methods for that path. Requests are
checked in this order: token (401), parameters and body against the spec's schemas (400), then
the app named by the request (404 unknown, 403 unpublished, 401 when the token is another app's).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from ._directory import Directory
from ._faults import DROP_AFTER, DROP_BEFORE, FAULT_HEADER, ErrorFault, RequestFaults
from ._forwarder import Forwarder
from ._rooms import GroupRooms
from ._spec import RouteSpec, Spec
from ._state import RefusalError, State, bad_json, invalid_token
from ._world import App

logger = logging.getLogger("finchat.sandbox")

# (operation id, a function naming the app concerned) -> faults; the app is named lazily since
# finding it may mean parsing the body, wasted work when no per-app plan is installed.
FaultDecider = Callable[[str, Callable[[], str | None]], RequestFaults]

_JSON = "application/json"
# The document's default `page_size` of `pull_events`.
DEFAULT_PULL_PAGE_SIZE = 20


def json_bytes(data: Any) -> bytes:
    """`data` as UTF-8 JSON. A lone surrogate (which requests cannot bring in, but a world file
    can) goes out escaped, valid JSON if not text, rather than failing the answer for good."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode()
    except UnicodeEncodeError:
        return json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode()


def json_response(status: int, data: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(json_bytes(data), status, headers=headers, media_type=_JSON)


def error_response(error: RefusalError, headers: dict[str, str] | None = None) -> Response:
    return json_response(error.status, {"errcode": error.errcode, "error": error.error}, headers)


def _fault_response(fault: ErrorFault) -> Response:
    headers = {}
    if fault.retry_after is not None:
        headers["Retry-After"] = f"{fault.retry_after:g}"
    if fault.html:
        body = f"<html><body><h1>{fault.status} injected</h1></body></html>".encode()
        return Response(body, fault.status, headers=headers, media_type="text/html")
    return error_response(RefusalError(fault.status, fault.errcode, fault.error), headers)


@dataclass
class CheckedRequest:
    """A request after checking: what a handler needs."""

    token_app: str | None
    params: dict[str, str]
    body: Any
    recipient_fails: Callable[[], bool] | None = None


Handler = Callable[[CheckedRequest], Awaitable[Response]]


class MethodDispatch:
    """The ASGI endpoint of one path: method -> handler, 405 with `Allow` otherwise."""

    def __init__(self, handlers: dict[str, Callable[[Request], Awaitable[Response]]]) -> None:
        self.handlers = handlers
        self.allow = ", ".join(sorted(handlers))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        handler = self.handlers.get(request.method)
        if handler is None:
            response: Response = json_response(
                405,
                {"errcode": "FC_UNKNOWN", "error": f"method not allowed; use {self.allow}"},
                {"Allow": self.allow},
            )
        else:
            response = await handler(request)
        await response(scope, receive, send)


class FinChatApi:
    """Turns HTTP requests into `State` operations."""

    def __init__(
        self,
        state: State,
        spec: Spec,
        faults: FaultDecider,
        *,
        max_upload_bytes: int,
        max_json_bytes: int,
        internal_errors: list[BaseException],
        forwarder: Forwarder,
    ) -> None:
        self.state = state
        self.forwarder = forwarder
        self.spec = spec
        self.faults = faults
        self.max_upload_bytes = max_upload_bytes
        self.max_json_bytes = max_json_bytes
        self.internal_errors = internal_errors
        self.rooms = GroupRooms(state)
        self.directory = Directory(state)
        self.handlers: dict[str, Handler] = {
            "get_app_access_token": self.get_app_access_token,
            "send_message": self.send_message,
            "send_message_as_user": self.send_message_as_user,
            "send_webhook_message": self.send_webhook_message,
            "update_cui": self.update_cui,
            "create_room": self.create_room,
            "list_rooms": self.list_rooms,
            "get_room": self.get_room,
            "update_room": self.update_room,
            "get_users_by_authority": self.get_users_by_authority,
            "get_organizations_by_type": self.get_organizations_by_type,
            "get_organization": self.get_organization,
            "get_department": self.get_department,
            "get_user": self.get_user,
            "get_user_friendships": self.get_user_friendships,
            "get_app_friendships": self.get_app_friendships,
            "pull_events": self.pull_events,
            "get_app_visibility": self.get_app_visibility,
        }

    # ---- routing -----------------------------------------------------------------------------
    def routes(self) -> list[BaseRoute]:
        routes: list[BaseRoute] = []
        for path, methods in self.spec.paths().items():
            dispatch = MethodDispatch(
                {method: self._endpoint(op) for method, op in methods.items()}
            )
            routes.append(Route(path, dispatch))
        return routes

    def _endpoint(self, op: RouteSpec) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                return await self._serve(op, request)
            except Exception as exc:  # never let one request crash the sandbox or a test
                logger.exception("sandbox: internal error in %s", op.operation_id)
                self.internal_errors.append(exc)
                return error_response(RefusalError(500, "FC_INTERNAL_ERROR", "internal error"))

        return endpoint

    async def _serve(self, op: RouteSpec, request: Request) -> Response:
        state = self.state
        state.stats.operations[op.operation_id] += 1
        if op.operation_id not in self.handlers and op.operation_id != "upload_media":
            # An operation of the spec the sandbox does not simulate yet (the contract run leaves
            # it out too: finchat_wrapper.contract.NOT_SERVED_YET).
            return error_response(
                RefusalError(501, "FC_UNKNOWN", f"the sandbox does not serve {op.operation_id} yet")
            )
        token_app = state.token_app(_bearer(request)) if op.secured else None
        # JSON bodies are small: read them before deciding faults, so that a token request (no
        # token yet) still meets the faults of the app it names.
        raw = b""
        if op.body is not None:
            try:
                raw = await read_limited(request, self.max_json_bytes)
            except RefusalError as error:
                return error_response(error)
        faults = self.faults(op.operation_id, lambda: token_app or _named_app(request, raw))
        if faults.latency:
            await asyncio.sleep(faults.latency)
        if faults.drop_before:
            return error_response(
                RefusalError(503, "FC_INTERNAL_ERROR", "connection dropped (injected)"),
                {FAULT_HEADER: DROP_BEFORE},
            )
        if faults.error is not None:
            return _fault_response(faults.error)
        if faults.revoke_token and token_app is not None:
            state.revoke_tokens(token_app)
            token_app = None
        try:
            if op.secured and token_app is None:
                raise invalid_token()
            call = CheckedRequest(
                token_app=token_app,
                params=check_params(op, request),
                body=None,
                recipient_fails=faults.recipient_fails,
            )
            if op.operation_id == "upload_media":
                response = await self.upload_media(call, request)
            else:
                call.body = check_json_body(op, request, raw)
                response = await self.handlers[op.operation_id](call)
        except RefusalError as error:
            response = error_response(error)
        if faults.drop_after:
            response.headers[FAULT_HEADER] = DROP_AFTER
        return response

    # ---- operations --------------------------------------------------------------------------
    async def get_app_access_token(self, call: CheckedRequest) -> Response:
        body = call.body
        return json_response(200, self.state.issue_token(body["app_id"], body["secret"]))

    async def send_message(self, call: CheckedRequest) -> Response:
        app = self._app(call, call.body["app_id"])
        return json_response(
            200,
            self.state.send(app, call.body, as_user=False, recipient_fails=call.recipient_fails),
        )

    async def send_message_as_user(self, call: CheckedRequest) -> Response:
        app = self._app(call, call.body["app_id"])
        return json_response(
            200, self.state.send(app, call.body, as_user=True, recipient_fails=call.recipient_fails)
        )

    async def send_webhook_message(self, call: CheckedRequest) -> Response:
        app = self._app(call, call.body["app_id"])
        return json_response(200, self.state.send_webhook(app, call.body))

    async def update_cui(self, call: CheckedRequest) -> Response:
        app = self._app(call, call.body["app_id"])
        return json_response(
            200, self.state.update_cui(app, call.body, recipient_fails=call.recipient_fails)
        )

    async def upload_media(self, call: CheckedRequest, request: Request) -> Response:
        self._app(call, call.params["app_id"])
        content_type = request.headers.get("content-type") or "application/octet-stream"
        # Refused before reading when it cannot fit: a full store takes no body into memory.
        declared = request.headers.get("content-length", "")
        self.state.check_media_room(int(declared) if declared.isdigit() else 1)
        data = await read_limited(request, self.max_upload_bytes)
        if not data:
            raise bad_json("the body is empty; upload at least one byte")
        return json_response(200, {"content_uri": self.state.store_media(data, content_type)})

    async def create_room(self, call: CheckedRequest) -> Response:
        app = self._app(call, call.body["app_id"])
        return json_response(201, self.rooms.create(app, call.body))

    async def list_rooms(self, call: CheckedRequest) -> Response:
        app = self._app(call, call.params["app_id"])
        return json_response(200, self.rooms.list_ids(app))

    async def get_room(self, call: CheckedRequest) -> Response:
        app = self._app(call, call.params["app_id"])
        return json_response(200, self.rooms.detail(app, call.params["room_id"]))

    async def update_room(self, call: CheckedRequest) -> Response:
        app = self._app(call, call.body["app_id"])
        return json_response(200, self.rooms.update(app, call.params["room_id"], call.body))

    async def get_organizations_by_type(self, call: CheckedRequest) -> Response:
        self._app(call, call.params["app_id"])
        found = self.directory.organizations_by_type(
            call.params["fcid"], int(call.params["organization_type"])
        )
        return json_response(200, found)

    async def get_organization(self, call: CheckedRequest) -> Response:
        self._app(call, call.params["app_id"])
        return json_response(200, self.directory.organization(call.params["organization_id"]))

    async def get_department(self, call: CheckedRequest) -> Response:
        self._app(call, call.params["app_id"])
        include = call.params.get("include_sub_departments") == "true"
        found = self.directory.department(
            call.params["department_id"], include_sub_departments=include
        )
        return json_response(200, found)

    async def get_app_visibility(self, call: CheckedRequest) -> Response:
        app = self._app(call, call.params["app_id"])
        return json_response(200, self.directory.visibility(app))

    async def get_users_by_authority(self, call: CheckedRequest) -> Response:
        self._app(call, call.params["app_id"])
        return json_response(200, self.state.users_by_authority(call.params["authority_name"]))

    async def get_user(self, call: CheckedRequest) -> Response:
        self._app(call, call.params["app_id"])
        return json_response(200, self.state.user_detail(call.params["fcid"]))

    async def get_user_friendships(self, call: CheckedRequest) -> Response:
        self._app(call, call.params["app_id"])
        return json_response(200, self.state.user_friendships(call.params["fcid"]))

    async def get_app_friendships(self, call: CheckedRequest) -> Response:
        app = self._app(call, call.params["app_id"])
        return json_response(200, self.state.app_friendships(app))

    async def pull_events(self, call: CheckedRequest) -> Response:
        app = self._app(call, call.params["app_id"])
        page_size = int(call.params.get("page_size", DEFAULT_PULL_PAGE_SIZE))
        page = self.forwarder.page(app.app_id, call.params.get("since", ""), page_size)
        return json_response(200, page)

    def _app(self, call: CheckedRequest, app_id: str) -> App:
        if call.token_app is None:  # unreachable: secured operations checked the token first
            raise invalid_token()
        return self.state.authorize(call.token_app, app_id)


def check_params(op: RouteSpec, request: Request) -> dict[str, str]:
    """The operation's query and path parameters, each checked against its schema."""
    out: dict[str, str] = {}
    for param in op.params:
        if param.location == "path":
            value: str | None = request.path_params.get(param.name)
        else:
            values = request.query_params.getlist(param.name)
            if len(values) > 1:
                raise bad_json(f"query parameter {param.name} given more than once")
            value = values[0] if values else None
        if value is None:
            if param.required:
                raise bad_json(f"missing {param.location} parameter {param.name}")
            continue
        _check(
            param.validator,
            _typed(value, param.json_type),
            f"{param.location} parameter {param.name}",
        )
        out[param.name] = value
    return out


# An integer as a query parameter writes it: digits, maybe a sign (no spaces, no "1e3").
_INTEGER = re.compile(r"[+-]?[0-9]{1,19}")


def _typed(text: str, json_type: str | None) -> Any:
    """What a parameter's text stands for: an integer's digits, `true` / `false` for a boolean
    (as clients write them); any other text stays text, which the schema then refuses."""
    if json_type == "integer" and _INTEGER.fullmatch(text):
        return int(text)
    if json_type == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


def check_json_body(op: RouteSpec, request: Request, raw: bytes) -> Any:
    """The JSON body checked against the operation's schema; None for an operation without one."""
    if op.body is None:
        return None
    content_type = request.headers.get("content-type", _JSON).split(";")[0].strip().lower()
    if content_type != _JSON and not content_type.endswith("+json"):
        raise bad_json("the body must be application/json")
    if not raw.strip() and not op.body_required:
        return {}
    try:
        body = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise bad_json("request body is not valid JSON") from None
    if _SURROGATE_ESCAPE.search(raw) is not None and _holds_lone_surrogate(body):
        # Valid JSON, but not text: it can be neither stored as UTF-8 nor sent on to anyone.
        raise bad_json(
            "the body holds a lone surrogate (a \\ud800-\\udfff escape without its pair)"
        )
    _check(op.body, body, "body")
    return body


# Any surrogate escape, paired or not: a quick look at the bytes before the real check.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _holds_lone_surrogate(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return True
    return False


def _refuse_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity; JSON (RFC 8259) has no such values.
    raise ValueError(f"{name} is not JSON")


def _named_app(request: Request, raw: bytes) -> str | None:
    """The app id a request names, wherever it is, without judging the request."""
    named = request.query_params.get("app_id") or request.path_params.get("app_id")
    if named is None and raw:
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError):
            return None
        if isinstance(body, dict) and isinstance(body.get("app_id"), str):
            return str(body["app_id"])
    return named if isinstance(named, str) else None


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def _check(validator: Draft202012Validator, instance: Any, where: str) -> None:
    error = next(iter(validator.iter_errors(instance)), None)
    if error is not None:
        # Name the place and the rule, never the value: a value may be a secret.
        location = error.json_path if where == "body" else where
        raise bad_json(f"{location}: fails '{error.validator}' of the spec")


async def read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise bad_json(f"the body exceeds the sandbox's limit of {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise bad_json(f"the body exceeds the sandbox's limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def build_starlette(
    api: FinChatApi,
    extra_routes: Sequence[BaseRoute] = (),
    middleware: Sequence[Middleware] = (),
) -> Starlette:
    async def http_error(request: Request, exc: Exception) -> Response:
        # Starlette's own answers (only 404 for an unknown path here) in the error envelope.
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        detail = exc.detail if isinstance(exc, HTTPException) else "internal error"
        headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
        return json_response(status, {"errcode": "FC_UNKNOWN", "error": detail}, headers)

    return Starlette(
        routes=[*api.routes(), *extra_routes],
        middleware=list(middleware),
        exception_handlers={HTTPException: http_error},
    )
