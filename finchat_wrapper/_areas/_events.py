"""`client.events`: pulling the events the platform stored for the app (the forwarder).

An app whose callback address is the platform's forwarder (`FORWARDER_PATH`) gets no callbacks:
the platform stores its events, and the app pulls them, a page at a time, in `event_id` order.
Each page is read by the events parser, so a pulled event is the same typed model a webhook
gets (`finchat_wrapper.events.EventPage`). To handle pulled events as a webhook receiver would,
once each, use `finchat_wrapper.events.EventPoller`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Final

from .. import _operations as ops
from .._errors import InvalidResponseError
from ._base import Area, AsyncCaller, Caller

if TYPE_CHECKING:
    import httpx

    from ..events import EventPage

__all__ = ["DEFAULT_PAGE_SIZE", "FORWARDER_PATH", "AsyncEvents", "Events"]

DEFAULT_PAGE_SIZE: Final = 20
"""The document's default `page_size`."""
FORWARDER_PATH: Final = "/api/v1/finchat/privilege-api/forwarder/event"
"""The callback address that makes the platform store an app's events for pulling."""


def _page(response: httpx.Response) -> EventPage:
    # Imported when first used: `import finchat_wrapper` loads no generated model.
    from ..events import InvalidEventError, parse_page

    try:
        return parse_page(response.content)
    except InvalidEventError as exc:
        raise InvalidResponseError(f"pull_events: {exc}", response=response) from None


def _after(page: EventPage, since: str | None) -> str | None:
    """The cursor to pull from next while following it, or None once caught up: a page with
    nothing in it, or one that leaves the cursor where it was."""
    if len(page) == 0 or page.since == (since or ""):
        return None
    return page.since


class Events(Area[Caller]):
    """Events stored by the forwarder, pulled a page at a time."""

    def pull(self, since: str | None = None, *, page_size: int = DEFAULT_PAGE_SIZE) -> EventPage:
        """The page of stored events after the cursor `since` (None or "": from the first).

        Pass the page's `since` to the next pull. Needs the privilege API (`ForbiddenError`).
        """
        call = ops.pull_events(self._client.app_id, since, page_size)
        return _page(self._client._request(call))

    def iter_pages(
        self, since: str | None = None, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> Iterator[EventPage]:
        """Every page from `since` on, following the cursor, until one comes back empty."""
        cursor: str | None = since
        while True:
            page = self.pull(cursor, page_size=page_size)
            if len(page):
                yield page
            cursor = _after(page, cursor)
            if cursor is None:
                return


class AsyncEvents(Area[AsyncCaller]):
    __doc__ = Events.__doc__

    async def pull(
        self, since: str | None = None, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> EventPage:
        """The page of stored events after the cursor `since` (None or "": from the first).

        Pass the page's `since` to the next pull. Needs the privilege API (`ForbiddenError`).
        """
        call = ops.pull_events(self._client.app_id, since, page_size)
        return _page(await self._client._request(call))

    async def iter_pages(
        self, since: str | None = None, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> AsyncIterator[EventPage]:
        """Every page from `since` on, following the cursor, until one comes back empty."""
        cursor: str | None = since
        while True:
            page = await self.pull(cursor, page_size=page_size)
            if len(page):
                yield page
            cursor = _after(page, cursor)
            if cursor is None:
                return
