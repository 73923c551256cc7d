"""The sandbox reads the spec's schemas with JSON Schema (ECMA-262) meaning, not Python's."""

from __future__ import annotations

import pytest

from finchat_wrapper.sandbox._spec import ecma_regex, load_spec

FCID = r"^@[^:/\s]+:[^/\s]+$"


@pytest.mark.parametrize("value", ["@a\x1f:b", "@a\x85:b", "@\x1cx:y"])
def test_characters_python_calls_space_but_ecma_does_not_are_allowed_in_ids(value: str) -> None:
    assert ecma_regex(FCID).search(value)


@pytest.mark.parametrize("value", ["@a b:c", "@a:b\u3000", "@a:b\n", "@a\ufeff:b"])
def test_ecma_white_space_is_refused_in_ids(value: str) -> None:
    assert not ecma_regex(FCID).search(value)


def test_dollar_matches_only_at_the_very_end() -> None:
    assert not ecma_regex("^[a-z]+$").search("abc\n")
    assert ecma_regex("^[a-z]+$").search("abc")


def test_escaped_dollar_stays_a_literal_dollar() -> None:
    assert ecma_regex(r"^\$[a-z]+$").search("$abc")


def test_int64_fields_refuse_values_outside_the_range() -> None:
    validator = load_spec().operations["send_message"].body
    assert validator is not None

    def body(size: int) -> dict[str, object]:
        content = {"msgtype": "m.file", "body": "f", "o_url": "mxc://e/x", "info": {"size": size}}
        return {"app_id": "a1", "room_ids": ["!r:e"], "content": content}

    assert validator.is_valid(body(2**63 - 1))
    assert not validator.is_valid(body(2**63))


def test_every_operation_of_the_spec_is_compiled() -> None:
    spec = load_spec()
    operations = {
        op["operationId"] for item in spec.document["paths"].values() for op in item.values()
    }
    assert len(operations) == 20
    assert set(spec.operations) == operations
