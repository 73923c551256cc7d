"""Over a real socket, with DEBUG logging on for finchat, httpx and httpcore, no secret leaks."""

from __future__ import annotations

import io
import json

import httpx
import pytest

from finchat_wrapper import FinChat, FinChatError, RetryPolicy
from finchat_wrapper.sandbox import ErrorFault, FaultPlan, Sandbox, serve

ROOM = "!112321588723954859:example.org"


class TokenSpy(httpx.BaseTransport):
    """Passes requests through and remembers every token the server issued."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.tokens: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path.endswith("/auth/token") and response.status_code == 200:
            response.read()
            self.tokens.append(json.loads(response.content)["app_access_token"])
        return response

    def close(self) -> None:
        self.inner.close()


@pytest.mark.network
def test_debug_logging_over_a_socket_shows_neither_the_secret_nor_a_token(
    captured: io.StringIO,
) -> None:
    shown: list[str] = []
    with Sandbox() as sandbox, serve(sandbox) as base_url:
        spy = TokenSpy(sandbox.transport())
        client = FinChat(
            sandbox.app_id,
            sandbox.secret,
            base_url=base_url,
            transport=spy,
            retry_policy=RetryPolicy(sleep=False),
        )
        with client:
            client.messages.send({"msgtype": "m.text", "body": "hello"}, room_ids=[ROOM])
            client.media.upload(b"bytes", content_type="text/plain")
            sandbox.revoke_tokens()  # refused token: one replay with a new token
            client.users.get("@alice:example.org")
            sandbox.set_faults(
                FaultPlan(
                    error_rate=1.0, errors=(ErrorFault.internal_error(),), operations={"get_user"}
                )
            )
            with pytest.raises(FinChatError) as caught:
                client.users.get("@alice:example.org")  # retried, then raised
            shown += [
                str(caught.value),
                repr(caught.value),
                repr(client),
                repr(client.auth.token()),
            ]
            sandbox.set_faults(None)
        wrong = FinChat(
            sandbox.app_id,
            "wrong-" + sandbox.secret,
            base_url=base_url,
            transport=sandbox.transport(),
        )
        with wrong, pytest.raises(FinChatError) as refused:
            wrong.auth.token()
        shown.append(str(refused.value))
        secret = sandbox.secret
    text = captured.getvalue() + "\n".join(shown)
    assert "httpcore" in text  # the real-socket layers did log
    assert "retry 1 of 2" in text
    assert len(spy.tokens) == 2
    for value in [secret, *spy.tokens]:
        assert value not in text
