"""`client.messages` and `client.media`: sends to any number of recipients, streamed uploads.

A send is prepared without I/O, once for both clients (`_prepare_send`): the recipients are
checked and planned (`BulkSend`), and the content is checked by building a first request, so a
bad argument raises before anything is sent. Only then does a driver (`drive`: the caller's
thread and up to `concurrency - 1` more; `adrive`: tasks) run the plan's requests, each through
the client's request loop (token, one replay on a refused token, retries only where nothing can
be sent twice, errors).

Recipients. `room_ids` and `fcids` may be given together. The server ignores `fcids` in a request
whose `room_ids` is not empty, so the client never mixes them: rooms and users go in separate
requests and both get the message, and a `UserWarning` says so, since a user who is also in one
of the rooms then sees the message twice (once in the room, once in the direct room). Repeated
ids are sent once. The recipients of one request are bounded by the client's `SendLimits`: the
configured maximum, lowered for the client's life when the server answers
`FC_MESSAGE_*_LIMIT_EXCEEDED`.

Uploads stream the source from the first byte with its real `Content-Type` and, when the size
is known, `Content-Length`. Like a send, an upload is retried only when the request provably
never reached the server (a connection that could not be opened): a 5xx or a broken connection
after sending may have stored the file, and the caller decides whether to upload it again. A
refused token replays the upload once, which needs a source that can be rewound (a path, bytes, a
seekable file); an iterator or a pipe then fails with `UploadSourceError` rather than send a
truncated body.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from . import _operations as ops
from ._bulk import (
    Batch,
    BatchResults,
    BulkSend,
    SendLimits,
    SendProgress,
    SendReport,
    adrive,
    check_concurrency,
    drive,
    parse_answer,
)
from ._content import ContentUri
from ._errors import InvalidResponseError
from ._logging import logger
from ._upload import (
    ProgressCallback,
    Upload,
    UploadInput,
    UploadSourceError,
    aprepare_upload,
    prepare_upload,
)

if TYPE_CHECKING:
    import httpx
    from finchat_openapi.models import (
        FileContent,
        ImageContent,
        SendMessageResponse,
        UploadResponse,
    )

    from ._client import AsyncFinChat, FinChat
    from ._resources import CuiMessageContent, MessageContent, UserMessageContent

__all__ = [
    "DEFAULT_SEND_CONCURRENCY",
    "AsyncMedia",
    "AsyncMessages",
    "Media",
    "Messages",
]

DEFAULT_SEND_CONCURRENCY = 8
"""Requests of one send in flight at once: enough to hide a round trip, few enough that one
broadcast does not take a server's whole connection budget."""

MIXED_RECIPIENTS_WARNING = (
    "room_ids and fcids given together: the server would ignore fcids in a request with room_ids, "
    "so they are sent in separate requests and both get the message; a user who is also in one "
    "of the rooms sees it twice. Send to one kind per call to avoid this warning."
)

_BuildCall = Callable[[Batch], "ops.Call[SendMessageResponse]"]


# ---- logic without I/O, shared by the sync and async areas -------------------------------------


def _plan(
    room_ids: Iterable[str],
    fcids: Iterable[str],
    limits: SendLimits,
    *,
    require_event_id: bool = True,
    stacklevel: int,
) -> BulkSend:
    """The checked plan of a send (ValueError for no or malformed recipients)."""
    if isinstance(room_ids, str) or isinstance(fcids, str):
        # A str is an iterable of one-letter "ids": refuse it clearly instead.
        raise TypeError("room_ids and fcids take a list of ids, not one str")
    plan = BulkSend(
        room_ids=room_ids, fcids=fcids, limits=limits, require_event_id=require_event_id
    )
    if plan.has_both_kinds:
        warnings.warn(MIXED_RECIPIENTS_WARNING, UserWarning, stacklevel=stacklevel + 1)
    return plan


def _builder(plan: BulkSend, make: Callable[[list[str], list[str]], Any]) -> _BuildCall:
    """`batch -> Call` of a send, checked now by building the request of a first recipient.

    The builders of `_operations` check the content, the sender, the event id; running one before
    any request means a bad argument is a ValueError on the caller's line, not a failure inside
    the driver (which would leave a batch unknown). Each batch's request is that checked one with
    its own recipients (checked by the plan), so a broadcast checks its content once.
    """
    kind, first = plan.first_recipient
    probe: ops.Call[SendMessageResponse] = (
        make([first], []) if kind == "room_ids" else make([], [first])
    )
    others = {k: v for k, v in probe.json.items() if k not in ("room_ids", "fcids")}

    def build(batch: Batch) -> ops.Call[SendMessageResponse]:
        return dataclasses.replace(probe, json={**others, **batch.request_fields()})

    return build


def _answer(batch: Batch, response: httpx.Response) -> BatchResults:
    try:
        data = response.json()
    except ValueError as exc:
        raise InvalidResponseError(
            f"the HTTP {response.status_code} answer to a send is not JSON", response=response
        ) from exc
    return parse_answer(batch, data)


def _prepare_send(
    app_id: str,
    content: Any,
    room_ids: Iterable[str],
    fcids: Iterable[str],
    limits: SendLimits,
    *,
    stacklevel: int,
) -> tuple[BulkSend, _BuildCall]:
    plan = _plan(room_ids, fcids, limits, stacklevel=stacklevel + 1)
    payload = ops.content_dict(content)  # once: a model's to_dict() is not free
    return plan, _builder(
        plan, lambda rooms, users: ops.send_message(app_id, payload, rooms, users)
    )


def _prepare_send_as_user(
    app_id: str,
    sender: str,
    content: Any,
    room_ids: Iterable[str],
    fcids: Iterable[str],
    limits: SendLimits,
    *,
    stacklevel: int,
) -> tuple[BulkSend, _BuildCall]:
    plan = _plan(room_ids, fcids, limits, stacklevel=stacklevel + 1)
    payload = ops.content_dict(content)

    def make(rooms: list[str], users: list[str]) -> ops.Call[SendMessageResponse]:
        return ops.send_message_as_user(app_id, sender, payload, rooms, users)

    return plan, _builder(plan, make)


def _prepare_update_cui(
    app_id: str,
    origin_event: str,
    content: Any,
    room_ids: Iterable[str],
    fcids: Iterable[str],
    limits: SendLimits,
    *,
    stacklevel: int,
) -> tuple[BulkSend, _BuildCall]:
    # An update's answer may carry no event id: a result without error is a success.
    plan = _plan(room_ids, fcids, limits, require_event_id=False, stacklevel=stacklevel + 1)
    payload = ops.content_dict(content)

    def make(rooms: list[str], users: list[str]) -> ops.Call[SendMessageResponse]:
        return ops.update_cui(app_id, origin_event, payload, rooms, users)

    return plan, _builder(plan, make)


def _concurrency(default: int, given: int | None) -> int:
    value = default if given is None else given
    check_concurrency(value)
    return value


def _upload_call(app_id: str, upload: Upload, content: Any) -> ops.Call[UploadResponse]:
    return ops.upload_media_stream(app_id, content, upload.headers())


def _prepared(
    source: UploadInput | Upload,
    filename: str | None,
    content_type: str | None,
    size: int | None,
) -> Upload | None:
    """`source` if it is an `Upload` already (then no override may be given), else None."""
    if not isinstance(source, Upload):
        return None
    if filename is not None or content_type is not None or size is not None:
        raise ValueError(
            "filename, content_type and size describe a source; an Upload is already described "
            "(give them to prepare_upload instead)"
        )
    return source


def _content_uri(response: UploadResponse) -> ContentUri:
    try:
        return ContentUri(response.content_uri)
    except (TypeError, ValueError) as exc:
        raise InvalidResponseError(
            f"upload_media: the answer's content_uri is unusable: {exc}"
        ) from exc


def _require_image(upload: Upload) -> None:
    if not upload.content_type.startswith("image/"):
        raise UploadSourceError(
            f"{upload.filename or 'the source'} is {upload.content_type}, not an image; "
            "use send_file, or give content_type='image/...' if it is one"
        )


def _finished(what: str, plan: BulkSend, report: Any) -> None:
    logger.debug("%s: %d recipients, %r", what, plan.total, report)


# ---- the areas ---------------------------------------------------------------------------------


class Messages:
    """Send messages as the app's bot or as a user, and update CUI cards, to any number of
    recipients; see the module docstring for how recipients are sent.

    Each method returns a `SendReport` with exactly one outcome per recipient and raises only
    for bad arguments (before any request); `report.raise_for_failures()` turns failed or
    unknown recipients into a `SendFailedError`. Safe to share between threads.
    """

    def __init__(
        self,
        client: FinChat,
        *,
        limits: SendLimits | None = None,
        concurrency: int = DEFAULT_SEND_CONCURRENCY,
    ) -> None:
        check_concurrency(concurrency)
        if limits is not None and not isinstance(limits, SendLimits):
            raise TypeError(f"send_limits must be a SendLimits, not {type(limits).__name__}")
        self._client = client
        self.limits = limits if limits is not None else SendLimits()
        """Recipients per request, learned for the client's life."""
        self.concurrency = concurrency
        """Requests of one send in flight at once, unless a call gives its own."""

    def __repr__(self) -> str:
        return f"<Messages of {self._client!r}, {self.limits!r}, concurrency={self.concurrency}>"

    def send(
        self,
        content: MessageContent,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        concurrency: int | None = None,
        progress: SendProgress | None = None,
    ) -> SendReport:
        """Send `content` as the app's bot; each fcid's direct room with the bot must exist.

        `concurrency` overrides the client's `send_concurrency` for this send;
        `progress(recipients_settled, total)` is called as requests end.
        """
        plan, build = _prepare_send(
            self._client.app_id, content, room_ids, fcids, self.limits, stacklevel=2
        )
        return self._drive("send", plan, build, concurrency, progress)

    def send_as_user(
        self,
        sender: str,
        content: UserMessageContent,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        concurrency: int | None = None,
        progress: SendProgress | None = None,
    ) -> SendReport:
        """Send `content` in the name of the user `sender`; the server creates missing direct
        rooms for `fcids`. A CUI card cannot be sent as a user (ValueError, nothing sent)."""
        plan, build = _prepare_send_as_user(
            self._client.app_id, sender, content, room_ids, fcids, self.limits, stacklevel=2
        )
        return self._drive("send_as_user", plan, build, concurrency, progress)

    def update_cui(
        self,
        origin_event: str,
        content: CuiMessageContent,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        concurrency: int | None = None,
        progress: SendProgress | None = None,
    ) -> SendReport:
        """Replace the CUI card the app sent as `origin_event` where it was sent."""
        plan, build = _prepare_update_cui(
            self._client.app_id, origin_event, content, room_ids, fcids, self.limits, stacklevel=2
        )
        return self._drive("update_cui", plan, build, concurrency, progress)

    def _drive(
        self,
        what: str,
        plan: BulkSend,
        build: _BuildCall,
        concurrency: int | None,
        progress: SendProgress | None = None,
    ) -> SendReport:
        request = self._client._request
        report = drive(
            plan,
            lambda batch: _answer(batch, request(build(batch))),
            concurrency=_concurrency(self.concurrency, concurrency),
            progress=progress,
        )
        _finished(what, plan, report)
        return report


class AsyncMessages:
    __doc__ = Messages.__doc__

    def __init__(
        self,
        client: AsyncFinChat,
        *,
        limits: SendLimits | None = None,
        concurrency: int = DEFAULT_SEND_CONCURRENCY,
    ) -> None:
        check_concurrency(concurrency)
        if limits is not None and not isinstance(limits, SendLimits):
            raise TypeError(f"send_limits must be a SendLimits, not {type(limits).__name__}")
        self._client = client
        self.limits = limits if limits is not None else SendLimits()
        self.concurrency = concurrency

    def __repr__(self) -> str:
        return (
            f"<AsyncMessages of {self._client!r}, {self.limits!r}, concurrency={self.concurrency}>"
        )

    async def send(
        self,
        content: MessageContent,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        concurrency: int | None = None,
        progress: SendProgress | None = None,
    ) -> SendReport:
        """Send `content` as the app's bot; each fcid's direct room with the bot must exist.

        `concurrency` overrides the client's `send_concurrency` for this send;
        `progress(recipients_settled, total)` is called as requests end.
        """
        plan, build = _prepare_send(
            self._client.app_id, content, room_ids, fcids, self.limits, stacklevel=2
        )
        return await self._drive("send", plan, build, concurrency, progress)

    async def send_as_user(
        self,
        sender: str,
        content: UserMessageContent,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        concurrency: int | None = None,
        progress: SendProgress | None = None,
    ) -> SendReport:
        """Send `content` in the name of the user `sender`; the server creates missing direct
        rooms for `fcids`. A CUI card cannot be sent as a user (ValueError, nothing sent)."""
        plan, build = _prepare_send_as_user(
            self._client.app_id, sender, content, room_ids, fcids, self.limits, stacklevel=2
        )
        return await self._drive("send_as_user", plan, build, concurrency, progress)

    async def update_cui(
        self,
        origin_event: str,
        content: CuiMessageContent,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        concurrency: int | None = None,
        progress: SendProgress | None = None,
    ) -> SendReport:
        """Replace the CUI card the app sent as `origin_event` where it was sent."""
        plan, build = _prepare_update_cui(
            self._client.app_id, origin_event, content, room_ids, fcids, self.limits, stacklevel=2
        )
        return await self._drive("update_cui", plan, build, concurrency, progress)

    async def _drive(
        self,
        what: str,
        plan: BulkSend,
        build: _BuildCall,
        concurrency: int | None,
        progress: SendProgress | None = None,
    ) -> SendReport:
        request = self._client._request

        async def send_batch(batch: Batch) -> BatchResults:
            return _answer(batch, await request(build(batch)))

        report = await adrive(
            plan,
            send_batch,
            concurrency=_concurrency(self.concurrency, concurrency),
            progress=progress,
        )
        _finished(what, plan, report)
        return report


class Media:
    """Upload files and images (streamed, never read whole into memory), and send them."""

    def __init__(self, client: FinChat) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<Media of {self._client!r}>"

    def upload(
        self,
        source: UploadInput | Upload,
        *,
        filename: str | None = None,
        content_type: str | None = None,
        size: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> ContentUri:
        """Upload `source` and return its `mxc://` URI.

        `source` is a path, bytes, a binary file object, an iterator of bytes, or an `Upload`
        from `prepare_upload`. `filename` and `content_type` override what is taken from the
        source (the type is guessed from its first bytes and name); `size` is the length of an
        iterator or pipe, so it goes out with a Content-Length. `progress(bytes_sent, total)` is
        called after each chunk (again from 0 if the upload is retried).
        """
        upload = _prepared(source, filename, content_type, size) or prepare_upload(
            source,  # type: ignore[arg-type]  # not an Upload: _prepared said so
            filename=filename,
            content_type=content_type,
            size=size,
        )
        return self._upload(upload, progress)

    def _upload(self, upload: Upload, progress: ProgressCallback | None) -> ContentUri:
        call = _upload_call(self._client.app_id, upload, upload.content(progress))
        uri = _content_uri(self._client._call(call))
        logger.debug("uploaded %r as %s", upload, uri)
        return uri

    def send_image(
        self,
        source: UploadInput | Upload,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        filename: str | None = None,
        content_type: str | None = None,
        body: str | None = None,
        progress: ProgressCallback | None = None,
        concurrency: int | None = None,
    ) -> SendReport:
        """Upload the image `source` and send it as the app's bot; see `messages.send`.

        The message's `info` holds the size, the media type and, when Pillow is installed and
        can read the image's header, its width and height. `body` (the file name by default)
        is the text clients show instead of the image. The recipients and the image type are
        checked before the upload.
        """
        return self._send_media(
            source, True, room_ids, fcids, filename, content_type, body, progress, concurrency
        )

    def send_file(
        self,
        source: UploadInput | Upload,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        filename: str | None = None,
        content_type: str | None = None,
        body: str | None = None,
        progress: ProgressCallback | None = None,
        concurrency: int | None = None,
    ) -> SendReport:
        """Upload `source` and send it as a file (`info`: size and media type); see
        `send_image`."""
        return self._send_media(
            source, False, room_ids, fcids, filename, content_type, body, progress, concurrency
        )

    def _send_media(
        self,
        source: UploadInput | Upload,
        image: bool,
        room_ids: Iterable[str],
        fcids: Iterable[str],
        filename: str | None,
        content_type: str | None,
        body: str | None,
        progress: ProgressCallback | None,
        concurrency: int | None,
    ) -> SendReport:
        messages = self._client.messages
        _concurrency(messages.concurrency, concurrency)
        plan = _plan(room_ids, fcids, messages.limits, stacklevel=3)
        upload = _prepared(source, filename, content_type, None) or prepare_upload(
            source,  # type: ignore[arg-type]  # not an Upload: _prepared said so
            filename=filename,
            content_type=content_type,
        )
        if image:
            _require_image(upload)
        uri = self._upload(upload, progress)
        content: ImageContent | FileContent = (
            upload.image_content(uri, body=body) if image else upload.file_content(uri, body=body)
        )
        payload = ops.content_dict(content)
        app_id = self._client.app_id
        build = _builder(plan, lambda rooms, users: ops.send_message(app_id, payload, rooms, users))
        return messages._drive("send_image" if image else "send_file", plan, build, concurrency)


class AsyncMedia:
    __doc__ = Media.__doc__

    def __init__(self, client: AsyncFinChat) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<AsyncMedia of {self._client!r}>"

    async def upload(
        self,
        source: UploadInput | Upload,
        *,
        filename: str | None = None,
        content_type: str | None = None,
        size: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> ContentUri:
        """Upload `source` and return its `mxc://` URI; see `FinChat.media.upload`. An async
        iterator of bytes is a source too; files are read in a worker thread."""
        upload = _prepared(source, filename, content_type, size) or await aprepare_upload(
            source,  # type: ignore[arg-type]  # not an Upload: _prepared said so
            filename=filename,
            content_type=content_type,
            size=size,
        )
        return await self._upload(upload, progress)

    async def _upload(self, upload: Upload, progress: ProgressCallback | None) -> ContentUri:
        call = _upload_call(self._client.app_id, upload, upload.acontent(progress))
        uri = _content_uri(await self._client._call(call))
        logger.debug("uploaded %r as %s", upload, uri)
        return uri

    async def send_image(
        self,
        source: UploadInput | Upload,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        filename: str | None = None,
        content_type: str | None = None,
        body: str | None = None,
        progress: ProgressCallback | None = None,
        concurrency: int | None = None,
    ) -> SendReport:
        """Upload the image `source` and send it as the app's bot; see `FinChat.media`."""
        return await self._send_media(
            source, True, room_ids, fcids, filename, content_type, body, progress, concurrency
        )

    async def send_file(
        self,
        source: UploadInput | Upload,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        filename: str | None = None,
        content_type: str | None = None,
        body: str | None = None,
        progress: ProgressCallback | None = None,
        concurrency: int | None = None,
    ) -> SendReport:
        """Upload `source` and send it as a file; see `FinChat.media`."""
        return await self._send_media(
            source, False, room_ids, fcids, filename, content_type, body, progress, concurrency
        )

    async def _send_media(
        self,
        source: UploadInput | Upload,
        image: bool,
        room_ids: Iterable[str],
        fcids: Iterable[str],
        filename: str | None,
        content_type: str | None,
        body: str | None,
        progress: ProgressCallback | None,
        concurrency: int | None,
    ) -> SendReport:
        import anyio.to_thread

        messages = self._client.messages
        _concurrency(messages.concurrency, concurrency)
        plan = _plan(room_ids, fcids, messages.limits, stacklevel=3)
        upload = _prepared(source, filename, content_type, None) or await aprepare_upload(
            source,  # type: ignore[arg-type]  # not an Upload: _prepared said so
            filename=filename,
            content_type=content_type,
        )
        if image:
            _require_image(upload)
        uri = await self._upload(upload, progress)
        content: ImageContent | FileContent
        if image:
            # Pillow reads the image's header from the file: not on the event loop.
            content = await anyio.to_thread.run_sync(lambda: upload.image_content(uri, body=body))
        else:
            content = upload.file_content(uri, body=body)
        payload = ops.content_dict(content)
        app_id = self._client.app_id
        build = _builder(plan, lambda rooms, users: ops.send_message(app_id, payload, rooms, users))
        return await messages._drive(
            "send_image" if image else "send_file", plan, build, concurrency
        )
