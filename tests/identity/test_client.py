"""IdentityClient / AsyncIdentityClient against the sandbox IAM, in-process: every step and
every failure of a sign-in."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import hashlib
import threading
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from finchat_wrapper import FinChatError
from finchat_wrapper.identity import (
    AsyncIdentityClient,
    AuthorizationDeniedError,
    CallbackError,
    DiscoveryError,
    IdentityClient,
    IdentityError,
    InvalidClientError,
    InvalidGrantError,
    InvalidIdTokenError,
    RedirectUriMismatchError,
    SessionExpiredError,
    StateError,
)
from finchat_wrapper.sandbox import Sandbox

from .conftest import ALICE, LINIAN, REDIRECT, Clock, authorize, identity_kwargs


def sign_in(identity: IdentityClient, sandbox: Sandbox, fcid: str = ALICE):
    started = identity.authorization_url(REDIRECT, login_hint=fcid)
    params = authorize(sandbox, started)
    return identity.callback(params, redirect_uri=REDIRECT, authorization=started)


# ---- the happy path --------------------------------------------------------------------------


def test_a_sign_in_returns_the_user_and_their_tokens(
    identity: IdentityClient, sandbox: Sandbox
) -> None:
    session = sign_in(identity, sandbox, LINIAN)
    assert session.user.fcid == LINIAN
    assert session.user.name == "linian002"
    # The organization of the user's profile (the document's user-detail example).
    assert session.user.organization_id == "00001"
    assert session.user.email == "222@qq.com"
    assert session.access_token
    assert session.refresh_token
    assert session.id_token
    assert session.access_expires_at == pytest.approx(sandbox.iam._clock() + 300)
    assert session.refresh_expires_at == pytest.approx(sandbox.iam._clock() + 1800)
    assert [(s.fcid, s.app_id, s.method) for s in sandbox.iam.sign_ins] == [
        (LINIAN, sandbox.app_id, "login_hint")
    ]


async def test_the_async_client_signs_in_and_reads_userinfo(
    aidentity: AsyncIdentityClient, sandbox: Sandbox
) -> None:
    started = await aidentity.authorization_url(REDIRECT, login_hint=ALICE)
    params = await asyncio.to_thread(authorize, sandbox, started)
    session = await aidentity.callback(params, redirect_uri=REDIRECT, authorization=started)
    info = await aidentity.userinfo(session)
    assert (session.user.fcid, info.fcid, info.name, info.sub) == (
        ALICE,
        ALICE,
        "alice",
        session.user.sub,
    )


def test_the_authorization_url_carries_the_documented_parameters_state_nonce_and_pkce(
    identity: IdentityClient, sandbox: Sandbox
) -> None:
    started = identity.authorization_url(REDIRECT)
    url = urlsplit(started.url)
    query = dict(parse_qsl(url.query))
    assert url.path == "/auth/realms/master/protocol/openid-connect/auth"
    assert query["client_id"] == sandbox.app_id
    assert query["response_type"] == "code"
    assert query["scope"] == "openid profile"
    assert query["redirect_uri"] == REDIRECT
    assert query["state"] == started.state
    assert query["nonce"] == started.nonce
    digest = hashlib.sha256(started.code_verifier.encode()).digest()
    assert query["code_challenge"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert query["code_challenge_method"] == "S256"
    again = identity.authorization_url(REDIRECT)
    assert again.state != started.state
    assert again.nonce != started.nonce
    assert started.state not in repr(started)
    assert started.nonce not in repr(started)


def test_a_scope_without_openid_is_refused_before_anything_is_sent(
    identity: IdentityClient,
) -> None:
    with pytest.raises(ValueError, match="openid"):
        identity.authorization_url(REDIRECT, scope="profile")


def test_an_authorization_survives_a_round_trip_through_a_dict(
    identity: IdentityClient, sandbox: Sandbox
) -> None:
    from finchat_wrapper.identity import Authorization

    started = identity.authorization_url(REDIRECT, login_hint=ALICE)
    params = authorize(sandbox, started)
    kept = Authorization.from_dict(started.to_dict())
    session = identity.callback(params, redirect_uri=REDIRECT, authorization=kept)
    assert session.user.fcid == ALICE


def test_exchange_takes_code_redirect_uri_and_state(
    identity: IdentityClient, sandbox: Sandbox
) -> None:
    started = identity.authorization_url(REDIRECT, login_hint=ALICE)
    params = authorize(sandbox, started)
    session = identity.exchange(
        params["code"], redirect_uri=REDIRECT, state=params["state"], authorization=started
    )
    assert session.user.fcid == ALICE


# ---- the callback's checks: nothing reaches the IAM ------------------------------------------


def test_a_foreign_state_is_refused_and_the_code_is_never_sent(
    identity: IdentityClient, sandbox: Sandbox
) -> None:
    started = identity.authorization_url(REDIRECT, login_hint=ALICE)
    params = authorize(sandbox, started)
    with pytest.raises(StateError):
        identity.callback(
            {**params, "state": "attacker"}, redirect_uri=REDIRECT, authorization=started
        )
    with pytest.raises(StateError):
        identity.callback({"code": params["code"]}, redirect_uri=REDIRECT, authorization=started)
    assert sandbox.iam.requests["token:authorization_code"] == 0


def test_a_replayed_callback_is_refused(identity: IdentityClient, sandbox: Sandbox) -> None:
    started = identity.authorization_url(REDIRECT, login_hint=ALICE)
    params = authorize(sandbox, started)
    identity.callback(params, redirect_uri=REDIRECT, authorization=started)
    with pytest.raises(StateError, match="used already"):
        identity.callback(params, redirect_uri=REDIRECT, authorization=started)
    assert sandbox.iam.requests["token:authorization_code"] == 1


def test_a_redirect_uri_other_than_the_authorizations_is_refused_exactly(
    identity: IdentityClient, sandbox: Sandbox
) -> None:
    started = identity.authorization_url(REDIRECT, login_hint=ALICE)
    params = authorize(sandbox, started)
    for other in (REDIRECT + "/", REDIRECT.upper(), REDIRECT.replace("5000", "5001")):
        with pytest.raises(RedirectUriMismatchError):
            identity.callback(params, redirect_uri=other, authorization=started)


def test_a_stale_authorization_is_refused(
    identity: IdentityClient, sandbox: Sandbox, clock: Clock
) -> None:
    started = identity.authorization_url(REDIRECT, login_hint=ALICE)
    params = authorize(sandbox, started)
    clock.advance(601)
    with pytest.raises(StateError, match="too old"):
        identity.callback(params, redirect_uri=REDIRECT, authorization=started)


def test_an_error_sent_back_by_the_iam_is_raised_with_its_oauth_code(
    identity: IdentityClient, sandbox: Sandbox
) -> None:
    started = identity.authorization_url(REDIRECT, prompt="none")
    params = authorize(sandbox, started)
    with pytest.raises(AuthorizationDeniedError) as caught:
        identity.callback(params, redirect_uri=REDIRECT, authorization=started)
    assert caught.value.error == "login_required"
    assert isinstance(caught.value, CallbackError)


# ---- the token endpoint's refusals -----------------------------------------------------------


def test_a_wrong_secret_is_invalid_client_and_never_shown(sandbox: Sandbox, clock: Clock) -> None:
    wrong = "not-the-secret-5f1d2c"
    with IdentityClient(
        sandbox.app_id, wrong, transport=sandbox.transport(), **identity_kwargs(sandbox, clock)
    ) as client:
        started = client.authorization_url(REDIRECT, login_hint=ALICE)
        params = authorize(sandbox, started)
        with pytest.raises(InvalidClientError) as caught:
            client.callback(params, redirect_uri=REDIRECT, authorization=started)
        assert caught.value.status_code == 401
        assert caught.value.error == "invalid_client"
        for text in (str(caught.value), repr(caught.value), repr(client)):
            assert wrong not in text


def test_a_code_redeemed_twice_is_invalid_grant(sandbox: Sandbox, clock: Clock) -> None:
    # Two app processes: the second has no memory of the first's consumed state.
    kwargs = identity_kwargs(sandbox, clock)
    with (
        IdentityClient(
            sandbox.app_id, sandbox.secret, transport=sandbox.transport(), **kwargs
        ) as one,
        IdentityClient(
            sandbox.app_id, sandbox.secret, transport=sandbox.transport(), **kwargs
        ) as two,
    ):
        started = one.authorization_url(REDIRECT, login_hint=ALICE)
        params = authorize(sandbox, started)
        session = one.callback(params, redirect_uri=REDIRECT, authorization=started)
        with pytest.raises(InvalidGrantError) as caught:
            two.callback(params, redirect_uri=REDIRECT, authorization=started)
        assert caught.value.error == "invalid_grant"
        # The replay revoked what the code gave (RFC 6749 4.1.2).
        with pytest.raises(SessionExpiredError):
            one.refresh(session, force=True)


def test_a_code_older_than_60_seconds_is_invalid_grant(
    identity: IdentityClient, sandbox: Sandbox, clock: Clock
) -> None:
    started = identity.authorization_url(REDIRECT, login_hint=ALICE)
    params = authorize(sandbox, started)
    clock.advance(61)
    with pytest.raises(InvalidGrantError, match="expired"):
        identity.callback(params, redirect_uri=REDIRECT, authorization=started)


def test_a_nonce_other_than_the_authorizations_fails_id_token_verification(
    identity: IdentityClient, sandbox: Sandbox
) -> None:
    started = identity.authorization_url(REDIRECT, login_hint=ALICE)
    params = authorize(sandbox, started)
    forged = dataclasses.replace(started, nonce="another-nonce")
    with pytest.raises(InvalidIdTokenError, match="nonce"):
        identity.callback(params, redirect_uri=REDIRECT, authorization=forged)


def test_a_pkce_verifier_that_does_not_match_is_invalid_grant(
    identity: IdentityClient, sandbox: Sandbox
) -> None:
    started = identity.authorization_url(REDIRECT, login_hint=ALICE)
    params = authorize(sandbox, started)
    forged = dataclasses.replace(started, code_verifier="x" * 64)
    with pytest.raises(InvalidGrantError, match="code_verifier"):
        identity.callback(params, redirect_uri=REDIRECT, authorization=forged)


def test_every_identity_error_is_a_finchat_error() -> None:
    for cls in (
        StateError,
        InvalidClientError,
        SessionExpiredError,
        InvalidIdTokenError,
        DiscoveryError,
    ):
        assert issubclass(cls, IdentityError)
        assert issubclass(cls, FinChatError)


# ---- refresh ---------------------------------------------------------------------------------


def test_refresh_is_skipped_while_the_access_token_is_fresh_and_done_when_due(
    identity: IdentityClient, sandbox: Sandbox, clock: Clock
) -> None:
    session = sign_in(identity, sandbox)
    assert identity.refresh(session) is session
    assert sandbox.iam.requests["token:refresh_token"] == 0
    clock.advance(300 - 30 + 1)  # within the 30 s refresh margin
    assert identity.needs_refresh(session)
    fresh = identity.refresh(session)
    assert fresh.generation == 1
    assert fresh.access_token != session.access_token
    assert fresh.session_id == session.session_id
    assert fresh.user.fcid == ALICE
    assert sandbox.iam.requests["token:refresh_token"] == 1
    assert identity.latest(session) is fresh


def test_concurrent_threads_of_one_user_cause_one_refresh(
    identity: IdentityClient, sandbox: Sandbox, clock: Clock
) -> None:
    session = sign_in(identity, sandbox)
    clock.advance(301)
    results = []
    barrier = threading.Barrier(16)

    def request() -> None:
        barrier.wait()
        results.append(identity.refresh(session))

    threads = [threading.Thread(target=request) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sandbox.iam.requests["token:refresh_token"] == 1
    assert len({r.access_token for r in results}) == 1
    assert len(results) == 16


async def test_concurrent_tasks_of_one_user_cause_one_refresh(
    aidentity: AsyncIdentityClient, sandbox: Sandbox, clock: Clock
) -> None:
    started = await aidentity.authorization_url(REDIRECT, login_hint=ALICE)
    params = await asyncio.to_thread(authorize, sandbox, started)
    session = await aidentity.callback(params, redirect_uri=REDIRECT, authorization=started)
    clock.advance(301)
    results = await asyncio.gather(*(aidentity.refresh(session) for _ in range(200)))
    assert sandbox.iam.requests["token:refresh_token"] == 1
    assert aidentity.token_requests["refresh_token"] == 1
    assert len({r.access_token for r in results}) == 1


def test_a_refresh_token_past_its_lifetime_asks_for_a_new_sign_in_without_a_request(
    identity: IdentityClient, sandbox: Sandbox, clock: Clock
) -> None:
    session = sign_in(identity, sandbox)
    clock.advance(1801)
    with pytest.raises(SessionExpiredError, match="sign the user in again"):
        identity.refresh(session)
    assert sandbox.iam.requests["token:refresh_token"] == 0


def test_a_revoked_session_is_session_expired_at_the_next_refresh(
    identity: IdentityClient, sandbox: Sandbox
) -> None:
    session = sign_in(identity, sandbox)
    assert sandbox.iam.revoke_sessions(ALICE) == 1
    with pytest.raises(SessionExpiredError) as caught:
        identity.refresh(session, force=True)
    assert caught.value.error == "invalid_grant"
    assert caught.value.status_code == 400


def test_a_rotated_refresh_token_cannot_be_used_again(sandbox: Sandbox, clock: Clock) -> None:
    kwargs = identity_kwargs(sandbox, clock)
    with (
        IdentityClient(
            sandbox.app_id, sandbox.secret, transport=sandbox.transport(), **kwargs
        ) as one,
        IdentityClient(
            sandbox.app_id, sandbox.secret, transport=sandbox.transport(), **kwargs
        ) as two,
    ):
        session = sign_in(one, sandbox)
        one.refresh(session, force=True)
        with pytest.raises(SessionExpiredError):
            two.refresh(session, force=True)  # the old refresh token: refused


# ---- userinfo --------------------------------------------------------------------------------


def test_userinfo_refreshes_an_expired_access_token_first(
    identity: IdentityClient, sandbox: Sandbox
) -> None:
    session = sign_in(identity, sandbox, LINIAN)
    sandbox.iam.expire_sessions(LINIAN)  # the IAM ends the access token early
    info = identity.userinfo(session)
    assert (info.fcid, info.name, info.phone_number) == (LINIAN, "linian002", "12346278569")
    assert sandbox.iam.requests["token:refresh_token"] == 1
    assert sandbox.iam.requests["userinfo"] == 2  # refused once, replayed once


def test_userinfo_of_a_revoked_session_asks_for_a_new_sign_in(
    identity: IdentityClient, sandbox: Sandbox
) -> None:
    session = sign_in(identity, sandbox)
    sandbox.iam.revoke_sessions(ALICE)
    with pytest.raises(SessionExpiredError):
        identity.userinfo(session)


# ---- discovery and keys ----------------------------------------------------------------------


def test_iam_info_configuration_and_jwks_are_fetched_once_for_many_sign_ins(
    identity: IdentityClient, sandbox: Sandbox
) -> None:
    for fcid in (ALICE, LINIAN, ALICE):
        sign_in(identity, sandbox, fcid)
    assert sandbox.iam.requests["iam-info"] == 1
    assert sandbox.iam.requests["openid-configuration"] == 1
    assert sandbox.iam.requests["jwks"] == 1
    assert identity.jwks_fetches == 1


def test_a_key_rotation_causes_exactly_one_jwks_refetch(
    identity: IdentityClient, sandbox: Sandbox, clock: Clock
) -> None:
    sign_in(identity, sandbox)
    sandbox.iam.rotate_keys(retire_previous=True)
    clock.advance(60)
    for _ in range(3):
        sign_in(identity, sandbox)
    assert identity.jwks_fetches == 2
    assert sandbox.iam.requests["jwks"] == 2


def test_the_iam_url_is_accepted_with_and_without_keycloaks_auth_suffix(
    sandbox: Sandbox, clock: Clock
) -> None:
    base = sandbox.base_url
    for iam_url in (f"{base}/auth", base, f"{base}/auth/realms/master"):
        with IdentityClient(
            sandbox.app_id,
            sandbox.secret,
            iam_url=iam_url,
            transport=sandbox.transport(),
            clock=clock,
        ) as client:
            assert client.metadata().issuer == f"{base}/auth/realms/master"
            assert sign_in(client, sandbox).user.fcid == ALICE


def test_an_issuer_other_than_the_one_asked_for_is_refused(sandbox: Sandbox, clock: Clock) -> None:
    with (
        IdentityClient(
            sandbox.app_id,
            sandbox.secret,
            issuer="http://other.localhost/auth/realms/master",
            transport=sandbox.transport(),
            clock=clock,
        ) as client,
        pytest.raises(DiscoveryError, match="issuer"),
    ):
        client.metadata()


def test_a_deployment_without_an_iam_flow_is_a_discovery_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"flows": [{"type": "password"}]})

    with (
        IdentityClient(
            "app",
            "s3cret",
            base_url="https://finchat.example.com",
            transport=httpx.MockTransport(handler),
        ) as client,
        pytest.raises(DiscoveryError, match="no IAM"),
    ):
        client.metadata()


def test_a_plain_http_iam_off_loopback_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json={"flows": [{"type": "iam", "url": "http://iam.example.com/auth"}]}
        )

    with (
        IdentityClient(
            "app",
            "s3cret",
            base_url="https://finchat.example.com",
            transport=httpx.MockTransport(handler),
        ) as client,
        pytest.raises(DiscoveryError, match="plain http"),
    ):
        client.metadata()
    with pytest.raises(ValueError, match="plain http"):
        IdentityClient("app", "s3cret", base_url="http://finchat.example.com")


def test_an_answer_larger_than_the_limit_is_refused_unread() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"[" + b"0," * 600_000 + b"0]")

    with (
        IdentityClient(
            "app",
            "s3cret",
            base_url="https://finchat.example.com",
            transport=httpx.MockTransport(handler),
        ) as client,
        pytest.raises(IdentityError, match="exceeds"),
    ):
        client.metadata()


def test_from_env_reads_the_apps_settings_and_names_what_is_missing(sandbox: Sandbox) -> None:
    env = {"FINCHAT_APP_ID": sandbox.app_id, "FINCHAT_SECRET": sandbox.secret}
    with pytest.raises(ValueError, match="FINCHAT_BASE_URL"):
        IdentityClient.from_env(env)
    env["FINCHAT_BASE_URL"] = sandbox.base_url
    with IdentityClient.from_env(env, transport=sandbox.transport()) as client:
        assert client.metadata().issuer == f"{sandbox.base_url}/auth/realms/master"
        assert sandbox.secret not in repr(client)
