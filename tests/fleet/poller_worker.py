"""A bot that pulls its events, run as a process of its own by test_poller_kill.py (which kills
it with SIGKILL and starts it again).

It pulls with `EventPoller` (a `FileCursorStore`, a `RedisDedupeStore` whose claims lapse after
a second), and writes `start <event_id>` and `done <event_id>` to a journal around each handler.
A message whose text begins with "block" makes its handler hang the first time it runs (a marker
file remembers that it did): the test kills the process while it hangs there.

    python -m tests.fleet.poller_worker JOURNAL CURSOR_FILE MARKERS_DIR REDIS_URL PREFIX
    (the app's credentials in FINCHAT_APP_ID, FINCHAT_SECRET, FINCHAT_BASE_URL)
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from finchat_openapi.models import MessageEvent

from finchat_wrapper import AsyncFinChat
from finchat_wrapper.events import EventDispatcher, EventPoller, FileCursorStore
from finchat_wrapper.fleet import RedisDedupeStore

CLAIM_TTL = 1.0


def note(journal: int, line: str) -> None:
    # One write of one short line on an O_APPEND file: whole, and in order, whatever kills us.
    os.write(journal, f"{line}\n".encode())


async def main(journal_path: str, cursor: str, markers: str, redis_url: str, prefix: str) -> None:
    journal = os.open(journal_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    events = EventDispatcher()

    @events.on_message
    async def handle(event: MessageEvent) -> None:
        note(journal, f"start {event.event_id}")
        marker = Path(markers) / event.event_id.strip("$").replace(":", "_")
        if event.content.body.startswith("block") and not marker.exists():
            marker.touch()
            await asyncio.sleep(3600)  # killed here
        note(journal, f"done {event.event_id}")

    async with (
        AsyncFinChat.from_env() as client,
        RedisDedupeStore.from_url(
            redis_url, app_id=client.app_id, prefix=prefix, claim_ttl=CLAIM_TTL
        ) as dedupe,
    ):
        poller = EventPoller(
            client,
            events,
            cursor_store=FileCursorStore(cursor),
            dedupe=dedupe,
            page_size=4,
            poll_interval=0.05,
            max_poll_interval=0.2,
        )
        note(journal, "running")
        await poller.run()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
