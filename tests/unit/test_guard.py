"""The response guard's decoding core and its hooks, without a network: bounded decompression,
codings in order, redirects refused on a mock transport too."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterator

import httpx
import pytest

from finchat_wrapper import FinChat, RedirectError, ResponseTooLargeError
from finchat_wrapper._constants import ACCEPT_ENCODING, DECODE_STEP
from finchat_wrapper._guard import _layers

from .conftest import APP_ID, BASE_URL, SECRET, FakeServer


def _decode(content_encoding: str, data: bytes) -> list[bytes]:
    layers = _layers(content_encoding)
    pieces = [data]
    for layer in layers:
        out = []
        for piece in pieces:
            out.extend(layer.decode(piece))
        out.append(layer.flush())
        pieces = out
    return [p for p in pieces if p]


def test_a_bomb_decodes_in_steps_never_larger_than_decode_step() -> None:
    bomb = gzip.compress(bytes(8 * 1024 * 1024), compresslevel=9)
    pieces = _decode("gzip", bomb)
    assert max(len(p) for p in pieces) <= DECODE_STEP
    assert sum(len(p) for p in pieces) == 8 * 1024 * 1024


def test_two_codings_are_undone_last_applied_first() -> None:
    data = b'{"ok": true}' * 1000
    twice = gzip.compress(zlib.compress(data))  # deflate, then gzip
    assert b"".join(_decode("deflate, gzip", twice)) == data


def test_identity_and_x_gzip_are_understood() -> None:
    data = b"hello" * 100
    assert b"".join(_decode("identity", data)) == data
    assert b"".join(_decode("x-gzip", gzip.compress(data))) == data


def test_a_coding_the_client_did_not_ask_for_is_refused_by_name() -> None:
    with pytest.raises(httpx.DecodingError, match="'br'"):
        _layers("br")


def test_every_request_asks_only_for_the_codings_the_guard_decodes(
    make_client: Callable[..., FinChat], server: FakeServer
) -> None:
    make_client().users.get("@a:x")
    assert {r.headers["Accept-Encoding"] for r in server.requests} == {ACCEPT_ENCODING}


def test_a_redirect_from_a_mock_transport_is_refused_on_a_following_client() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(307, headers={"Location": "https://evil.example/token"})

    http = httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True)
    client = FinChat(APP_ID, SECRET, base_url=BASE_URL, http_client=http)
    with pytest.raises(RedirectError, match=r"307 redirect to https://evil\.example "):
        client.auth.token()
    assert seen == [f"{BASE_URL}/api/v1/finchat/open-api/auth/token"]
    assert http.follow_redirects is False  # the caller's client says so too now


def test_an_unread_mock_stream_is_bounded_like_a_socket() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/token"):
            return httpx.Response(200, json={"app_access_token": "t0k", "expires_in": 60})
        chunks = (b" " * 1000 for _ in range(10_000))  # 10 MB, never read whole
        return httpx.Response(200, stream=_Stream(chunks))

    client = FinChat(
        APP_ID,
        SECRET,
        base_url=BASE_URL,
        transport=httpx.MockTransport(handler),
        max_response_bytes=4096,
    )
    with pytest.raises(ResponseTooLargeError):
        client.users.get("@a:x")


class _Stream(httpx.SyncByteStream):
    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks
