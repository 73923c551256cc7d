"""The webhook endpoint: a plain ASGI app that verifies, deduplicates and dispatches callbacks.

Plain ASGI so that it mounts in any framework (Starlette `Mount`, FastAPI `app.mount`, Django
Channels...) or runs alone under uvicorn (`finchat listen`). The answers:

| status | when | FinChat then |
| --- | --- | --- |
| 200 | handled, a duplicate of a handled event, or no handler for it | stops delivering |
| 400 | body not JSON, not a callback, or a known event missing a field | (bad sender) |
| 401 | token missing or wrong; nothing is parsed further or handled | (bad sender) |
| 405 | not a PUT (`Allow: PUT`) | |
| 409 | the same `event_id` is being handled right now (`Retry-After`) | delivers again |
| 413 | body larger than `max_body_bytes`; reading stops there | |
| 500 | the handler (or the dedupe store) failed; no exception text | delivers again |

A 409 rather than a 200 for an in-flight duplicate: if the first delivery then fails, the platform
must still deliver the event again, and a 200 would have told it not to.

Every event is deduplicated: by its `event_id`, or, when it has none that can serve (missing,
empty, blank, longer than 255 characters, a lone surrogate), by a digest of the event itself, so
that an event is never refused for its id and never runs twice (`dedupe_key`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping, MutableMapping, Sequence
from typing import Any, Final, TypeAlias

import anyio

from .._constants import LOGGER_NAME
from ._dedupe import DedupeStore, InMemoryDedupeStore
from ._dispatcher import EventDispatcher, event_key
from ._parse import Event, InvalidEventError, decode_body, event_from
from ._verify import verify_token

Scope: TypeAlias = MutableMapping[str, Any]
Message: TypeAlias = MutableMapping[str, Any]
Receive: TypeAlias = Callable[[], Awaitable[Message]]
Send: TypeAlias = Callable[[Message], Awaitable[None]]

DEFAULT_MAX_BODY_BYTES: Final = 1024 * 1024
IN_PROGRESS_RETRY_AFTER: Final = 5

EVENTS_LOGGER: Final = f"{LOGGER_NAME}.events"
"""The logger of the receiver: refusals, duplicates and handler failures (no token, no body)."""

logger = logging.getLogger(EVENTS_LOGGER)


# The longest event id used as it is to deduplicate; FinChat's are far shorter.
_MAX_EVENT_ID = 255


def dedupe_key(event: Event, data: Mapping[str, Any]) -> str:
    """What deduplicates an event: its `event_id`, or, when it has no usable one (missing, empty,
    blank, too long, not encodable), a digest of the event as sent (`data`), so that a redelivery
    of it is still recognised: FinChat sends the same event again, byte for byte or at least key
    for key. Two events without an id and alike in every field are taken for one."""
    event_id = event.event_id
    if isinstance(event_id, str) and event_id.strip() and len(event_id) <= _MAX_EVENT_ID:
        try:
            event_id.encode("utf-8")
        except UnicodeEncodeError:
            pass
        else:
            return event_id
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=repr)
    return "sha256:" + hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _describe(event: Event, key: str) -> str:
    # What a log line may say about an event: its kind and key, never its content or the token.
    event_type, msgtype = event_key(event)
    kind = event_type if msgtype is None else f"{event_type}/{msgtype}"
    shown = key if key == event.event_id else f"(no usable event_id; {key[:19]})"
    # A lone surrogate in a type would fail the log handler's encoding: escape it.
    return f"{kind} {shown}".encode("utf-8", "backslashreplace").decode("utf-8")


class _BodyTooLargeError(Exception):
    pass


class _ClientGoneError(Exception):
    pass


class WebhookReceiver:
    """ASGI app receiving FinChat's event callbacks and running the dispatcher's handlers.

    `token` is the verification token registered with the callback URL. `dedupe` records handled
    `event_id`s (default: an `InMemoryDedupeStore` of this process; share a Redis store between
    processes). With `ack_first=True` the receiver answers 200 as soon as the event is verified
    and claimed and runs the handler afterwards: for handlers slower than the platform's timeout,
    at the price that a failed handler is only logged, since the platform already has its 200.
    """

    def __init__(
        self,
        dispatcher: EventDispatcher,
        *,
        token: str,
        dedupe: DedupeStore | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        ack_first: bool = False,
    ) -> None:
        if not token:
            raise ValueError("token (the callback's verification token) must not be empty")
        if max_body_bytes < 1:
            raise ValueError("max_body_bytes must be positive")
        self.dispatcher = dispatcher
        self.dedupe: DedupeStore = dedupe if dedupe is not None else InMemoryDedupeStore()
        self.max_body_bytes = max_body_bytes
        self.ack_first = ack_first
        self.__token = token

    def __repr__(self) -> str:
        return (
            f"<WebhookReceiver {self.dispatcher!r} dedupe={self.dedupe!r} "
            f"max_body_bytes={self.max_body_bytes} ack_first={self.ack_first}>"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            responder = _Responder(send)
            try:
                await self._http(scope, receive, responder)
            except Exception:
                # Never let an input crash the server; say nothing about what went wrong.
                logger.exception("webhook receiver failed")
                if not responder.started:
                    await responder.json(500, {"error": "internal error"})
        else:
            # websocket and anything newer: not ours. Closing is the polite ASGI refusal.
            if scope["type"] == "websocket":
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
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _ClientGoneError
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise _BodyTooLargeError
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _http(self, scope: Scope, receive: Receive, respond: _Responder) -> None:
        if scope.get("method") != "PUT":
            await respond.json(405, {"error": "method not allowed"}, [(b"allow", b"PUT")])
            return
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
            if not isinstance(event_data, dict):
                raise InvalidEventError("callback: field 'event' is missing or not an object")
        except InvalidEventError as exc:
            # The message names a position or a field, never content, so it may be logged.
            logger.warning("callback refused: %s", exc)
            await respond.json(400, {"error": str(exc)})
            return
        # The token is checked before the event is even typed: nothing from an unauthenticated
        # sender goes further than JSON decoding.
        if not verify_token(data, self.__token):
            logger.warning("callback refused: verification token missing or wrong")
            await respond.json(401, {"error": "verification token missing or wrong"})
            return
        try:
            event = event_from(event_data)
        except InvalidEventError as exc:
            logger.warning("callback refused: %s", exc)
            await respond.json(400, {"error": str(exc)})
            return
        await self._handle(event, dedupe_key(event, event_data), respond)

    async def _handle(self, event: Event, key: str, respond: _Responder) -> None:
        # Every event is claimed, with or without an id (see `dedupe_key`): none runs twice.
        owner = secrets.token_hex(8)
        outcome = await self.dedupe.claim(key, owner)
        if outcome == "done":
            logger.debug("duplicate of a handled event: %s", _describe(event, key))
            await respond.json(200, {"status": "duplicate"})
            return
        if outcome == "in_progress":
            logger.debug("duplicate of an event being handled: %s", _describe(event, key))
            await respond.json(
                409,
                {"error": "this event is being handled; deliver it again later"},
                [(b"retry-after", str(IN_PROGRESS_RETRY_AFTER).encode())],
            )
            return
        if self.ack_first:
            await respond.json(200, {"status": "accepted"})
        try:
            handled = await self.dispatcher.dispatch(event)
        except Exception:
            logger.exception("handler failed for %s", _describe(event, key))
            await self.dedupe.release(key, owner)
            if not respond.started:
                await respond.json(500, {"error": "handler failed"})
            return
        except BaseException:
            # Cancelled (the server shutting down): the event was not handled, so free it for
            # the redelivery now rather than after the claim lapses. Shielded, or the release
            # itself would be cancelled.
            with anyio.CancelScope(shield=True):
                await self.dedupe.release(key, owner)
            raise
        try:
            await self.dedupe.mark_done(key, owner)
        except Exception:
            # The handler ran; a 500 now would make it run again. Its claim lapses by itself.
            logger.exception("could not mark %s done", _describe(event, key))
        if not handled:
            logger.debug("no handler for %s", _describe(event, key))
        if not respond.started:
            await respond.json(200, {"status": "handled" if handled else "ignored"})


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
        body = _encode(key, value)
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
