"""The forwarder: an app whose callback address is the forwarder path gets its events stored,
and `pull_events` serves them in `event_id` order, `page_size` at a time after `since`."""

from __future__ import annotations

import httpx
import pytest

from finchat_wrapper.sandbox import FORWARDER_PATH, FaultPlan, Sandbox

from .conftest import get_token

ALICE = "@alice:example.org"
PULL = "/api/v1/finchat/privilege-api/forwarder/{app_id}/events"


@pytest.fixture
def forwarded(sandbox: Sandbox) -> Sandbox:
    sandbox.set_callback(sandbox.app_id, f"http://finchat.example.org{FORWARDER_PATH}", "unused")
    return sandbox


async def test_events_to_the_forwarder_are_stored_not_put(forwarded: Sandbox) -> None:
    sent = await forwarded.simulate.user_message(ALICE, "kept for later")
    assert sent.delivered
    assert sent.delivery is not None
    assert sent.delivery.state == "stored"
    [stored] = forwarded.forwarded(forwarded.app_id)
    assert stored == {**sent.event, "app_id": forwarded.app_id}
    assert [(a.outcome, a.status) for a in forwarded.callback_log] == [("stored", None)]


async def test_pull_serves_them_in_event_id_order_with_since_and_page_size(
    forwarded: Sandbox, http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    sent = [await forwarded.simulate.user_message(ALICE, f"m{i}") for i in range(5)]
    ids = [s["event_id"] for s in sent]
    assert ids == sorted(ids)
    url = PULL.format(app_id=forwarded.app_id)
    first = (await http.get(url, params={"page_size": 2}, headers=auth)).json()
    assert [e["event_id"] for e in first["events"]] == ids[:2]
    assert first["since"] == ids[1]
    assert all(e["app_id"] == forwarded.app_id for e in first["events"])
    rest = (await http.get(url, params={"since": first["since"]}, headers=auth)).json()
    assert [e["event_id"] for e in rest["events"]] == ids[2:]  # page_size 20 by default
    empty = (await http.get(url, params={"since": rest["since"]}, headers=auth)).json()
    assert empty == {"since": ids[-1], "events": []}
    # Pulling does not consume: an older cursor gets the same events again.
    again = (await http.get(url, params={"since": ids[0], "page_size": 1}, headers=auth)).json()
    assert [e["event_id"] for e in again["events"]] == [ids[1]]


async def test_a_pull_of_another_apps_events_or_without_a_token_is_refused(
    forwarded: Sandbox, http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    other = "6a1e0f0c4b7d2e9a5c3f8b10"
    response = await http.get(PULL.format(app_id=other), headers=auth)
    assert (response.status_code, response.json()["errcode"]) == (401, "FC_INVALID_ACCESS_TOKEN")
    response = await http.get(PULL.format(app_id=forwarded.app_id))
    assert response.status_code == 401
    response = await http.get(
        PULL.format(app_id=forwarded.app_id), params={"page_size": "ten"}, headers=auth
    )
    assert (response.status_code, response.json()["errcode"]) == (400, "FC_BAD_JSON")


async def test_an_app_without_the_forwarder_has_nothing_stored(
    sandbox: Sandbox, http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    await sandbox.simulate.user_message(ALICE, "not stored")
    response = await http.get(PULL.format(app_id=sandbox.app_id), headers=auth)
    assert response.json() == {"since": "", "events": []}


async def test_an_injected_duplicate_is_stored_once(forwarded: Sandbox) -> None:
    forwarded.set_faults(FaultPlan(duplicate_delivery_rate=1.0))
    await forwarded.simulate.user_message(ALICE, "once")
    assert len(forwarded.forwarded(forwarded.app_id)) == 1


async def test_the_simulation_api_registers_the_forwarder_and_lists_what_it_stores(
    sandbox: Sandbox, http: httpx.AsyncClient
) -> None:
    base = f"/_sandbox/apps/{sandbox.app_id}"
    registered = await http.put(
        f"{base}/callback", json={"url": f"http://127.0.0.1{FORWARDER_PATH}", "token": "t"}
    )
    assert registered.status_code == 204
    answer = (
        await http.post("/_sandbox/simulate/user-message", json={"fcid": ALICE, "body": "hi"})
    ).json()
    assert answer["deliveries"][0]["state"] == "stored"
    listed = (await http.get(f"{base}/forwarded")).json()
    assert [e["event_id"] for e in listed] == [answer["event"]["event_id"]]
    token = await get_token(http, sandbox.app_id, sandbox.secret)
    pulled = await http.get(
        PULL.format(app_id=sandbox.app_id), headers={"Authorization": f"Bearer {token}"}
    )
    assert pulled.json()["events"] == listed
