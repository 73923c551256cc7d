"""Upload sources: what to send, its real media type and size, streamed in chunks.

`prepare_upload(source)` (or `await aprepare_upload(source)`) turns a path, bytes, a binary file
object or an (async) iterator of bytes into an `Upload`: the file name, the `Content-Type` guessed
from the first bytes and the name (or given), the size when it can be known, and whether a
retry can send the same bytes again (`rewindable`). Its `iter_bytes()` / `aiter_bytes()` are the
request content, each call starting from the first byte; `content()` / `acontent()` wrap them in
re-iterable objects a driver passes to httpx as `content=`, so a retry sends the bytes again:

    upload = prepare_upload("report.pdf")
    response = http.post(url, content=upload.content(progress), headers=upload.headers())

Nothing is read whole into memory: chunks of `chunk_size` go out as the transport asks for them.
In the async form, blocking reads (files, sync iterators) run in a worker thread so the event
loop never waits on a disk or a pipe.
"""

from __future__ import annotations

import functools
import io
import mimetypes
import os
import re
import warnings
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple, TypeAlias, TypedDict, Unpack

from ._content import file_content, image_content
from ._errors import FinChatError

if TYPE_CHECKING:
    from finchat_openapi.models import FileContent, ImageContent

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "PrepareOptions",
    "ProgressCallback",
    "SourceOptions",
    "Upload",
    "UploadInput",
    "UploadSourceError",
    "aprepare_upload",
    "guess_content_type",
    "prepare_upload",
]

DEFAULT_CHUNK_SIZE = 256 * 1024
"""Bytes per chunk: large enough that per-chunk overhead (a thread hop in async) is negligible,
small enough that memory stays flat whatever the file size."""

OCTET_STREAM = "application/octet-stream"

ProgressCallback: TypeAlias = Callable[[int, int | None], None]
"""Called as `progress(bytes_sent, total)` after each chunk; `total` is None when unknown."""

UploadInput: TypeAlias = (
    str
    | os.PathLike[str]
    | bytes
    | bytearray
    | memoryview
    | IO[bytes]
    | Iterable[bytes]
    | AsyncIterable[bytes]
)


class UploadSourceError(FinChatError, ValueError):
    """The upload source cannot be sent as asked: empty, of another size than declared, a text
    file, or read a second time when it cannot be rewound."""


# ---- media type -------------------------------------------------------------------------------

# Formats told apart by their first bytes, which win over the name: a misnamed photo is still a
# JPEG. Containers (zip, gzip) are only a fallback: a .docx is a zip, and its name says more.
_MAGIC: list[tuple[Callable[[bytes], bool], str]] = [
    (lambda h: h.startswith(b"\x89PNG\r\n\x1a\n"), "image/png"),
    (lambda h: h.startswith(b"\xff\xd8\xff"), "image/jpeg"),
    (lambda h: h[:6] in (b"GIF87a", b"GIF89a"), "image/gif"),
    (lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP", "image/webp"),
    (lambda h: h.startswith(b"%PDF-"), "application/pdf"),
    (lambda h: h.startswith(b"BM") and len(h) >= 14, "image/bmp"),
    (lambda h: h[:4] in (b"II*\x00", b"MM\x00*"), "image/tiff"),
    (lambda h: h[4:8] == b"ftyp" and h[8:11] in (b"mp4", b"iso", b"M4V", b"avc"), "video/mp4"),
]
_CONTAINER_MAGIC: list[tuple[bytes, str]] = [
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
]
_SNIFF_BYTES = 16

# Python's built-in table, without the machine's /etc/mime.types: the same name gives the same
# type everywhere. Completed with common types the built-in table of 3.11 lacks.
_EXTRA_TYPES = {
    ".webp": "image/webp",
    ".heic": "image/heic",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".md": "text/markdown",
    ".7z": "application/x-7z-compressed",
    ".rar": "application/vnd.rar",
}
# ASCII only: it goes into a header, which httpx encodes as ASCII (a "ñ" would raise
# UnicodeEncodeError in the middle of sending).
_CONTENT_TYPE = re.compile(
    r"[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*(\s*;\s*[\w.+-]+=[\x20-\x7e]*)?", re.ASCII
)


@functools.cache
def _builtin_types() -> mimetypes.MimeTypes:
    return mimetypes.MimeTypes(filenames=())


def _type_from_name(filename: str) -> str | None:
    suffix = os.path.splitext(filename)[1].lower()
    if suffix in _EXTRA_TYPES:
        return _EXTRA_TYPES[suffix]
    guessed, _ = _builtin_types().guess_type(filename, strict=False)
    return guessed


def guess_content_type(filename: str | None, head: bytes) -> str:
    """The media type of a file from its first bytes and its name; `application/octet-stream`
    when neither tells."""
    for matches, media_type in _MAGIC:
        if matches(head):
            return media_type
    if filename:
        by_name = _type_from_name(filename)
        if by_name is not None:
            return by_name
    for magic, media_type in _CONTAINER_MAGIC:
        if head.startswith(magic):
            return media_type
    return OCTET_STREAM


def _check_content_type(value: str) -> str:
    # It goes into a header: a CR/LF would let a caller's string forge headers.
    if not isinstance(value, str) or _CONTENT_TYPE.fullmatch(value) is None:
        raise UploadSourceError(f"not a media type: {value!r}; expected e.g. image/png")
    return value


# ---- readers: one per kind of source ------------------------------------------------------------


class _Reader:
    """Where the bytes come from. `open()` starts again from the first byte when rewindable."""

    rewindable = True
    size: int | None = None
    filename: str | None = None
    head: bytes = b""

    def chunks(self, chunk_size: int) -> Iterator[bytes]:
        raise NotImplementedError

    def achunks(self, chunk_size: int) -> AsyncIterator[bytes]:
        # Blocking sources are read in a worker thread, one chunk per hop.
        return _in_thread(self.chunks(chunk_size))

    def image_file(self) -> Any:
        """A binary file positioned at the first byte, for Pillow, or None."""
        return None


async def _in_thread(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    import anyio.to_thread

    done = object()
    try:
        while True:
            chunk = await anyio.to_thread.run_sync(next, chunks, done)
            if chunk is done:
                return
            yield chunk  # type: ignore[misc]
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()


class _PathReader(_Reader):
    def __init__(self, path: Path) -> None:
        try:
            stat = path.stat()
        except FileNotFoundError:
            raise UploadSourceError(f"no such file: {str(path)!r}") from None
        if not path.is_file():
            raise UploadSourceError(f"not a regular file: {str(path)!r}")
        self.path = path
        self.size = stat.st_size
        self.filename = path.name
        with path.open("rb") as fh:
            self.head = fh.read(_SNIFF_BYTES)

    def chunks(self, chunk_size: int) -> Iterator[bytes]:
        with self.path.open("rb") as fh:
            while chunk := fh.read(chunk_size):
                yield chunk

    def image_file(self) -> Any:
        return self.path


class _BytesReader(_Reader):
    def __init__(self, data: bytes | bytearray | memoryview) -> None:
        # A view, not a copy; cast("B") makes len() count bytes for any memoryview format.
        self.data = memoryview(data).cast("B") if isinstance(data, memoryview) else memoryview(data)
        self.size = len(self.data)
        self.head = bytes(self.data[:_SNIFF_BYTES])

    def chunks(self, chunk_size: int) -> Iterator[bytes]:
        for start in range(0, len(self.data), chunk_size):
            yield bytes(self.data[start : start + chunk_size])

    def achunks(self, chunk_size: int) -> AsyncIterator[bytes]:
        return _async_of(self.chunks(chunk_size))  # memory only: no thread needed

    def image_file(self) -> Any:
        return io.BytesIO(self.data)


async def _async_of(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


class _FileReader(_Reader):
    def __init__(self, fh: IO[bytes], chunk_size: int) -> None:
        mode = getattr(fh, "mode", "b")
        if isinstance(fh, io.TextIOBase) or (isinstance(mode, str) and "b" not in mode):
            raise UploadSourceError("the file is open in text mode; open it with 'rb'")
        self.fh = fh
        name = getattr(fh, "name", None)
        self.filename = os.path.basename(name) if isinstance(name, str) else None
        self.rewindable = _seekable(fh)
        self._first: bytes | None = None
        if self.rewindable:
            self.start = fh.tell()
            end = fh.seek(0, io.SEEK_END)
            fh.seek(self.start)
            self.size = end - self.start
            self.head = _as_bytes(fh.read(_SNIFF_BYTES))
            fh.seek(self.start)
        else:
            # A pipe or socket cannot be peeked: its first chunk is kept and sent first.
            self._first = _as_bytes(fh.read(chunk_size))
            self.head = self._first

    def chunks(self, chunk_size: int) -> Iterator[bytes]:
        if self.rewindable:
            self.fh.seek(self.start)
        elif self._first is not None:
            first, self._first = self._first, None
            if first:
                yield first
        while chunk := _as_bytes(self.fh.read(chunk_size)):
            yield chunk

    def image_file(self) -> Any:
        if not self.rewindable:
            return io.BytesIO(self.head)
        return _Window(self.fh, self.start)


class _Window(io.RawIOBase):
    """A caller's file object seen from `start`, as Pillow (which seeks to 0) needs it."""

    def __init__(self, fh: IO[bytes], start: int) -> None:
        super().__init__()
        self.fh, self.start = fh, start

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.fh.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            offset += self.start
        return self.fh.seek(offset, whence) - self.start

    def tell(self) -> int:
        return self.fh.tell() - self.start


class _IterReader(_Reader):
    rewindable = False

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self.it = iter(chunks)
        self._first: bytes | None = _next_nonempty(self.it)
        self.head = self._first or b""

    def chunks(self, chunk_size: int) -> Iterator[bytes]:
        if self._first:
            yield self._first
        self._first = None
        for chunk in self.it:
            yield _as_bytes(chunk)

    def image_file(self) -> Any:
        return io.BytesIO(self.head)


class _AsyncIterReader(_Reader):
    rewindable = False

    def __init__(self, chunks: AsyncIterable[bytes]) -> None:
        self.ait = aiter(chunks)
        self._first: bytes | None = None

    async def peek(self) -> None:
        async for chunk in self.ait:
            if _as_bytes(chunk):
                self._first = self.head = _as_bytes(chunk)
                return

    def chunks(self, chunk_size: int) -> Iterator[bytes]:
        raise UploadSourceError("an async iterator can only be uploaded by the async client")

    async def _achunks(self) -> AsyncIterator[bytes]:
        if self._first:
            yield self._first
        self._first = None
        async for chunk in self.ait:
            yield _as_bytes(chunk)

    def achunks(self, chunk_size: int) -> AsyncIterator[bytes]:
        return self._achunks()

    def image_file(self) -> Any:
        return io.BytesIO(self.head)


def _seekable(fh: IO[bytes]) -> bool:
    try:
        return bool(fh.seekable())
    except (AttributeError, ValueError, OSError):
        return False


def _as_bytes(chunk: object) -> bytes:
    if isinstance(chunk, bytes):
        return chunk
    if isinstance(chunk, bytearray | memoryview):
        return bytes(chunk)
    raise UploadSourceError(f"an upload source must give bytes, not {type(chunk).__name__}")


def _next_nonempty(it: Iterator[bytes]) -> bytes | None:
    for chunk in it:
        if data := _as_bytes(chunk):
            return data
    return None


# ---- the prepared upload ------------------------------------------------------------------------


class Upload:
    """A source ready to send: name, media type, size, and its bytes as request content."""

    def __init__(
        self,
        reader: _Reader,
        *,
        filename: str | None,
        content_type: str | None,
        size: int | None,
        chunk_size: int,
    ) -> None:
        self._reader = reader
        self._chunk_size = chunk_size
        self._opened = False
        self.filename: str | None = filename if filename is not None else reader.filename
        self.content_type: str = (
            _check_content_type(content_type)
            if content_type is not None
            else guess_content_type(self.filename, reader.head)
        )
        if reader.size is not None and size is not None and size != reader.size:
            raise UploadSourceError(f"size={size} given, but the source holds {reader.size} bytes")
        self.size: int | None = reader.size if reader.size is not None else size
        if self.size == 0 or (self.size is None and reader.rewindable is False and not reader.head):
            raise UploadSourceError(
                "the upload source is empty; the server takes at least one byte"
            )

    def __repr__(self) -> str:
        return (
            f"Upload(filename={self.filename!r}, content_type={self.content_type!r}, "
            f"size={self.size!r}, rewindable={self.rewindable!r})"
        )

    @property
    def rewindable(self) -> bool:
        """True when the bytes can be sent again from the start: a failed upload may be retried."""
        return self._reader.rewindable

    def headers(self) -> dict[str, str]:
        """`Content-Type`, and `Content-Length` when the size is known (else chunked)."""
        headers = {"Content-Type": self.content_type}
        if self.size is not None:
            headers["Content-Length"] = str(self.size)
        return headers

    def _start(self) -> None:
        if self._opened and not self.rewindable:
            raise UploadSourceError(
                "this upload source was already read and cannot be rewound (an iterator or a "
                "pipe), so it cannot be sent again, e.g. for a retry; pass a path, bytes or a "
                "seekable file to allow that"
            )
        self._opened = True

    def content(self, progress: ProgressCallback | None = None) -> Iterable[bytes]:
        """The request content for a sync client: re-iterable, each pass from the first byte, so a
        retry or a token replay can send it again (a source that is not rewindable refuses the
        second pass with `UploadSourceError`)."""
        return _SyncContent(self, progress)

    def acontent(self, progress: ProgressCallback | None = None) -> AsyncIterable[bytes]:
        """The request content for an async client; see `content`."""
        return _AsyncContent(self, progress)

    def iter_bytes(self, progress: ProgressCallback | None = None) -> Iterator[bytes]:
        """The content for a sync request, from the first byte; `progress` after each chunk."""
        self._start()
        return self._counted(self._reader.chunks(self._chunk_size), progress)

    def aiter_bytes(self, progress: ProgressCallback | None = None) -> AsyncIterator[bytes]:
        """The content for an async request, from the first byte; `progress` after each chunk."""
        self._start()
        return self._acounted(self._reader.achunks(self._chunk_size), progress)

    def _check(self, sent: int, final: bool) -> None:
        if self.size is not None and (sent > self.size or (final and sent != self.size)):
            raise UploadSourceError(
                f"the upload source gave {'more than ' if sent > self.size else ''}{sent} bytes, "
                f"but its size is {self.size}; it changed while being sent"
            )
        if final and sent == 0:
            raise UploadSourceError(
                "the upload source is empty; the server takes at least one byte"
            )

    def _counted(
        self, chunks: Iterator[bytes], progress: ProgressCallback | None
    ) -> Iterator[bytes]:
        sent = 0
        for chunk in chunks:
            self._check(sent + len(chunk), final=False)
            yield chunk
            # Resumed: the transport has taken the chunk and asks for the next.
            sent += len(chunk)
            if progress is not None:
                progress(sent, self.size)
        self._check(sent, final=True)

    async def _acounted(
        self, chunks: AsyncIterator[bytes], progress: ProgressCallback | None
    ) -> AsyncIterator[bytes]:
        sent = 0
        try:
            async for chunk in chunks:
                self._check(sent + len(chunk), final=False)
                yield chunk
                sent += len(chunk)
                if progress is not None:
                    progress(sent, self.size)
        finally:
            aclose = getattr(chunks, "aclose", None)
            if aclose is not None:
                await aclose()
        self._check(sent, final=True)

    def image_size(self) -> tuple[int, int] | None:
        """(width, height) of an image, read from its header by Pillow when installed; else None.

        Only the header is read, never the pixels. Reads the file: in async code, call it in a
        worker thread.
        """
        if not self.content_type.startswith("image/"):
            return None
        try:
            from PIL import Image
        except ImportError:
            return None
        source = self._reader.image_file()
        if source is None:
            return None
        # Reading the header moves a caller's file object: put it back where it was.
        saved = source.fh.tell() if isinstance(source, _Window) else None
        try:
            # A huge image is still an image: its header is all we read, so no bomb can go off.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(source) as image:
                    return image.size
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            return None
        finally:
            if isinstance(source, _Window) and saved is not None:
                source.fh.seek(saved)

    def image_content(self, o_url: str, *, body: str | None = None) -> ImageContent:
        """The `m.image` message of this upload once stored at `o_url`, with `info` filled in."""
        size = self.image_size()
        return image_content(
            o_url,
            body=body if body is not None else self.filename or "image",
            mimetype=self.content_type,
            size=self.size,
            width=None if size is None else size[0],
            height=None if size is None else size[1],
        )

    def file_content(self, o_url: str, *, body: str | None = None) -> FileContent:
        """The `m.file` message of this upload once stored at `o_url`, with `info` filled in."""
        return file_content(
            o_url,
            body=body if body is not None else self.filename or "file",
            mimetype=self.content_type,
            size=self.size,
        )


class _SyncContent:
    # Iterable but not an iterator (and no generator): httpx then iterates it afresh on a resend.
    def __init__(self, upload: Upload, progress: ProgressCallback | None) -> None:
        self._upload, self._progress = upload, progress

    def __iter__(self) -> Iterator[bytes]:
        return self._upload.iter_bytes(self._progress)


class _AsyncContent:
    # Only __aiter__: an object with __iter__ too would be taken by httpx as a sync body.
    def __init__(self, upload: Upload, progress: ProgressCallback | None) -> None:
        self._upload, self._progress = upload, progress

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._upload.aiter_bytes(self._progress)


class SourceOptions(TypedDict, total=False):
    """What a caller may say of an upload source, over what is read from it (None: nothing):

    - `filename`: the name to record (default: a path's or file object's own);
    - `content_type`: the media type (default: guessed from the first bytes and the name);
    - `size`: the length of an iterator or pipe, so that it goes out with a Content-Length
      (checked while streaming; a path, bytes and seekable files know theirs).
    """

    filename: str | None
    content_type: str | None
    size: int | None


class PrepareOptions(SourceOptions, total=False):
    """The options of `prepare_upload` / `aprepare_upload`: `SourceOptions`, and `chunk_size`,
    the bytes of each chunk read and sent."""

    chunk_size: int


class _Described(NamedTuple):  # not a dataclass: cheaper to make at import
    filename: str | None
    content_type: str | None
    size: int | None
    chunk_size: int

    def upload(self, reader: _Reader) -> Upload:
        return Upload(
            reader,
            filename=self.filename,
            content_type=self.content_type,
            size=self.size,
            chunk_size=self.chunk_size,
        )


def _described(
    *,
    filename: str | None = None,
    content_type: str | None = None,
    size: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> _Described:
    # The one place `PrepareOptions` are named: a misspelt option is a TypeError.
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive int, got {chunk_size!r}")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
        raise ValueError(f"size must be a non-negative int, got {size!r}")
    return _Described(filename, content_type, size, chunk_size)


def _reader(source: UploadInput, chunk_size: int) -> _Reader:
    if isinstance(source, str | os.PathLike):
        return _PathReader(Path(source))
    if isinstance(source, bytes | bytearray | memoryview):
        return _BytesReader(source)
    if hasattr(source, "read"):
        return _FileReader(source, chunk_size)  # type: ignore[arg-type]
    if isinstance(source, AsyncIterable):
        return _AsyncIterReader(source)
    if isinstance(source, Iterable):
        return _IterReader(source)
    raise TypeError(
        "an upload source is a path, bytes, a binary file object or an iterator of bytes, "
        f"not {type(source).__name__}"
    )


def prepare_upload(source: UploadInput, **options: Unpack[PrepareOptions]) -> Upload:
    """An `Upload` of `source` for the sync client; the options are `PrepareOptions`.

    An iterator's first chunk is read now, to guess its type.
    """
    described = _described(**options)
    if isinstance(source, AsyncIterable) and not hasattr(source, "read"):
        raise TypeError("an async iterator can only be uploaded with the async client")
    return described.upload(_reader(source, described.chunk_size))


async def aprepare_upload(source: UploadInput, **options: Unpack[PrepareOptions]) -> Upload:
    """An `Upload` of `source` for the async client; see `prepare_upload`. Opening a path or
    reading the first chunk of a file object or sync iterator happens in a worker thread."""
    described = _described(**options)
    reader: _Reader
    if isinstance(source, bytes | bytearray | memoryview):
        reader = _BytesReader(source)
    elif isinstance(source, AsyncIterable) and not hasattr(source, "read"):
        reader = _AsyncIterReader(source)
        await reader.peek()
    else:
        import anyio.to_thread

        reader = await anyio.to_thread.run_sync(_reader, source, described.chunk_size)
    return described.upload(reader)
