"""The kinds revision 2 added, simulated: each produces an event of the spec, to the apps the
document names; and the shortcut search, sent once, with what the user got."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from finchat_wrapper.events import EventDispatcher, WebhookReceiver
from finchat_wrapper.sandbox import Sandbox, SimulationError, World
from finchat_wrapper.sandbox._delivery import failure_reason
from finchat_wrapper.sandbox._spec import event_validator, load_spec
from finchat_wrapper.sandbox._world import OTHER_APP_ID, UNPUBLISHED_APP_ID

from .conftest import FAST

ALICE = "@alice:example.org"
TEST = "@test:example.org"
GROUP = "!112321588723954859:example.org"  # the default bot, @test, @user001, @example
RESULT = {
    "layout": "list",
    "content": {
        "total": 1,
        "list": [{"type": "text", "title": "保险", "description": "一种东西"}],
        "opentype": "inapp",
    },
}


class Apps:
    """A callback per app, recording the bodies it is PUT (and answering POSTed searches)."""

    def __init__(self, sandbox: Sandbox, app_ids: list[str]) -> None:
        self.bodies: dict[str, list[dict[str, Any]]] = {app_id: [] for app_id in app_ids}
        self.search_answer: Any = RESULT
        self.search_delay = 0.0
        self.searches: list[dict[str, Any]] = []
        for app_id in app_ids:
            app = Starlette(routes=[Route("/hook", self._hook(app_id), methods=["PUT", "POST"])])
            sandbox.set_callback(
                app_id, "http://bot/hook", f"token-{app_id}", transport=httpx.ASGITransport(app=app)
            )

    def _hook(self, app_id: str) -> Any:
        async def hook(request: Request) -> Response:
            body = await request.json()
            if request.method == "POST":
                self.searches.append(body)
                if self.search_delay:
                    await anyio.sleep(self.search_delay)
                return JSONResponse(self.search_answer)
            self.bodies[app_id].append(body)
            return Response(status_code=200)

        return hook

    def events(self, app_id: str) -> list[dict[str, Any]]:
        return [body["event"] for body in self.bodies[app_id]]


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    world = World.default()
    for app in world.apps:
        app.all_messages = app.app_id == OTHER_APP_ID  # the other app is a privileged one
    with Sandbox(world, delivery_delays=FAST, search_timeout=0.5) as sb:
        yield sb


@pytest.fixture
def apps(sandbox: Sandbox) -> Apps:
    return Apps(sandbox, [sandbox.app_id, OTHER_APP_ID])


def conforms(body: dict[str, Any]) -> None:
    assert list(event_validator(load_spec()).iter_errors(body)) == []


async def test_an_image_a_user_sends_is_a_message_of_its_msgtype(
    sandbox: Sandbox, apps: Apps
) -> None:
    image = {"url": "mxc://example.org/abc", "info": {"mimetype": "image/png", "size": 3}}
    sent = await sandbox.simulate.user_message(ALICE, "photo.png", msgtype="m.image", fields=image)
    [body] = apps.bodies[sandbox.app_id]
    conforms(body)
    assert body["event"]["content"] == {**image, "msgtype": "m.image", "body": "photo.png"}
    assert sent.delivered
    with pytest.raises(SimulationError, match="mention"):
        await sandbox.simulate.user_message(ALICE, "@x", msgtype="m.alert")


async def test_apps_receiving_all_messages_get_each_with_its_receivers_the_addressed_app_its_own(
    sandbox: Sandbox, apps: Apps
) -> None:
    direct = await sandbox.simulate.user_message(ALICE, "to the bot")
    mention = await sandbox.simulate.mention(TEST, GROUP)
    chat = await sandbox.simulate.room_message(TEST, GROUP, "just chatting")
    mine = apps.events(sandbox.app_id)
    feed = apps.events(OTHER_APP_ID)
    assert [e["event_id"] for e in mine] == [direct["event_id"], mention["event_id"]]
    assert all("receivers" not in e for e in mine)
    assert [e["event_id"] for e in feed] == [s["event_id"] for s in (direct, mention, chat)]
    assert feed[0]["receivers"] == ["@vsadf-bot:dev.finogeeks.club"]
    assert feed[2]["receivers"] == [
        "@vsadf-bot:dev.finogeeks.club",
        "@user001:example.org",
        "@example:example.org",
        "@webhook-bot:example.org",  # the room's webhook bot is a member too
    ]
    assert feed[1]["content"]["msgtype"] == "m.alert"
    for body in apps.bodies[OTHER_APP_ID]:
        conforms(body)
    assert [d.app_id for d in mention.deliveries] == [sandbox.app_id, OTHER_APP_ID]
    assert [d.app_id for d in chat.deliveries] == [OTHER_APP_ID]
    with pytest.raises(SimulationError):
        await sandbox.simulate.room_message(ALICE, GROUP, "not a member")


async def test_a_webhook_push_reaches_its_app_naming_the_webhook(
    sandbox: Sandbox, apps: Apps
) -> None:
    sent = await sandbox.simulate.webhook("461cf042d9eedaa60d445f26dc747d5e", {"build": "green"})
    [body] = apps.bodies[sandbox.app_id]
    conforms(body)
    event = body["event"]
    assert (event["type"], event["webhook_id"], event["content"]) == (
        "finstore.app.webhook",
        "461cf042d9eedaa60d445f26dc747d5e",
        {"build": "green"},
    )
    assert sent.delivered


async def test_the_admin_kinds_reach_every_admin_app_only(sandbox: Sandbox, apps: Apps) -> None:
    status = await sandbox.simulate.app_status(
        UNPUBLISHED_APP_ID,
        from_status="Publishing",
        to_status="PublishApproved",
        operation="ApprovePublishRequest",
        operator="@test001:dev.finogeeks.club",
    )
    visibility = await sandbox.simulate.app_visibility(
        UNPUBLISHED_APP_ID, added=[ALICE], removed=[TEST], administrator=TEST
    )
    word = await sandbox.simulate.sensitive_word(TEST, GROUP, "xxxyyy", "xxx")
    admin = apps.bodies[sandbox.app_id]  # the default app is the world's admin app
    assert [b["event"]["type"] for b in admin] == [
        "finstore.app.status",
        "finstore.app.visibility",
        "observe.message.sensitivity",
    ]
    for body in admin:
        conforms(body)
    assert apps.bodies[OTHER_APP_ID] == []
    assert admin[0]["event"]["content"]["operator_name"] == "测试账号001"
    assert admin[1]["event"]["content"]["added_fcids"] == [ALICE]
    assert admin[2]["event"]["content"]["receivers"] == [
        "@vsadf-bot:dev.finogeeks.club",
        "@user001:example.org",
        "@example:example.org",
        "@webhook-bot:example.org",  # the room's webhook bot is a member too
    ]
    assert all(s.delivered for s in (status, visibility, word))
    # The message that held the word was stopped: the room does not show it.
    assert all(m.content.get("body") != "xxxyyy" for m in sandbox.sent(GROUP))


async def test_a_search_is_posted_once_and_the_record_shows_what_the_user_got(
    sandbox: Sandbox, apps: Apps
) -> None:
    record = await sandbox.simulate.search(ALICE, "保险", page_no=1, page_size=5)
    [posted] = apps.searches
    assert posted["token"] == f"token-{sandbox.app_id}"
    assert posted["app_id"] == sandbox.app_id
    assert posted["event"]["content"] == {"search_text": "保险", "page_no": 1, "page_size": 5}
    assert (record.answered, record.status, record.result, record.error) == (True, 200, RESULT, "")
    assert sandbox.search_log == [record]


@pytest.mark.parametrize(
    ("answer", "delay", "error"),
    [
        ({"layout": "list", "content": {"total": 1, "list": []}}, 0.0, "is not a SearchResult"),
        (RESULT, 2.0, "no answer within 0.5 s"),
    ],
)
async def test_a_search_answered_wrongly_or_too_late_shows_the_user_nothing_and_says_why(
    sandbox: Sandbox, apps: Apps, answer: Any, delay: float, error: str
) -> None:
    apps.search_answer, apps.search_delay = answer, delay
    record = await sandbox.simulate.search(ALICE, "x")
    assert (record.answered, record.result) == (False, None)
    assert error in record.error
    assert len(apps.searches) == 1  # never sent again


async def test_a_search_goes_to_its_own_url_when_one_is_registered(sandbox: Sandbox) -> None:
    record = await sandbox.simulate.search(ALICE, "nobody")
    assert "no search URL" in record.error
    seen: list[dict[str, Any]] = []

    async def search(request: Request) -> Response:
        seen.append(await request.json())
        return JSONResponse(RESULT)

    app = Starlette(routes=[Route("/search", search, methods=["POST"])])
    sandbox.set_search_callback(
        sandbox.app_id, "http://bot/search", "search-token", transport=httpx.ASGITransport(app=app)
    )
    assert (await sandbox.simulate.search(ALICE, "x")).answered
    assert seen[0]["token"] == "search-token"


async def test_a_search_to_a_receiver_without_a_search_handler_says_it_has_none(
    sandbox: Sandbox,
) -> None:
    receiver = WebhookReceiver(EventDispatcher(), token="hook-token")
    sandbox.set_callback(
        sandbox.app_id, "http://bot/hook", "hook-token", transport=httpx.ASGITransport(app=receiver)
    )
    record = await sandbox.simulate.search(ALICE, "x")
    assert (record.answered, record.status) == (False, 405)
    assert "has it a search handler (on_search)?" in record.error
    # A delivery's 405 keeps its own hint: the URL takes no PUT.
    assert "does not take PUT" in failure_reason(405, "")


async def test_the_new_kinds_over_the_simulation_http_api(sandbox: Sandbox, apps: Apps) -> None:
    transport = httpx.ASGITransport(app=sandbox.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.localhost") as http:
        calls = {
            "room-message": {"fcid": TEST, "room_id": GROUP, "body": "hi all"},
            "webhook": {"webhook_id": "w1", "content": {"a": 1}},
            "app-status": {
                "app_id": UNPUBLISHED_APP_ID,
                "from_status": "Published",
                "to_status": "Unpublishing",
                "operation": "SubmitUnpublishRequest",
            },
            "app-visibility": {"app_id": UNPUBLISHED_APP_ID, "added": [ALICE]},
            "sensitive-word": {"fcid": TEST, "room_id": GROUP, "body": "b", "sensitive_word": "b"},
            "user-message": {"fcid": ALICE, "body": "f.pdf", "msgtype": "m.file"},
        }
        for path, body in calls.items():
            response = await http.post(f"/_sandbox/simulate/{path}", json=body)
            assert response.status_code == 200, (path, response.text)
            assert response.json()["delivered"] is True, path
        refused = await http.post(
            "/_sandbox/simulate/user-message",
            json={"fcid": ALICE, "body": "x", "msgtype": "m.alert"},
        )
        assert refused.status_code == 400
        searched = await http.post(
            "/_sandbox/simulate/search", json={"fcid": ALICE, "search_text": "保险"}
        )
        assert searched.json()["result"] == RESULT
        log = (await http.get("/_sandbox/searches")).json()
        assert [r["search_text"] for r in log] == ["保险"]
