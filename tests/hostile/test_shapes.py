"""Answers of the wrong shape become `InvalidResponseError`, never a crash or a wrong value."""

from __future__ import annotations

from typing import Any

import pytest

from finchat_wrapper import InvalidResponseError

from .conftest import FCID, HostileServer, Runner, answer

_JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    "body",
    [{"fcids": [FCID]}, [1, 2], [FCID, None], "@alice:hostile.test", None, [["@a:b"]]],
    ids=["dict", "ints", "null-item", "string", "null", "nested"],
)
def test_users_by_authority_refuses_anything_but_a_list_of_strings(
    run: Runner, hostile: HostileServer, body: Any
) -> None:
    hostile.on("contacts", answer(200, body))
    with pytest.raises(InvalidResponseError, match="get_users_by_authority"):
        run(lambda c: c.contacts.by_authority("admin"))


@pytest.mark.parametrize(
    "body",
    [[{"fcid": FCID}], "a user", 42, b"<html>200 but a proxy page</html>", b""],
    ids=["list", "string", "number", "html", "empty"],
)
def test_a_profile_of_the_wrong_shape_is_an_invalid_response(
    run: Runner, hostile: HostileServer, body: Any
) -> None:
    hostile.on("user", answer(200, body, _JSON if not isinstance(body, bytes) else None))
    with pytest.raises(InvalidResponseError):
        run(lambda c: c.users.get(FCID))


@pytest.mark.parametrize(
    "body",
    [
        {"app_access_token": 7, "expires_in": 3600},
        {"app_access_token": "t", "expires_in": "soon"},
        {"app_access_token": "", "expires_in": 3600},
        ["tok"],
        b"not json",
    ],
    ids=["token-number", "expiry-string", "token-empty", "list", "not-json"],
)
def test_a_token_answer_of_the_wrong_shape_is_an_invalid_response(
    run: Runner, hostile: HostileServer, body: Any
) -> None:
    hostile.on("token", answer(200, body))
    with pytest.raises(InvalidResponseError):
        run(lambda c: c.users.get(FCID))
    assert hostile.hits("user") == 0


def test_friendships_of_the_wrong_shape_are_an_invalid_response(
    run: Runner, hostile: HostileServer
) -> None:
    hostile.on("friendships", answer(200, {"not": "a list"}))
    with pytest.raises(InvalidResponseError):
        run(lambda c: c.users.friendships(FCID))


def test_an_upload_answer_without_a_content_uri_is_an_invalid_response(
    run: Runner, hostile: HostileServer
) -> None:
    hostile.on("upload", answer(200, {"uri": "mxc://x/y"}))
    with pytest.raises(InvalidResponseError):
        run(lambda c: c.media.upload(b"%PDF-1.4 x"))
