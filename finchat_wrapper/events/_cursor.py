"""Where an `EventPoller` keeps its cursor: the `since` of the last page it finished.

The poller saves a page's `since` only after every event of that page was handled, so a poller
that is stopped, killed or restarted pulls again from the first page it had not finished: nothing
is lost, and the events of that page it had handled are skipped by the dedupe store (nothing runs
twice, provided the dedupe store outlives the process too, as a Redis one does).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Protocol, runtime_checkable

import anyio.to_thread

from .._errors import FinChatError

__all__ = ["CursorStore", "CursorStoreError", "FileCursorStore", "MemoryCursorStore"]


class CursorStoreError(FinChatError):
    """A cursor store holds something that is not a cursor (a damaged file); the message says
    where. The poller does not start from the beginning instead: that would be a guess."""


@runtime_checkable
class CursorStore(Protocol):
    """The cursor of one poller: `load()` it when starting (None: never saved, pull from the
    first event), `save(since)` after each page. Both are coroutines so that a store shared
    between hosts (Redis) fits; a failing one raises, and the poller tries again later."""

    async def load(self) -> str | None: ...

    async def save(self, since: str) -> None: ...


class MemoryCursorStore:
    """A cursor in this process's memory (the default): a restarted process starts over, from
    the beginning or from `since`."""

    def __init__(self, since: str | None = None) -> None:
        self._since = since

    def __repr__(self) -> str:
        return f"MemoryCursorStore(since={self._since!r})"

    async def load(self) -> str | None:
        return self._since

    async def save(self, since: str) -> None:
        if not isinstance(since, str):
            raise TypeError(f"a cursor is a str, not {type(since).__name__}")
        self._since = since


class FileCursorStore:
    """A cursor in a small JSON file, replaced atomically (write, fsync, rename), so that a
    process killed at any moment leaves either the old cursor or the new one, never half of one.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"FileCursorStore({str(self.path)!r})"

    async def load(self) -> str | None:
        return await anyio.to_thread.run_sync(self._read)

    async def save(self, since: str) -> None:
        if not isinstance(since, str):
            raise TypeError(f"a cursor is a str, not {type(since).__name__}")
        await anyio.to_thread.run_sync(self._write, since)

    def _read(self) -> str | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            raise CursorStoreError(f"{self.path} is not a cursor file (not JSON)") from None
        since = data.get("since") if isinstance(data, dict) else None
        if not isinstance(since, str):
            raise CursorStoreError(f"{self.path} is not a cursor file (no 'since' string)")
        return since

    def _write(self, since: str) -> None:
        directory = self.path.parent
        directory.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"since": since}, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        # The rename itself must reach the disk too, or a crash could bring the old file back.
        if hasattr(os, "O_DIRECTORY"):
            dir_fd = os.open(directory, os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
