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

from typing import TYPE_CHECKING, Any, Unpack

from .. import _operations as ops
from .._bulk import SendProgress, SendReport
from .._content import ContentUri, file_content, image_content
from .._errors import InvalidResponseError
from .._logging import logger
from .._upload import (
    ProgressCallback,
    SourceOptions,
    Upload,
    UploadInput,
    UploadSourceError,
    aprepare_upload,
    prepare_upload,
)
from ._base import Area, AsyncCaller, Caller
from ._sending import (
    MediaSendOptions,
    PreparedSend,
    RecipientOptions,
    SendDefaults,
    arun_send,
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


def _prepared(source: UploadInput | Upload, options: SourceOptions) -> Upload | None:
    """`source` if it is an `Upload` already (then no override may be given), else None."""
    if not isinstance(source, Upload):
        return None
    if any(value is not None for value in options.values()):
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
    already, passes it through `checked`, uploads it (reporting to `progress`), gets its
    `content` (which reads an image's header when `reads_file`) and runs `prepared(...)`.
    """

    def __init__(
        self,
        defaults: SendDefaults,
        source: MediaSource,
        *,
        image: bool,
        filename: str | None = None,
        content_type: str | None = None,
        body: str | None = None,
        progress: ProgressCallback | None = None,
        send_progress: SendProgress | None = None,
        **recipients: Unpack[RecipientOptions],
    ) -> None:
        self._image, self._body = image, body
        self._filename, self._content_type = filename, content_type
        self.progress = progress
        """Called as `progress(bytes_sent, total)` while uploading."""
        self._send = plan_send(
            defaults, progress=send_progress, stacklevel=_STACKLEVEL, **recipients
        )
        self.uri: ContentUri | None = None
        """The URI to send, when the source was uploaded before: nothing to upload."""
        self.upload: Upload | None = None
        """The source, when it is prepared already."""
        self._source: UploadInput | None = None
        if isinstance(source, ContentUri):
            self.uri = source
        elif isinstance(source, Upload):
            self.upload = _prepared(source, self.describe)
        else:
            self._source = source

    @property
    def unprepared(self) -> UploadInput:
        """The source to give `prepare_upload` / `aprepare_upload` with `describe`."""
        if self._source is None:
            raise RuntimeError("the source is an Upload or a ContentUri: nothing to prepare")
        return self._source

    @property
    def describe(self) -> SourceOptions:
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

    def prepared(self, app_id: str, content: ImageContent | FileContent) -> PreparedSend:
        """The send of the message `content`, for `run_send` / `arun_send`."""
        payload = ops.content_dict(content)
        what = "send_image" if self._image else "send_file"
        return self._send.prepared(
            what, lambda rooms, users: ops.send_message(app_id, payload, rooms, users)
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
        progress: ProgressCallback | None = None,
        **options: Unpack[SourceOptions],
    ) -> ContentUri:
        """Upload `source` and return its `mxc://` URI.

        `source` is a path, bytes, a binary file object, an iterator of bytes, or an `Upload`
        from `prepare_upload`; `SourceOptions` (`filename`, `content_type`, `size`) override what
        is taken from it. `progress(bytes_sent, total)` is called after each chunk (again from 0
        if the upload is retried).
        """
        upload = _prepared(source, options) or prepare_upload(
            source,  # type: ignore[arg-type]  # not an Upload: _prepared said so
            **options,
        )
        return self._upload(upload, progress)

    def _upload(self, upload: Upload, progress: ProgressCallback | None) -> ContentUri:
        call = _upload_call(self._client.app_id, upload, upload.content(progress))
        uri = _content_uri(self._client._call(call))
        logger.debug("uploaded %r as %s", upload, uri)
        return uri

    def send_image(self, source: MediaSource, **options: Unpack[MediaSendOptions]) -> SendReport:
        """Upload the image `source` and send it as the app's bot; see `messages.send`.

        The message's `info` holds the size, the media type and, when Pillow is installed and
        can read the image's header, its width and height. The recipients and the image type
        are checked before the upload. A `ContentUri` is sent without an upload (`info` then
        holds `content_type` if given). The options are `MediaSendOptions`.
        """
        return self._send_media(MediaSend(self._defaults, source, image=True, **options))

    def send_file(self, source: MediaSource, **options: Unpack[MediaSendOptions]) -> SendReport:
        """Upload `source` and send it as a file (`info`: size and media type); see
        `send_image`."""
        return self._send_media(MediaSend(self._defaults, source, image=False, **options))

    def _send_media(self, media: MediaSend) -> SendReport:
        upload, uri = media.upload, media.uri
        if uri is None:
            upload = media.checked(upload or prepare_upload(media.unprepared, **media.describe))
            uri = self._upload(upload, media.progress)
        send = media.prepared(self._client.app_id, media.content(upload, uri))
        return run_send(self._client._request, send)


class AsyncMedia(Area[AsyncCaller]):
    __doc__ = Media.__doc__

    def __init__(self, client: AsyncCaller, defaults: SendDefaults) -> None:
        super().__init__(client)
        self._defaults = defaults

    async def upload(
        self,
        source: UploadInput | Upload,
        *,
        progress: ProgressCallback | None = None,
        **options: Unpack[SourceOptions],
    ) -> ContentUri:
        """Upload `source` and return its `mxc://` URI; see `FinChat.media.upload`. An async
        iterator of bytes is a source too; files are read in a worker thread."""
        upload = _prepared(source, options) or await aprepare_upload(
            source,  # type: ignore[arg-type]  # not an Upload: _prepared said so
            **options,
        )
        return await self._upload(upload, progress)

    async def _upload(self, upload: Upload, progress: ProgressCallback | None) -> ContentUri:
        call = _upload_call(self._client.app_id, upload, upload.acontent(progress))
        uri = _content_uri(await self._client._call(call))
        logger.debug("uploaded %r as %s", upload, uri)
        return uri

    async def send_image(
        self, source: MediaSource, **options: Unpack[MediaSendOptions]
    ) -> SendReport:
        """Upload the image `source` and send it as the app's bot; see `FinChat.media`."""
        return await self._send_media(MediaSend(self._defaults, source, image=True, **options))

    async def send_file(
        self, source: MediaSource, **options: Unpack[MediaSendOptions]
    ) -> SendReport:
        """Upload `source` and send it as a file; see `FinChat.media`."""
        return await self._send_media(MediaSend(self._defaults, source, image=False, **options))

    async def _send_media(self, media: MediaSend) -> SendReport:
        import anyio.to_thread

        upload, uri = media.upload, media.uri
        if uri is None:
            upload = upload or await aprepare_upload(media.unprepared, **media.describe)
            uri = await self._upload(media.checked(upload), media.progress)
        if media.reads_file(upload):
            # Pillow reads the image's header from the file: not on the event loop.
            content = await anyio.to_thread.run_sync(media.content, upload, uri)
        else:
            content = media.content(upload, uri)
        return await arun_send(self._client._request, media.prepared(self._client.app_id, content))
