"""Identifiers are checked against the spec's patterns before any request is built."""

from __future__ import annotations

import pytest

from finchat_wrapper._ids import (
    validate_app_id,
    validate_event_id,
    validate_fcid,
    validate_fcids,
    validate_path_id,
    validate_room_id,
    validate_room_ids,
    validate_webhook_id,
)

BAD_COMMON = [
    "",
    ".",
    "..",
    "/",
    "//",
    " ",
    "\x00",
    "\n",
]


@pytest.mark.parametrize(
    "fcid", ["@alice:example.org", "@a:b", "@user.001:dev.finogeeks.club:8448"]
)
def test_valid_fcids_pass(fcid: str) -> None:
    assert validate_fcid(fcid) == fcid


@pytest.mark.parametrize(
    "fcid",
    [
        *BAD_COMMON,
        "alice:example.org",
        "@alice",
        "@:example.org",
        "@alice:",
        "@al/ice:example.org",
        "@alice:exa/mple.org",
        "@al ice:example.org",
        "@alice:example.org\n",
        "@ali\x00ce:example.org",
        "@ali\x7fce:example.org",
        "@ali\x85ce:example.org",
        "@a:" + "x" * 260,
        "!room:example.org",
    ],
)
def test_invalid_fcids_are_rejected(fcid: str) -> None:
    with pytest.raises(ValueError, match="invalid fcid"):
        validate_fcid(fcid)


# Dots are ordinary characters inside an id; only a whole "." or ".." segment is dangerous.
@pytest.mark.parametrize("room_id", ["!112321588723954859:example.org", "!a:b", "!..:x", "!a:.."])
def test_valid_room_ids_pass(room_id: str) -> None:
    assert validate_room_id(room_id) == room_id


@pytest.mark.parametrize("room_id", [*BAD_COMMON, "!a", "@a:b", "!a/b:c", "!a:b c", "!a\t:b"])
def test_invalid_room_ids_are_rejected(room_id: str) -> None:
    with pytest.raises(ValueError, match="invalid room id"):
        validate_room_id(room_id)


@pytest.mark.parametrize(
    "event_id",
    [
        "$143273582443PhrSn:example.org",
        # Room versions 3 and later: the hash in unpadded base64, standard and URL-safe.
        "$acR1l0raoZnm60CBwAVgqbZqoO/mYU81xysh1u7XcJk",
        "$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg",
        "$a+b/c",
    ],
)
def test_valid_event_ids_pass_the_documents_and_modern_matrix_ones(event_id: str) -> None:
    assert validate_event_id(event_id) == event_id


@pytest.mark.parametrize(
    "event_id",
    [*BAD_COMMON, "$", "!a:b", "$a/b:c", "$a:b\r", "$abc=", "$ab cd", "$ab\ncd", "$" + "A" * 255],
)
def test_invalid_event_ids_are_rejected(event_id: str) -> None:
    with pytest.raises(ValueError, match="invalid event id"):
        validate_event_id(event_id)


@pytest.mark.parametrize(
    "value", ["55c22c00-09e9-11ea-ab7d-a15ba0c1027b", "00f3", "a.b", "...a", "九九九", "@x:y"]
)
def test_path_ids_that_stay_one_segment_pass(value: str) -> None:
    assert validate_path_id("department_id", value) == value


@pytest.mark.parametrize("value", [*BAD_COMMON, "...", "a/b", "a b", "a\x7fb", "x" * 256])
def test_path_ids_that_would_change_the_route_are_rejected(value: str) -> None:
    with pytest.raises(ValueError, match="invalid department_id"):
        validate_path_id("department_id", value)


@pytest.mark.parametrize("value", ["5df29mec9ccfd002ccd28076", "hook/1", "a.b"])
def test_webhook_ids_pass_when_not_empty_and_without_white_space(value: str) -> None:
    assert validate_webhook_id(value) == value


@pytest.mark.parametrize("value", ["", " ", "a b", "a\nb", "\x00"])
def test_empty_or_spaced_webhook_ids_are_rejected(value: str) -> None:
    with pytest.raises(ValueError, match="invalid webhook_id"):
        validate_webhook_id(value)


@pytest.mark.parametrize("app_id", ["5cf29aec6ccfd004ccd28075", "a", "A_b-1", "x" * 64])
def test_valid_app_ids_pass(app_id: str) -> None:
    assert validate_app_id(app_id) == app_id


@pytest.mark.parametrize("app_id", [*BAD_COMMON, "_a", "-a", "a b", "a/b", "a.b", "x" * 65, "é"])
def test_invalid_app_ids_are_rejected(app_id: str) -> None:
    with pytest.raises(ValueError, match="invalid app_id"):
        validate_app_id(app_id)


@pytest.mark.parametrize("value", [None, 42, b"@a:b"])
def test_non_strings_are_a_type_error(value: object) -> None:
    with pytest.raises(TypeError, match="must be a str"):
        validate_fcid(value)


def test_lists_are_validated_item_by_item() -> None:
    assert validate_room_ids(("!a:b", "!c:d")) == ["!a:b", "!c:d"]
    assert validate_fcids(iter(["@a:b"])) == ["@a:b"]
    with pytest.raises(ValueError, match="invalid fcid"):
        validate_fcids(["@a:b", ".."])


def test_a_bare_string_is_not_taken_for_a_list_of_ids() -> None:
    with pytest.raises(TypeError, match="list of ids"):
        validate_room_ids("!a:b")
    with pytest.raises(TypeError, match="list of ids"):
        validate_fcids("@a:b")


def test_long_bad_ids_are_shortened_in_the_message() -> None:
    with pytest.raises(ValueError, match=r"\.\.\.'") as caught:
        validate_fcid("x" * 1000)
    assert len(str(caught.value)) < 200
