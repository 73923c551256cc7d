"""The webhook endpoint: a plain ASGI app that verifies, deduplicates and dispatches callbacks,
and answers shortcut searches.

Plain ASGI so that it mounts in any framework (Starlette `Mount`, FastAPI `app.mount`, Django
Channels...) or runs alone under uvicorn (`finchat listen`). The answers to an event (PUT):

| status | when | FinChat then |
| --- | --- | --- |
| 200 | handled, a duplicate of a handled event, or no handler for it | stops delivering |
| 400 | body not JSON, not a callback, or a known event missing a field | (bad sender) |
| 401 | token missing or wrong; nothing is parsed further or handled | (bad sender) |
| 403 | the callback's `app_id` names another app than the receiver's `app_id` | delivers again |
| 405 | not a PUT (or a POST, when a search handler is registered); `Allow` | |
| 409 | the same `event_id` is being handled right now (`Retry-After`) | delivers again |
| 413 | body larger than `max_body_bytes`; reading stops there | |
| 500 | the handler (or the dedupe store) failed; no exception text | delivers again |

A 409 rather than a 200 for an in-flight duplicate: if the first delivery then fails, the platform
must still deliver the event again, and a 200 would have told it not to. A 403 for another app's
callback (an app sharing the URL and token by mistake): not handled, and not acknowledged either,
so that the platform keeps it rather than drop it as delivered.

A search (POST, `finstore.shortcut.search`) is answered 200 with the `on_search` handler's
`SearchResult` within `search_deadline` seconds (below the platform's 5), or with
`search_fallback` when the handler overruns, fails or returns something else (logged); 400, 401,
403 and 413 as for events. Searches are never deduplicated: each is a new one, never resent.

How an event is deduplicated and run once is `_handling`, shared with the poller.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, MutableMapping, Sequence
from typing import Any, Final, TypeAlias

from finchat_openapi.models import SearchResult

from ._dedupe import DedupeStore, InMemoryDedupeStore
from ._dispatcher import EventDispatcher
from ._handling import EVENTS_LOGGER, EventRunner, dedupe_key, foreign_app, loggable
from ._parse import decode_body, event_from, search_from
from ._search import DEFAULT_SEARCH_DEADLINE, answer_search, check_deadline, search_result
from ._shapes import InvalidEventError
from ._verify import verify_token

Scope: TypeAlias = MutableMapping[str, Any]
Message: TypeAlias = MutableMapping[str, Any]
Receive: TypeAlias = Callable[[], Awaitable[Message]]
Send: TypeAlias = Callable[[Message], Awaitable[None]]

DEFAULT_MAX_BODY_BYTES: Final = 1024 * 1024
IN_PROGRESS_RETRY_AFTER: Final = 5

logger = logging.getLogger(EVENTS_LOGGER)


class _BodyTooLargeError(Exception):
    pass


class _ClientGoneError(Exception):
    pass


class WebhookReceiver:
    """ASGI app receiving FinChat's event callbacks and searches, running the dispatcher's handlers.

    `token` is the verification token registered with the callback URL. `app_id`: the app whose
    callbacks these are; given, a callback naming another app is refused (403). `dedupe` records
    handled `event_id`s (default: an `InMemoryDedupeStore` of this process; share a Redis store
    between processes). With `ack_first=True` the receiver answers 200 as soon as the event is
    verified and claimed and runs the handler afterwards: for handlers slower than the platform's
    timeout, at the price that a failed handler is only logged, since the platform already has
    its 200. `search_deadline` and `search_fallback`: how long a search handler may take, and
    what a search is answered with when it takes longer or fails (no results, by default).
    """

    def __init__(
        self,
        dispatcher: EventDispatcher,
        *,
        token: str,
        app_id: str | None = None,
        dedupe: DedupeStore | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        ack_first: bool = False,
        search_deadline: float = DEFAULT_SEARCH_DEADLINE,
        search_fallback: SearchResult | None = None,
    ) -> None:
        if not token:
            raise ValueError("token (the callback's verification token) must not be empty")
        if max_body_bytes < 1:
            raise ValueError("max_body_bytes must be positive")
        if app_id is not None and (not isinstance(app_id, str) or not app_id):
            raise ValueError("app_id must be a non-empty string (or None: not checked)")
        if search_fallback is not None and not isinstance(search_fallback, SearchResult):
            raise TypeError("search_fallback must be a SearchResult (search_result(...))")
        self.dispatcher = dispatcher
        self.dedupe: DedupeStore = dedupe if dedupe is not None else InMemoryDedupeStore()
        self.app_id = app_id
        self.max_body_bytes = max_body_bytes
        self.ack_first = ack_first
        self.search_deadline = check_deadline(search_deadline)
        self.search_fallback = search_fallback if search_fallback is not None else search_result()
        self._runner = EventRunner(dispatcher, self.dedupe)
        self.__token = token

    def __repr__(self) -> str:
        return (
            f"<WebhookReceiver {self.dispatcher!r} app_id={self.app_id!r} dedupe={self.dedupe!r} "
            f"max_body_bytes={self.max_body_bytes} ack_first={self.ack_first}>"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            responder = _Responder(send)
            try:
                await self._http(scope, receive, responder)
            except Exception:
                # Never let an input crash the server; say nothing about what went wrong.
                logger.exception("webhook receiver failed")
                if not responder.started:
                    await responder.json(500, {"error": "internal error"})
        elif scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "websocket":
            # Not ours. Closing is the polite ASGI refusal (anything newer is ignored).
            await send({"type": "websocket.close", "code": 1008})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes:
        for name, value in scope.get("headers", ()):
            if name.lower() == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > self.max_body_bytes:
                    raise _BodyTooLargeError
        message = await receive()
        chunk = message.get("body", b"")
        if message["type"] == "http.request" and not message.get("more_body", False):
            # The usual case: the whole body in one message.
            if len(chunk) > self.max_body_bytes:
                raise _BodyTooLargeError
            return bytes(chunk)
        chunks: list[bytes] = []
        size = 0
        while True:
            if message["type"] == "http.disconnect":
                raise _ClientGoneError
            size += len(chunk)
            if size > self.max_body_bytes:
                raise _BodyTooLargeError
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)
            message = await receive()
            chunk = message.get("body", b"")

    async def _http(self, scope: Scope, receive: Receive, respond: _Responder) -> None:
        method = scope.get("method")
        search = self.dispatcher.search_handler is not None and method == "POST"
        if method != "PUT" and not search:
            allow = b"POST, PUT" if self.dispatcher.search_handler is not None else b"PUT"
            await respond.json(405, {"error": "method not allowed"}, [(b"allow", allow)])
            return
        started = time.perf_counter()
        try:
            body = await self._read_body(scope, receive)
        except _BodyTooLargeError:
            logger.warning("callback refused: body larger than %d bytes", self.max_body_bytes)
            await respond.json(413, {"error": f"body larger than {self.max_body_bytes} bytes"})
            return
        except _ClientGoneError:
            return
        try:
            data = decode_body(body)
            event_data = data.get("event")
            if type(event_data) is not dict:
                raise InvalidEventError("callback: field 'event' is missing or not an object")
        except InvalidEventError as exc:
            await _refuse(respond, "callback", exc)
            return
        # The token is checked before the event is even typed: nothing from an unauthenticated
        # sender goes further than JSON decoding.
        if not verify_token(data, self.__token):
            logger.warning("callback refused: verification token missing or wrong")
            await respond.json(401, {"error": "verification token missing or wrong"})
            return
        app_id = data.get("app_id")
        if foreign_app(app_id, self.app_id):
            logger.warning(
                "callback refused: it is for app %s, this receiver is app %s",
                loggable(str(app_id)),
                self.app_id,
            )
            await respond.json(403, {"error": "this callback is for another app"})
            return
        if search:
            await self._search(event_data, started, respond)
            return
        try:
            event = event_from(event_data)
        except InvalidEventError as exc:
            await _refuse(respond, "callback", exc)
            return
        await self._handle(event, dedupe_key(event, event_data), respond)

    async def _handle(self, event: Any, key: str, respond: _Responder) -> None:
        # Every event is claimed, with or without an id (see `dedupe_key`): none runs twice.
        outcome, owner = await self._runner.claim(event, key)
        if outcome == "done":
            await respond.json(200, {"status": "duplicate"})
            return
        if outcome == "in_progress":
            await respond.json(
                409,
                {"error": "this event is being handled; deliver it again later"},
                [(b"retry-after", str(IN_PROGRESS_RETRY_AFTER).encode())],
            )
            return
        if self.ack_first:
            await respond.json(200, {"status": "accepted"})
        try:
            handled = await self._runner.run(event, key, owner)
        except Exception:
            # Logged and released by the runner: the platform delivers the event again.
            if not respond.started:
                await respond.json(500, {"error": "handler failed"})
            return
        if not respond.started:
            await respond.json(200, {"status": "handled" if handled else "ignored"})

    async def _search(
        self, event_data: Mapping[str, Any], started: float, respond: _Responder
    ) -> None:
        try:
            event = search_from(event_data)
        except InvalidEventError as exc:
            await _refuse(respond, "search", exc)
            return
        handler = self.dispatcher.search_handler
        assert handler is not None  # only searches with a handler get here
        left = self.search_deadline - (time.perf_counter() - started)
        answer = await answer_search(handler, event, deadline=left, fallback=self.search_fallback)
        await respond.body(200, _json_body(answer.result.to_dict()))


async def _refuse(respond: _Responder, what: str, exc: InvalidEventError) -> None:
    # The message names a position or a field, never content, so it may be logged and answered.
    logger.warning("%s refused: %s", what, exc)
    await respond.json(400, {"error": str(exc)})


def _json_body(data: Any) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode()
    except UnicodeEncodeError:
        # A lone surrogate in a result (valid JSON, no UTF-8) goes out escaped.
        return json.dumps(data, separators=(",", ":")).encode()


@functools.lru_cache(maxsize=256)
def _encode(key: str, value: str) -> bytes:
    # Answers repeat (the same few statuses and messages): encode each once.
    return json.dumps({key: value}).encode()


class _Responder:
    def __init__(self, send: Send) -> None:
        self._send = send
        self.started = False

    async def json(
        self, status: int, payload: dict[str, str], headers: Sequence[tuple[bytes, bytes]] = ()
    ) -> None:
        [(key, value)] = payload.items()
        await self.body(status, _encode(key, value), headers)

    async def body(
        self, status: int, body: bytes, headers: Sequence[tuple[bytes, bytes]] = ()
    ) -> None:
        self.started = True
        await self._send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    *headers,
                ],
            }
        )
        await self._send({"type": "http.response.body", "body": body})
