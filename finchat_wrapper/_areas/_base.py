"""What an area needs of its client, as two small protocols, and the base every area shares.

An area never imports the client classes: it calls the three entry points below, which
`FinChat` and `AsyncFinChat` implement (see `_client`). `_call(call)` sends a `Call` of
`_operations` and parses the answer into the generated model; `_request(call)` sends it and gives
the raw `httpx.Response` (bulk sends, streamed uploads); `_token(refresh=...)` is the token flow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    import httpx

    from .._auth import Token
    from .._operations import Call

__all__ = ["Area", "AsyncCaller", "Caller"]

T = TypeVar("T")


class Caller(Protocol):
    """The blocking client as its areas see it (`FinChat`)."""

    @property
    def app_id(self) -> str: ...

    def _call(self, call: Call[T]) -> T: ...

    def _request(self, call: Call[Any]) -> httpx.Response: ...

    def _token(self, *, refresh: bool) -> Token: ...


class AsyncCaller(Protocol):
    """The asyncio client as its areas see it (`AsyncFinChat`)."""

    @property
    def app_id(self) -> str: ...

    async def _call(self, call: Call[T]) -> T: ...

    async def _request(self, call: Call[Any]) -> httpx.Response: ...

    async def _token(self, *, refresh: bool) -> Token: ...


C = TypeVar("C", bound="Caller | AsyncCaller")


class Area(Generic[C]):
    """One area of one client, e.g. `client.users`."""

    def __init__(self, client: C) -> None:
        self._client: C = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"
