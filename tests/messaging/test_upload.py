"""Upload sources: real media type, size, chunked streaming, progress and rewindability."""

from __future__ import annotations

import io
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from finchat_wrapper._errors import FinChatError
from finchat_wrapper._upload import (
    OCTET_STREAM,
    Upload,
    UploadSourceError,
    aprepare_upload,
    guess_content_type,
    prepare_upload,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
URI = "mxc://example.org/abc"


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(out, "PNG")
    return out.getvalue()


def jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "blue").save(out, "JPEG")
    return out.getvalue()


class Pipe(io.RawIOBase):
    """A readable binary stream that cannot seek, like a pipe or a socket."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)
        self.reads = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self.reads += 1
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def collect(upload: Upload) -> tuple[bytes, list[int], list[tuple[int, int | None]]]:
    seen: list[tuple[int, int | None]] = []
    chunks = list(upload.iter_bytes(lambda sent, total: seen.append((sent, total))))
    return b"".join(chunks), [len(c) for c in chunks], seen


async def acollect(upload: Upload) -> tuple[bytes, list[tuple[int, int | None]]]:
    seen: list[tuple[int, int | None]] = []
    chunks = [c async for c in upload.aiter_bytes(lambda s, t: seen.append((s, t)))]
    return b"".join(chunks), seen


# ---- media type -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PNG_MAGIC + b"rest", "image/png"),
        (b"\xff\xd8\xff\xe0rest", "image/jpeg"),
        (b"GIF87a...", "image/gif"),
        (b"GIF89a...", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"%PDF-1.7\n", "application/pdf"),
    ],
)
def test_the_first_bytes_decide_the_type_even_against_the_name(head: bytes, expected: str) -> None:
    assert guess_content_type("holiday.txt", head) == expected
    assert guess_content_type(None, head) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("notes.txt", "text/plain"),
        ("report.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("photo.WEBP", "image/webp"),
        ("data.csv", "text/csv"),
    ],
)
def test_the_name_decides_when_the_bytes_do_not(name: str, expected: str) -> None:
    # A .docx starts like any zip: its name says more than its bytes.
    assert guess_content_type(name, b"PK\x03\x04rest") == expected


def test_a_zip_without_a_telling_name_is_a_zip_and_unknown_bytes_are_octet_stream() -> None:
    assert guess_content_type(None, b"PK\x03\x04rest") == "application/zip"
    assert guess_content_type("blob", b"\x00\x01\x02") == OCTET_STREAM


def test_the_content_type_can_be_overridden() -> None:
    upload = prepare_upload(PNG_MAGIC + b"x", content_type="application/x-custom; v=1")
    assert upload.headers()["Content-Type"] == "application/x-custom; v=1"


@pytest.mark.parametrize("bad", ["png", "image/png\r\nX-Evil: 1", "", "image/"])
def test_a_malformed_content_type_is_refused(bad: str) -> None:
    with pytest.raises(UploadSourceError, match="not a media type"):
        prepare_upload(b"x", content_type=bad)


@pytest.mark.parametrize(
    "bad", ["image/pñg", "image/png; name=é", "ｉmage/png", "image/png; q=\u2028"]
)
def test_a_non_ascii_content_type_is_an_upload_source_error_not_a_unicode_error(
    bad: str,
) -> None:
    # A header value: httpx encodes it as ASCII, and would fail in the middle of the request.
    with pytest.raises(UploadSourceError, match="not a media type"):
        prepare_upload(b"x", content_type=bad)


# ---- sources ----------------------------------------------------------------------------------


def test_a_path_streams_in_chunks_with_its_name_size_and_progress(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    data = b"%PDF-1.4\n" + bytes(range(256)) * 40
    path.write_bytes(data)
    upload = prepare_upload(path, chunk_size=4096)
    assert (upload.filename, upload.content_type, upload.size) == (
        "scan.pdf",
        "application/pdf",
        len(data),
    )
    assert upload.headers() == {"Content-Type": "application/pdf", "Content-Length": str(len(data))}
    body, sizes, progress = collect(upload)
    assert body == data
    assert sizes == [4096, 4096, len(data) - 8192]
    assert progress == [(4096, len(data)), (8192, len(data)), (len(data), len(data))]
    assert upload.rewindable


def test_a_path_given_as_str_is_read_again_from_the_start_on_each_iteration(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"abc" * 1000)
    upload = prepare_upload(str(path), chunk_size=100)
    assert collect(upload)[0] == collect(upload)[0] == b"abc" * 1000


def test_bytes_bytearray_and_memoryview_are_sources() -> None:
    for source in (b"hello", bytearray(b"hello"), memoryview(b"hello")):
        upload = prepare_upload(source, filename="hi.txt", chunk_size=2)
        assert (upload.content_type, upload.size, upload.rewindable) == ("text/plain", 5, True)
        body, sizes, _ = collect(upload)
        assert (body, sizes) == (b"hello", [2, 2, 1])


def test_a_memoryview_of_wider_items_counts_bytes() -> None:
    import array

    view = memoryview(array.array("I", [1, 2, 3]))
    upload = prepare_upload(view)
    assert upload.size == 12
    assert collect(upload)[0] == bytes(view)


def test_a_seekable_file_is_sent_from_its_position_and_is_rewindable() -> None:
    fh = io.BytesIO(b"skip" + PNG_MAGIC + b"payload")
    fh.seek(4)
    upload = prepare_upload(fh)
    assert (upload.content_type, upload.size, upload.rewindable) == ("image/png", 15, True)
    assert fh.tell() == 4
    assert collect(upload)[0] == PNG_MAGIC + b"payload"
    assert collect(upload)[0] == PNG_MAGIC + b"payload"


def test_an_open_file_gives_its_name(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_bytes(b"some notes")
    with (tmp_path / "notes.txt").open("rb") as fh:
        upload = prepare_upload(fh)
        assert (upload.filename, upload.content_type, upload.size) == (
            "notes.txt",
            "text/plain",
            10,
        )
        assert collect(upload)[0] == b"some notes"


def test_a_pipe_is_streamed_once_with_its_first_chunk_kept() -> None:
    pipe = Pipe(b"%PDF-" + b"z" * 10_000)
    upload = prepare_upload(io.BufferedReader(pipe), chunk_size=1024)
    assert (upload.content_type, upload.size, upload.rewindable) == ("application/pdf", None, False)
    assert "Content-Length" not in upload.headers()
    body, sizes, progress = collect(upload)
    assert body == b"%PDF-" + b"z" * 10_000
    assert max(sizes) <= 1024
    assert progress[-1] == (10_005, None)
    with pytest.raises(UploadSourceError, match="cannot be rewound"):
        upload.iter_bytes()


def test_a_file_open_in_text_mode_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("text")
    with (tmp_path / "a.txt").open("r") as fh, pytest.raises(UploadSourceError, match="'rb'"):
        prepare_upload(fh)  # type: ignore[arg-type]


def test_an_iterator_is_peeked_for_its_type_and_streamed_once() -> None:
    pulled: list[int] = []

    def chunks() -> Iterator[bytes]:
        for i, chunk in enumerate([b"", b"GIF89a", b"more", bytearray(b"end")]):
            pulled.append(i)
            yield chunk

    upload = prepare_upload(chunks())
    assert pulled == [0, 1]
    assert (upload.content_type, upload.size, upload.rewindable) == ("image/gif", None, False)
    assert collect(upload)[0] == b"GIF89amoreend"
    with pytest.raises(UploadSourceError, match="cannot be rewound"):
        upload.iter_bytes()


def test_a_declared_size_is_sent_as_content_length_and_enforced_while_streaming() -> None:
    upload = prepare_upload(iter([b"abc", b"def"]), size=6)
    assert upload.headers()["Content-Length"] == "6"
    assert collect(upload)[0] == b"abcdef"

    too_long = prepare_upload(iter([b"abc", b"def"]), size=4)
    with pytest.raises(UploadSourceError, match="more than 6 bytes, but its size is 4"):
        collect(too_long)

    too_short = prepare_upload(iter([b"abc", b"def"]), size=10)
    with pytest.raises(UploadSourceError, match="gave 6 bytes, but its size is 10"):
        collect(too_short)


def test_a_file_that_grows_while_being_sent_is_an_error_not_a_corrupt_upload(
    tmp_path: Path,
) -> None:
    path = tmp_path / "log.txt"
    path.write_bytes(b"x" * 100)
    upload = prepare_upload(path)
    path.write_bytes(b"x" * 200)
    with pytest.raises(UploadSourceError, match="size is 100"):
        collect(upload)


def test_an_iterator_of_str_is_refused() -> None:
    with pytest.raises(UploadSourceError, match="must give bytes, not str"):
        prepare_upload(iter(["text"]))  # type: ignore[list-item]


@pytest.mark.parametrize(
    "source",
    [b"", iter([]), iter([b"", b""]), io.BytesIO(b"")],
    ids=["bytes", "iterator", "empty-chunks", "file"],
)
def test_an_empty_source_is_refused_before_sending(source: Any) -> None:
    with pytest.raises(UploadSourceError, match="empty"):
        prepare_upload(source)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").write_bytes(b"")
    with pytest.raises(UploadSourceError, match="empty"):
        prepare_upload(tmp_path / "empty")


def test_a_missing_path_or_a_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UploadSourceError, match="no such file"):
        prepare_upload(tmp_path / "missing.png")
    with pytest.raises(UploadSourceError, match="not a regular file"):
        prepare_upload(tmp_path)


def test_upload_source_errors_are_finchat_errors_and_value_errors() -> None:
    assert issubclass(UploadSourceError, FinChatError)
    assert issubclass(UploadSourceError, ValueError)


def test_a_size_that_contradicts_the_source_is_refused() -> None:
    with pytest.raises(UploadSourceError, match="size=3 given, but the source holds 5 bytes"):
        prepare_upload(b"hello", size=3)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"size": -1}, "size must be"), ({"chunk_size": 0}, "chunk_size must be")],
)
def test_bad_sizes_are_refused(kwargs: dict[str, int], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        prepare_upload(b"x", **kwargs)


def test_what_is_not_a_source_is_refused() -> None:
    with pytest.raises(TypeError, match="not int"):
        prepare_upload(42)  # type: ignore[arg-type]


def test_a_progress_callback_that_raises_stops_the_upload() -> None:
    def stop(sent: int, total: int | None) -> None:
        raise KeyboardInterrupt

    upload = prepare_upload(b"abcdef", chunk_size=2)
    with pytest.raises(KeyboardInterrupt):
        list(upload.iter_bytes(stop))


# ---- async ------------------------------------------------------------------------------------


async def agen(*chunks: bytes) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


async def test_an_async_iterator_is_peeked_for_its_type_and_streamed() -> None:
    upload = await aprepare_upload(agen(b"", b"%PDF-1.4", b"tail"), filename="doc")
    assert (upload.content_type, upload.size, upload.rewindable) == ("application/pdf", None, False)
    body, progress = await acollect(upload)
    assert body == b"%PDF-1.4tail"
    assert progress == [(8, None), (12, None)]
    with pytest.raises(UploadSourceError, match="cannot be rewound"):
        upload.aiter_bytes()


async def test_an_async_iterator_cannot_go_through_the_sync_client() -> None:
    with pytest.raises(TypeError, match="async client"):
        prepare_upload(agen(b"x"))
    upload = await aprepare_upload(agen(b"x"))
    with pytest.raises(UploadSourceError, match="async client"):
        list(upload.iter_bytes())


async def test_an_empty_async_iterator_is_refused() -> None:
    with pytest.raises(UploadSourceError, match="empty"):
        await aprepare_upload(agen(b""))


async def test_every_sync_source_streams_the_same_bytes_asynchronously(tmp_path: Path) -> None:
    data = PNG_MAGIC + bytes(range(256)) * 100
    path = tmp_path / "a.png"
    path.write_bytes(data)
    sources: list[Callable[[], Any]] = [
        lambda: path,
        lambda: data,
        lambda: io.BytesIO(data),
        lambda: io.BufferedReader(Pipe(data)),
        lambda: iter([data[:10], data[10:]]),
    ]
    for make in sources:
        upload = await aprepare_upload(make(), chunk_size=1000)
        body, progress = await acollect(upload)
        assert body == data
        assert progress[-1][0] == len(data)
        assert upload.content_type == "image/png"


async def test_an_async_upload_checks_the_declared_size() -> None:
    upload = await aprepare_upload(agen(b"abc"), size=5)
    with pytest.raises(UploadSourceError, match="gave 3 bytes, but its size is 5"):
        await acollect(upload)


# ---- on the wire ------------------------------------------------------------------------------


def recorder() -> tuple[list[httpx.Request], httpx.MockTransport]:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"content_uri": URI})

    return seen, httpx.MockTransport(handle)


def test_httpx_sends_the_bytes_type_and_length_of_a_sized_source(tmp_path: Path) -> None:
    data = jpeg(4, 3)
    (tmp_path / "a.jpg").write_bytes(data)
    upload = prepare_upload(tmp_path / "a.jpg")
    seen, transport = recorder()
    with httpx.Client(transport=transport) as client:
        client.post(
            "https://example.org/upload", content=upload.iter_bytes(), headers=upload.headers()
        )
    (request,) = seen
    assert request.content == data
    assert request.headers["Content-Type"] == "image/jpeg"
    assert request.headers["Content-Length"] == str(len(data))
    assert "Transfer-Encoding" not in request.headers


async def test_httpx_sends_an_unsized_async_source_chunked() -> None:
    upload = await aprepare_upload(agen(b"GIF89a", b"rest"))
    seen, transport = recorder()
    async with httpx.AsyncClient(transport=transport) as client:
        await client.post(
            "https://example.org/upload", content=upload.aiter_bytes(), headers=upload.headers()
        )
    (request,) = seen
    assert request.content == b"GIF89arest"
    assert request.headers["Content-Type"] == "image/gif"
    assert request.headers["Transfer-Encoding"] == "chunked"


class StreamingRecorder(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Reads each request body from its stream as a network transport does (MockTransport reads it
    into the request once and would hide whether a resend iterates the content again)."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(b"".join(request.stream))  # type: ignore[arg-type]
        return httpx.Response(200, json={"content_uri": URI})

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(b"".join([c async for c in request.stream]))  # type: ignore[union-attr]
        return httpx.Response(200, json={"content_uri": URI})


# ---- image facts and messages -----------------------------------------------------------------


def test_image_size_is_read_from_every_kind_of_source(tmp_path: Path) -> None:
    data = png(13, 7)
    (tmp_path / "a.png").write_bytes(data)
    fh = io.BytesIO(b"xx" + data)
    fh.seek(2)
    for source in (tmp_path / "a.png", data, fh, iter([data])):
        assert prepare_upload(source).image_size() == (13, 7)
    assert fh.tell() == 2


def test_image_size_is_none_for_what_is_not_a_readable_image(tmp_path: Path) -> None:
    assert prepare_upload(b"%PDF-1.4 text").image_size() is None
    assert prepare_upload(PNG_MAGIC + b"garbage").image_size() is None


def test_image_size_is_none_without_pillow(monkeypatch: pytest.MonkeyPatch) -> None:
    upload = prepare_upload(png(2, 2))
    monkeypatch.setitem(sys.modules, "PIL", None)
    assert upload.image_size() is None


def test_an_image_upload_makes_an_image_message_with_its_info(
    tmp_path: Path, validate: Callable[[str, Any], None]
) -> None:
    data = jpeg(20, 10)
    (tmp_path / "cat.jpg").write_bytes(data)
    content = prepare_upload(tmp_path / "cat.jpg").image_content(URI)
    assert content.to_dict() == {
        "msgtype": "m.image",
        "body": "cat.jpg",
        "o_url": URI,
        "info": {"mimetype": "image/jpeg", "size": len(data), "w": 20, "h": 10},
    }
    validate("ImageContent", content.to_dict())


def test_a_file_upload_makes_a_file_message_with_its_info(
    validate: Callable[[str, Any], None],
) -> None:
    content = prepare_upload(iter([b"%PDF-1.4"])).file_content(URI)
    assert content.to_dict() == {
        "msgtype": "m.file",
        "body": "file",
        "o_url": URI,
        "info": {"mimetype": "application/pdf"},
    }
    validate("FileContent", content.to_dict())


def test_the_request_content_is_sent_again_in_full_when_httpx_resends_it(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF-" + b"x" * 1000)
    upload = prepare_upload(tmp_path / "a.pdf", chunk_size=100)
    transport = StreamingRecorder()
    with httpx.Client(transport=transport) as client:
        request = client.build_request(
            "POST", "https://example.org/upload", content=upload.content(), headers=upload.headers()
        )
        client.send(request)
        client.send(request)  # what a retry or a token replay does
    assert transport.bodies == [b"%PDF-" + b"x" * 1000] * 2


def test_the_request_content_of_an_iterator_refuses_a_second_pass() -> None:
    content = prepare_upload(iter([b"abc"])).content()
    assert b"".join(content) == b"abc"
    with pytest.raises(UploadSourceError, match="cannot be sent again"):
        iter(content)


async def test_the_async_request_content_is_sent_again_in_full_when_httpx_resends_it() -> None:
    upload = await aprepare_upload(b"GIF89a" + b"y" * 500, chunk_size=64)
    progress: list[tuple[int, int | None]] = []
    transport = StreamingRecorder()
    async with httpx.AsyncClient(transport=transport) as client:
        request = client.build_request(
            "POST",
            "https://example.org/upload",
            content=upload.acontent(lambda s, t: progress.append((s, t))),
            headers=upload.headers(),
        )
        await client.send(request)
        await client.send(request)
    assert transport.bodies == [b"GIF89a" + b"y" * 500] * 2
    assert request.headers["Content-Length"] == "506"
    assert progress.count((506, 506)) == 2
