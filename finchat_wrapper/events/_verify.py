"""Checking the verification token of a callback, in constant time and without I/O.

FinChat authenticates a callback by the `token` inside its body (there is no signature header).
`verify_token` answers a bool; `check_token` raises `InvalidTokenError` for callers that prefer an
exception. Neither ever puts either token into a message.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

from .._errors import FinChatError
from ._parse import Callback


class InvalidTokenError(FinChatError, ValueError):
    """The callback's verification token is missing or is not the expected one."""


def _token_of(envelope: Callback[Any] | Mapping[str, Any]) -> object:
    if isinstance(envelope, Callback):
        return envelope.token
    if isinstance(envelope, Mapping):
        return envelope.get("token")
    return None


def verify_token(envelope: Callback[Any] | Mapping[str, Any], expected: str) -> bool:
    """Whether the callback carries the `expected` verification token.

    `envelope` is a parsed `Callback` or the decoded JSON body. A missing or non-string token is
    False. The comparison takes the same time wherever the tokens differ.
    """
    if not expected:
        # An empty expected token would accept a callback whose token is also empty.
        raise ValueError("the expected verification token must not be empty")
    token = _token_of(envelope)
    if not isinstance(token, str):
        return False
    # compare_digest refuses non-ASCII str; bytes keep any token comparable. surrogatepass: a
    # lone surrogate is valid JSON ("\ud800") but no UTF-8, and must be a wrong token, not a crash.
    return hmac.compare_digest(_utf8(token), _utf8(expected))


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def check_token(envelope: Callback[Any] | Mapping[str, Any], expected: str) -> None:
    """Like `verify_token`, but raises `InvalidTokenError` instead of answering False."""
    if not verify_token(envelope, expected):
        raise InvalidTokenError("the callback's verification token is missing or wrong")
