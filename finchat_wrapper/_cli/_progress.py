"""The progress a command shows while one library call uploads and sends: bars on a terminal.

`Bars` gives the callbacks a call takes (`media.upload(progress=...)`,
`messages.send(progress=...)`, `media.send_image(progress=..., send_progress=...)`). On a
terminal (stderr) it draws the upload's bytes, rate and time left, then the recipients settled,
one bar at a time (rich draws one live display at once); piped, it draws nothing. Either way,
once the upload is over it says what was uploaded, on stderr, so that stdout keeps only the
result.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import Self

from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.text import Text

from .._upload import ProgressCallback, Upload
from ._common import Cli, printable

__all__ = ["Bars"]


class Bars:
    """The bars of one command; a context manager that removes them when the command is done."""

    def __init__(self, cli: Cli) -> None:
        self._cli = cli
        self._terminal = cli.err.is_terminal
        self._live: Progress | None = None
        self._upload: Upload | None = None
        self._upload_times: list[float] = []

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop()
        if exc is None:
            self._uploaded()

    def upload(self, upload: Upload) -> ProgressCallback:
        """The `progress` of uploading `upload`: bytes sent of its size."""
        self._upload, self._upload_times = upload, [time.monotonic()]
        task: TaskID | None = None
        if self._terminal:
            self._live = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
                console=self._cli.err,
            )
            self._live.start()
            task = self._live.add_task(printable(upload.filename or "upload"), total=upload.size)
        live = self._live

        def update(sent: int, total: int | None) -> None:
            self._upload_times[1:] = [time.monotonic()]
            if live is not None and task is not None:
                # A retry or a token replay starts again from 0: `completed`, not `advance`.
                live.update(task, completed=sent, total=total)

        return update

    def sending(self, total: int, *, after_upload: bool = False) -> Callable[[int, int], None]:
        """The `progress` of a send to `total` recipients: how many are settled.

        `after_upload`: the send follows an upload in the same call, so its bar starts with the
        first recipient settled, once the upload's bar is done.
        """
        task: list[TaskID] = []
        started = False

        def start() -> None:
            nonlocal started
            started = True
            self._stop()
            self._uploaded()
            if self._terminal:
                self._live = Progress(
                    TextColumn("sending"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TextColumn("recipients"),
                    TimeElapsedColumn(),
                    console=self._cli.err,
                    transient=True,
                )
                self._live.start()
                task.append(self._live.add_task("send", total=total))

        def update(settled: int, _: int) -> None:
            if not started:
                start()
            if self._live is not None and task:
                self._live.update(task[0], completed=settled)

        if not after_upload:
            start()
        return update

    def _stop(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    def _uploaded(self) -> None:
        upload, times = self._upload, self._upload_times
        if upload is None or self._cli.json:
            return
        self._upload = None
        size = "" if upload.size is None else f"{upload.size:,} bytes, "
        took = (times[-1] if len(times) > 1 else time.monotonic()) - times[0]
        self._cli.err.print(
            Text(
                f"uploaded {printable(upload.filename or 'stdin')} ({size}{upload.content_type}) "
                f"in {took:.1f}s",
                style="dim",
            )
        )
