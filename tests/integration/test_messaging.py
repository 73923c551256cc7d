"""`client.messages` and `client.media` against the sandbox, in-process and over a uvicorn socket.

Every message type to rooms and to users, as the bot and as a user; mixed valid and unknown
recipients; a send crossing the sandbox's limit; a card sent then updated; uploads of every kind
of source, stored byte for byte with their type.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from finchat_wrapper import AsyncFinChat, FinChat
from finchat_wrapper._bulk import SendLimits
from finchat_wrapper._content import (
    file_content,
    image_content,
    text_content,
    textcard_content,
)
from finchat_wrapper._cui import Card
from finchat_wrapper._operations import content_dict
from finchat_wrapper.sandbox import Sandbox, World
from finchat_wrapper.sandbox._world import BOT, DIRECT_ROOM, MULTI_ROOM
from tests.messaging.test_upload import Pipe, agen, png

SENDER = "@sender:example.org"


def sources(tmp_path: Path) -> list[tuple[str, Callable[[], Any], bytes, str]]:
    """(kind, make source, bytes the server must store, content type it must store)."""
    image = png(3, 2)
    (tmp_path / "photo.png").write_bytes(image)
    (tmp_path / "notes.txt").write_bytes(b"plain notes\n" * 50)
    return [
        ("path", lambda: tmp_path / "photo.png", image, "image/png"),
        ("path-str", lambda: str(tmp_path / "notes.txt"), b"plain notes\n" * 50, "text/plain"),
        ("bytes", lambda: b"%PDF-1.4 tiny", b"%PDF-1.4 tiny", "application/pdf"),
        ("file", lambda: io.BytesIO(image), image, "image/png"),
        ("pipe", lambda: io.BufferedReader(Pipe(b"GIF89a" * 100)), b"GIF89a" * 100, "image/gif"),
        (
            "iterator",
            lambda: iter([b"RIFF\0\0\0\0WEBP", b"VP8 data"]),
            b"RIFF\0\0\0\0WEBPVP8 data",
            "image/webp",
        ),
    ]


def world(n: int, *, direct: int | None = None) -> World:
    """The default world plus `n` users `@u{i}`, group rooms `!g{i}` (the bot and SENDER in each)
    and, for the first `direct` users (all by default), a direct room with the bot."""
    data = World.default().to_dict()
    data["users"].append({"fcid": SENDER, "profile": {"name": "sender"}})
    for i in range(n):
        data["users"].append({"fcid": f"@u{i}:example.org", "profile": {"name": f"u{i}"}})
        data["rooms"].append(
            {"room_id": f"!g{i}:example.org", "type": MULTI_ROOM, "members": [BOT, SENDER]}
        )
        if direct is None or i < direct:
            data["rooms"].append(
                {
                    "room_id": f"!d{i}:example.org",
                    "type": DIRECT_ROOM,
                    "members": [BOT, f"@u{i}:example.org"],
                }
            )
    return World.from_dict(data)


def rooms(n: int, start: int = 0) -> list[str]:
    return [f"!g{i}:example.org" for i in range(start, start + n)]


def users(n: int, start: int = 0) -> list[str]:
    return [f"@u{i}:example.org" for i in range(start, start + n)]


# The plugin's fixtures, with this module's world, limits and retries that do not wait; every
# test runs in-process and over a uvicorn socket.
pytestmark = [
    pytest.mark.finchat(world=world(12, direct=8), room_id_limit=5, fcid_limit=3, sleep=False),
    pytest.mark.parametrize(
        "finchat_sandbox",
        ["inprocess", pytest.param("socket", marks=pytest.mark.network)],
        indirect=True,
    ),
]


def delivered(sandbox: Sandbox, recipient: str) -> list[dict[str, Any]]:
    return [d.content for d in sandbox.delivery_log if d.recipient == recipient]


def every_content(client: FinChat) -> list[Any]:
    image_uri = client.media.upload(png(4, 4), filename="dot.png")
    file_uri = client.media.upload(b"%PDF-1.4 doc", filename="doc.pdf")
    return [
        text_content("hello"),
        image_content(image_uri, body="dot.png", mimetype="image/png", width=4, height=4),
        file_content(file_uri, body="doc.pdf", mimetype="application/pdf", size=12),
        textcard_content(title="News", description="Read it", url="https://example.org/n"),
        Card().text("Apply").input("company", placeholder="Company").submit().to_content(),
    ]


def test_every_message_type_reaches_rooms_and_users(
    finchat_client: FinChat, finchat_sandbox: Sandbox
) -> None:
    for content in every_content(finchat_client):
        to_rooms = finchat_client.messages.send(content, room_ids=rooms(2))
        to_users = finchat_client.messages.send(content, fcids=users(2))
        for recipient, event_id in {**to_rooms.succeeded, **to_users.succeeded}.items():
            [delivery] = [d for d in finchat_sandbox.delivery_log if d.event_id == event_id]
            assert (delivery.recipient, delivery.content) == (recipient, content_dict(content))
        assert to_rooms.ok
        assert to_users.ok
        assert to_rooms.total == to_users.total == 2
    assert len(finchat_sandbox.delivery_log) == 5 * 4


def test_every_user_message_type_is_sent_as_the_user_and_direct_rooms_are_created(
    finchat_client: FinChat, finchat_sandbox: Sandbox
) -> None:
    contents = [c for c in every_content(finchat_client) if c.msgtype != "m.cui"]
    no_direct_room = users(2, start=10)  # the server creates their direct rooms
    for content in contents:
        to_rooms = finchat_client.messages.send_as_user(SENDER, content, room_ids=rooms(2))
        to_users = finchat_client.messages.send_as_user(SENDER, content, fcids=no_direct_room)
        assert to_rooms.ok
        assert to_users.ok
        assert finchat_sandbox.sent(rooms(1)[0])[-1].sender == SENDER
        assert finchat_sandbox.sent(rooms(1)[0])[-1].content == content_dict(content)
    for user in no_direct_room:
        assert delivered(finchat_sandbox, user) == [content_dict(c) for c in contents]
        room = finchat_sandbox.state.direct_room(SENDER, user)
        assert room is not None
        assert [m.sender for m in finchat_sandbox.sent(room.room_id)] == [SENDER] * len(contents)
    # The rooms created are the sender's, not the bot's: the bot still has none with them.
    by_bot = finchat_client.messages.send(text_content("hi"), fcids=no_direct_room)
    assert {failure.errcode for failure in by_bot.failed.values()} == {"FC_ROOM_NOT_FOUND"}


def test_valid_and_unknown_recipients_each_get_their_own_outcome(
    finchat_client: FinChat, finchat_sandbox: Sandbox
) -> None:
    room_ids = [*rooms(3), "!missing:example.org", "!missing:example.org"]
    fcids = [*users(2), "@nobody:example.org", *users(2, start=9)]  # u9, u10: no direct room
    with pytest.warns(UserWarning, match="separate requests"):
        report = finchat_client.messages.send(text_content("hi"), room_ids=room_ids, fcids=fcids)
    assert set(report.succeeded) == {*rooms(3), *users(2)}
    assert {r: f.errcode for r, f in report.failed.items()} == {
        "!missing:example.org": "FC_ROOM_NOT_FOUND",
        "@nobody:example.org": "FC_ROOM_NOT_FOUND",
        "@u9:example.org": "FC_ROOM_NOT_FOUND",
        "@u10:example.org": "FC_ROOM_NOT_FOUND",
    }
    assert not report.unknown
    assert report.total == 9
    assert Counter(d.recipient for d in finchat_sandbox.delivery_log) == Counter(
        list(report.succeeded)
    )
    with pytest.raises(Exception, match="4 failed of 9 recipients"):
        report.raise_for_failures()


def test_a_send_crossing_the_sandbox_limit_learns_it_once_for_the_client(
    finchat_client: FinChat, finchat_sandbox: Sandbox
) -> None:
    first = finchat_client.messages.send(
        text_content("one"), room_ids=rooms(12), fcids=(), concurrency=1
    )
    # 12 refused (limit 5), 6 refused, then 3 per request: 3 + 3 + 3 + 3.
    assert first.ok
    assert first.requests == 2 + 4
    assert finchat_client.messages.limits.per_request("room_ids") == 3
    before = finchat_sandbox.stats.operations["send_message"]
    second = finchat_client.messages.send(text_content("two"), room_ids=rooms(12))
    assert second.ok
    assert second.requests == 4
    assert finchat_sandbox.stats.operations["send_message"] - before == 4
    users_report = finchat_client.messages.send(text_content("three"), fcids=users(8))
    # 8 refused (limit 3), 4 refused: halving from the refused size gives 2.
    assert users_report.ok
    assert finchat_client.messages.limits.per_request("fcids") == 2
    assert Counter(d.recipient for d in finchat_sandbox.delivery_log) == Counter(
        {**dict.fromkeys(rooms(12), 2), **dict.fromkeys(users(8), 1)}
    )


def test_a_configured_maximum_below_the_sandbox_limit_is_never_refused(
    finchat_sandbox: Sandbox,
) -> None:
    with FinChat(
        finchat_sandbox.app_id,
        finchat_sandbox.secret,
        base_url=finchat_sandbox.base_url,
        transport=finchat_sandbox.transport(),
        send_limits=SendLimits(max_room_ids=2),
    ) as finchat_client:
        report = finchat_client.messages.send(text_content("x"), room_ids=rooms(9))
    assert report.ok
    assert report.requests == 5
    assert finchat_sandbox.stats.operations["send_message"] == 5


def test_a_card_sent_then_updated_changes_in_every_room(
    finchat_client: FinChat, finchat_sandbox: Sandbox
) -> None:
    card = Card().text("Apply for a POC").input("company").submit("Send")
    sent = finchat_client.messages.send(card.to_content(), room_ids=rooms(7))
    assert sent.ok
    for room, event_id in sent.succeeded.items():
        updated = finchat_client.messages.update_cui(
            event_id, card.with_status("disable").to_content(), room_ids=[room]
        )
        assert list(updated.succeeded) == [room]
        assert updated.ok
    for room in rooms(7):
        [message] = finchat_sandbox.sent(room)
        assert message.content["info"]["status"] == "disable"
        assert message.history[0]["info"]["status"] == "input"


async def test_a_card_sent_then_updated_asynchronously_for_users(
    finchat_async_client: AsyncFinChat, finchat_sandbox: Sandbox
) -> None:
    card = Card(shared=False).text("Vote").reply("vote", "yes").reply("vote", "no")
    sent = await finchat_async_client.messages.send(card.to_content(), fcids=users(5))
    assert sent.ok
    assert finchat_async_client.messages.limits.per_request("fcids") == 2
    event_ids = set(sent.succeeded.values())
    for user, event_id in sent.succeeded.items():
        report = await finchat_async_client.messages.update_cui(
            event_id, card.with_status("loading").to_content(), fcids=[user]
        )
        assert report.ok
    for user in users(5):
        room = next(d.room_id for d in finchat_sandbox.delivery_log if d.recipient == user)
        [message] = finchat_sandbox.sent(room)
        assert message.event_id in event_ids
        assert message.content["info"]["status"] == "loading"


async def test_every_message_type_reaches_rooms_and_users_asynchronously(
    finchat_async_client: AsyncFinChat, finchat_sandbox: Sandbox
) -> None:
    uri = await finchat_async_client.media.upload(png(2, 2))
    for content in (
        text_content("hi"),
        image_content(uri, body="x.png"),
        file_content(uri, body="x.png"),
        textcard_content(title="t", description="d", url="https://example.org"),
        Card().text("c").to_content(),
    ):
        report = await finchat_async_client.messages.send(content, room_ids=rooms(6))
        as_user = (
            await finchat_async_client.messages.send_as_user(SENDER, content, fcids=users(4))
            if content.msgtype != "m.cui"
            else None
        )
        assert report.ok
        assert as_user is None or as_user.ok
        assert delivered(finchat_sandbox, rooms(1)[0])[-1] == content_dict(content)


# ---- media --------------------------------------------------------------------------------------


def test_uploads_of_each_kind_of_source_are_stored_byte_for_byte_with_their_type(
    finchat_client: FinChat, finchat_sandbox: Sandbox, tmp_path: Path
) -> None:
    for kind, make, data, content_type in sources(tmp_path):
        uri = finchat_client.media.upload(make())
        assert finchat_sandbox.media(uri) == (data, content_type), kind


async def test_async_uploads_of_each_kind_of_source_are_stored_byte_for_byte_with_their_type(
    finchat_async_client: AsyncFinChat, finchat_sandbox: Sandbox, tmp_path: Path
) -> None:
    cases = [
        *sources(tmp_path),
        ("async", lambda: agen(b"%PDF-", b"async"), b"%PDF-async", "application/pdf"),
    ]
    for kind, make, data, content_type in cases:
        uri = await finchat_async_client.media.upload(make())
        assert finchat_sandbox.media(uri) == (data, content_type), kind


def test_a_given_content_type_and_name_are_what_the_sandbox_stores(
    finchat_client: FinChat, finchat_sandbox: Sandbox
) -> None:
    uri = finchat_client.media.upload(
        io.BytesIO(b"col\n1\n"), content_type="text/csv; charset=utf-8"
    )
    assert finchat_sandbox.media(uri) == (b"col\n1\n", "text/csv; charset=utf-8")


def test_send_image_and_send_file_upload_then_send_with_the_info_filled_in(
    finchat_client: FinChat, finchat_sandbox: Sandbox, tmp_path: Path
) -> None:
    (tmp_path / "chart.png").write_bytes(image := png(30, 10))
    shown = finchat_client.media.send_image(tmp_path / "chart.png", room_ids=rooms(6))
    sent = finchat_client.media.send_file(b"%PDF-1.4 tiny", fcids=users(2), filename="tiny.pdf")
    assert shown.ok
    assert sent.ok
    [image_message] = delivered(finchat_sandbox, rooms(1)[0])
    assert image_message["info"] == {"mimetype": "image/png", "size": len(image), "w": 30, "h": 10}
    assert finchat_sandbox.media(image_message["o_url"]) == (image, "image/png")
    [file_message] = delivered(finchat_sandbox, users(1)[0])
    assert (file_message["body"], file_message["info"]) == (
        "tiny.pdf",
        {"mimetype": "application/pdf", "size": 13},
    )


async def test_async_send_image_from_an_async_iterator(
    finchat_async_client: AsyncFinChat, finchat_sandbox: Sandbox
) -> None:
    image = png(3, 5)
    report = await finchat_async_client.media.send_image(
        agen(image[:10], image[10:]), fcids=users(1), filename="a.png"
    )
    assert report.ok
    [message] = delivered(finchat_sandbox, users(1)[0])
    assert message["info"]["mimetype"] == "image/png"
    assert "size" not in message["info"]
    assert finchat_sandbox.media(message["o_url"]) == (image, "image/png")
