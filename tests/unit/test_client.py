"""FinChat and AsyncFinChat: configuration, the nine operations, errors and retries end to end."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from finchat_openapi.api.users import get_user
from finchat_openapi.models import (
    AppFriendship,
    TextContent,
    UserDetail,
    UserFriendship,
)

from finchat_wrapper import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AsyncFinChat,
    BadJSONError,
    ContentUri,
    FinChat,
    InternalServerError,
    InvalidResponseError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
    SendLimits,
    SendReport,
    ServerError,
)
from finchat_wrapper import _operations as ops

from .conftest import APP_ID, BASE_URL, PREFIX, SECRET, FakeClock, FakeServer

Make = Callable[..., FinChat]
MakeAsync = Callable[..., AsyncFinChat]
TEXT = {"msgtype": "m.text", "body": "hi"}
CUI = {"msgtype": "m.cui", "body": "[card]", "info": {}, "version": "0.1.0"}


def fc_error(status: int, errcode: str) -> httpx.Response:
    return httpx.Response(status, json={"errcode": errcode, "error": "e"})


# ---- configuration -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "base_url",
    ["http://finchat.example.org", "ftp://finchat.example.org", "finchat.example.org", "https://"],
)
def test_base_url_must_be_https_unless_loopback(base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        FinChat(APP_ID, SECRET, base_url=base_url)


@pytest.mark.parametrize(
    "base_url", ["http://127.0.0.1:8000", "http://localhost:1", "http://[::1]:80", "https://x.org"]
)
def test_loopback_http_and_any_https_are_accepted(base_url: str) -> None:
    FinChat(APP_ID, SECRET, base_url=base_url).close()


def test_allow_insecure_http_accepts_plain_http() -> None:
    FinChat(APP_ID, SECRET, base_url="http://finchat.lan", allow_insecure_http=True).close()


@pytest.mark.parametrize(
    "base_url", ["https://user:pw@finchat.test", "https://finchat.test/?a=1", "https://x.org/#f"]
)
def test_base_url_with_credentials_query_or_fragment_is_rejected(base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url") as caught:
        FinChat(APP_ID, SECRET, base_url=base_url)
    assert "pw" not in str(caught.value)


def test_base_url_credentials_are_never_echoed() -> None:
    with pytest.raises(ValueError, match="credentials") as caught:
        FinChat(APP_ID, SECRET, base_url="ftp://user:hunter2@finchat.test")
    assert "hunter2" not in str(caught.value)


def test_base_url_path_prefix_is_kept() -> None:
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        return httpx.Response(200, json={"app_access_token": "t", "expires_in": 60})

    transport = httpx.MockTransport(handler)
    client = FinChat(APP_ID, SECRET, base_url="https://finchat.test/gw/", transport=transport)
    client.auth.token()
    assert paths == ["/gw" + PREFIX + "/auth/token"]


def test_operation_urls_keep_the_base_path_and_the_encoded_ids(server: FakeServer) -> None:
    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path)
        unprefixed = httpx.Request(
            request.method,
            str(request.url).replace("/gw", ""),
            headers=request.headers,
            content=request.content,
        )
        return server.answer(unprefixed)

    transport = httpx.MockTransport(handler)
    client = FinChat(APP_ID, SECRET, base_url="https://finchat.test/gw", transport=transport)
    for fcid in ("@alice:example.org", "@bob:example.org", "@alice:example.org"):
        client.users.get(fcid)
    assert seen[1:] == [
        f"/gw{PREFIX}/users/%40alice%3Aexample.org?app_id={APP_ID}".encode(),
        f"/gw{PREFIX}/users/%40bob%3Aexample.org?app_id={APP_ID}".encode(),
        f"/gw{PREFIX}/users/%40alice%3Aexample.org?app_id={APP_ID}".encode(),
    ]


@pytest.mark.parametrize("timeout", [None, 0, -1, float("inf"), httpx.Timeout(None)])
def test_timeout_must_be_finite(timeout: Any) -> None:
    with pytest.raises(ValueError, match="timeout"):
        FinChat(APP_ID, SECRET, base_url=BASE_URL, timeout=timeout)


def test_default_timeouts_are_set() -> None:
    client = FinChat(APP_ID, SECRET, base_url=BASE_URL)
    assert all(value is not None for value in client.http_client.timeout.as_dict().values())
    assert FinChat(APP_ID, SECRET, base_url=BASE_URL, timeout=3).timeout == httpx.Timeout(3)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": 1.5}, "max_retries"),
        ({"token_refresh_margin": -1}, "token_refresh_margin"),
    ],
)
def test_bad_settings_are_rejected(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FinChat(APP_ID, SECRET, base_url=BASE_URL, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"send_concurrency": 0}, ValueError, "concurrency"),
        ({"send_concurrency": True}, ValueError, "concurrency"),
        ({"send_limits": {"fcids": 10}}, TypeError, "SendLimits"),
    ],
)
def test_bad_send_settings_are_rejected_by_the_constructor_before_any_area_is_made(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        FinChat(APP_ID, SECRET, base_url=BASE_URL, **kwargs)
    with pytest.raises(error, match=message):
        AsyncFinChat(APP_ID, SECRET, base_url=BASE_URL, **kwargs)


def test_each_area_is_made_once_and_media_sends_with_the_messages_limits(
    make_client: Make, make_async_client: MakeAsync
) -> None:
    limits = SendLimits(max_fcids=3)
    for client in (make_client(send_limits=limits), make_async_client(send_limits=limits)):
        media = client.media  # first: it makes `messages`, under the same lock
        assert media._defaults is client.messages
        assert client.messages.limits is limits
        for name in (
            "messages",
            "media",
            "webhooks",
            "rooms",
            "users",
            "contacts",
            "apps",
            "events",
        ):
            assert getattr(client, name) is getattr(client, name), name
        assert client.auth is client.auth


def test_a_cookie_an_answer_sets_is_neither_kept_nor_sent_back(server: FakeServer) -> None:
    sent_cookies: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent_cookies.append(request.headers.get("Cookie"))
        answer = server.answer(request)
        answer.headers["Set-Cookie"] = "session=from-a-proxy; Path=/"
        return answer

    with FinChat(
        APP_ID, SECRET, base_url=BASE_URL, transport=httpx.MockTransport(handler)
    ) as client:
        client.users.get("@alice:example.org")
        client.users.get("@alice:example.org")
        assert not client.http_client.cookies
    assert sent_cookies == [None, None, None]  # the token request and the two reads


@pytest.mark.parametrize(("app_id", "secret"), [("", SECRET), ("..", SECRET), (APP_ID, "")])
def test_bad_credentials_are_rejected_before_any_request(app_id: str, secret: str) -> None:
    with pytest.raises(ValueError, match=r"app_id|secret"):
        FinChat(app_id, secret, base_url=BASE_URL)


def test_from_env_reads_the_three_variables(server: FakeServer) -> None:
    environ = {"FINCHAT_APP_ID": APP_ID, "FINCHAT_SECRET": SECRET, "FINCHAT_BASE_URL": BASE_URL}
    client = FinChat.from_env(environ, transport=server.sync_transport(), max_retries=0)
    assert (client.app_id, str(client.base_url), client.max_retries) == (APP_ID, BASE_URL, 0)
    assert client.auth.token().value == "tok-1"


def test_from_env_names_the_missing_variables_and_never_shows_values() -> None:
    with pytest.raises(ValueError, match="FINCHAT_SECRET, FINCHAT_BASE_URL") as caught:
        AsyncFinChat.from_env({"FINCHAT_APP_ID": "visible-app"})
    assert "visible-app" not in str(caught.value)


def test_repr_shows_no_secret() -> None:
    client = FinChat(APP_ID, SECRET, base_url=BASE_URL)
    text = repr(client) + repr(client.messages) + repr(client._auth) + repr(client.token_store)
    assert SECRET not in text
    assert APP_ID in repr(client)


def test_transport_and_http_client_are_exclusive() -> None:
    with pytest.raises(ValueError, match="not both"):
        FinChat(
            APP_ID,
            SECRET,
            base_url=BASE_URL,
            transport=httpx.MockTransport(lambda r: httpx.Response(200)),
            http_client=httpx.Client(),
        )


def test_a_callers_http_client_is_authenticated_and_left_open(server: FakeServer) -> None:
    http = httpx.Client(transport=server.sync_transport())
    with FinChat(APP_ID, SECRET, base_url=BASE_URL, http_client=http) as client:
        assert client.users.get("@a:x").fcid == "@a:x"
    assert not http.is_closed
    assert http.get(f"{PREFIX}/users/%40a%3Ax", params={"app_id": APP_ID}).status_code == 200
    http.close()


def test_an_http_client_of_the_wrong_kind_is_refused() -> None:
    with pytest.raises(TypeError, match="AsyncClient"):
        AsyncFinChat(APP_ID, SECRET, base_url=BASE_URL, http_client=httpx.Client())  # type: ignore[arg-type]


def test_an_http_client_for_another_server_is_refused() -> None:
    with pytest.raises(ValueError, match="differs"):
        FinChat(APP_ID, SECRET, base_url=BASE_URL, http_client=httpx.Client(base_url="https://a.b"))


def test_context_manager_closes_the_owned_pool() -> None:
    with FinChat(APP_ID, SECRET, base_url=BASE_URL) as client:
        pass
    assert client.http_client.is_closed


async def test_async_context_manager_closes_the_owned_pool() -> None:
    async with AsyncFinChat(APP_ID, SECRET, base_url=BASE_URL) as client:
        pass
    assert client.http_client.is_closed


# ---- the nine operations, both clients -----------------------------------------------------

# (area, method, args, kwargs, expected route, expected type)
OPERATION_CASES: list[tuple[str, str, tuple[Any, ...], dict[str, Any], str, type]] = [
    ("messages", "send", (TEXT,), {"room_ids": ["!r:x"]}, "send", SendReport),
    ("messages", "send_as_user", ("@u:x", TEXT), {"fcids": ["@a:x"]}, "send-as-user",
     SendReport),
    ("messages", "update_cui", ("$e:x", CUI), {"room_ids": ["!r:x"]}, "update-cui",
     SendReport),
    ("media", "upload", (b"\x89PNG",), {"content_type": "image/png"}, "upload", ContentUri),
    ("users", "get", ("@a:x",), {}, "users", UserDetail),
    ("users", "friendships", ("@a:x",), {}, "friendships", list),
    ("contacts", "by_authority", ("admin",), {}, "contacts", list),
    ("apps", "friendships", (), {}, "apps", list),
]  # fmt: skip


@pytest.mark.parametrize(
    ("area", "method", "args", "kwargs", "route", "expected"),
    OPERATION_CASES,
    ids=[f"{c[0]}.{c[1]}" for c in OPERATION_CASES],
)
def test_every_operation_sends_with_a_token_and_returns_its_typed_answer(
    make_client: Make,
    server: FakeServer,
    area: str,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    route: str,
    expected: type,
) -> None:
    result = getattr(getattr(make_client(), area), method)(*args, **kwargs)
    assert isinstance(result, expected)
    request = server.requests[-1]
    assert server.route(request) == route
    assert request.headers["authorization"] == "Bearer tok-1"


@pytest.mark.parametrize(
    ("area", "method", "args", "kwargs", "route", "expected"),
    OPERATION_CASES,
    ids=[f"{c[0]}.{c[1]}" for c in OPERATION_CASES],
)
async def test_every_async_operation_sends_with_a_token_and_returns_its_typed_answer(
    make_async_client: MakeAsync,
    server: FakeServer,
    area: str,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    route: str,
    expected: type,
) -> None:
    async with make_async_client() as client:
        result = await getattr(getattr(client, area), method)(*args, **kwargs)
    assert isinstance(result, expected)
    assert server.route(server.requests[-1]) == route


def test_request_shapes_follow_the_spec(make_client: Make, server: FakeServer) -> None:
    client = make_client()
    client.messages.send(TextContent(msgtype="m.text", body="hi"), fcids=["@a:x"])
    send = server.requests[-1]
    assert (send.method, send.url.path) == ("POST", PREFIX + "/message/send")
    assert json.loads(send.content) == {"app_id": APP_ID, "fcids": ["@a:x"], "content": TEXT}
    client.messages.update_cui("$e:x", CUI, room_ids=["!r:x"])
    assert server.requests[-1].method == "PUT"
    client.media.upload(b"data", content_type="image/png")
    upload = server.requests[-1]
    assert (upload.content, upload.headers["content-type"]) == (b"data", "image/png")
    assert upload.url.params["app_id"] == APP_ID
    client.users.friendships("@alice:example.org")
    assert server.requests[-1].url.raw_path.startswith(
        (PREFIX + "/users/%40alice%3Aexample.org/friendships?").encode()
    )
    client.contacts.by_authority("管理员")
    assert server.requests[-1].url.params["authority_name"] == "管理员"
    client.apps.friendships()
    assert server.requests[-1].url.path == PREFIX + f"/apps/{APP_ID}/friendships"


def test_list_answers_are_lists_of_generated_models(make_client: Make) -> None:
    client = make_client()
    assert all(isinstance(f, UserFriendship) for f in client.users.friendships("@a:x"))
    assert all(isinstance(f, AppFriendship) for f in client.apps.friendships())
    assert client.contacts.by_authority("admin") == ["@a:finchat.test", "@b:finchat.test"]


@pytest.mark.parametrize("fcid", ["", ".", "..", "@a:b/../c", "@a:b\x00"])
def test_bad_ids_raise_before_any_request(make_client: Make, server: FakeServer, fcid: str) -> None:
    with pytest.raises(ValueError, match="invalid fcid"):
        make_client().users.get(fcid)
    assert server.requests == []


# ---- errors before parsing -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected", "status"),
    [
        (httpx.Response(502, text="<html>Bad Gateway</html>"), ServerError, 502),
        (httpx.Response(520), ServerError, 520),
        (httpx.Response(404, json={"errcode": "FC_UNKNOWN", "error": "?"}), NotFoundError, 404),
        (httpx.Response(400, json={"errcode": "FC_BAD_JSON", "error": "bad"}), BadJSONError, 400),
        (httpx.Response(409, json={"errcode": "FC_NEW_THING", "error": "?"}), APIError, 409),
    ],
)  # fmt: skip
def test_non_2xx_answers_raise_before_generated_parsing(
    make_client: Make,
    server: FakeServer,
    answer: httpx.Response,
    expected: type[Exception],
    status: int,
) -> None:
    server.fail("users", *[answer] * 3)
    with pytest.raises(expected) as caught:
        make_client(max_retries=0).users.get("@a:x")
    assert caught.value.status_code == status  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, text="<html>not json</html>"),
        httpx.Response(200, json={"name": "no fcid"}),
        httpx.Response(201, json={"fcid": "@a:x"}),
    ],
)
def test_unreadable_2xx_answers_are_invalid_responses(
    make_client: Make, server: FakeServer, answer: httpx.Response
) -> None:
    server.fail("users", answer)
    with pytest.raises(InvalidResponseError):
        make_client().users.get("@a:x")


def test_a_body_with_broken_content_encoding_is_an_invalid_response(
    make_client: Make, server: FakeServer
) -> None:
    broken = httpx.ByteStream(b"not gzip")
    server.fail("users", httpx.Response(200, stream=broken, headers={"Content-Encoding": "gzip"}))
    with pytest.raises(InvalidResponseError, match="decoded") as caught:
        make_client().users.get("@a:x")
    assert isinstance(caught.value.__cause__, httpx.DecodingError)


# ---- retries -------------------------------------------------------------------------------


def test_connection_reset_on_a_read_is_retried(make_client: Make, server: FakeServer) -> None:
    server.fail("users", httpx.ReadError("connection reset by peer"))
    assert make_client().users.get("@a:x").fcid == "@a:x"
    assert server.count("users") == 2


def test_connection_reset_on_a_send_is_not_retried(make_client: Make, server: FakeServer) -> None:
    server.fail("send", httpx.ReadError("connection reset by peer"))
    with pytest.raises(APIConnectionError) as caught:
        make_client()._call(ops.send_message(APP_ID, TEXT, ["!r:x"], []))
    assert caught.value.maybe_processed is True
    assert isinstance(caught.value.__cause__, httpx.ReadError)
    assert server.count("send") == 1


@pytest.mark.parametrize(
    "fault",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("full")],
)
def test_a_send_that_never_reached_the_server_is_retried(
    make_client: Make, server: FakeServer, fault: Exception
) -> None:
    server.fail("send", fault)
    make_client().messages.send(TEXT, room_ids=["!r:x"])
    assert server.count("send") == 2


@pytest.mark.parametrize(
    "fault",
    [
        fc_error(500, "FC_INTERNAL_ERROR"),
        httpx.Response(502, text="<html>"),
        httpx.ReadTimeout("slow"),
        httpx.Response(429, headers={"Retry-After": "0"}),
    ],
)
def test_sends_and_uploads_are_not_repeated_after_reaching_the_server(
    make_client: Make, server: FakeServer, fault: httpx.Response | Exception
) -> None:
    client = make_client(max_retries=3)
    server.fail("send", fault)
    server.fail("upload", fault, fault)
    with pytest.raises((ServerError, APITimeoutError, RateLimitError)):
        client._call(ops.send_message(APP_ID, TEXT, ["!r:x"], []))
    with pytest.raises((ServerError, APITimeoutError, RateLimitError)):
        client._call(ops.upload_media(APP_ID, b"x", "image/png"))
    # An upload that cannot be rewound (messaging retries a rewindable one: a copy is harmless).
    with pytest.raises((ServerError, APITimeoutError, RateLimitError)):
        client.media.upload(iter([b"x"]))
    assert (server.count("send"), server.count("upload")) == (1, 2)


def test_cui_update_is_retried_after_an_internal_error(
    make_client: Make, server: FakeServer
) -> None:
    server.fail("update-cui", fc_error(500, "FC_INTERNAL_ERROR"), httpx.ReadTimeout("slow"))
    make_client().messages.update_cui("$e:x", CUI, room_ids=["!r:x"])
    assert server.count("update-cui") == 3


def test_retries_stop_after_max_retries(make_client: Make, server: FakeServer) -> None:
    server.fail("users", *[httpx.Response(503)] * 10)
    with pytest.raises(ServerError):
        make_client(max_retries=3).users.get("@a:x")
    assert server.count("users") == 4


def test_max_retries_zero_sends_once(make_client: Make, server: FakeServer) -> None:
    server.fail("users", httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError):
        make_client(max_retries=0).users.get("@a:x")
    assert server.count("users") == 1


def test_429_retry_after_is_waited_for(make_client: Make, server: FakeServer) -> None:
    server.fail("users", httpx.Response(429, headers={"Retry-After": "0.3"}))
    client = make_client(retry_policy=RetryPolicy())
    started = time.monotonic()
    client.users.get("@a:x")
    assert time.monotonic() - started >= 0.3
    assert server.count("users") == 2


def test_testing_switch_turns_sleeping_off(make_client: Make, server: FakeServer) -> None:
    server.fail("users", *[httpx.Response(503, headers={"Retry-After": "30"})] * 3)
    client = make_client(max_retries=3, retry_policy=RetryPolicy(sleep=False, deadline=1000))
    started = time.monotonic()
    client.users.get("@a:x")
    assert time.monotonic() - started < 5
    assert server.count("users") == 4


async def test_async_client_retries_like_the_sync_one(
    make_async_client: MakeAsync, server: FakeServer
) -> None:
    server.fail("users", httpx.ReadError("reset"), httpx.Response(502))
    server.fail("send", httpx.ReadError("reset"))
    async with make_async_client() as client:
        assert (await client.users.get("@a:x")).fcid == "@a:x"
        with pytest.raises(APIConnectionError):
            await client._call(ops.send_message(APP_ID, TEXT, ["!r:x"], []))
    assert (server.count("users"), server.count("send")) == (3, 1)


def test_internal_server_error_class_for_fc_internal_error(
    make_client: Make, server: FakeServer
) -> None:
    server.fail("users", *[fc_error(500, "FC_INTERNAL_ERROR")] * 3)
    with pytest.raises(InternalServerError):
        make_client().users.get("@a:x")


# ---- the generated client ------------------------------------------------------------------


def test_openapi_client_shares_the_authenticated_pool(
    make_client: Make, server: FakeServer
) -> None:
    client = make_client()
    user = get_user.sync(client=client.openapi, fcid="@a:x", app_id=APP_ID)
    assert isinstance(user, UserDetail)
    assert server.requests[-1].headers["authorization"] == "Bearer tok-1"
    assert client.openapi.get_httpx_client() is client.http_client


async def test_async_openapi_client_shares_the_authenticated_pool(
    make_async_client: MakeAsync, server: FakeServer
) -> None:
    async with make_async_client() as client:
        user = await get_user.asyncio(client=client.openapi, fcid="@a:x", app_id=APP_ID)
    assert isinstance(user, UserDetail)
    assert server.requests[-1].headers["authorization"] == "Bearer tok-1"


# ---- the internal entry point for hand-written operations ----------------------------------


class _Chunks:
    """A re-iterable streamed body."""

    def __iter__(self) -> Iterator[bytes]:
        yield b"ab"
        yield b"cd"

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


def test_request_streams_a_body_and_sends_it_again_on_a_token_replay(
    make_client: Make, server: FakeServer
) -> None:
    client = make_client()
    client.auth.token()
    server.revoke_all()
    call = ops.upload_media_stream(APP_ID, _Chunks(), {"Content-Type": "image/png"})
    response = client._request(call)
    assert response.json() == {"content_uri": "mxc://finchat.test/abc"}
    uploads = [r for r in server.requests if server.route(r) == "upload"]
    assert [(r.content, r.headers["content-type"]) for r in uploads] == [(b"abcd", "image/png")] * 2


async def test_async_request_streams_an_async_body(
    make_async_client: MakeAsync, server: FakeServer
) -> None:
    chunks = _Chunks()
    call = ops.upload_media_stream(APP_ID, chunks.__aiter__(), {"Content-Type": "text/plain"})
    async with make_async_client() as client:
        response = await client._request(call)
    assert response.status_code == 200
    assert server.requests[-1].content == b"abcd"


def test_request_raises_api_errors_without_parsing(make_client: Make, server: FakeServer) -> None:
    server.fail("upload", httpx.Response(502, text="<html>"))
    call = ops.upload_media_stream(APP_ID, _Chunks(), {"Content-Type": "image/png"})
    with pytest.raises(ServerError):
        make_client()._request(call)


def test_streamed_upload_needs_chunks_and_a_content_type() -> None:
    with pytest.raises(TypeError, match="iterable"):
        ops.upload_media_stream(APP_ID, b"bytes", {"Content-Type": "image/png"})
    with pytest.raises(ValueError, match="Content-Type"):
        ops.upload_media_stream(APP_ID, _Chunks(), {})


def test_timeouts_of_a_late_retry_are_shortened_to_the_deadline(
    make_client: Make, server: FakeServer
) -> None:
    clock = FakeClock()

    def slow_failure(request: httpx.Request) -> httpx.Response:
        clock.advance(7)
        return httpx.Response(503)

    server.fail("users", slow_failure, slow_failure)
    policy = RetryPolicy(sleep=False, deadline=20, jitter=False, initial_delay=0.1)
    make_client(clock=clock, timeout=10, retry_policy=policy).users.get("@a:x")
    users = [r for r in server.requests if server.route(r) == "users"]
    reads = [r.extensions["timeout"]["read"] for r in users]
    assert reads[0] == 10  # 20 s left
    assert reads[1] == 10  # 13 s left
    assert reads[2] == pytest.approx(6)  # 6 s left: the attempt may not run past the deadline


_FIRST_USE_FROM_THREADS = """
import sys, threading
from concurrent.futures import ThreadPoolExecutor
sys.path.insert(0, sys.argv[1])
from tests.unit.conftest import APP_ID, SECRET, FakeServer
from finchat_wrapper import FinChat

import httpx

server = FakeServer()
answered = threading.Barrier(16)

def handler(request):
    # Every answer leaves at the same moment: the threads parse, and import, together.
    if server.route(request) != "token":
        answered.wait()
    return server.answer(request)

transport = httpx.MockTransport(handler)
client = FinChat(APP_ID, SECRET, base_url="https://finchat.test", transport=transport)
client.auth.token()
calls = [
    lambda: client.messages.send({"msgtype": "m.text", "body": "x"}, room_ids=["!r:x"]),
    lambda: client.users.get("@a:x"),
    lambda: client.media.upload(b"x", filename="x.txt"),
]

def first_use(n):
    return calls[n % len(calls)]()

with ThreadPoolExecutor(16) as pool:
    print(len(list(pool.map(first_use, range(16)))))
"""


@pytest.mark.parametrize("run", range(3))
def test_threads_making_their_first_calls_at_once_all_succeed(run: int) -> None:
    # A fresh interpreter each time: the generated modules are imported by the racing threads.
    root = str(Path(__file__).resolve().parents[2])
    result = subprocess.run(
        [sys.executable, "-c", _FIRST_USE_FROM_THREADS, root],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "16"
