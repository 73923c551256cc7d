"""`client.messages` and `client.media` against a scripted server (`httpx.MockTransport`).

What the sandbox cannot show easily lives here: that bad arguments raise before any request (not
even a token request), how requests are cut and how many run at once, what goes on the wire for
an upload, and which uploads are retried.
"""

from __future__ import annotations

import asyncio
import inspect
import io
import json
import threading
import time
import warnings
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from finchat_wrapper import AsyncFinChat, FinChat, RetryPolicy
from finchat_wrapper._areas import MIXED_RECIPIENTS_WARNING
from finchat_wrapper._bulk import SendLimits
from finchat_wrapper._content import ContentUri, text_content
from finchat_wrapper._cui import Card
from finchat_wrapper._errors import InternalServerError, InvalidResponseError, ServerError
from finchat_wrapper._upload import UploadSourceError, prepare_upload

APP_ID = "app1"
SECRET = "s3cret-not-in-any-message"
BASE_URL = "https://finchat.test"
TEXT = text_content("hello")
CARD = Card().text("Apply").input("company").submit("Send")


def rooms(n: int, start: int = 0) -> list[str]:
    return [f"!r{i}:x.org" for i in range(start, start + n)]


def users(n: int) -> list[str]:
    return [f"@u{i}:x.org" for i in range(n)]


@dataclass
class Server:
    """Answers tokens, sends (refusing more than `limit` recipients per request) and uploads.

    `upload_faults` are answered, one per upload request, before the stored answer; an
    exception among them is raised before the request is read, as a connection that could not
    be opened. `delay` slows each send down so that concurrent requests overlap.
    """

    limit: int = 1000
    delay: float = 0.0
    upload_faults: list[httpx.Response | Exception] = field(default_factory=list)
    content_uri: str = "mxc://x.org/media1"
    requests: list[httpx.Request] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def sends(self) -> list[dict[str, Any]]:
        return [
            json.loads(b)
            for r, b in zip(self.requests, self.bodies, strict=True)
            if "/message/" in str(r.url)
        ]

    def paths(self) -> Counter[str]:
        return Counter(r.url.path.rsplit("/", 1)[1] for r in self.requests)

    def _record(self, request: httpx.Request, body: bytes) -> None:
        with self.lock:
            self.requests.append(request)
            self.bodies.append(body)

    def _answer(self, request: httpx.Request, body: bytes) -> httpx.Response:
        path = request.url.path
        if path.endswith("/auth/token"):
            return httpx.Response(
                200, json={"app_access_token": "tok", "expires_in": 3600, "token_type": "Bearer"}
            )
        if path.endswith("/media/upload"):
            with self.lock:
                fault = self.upload_faults.pop(0) if self.upload_faults else None
            assert not isinstance(fault, Exception)
            return fault or httpx.Response(200, json={"content_uri": self.content_uri})
        sent = json.loads(body)
        kind = "room_ids" if sent.get("room_ids") else "fcids"
        if len(sent[kind]) > self.limit:
            errcode = (
                "FC_MESSAGE_ROOM_ID_LIMIT_EXCEEDED"
                if kind == "room_ids"
                else "FC_MESSAGE_FCID_LIMIT_EXCEEDED"
            )
            return httpx.Response(400, json={"errcode": errcode, "error": "too many"})
        key, field_ = (
            ("room_id_result", "room_id") if kind == "room_ids" else ("fcid_result", "fcid")
        )
        results = [{field_: r, "event_id": f"$e{r[1:]}"} for r in sent[kind]]
        return httpx.Response(200, json={key: results})

    def _refuse_connection(self, request: httpx.Request) -> None:
        with self.lock:
            faults = self.upload_faults
            if request.url.path.endswith("/media/upload") and faults:
                fault = faults[0]
                if isinstance(fault, Exception):
                    faults.pop(0)
                    raise fault

    def handle(self, request: httpx.Request) -> httpx.Response:
        self._refuse_connection(request)
        body = request.read()
        self._record(request, body)
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay and "/message/" in request.url.path:
                time.sleep(self.delay)
            return self._answer(request, body)
        finally:
            with self.lock:
                self.in_flight -= 1

    async def ahandle(self, request: httpx.Request) -> httpx.Response:
        self._refuse_connection(request)
        body = await request.aread()
        self._record(request, body)
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay and "/message/" in request.url.path:
                await asyncio.sleep(self.delay)
            return self._answer(request, body)
        finally:
            with self.lock:
                self.in_flight -= 1


@pytest.fixture
def server() -> Server:
    return Server()


def client_of(server: Server, **kwargs: Any) -> FinChat:
    return FinChat(
        APP_ID,
        SECRET,
        base_url=BASE_URL,
        transport=httpx.MockTransport(server.handle),
        retry_policy=RetryPolicy(sleep=False),
        **kwargs,
    )


def async_client_of(server: Server, **kwargs: Any) -> AsyncFinChat:
    return AsyncFinChat(
        APP_ID,
        SECRET,
        base_url=BASE_URL,
        transport=httpx.MockTransport(server.ahandle),
        retry_policy=RetryPolicy(sleep=False),
        **kwargs,
    )


@pytest.fixture
def client(server: Server) -> Iterator[FinChat]:
    with client_of(server) as c:
        yield c


@pytest.fixture
async def aclient(server: Server) -> AsyncIterator[AsyncFinChat]:
    async with async_client_of(server) as c:
        yield c


# ---- bad arguments: refused before any request ------------------------------------------------

BAD_SENDS = [
    ("no recipients", lambda c: c.messages.send(TEXT), ValueError, "no recipients"),
    ("malformed room", lambda c: c.messages.send(TEXT, room_ids=["r1"]), ValueError, "room"),
    ("one str", lambda c: c.messages.send(TEXT, room_ids="!r:x.org"), TypeError, "not one str"),
    (
        "no msgtype",
        lambda c: c.messages.send({"body": "x"}, room_ids=rooms(1)),
        ValueError,
        "msgtype",
    ),
    ("not content", lambda c: c.messages.send("hi", room_ids=rooms(1)), TypeError, "content"),
    (
        "card as user",
        lambda c: c.messages.send_as_user("@s:x.org", CARD.to_content(), room_ids=rooms(1)),
        ValueError,
        "CUI",
    ),
    (
        "bad sender",
        lambda c: c.messages.send_as_user("sender", TEXT, room_ids=rooms(1)),
        ValueError,
        "fcid",
    ),
    (
        "update with text",
        lambda c: c.messages.update_cui("$e:x.org", TEXT, room_ids=rooms(1)),
        ValueError,
        "m.cui",
    ),
    (
        "bad event",
        lambda c: c.messages.update_cui("e1", CARD.to_content(), room_ids=rooms(1)),
        ValueError,
        "event id",
    ),
    (
        "bad concurrency",
        lambda c: c.messages.send(TEXT, room_ids=rooms(1), concurrency=0),
        ValueError,
        "concurrency",
    ),
]


@pytest.mark.parametrize(
    ("send", "error", "match"),
    [case[1:] for case in BAD_SENDS],
    ids=[case[0] for case in BAD_SENDS],
)
def test_bad_arguments_raise_before_any_request(
    client: FinChat, server: Server, send: Any, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        send(client)
    assert server.requests == []


@pytest.mark.parametrize(
    ("send", "error", "match"),
    [case[1:] for case in BAD_SENDS],
    ids=[case[0] for case in BAD_SENDS],
)
async def test_bad_arguments_raise_before_any_request_in_the_async_client(
    aclient: AsyncFinChat, server: Server, send: Any, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await send(aclient)
    assert server.requests == []


def test_send_image_checks_recipients_and_the_image_type_before_uploading(
    client: FinChat, server: Server
) -> None:
    with pytest.raises(ValueError, match="no recipients"):
        client.media.send_image(b"\x89PNG\r\n\x1a\nxxxx")
    with pytest.raises(UploadSourceError, match="application/pdf, not an image"):
        client.media.send_image(b"%PDF-1.4", room_ids=rooms(1))
    assert server.requests == []


def test_an_upload_with_overrides_of_an_upload_is_refused(client: FinChat, server: Server) -> None:
    with pytest.raises(ValueError, match="already described"):
        client.media.upload(prepare_upload(b"data"), content_type="text/plain")
    assert server.requests == []


def test_client_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="concurrency"):
        client_of(Server(), send_concurrency=0)
    with pytest.raises(TypeError, match="SendLimits"):
        client_of(Server(), send_limits={"room_ids": 5})


# ---- how a send is cut into requests ----------------------------------------------------------


def test_rooms_and_users_together_are_sent_in_separate_requests_with_a_warning(
    client: FinChat, server: Server
) -> None:
    with pytest.warns(UserWarning, match="separate requests") as warned:
        report = client.messages.send(TEXT, room_ids=rooms(3), fcids=users(2))
    # The warning points at the caller's line, not into the wrapper.
    assert warned[0].filename == __file__
    assert str(warned[0].message) == MIXED_RECIPIENTS_WARNING
    assert report.ok
    assert set(report.succeeded) == set(rooms(3) + users(2))
    assert sorted(sorted(body) for body in server.sends()) == [
        ["app_id", "content", "fcids"],
        ["app_id", "content", "room_ids"],
    ]


def test_a_recipient_listed_twice_gets_one_message_and_one_outcome(
    client: FinChat, server: Server
) -> None:
    report = client.messages.send(TEXT, room_ids=rooms(2) + rooms(2) + rooms(1))
    assert [body["room_ids"] for body in server.sends()] == [rooms(2)]
    assert list(report.succeeded) == rooms(2)


def test_the_configured_maximum_is_honoured(server: Server) -> None:
    with client_of(server, send_limits=SendLimits(max_room_ids=4, max_fcids=3)) as client:
        report = client.messages.send(TEXT, room_ids=rooms(10))
        client.messages.send(TEXT, fcids=users(7))
    assert report.ok
    assert report.requests == 3
    sizes = Counter(
        (kind, len(body[kind])) for body in server.sends() for kind in body if kind.endswith("ids")
    )
    # Requests run concurrently: their order varies, their sizes do not.
    assert sizes == Counter(
        {("room_ids", 4): 2, ("room_ids", 2): 1, ("fcids", 3): 2, ("fcids", 1): 1}
    )


def test_a_learned_limit_is_kept_for_the_life_of_the_client(
    client: FinChat, server: Server
) -> None:
    server.limit = 30
    first = client.messages.send(TEXT, room_ids=rooms(100), concurrency=1)
    # 100 and 50 refused, then 25 per request.
    assert first.ok
    assert first.requests == 2 + 4
    assert client.messages.limits.per_request("room_ids") == 25
    second = client.messages.send(TEXT, room_ids=rooms(100, start=100))
    assert second.ok
    assert second.requests == 4
    # The users' limit is another limit, still the default.
    assert client.messages.limits.per_request("fcids") == 100


def test_the_media_sends_share_the_learned_limits(client: FinChat, server: Server) -> None:
    server.limit = 30
    client.messages.send(TEXT, room_ids=rooms(60), concurrency=1)
    before = len(server.sends())
    report = client.media.send_file(b"%PDF-1.4", room_ids=rooms(50, start=60))
    assert report.ok
    assert report.requests == 2
    assert len(server.sends()) == before + 2


def test_requests_of_a_send_run_at_most_concurrency_at_once(server: Server) -> None:
    server.delay = 0.02
    with client_of(server, send_concurrency=3, send_limits=SendLimits(max_room_ids=1)) as client:
        report = client.messages.send(TEXT, room_ids=rooms(12))
        assert report.ok
        assert server.max_in_flight == 3
        server.max_in_flight = 0
        client.messages.send(TEXT, room_ids=rooms(6, start=20), concurrency=5)
    assert server.max_in_flight == 5


async def test_async_requests_of_a_send_run_at_most_concurrency_at_once(server: Server) -> None:
    server.delay = 0.02
    limits = SendLimits(max_fcids=1)
    async with async_client_of(server, send_concurrency=4, send_limits=limits) as client:
        report = await client.messages.send(TEXT, fcids=users(12))
    assert report.ok
    assert report.requests == 12
    assert server.max_in_flight == 4


def test_one_client_shared_by_threads_sends_each_recipient_once(server: Server) -> None:
    server.limit = 7
    with client_of(server) as client:
        outcome: list[Any] = []

        def worker(n: int) -> None:
            outcome.append(client.messages.send(TEXT, room_ids=rooms(40, start=40 * n)))

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert all(report.ok for report in outcome)
    assert len(outcome) == 6
    delivered = Counter(
        r for body in server.sends() if len(body["room_ids"]) <= 7 for r in body["room_ids"]
    )
    assert set(delivered.values()) == {1}
    assert len(delivered) == 240


def test_send_as_user_and_update_cui_go_to_their_operations(
    client: FinChat, server: Server
) -> None:
    as_user = client.messages.send_as_user("@s:x.org", TEXT, fcids=users(2))
    updated = client.messages.update_cui("$card:x.org", CARD.to_content(), room_ids=rooms(2))
    assert as_user.ok
    assert updated.ok
    assert server.paths() == Counter({"token": 1, "send-as-user": 1, "update-cui": 1})
    bodies = server.sends()
    assert bodies[0]["sender"] == "@s:x.org"
    assert bodies[1]["origin_event"] == "$card:x.org"


def test_a_send_as_user_topic_goes_in_every_request_to_users_and_none_to_rooms(
    client: FinChat, server: Server
) -> None:
    server.limit = 2  # 5 users: three requests, after the refused ones
    report = client.messages.send_as_user(
        "@s:x.org",
        TEXT,
        topic="周报",
        fcids=users(5),
        room_ids=rooms(2),
        warn_mixed_recipients=False,
    )
    assert report.ok
    accepted = [
        body for body in server.sends() if len(body.get("fcids", body.get("room_ids", []))) <= 2
    ]
    to_users = [body for body in accepted if "fcids" in body]
    to_rooms = [body for body in accepted if "room_ids" in body]
    assert sorted(f for body in to_users for f in body["fcids"]) == sorted(users(5))
    assert {body["topic"] for body in to_users} == {"周报"}
    assert to_rooms
    assert all("topic" not in body for body in to_rooms)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"topic": "t", "room_ids": ["!r:x.org"]}, ValueError),
        ({"topic": 5, "fcids": ["@a:x.org"]}, TypeError),
        ({"topic": "\udc00", "fcids": ["@a:x.org"]}, ValueError),
    ],
    ids=["rooms-only", "not-a-str", "lone-surrogate"],
)
def test_a_topic_that_would_be_ignored_or_cannot_be_sent_is_refused_before_sending(
    client: FinChat, server: Server, kwargs: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        client.messages.send_as_user("@s:x.org", TEXT, **kwargs)
    assert server.sends() == []


async def test_the_async_client_sends_and_updates_the_same_way(
    aclient: AsyncFinChat, server: Server
) -> None:
    server.limit = 3
    sent = await aclient.messages.send(CARD.to_content(), room_ids=rooms(8))
    updated = await aclient.messages.update_cui(
        "$card:x.org", CARD.with_status("disable").to_content(), room_ids=rooms(8)
    )
    as_user = await aclient.messages.send_as_user("@s:x.org", TEXT, fcids=users(3))
    assert sent.ok
    assert updated.ok
    assert as_user.ok
    assert sorted(sent.succeeded) == sorted(updated.succeeded) == sorted(rooms(8))
    assert aclient.messages.limits.per_request("room_ids") == 2  # 8 and 4 refused


# ---- uploads -----------------------------------------------------------------------------------


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height)).save(out, format="PNG")
    return out.getvalue()


def test_an_upload_streams_the_bytes_with_their_type_and_length(
    client: FinChat, server: Server, tmp_path: Path
) -> None:
    data = png(5, 3) + b"\0" * 300_000  # several chunks
    (tmp_path / "photo.png").write_bytes(data)
    progress: list[tuple[int, int | None]] = []
    uri = client.media.upload(tmp_path / "photo.png", progress=lambda s, t: progress.append((s, t)))
    assert uri == ContentUri("mxc://x.org/media1")
    assert isinstance(uri, ContentUri)
    request, body = server.requests[-1], server.bodies[-1]
    assert body == data
    assert request.headers["Content-Type"] == "image/png"
    assert request.headers["Content-Length"] == str(len(data))
    assert "Transfer-Encoding" not in request.headers
    assert progress[-1] == (len(data), len(data))
    assert len(progress) > 1


def test_an_upload_of_unknown_size_is_chunked_and_typed_as_given(
    client: FinChat, server: Server
) -> None:
    client.media.upload(iter([b"a,b\n", b"1,2\n"]), content_type="text/csv", filename="t.csv")
    request = server.requests[-1]
    assert server.bodies[-1] == b"a,b\n1,2\n"
    assert request.headers["Content-Type"] == "text/csv"
    assert request.headers["Transfer-Encoding"] == "chunked"


def test_an_upload_is_not_retried_after_a_server_error_since_it_may_be_stored(
    client: FinChat, server: Server
) -> None:
    server.upload_faults = [httpx.Response(502, text="<html>bad gateway</html>")]
    with pytest.raises(ServerError):
        client.media.upload(b"%PDF-1.4 body")
    assert server.paths()["upload"] == 1


def test_an_upload_is_retried_when_the_connection_could_not_be_opened(
    client: FinChat, server: Server
) -> None:
    # Bytes, not an iterator: httpx.MockTransport reads the body before its handler can refuse
    # the connection, which a real connect failure never does.
    server.upload_faults = [httpx.ConnectError("connection refused")]
    assert client.media.upload(b"%PDF-1.4 body") == "mxc://x.org/media1"
    uploads = [
        b
        for r, b in zip(server.requests, server.bodies, strict=True)
        if r.url.path.endswith("upload")
    ]
    assert uploads == [b"%PDF-1.4 body"]


def test_an_upload_that_cannot_be_rewound_is_not_retried(client: FinChat, server: Server) -> None:
    server.upload_faults = [
        httpx.Response(500, json={"errcode": "FC_INTERNAL_ERROR", "error": "x"})
    ]
    with pytest.raises(InternalServerError):
        client.media.upload(iter([b"%PDF-1.4", b" body"]))
    assert server.paths()["upload"] == 1


async def test_an_async_upload_streams_an_async_iterator_and_retries_only_unsent_requests(
    aclient: AsyncFinChat, server: Server
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"GIF89a"
        yield b"rest"

    uri = await aclient.media.upload(chunks(), size=10)
    assert uri == "mxc://x.org/media1"
    assert server.bodies[-1] == b"GIF89arest"
    assert server.requests[-1].headers["Content-Type"] == "image/gif"
    assert server.requests[-1].headers["Content-Length"] == "10"
    server.upload_faults = [httpx.ConnectError("connection refused")]
    await aclient.media.upload(io.BytesIO(b"again"), content_type="text/plain")
    assert server.bodies[-1] == b"again"
    server.upload_faults = [httpx.Response(503, text="busy")]
    with pytest.raises(ServerError):
        await aclient.media.upload(io.BytesIO(b"again"), content_type="text/plain")
    assert server.paths()["upload"] == 3


def test_an_unusable_content_uri_in_the_answer_is_an_invalid_response(
    client: FinChat, server: Server
) -> None:
    server.content_uri = "https://x.org/not-mxc"
    with pytest.raises(InvalidResponseError, match="content_uri"):
        client.media.upload(b"data")


def test_send_image_uploads_then_sends_the_image_with_its_info(
    client: FinChat, server: Server, tmp_path: Path
) -> None:
    (tmp_path / "chart.png").write_bytes(image := png(40, 20))
    report = client.media.send_image(tmp_path / "chart.png", fcids=users(2))
    assert report.ok
    assert list(report.succeeded) == users(2)
    assert server.bodies[1] == image  # after the token
    assert server.sends()[0]["content"] == {
        "msgtype": "m.image",
        "body": "chart.png",
        "o_url": "mxc://x.org/media1",
        "info": {"mimetype": "image/png", "size": len(image), "w": 40, "h": 20},
    }


async def test_async_send_file_uploads_then_sends_the_file_with_its_info(
    aclient: AsyncFinChat, server: Server
) -> None:
    report = await aclient.media.send_file(
        io.BytesIO(b"%PDF-1.4 x"), room_ids=rooms(1), body="report.pdf"
    )
    assert report.ok
    assert server.sends()[0]["content"] == {
        "msgtype": "m.file",
        "body": "report.pdf",
        "o_url": "mxc://x.org/media1",
        "info": {"mimetype": "application/pdf", "size": 10},
    }


async def test_async_send_image_reads_the_size_of_the_image(
    aclient: AsyncFinChat, server: Server
) -> None:
    await aclient.media.send_image(png(7, 9), room_ids=rooms(1), filename="dot.png")
    info = server.sends()[0]["content"]["info"]
    assert (info["w"], info["h"], info["mimetype"]) == (7, 9, "image/png")


def test_no_secret_in_the_reprs_of_the_areas(client: FinChat) -> None:
    assert SECRET not in repr(client.messages) + repr(client.media)
    assert "concurrency=8" in repr(client.messages)


def test_send_progress_counts_settled_recipients_up_to_the_total(
    client: FinChat, server: Server
) -> None:
    server.limit = 30
    seen: list[tuple[int, int]] = []
    report = client.messages.send(
        TEXT, room_ids=rooms(100), concurrency=1, progress=lambda n, t: seen.append((n, t))
    )
    # Two refused requests (100, 50) settle nobody; then four of 25.
    assert report.ok
    assert seen == [(0, 100), (0, 100), (25, 100), (50, 100), (75, 100), (100, 100)]


async def test_async_send_progress_ends_at_the_total(aclient: AsyncFinChat) -> None:
    seen: list[tuple[int, int]] = []
    limits_before = aclient.messages.limits.per_request("fcids")
    await aclient.messages.send_as_user(
        "@s:x.org", TEXT, fcids=users(250), progress=lambda n, t: seen.append((n, t))
    )
    assert limits_before == 100
    assert sorted(seen) == seen
    assert seen[-1] == (250, 250)
    assert len(seen) == 3


@pytest.mark.parametrize("answer", [b"<html>ok</html>", b'{"room_id_result": "yes"}'])
def test_an_unreadable_200_answer_leaves_its_recipients_unknown(
    client: FinChat, server: Server, answer: bytes
) -> None:
    transport = httpx.MockTransport(
        lambda request: (
            httpx.Response(200, content=answer)
            if "/message/" in request.url.path
            else server.handle(request)
        )
    )
    with FinChat(APP_ID, SECRET, base_url=BASE_URL, transport=transport) as other:
        report = other.messages.send(TEXT, room_ids=rooms(3))
    assert set(report.unknown) == set(rooms(3))
    assert not report.succeeded
    assert not report.failed


# ---- what the CLI needs of the library --------------------------------------------------------


@pytest.mark.parametrize("image", [True, False])
def test_a_content_uri_is_sent_as_is_without_an_upload(
    client: FinChat, server: Server, image: bool
) -> None:
    uri = ContentUri("mxc://x.org/uploaded-before")
    send = client.media.send_image if image else client.media.send_file
    report = send(uri, room_ids=rooms(1), body="notes.txt")
    assert report.ok
    assert "upload" not in server.paths()
    assert server.sends()[0]["content"] == {
        "msgtype": "m.image" if image else "m.file",
        "body": "notes.txt",
        "o_url": str(uri),
    }


async def test_an_async_content_uri_is_named_by_the_filename_and_typed_as_given(
    aclient: AsyncFinChat, server: Server
) -> None:
    uri = ContentUri("mxc://x.org/uploaded-before")
    await aclient.media.send_image(
        uri, fcids=users(1), filename="chart.png", content_type="image/png"
    )
    assert "upload" not in server.paths()
    assert server.sends()[0]["content"] == {
        "msgtype": "m.image",
        "body": "chart.png",
        "o_url": str(uri),
        "info": {"mimetype": "image/png"},
    }


def test_mixed_recipients_meant_together_draw_no_warning_and_one_report(
    client: FinChat, server: Server, recwarn: pytest.WarningsRecorder
) -> None:
    report = client.messages.send(
        TEXT, room_ids=rooms(2), fcids=users(2), warn_mixed_recipients=False
    )
    image = client.media.send_image(
        png(2, 2), room_ids=rooms(1), fcids=users(1), warn_mixed_recipients=False
    )
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]
    assert set(report.succeeded) == set(rooms(2) + users(2))
    assert set(image.succeeded) == set(rooms(1) + users(1))


async def test_a_media_send_reports_its_upload_bytes_and_its_recipients_apart(
    aclient: AsyncFinChat, server: Server
) -> None:
    sent: list[int] = []
    settled: list[tuple[int, int]] = []
    await aclient.media.send_file(
        b"%PDF-1.4 report",
        fcids=users(3),
        progress=lambda done, total: sent.append(done),
        send_progress=lambda n, total: settled.append((n, total)),
    )
    assert sent[-1] == len(b"%PDF-1.4 report")
    assert settled[-1] == (3, 3)


async def test_the_mixed_recipients_warning_points_at_the_callers_line_for_every_send(
    client: FinChat, aclient: AsyncFinChat
) -> None:
    both: dict[str, Any] = {"room_ids": rooms(1), "fcids": users(1)}
    lines: list[int] = []
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        lines.append(line() + 1)
        client.messages.send_as_user("@s:x.org", TEXT, **both)
        lines.append(line() + 1)
        client.messages.update_cui("$e:x.org", CARD.to_content(), **both)
        lines.append(line() + 1)
        client.media.send_file(b"%PDF-1.4", **both)
        lines.append(line() + 1)
        await aclient.media.send_image(png(2, 2), **both)
        lines.append(line() + 1)
        await aclient.messages.send(TEXT, **both)
    mixed = [w for w in warned if "separate requests" in str(w.message)]
    assert [(w.filename, w.lineno) for w in mixed] == [(__file__, n) for n in lines]


def line() -> int:
    """The line of the caller."""
    frame = inspect.currentframe()
    caller = frame.f_back if frame is not None else None
    assert caller is not None
    return caller.f_lineno
