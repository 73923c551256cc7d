"""What every answer to a client's httpx client goes through: no redirect is followed, the body is
bounded after decompression, and the call's deadline holds while the body is read.

The checks are event hooks installed on the client's httpx client (its own, or the one a caller
injects), so they hold for every request it sends: the wrapper's operations, the token request,
streamed uploads, `client.openapi` and direct `client.http_client` calls alike.

- A 3xx answer with a `Location` raises `RedirectError` before httpx could follow it, whatever
  `follow_redirects` says: httpx replays a 307 as it was, so a token request would carry the
  secret to the new host.
- The body is decoded here rather than by httpx, at most `DECODE_STEP` bytes at a time: httpx
  decompresses each network chunk whole, so one 64 KiB chunk of a gzip bomb would become 64 MiB
  at once. Past `max_response_bytes` decoded bytes, reading stops with `ResponseTooLargeError`.
  The client asks only for the codings decoded here (`ACCEPT_ENCODING`); an answer in another
  one is refused with `httpx.DecodingError` rather than handed on undecoded.
- The request's `Deadline` (`_deadline`), when it has one, is checked at every chunk of the body
  and, for `FinChat` on a socket, enforced by the watchdog while a read blocks.

The decoding and counting (`_Body`) does no I/O; `_SyncBody` and `_AsyncBody` drive it from the
network stream, and the hooks exist in both forms because httpx awaits an async client's hooks.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

import httpx

from ._constants import ACCEPT_ENCODING, DECODE_STEP
from ._deadline import DEADLINE_EXTENSION, Deadline, Watch, watch
from ._errors import FinChatError, ResponseTooLargeError, redirect_error

__all__ = ["ResponseGuard"]

_GZIP = zlib.MAX_WBITS | 16
_IDENTITY = ("", "identity")


class _Inflate:
    """One gzip or deflate layer, decoded with bounded output."""

    def __init__(self, coding: str) -> None:
        self._coding = coding
        # deflate is the zlib format, but some servers send a raw deflate stream: httpx takes
        # both, so this does too, deciding at the first bytes.
        self._raw_fallback = coding == "deflate"
        self._z = zlib.decompressobj(_GZIP if coding != "deflate" else zlib.MAX_WBITS)

    def decode(self, data: bytes) -> Iterator[bytes]:
        while True:
            try:
                out = self._z.decompress(data, DECODE_STEP)
            except zlib.error as exc:
                if self._raw_fallback:
                    self._raw_fallback = False
                    self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise httpx.DecodingError(f"{self._coding} body is corrupt: {exc}") from None
            self._raw_fallback = False
            if out:
                yield out
            # Input zlib had no room to decode stays in unconsumed_tail; output it held back
            # comes with the next call, so go on until a call returns less than a full step.
            data = self._z.unconsumed_tail
            if not data and len(out) < DECODE_STEP:
                return

    def flush(self) -> bytes:
        # Everything given was decoded step by step above: what is left is at most the window.
        return self._z.flush()


def _layers(content_encoding: str | None) -> list[_Inflate]:
    """The decoders of a `Content-Encoding`, in decoding order (the last coding applied first)."""
    layers = []
    for part in (content_encoding or "").split(","):
        coding = part.strip().lower()
        if coding in _IDENTITY:
            continue
        if coding == "x-gzip":
            coding = "gzip"
        if coding not in ("gzip", "deflate"):
            raise httpx.DecodingError(
                f"the answer is encoded with {coding[:40]!r}, which the client did not ask for "
                f"(it accepts {ACCEPT_ENCODING})"
            )
        layers.append(_Inflate(coding))
    return layers[::-1]


class _Body:
    """Decodes and counts one answer's body, and checks its deadline; no I/O."""

    def __init__(
        self,
        response: httpx.Response,
        content_encoding: str | None,
        *,
        limit: int,
        deadline: Deadline | None,
        watched: Watch | None,
    ) -> None:
        self._response = response
        self._encoding = content_encoding
        self._layers: list[_Inflate] | None = None
        self._limit = limit
        self._deadline = deadline
        self.watched = watched
        self._size = 0
        request = response.request
        self._where = f"the answer to {request.method} {request.url.path}"

    def feed(self, raw: bytes) -> Iterator[bytes]:
        if self._deadline is not None and self._deadline.expired():
            raise self._deadline.exceeded(f"{self._where}, after {self._size} bytes")
        yield from self._counted(self._through(self._decoders(), raw))

    def finish(self) -> Iterator[bytes]:
        layers = self._decoders()
        for index, layer in enumerate(layers):
            yield from self._counted(self._through(layers[index + 1 :], layer.flush()))

    def _decoders(self) -> list[_Inflate]:
        # Made at the first chunk: an unknown coding is an error of the body, raised as it is read.
        if self._layers is None:
            self._layers = _layers(self._encoding)
        return self._layers

    def _through(self, layers: Sequence[_Inflate], data: bytes) -> Iterator[bytes]:
        if not layers:
            if data:
                yield data
            return
        for piece in layers[0].decode(data):
            yield from self._through(layers[1:], piece)

    def _counted(self, pieces: Iterator[bytes]) -> Iterator[bytes]:
        for piece in pieces:
            self._size += len(piece)
            if self._size > self._limit:
                raise ResponseTooLargeError(
                    f"{self._where} is larger than max_response_bytes={self._limit} once "
                    "decompressed; reading stopped there",
                    limit=self._limit,
                    response=self._response,
                )
            yield piece

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Around the read of the body, sync or async: a failure of the read is the deadline's
        if it cut the read off (the watchdog shut the socket, so httpx sees a closed
        connection); at the end, before the connection can return to the pool (which `close`
        does), the socket is no longer watched."""
        try:
            yield
        except FinChatError:
            raise
        except Exception as exc:
            cut = self.watched is not None and self.watched.fired
            if self._deadline is not None and (cut or self._deadline.expired()):
                raise self._deadline.exceeded(f"{self._where}, after {self._size} bytes") from exc
            raise
        finally:
            self.done()

    def done(self) -> None:
        if self.watched is not None:
            self.watched.cancel()


class _SyncBody(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, body: _Body) -> None:
        self._inner = inner
        self._body = body

    def __iter__(self) -> Iterator[bytes]:
        with self._body.reading():
            for raw in self._inner:
                yield from self._body.feed(raw)
            yield from self._body.finish()

    def close(self) -> None:
        self._body.done()
        self._inner.close()


class _AsyncBody(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, body: _Body) -> None:
        self._inner = inner
        self._body = body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with self._body.reading():
            async for raw in self._inner:
                for piece in self._body.feed(raw):
                    yield piece
            for piece in self._body.finish():
                yield piece

    async def aclose(self) -> None:
        self._body.done()
        await self._inner.aclose()


class _SyncUpload(httpx.SyncByteStream):
    """A request body whose sending does not count against the deadline (see `_deadline`)."""

    def __init__(self, inner: httpx.SyncByteStream, deadline: Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def __iter__(self) -> Iterator[bytes]:
        self._deadline.pause()
        try:
            yield from self._inner
        finally:
            self._deadline.resume()

    def close(self) -> None:
        self._inner.close()


class _AsyncUpload(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, deadline: Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self._deadline.pause()
        try:
            async for chunk in self._inner:
                yield chunk
        finally:
            self._deadline.resume()

    async def aclose(self) -> None:
        await self._inner.aclose()


def _deadline_of(request: httpx.Request) -> Deadline | None:
    deadline = request.extensions.get(DEADLINE_EXTENSION)
    return deadline if isinstance(deadline, Deadline) else None


def _socket_of(response: httpx.Response) -> Any:
    # Only for HTTP/1.1, where the connection is this answer's alone: an HTTP/2 connection
    # carries other requests, which a shutdown would break too.
    if response.http_version != "HTTP/1.1":
        return None
    stream = response.extensions.get("network_stream")
    get_extra_info = getattr(stream, "get_extra_info", None)
    return get_extra_info("socket") if callable(get_extra_info) else None


class ResponseGuard:
    """The hooks of one client (see the module docstring); `install` puts them on an httpx
    client, first in line, so a caller's own response hooks read a bounded body too."""

    def __init__(self, max_response_bytes: int) -> None:
        self.max_response_bytes = max_response_bytes

    def install(self, http: httpx.Client | httpx.AsyncClient) -> None:
        hooks = http.event_hooks
        if isinstance(http, httpx.AsyncClient):
            mine: tuple[Any, Any] = (self._async_request, self._async_response)
        else:
            mine = (self._sync_request, self._sync_response)
        http.event_hooks = {
            "request": [mine[0], *(h for h in hooks["request"] if h not in mine)],
            "response": [mine[1], *(h for h in hooks["response"] if h not in mine)],
        }
        # Also refused by the response hook; set so a look at the client tells the truth.
        http.follow_redirects = False
        http.headers["Accept-Encoding"] = ACCEPT_ENCODING

    # ---- requests: pause the deadline while the body goes out --------------------------------

    def _sync_request(self, request: httpx.Request) -> None:
        deadline = _deadline_of(request)
        stream = request.stream
        if (
            deadline is not None
            and isinstance(stream, httpx.SyncByteStream)
            and not isinstance(stream, _SyncUpload)  # a replay sends the same request again
        ):
            request.stream = _SyncUpload(stream, deadline)

    async def _async_request(self, request: httpx.Request) -> None:
        deadline = _deadline_of(request)
        stream = request.stream
        if (
            deadline is not None
            and isinstance(stream, httpx.AsyncByteStream)
            and not isinstance(stream, _AsyncUpload)
        ):
            request.stream = _AsyncUpload(stream, deadline)

    # ---- answers: refuse redirects, bound the body ----------------------------------------------

    def _admit(self, response: httpx.Response) -> tuple[bool, Deadline | None]:
        """Raise for a redirect; else (whether the body is still to be read, its deadline)."""
        if response.has_redirect_location:
            raise redirect_error(response)
        deadline = _deadline_of(response.request)
        if deadline is not None:
            deadline.resume()  # the answer is here, so the body went out, however that ended
        # An answer already read (one a mock transport built from bytes) has nothing to bound.
        return not response.is_stream_consumed, deadline

    def _bounded(
        self, response: httpx.Response, deadline: Deadline | None, watched: Watch | None
    ) -> _Body:
        # Decoded by `_Body`: httpx must not decode it again.
        encoding = response.headers.pop("Content-Encoding", None)
        return _Body(
            response, encoding, limit=self.max_response_bytes, deadline=deadline, watched=watched
        )

    def _sync_response(self, response: httpx.Response) -> None:
        unread, deadline = self._admit(response)
        stream = response.stream
        if unread and isinstance(stream, httpx.SyncByteStream):
            sock = _socket_of(response) if deadline is not None else None
            watched = watch(deadline, sock) if deadline is not None and sock is not None else None
            response.stream = _SyncBody(stream, self._bounded(response, deadline, watched))

    async def _async_response(self, response: httpx.Response) -> None:
        unread, deadline = self._admit(response)
        stream = response.stream
        if unread and isinstance(stream, httpx.AsyncByteStream):
            # No watchdog: `Deadline.enforced()` cancels the attempt wherever it waits.
            response.stream = _AsyncBody(stream, self._bounded(response, deadline, None))
