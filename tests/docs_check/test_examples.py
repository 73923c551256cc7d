"""What a code block holds, and where an example contradicts the table it illustrates."""

from __future__ import annotations

import pytest

from finchat_wrapper._docs_check._blocks import Code
from finchat_wrapper._docs_check._examples import (
    Example,
    mismatches,
    parse,
    similar,
    status_problem,
)
from finchat_wrapper._docs_check._fields import Unreadable
from finchat_wrapper._docs_check._model import Field


def _parse(text: str, line: int = 10) -> Example | None:
    return parse(Code("", text, line))


def test_a_status_line_is_read_and_the_json_below_it_with_its_own_lines() -> None:
    example = _parse('HTTP/1.1 201 OK\n{\n  "a": 1\n  "b": "x"\n}\n')
    assert example is not None
    assert example.status == (201, "OK", 10)
    assert example.value == {"a": 1, "b": "x"}


def test_an_http_request_gives_its_method_path_and_form_body() -> None:
    text = (
        "POST /auth/token HTTP/1.1\nHost: iam.example.org\n"
        "Content-Type: application/x-www-form-urlencoded\n\ngrant_type=code&code=a.b"
    )
    example = _parse(text)
    assert example is not None
    assert (example.kind, example.request) == ("form", ("POST", "/auth/token", 10))
    assert example.value == {"grant_type": "code", "code": "a.b"}


def test_an_http_request_without_a_body_has_no_value() -> None:
    example = _parse("GET /userinfo HTTP/1.1\nAuthorization: Bearer x\n")
    assert example is not None
    assert (example.value, example.request) == (None, ("GET", "/userinfo", 10))


def test_a_url_gives_the_fields_of_its_query_string_spaces_and_all() -> None:
    example = _parse("https://iam.example.org/auth?client_id=a&scope=openid profile&state=\n")
    assert example is not None
    assert (example.kind, example.value) == (
        "url",
        {"client_id": "a", "scope": "openid profile", "state": ""},
    )


def test_a_placeholder_and_an_empty_block_show_nothing() -> None:
    assert _parse("<bytes>\n") is None
    assert _parse("\n\n") is None


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ('{\n  "a": 1 +\n}', 11, "not JSON even leniently"),
        ("curl -X POST https://x", 10, "neither JSON, a form body, an HTTP message nor a URL"),
        ("HTTP/1.1 200 OK\n\nsome text", 12, "neither JSON"),
    ],
)
def test_a_block_that_is_no_example_is_unreadable_at_its_line(
    text: str, line: int, reason: str
) -> None:
    with pytest.raises(Unreadable) as info:
        _parse(text)
    assert info.value.unread.line == line
    assert reason in info.value.unread.reason


@pytest.mark.parametrize(
    ("code", "reason", "problem"),
    [
        (200, "OK", None),
        (201, "Created", None),
        (201, "created", None),
        (200, "", None),
        (201, "OK", "201 is 'Created', not 'OK'"),
        (299, "OK", "299 is not an HTTP status"),
    ],
)
def test_a_status_line_whose_phrase_is_not_its_codes_is_a_problem(
    code: int, reason: str, problem: str | None
) -> None:
    assert status_problem(code, reason) == problem


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("include_sub_departments", "include_sub_deparments", True),
        ("refresh_expires_in", "refresh_rexpires_in", True),
        ("not-before-policy", "not_before_policy", True),
        ("room_id", "room_ids", True),
        ("fcid", "fcids", False),  # too short to tell a typo from another name
        ("room_id", "room_type", False),
        ("app_id", "app_name", False),
    ],
)
def test_two_spellings_of_one_name_are_similar_and_other_names_are_not(
    first: str, second: str, same: bool
) -> None:
    assert similar(first, second) is same


_TABLE = {
    "room_ids": Field("room_ids", "array<string>", False, line=3),
    "content": Field(
        "content",
        "object",
        True,
        {"total": Field("total", "integer", True, line=8)},
        line=4,
    ),
}


def _found(value: object, extensible: bool = False) -> list[tuple[str, int, tuple[str, ...]]]:
    text = "{\n" + "\n".join(f'  "{key}": 1' for key in ["room_id", "extra", "content"]) + "\n}"
    example = Example(value, "json", 20, text, 20)
    return [
        (m.what, m.line, m.terms) for m in mismatches(example, value, _TABLE, extensible=extensible)
    ]


def test_a_name_the_example_spells_otherwise_is_paired_with_the_table_row() -> None:
    assert _found({"room_id": "!r", "content": {"total": 1}}) == [
        (
            "`room_id` in the example (line 21) is `room_ids` in the table (line 3)",
            21,
            ("room_id", "room_ids"),
        )
    ]


def test_a_field_the_table_lacks_a_required_one_left_out_and_a_wrong_type_are_reported() -> None:
    assert _found({"extra": 1, "content": {"total": "20"}}) == [
        ("the example (line 22) has `extra`, which the table does not list", 22, ("extra",)),
        (
            "`content.total` is string in the example (line 20), integer in the table (line 8)",
            20,
            ("total",),
        ),
    ]
    assert _found({"room_ids": []}) == [
        (
            "the example (line 20) lacks `content`, which the table (line 4) marks required",
            20,
            ("content",),
        ),
    ]


def test_an_extensible_table_takes_fields_it_does_not_list() -> None:
    assert _found({"extra": 1, "content": {"total": 1}}, extensible=True) == []
