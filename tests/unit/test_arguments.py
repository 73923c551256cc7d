"""Every id argument of every method, and every content, is checked before any request is made:
a value that is not a str is a TypeError, a str that cannot be sent (a lone surrogate, valid in
JSON but not encodable as UTF-8) a ValueError, never a UnicodeEncodeError halfway through."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from finchat_wrapper import AsyncFinChat, FinChat

from .conftest import FakeServer

TEXT = {"msgtype": "m.text", "body": "hi"}
CUI = {"msgtype": "m.cui", "body": "card"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
PDF = b"%PDF-1.4\n"

# (name, call with the id under test, the kind of id): every method taking an id.
ID_ARGUMENTS: list[tuple[str, Callable[[Any, Any], Any], str]] = [
    ("users.get", lambda c, v: c.users.get(v), "@"),
    ("users.friendships", lambda c, v: c.users.friendships(v), "@"),
    ("contacts.by_authority", lambda c, v: c.contacts.by_authority(v), "@"),
    ("messages.send room_ids", lambda c, v: c.messages.send(TEXT, room_ids=[v]), "!"),
    ("messages.send fcids", lambda c, v: c.messages.send(TEXT, fcids=[v]), "@"),
    (
        "messages.send_as_user sender",
        lambda c, v: c.messages.send_as_user(v, TEXT, room_ids=["!r:x.org"]),
        "@",
    ),
    (
        "messages.send_as_user fcids",
        lambda c, v: c.messages.send_as_user("@s:x.org", TEXT, fcids=[v]),
        "@",
    ),
    (
        "messages.update_cui origin_event",
        lambda c, v: c.messages.update_cui(v, CUI, room_ids=["!r:x.org"]),
        "$",
    ),
    (
        "messages.update_cui room_ids",
        lambda c, v: c.messages.update_cui("$e:x.org", CUI, room_ids=[v]),
        "!",
    ),
    ("media.send_image room_ids", lambda c, v: c.media.send_image(PNG, room_ids=[v]), "!"),
    ("media.send_image fcids", lambda c, v: c.media.send_image(PNG, fcids=[v]), "@"),
    ("media.send_file room_ids", lambda c, v: c.media.send_file(PDF, room_ids=[v]), "!"),
    ("media.send_file fcids", lambda c, v: c.media.send_file(PDF, fcids=[v]), "@"),
]
NOT_STR = [5, None, b"@a:x.org", ["@a:x.org"]]


@pytest.mark.parametrize(("name", "call", "sigil"), ID_ARGUMENTS, ids=[a[0] for a in ID_ARGUMENTS])
@pytest.mark.parametrize("value", NOT_STR, ids=["int", "None", "bytes", "list"])
def test_an_id_that_is_not_a_str_is_a_type_error_before_any_request(
    make_client: Callable[..., FinChat],
    server: FakeServer,
    name: str,
    call: Callable[[Any, Any], Any],
    sigil: str,
    value: Any,
) -> None:
    with pytest.raises(TypeError, match="must be a str"):
        call(make_client(), value)
    assert server.requests == []


@pytest.mark.parametrize(("name", "call", "sigil"), ID_ARGUMENTS, ids=[a[0] for a in ID_ARGUMENTS])
async def test_an_id_that_is_not_a_str_is_a_type_error_in_the_async_client_too(
    make_async_client: Callable[..., AsyncFinChat],
    server: FakeServer,
    name: str,
    call: Callable[[Any, Any], Any],
    sigil: str,
) -> None:
    async with make_async_client() as client:
        with pytest.raises(TypeError, match="must be a str"):
            await call(client, 5)
    assert server.requests == []


@pytest.mark.parametrize(("name", "call", "sigil"), ID_ARGUMENTS, ids=[a[0] for a in ID_ARGUMENTS])
def test_an_id_holding_a_lone_surrogate_is_a_value_error_before_any_request(
    make_client: Callable[..., FinChat],
    server: FakeServer,
    name: str,
    call: Callable[[Any, Any], Any],
    sigil: str,
) -> None:
    value = "admin\ud800" if name == "contacts.by_authority" else f"{sigil}a\ud800:x.org"
    with pytest.raises(ValueError, match=r"invalid|surrogate") as caught:
        call(make_client(), value)
    assert not isinstance(caught.value, UnicodeError)
    assert server.requests == []


@pytest.mark.parametrize(
    "content",
    [
        {"msgtype": "m.text", "body": "\ud800"},
        {"msgtype": "m.text", "body": "ok", "format": {"nested": ["\udfff"]}},
    ],
    ids=["body", "nested"],
)
def test_a_content_holding_a_lone_surrogate_is_a_value_error_before_any_request(
    make_client: Callable[..., FinChat], server: FakeServer, content: dict[str, Any]
) -> None:
    with pytest.raises(ValueError, match="lone surrogate") as caught:
        make_client().messages.send(content, room_ids=["!r:x.org"])
    assert not isinstance(caught.value, UnicodeError)
    assert server.requests == []


def test_a_content_that_is_not_json_is_a_value_error_before_any_request(
    make_client: Callable[..., FinChat], server: FakeServer
) -> None:
    with pytest.raises(ValueError, match="not JSON"):
        make_client().messages.send({"msgtype": "m.text", "body": float("nan")}, fcids=["@a:x"])
    assert server.requests == []
