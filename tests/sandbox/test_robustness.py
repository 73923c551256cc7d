"""No input crashes the sandbox: arbitrary requests get a JSON answer below 500."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finchat_wrapper.sandbox import Sandbox

API = "/api/v1/finchat/open-api"
PATHS = [
    f"{API}/auth/token",
    f"{API}/message/send",
    "/api/v1/finchat/privilege-api/message/send-as-user",
    f"{API}/message/update-cui",
    f"{API}/media/upload",
    f"{API}/contact/get-users-by-authority",
    f"{API}/users/@test:example.org",
    f"{API}/users/@test:example.org/friendships",
    f"{API}/apps/5cf29aec6ccfd004ccd28075/friendships",
    "/_sandbox/simulate/user-message",
    "/_sandbox/faults",
    "/_sandbox/media",
]


@pytest.fixture(scope="module")
def target() -> tuple[Sandbox, str]:
    """One sandbox for every example: state piling up is part of what must not crash it."""
    sandbox = Sandbox(delivery_delays=())

    async def token() -> str:
        transport = httpx.ASGITransport(app=sandbox.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://s.localhost") as client:
            body = {"app_id": sandbox.app_id, "secret": sandbox.secret}
            value: str = (await client.post(f"{API}/auth/token", json=body)).json()[
                "app_access_token"
            ]
            return value

    return sandbox, asyncio.run(token())


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]),
    path=st.sampled_from(PATHS) | st.text().map(lambda t: "/" + quote(t, safe="/@:!$")),
    query=st.dictionaries(
        st.sampled_from(["app_id", "authority_name", "uri", "wait", "x"]), st.text()
    ),
    body=st.binary(max_size=200)
    | json_values.map(lambda v: httpx.Request("POST", "/", json=v).read()),
    content_type=st.sampled_from(["application/json", "text/plain", "", "application/x+json"]),
    authorized=st.booleans(),
)
def test_any_request_gets_an_answer_below_500(
    target: tuple[Sandbox, str],
    method: str,
    path: str,
    query: dict[str, str],
    body: bytes,
    content_type: str,
    authorized: bool,
) -> None:
    sandbox, token = target
    headers = {"content-type": content_type} if content_type else {}
    if authorized:
        headers["authorization"] = f"Bearer {token}"

    async def call() -> httpx.Response:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=sandbox.app), base_url="http://s.localhost"
        ) as client:
            return await client.request(
                method,
                path,
                params=query,
                content=body if method != "GET" else b"",
                headers=headers,
            )

    response = asyncio.run(call())
    assert response.status_code < 500, response.text
    assert sandbox.internal_errors == []
    if response.status_code >= 400 and method != "HEAD":
        assert set(response.json()) >= {"errcode", "error"}
