"""No request of the client follows a redirect, whatever the httpx client it runs on says."""

from __future__ import annotations

import pytest

from finchat_wrapper import APIError, RedirectError

from .conftest import FCID, PREFIX, SECRET, HostileServer, Runner, redirect

REDIRECTS = [301, 302, 303, 307, 308]


def _token_call(client: object) -> object:
    return client.auth.token()  # type: ignore[attr-defined]


def test_a_307_from_the_token_endpoint_never_carries_the_secret_to_the_location(
    run: Runner, hostile: HostileServer, attacker: HostileServer
) -> None:
    hostile.on("token", redirect(307, lambda: f"{attacker.base_url}{PREFIX}/auth/token"))
    with pytest.raises(RedirectError) as caught:
        run(_token_call, follow_redirects_client=True)
    assert attacker.received == []
    assert hostile.hits("token") == 1  # refused, not retried
    error = caught.value
    assert error.status_code == 307
    assert error.location_origin == attacker.base_url
    assert "307" in str(error)
    assert attacker.base_url in str(error)
    assert SECRET not in str(error)
    assert SECRET not in repr(error)


@pytest.mark.parametrize("status", REDIRECTS)
def test_every_redirect_status_on_a_read_is_refused_even_by_a_following_http_client(
    run: Runner, hostile: HostileServer, attacker: HostileServer, status: int
) -> None:
    hostile.on("user", redirect(status, lambda: f"{attacker.base_url}{PREFIX}/users/{FCID}"))
    with pytest.raises(RedirectError) as caught:
        run(lambda c: c.users.get(FCID), follow_redirects_client=True)
    assert caught.value.status_code == status
    assert attacker.received == []


def test_the_message_names_only_the_origin_of_a_location_that_carries_secrets(
    run: Runner, hostile: HostileServer, attacker: HostileServer
) -> None:
    port = attacker.base_url.rsplit(":", 1)[1]
    location = f"http://user:pa55word@127.0.0.1:{port}/steal?token=tok-hostile#frag"
    hostile.on("user", redirect(302, location))
    with pytest.raises(RedirectError) as caught:
        run(lambda c: c.users.get(FCID))
    message = str(caught.value)
    assert f"http://127.0.0.1:{port}" in message
    for secret_part in ("pa55word", "user:", "/steal", "tok-hostile", "frag"):
        assert secret_part not in message
    assert attacker.received == []


def test_a_redirect_to_plain_http_on_another_host_names_that_origin(
    run: Runner, hostile: HostileServer
) -> None:
    hostile.on("token", redirect(308, "http://collector.example:8080/token"))
    with pytest.raises(RedirectError) as caught:
        run(_token_call, follow_redirects_client=True)
    assert caught.value.location_origin == "http://collector.example:8080"


def test_a_redirect_loop_is_one_refused_request_not_too_many_redirects(
    run: Runner, hostile: HostileServer
) -> None:
    hostile.on("user", redirect(302, lambda: f"{hostile.base_url}{PREFIX}/users/{FCID}"))
    with pytest.raises(RedirectError):
        run(lambda c: c.users.get(FCID), follow_redirects_client=True, max_retries=0)
    assert hostile.hits("user") == 1


def test_a_relative_redirect_to_the_same_server_is_refused_too(
    run: Runner, hostile: HostileServer
) -> None:
    hostile.on("user", redirect(307, "/elsewhere"))
    with pytest.raises(RedirectError) as caught:
        run(lambda c: c.users.get(FCID), follow_redirects_client=True)
    assert caught.value.location_origin == hostile.base_url
    assert hostile.hits("other") == 0


def test_a_streamed_upload_is_not_replayed_to_the_location(
    run: Runner, hostile: HostileServer, attacker: HostileServer
) -> None:
    hostile.on("upload", redirect(307, lambda: f"{attacker.base_url}{PREFIX}/media/upload"))
    with pytest.raises(RedirectError):
        run(lambda c: c.media.upload(b"%PDF-1.4 hello"), follow_redirects_client=True)
    assert attacker.received == []


def test_a_send_redirected_is_refused_and_never_reaches_the_location(
    run: Runner, hostile: HostileServer, attacker: HostileServer
) -> None:
    hostile.on("send", redirect(308, lambda: f"{attacker.base_url}{PREFIX}/message/send"))
    report = run(
        lambda c: c.messages.send(
            {"msgtype": "m.text", "body": "hi"}, room_ids=["!r:hostile.test"]
        ),
        follow_redirects_client=True,
    )
    assert attacker.received == []
    assert report.succeeded == {}
    assert "308" in report.failed["!r:hostile.test"].error


def test_the_generated_client_on_the_same_connection_refuses_redirects(
    run: Runner, hostile: HostileServer, attacker: HostileServer
) -> None:
    from finchat_openapi.api.users import get_user

    hostile.on("user", redirect(307, lambda: f"{attacker.base_url}{PREFIX}/users/{FCID}"))

    def action(client: object) -> object:
        openapi = client.openapi  # type: ignore[attr-defined]
        if run.is_async:
            return get_user.asyncio_detailed(FCID, client=openapi, app_id="app1")
        return get_user.sync_detailed(FCID, client=openapi, app_id="app1")

    with pytest.raises(RedirectError):
        run(action, follow_redirects_client=True)
    assert attacker.received == []


def test_a_direct_call_on_http_client_asking_to_follow_is_refused(
    run: Runner, hostile: HostileServer, attacker: HostileServer
) -> None:
    hostile.on("user", redirect(302, lambda: f"{attacker.base_url}{PREFIX}/users/{FCID}"))

    def action(client: object) -> object:
        http = client.http_client  # type: ignore[attr-defined]
        return http.get(f"{PREFIX}/users/{FCID}", follow_redirects=True)

    with pytest.raises(RedirectError):
        run(action)
    assert attacker.received == []


def test_a_3xx_without_location_is_an_api_error_not_a_parse_crash(
    run: Runner, hostile: HostileServer
) -> None:
    from .conftest import answer

    hostile.on("user", answer(300, b"<html>choose</html>", {"content-type": "text/html"}))
    with pytest.raises(APIError) as caught:
        run(lambda c: c.users.get(FCID))
    assert isinstance(caught.value, RedirectError)
    assert caught.value.location_origin is None
    assert "300" in str(caught.value)
