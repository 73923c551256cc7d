"""`client.rooms` on a scripted server: the requests, typed answers, errcodes, retries, shapes."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from finchat_openapi.models import CreateRoomResponse, RoomDetail, UpdateRoomResponse

from finchat_wrapper import (
    APIConnectionError,
    AsyncFinChat,
    FcidAlreadyInRoomError,
    FcidNotFoundError,
    FcidNotInRoomError,
    FinChat,
    ForbiddenError,
    InternalServerError,
    InvalidResponseError,
    RoomNotFederatedError,
    RoomNotFoundError,
)

from .conftest import APP_ID, PREFIX, SECRET, FakeServer

Make = Callable[..., FinChat]
MakeAsync = Callable[..., AsyncFinChat]
ROOM = "!g1:finchat.test"


def fc_error(status: int, errcode: str, error: str = "e") -> httpx.Response:
    return httpx.Response(status, json={"errcode": errcode, "error": error})


def body_of(request: httpx.Request) -> Any:
    return json.loads(request.content)


def test_each_room_operation_sends_its_request_and_answers_a_generated_model(
    make_client: Make, server: FakeServer
) -> None:
    client = make_client()

    created = client.rooms.create(name="周会", fcids=["@a:x", "@a:x"], federate=True)
    assert isinstance(created, CreateRoomResponse)
    assert created.room_id == "!new:finchat.test"
    create = server.requests[-1]
    assert (create.method, create.url.path) == ("POST", PREFIX + "/rooms")
    assert body_of(create) == {
        "app_id": APP_ID,
        "type": "multi_chat",
        "name": "周会",
        "federate": True,
        "fcids": ["@a:x"],
    }

    assert client.rooms.list() == ["!g1:finchat.test", "!g2:finchat.test"]
    assert server.requests[-1].url.params["app_id"] == APP_ID

    detail = client.rooms.get(ROOM)
    assert isinstance(detail, RoomDetail)
    assert (detail.owner, detail.fcids) == ("@bot:x", ["@bot:x"])
    assert server.requests[-1].url.raw_path.startswith(
        (PREFIX + "/rooms/%21g1%3Afinchat.test?").encode()
    )

    updated = client.rooms.update(ROOM, topic="本周议题")
    assert isinstance(updated, UpdateRoomResponse)
    update = server.requests[-1]
    assert update.method == "PUT"
    assert body_of(update) == {"app_id": APP_ID, "topic": "本周议题"}


async def test_the_async_rooms_send_the_same_requests(
    make_async_client: MakeAsync, server: FakeServer
) -> None:
    async with make_async_client() as client:
        assert (await client.rooms.create(owner="@o:x")).room_id == "!new:finchat.test"
        assert body_of(server.requests[-1])["owner"] == "@o:x"
        assert await client.rooms.list() == ["!g1:finchat.test", "!g2:finchat.test"]
        assert (await client.rooms.get(ROOM)).type_ == "multi_chat"
        await client.rooms.update(ROOM, fcids_to_invite=["@a:x"], fcids_to_kick=["@b:x"])
        assert body_of(server.requests[-1]) == {
            "app_id": APP_ID,
            "fcids_to_invite": ["@a:x"],
            "fcids_to_kick": ["@b:x"],
        }


def test_members_that_could_not_be_changed_are_named_in_the_answer(
    make_client: Make, server: FakeServer
) -> None:
    failed = {"failed_fcids_to_invite": ["@a:x"], "failed_fcids_to_kick": ["@b:x"]}
    server.fail("rooms", httpx.Response(200, json=failed))

    answer = make_client().rooms.update(
        ROOM, fcids_to_invite=["@a:x", "@c:x"], fcids_to_kick=["@b:x"]
    )

    assert answer.failed_fcids_to_invite == ["@a:x"]
    assert answer.failed_fcids_to_kick == ["@b:x"]


def test_an_update_of_two_precedence_groups_sends_nothing(
    make_client: Make, server: FakeServer
) -> None:
    with pytest.raises(ValueError, match="one change per update"):
        make_client().rooms.update(ROOM, name="n", fcids_to_invite=["@a:x"])
    assert server.requests == []


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.rooms.get("!no-server"),
        lambda c: c.rooms.update("../rooms", name="n"),
        lambda c: c.rooms.create(owner="bob"),
        lambda c: c.rooms.create(fcids="@a:x"),
        lambda c: c.rooms.update(ROOM),
    ],
    ids=["room-id", "dot-segment", "owner", "bare-string", "no-change"],
)
def test_bad_room_arguments_raise_before_any_request(
    make_client: Make, server: FakeServer, call: Callable[[FinChat], Any]
) -> None:
    with pytest.raises((TypeError, ValueError)):
        call(make_client())
    assert server.requests == []


@pytest.mark.parametrize(
    ("answer", "expected", "call"),
    [
        (
            fc_error(403, "FC_ROOM_IS_NOT_FEDERATE"),
            RoomNotFederatedError,
            lambda c: c.rooms.create(fcids=["@a:other.org"]),
        ),
        (
            fc_error(404, "FC_FCID_NOT_FOUND"),
            FcidNotFoundError,
            lambda c: c.rooms.create(owner="@o:x"),
        ),
        (
            fc_error(409, "FC_FCID_ALREADY_IN_ROOM"),
            FcidAlreadyInRoomError,
            lambda c: c.rooms.update(ROOM, fcids_to_invite=["@a:x"]),
        ),
        (
            fc_error(409, "FC_FCID_NOT_IN_ROOM"),
            FcidNotInRoomError,
            lambda c: c.rooms.update(ROOM, fcids_to_kick=["@a:x"]),
        ),
        (
            fc_error(403, "FC_FORBIDDEN"),
            ForbiddenError,
            lambda c: c.rooms.update(ROOM, message_forbidden_except_owner=True),
        ),
        (fc_error(404, "FC_ROOM_NOT_FOUND"), RoomNotFoundError, lambda c: c.rooms.get(ROOM)),
    ],
    ids=["not-federate", "fcid-not-found", "already-in", "not-in", "forbidden", "room-not-found"],
)
def test_the_errcodes_of_room_operations_raise_their_classes_once(
    make_client: Make,
    server: FakeServer,
    answer: httpx.Response,
    expected: type[Exception],
    call: Callable[[FinChat], Any],
) -> None:
    server.fail("rooms", answer, answer, answer)
    with pytest.raises(expected):
        call(make_client(max_retries=2))
    assert server.count("rooms") == 1  # a refusal is the same the second time: never retried


@pytest.mark.parametrize(
    ("call", "sent"),
    [
        # Repeats leave the room as the first request did.
        (lambda c: c.rooms.get(ROOM), 3),
        (lambda c: c.rooms.list(), 3),
        (lambda c: c.rooms.update(ROOM, name="n"), 3),
        (lambda c: c.rooms.update(ROOM, history_visibility="joined"), 3),
        (lambda c: c.rooms.update(ROOM, invite_forbidden_except_owner=True), 3),
        # A second room, a second invite (FC_FCID_ALREADY_IN_ROOM), a lost ownership.
        (lambda c: c.rooms.create(name="n"), 1),
        (lambda c: c.rooms.update(ROOM, fcids_to_invite=["@a:x"]), 1),
        (lambda c: c.rooms.update(ROOM, fcids_to_kick=["@a:x"]), 1),
        (lambda c: c.rooms.update(ROOM, owner="@a:x"), 1),
    ],
    ids=["get", "list", "name", "history", "flag", "create", "invite", "kick", "owner"],
)
def test_room_operations_are_retried_after_a_server_failure_only_when_repeating_is_safe(
    make_client: Make, server: FakeServer, call: Callable[[FinChat], Any], sent: int
) -> None:
    server.fail("rooms", *[fc_error(500, "FC_INTERNAL_ERROR")] * 3)
    with pytest.raises(InternalServerError):
        call(make_client(max_retries=2))
    assert server.count("rooms") == sent


def test_a_room_create_that_never_reached_the_server_is_retried(
    make_client: Make, server: FakeServer
) -> None:
    server.fail("rooms", httpx.ConnectError("refused"))
    assert make_client(max_retries=1).rooms.create().room_id == "!new:finchat.test"
    assert server.count("rooms") == 2


def test_a_room_create_whose_connection_broke_after_sending_is_not_repeated(
    make_client: Make, server: FakeServer
) -> None:
    server.fail("rooms", httpx.ReadError("reset"), httpx.ReadError("reset"))
    with pytest.raises(APIConnectionError) as caught:
        make_client(max_retries=2).rooms.create(name="n")
    assert caught.value.maybe_processed
    assert server.count("rooms") == 1


@pytest.mark.parametrize(
    "body",
    [{"rooms": [ROOM]}, [1, 2], [ROOM, None], ROOM, [[ROOM]]],
    ids=["dict", "ints", "null-item", "string", "nested"],
)
def test_a_room_list_of_anything_but_strings_is_an_invalid_response(
    make_client: Make, server: FakeServer, body: Any
) -> None:
    server.fail("rooms", httpx.Response(200, json=body))
    with pytest.raises(InvalidResponseError, match="list_rooms"):
        make_client().rooms.list()


@pytest.mark.parametrize(
    "detail",
    [
        {"type": "multi_chat"},
        {"type": "multi_chat", "owner": 5},
        {"type": "multi_chat", "owner": "@o:x", "fcids": "@o:x"},
        {"type": "multi_chat", "owner": "@o:x", "federate": "yes"},
        {"type": "multi_chat", "owner": "@o:x", "federate": 1},
        [{"type": "multi_chat", "owner": "@o:x"}],
    ],
    ids=["no-owner", "owner-number", "fcids-string", "federate-string", "federate-int", "list"],
)
def test_a_room_detail_of_the_wrong_shape_is_an_invalid_response(
    make_client: Make, server: FakeServer, detail: Any
) -> None:
    server.fail("rooms", httpx.Response(200, json=detail))
    with pytest.raises(InvalidResponseError, match="get_room"):
        make_client().rooms.get(ROOM)


def test_a_room_detail_answered_201_as_the_document_shows_is_read(
    make_client: Make, server: FakeServer
) -> None:
    server.fail("rooms", httpx.Response(201, json={"type": "multi_chat", "owner": "@o:x"}))
    assert make_client().rooms.get(ROOM).owner == "@o:x"


@pytest.mark.parametrize(
    ("answer", "match"),
    [
        (httpx.Response(200, json={"room_id": "!r:x"}), "undocumented status HTTP 200"),
        (httpx.Response(201, json={"id": "!r:x"}), "does not match the spec"),
        (httpx.Response(201, json={"room_id": 7}), "wrong shape"),
        (httpx.Response(202, json={"errcode": "X", "error": "y"}), "undocumented status HTTP 202"),
    ],
    ids=["200", "no-room-id", "room-id-number", "202-error-body"],
)
def test_a_room_create_answer_other_than_the_specs_is_an_invalid_response(
    make_client: Make, server: FakeServer, answer: httpx.Response, match: str
) -> None:
    server.fail("rooms", answer)
    with pytest.raises(InvalidResponseError, match=match):
        make_client().rooms.create()


def test_member_failures_of_the_wrong_shape_are_an_invalid_response(
    make_client: Make, server: FakeServer
) -> None:
    server.fail("rooms", httpx.Response(200, json={"failed_fcids_to_invite": "@a:x"}))
    with pytest.raises(InvalidResponseError, match="update_room"):
        make_client().rooms.update(ROOM, fcids_to_invite=["@a:x"])


def test_a_server_echoing_the_secret_in_a_room_error_never_shows_it(
    make_client: Make, server: FakeServer
) -> None:
    server.fail("rooms", fc_error(403, "FC_FORBIDDEN", f"app secret {SECRET} may not"))
    with pytest.raises(ForbiddenError) as caught:
        make_client().rooms.update(ROOM, owner="@a:x")
    assert SECRET not in str(caught.value)
    assert SECRET not in repr(caught.value)
    assert SECRET not in (caught.value.error or "")
