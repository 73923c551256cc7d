"""Answer bodies are bounded by `max_response_bytes`, counted after decompression, on every path.

Memory is checked with tracemalloc, which counts this process's own Python allocations (whatever
else runs on the machine), against bounds far below what an unbounded read would allocate.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import anyio.lowlevel
import pytest

from finchat_wrapper import (
    AsyncFinChat,
    FinChat,
    InvalidResponseError,
    ResponseTooLargeError,
)
from finchat_wrapper._constants import DEFAULT_MAX_RESPONSE_BYTES

from .conftest import (
    FCID,
    PREFIX,
    HostileServer,
    MiB,
    Runner,
    answer,
    compressed,
    giant,
    gzip_bomb,
)

LIMIT = 1 * MiB
BOMB = 64 * MiB  # decoded; about 64 KiB on the wire
GIANT = 256 * MiB


@pytest.fixture
def peak() -> Iterator[Callable[[], int]]:
    """The peak of Python allocations (bytes) since the test started, as a function."""
    gzip_bomb(BOMB)  # the server's own bytes, built before the count starts
    tracemalloc.start()
    try:
        yield lambda: tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_gzip_bomb_stops_at_the_limit_with_bounded_memory(
    run: Runner, hostile: HostileServer, peak: Callable[[], int]
) -> None:
    hostile.on("user", gzip_bomb(BOMB))
    with pytest.raises(ResponseTooLargeError) as caught:
        run(lambda c: c.users.get(FCID), max_response_bytes=LIMIT)
    assert caught.value.limit == LIMIT
    assert "max_response_bytes" in str(caught.value)
    # An unbounded read holds the 64 MiB decoded; the bounded one the limit and one step.
    assert peak() < 8 * MiB


def test_a_gzip_bomb_from_the_token_endpoint_stops_at_the_limit(
    run: Runner, hostile: HostileServer, peak: Callable[[], int]
) -> None:
    hostile.on("token", gzip_bomb(BOMB))
    with pytest.raises(ResponseTooLargeError):
        run(lambda c: c.users.get(FCID), max_response_bytes=LIMIT)
    assert hostile.hits("user") == 0
    assert peak() < 8 * MiB


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "chunked"])
def test_a_giant_plain_body_is_read_no_further_than_the_limit(
    run: Runner, hostile: HostileServer, declare_length: bool
) -> None:
    hostile.on("user", giant(GIANT, declare_length=declare_length))
    with pytest.raises(ResponseTooLargeError):
        run(lambda c: c.users.get(FCID), max_response_bytes=LIMIT)
    [exchange] = hostile.exchanges[-1:]
    # What left the server before the client hung up: the limit plus what the kernel's socket
    # buffers took (tens of MiB at most), never the whole body.
    assert exchange.sent < GIANT // 4


def test_a_giant_token_answer_is_read_no_further_than_the_limit(
    run: Runner, hostile: HostileServer
) -> None:
    hostile.on("token", giant(GIANT))
    with pytest.raises(ResponseTooLargeError):
        run(lambda c: c.auth.token(), max_response_bytes=LIMIT)
    assert hostile.exchanges[-1].sent < GIANT // 4


def test_an_error_answer_with_a_giant_body_is_bounded_too(
    run: Runner, hostile: HostileServer
) -> None:
    async def giant_500(ex: Any) -> None:
        await ex.start(500, {"content-type": "text/html"})
        block = b"x" * (64 * 1024)
        while ex.sent < GIANT and not ex.gone.is_set():
            await ex.chunk(block)
            await anyio.lowlevel.checkpoint()  # let the disconnect watcher see the hang-up
        await ex.chunk(b"", more=False)

    hostile.on("user", giant_500)
    with pytest.raises(ResponseTooLargeError):
        run(lambda c: c.users.get(FCID), max_response_bytes=LIMIT, max_retries=0)
    assert hostile.exchanges[-1].sent < GIANT // 4


def test_a_body_of_exactly_the_limit_is_read_whole(run: Runner, hostile: HostileServer) -> None:
    body = b'{"fcid": "@alice:hostile.test", "name": "Alice"}'
    hostile.on("user", answer(200, body.ljust(LIMIT), {"content-type": "application/json"}))
    user = run(lambda c: c.users.get(FCID), max_response_bytes=LIMIT)
    assert user.fcid == FCID


def test_one_byte_over_the_limit_is_refused(run: Runner, hostile: HostileServer) -> None:
    body = b'{"fcid": "@alice:hostile.test", "name": "Alice"}'
    hostile.on("user", answer(200, body.ljust(LIMIT + 1), {"content-type": "application/json"}))
    with pytest.raises(ResponseTooLargeError):
        run(lambda c: c.users.get(FCID), max_response_bytes=LIMIT)


@pytest.mark.parametrize("coding", ["gzip", "deflate", "raw-deflate"])
def test_a_compressed_answer_within_the_limit_is_decoded(
    run: Runner, hostile: HostileServer, coding: str
) -> None:
    body = b'{"fcid": "@alice:hostile.test", "name": "' + b"A" * 300_000 + b'"}'
    encoding = "deflate" if coding == "raw-deflate" else coding
    hostile.on(
        "user",
        answer(
            200,
            compressed(body, coding),
            {"content-type": "application/json", "content-encoding": encoding},
        ),
    )
    user = run(lambda c: c.users.get(FCID), max_response_bytes=LIMIT)
    assert user.name == "A" * 300_000


def test_the_limit_counts_decoded_bytes_not_wire_bytes(run: Runner, hostile: HostileServer) -> None:
    body = b'{"fcid": "@alice:hostile.test", "name": "' + b"A" * (2 * LIMIT) + b'"}'
    hostile.on(
        "user",
        answer(
            200,
            compressed(body, "gzip"),
            {"content-type": "application/json", "content-encoding": "gzip"},
        ),
    )
    with pytest.raises(ResponseTooLargeError):
        run(lambda c: c.users.get(FCID), max_response_bytes=LIMIT)


def test_a_body_in_a_coding_the_client_did_not_ask_for_is_refused(
    run: Runner, hostile: HostileServer
) -> None:
    hostile.on(
        "user",
        answer(
            200,
            b"\x8b\x02\x80{}\x03",
            {"content-type": "application/json", "content-encoding": "br"},
        ),
    )
    with pytest.raises(InvalidResponseError, match="br"):
        run(lambda c: c.users.get(FCID))
    assert hostile.received[-1].headers["accept-encoding"] == "gzip, deflate"


def test_a_corrupt_gzip_body_is_an_invalid_response(run: Runner, hostile: HostileServer) -> None:
    hostile.on(
        "user",
        answer(200, b"\x1f\x8b not gzip", {"content-encoding": "gzip"}),
    )
    with pytest.raises(InvalidResponseError):
        run(lambda c: c.users.get(FCID))


def test_direct_http_client_calls_are_bounded_too(run: Runner, hostile: HostileServer) -> None:
    hostile.on("user", gzip_bomb(BOMB))

    def action(client: Any) -> Any:
        return client.http_client.get(f"{PREFIX}/users/{FCID}")

    with pytest.raises(ResponseTooLargeError):
        run(action, max_response_bytes=LIMIT)


def test_a_caller_s_response_hook_reads_a_bounded_body(run: Runner, hostile: HostileServer) -> None:
    import httpx

    hostile.on("user", gzip_bomb(BOMB))
    if run.is_async:

        async def hook(response: httpx.Response) -> None:
            await response.aread()

        async def main() -> None:
            async with httpx.AsyncClient(event_hooks={"response": [hook]}) as http:
                client = AsyncFinChat(
                    "app1",
                    "s",
                    base_url=hostile.base_url,
                    http_client=http,
                    max_response_bytes=LIMIT,
                )
                await client.users.get(FCID)

        import asyncio

        with pytest.raises(ResponseTooLargeError):
            asyncio.run(main())
    else:
        with httpx.Client(event_hooks={"response": [lambda r: r.read()]}) as http:
            client = FinChat(
                "app1", "s", base_url=hostile.base_url, http_client=http, max_response_bytes=LIMIT
            )
            with pytest.raises(ResponseTooLargeError):
                client.users.get(FCID)


def test_the_default_limit_is_16_mib_and_it_is_checked() -> None:
    assert 16 * MiB == DEFAULT_MAX_RESPONSE_BYTES
    client = FinChat("app1", "s", base_url="http://127.0.0.1:1")
    assert client.max_response_bytes == DEFAULT_MAX_RESPONSE_BYTES
    for bad in (0, -1, 1.5, True, "16"):
        with pytest.raises(ValueError, match="max_response_bytes"):
            FinChat("app1", "s", base_url="http://127.0.0.1:1", max_response_bytes=bad)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="max_response_bytes"):
            AsyncFinChat("app1", "s", base_url="http://127.0.0.1:1", max_response_bytes=bad)  # type: ignore[arg-type]
