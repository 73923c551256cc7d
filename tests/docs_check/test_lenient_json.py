"""The document's examples are read despite comments, missing or extra commas and quotes."""

from __future__ import annotations

import pytest

from finchat_wrapper._docs_check._lenient_json import LenientJSONError, loads


def test_line_comments_are_dropped_but_double_slashes_inside_strings_stay() -> None:
    text = '{\n  "url": "mxc://example.org/x", // 文件路径\n  "n": 1 // 大小\n}'
    assert loads(text) == {"url": "mxc://example.org/x", "n": 1}


def test_missing_commas_between_members_and_elements_are_added() -> None:
    text = '{\n  "a": "x"\n  "b": [1\n 2]\n  "c": {"d": true}\n  "e": null\n}'
    assert loads(text) == {"a": "x", "b": [1, 2], "c": {"d": True}, "e": None}


def test_trailing_commas_are_removed() -> None:
    assert loads('{"a": [1, 2,], "b": {"c": 1,},}') == {"a": [1, 2], "b": {"c": 1}}


def test_a_string_left_open_is_closed_before_its_comment() -> None:
    text = '{\n  "url": "https://example.org/home // 跳转链接\n  "title": "t"\n}'
    assert loads(text) == {"url": "https://example.org/home", "title": "t"}


def test_missing_commas_between_array_elements_on_their_own_lines_are_added() -> None:
    text = '[\n  "@a:example.org"\n  "@b:example.org"\n]'
    assert loads(text) == ["@a:example.org", "@b:example.org"]


def test_escaped_quotes_stay_inside_their_string() -> None:
    assert loads(r'{"a": "say \"hi\" // not a comment"}') == {"a": 'say "hi" // not a comment'}


def test_nesting_too_deep_for_the_parser_is_a_lenient_json_error() -> None:
    with pytest.raises(LenientJSONError, match="nested too deeply"):
        loads("[" * 100_000 + "]" * 100_000)


def test_text_that_no_repair_makes_json_names_its_line() -> None:
    with pytest.raises(LenientJSONError, match="line 42") as info:
        loads('{\n  "a": 1,\n  "b": 1 +\n}', first_line=40)
    assert info.value.line == 42
