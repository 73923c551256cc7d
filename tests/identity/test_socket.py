"""The identity clients against the sandbox IAM over real uvicorn sockets."""

from __future__ import annotations

import asyncio

import pytest

from finchat_wrapper.identity import (
    AsyncIdentityClient,
    IdentityClient,
    InvalidClientError,
    SessionExpiredError,
    StateError,
)
from finchat_wrapper.sandbox import Sandbox

from .conftest import ALICE, LINIAN, REDIRECT, Clock, authorize

pytestmark = pytest.mark.network


def test_the_sync_client_signs_in_refreshes_and_reads_userinfo_over_a_socket(
    sandbox: Sandbox, served: str, clock: Clock
) -> None:
    with IdentityClient(sandbox.app_id, sandbox.secret, base_url=served, clock=clock) as client:
        started = client.authorization_url(REDIRECT, login_hint=LINIAN)
        assert started.url.startswith(f"{served}/auth/realms/master/")
        params = authorize(sandbox, started, network=True)
        session = client.callback(params, redirect_uri=REDIRECT, authorization=started)
        assert session.user.fcid == LINIAN
        with pytest.raises(StateError):
            client.callback(params, redirect_uri=REDIRECT, authorization=started)
        clock.advance(301)
        fresh = client.refresh(session)
        assert fresh.generation == 1
        assert client.userinfo(fresh).name == "linian002"
        sandbox.iam.revoke_sessions(LINIAN)
        with pytest.raises(SessionExpiredError):
            client.refresh(fresh, force=True)


async def test_the_async_client_over_a_socket_refreshes_once_for_many_tasks(
    sandbox: Sandbox, served: str, clock: Clock
) -> None:
    async with AsyncIdentityClient(
        sandbox.app_id, sandbox.secret, base_url=served, clock=clock
    ) as client:
        started = await client.authorization_url(REDIRECT, login_hint=ALICE)
        params = await asyncio.to_thread(authorize, sandbox, started, network=True)
        session = await client.callback(params, redirect_uri=REDIRECT, authorization=started)
        clock.advance(301)
        results = await asyncio.gather(*(client.refresh(session) for _ in range(100)))
        assert sandbox.iam.requests["token:refresh_token"] == 1
        assert len({r.access_token for r in results}) == 1
        assert (await client.userinfo(results[0])).fcid == ALICE


def test_a_wrong_secret_over_a_socket_is_invalid_client(
    sandbox: Sandbox, served: str, clock: Clock
) -> None:
    with IdentityClient(sandbox.app_id, "wrong-secret", base_url=served, clock=clock) as client:
        started = client.authorization_url(REDIRECT, login_hint=ALICE)
        params = authorize(sandbox, started, network=True)
        with pytest.raises(InvalidClientError):
            client.callback(params, redirect_uri=REDIRECT, authorization=started)
