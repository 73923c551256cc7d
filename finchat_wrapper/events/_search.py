"""Shortcut search: building an answer, and answering within the platform's 5 seconds.

FinChat POSTs a user's search to the app and shows the `SearchResult` it answers with, if that
answer comes within 5 seconds; a search is sent once and never again. So a search is answered
whatever happens: `answer_search` runs the handler under a deadline shorter than the platform's
and answers the fallback (no results, by default) when the handler is too slow, fails, or returns
something that is not a `SearchResult`, logging why. It does no I/O besides the handler.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable
from typing import Final, Literal

import anyio
import attrs
from finchat_openapi.models import (
    SearchEvent,
    SearchResult,
    SearchResultContent,
    SearchResultItem,
)
from finchat_openapi.types import UNSET

from ._dispatcher import SearchHandler, call_handler
from ._handling import EVENTS_LOGGER, loggable

__all__ = [
    "DEFAULT_SEARCH_DEADLINE",
    "PLATFORM_SEARCH_LIMIT",
    "SearchAnswer",
    "answer_search",
    "check_deadline",
    "search_item",
    "search_result",
]

PLATFORM_SEARCH_LIMIT: Final = 5.0
"""Seconds the platform waits for a search's answer (the document's figure)."""
DEFAULT_SEARCH_DEADLINE: Final = 4.0
"""Seconds the receiver gives a search handler: a second below the platform's limit, for the
network and the answer's own way back."""

logger = logging.getLogger(EVENTS_LOGGER)

Opentype = Literal["inapp", "inbrowser"]


def _text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    return value


def search_item(title: str, description: str, url: str | None = None) -> SearchResultItem:
    """One text result: its title, its text, and what opens when the user taps it (nothing
    without a `url`)."""
    item = SearchResultItem(
        type_="text", title=_text("title", title), description=_text("description", description)
    )
    if url is not None:
        item.url = _text("url", url)
    return item


def search_result(
    items: Iterable[SearchResultItem] = (),
    *,
    total: int | None = None,
    opentype: Opentype = "inapp",
) -> SearchResult:
    """The answer to a search: this page's `items` (`search_item(...)`), how many results there
    are in all (`total`, by default the number of items), and where a result's url opens
    (`"inapp"` or `"inbrowser"`).

    >>> search_result([search_item("保险", "一种东西", "https://example.org/1")], total=20)
    """
    listed = list(items)
    for index, item in enumerate(listed):
        if not isinstance(item, SearchResultItem):
            raise TypeError(f"items[{index}] must be a SearchResultItem (search_item(...))")
    count = len(listed) if total is None else total
    if isinstance(count, bool) or not isinstance(count, int):
        raise TypeError(f"total must be an int, not {type(count).__name__}")
    if count < len(listed):
        raise ValueError(f"total ({count}) is below the number of items ({len(listed)})")
    if opentype not in ("inapp", "inbrowser"):
        raise ValueError(f"opentype must be 'inapp' or 'inbrowser', not {opentype!r}")
    return SearchResult(
        layout="list",
        content=SearchResultContent(total=count, list_=listed, opentype=opentype),
    )


@attrs.frozen
class SearchAnswer:
    """What a search was answered with, and how: `answered` (the handler's result), `overran`
    (the deadline passed), `failed` (the handler raised), `invalid` (not a `SearchResult`)."""

    result: SearchResult
    outcome: Literal["answered", "overran", "failed", "invalid"]
    seconds: float


def _is_result(value: object) -> bool:
    if not isinstance(value, SearchResult):
        return False
    content = value.content
    return (
        value.layout == "list"
        and isinstance(content, SearchResultContent)
        and isinstance(content.list_, list)
        and all(
            isinstance(item, SearchResultItem)
            and isinstance(item.title, str)
            and isinstance(item.description, str)
            and (item.url is UNSET or isinstance(item.url, str))
            for item in content.list_
        )
        and not isinstance(content.total, bool)
        and isinstance(content.total, int)
        and content.opentype in ("inapp", "inbrowser")
    )


async def answer_search(
    handler: SearchHandler,
    event: SearchEvent,
    *,
    deadline: float,
    fallback: SearchResult,
) -> SearchAnswer:
    """Run `handler` for `event` for at most `deadline` seconds; never raises (but when
    cancelled). A sync handler runs in a worker thread, left to finish unobserved if it
    overruns."""
    started = time.perf_counter()
    outcome: Literal["answered", "overran", "failed", "invalid"] = "overran"
    result = fallback
    with anyio.move_on_after(max(deadline, 0.0)):
        try:
            returned = await call_handler(handler, event, abandon_on_cancel=True)
        except Exception:
            logger.exception(
                "search handler failed for %s; answered the fallback", loggable(event.event_id)
            )
            outcome = "failed"
        else:
            if _is_result(returned):
                result, outcome = returned, "answered"
            else:
                logger.error(
                    "search handler returned a %s, not a SearchResult, for %s; answered the "
                    "fallback",
                    type(returned).__name__,
                    loggable(event.event_id),
                )
                outcome = "invalid"
    seconds = time.perf_counter() - started
    if outcome == "overran":
        logger.warning(
            "search handler overran its %.2f s deadline for %s; answered the fallback",
            deadline,
            loggable(event.event_id),
        )
    return SearchAnswer(result=result, outcome=outcome, seconds=seconds)


def check_deadline(deadline: float) -> float:
    """A search deadline, in seconds: positive and below the platform's limit."""
    if isinstance(deadline, bool) or not isinstance(deadline, int | float):
        raise TypeError(f"search_deadline must be seconds, not {deadline!r}")
    if not math.isfinite(deadline) or not 0 < deadline < PLATFORM_SEARCH_LIMIT:
        raise ValueError(
            f"search_deadline must be above 0 and below the platform's {PLATFORM_SEARCH_LIMIT:g} s,"
            f" not {deadline!r}"
        )
    return float(deadline)
