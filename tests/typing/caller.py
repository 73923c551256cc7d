"""Written as a user of the package would; checked by `mypy --strict` (tests/typing/test_mypy.py).

Never run: it only has to type-check. Each `type: ignore[code]` marks a call that must stay a type
error (strict mode's warn_unused_ignores fails the check if it stops being one).
"""

from __future__ import annotations

from typing import assert_type

import httpx
from finchat_openapi.api.users import get_user
from finchat_openapi.models import (
    AppFriendship,
    Error,
    TextContent,
    UserDetail,
    UserFriendship,
)

from finchat_wrapper import (
    APIError,
    AsyncFinChat,
    Card,
    ContentUri,
    FinChat,
    FinChatError,
    MemoryTokenStore,
    RetryPolicy,
    SendLimits,
    SendReport,
    Token,
    TokenStore,
    TransportError,
)


def sync_usage() -> None:
    with FinChat(
        "app1",
        "secret",
        base_url="https://finchat.example.org",
        timeout=httpx.Timeout(10.0),
        max_retries=3,
        retry_policy=RetryPolicy(sleep=False),
        token_store=MemoryTokenStore(),
        token_refresh_margin=60,
        transport=httpx.MockTransport(lambda request: httpx.Response(200)),
    ) as client:
        text = TextContent(msgtype="m.text", body="hi")
        assert_type(client.messages.send(text, room_ids=["!r:x"]), SendReport)
        assert_type(
            client.messages.send({"msgtype": "m.text", "body": "hi"}, fcids=("@a:x",)),
            SendReport,
        )
        assert_type(client.messages.send_as_user("@u:x", text, fcids=["@a:x"]), SendReport)
        assert_type(
            client.messages.update_cui("$e:x", {"msgtype": "m.cui"}, room_ids=["!r:x"]),
            SendReport,
        )
        assert_type(client.messages.send(Card().text("t").to_content(), room_ids=[]), SendReport)
        assert_type(client.messages.limits, SendLimits)
        assert_type(client.media.upload(b"data", content_type="image/png"), ContentUri)
        assert_type(client.media.upload("photo.png", progress=lambda s, t: None), ContentUri)
        assert_type(client.media.send_image("photo.png", fcids=["@a:x"]), SendReport)
        uploaded = ContentUri("mxc://example.org/abc")
        assert_type(
            client.media.send_file(uploaded, room_ids=["!r:x"], fcids=["@a:x"],
                                   warn_mixed_recipients=False, send_progress=lambda n, t: None),
            SendReport,
        )  # fmt: skip
        assert_type(client.users.get("@a:x"), UserDetail)
        assert_type(client.users.friendships("@a:x"), list[UserFriendship])
        assert_type(client.contacts.by_authority("admin"), list[str])
        assert_type(client.apps.friendships(), list[AppFriendship])
        token = client.auth.token(refresh=True)
        assert_type(token, Token)
        assert_type(token.value, str)
        assert_type(token.ttl, float)
        assert_type(client.http_client, httpx.Client)

        client.users.get(42)  # type: ignore[arg-type]
        client.messages.send("plain text", room_ids=["!r:x"])  # type: ignore[arg-type]
        client.messages.send(text, ["!r:x"])  # type: ignore[arg-type,call-arg]  # by keyword
        client.media.upload(42)  # type: ignore[arg-type]
        client.media.upload(b"x", progress=lambda sent: None)  # type: ignore[arg-type,misc]


async def async_usage() -> None:
    async with AsyncFinChat.from_env(max_retries=0) as client:
        assert_type(await client.users.get("@a:x"), UserDetail)
        assert_type(await client.apps.friendships(), list[AppFriendship])
        assert_type(
            await client.messages.send({"msgtype": "m.text"}, room_ids=["!r:x"]),
            SendReport,
        )
        assert_type(await client.auth.token(), Token)
        assert_type(client.http_client, httpx.AsyncClient)


def generated_operations(client: FinChat) -> None:
    # `client.openapi` is what every generated function takes; errors come back as values.
    assert_type(
        get_user.sync(client=client.openapi, fcid="@a:x", app_id=client.app_id),
        Error | UserDetail | None,
    )
    detailed = get_user.sync_detailed(client=client.openapi, fcid="@a:x", app_id="app1")
    assert_type(detailed.parsed, Error | UserDetail | None)


async def async_generated_operations(aclient: AsyncFinChat) -> None:
    assert_type(
        await get_user.asyncio(client=aclient.openapi, fcid="@a:x", app_id=aclient.app_id),
        Error | UserDetail | None,
    )


def errors(client: FinChat) -> None:
    try:
        client.users.get("@a:x")
    except APIError as error:
        assert_type(error.errcode, str | None)
        assert_type(error.status_code, int)
        assert_type(error.response, httpx.Response | None)
    except TransportError as error:
        assert_type(error.maybe_processed, bool)
    except FinChatError:
        pass


def store_protocol(store: TokenStore) -> None:
    token = store.get("app1@https://finchat.example.org")
    assert_type(token, Token | None)
    FinChat("app1", "secret", base_url="https://x.org", token_store=store)
    FinChat("app1", "secret", base_url="https://x.org", token_store=object())  # type: ignore[arg-type]
