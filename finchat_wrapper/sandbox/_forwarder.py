"""The platform's forwarder: events kept for an app to pull instead of being PUT to it.

An app whose callback address is the forwarder path (`/api/v1/finchat/privilege-api/forwarder/
event`, on any host) gets its events stored here; `pull_events` serves them in `event_id` order,
`page_size` at a time after the cursor `since`. The sandbox's event ids sort in the order they
were made (a counter comes first), so that order is the order of events. Nothing is removed by a
pull: the cursor is the app's, and a poller that restarts from an older one gets those events
again (its dedupe store skips them).
"""

from __future__ import annotations

import bisect
import copy
import threading
from typing import Any, Final
from urllib.parse import urlsplit

FORWARDER_PATH: Final = "/api/v1/finchat/privilege-api/forwarder/event"
# `page_size` has no bounds in the document; a page larger than this is cut (answering fewer
# events than asked is what "at most" allows), so that one pull cannot serialise everything.
MAX_PAGE: Final = 1000


def is_forwarder(url: str) -> bool:
    """Whether a callback address is the forwarder (its path; any host, or none)."""
    return urlsplit(url).path.rstrip("/") == FORWARDER_PATH


class Forwarder:
    """The stored events of every app, each app's in `event_id` order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # app id -> (sorted event ids, the events in the same order)
        self._ids: dict[str, list[str]] = {}
        self._events: dict[str, list[dict[str, Any]]] = {}

    def store(self, app_id: str, event: dict[str, Any]) -> None:
        """Keep `event` for the app, with the app's `app_id` beside its fields (as pulled)."""
        stored = {**copy.deepcopy(event), "app_id": app_id}
        key = str(event.get("event_id", ""))
        with self._lock:
            ids = self._ids.setdefault(app_id, [])
            at = bisect.bisect_left(ids, key)
            if at < len(ids) and ids[at] == key:
                return  # the same event again (an injected duplicate): stored once
            ids.insert(at, key)
            self._events.setdefault(app_id, []).insert(at, stored)

    def stored(self, app_id: str) -> list[dict[str, Any]]:
        """Every event stored for the app, in `event_id` order (copies)."""
        with self._lock:
            return copy.deepcopy(self._events.get(app_id, []))

    def page(self, app_id: str, since: str, page_size: int) -> dict[str, Any]:
        """The `PulledEvents` answer: up to `page_size` events after `since`, and the cursor."""
        size = max(0, min(page_size, MAX_PAGE))
        with self._lock:
            ids = self._ids.get(app_id, [])
            start = bisect.bisect_right(ids, since) if since else 0
            taken = copy.deepcopy(self._events.get(app_id, [])[start : start + size])
        return {"since": taken[-1]["event_id"] if taken else since, "events": taken}
