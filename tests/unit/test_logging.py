"""Secrets never reach logs, reprs or messages, even with DEBUG logging everywhere."""

from __future__ import annotations

import io
from collections.abc import Callable

import httpx
import pytest

from finchat_wrapper import FinChat, FinChatError
from finchat_wrapper._logging import REDACTED, Redactor

from .conftest import SECRET, FakeServer

Make = Callable[..., FinChat]


def test_redactor_replaces_the_secret_and_remembered_tokens() -> None:
    redact = Redactor("s3cret")
    redact.add("tok-1")
    assert redact("s3cret and tok-1 and tok-2") == f"{REDACTED} and {REDACTED} and tok-2"


def test_redactor_replaces_the_longest_secret_first() -> None:
    redact = Redactor("abc")
    redact.add("abcdef")
    assert redact("xabcdefx") == f"x{REDACTED}x"


def test_redactor_forgets_old_tokens_but_never_the_secret() -> None:
    redact = Redactor("s3cret")
    for n in range(20):
        redact.add(f"token-{n:02d}")
    assert "token-00" in redact("token-00")
    assert redact("token-19 s3cret") == f"{REDACTED} {REDACTED}"


def test_redactor_ignores_empty_secrets() -> None:
    redact = Redactor("")
    redact.add("")
    assert redact("text") == "text"


def echoing_refusal(request: httpx.Request) -> httpx.Response:
    # A careless server that quotes the token it refused.
    token = request.headers["Authorization"].removeprefix("Bearer ")
    error = f"token {token} is invalid for secret {SECRET}"
    return httpx.Response(401, json={"errcode": "FC_INVALID_ACCESS_TOKEN", "error": error})


def test_debug_logs_reprs_and_errors_never_show_the_secret_or_a_token(
    make_client: Make, server: FakeServer, captured: io.StringIO
) -> None:
    client = make_client(max_retries=2)
    shown: list[str] = [repr(client), repr(client.auth.token()), str(client.auth.token())]
    client.users.get("@a:x")
    server.fail("users", httpx.ReadError("reset"), httpx.Response(503, text="busy"))
    client.users.get("@a:x")  # two retries, logged
    server.fail("users", echoing_refusal)
    client.users.get("@a:x")  # refused token, replay with a new one
    server.fail("users", echoing_refusal, echoing_refusal)
    with pytest.raises(FinChatError) as caught:
        client.users.get("@a:x")
    shown += [str(caught.value), repr(caught.value), str(caught.value.error)]  # type: ignore[attr-defined]
    server.fail("token", httpx.Response(500, json={"errcode": "X", "error": f"bad {SECRET}"}))
    server.fail(
        "token", httpx.Response(401, json={"errcode": "FC_INVALID_SECRET", "error": SECRET})
    )
    with pytest.raises(FinChatError) as caught_token:
        client.auth.token(refresh=True)
    shown += [str(caught_token.value)]
    text = captured.getvalue() + "\n".join(shown)
    assert "retry 1 of 2" in text  # the scenarios did log
    assert "access token refused" in text
    assert server.issued  # and tokens were issued
    for secret in [SECRET, *server.issued]:
        assert secret not in text, secret
