"""httpx transports onto a sandbox, turning its fault marks into real network exceptions.

See `_faults` for why the marks exist. `ConnectError` for a drop before processing (the request
never arrived, safe to retry), `RemoteProtocolError` for a drop after (the outcome is unknown).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

import httpx
from starlette.types import ASGIApp

from ._faults import DROP_AFTER, DROP_BEFORE, FAULT_HEADER

T = TypeVar("T")


def _raise_for_mark(response: httpx.Response, request: httpx.Request) -> None:
    mark = response.headers.get(FAULT_HEADER)
    if mark == DROP_BEFORE:
        raise httpx.ConnectError("connection refused (sandbox fault: drop-before)", request=request)
    if mark == DROP_AFTER:
        raise httpx.RemoteProtocolError(
            "server disconnected without sending a response (sandbox fault: drop-after)",
            request=request,
        )


class FaultTransport(httpx.BaseTransport):
    """A sync transport (in-process or network) whose fault marks become exceptions."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        if FAULT_HEADER in response.headers:
            response.close()
            _raise_for_mark(response, request)
        return response

    def close(self) -> None:
        self._inner.close()


class AsyncFaultTransport(httpx.AsyncBaseTransport):
    """The async twin of `FaultTransport`."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if FAULT_HEADER in response.headers:
            await response.aclose()
            _raise_for_mark(response, request)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


class LoopThread:
    """An event loop in a daemon thread, where a synchronous caller's requests run the app."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._ensure()).result()

    def _ensure(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="finchat-sandbox-loop", daemon=True
                )
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop

    def close(self) -> None:
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None:
            return

        async def _cancel_all() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(_cancel_all(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


class SyncASGITransport(httpx.BaseTransport):
    """Calls an ASGI app from synchronous code, on a `LoopThread`."""

    def __init__(self, app: ASGIApp, loop: LoopThread) -> None:
        self._inner = httpx.ASGITransport(app=app)
        self._loop = loop

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()

        async def call() -> tuple[int, httpx.Headers, bytes]:
            proxy = httpx.Request(
                request.method, request.url, headers=request.headers, content=body
            )
            response = await self._inner.handle_async_request(proxy)
            content = await response.aread()
            return response.status_code, response.headers, content

        status, headers, content = self._loop.run(call())
        return httpx.Response(status, headers=headers, content=content, request=request)
