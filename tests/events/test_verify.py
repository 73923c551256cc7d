from __future__ import annotations

from typing import Any

import pytest

from finchat_wrapper.events import (
    InvalidTokenError,
    check_token,
    parse_callback,
    verify_token,
)

from .conftest import TOKEN, callback


def test_the_registered_token_verifies_in_a_mapping_and_in_a_parsed_callback() -> None:
    body = callback("directText")
    assert verify_token(body, TOKEN) is True
    assert verify_token(parse_callback(body), TOKEN) is True


@pytest.mark.parametrize(
    "token",
    [TOKEN[:-1], TOKEN + "x", TOKEN.lower(), "", "密钥", None, 5, ["t"]],
)
def test_any_other_token_does_not_verify(token: Any) -> None:
    body = callback("directText")
    body["token"] = token
    assert verify_token(body, TOKEN) is False


def test_a_missing_token_does_not_verify() -> None:
    body = callback("directText")
    del body["token"]
    assert verify_token(body, TOKEN) is False


def test_non_ascii_tokens_compare_without_error() -> None:
    assert verify_token({"token": "密钥"}, "密钥") is True


@pytest.mark.parametrize("token", ["\ud800", "ok\udfff", "\udbff\ud800"])
def test_a_token_that_is_a_lone_surrogate_is_wrong_not_an_error(token: str) -> None:
    # Valid JSON ("\ud800"), but no UTF-8: it used to raise UnicodeEncodeError.
    assert verify_token({"token": token}, TOKEN) is False
    assert verify_token({"token": token}, token) is True  # equal strings are still equal


def test_an_empty_expected_token_is_refused_rather_than_matching_an_empty_one() -> None:
    with pytest.raises(ValueError, match="must not be empty"):
        verify_token({"token": ""}, "")


def test_check_token_raises_without_quoting_either_token() -> None:
    check_token(callback("directText"), TOKEN)
    with pytest.raises(InvalidTokenError) as info:
        check_token({"token": "wrong-token-value"}, TOKEN)
    assert "wrong-token-value" not in str(info.value)
    assert TOKEN not in str(info.value)
