"""`RedisCursorStore`: an `EventPoller`'s cursor in Redis, for a poller that moves between hosts.

One key per app (and poller name), `P cursor:<app_id>:<name>` (P the prefix), holding the `since`
of the last page the poller finished; no expiry (a cursor that lapsed would start the poller over
from the first stored event). Saving is one `SET`, loading one `GET`.

A save that Redis did not answer in time may still be carried out later (a stalled Redis runs
what it had received once it resumes), after a newer save: the cursor then goes back one page,
and the poller pulls that page again. That costs a pull, not a second run of any handler: the
events of that page are done in the dedupe store (a `RedisDedupeStore` beside this store), and
the poller skips them. So there is no fence here, unlike the claims of `_dedupe`.

When Redis is down or stuck, `load` and `save` raise `RedisStoreError` after their timeouts; the
poller then waits and pulls again from the cursor it holds, so nothing is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

import redis.asyncio

from .._ids import validate_app_id
from ..events import CursorStore
from ._redis import (
    DEFAULT_PREFIX,
    DEFAULT_REDIS_TIMEOUT,
    AsyncRedisStore,
    async_client,
    text,
    translate,
)

__all__ = ["RedisCursorStore"]


class RedisCursorStore(AsyncRedisStore):
    """A `CursorStore` in Redis for an `EventPoller`.

    >>> cursor = RedisCursorStore.from_url("redis://cache.internal:6379/0", app_id=app_id)
    >>> await EventPoller(client, events, cursor_store=cursor, dedupe=dedupe).run()

    `client`: a `redis.asyncio.Redis` with socket timeouts (one without is refused). `app_id`: the
    app whose events the poller pulls; `name` tells apart pollers of one app that pull for
    different purposes (each keeps its own cursor). Use it from one event loop; `await aclose()`.
    """

    def __init__(
        self,
        client: redis.asyncio.Redis,
        *,
        app_id: str,
        name: str = "poller",
        prefix: str = DEFAULT_PREFIX,
    ) -> None:
        super().__init__(client, prefix)
        if not isinstance(name, str) or not name:
            raise ValueError("name must be a non-empty string")
        self._app_id = validate_app_id(app_id)
        self._key = f"{prefix}cursor:{self._app_id}:{name}"

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        app_id: str,
        name: str = "poller",
        prefix: str = DEFAULT_PREFIX,
        timeout: float = DEFAULT_REDIS_TIMEOUT,
    ) -> Self:
        """A store on its own client for `url`; `await aclose()` it. Make it inside the event
        loop that runs the poller."""
        return cls._owning(
            async_client(url, timeout=timeout), app_id=app_id, name=name, prefix=prefix
        )

    def __repr__(self) -> str:
        return f"RedisCursorStore({self._where}, key={self._key!r})"

    async def load(self) -> str | None:
        with translate(self._where, "cursor load"):
            value = await self._redis.get(self._key)
        return text(value)

    async def save(self, since: str) -> None:
        if not isinstance(since, str):
            raise TypeError(f"a cursor is a str, not {type(since).__name__}")
        with translate(self._where, "cursor save"):
            await self._redis.set(self._key, since)


if TYPE_CHECKING:
    # mypy --strict checks here that the store keeps to the poller's protocol.
    def _conforms(store: RedisCursorStore) -> CursorStore:
        return store
