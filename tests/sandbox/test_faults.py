"""Seeded fault injection: same seed, same faults; drops surface as the right httpx exceptions."""

from __future__ import annotations

import dataclasses
import time

import httpx
import pytest

from finchat_wrapper.sandbox import ErrorFault, FaultPlan, Sandbox, serve
from finchat_wrapper.sandbox._faults import FaultInjector
from finchat_wrapper.sandbox._world import OTHER_APP_ID, OTHER_SECRET

from .conftest import API

GROUP = "!112321588723954859:example.org"
TEXT = {"msgtype": "m.text", "body": "hello"}


def token_body(sandbox: Sandbox) -> dict[str, str]:
    return {"app_id": sandbox.app_id, "secret": sandbox.secret}


def sync_client(sandbox: Sandbox, network: bool | None = None) -> httpx.Client:
    return httpx.Client(transport=sandbox.transport(network=network), base_url=sandbox.base_url)


def send(client: httpx.Client, sandbox: Sandbox, token: str) -> httpx.Response:
    return client.post(
        f"{API}/message/send",
        json={"app_id": sandbox.app_id, "room_ids": [GROUP], "content": TEXT},
        headers={"Authorization": f"Bearer {token}"},
    )


def fresh_token(client: httpx.Client, sandbox: Sandbox) -> str:
    token: str = client.post(f"{API}/auth/token", json=token_body(sandbox)).json()[
        "app_access_token"
    ]
    return token


def test_same_seed_same_faults_other_seed_other_faults() -> None:
    plan = FaultPlan(seed=42, error_rate=0.3, drop_before_rate=0.1, drop_after_rate=0.1)

    def decisions(p: FaultPlan) -> list[object]:
        injector = FaultInjector(p)
        return [injector.for_request("send_message") for _ in range(200)]

    assert decisions(plan) == decisions(plan)
    assert decisions(plan) != decisions(dataclasses.replace(plan, seed=43))


def test_same_seed_gives_the_same_statuses_through_the_app() -> None:
    def statuses(seed: int) -> list[int]:
        with Sandbox() as sandbox, sync_client(sandbox) as client:
            sandbox.set_faults(FaultPlan(seed=seed, error_rate=0.5))
            return [
                client.post(f"{API}/auth/token", json=token_body(sandbox)).status_code
                for _ in range(30)
            ]

    first = statuses(3)
    assert first == statuses(3)
    assert set(first) == {200, 500}


def test_drop_before_is_a_connect_error_and_changes_nothing() -> None:
    with Sandbox() as sandbox, sync_client(sandbox) as client:
        token = fresh_token(client, sandbox)
        sandbox.set_faults(FaultPlan(drop_before_rate=1.0, operations={"send_message"}))
        with pytest.raises(httpx.ConnectError):
            send(client, sandbox, token)
        assert sandbox.delivery_log == []


def test_drop_after_is_a_read_side_error_after_the_message_was_sent() -> None:
    with Sandbox() as sandbox, sync_client(sandbox) as client:
        token = fresh_token(client, sandbox)
        sandbox.set_faults(FaultPlan(drop_after_rate=1.0, operations={"send_message"}))
        with pytest.raises(httpx.RemoteProtocolError):
            send(client, sandbox, token)
        assert [d.recipient for d in sandbox.delivery_log] == [GROUP]


async def test_async_transport_raises_the_same_exceptions() -> None:
    sandbox = Sandbox()
    async with httpx.AsyncClient(
        transport=sandbox.async_transport(), base_url=sandbox.base_url
    ) as client:
        sandbox.set_faults(FaultPlan(drop_before_rate=1.0))
        with pytest.raises(httpx.ConnectError):
            await client.post(f"{API}/auth/token", json=token_body(sandbox))
        sandbox.set_faults(FaultPlan(drop_after_rate=1.0))
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post(f"{API}/auth/token", json=token_body(sandbox))
    assert len(sandbox.state.tokens) == 1


@pytest.mark.network
def test_drop_after_breaks_a_real_socket_connection_for_any_client() -> None:
    with (
        Sandbox() as sandbox,
        serve(sandbox) as base_url,
        httpx.Client(base_url=base_url) as client,
    ):
        token = fresh_token(client, sandbox)
        sandbox.set_faults(FaultPlan(drop_after_rate=1.0, operations={"send_message"}))
        with pytest.raises(httpx.RemoteProtocolError):
            send(client, sandbox, token)
        assert len(sandbox.delivery_log) == 1


@pytest.mark.network
def test_sandbox_transports_convert_drops_over_the_network_too() -> None:
    with Sandbox() as sandbox, serve(sandbox), sync_client(sandbox) as client:
        token = fresh_token(client, sandbox)
        sandbox.set_faults(FaultPlan(drop_before_rate=1.0, operations={"send_message"}))
        with pytest.raises(httpx.ConnectError):
            send(client, sandbox, token)
        assert sandbox.delivery_log == []


@pytest.mark.parametrize(
    ("fault", "status", "content_type", "retry_after"),
    [
        (ErrorFault.internal_error(), 500, "application/json", None),
        (ErrorFault.bad_gateway_html(), 502, "text/html", None),
        (ErrorFault.rate_limited(2), 429, "application/json", "2"),
    ],
)
def test_injected_errors_answer_their_status_body_and_headers(
    fault: ErrorFault, status: int, content_type: str, retry_after: str | None
) -> None:
    with Sandbox() as sandbox, sync_client(sandbox) as client:
        sandbox.set_faults(FaultPlan(error_rate=1.0, errors=(fault,)))
        response = client.post(f"{API}/auth/token", json=token_body(sandbox))
    assert response.status_code == status
    assert response.headers["content-type"].startswith(content_type)
    assert response.headers.get("retry-after") == retry_after
    assert sandbox.state.tokens == {}


def test_latency_delays_answers() -> None:
    with Sandbox() as sandbox, sync_client(sandbox) as client:
        sandbox.set_faults(FaultPlan(latency=0.2))
        started = time.monotonic()
        response = client.post(f"{API}/auth/token", json=token_body(sandbox))
        assert response.status_code == 200
        assert time.monotonic() - started >= 0.2


def test_token_revocation_fault_makes_the_request_fail_with_invalid_token() -> None:
    with Sandbox() as sandbox, sync_client(sandbox) as client:
        token = fresh_token(client, sandbox)
        sandbox.set_faults(FaultPlan(token_revocation_rate=1.0, operations={"send_message"}))
        assert send(client, sandbox, token).json()["errcode"] == "FC_INVALID_ACCESS_TOKEN"
        sandbox.set_faults(None)
        assert send(client, sandbox, token).status_code == 401
        assert send(client, sandbox, fresh_token(client, sandbox)).status_code == 200


def test_per_app_plans_leave_other_apps_alone() -> None:
    with Sandbox() as sandbox, sync_client(sandbox) as client:
        sandbox.set_faults(FaultPlan(error_rate=1.0), app_id=OTHER_APP_ID)
        ok = client.post(f"{API}/auth/token", json=token_body(sandbox))
        other = {"app_id": OTHER_APP_ID, "secret": OTHER_SECRET}
        failed = client.post(f"{API}/auth/token", json=other)
    assert (ok.status_code, failed.status_code) == (200, 500)


def test_fault_plans_refuse_rates_outside_zero_to_one() -> None:
    with pytest.raises(ValueError, match="error_rate"):
        FaultPlan(error_rate=1.5)


def test_faults_are_set_over_the_simulation_api() -> None:
    with Sandbox() as sandbox, sync_client(sandbox) as client:
        plan = {"error_rate": 1, "errors": [{"status": 429, "retry_after": 1}], "seed": 5}
        assert client.put("/_sandbox/faults", json=plan).status_code == 204
        assert client.post(f"{API}/auth/token", json=token_body(sandbox)).status_code == 429
        assert client.delete("/_sandbox/faults").status_code == 204
        assert client.post(f"{API}/auth/token", json=token_body(sandbox)).status_code == 200
        bad = client.put("/_sandbox/faults", json={"error_rate": 2})
        assert bad.status_code == 400


def test_recipient_errors_fail_some_recipients_and_deliver_to_the_others() -> None:
    rooms = [GROUP, "!132221587624558592:example.org"] * 5
    with Sandbox() as sandbox, sync_client(sandbox) as client:
        token = fresh_token(client, sandbox)
        sandbox.set_faults(FaultPlan(seed=2, recipient_error_rate=0.5))
        response = client.post(
            f"{API}/message/send",
            json={"app_id": sandbox.app_id, "room_ids": rooms, "content": TEXT},
            headers={"Authorization": f"Bearer {token}"},
        )
    results = response.json()["room_id_result"]
    failed = [r for r in results if r.get("errcode") == "FC_INTERNAL_ERROR"]
    assert 0 < len(failed) < len(rooms)
    assert len(sandbox.delivery_log) == len(rooms) - len(failed)
    assert {d.event_id for d in sandbox.delivery_log} == {
        r["event_id"] for r in results if "event_id" in r
    }
