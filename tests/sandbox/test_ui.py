"""The browser UI's routes, in-process and over a socket: the page and its assets, what it reads
(no secret unless asked), the live stream, the API reference, and the control API's guard on
all of them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from finchat_wrapper.sandbox import FaultPlan, Sandbox, serve
from finchat_wrapper.sandbox import _ui as ui_module
from finchat_wrapper.sandbox._ui import REFERENCE_PAGES, STATIC_DIR

from .conftest import API, FAST

UI = "/_sandbox/ui/"
TOKEN = "callback-token-never-shown"


async def test_the_page_is_served_with_a_policy_that_runs_only_its_own_files(
    http: httpx.AsyncClient,
) -> None:
    response = await http.get(UI)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert '<script type="module" src="app.js">' in response.text
    # Everything it loads is the sandbox's own: no host in any src or href.
    assert "//" not in response.text.replace("<!doctype html>", "")


async def test_the_ui_without_its_slash_redirects_so_that_relative_urls_work(
    http: httpx.AsyncClient,
) -> None:
    response = await http.get("/_sandbox/ui")
    assert response.status_code == 308
    assert response.headers["location"].endswith("/_sandbox/ui/")


@pytest.mark.parametrize(
    ("name", "media_type"),
    [("app.js", "text/javascript"), ("render.js", "text/javascript"), ("style.css", "text/css")],
)
async def test_assets_are_served_with_their_type_and_an_etag(
    http: httpx.AsyncClient, name: str, media_type: str
) -> None:
    response = await http.get(UI + name)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.content == (STATIC_DIR / name).read_bytes()
    again = await http.get(UI + name, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize("path", ["nope.js", "..%2f_ui.py", "%2e%2e/_app.py", "index.html"])
async def test_only_the_uis_own_files_are_served(http: httpx.AsyncClient, path: str) -> None:
    response = await http.get(UI + path)
    assert response.status_code == 404
    assert response.json()["errcode"] == "FC_UNKNOWN"


def test_the_page_and_its_assets_weigh_under_200_kib() -> None:
    total = sum(p.stat().st_size for p in STATIC_DIR.iterdir())
    assert total < 200 * 1024


async def test_the_world_shows_apps_users_and_rooms_but_no_secret_and_no_token(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    sandbox.set_callback(sandbox.app_id, "http://127.0.0.1:9/hook", TOKEN)
    sandbox.set_search_callback(sandbox.app_id, "http://127.0.0.1:9/search", TOKEN + "-search")
    sandbox.set_faults(FaultPlan(seed=3, callback_failure_rate=0.5), app_id=sandbox.app_id)
    response = await http.get(UI + "api/world")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    world = response.json()
    for app_id in sandbox.state.apps:
        assert sandbox.credentials(app_id)[1] not in response.text
    assert TOKEN not in response.text
    assert "secret" not in json.dumps(world["apps"])
    default = next(a for a in world["apps"] if a["app_id"] == sandbox.app_id)
    assert default["callback_url"] == "http://127.0.0.1:9/hook"
    assert default["search_url"] == "http://127.0.0.1:9/search"
    assert all(a["search_url"] is None for a in world["apps"] if a is not default)
    assert "simulate_search" in world["simulate"]
    assert default["faults"]["callback_failure_rate"] == 0.5
    assert default["faults"]["seed"] == 3
    assert world["global_faults"] is None
    assert world["default_app_id"] == sandbox.app_id
    rooms = {r["room_id"]: r for r in world["rooms"]}
    assert rooms["!jEsUZKDJdhlrceRyVU:example.org"]["type"] == "direct_room"
    assert rooms["!jEsUZKDJdhlrceRyVU:example.org"]["messages"] == 1
    assert {u["fcid"] for u in world["users"]} == set(sandbox.state.users)
    assert "simulate_user_message" in world["simulate"]
    assert world["seq"] == sandbox.changes.seq


async def test_a_secret_is_shown_only_when_asked_for_and_never_cached(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    response = await http.get(UI + f"api/apps/{sandbox.app_id}/secret")
    assert response.status_code == 200
    assert response.json() == {"app_id": sandbox.app_id, "secret": sandbox.secret}
    assert response.headers["cache-control"] == "no-store"
    missing = await http.get(UI + "api/apps/nope/secret")
    assert missing.status_code == 404


async def test_media_from_the_sandbox_origin_can_run_nothing(
    http: httpx.AsyncClient, auth: dict[str, str], sandbox: Sandbox
) -> None:
    page = b"<script>fetch('/_sandbox/state')</script>"
    upload = await http.post(
        f"{API}/media/upload",
        params={"app_id": sandbox.app_id},
        content=page,
        headers={**auth, "Content-Type": "text/html"},
    )
    uri = upload.json()["content_uri"]
    response = await http.get("/_sandbox/media", params={"uri": uri})
    assert response.content == page
    assert response.headers["content-security-policy"] == "sandbox"
    assert response.headers["x-content-type-options"] == "nosniff"


# ---- the guard holds the UI to the control API's rules ----------------------------------------


@pytest.mark.parametrize(
    "path",
    [UI, UI + "app.js", UI + "api/world", UI + "api/events", "/_sandbox/reference/finchat.html"],
)
@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "rebind.attacker.example"},
        {"Origin": "http://attacker.example"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
    ids=["rebinding-host", "other-origin", "cross-site"],
)
async def test_the_ui_and_the_reference_refuse_other_hosts_and_other_sites(
    http: httpx.AsyncClient, path: str, headers: dict[str, str]
) -> None:
    response = await http.get(path, headers=headers)
    assert response.status_code == 403
    assert response.json()["errcode"] == "FC_UNKNOWN"


async def test_the_secret_is_refused_to_another_origin(
    http: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    response = await http.get(
        UI + f"api/apps/{sandbox.app_id}/secret", headers={"Origin": "http://attacker.example"}
    )
    assert response.status_code == 403
    assert sandbox.secret not in response.text


# ---- the live stream ----------------------------------------------------------------------------


async def _events(response: httpx.Response) -> AsyncIterator[tuple[str, str, str]]:
    """(id, event, data) of each server-sent event."""
    fields: dict[str, str] = {}
    async for line in response.aiter_lines():
        if not line:
            if "event" in fields:
                yield fields.get("id", ""), fields["event"], fields.get("data", "")
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(": ")
            fields[name] = value


@pytest.mark.network
async def test_the_stream_says_hello_then_sends_each_message_and_delivery_as_it_happens() -> None:
    with Sandbox(delivery_delays=FAST) as sb, serve(sb) as base_url:
        sb.set_faults(FaultPlan(callback_failure_rate=1.0))
        sb.set_callback(sb.app_id, "http://127.0.0.1:9/hook", TOKEN)
        async with (
            httpx.AsyncClient(base_url=base_url, timeout=30) as client,
            client.stream("GET", UI + "api/events") as response,
        ):
            assert response.headers["content-type"].startswith("text/event-stream")
            events = _events(response)
            first = await anext(events)
            assert first == (str(sb.changes.seq), "hello", "{}")
            simulated = asyncio.create_task(sb.simulate.user_message("@test:example.org", "hi"))
            seen: list[tuple[str, dict[str, object]]] = []
            async for _, kind, data in events:
                seen.append((kind, json.loads(data)))
                if len(seen) == 1 + len(FAST) + 1:
                    break
            await simulated
    message, *attempts = seen
    assert message[0] == "message"
    assert message[1]["content"] == {"msgtype": "m.text", "body": "hi"}
    assert [kind for kind, _ in attempts] == ["delivery"] * (len(FAST) + 1)
    assert [a["attempt"] for _, a in attempts] == [1, 2, 3, 4]
    assert TOKEN not in json.dumps(seen)


@pytest.mark.network
async def test_a_page_reconnecting_with_its_last_event_id_gets_what_it_missed() -> None:
    with Sandbox(delivery_delays=FAST) as sb, serve(sb) as base_url:
        seen_up_to = sb.changes.seq
        await sb.simulate.user_message("@test:example.org", "while you were away")
        headers = {"Last-Event-ID": str(seen_up_to)}
        async with (
            httpx.AsyncClient(base_url=base_url, timeout=30) as client,
            client.stream("GET", UI + "api/events", headers=headers) as response,
        ):
            events = _events(response)
            assert (await anext(events))[1] == "hello"
            _, kind, data = await anext(events)
    assert kind == "message"
    assert json.loads(data)["content"]["body"] == "while you were away"


@pytest.mark.network
async def test_serving_ends_open_streams_cleanly_before_it_stops() -> None:
    with Sandbox() as sb:
        with serve(sb) as base_url:
            client = httpx.AsyncClient(base_url=base_url, timeout=30)
            response = await client.send(
                client.build_request("GET", UI + "api/events"), stream=True
            )
            events = _events(response)
            assert (await anext(events))[1] == "hello"
        # Ended by the sandbox, the stream finishes as HTTP says; a stream still open when
        # uvicorn's graceful shutdown runs out is cut (RemoteProtocolError here), 2 s later.
        async for _ in events:
            pass
        await response.aclose()
        await client.aclose()


# ---- the API reference --------------------------------------------------------------------------


async def test_the_reference_index_lists_a_page_per_spec(http: httpx.AsyncClient) -> None:
    response = await http.get("/_sandbox/reference/")
    assert response.status_code == 200
    for name, title, _ in REFERENCE_PAGES:
        assert f'<a href="{name}">{title}</a>' in response.text


@pytest.mark.skipif(not ui_module.reference_available(), reason="make reference builds it")
@pytest.mark.parametrize("name", [name for name, _, _ in REFERENCE_PAGES])
async def test_each_reference_page_loads_redoc_from_the_sandbox_not_a_cdn(
    http: httpx.AsyncClient, name: str
) -> None:
    response = await http.get(f"/_sandbox/reference/{name}")
    assert response.status_code == 200
    assert "cdn.redocly.com" not in response.text
    assert 'from "./redoc.standalone.js"' in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    bundle = await http.get("/_sandbox/reference/redoc.standalone.js")
    assert bundle.status_code == 200
    assert bundle.headers["content-type"].startswith("text/javascript")


async def test_a_reference_not_built_says_how_to_build_it(
    http: httpx.AsyncClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ui_module, "REFERENCE_DIR", tmp_path)
    page = await http.get("/_sandbox/reference/finchat.html")
    assert page.status_code == 404
    assert "make reference" in page.json()["error"]
    index = await http.get("/_sandbox/reference/")
    assert "make setup" in index.text
    other = await http.get("/_sandbox/reference/manifest.json")
    assert other.status_code == 404
