"""`client.media`: streamed uploads, and images and files sent as messages.

Uploads stream the source from the first byte with its real `Content-Type` and, when the size
is known, `Content-Length`. Like a send, an upload is retried only when the request provably
never reached the server (a connection that could not be opened): a 5xx or a broken connection
after sending may have stored the file, and the caller decides whether to upload it again. A
refused token replays the upload once, which needs a source that can be rewound (a path, bytes, a
seekable file); an iterator or a pipe then fails with `UploadSourceError` rather than send a
truncated body.

`send_image` / `send_file` are one pipeline: check the recipients, prepare the source, check
it is an image, upload it, describe it (`info`), send. `MediaSend` decides every step without
I/O; `Media` and `AsyncMedia` only do the I/O between them (`AsyncMedia` reads files and image
headers in a worker thread). A `ContentUri` given as the source (a file uploaded before) is sent
as it is, without an upload.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .. import _operations as ops
from .._bulk import SendProgress, SendReport
from .._content import ContentUri, file_content, image_content
from .._errors import InvalidResponseError
from .._logging import logger
from .._upload import (
    ProgressCallback,
    Upload,
    UploadInput,
    UploadSourceError,
    aprepare_upload,
    prepare_upload,
)
from ._base import Area, AsyncCaller, Caller
from ._sending import (
    BuildCall,
    SendDefaults,
    arun_send,
    batch_builder,
    pick_concurrency,
    plan_send,
    run_send,
)

if TYPE_CHECKING:
    from finchat_openapi.models import FileContent, ImageContent, UploadResponse

__all__ = ["AsyncMedia", "Media", "MediaSend"]

MediaSource = UploadInput | Upload | ContentUri

# Where the mixed-recipients warning points, counted from `MediaSend.__init__`: itself,
# `send_image` / `send_file`, then the caller's line.
_STACKLEVEL = 3


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


def _upload_call(app_id: str, upload: Upload, content: Any) -> ops.Call[UploadResponse]:
    return ops.upload_media_stream(app_id, content, upload.headers())


def _content_uri(response: UploadResponse) -> ContentUri:
    try:
        return ContentUri(response.content_uri)
    except (TypeError, ValueError) as exc:
        raise InvalidResponseError(
            f"upload_media: the answer's content_uri is unusable: {exc}"
        ) from exc


class MediaSend:
    """One `send_image` / `send_file`, decided without I/O; the areas run it.

    Made before anything is read or sent, it checks the concurrency and plans the recipients. A
    shell then prepares the source (`unprepared`, `describe`) unless `uri` or `upload` is given
    already, passes it through `checked`, uploads it, gets its `content` (which reads an image's
    header when `reads_file`) and runs `builder`'s requests with `concurrency`.
    """

    def __init__(
        self,
        defaults: SendDefaults,
        source: MediaSource,
        *,
        image: bool,
        room_ids: Iterable[str],
        fcids: Iterable[str],
        filename: str | None,
        content_type: str | None,
        body: str | None,
        concurrency: int | None,
        warn_mixed: bool,
    ) -> None:
        self.what = "send_image" if image else "send_file"
        self.concurrency = pick_concurrency(defaults.concurrency, concurrency)
        self.plan = plan_send(
            room_ids, fcids, defaults.limits, warn_mixed=warn_mixed, stacklevel=_STACKLEVEL
        )
        self._image, self._body = image, body
        self._filename, self._content_type = filename, content_type
        self.uri: ContentUri | None = None
        """The URI to send, when the source was uploaded before: nothing to upload."""
        self.upload: Upload | None = None
        """The source, when it is prepared already."""
        self._source: UploadInput | None = None
        if isinstance(source, ContentUri):
            self.uri = source
        elif isinstance(source, Upload):
            self.upload = _prepared(source, filename, content_type, None)
        else:
            self._source = source

    @property
    def unprepared(self) -> UploadInput:
        """The source to give `prepare_upload` / `aprepare_upload` with `describe`."""
        if self._source is None:
            raise RuntimeError("the source is an Upload or a ContentUri: nothing to prepare")
        return self._source

    @property
    def describe(self) -> dict[str, Any]:
        """What the caller said of the source: `filename` and `content_type`."""
        return {"filename": self._filename, "content_type": self._content_type}

    def checked(self, upload: Upload) -> Upload:
        """`upload` if it may be sent this way (an image for `send_image`), before uploading."""
        if self._image and not upload.content_type.startswith("image/"):
            raise UploadSourceError(
                f"{upload.filename or 'the source'} is {upload.content_type}, not an image; "
                "use send_file, or give content_type='image/...' if it is one"
            )
        return upload

    def reads_file(self, upload: Upload | None) -> bool:
        """True when `content` reads the uploaded file: an image's width and height (Pillow)."""
        return self._image and upload is not None

    def content(self, upload: Upload | None, uri: ContentUri) -> ImageContent | FileContent:
        """The message of the file stored at `uri`: described by `upload`, or as given."""
        if upload is not None:
            if self._image:
                return upload.image_content(uri, body=self._body)
            return upload.file_content(uri, body=self._body)
        body = self._body if self._body is not None else self._filename
        if self._image:
            return image_content(uri, body=body or "image", mimetype=self._content_type)
        return file_content(uri, body=body or "file", mimetype=self._content_type)

    def builder(self, app_id: str, content: ImageContent | FileContent) -> BuildCall:
        payload = ops.content_dict(content)
        return batch_builder(
            self.plan, lambda rooms, users: ops.send_message(app_id, payload, rooms, users)
        )


class Media(Area[Caller]):
    """Upload files and images (streamed, never read whole into memory), and send them."""

    def __init__(self, client: Caller, defaults: SendDefaults) -> None:
        super().__init__(client)
        self._defaults = defaults

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
        source: MediaSource,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        filename: str | None = None,
        content_type: str | None = None,
        body: str | None = None,
        progress: ProgressCallback | None = None,
        concurrency: int | None = None,
        send_progress: SendProgress | None = None,
        warn_mixed_recipients: bool = True,
    ) -> SendReport:
        """Upload the image `source` and send it as the app's bot; see `messages.send`.

        The message's `info` holds the size, the media type and, when Pillow is installed and
        can read the image's header, its width and height. `body` (the file name by default)
        is the text clients show instead of the image. The recipients and the image type are
        checked before the upload. A `ContentUri` is sent without an upload (`info` then holds
        `content_type` if given). `progress` follows the upload's bytes, `send_progress` the
        recipients settled.
        """
        media = MediaSend(
            self._defaults, source, image=True, room_ids=room_ids, fcids=fcids, filename=filename,
            content_type=content_type, body=body, concurrency=concurrency,
            warn_mixed=warn_mixed_recipients,
        )  # fmt: skip
        return self._send_media(media, progress, send_progress)

    def send_file(
        self,
        source: MediaSource,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        filename: str | None = None,
        content_type: str | None = None,
        body: str | None = None,
        progress: ProgressCallback | None = None,
        concurrency: int | None = None,
        send_progress: SendProgress | None = None,
        warn_mixed_recipients: bool = True,
    ) -> SendReport:
        """Upload `source` and send it as a file (`info`: size and media type); see
        `send_image`."""
        media = MediaSend(
            self._defaults, source, image=False, room_ids=room_ids, fcids=fcids,
            filename=filename, content_type=content_type, body=body, concurrency=concurrency,
            warn_mixed=warn_mixed_recipients,
        )  # fmt: skip
        return self._send_media(media, progress, send_progress)

    def _send_media(
        self,
        media: MediaSend,
        progress: ProgressCallback | None,
        send_progress: SendProgress | None,
    ) -> SendReport:
        upload, uri = media.upload, media.uri
        if uri is None:
            upload = media.checked(upload or prepare_upload(media.unprepared, **media.describe))
            uri = self._upload(upload, progress)
        build = media.builder(self._client.app_id, media.content(upload, uri))
        return run_send(
            self._client._request, media.what, media.plan, build, media.concurrency, send_progress
        )


class AsyncMedia(Area[AsyncCaller]):
    __doc__ = Media.__doc__

    def __init__(self, client: AsyncCaller, defaults: SendDefaults) -> None:
        super().__init__(client)
        self._defaults = defaults

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
        source: MediaSource,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        filename: str | None = None,
        content_type: str | None = None,
        body: str | None = None,
        progress: ProgressCallback | None = None,
        concurrency: int | None = None,
        send_progress: SendProgress | None = None,
        warn_mixed_recipients: bool = True,
    ) -> SendReport:
        """Upload the image `source` and send it as the app's bot; see `FinChat.media`."""
        media = MediaSend(
            self._defaults, source, image=True, room_ids=room_ids, fcids=fcids, filename=filename,
            content_type=content_type, body=body, concurrency=concurrency,
            warn_mixed=warn_mixed_recipients,
        )  # fmt: skip
        return await self._send_media(media, progress, send_progress)

    async def send_file(
        self,
        source: MediaSource,
        *,
        room_ids: Iterable[str] = (),
        fcids: Iterable[str] = (),
        filename: str | None = None,
        content_type: str | None = None,
        body: str | None = None,
        progress: ProgressCallback | None = None,
        concurrency: int | None = None,
        send_progress: SendProgress | None = None,
        warn_mixed_recipients: bool = True,
    ) -> SendReport:
        """Upload `source` and send it as a file; see `FinChat.media`."""
        media = MediaSend(
            self._defaults, source, image=False, room_ids=room_ids, fcids=fcids,
            filename=filename, content_type=content_type, body=body, concurrency=concurrency,
            warn_mixed=warn_mixed_recipients,
        )  # fmt: skip
        return await self._send_media(media, progress, send_progress)

    async def _send_media(
        self,
        media: MediaSend,
        progress: ProgressCallback | None,
        send_progress: SendProgress | None,
    ) -> SendReport:
        import anyio.to_thread

        upload, uri = media.upload, media.uri
        if uri is None:
            upload = upload or await aprepare_upload(media.unprepared, **media.describe)
            upload = media.checked(upload)
            uri = await self._upload(upload, progress)
        if media.reads_file(upload):
            content = await anyio.to_thread.run_sync(media.content, upload, uri)
        else:
            content = media.content(upload, uri)
        build = media.builder(self._client.app_id, content)
        return await arun_send(
            self._client._request, media.what, media.plan, build, media.concurrency, send_progress
        )
