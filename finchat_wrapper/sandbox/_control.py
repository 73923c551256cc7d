"""The `/_sandbox` HTTP API of `openapi/sandbox-simulation.yaml`: simulate, inspect, control.

Requests are checked against that file's schemas exactly as FinChat requests are against
`finchat.yaml`; the handlers call the same Python methods a test calls on `Sandbox`.
"""

from __future__ import annotations

import base64
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from . import _index
from ._app import (
    MethodDispatch,
    check_json_body,
    check_params,
    error_response,
    json_bytes,
    json_response,
    read_limited,
)
from ._clock import VirtualClock
from ._delivery import CallbackAttempt
from ._faults import ErrorFault, FaultPlan
from ._simulate import Simulated, SimulationError
from ._spec import RouteSpec, Spec
from ._state import RefusalError, bad_json
from ._world import Media

if TYPE_CHECKING:
    from ._sandbox import Sandbox

logger = logging.getLogger("finchat.sandbox")

Handler = Callable[[dict[str, str], Any], Awaitable[Response]]


def _not_found(what: str) -> RefusalError:
    return RefusalError(404, "FC_UNKNOWN", what)


class ControlApi:
    def __init__(
        self, sandbox: Sandbox, spec: Spec, max_json_bytes: int, specs: Mapping[str, Path]
    ) -> None:
        self.sandbox = sandbox
        self.spec = spec
        self.max_json_bytes = max_json_bytes
        self.specs = dict(specs)
        # Operations that answer according to the request itself (its Accept header).
        self.pages: dict[str, Callable[[Request], Awaitable[Response]]] = {
            "sandbox_index": self.index,
        }
        self.handlers: dict[str, Handler] = {
            "get_spec": self.get_spec,
            "simulate_user_message": self.simulate_user_message,
            "simulate_mention": self.simulate_mention,
            "simulate_room_message": self.simulate_room_message,
            "simulate_open_direct_room": self.simulate_open_direct_room,
            "simulate_submit_cui": self.simulate_submit_cui,
            "simulate_webhook": self.simulate_webhook,
            "simulate_apply_for_app": self.simulate_apply_for_app,
            "simulate_app_status": self.simulate_app_status,
            "simulate_app_visibility": self.simulate_app_visibility,
            "simulate_sensitive_word": self.simulate_sensitive_word,
            "simulate_search": self.simulate_search,
            "set_callback": self.set_callback,
            "delete_callback": self.delete_callback,
            "set_search_callback": self.set_search_callback,
            "delete_search_callback": self.delete_search_callback,
            "advance_clock": self.advance_clock,
            "revoke_tokens": self.revoke_tokens,
            "set_faults": self.set_faults,
            "clear_faults": self.clear_faults,
            "room_messages": self.room_messages,
            "message_deliveries": self.message_deliveries,
            "callback_attempts": self.callback_attempts,
            "search_records": self.search_records,
            "forwarded_events": self.forwarded_events,
            "get_media": self.get_media,
            "get_stats": self.get_stats,
            "export_state": self.export_state,
            **sandbox.iam.control_handlers(),
        }
        missing = set(spec.operations) ^ set(self.handlers) ^ set(self.pages)
        if missing:
            raise RuntimeError(f"simulation spec and handlers differ: {sorted(missing)}")

    def routes(self) -> list[BaseRoute]:
        routes: list[BaseRoute] = [
            Route(path, MethodDispatch({m: self._endpoint(op) for m, op in methods.items()}))
            for path, methods in self.spec.paths().items()
        ]
        # The index is also `/_sandbox/`, the address printed (a spec path has no final slash).
        index = self.spec.operations["sandbox_index"]
        routes.append(Route(index.path + "/", MethodDispatch({"GET": self._endpoint(index)})))
        return routes

    def _endpoint(self, op: RouteSpec) -> Callable[[Request], Awaitable[Response]]:
        if op.operation_id in self.pages:
            return self.pages[op.operation_id]
        handler = self.handlers[op.operation_id]

        async def endpoint(request: Request) -> Response:
            try:
                params = check_params(op, request)
                raw = await read_limited(request, self.max_json_bytes) if op.body else b""
                return await handler(params, check_json_body(op, request, raw))
            except RefusalError as error:
                return error_response(error)
            except SimulationError as exc:
                return error_response(_not_found(str(exc)))
            except Exception as exc:  # never crash a test through the control API either
                logger.exception("sandbox: internal error in %s", op.operation_id)
                self.sandbox.internal_errors.append(exc)
                return error_response(RefusalError(500, "FC_INTERNAL_ERROR", "internal error"))

        return endpoint

    # ---- the index and the specs --------------------------------------------------------------
    async def index(self, request: Request) -> Response:
        data = _index.index(
            request,
            base_url=self.sandbox.base_url,
            app_id=self.sandbox.app_id,
            simulation=self.spec,
            specs=list(self.specs),
        )
        return _index.page(data) if _index.wants_html(request) else json_response(200, data)

    async def get_spec(self, params: dict[str, str], body: Any) -> Response:
        path = self.specs.get(params["name"])
        if path is None:  # the parameter's enum refuses other names first
            raise _not_found(f"no spec {params['name']}")
        return Response(path.read_bytes(), 200, media_type="application/yaml")

    # ---- simulate ----------------------------------------------------------------------------
    async def _simulated(
        self, params: dict[str, str], run: Callable[[bool], Awaitable[Simulated]]
    ) -> Response:
        wait = params.get("wait") != "false"
        simulated = await run(wait)
        return json_response(200 if wait else 202, simulated.to_dict())

    async def simulate_user_message(self, params: dict[str, str], body: Any) -> Response:
        sim = self.sandbox.simulate
        return await self._simulated(
            params,
            lambda wait: sim.user_message(
                body["fcid"],
                body["body"],
                msgtype=body.get("msgtype", "m.text"),
                fields=body.get("fields"),
                app_id=body.get("app_id"),
                wait=wait,
            ),
        )

    async def simulate_mention(self, params: dict[str, str], body: Any) -> Response:
        sim = self.sandbox.simulate
        return await self._simulated(
            params,
            lambda wait: sim.mention(
                body["fcid"],
                body["room_id"],
                body.get("body"),
                app_id=body.get("app_id"),
                wait=wait,
            ),
        )

    async def simulate_room_message(self, params: dict[str, str], body: Any) -> Response:
        sim = self.sandbox.simulate
        return await self._simulated(
            params,
            lambda wait: sim.room_message(
                body["fcid"],
                body["room_id"],
                body["body"],
                msgtype=body.get("msgtype", "m.text"),
                fields=body.get("fields"),
                wait=wait,
            ),
        )

    async def simulate_open_direct_room(self, params: dict[str, str], body: Any) -> Response:
        sim = self.sandbox.simulate
        return await self._simulated(
            params,
            lambda wait: sim.open_direct_room(body["fcid"], app_id=body.get("app_id"), wait=wait),
        )

    async def simulate_submit_cui(self, params: dict[str, str], body: Any) -> Response:
        sim = self.sandbox.simulate
        return await self._simulated(
            params,
            lambda wait: sim.submit_cui(
                body["fcid"],
                body["origin_event"],
                body.get("info", {}),
                action=body.get("action", "submit"),
                app_id=body.get("app_id"),
                wait=wait,
            ),
        )

    async def simulate_webhook(self, params: dict[str, str], body: Any) -> Response:
        sim = self.sandbox.simulate
        return await self._simulated(
            params,
            lambda wait: sim.webhook(
                body["webhook_id"],
                body.get("content", {}),
                room_id=body.get("room_id"),
                app_id=body.get("app_id"),
                wait=wait,
            ),
        )

    async def simulate_apply_for_app(self, params: dict[str, str], body: Any) -> Response:
        sim = self.sandbox.simulate
        return await self._simulated(
            params, lambda wait: sim.apply_for_app(body["fcid"], body["app_id"], wait=wait)
        )

    async def simulate_app_status(self, params: dict[str, str], body: Any) -> Response:
        sim = self.sandbox.simulate
        return await self._simulated(
            params,
            lambda wait: sim.app_status(
                body["app_id"],
                from_status=body["from_status"],
                to_status=body["to_status"],
                operation=body["operation"],
                operator=body.get("operator"),
                operator_role=body.get("operator_role", "administrator"),
                wait=wait,
            ),
        )

    async def simulate_app_visibility(self, params: dict[str, str], body: Any) -> Response:
        sim = self.sandbox.simulate
        return await self._simulated(
            params,
            lambda wait: sim.app_visibility(
                body["app_id"],
                added=body.get("added", []),
                removed=body.get("removed", []),
                administrator=body.get("administrator"),
                wait=wait,
            ),
        )

    async def simulate_sensitive_word(self, params: dict[str, str], body: Any) -> Response:
        sim = self.sandbox.simulate
        return await self._simulated(
            params,
            lambda wait: sim.sensitive_word(
                body["fcid"],
                body["room_id"],
                body["body"],
                body["sensitive_word"],
                disposal=body.get("disposal", "禁止发送"),
                wait=wait,
            ),
        )

    async def simulate_search(self, params: dict[str, str], body: Any) -> Response:
        record = await self.sandbox.simulate.search(
            body["fcid"],
            body["search_text"],
            page_no=body.get("page_no", 0),
            page_size=body.get("page_size", 10),
            app_id=body.get("app_id"),
        )
        return json_response(200, dataclasses.asdict(record))

    # ---- control -----------------------------------------------------------------------------
    def _app(self, params: dict[str, str]) -> str:
        """The app of the path; an unknown one is a 404 before anything changes."""
        app_id = params["app_id"]
        if app_id not in self.sandbox.state.apps:
            raise _not_found(f"no app {app_id}")
        return app_id

    async def set_callback(self, params: dict[str, str], body: Any) -> Response:
        self.sandbox.set_callback(self._app(params), body["url"], body["token"])
        return Response(status_code=204)

    async def delete_callback(self, params: dict[str, str], body: Any) -> Response:
        self.sandbox.remove_callback(self._app(params))
        return Response(status_code=204)

    async def set_search_callback(self, params: dict[str, str], body: Any) -> Response:
        self.sandbox.set_search_callback(self._app(params), body["url"], body["token"])
        return Response(status_code=204)

    async def delete_search_callback(self, params: dict[str, str], body: Any) -> Response:
        self.sandbox.remove_search_callback(self._app(params))
        return Response(status_code=204)

    async def advance_clock(self, params: dict[str, str], body: Any) -> Response:
        if not isinstance(self.sandbox.clock, VirtualClock):
            raise RefusalError(
                409, "FC_UNKNOWN", "the sandbox runs on the wall clock, not a virtual one"
            )
        await self.sandbox.advance(float(body["seconds"]))
        return json_response(200, {"now": self.sandbox.clock()})

    async def revoke_tokens(self, params: dict[str, str], body: Any) -> Response:
        return json_response(200, {"revoked": self.sandbox.revoke_tokens(body.get("app_id"))})

    async def set_faults(self, params: dict[str, str], body: Any) -> Response:
        fields = dict(body)
        app_id = fields.pop("app_id", None)
        if "errors" in fields:
            fields["errors"] = tuple(ErrorFault(**e) for e in fields["errors"])
        if "operations" in fields:
            fields["operations"] = frozenset(fields["operations"])
        try:
            plan = FaultPlan(**fields)
        except (TypeError, ValueError) as exc:
            raise bad_json(f"invalid fault plan: {exc}") from None
        try:
            self.sandbox.set_faults(plan, app_id=app_id)
        except KeyError:
            raise _not_found(f"no app {app_id}") from None
        return Response(status_code=204)

    async def clear_faults(self, params: dict[str, str], body: Any) -> Response:
        app_id = params.get("app_id")
        if app_id is not None and app_id not in self.sandbox.state.apps:
            raise _not_found(f"no app {app_id}")
        self.sandbox.set_faults(None, app_id=app_id)
        return Response(status_code=204)

    # ---- inspect -----------------------------------------------------------------------------
    async def room_messages(self, params: dict[str, str], body: Any) -> Response:
        room_id = params["room_id"]
        if room_id not in self.sandbox.state.rooms:
            raise _not_found(f"no room {room_id}")
        return json_response(200, [dataclasses.asdict(m) for m in self.sandbox.sent(room_id)])

    async def message_deliveries(self, params: dict[str, str], body: Any) -> Response:
        return json_response(200, [dataclasses.asdict(d) for d in self.sandbox.delivery_log])

    async def callback_attempts(self, params: dict[str, str], body: Any) -> Response:
        return json_response(200, [_attempt(a) for a in self.sandbox.callback_log])

    async def search_records(self, params: dict[str, str], body: Any) -> Response:
        return json_response(200, [dataclasses.asdict(r) for r in self.sandbox.search_log])

    async def forwarded_events(self, params: dict[str, str], body: Any) -> Response:
        return json_response(200, self.sandbox.forwarded(self._app(params)))

    async def get_media(self, params: dict[str, str], body: Any) -> Response:
        try:
            data, content_type = self.sandbox.media(params["uri"])
        except KeyError:
            raise _not_found("no such media") from None
        # The browser UI shows media from this origin, the control API's: an uploaded HTML or
        # SVG file opened from it must run nothing there (it could read every secret).
        headers = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"}
        return Response(data, 200, headers=headers, media_type=content_type)

    async def get_stats(self, params: dict[str, str], body: Any) -> Response:
        return json_response(200, dict(self.sandbox.stats.operations))

    async def export_state(self, params: dict[str, str], body: Any) -> Response:
        head, media = self.sandbox.state.export_parts()
        # A sync iterator: Starlette runs it in a worker thread, so the event loop keeps serving
        # while hundreds of MiB of media are encoded, a piece at a time.
        return StreamingResponse(_export_chunks(head, media), media_type="application/json")


def _attempt(attempt: CallbackAttempt) -> dict[str, Any]:
    return {**dataclasses.asdict(attempt), "retry": attempt.retry}


# Bytes of media per base64 piece of the export: a multiple of 3, so pieces join without padding.
_EXPORT_PIECE = 3 * 1024 * 1024


def _export_chunks(head: dict[str, Any], media: list[Media]) -> Iterator[bytes]:
    """The world file format (`World.to_dict()`) as JSON, written piece by piece."""
    opening = json_bytes({**head, "media": []})
    yield opening[: -len(b"]}")]  # everything up to the media list's opening bracket
    for index, item in enumerate(media):
        fields = json_bytes({"content_uri": item.content_uri, "content_type": item.content_type})
        yield (b"," if index else b"") + fields[:-1] + b',"data_base64":"'
        data = memoryview(item.data)
        for start in range(0, len(data), _EXPORT_PIECE):
            yield base64.b64encode(data[start : start + _EXPORT_PIECE])
        yield b'"}'
    yield b"]}"
