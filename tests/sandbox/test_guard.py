"""The control API answers programs and the sandbox's own pages, never another origin's page:
Host checked against the bound address, cross-origin requests and non-JSON bodies refused."""

from __future__ import annotations

import logging

import httpx
import pytest

from finchat_wrapper.sandbox import Sandbox, serve
from finchat_wrapper.sandbox._guard import host_name, names_the_sandbox

from .conftest import API

MESSAGE = {"fcid": "@test:example.org", "body": "from a page"}


def _port(http: httpx.AsyncClient) -> str:
    return str(http.base_url.port or 80)


@pytest.mark.parametrize(
    "host",
    ["attacker.example", "rebind.attacker.example:8000", "127.0.0.1.nip.io", "", "[::1"],
)
async def test_a_host_that_does_not_name_the_sandbox_gets_no_state_and_no_secret(
    http: httpx.AsyncClient, sandbox: Sandbox, host: str
) -> None:
    response = await http.get("/_sandbox/state", headers={"Host": host})
    assert response.status_code == 403
    assert response.json()["errcode"] == "FC_UNKNOWN"
    assert "Host" in response.json()["error"]
    assert sandbox.secret not in response.text


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "[::1]", "10.1.2.3", "x.localhost"])
async def test_loopback_names_and_ip_addresses_are_the_sandbox(
    http: httpx.AsyncClient, name: str
) -> None:
    response = await http.get("/_sandbox/stats", headers={"Host": f"{name}:{_port(http)}"})
    assert response.status_code == 200, response.text


async def test_a_rebinding_page_post_is_refused_and_nothing_happens(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    # After DNS rebinding the browser thinks it is same-origin: only the Host gives it away.
    headers = {
        "Host": f"rebind.attacker.example:{_port(http)}",
        "Origin": f"http://rebind.attacker.example:{_port(http)}",
        "Sec-Fetch-Site": "same-origin",
    }
    response = await http.post("/_sandbox/simulate/user-message", json=MESSAGE, headers=headers)
    assert response.status_code == 403
    assert sandbox.events == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:1"},  # another port of this machine is another origin
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
    ids=["origin", "null-origin", "other-port", "cross-site", "same-site"],
)
async def test_a_cross_origin_request_is_refused_before_it_acts(
    http: httpx.AsyncClient, sandbox: Sandbox, headers: dict[str, str]
) -> None:
    token = sandbox.state.issue_token(sandbox.app_id, sandbox.secret)["app_access_token"]
    response = await http.post("/_sandbox/tokens/revoke", headers=headers)
    assert response.status_code == 403
    assert sandbox.state.token_app(token) == sandbox.app_id  # not revoked
    response = await http.post("/_sandbox/simulate/user-message", json=MESSAGE, headers=headers)
    assert response.status_code == 403
    assert sandbox.events == []


async def test_the_sandbox_s_own_pages_pass_the_guard(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    # What a browser sends for a page the sandbox serves itself (the browser UI to come).
    own = f"{http.base_url.scheme}://{http.base_url.host}"
    if http.base_url.port is not None:
        own += f":{http.base_url.port}"
    headers = {"Origin": own, "Sec-Fetch-Site": "same-origin"}
    response = await http.post("/_sandbox/simulate/user-message", json=MESSAGE, headers=headers)
    assert response.status_code == 200, response.text
    response = await http.get("/_sandbox/state", headers={"Sec-Fetch-Site": "none"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
async def test_a_body_not_declared_json_is_refused(
    http: httpx.AsyncClient, sandbox: Sandbox, content_type: str | None
) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = await http.post(
        "/_sandbox/simulate/user-message",
        content=b'{"fcid": "@test:example.org", "body": "x"}',
        headers=headers,
    )
    assert response.status_code == 400
    assert response.json()["errcode"] == "FC_BAD_JSON"
    assert sandbox.events == []


async def test_a_post_without_body_from_a_program_still_works(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    response = await http.post("/_sandbox/tokens/revoke")
    assert response.status_code == 200


async def test_the_finchat_api_is_not_the_guard_s_business(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    body = {"app_id": sandbox.app_id, "secret": sandbox.secret}
    response = await http.post(f"{API}/auth/token", json=body, headers={"Origin": "http://x.y"})
    assert response.status_code == 200


def test_host_headers_are_parsed_strictly() -> None:
    assert host_name("Example.ORG:8000") == "example.org"
    assert host_name("[::1]:8000") == "::1"
    assert host_name("[::1]") == "::1"
    for bad in ("", ":80", "a:b", "[::1]x", "[::1"):
        assert host_name(bad) is None
    assert names_the_sandbox("0.0.0.0:8000", "0.0.0.0")  # noqa: S104 - a name, no socket
    assert names_the_sandbox("box.lan:8000", "box.lan")
    assert not names_the_sandbox("box.lan.evil.example:8000", "box.lan")


def test_serving_on_a_non_loopback_address_warns_clearly(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # 192.0.2.1 (TEST-NET-1) is no address of this machine: binding fails right after the
    # warning, so the test exposes nothing to the network.
    with (
        Sandbox() as sb,
        caplog.at_level(logging.WARNING, logger="finchat.sandbox"),
        pytest.raises(OSError, match=r"192\.0\.2\.1"),
        serve(sb, host="192.0.2.1"),
    ):
        pass
    [record] = [r for r in caplog.records if r.name == "finchat.sandbox"]
    assert record.levelno == logging.WARNING
    assert "192.0.2.1, not on a loopback address" in record.getMessage()
    assert "every app's secret" in record.getMessage()


@pytest.mark.network
def test_serving_on_loopback_says_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with (
        Sandbox() as sb,
        caplog.at_level(logging.WARNING, logger="finchat.sandbox"),
        serve(sb),
    ):
        pass
    assert [r for r in caplog.records if r.name == "finchat.sandbox"] == []
