"""The sandbox's page in a real browser (headless Chromium through Playwright, the `chromium`
fixture), with the README's echo bot, run as printed by uvicorn on a real socket, as the
default app's callback; for searches, the README's search handler and a slow one, served the
same way. Screenshots go to reports/ui/ (the run's summary names them)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from finchat_wrapper import (
    Card,
    FinChat,
    file_content,
    image_content,
    text_content,
    textcard_content,
)
from finchat_wrapper.sandbox import Sandbox, serve
from finchat_wrapper.sandbox._ui import REFERENCE_PAGES, reference_available

from .readme_bot import readme_search_code, running_bot, running_readme_bot

pytestmark = [pytest.mark.network, pytest.mark.slow]

TOKEN = "readme-bot-token"
TEST_USER = "@test:example.org"
TEST_DIRECT = "!100000000000000001:example.org"
ALICE = "@alice:example.org"
ALICE_DIRECT = "!jEsUZKDJdhlrceRyVU:example.org"
CARD_EVENT = "$153243582843Pxrdn:example.org"  # the default world's CUI card there
GROUP = "!112321588723954859:example.org"
OPENAPI = Path(__file__).resolve().parents[2] / "openapi"
# A minute for anything the page waits on: the machine is shared; failing early helps nobody.
WAIT = 60_000


class Served:
    """One sandbox for the module, on a real socket, with the README bot as its callback."""

    def __init__(self, sandbox: Sandbox, base_url: str, bot_url: str) -> None:
        self.sandbox = sandbox
        self.base_url = base_url
        self.bot_url = bot_url

    def page(self, chromium: Any, **fragment: str) -> Any:
        page = chromium.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(WAIT)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.errors = errors
        # Every address the page asks for, to hold it to "nothing from another host".
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.requested = requested
        blocked: dict[str, str] = {}
        page.on("requestfailed", lambda request: blocked.update({request.url: request.failure}))
        page.blocked = blocked
        hash_ = "&".join(f"{k}={v}" for k, v in fragment.items())
        page.goto(f"{self.base_url}/_sandbox/ui/#{hash_}")
        page.locator("#live.on").wait_for()
        return page

    def reset_callback(self) -> None:
        self.sandbox.set_callback(self.sandbox.app_id, self.bot_url, TOKEN)
        self.sandbox.remove_search_callback(self.sandbox.app_id)
        self.sandbox.set_faults(None)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("readme-bot")
    with (
        Sandbox(delivery_delays=(0.05, 0.1)) as sb,
        serve(sb) as base_url,
        running_readme_bot(tmp, base_url, sb.app_id, sb.secret, TOKEN) as bot_url,
    ):
        served = Served(sb, base_url, bot_url)
        served.reset_callback()
        yield served


@pytest.fixture
def ui(served: Served) -> Iterator[Served]:
    served.reset_callback()
    yield served
    served.reset_callback()


def bubble(page: Any, event_id: str) -> Any:
    return page.locator(f'#messages > li[data-event="{event_id}"]')


def test_a_user_types_hi_and_the_readme_bots_echo_appears_without_a_reload(
    chromium: Any, ui: Served, artifact: Callable[[str], Path]
) -> None:
    ui.sandbox.remove_callback(ui.sandbox.app_id)
    page = ui.page(chromium)
    try:
        # As the README says: point the app at the bot, in the page.
        page.get_by_role("textbox", name="Callback URL of FinChat小助手").fill(ui.bot_url)
        page.get_by_label("Verification token of FinChat小助手").fill(TOKEN)
        page.get_by_label("Verification token of FinChat小助手").press("Enter")
        assert _wait(lambda: ui.sandbox.callback_url(ui.sandbox.app_id) == ui.bot_url)
        page.get_by_label("Act as").select_option(TEST_USER)
        page.get_by_role("button", name=TEST_DIRECT, exact=True).click()
        page.get_by_role("textbox", name="Message").fill("hi")
        page.get_by_role("button", name="Send").click()
        messages = page.locator("#messages")
        messages.get_by_text("echo: hi", exact=True).wait_for()
        assert messages.locator(".msg.mine").last.locator(".text").inner_text() == "hi"
        assert messages.locator(".msg.from-bot").last.locator(".who").inner_text() == "vsadf-bot"
        # The delivery it took is in the log, live too.
        page.locator("#log tbody tr.ok").filter(has_text="m.room.message").first.wait_for()
        page.screenshot(path=artifact("ui/room-view.png"))
        assert page.errors == []
        assert [url for url in page.requested if not url.startswith(ui.base_url + "/")] == []
    finally:
        page.close()
    sent = [m.content for m in ui.sandbox.sent(TEST_DIRECT)]
    assert {"msgtype": "m.text", "body": "echo: hi"} in sent


def test_a_user_fills_in_the_cui_card_submits_it_and_the_bots_update_replaces_it(
    chromium: Any, ui: Served, artifact: Callable[[str], Path]
) -> None:
    page = ui.page(chromium, **{"as": ALICE, "room": ALICE_DIRECT})
    try:
        card = bubble(page, CARD_EVENT)
        card.get_by_role("textbox", name="公司名称").wait_for()
        card.screenshot(path=artifact("ui/cui-card.png"))
        card.get_by_role("textbox", name="公司名称").fill("Acme")
        card.get_by_role("button", name="提交").click()
        # The same message, updated in place by the bot's update-cui.
        card.get_by_text("Received: company=Acme", exact=True).wait_for()
        assert card.get_by_role("textbox").count() == 0
        assert "updated once" in card.inner_text()
        assert page.locator(f'#messages > li[data-event="{CARD_EVENT}"]').count() == 1
        assert page.errors == []
    finally:
        page.close()
    interactions = [e for _, e in ui.sandbox.events if e["type"] == "finstore.room.interactcui"]
    assert interactions[-1]["content"] == {"action": "submit", "info": {"company": "Acme"}}
    assert interactions[-1]["sender"] == ALICE


def test_a_callback_with_the_wrong_token_shows_its_401_in_the_delivery_log(
    chromium: Any, ui: Served
) -> None:
    ui.sandbox.set_callback(ui.sandbox.app_id, ui.bot_url, "not-the-bots-token")
    page = ui.page(chromium, **{"as": TEST_USER, "room": TEST_DIRECT})
    try:
        page.get_by_role("textbox", name="Message").fill("anyone there?")
        page.get_by_role("button", name="Send").click()
        event_id = _sent_event(ui.sandbox, TEST_DIRECT, "anyone there?")
        # The first try and both retries, each refused by the bot.
        failed = page.locator(f'#log tbody tr.failed[data-event="{event_id}"]')
        failed.nth(2).wait_for()
        first = failed.last
        assert first.locator(".status").inner_text() == "401"
        assert "wrong verification token" in first.inner_text()
        assert "retry 2" in failed.first.inner_text()
    finally:
        page.close()
    assert [a.status for a in ui.sandbox.callback_log[-3:]] == [401, 401, 401]


def test_the_fault_toggle_makes_deliveries_fail_and_the_log_says_why(
    chromium: Any, ui: Served
) -> None:
    page = ui.page(chromium, **{"as": TEST_USER, "room": TEST_DIRECT})
    try:
        page.get_by_role("checkbox", name="Callback deliveries fail").check()
        assert _wait(lambda: ui.sandbox.fault_plan() is not None)
        plan = ui.sandbox.fault_plan()
        assert plan is not None
        assert plan.callback_failure_rate == 1.0
        page.get_by_role("textbox", name="Message").fill("hi again")
        page.get_by_role("button", name="Send").click()
        event_id = _sent_event(ui.sandbox, TEST_DIRECT, "hi again")
        failed = page.locator(f'#log tbody tr.failed[data-event="{event_id}"]')
        failed.first.wait_for()
        assert "the fault plan's callback failures" in failed.first.inner_text()
        assert failed.first.locator(".status").inner_text() == "—"
        # Unchecked: the plan is removed, and the page shows so after a reload too.
        page.get_by_role("checkbox", name="Callback deliveries fail").uncheck()
        assert _wait(lambda: ui.sandbox.fault_plan() is None)
        page.reload()
        page.locator("#live.on").wait_for()
        assert not page.get_by_role("checkbox", name="Callback deliveries fail").is_checked()
    finally:
        page.close()


def test_a_group_message_is_an_at_mention_of_the_bot(chromium: Any, ui: Served) -> None:
    page = ui.page(chromium, **{"as": TEST_USER, "room": GROUP})
    try:
        page.get_by_role("textbox", name="Message").fill("status please")
        page.get_by_role("button", name="Send").click()
        page.locator("#messages").get_by_text("@vsadf-bot status please", exact=True).wait_for()
    finally:
        page.close()

    def mentions() -> list[dict[str, Any]]:
        return [e for _, e in ui.sandbox.events if e.get("room_id") == GROUP]

    # The message shows once posted; its event is produced as its delivery starts.
    assert _wait(lambda: bool(mentions()))
    assert mentions()[-1]["content"] == {"msgtype": "m.alert", "body": "@vsadf-bot status please"}


def test_a_user_opens_a_direct_room_with_the_bot_and_applies_for_the_app(
    chromium: Any, ui: Served
) -> None:
    user = "@test002:dev.finogeeks.club"  # no direct room with the bot in the default world
    page = ui.page(chromium, **{"as": user})
    try:
        page.get_by_role("button", name="Open a direct room with the bot").click()
        assert _wait(
            lambda: (
                ui.sandbox.state.direct_room(ui.sandbox.state.apps[ui.sandbox.app_id].bot, user)
                is not None
            )
        )
        room = ui.sandbox.state.direct_room(ui.sandbox.state.apps[ui.sandbox.app_id].bot, user)
        assert room is not None
        # The new room is listed and shown, and the user can talk to the bot there at once.
        page.get_by_role("button", name=room.room_id, exact=True).wait_for()
        assert page.locator("#room-title").inner_text() == room.room_id
        page.get_by_role("textbox", name="Message").fill("hello")
        page.get_by_role("button", name="Send").click()
        page.locator("#messages").get_by_text("echo: hello", exact=True).wait_for()
        page.get_by_role("button", name="Apply for the app").click()
        assert _wait(
            lambda: any(e["type"] == "finstore.app.application" for _, e in ui.sandbox.events)
        )
    finally:
        page.close()
    created = [e for _, e in ui.sandbox.events if e["type"] == "finstore.room.create"]
    assert created[-1]["fcid"] == user
    applied = [e for _, e in ui.sandbox.events if e["type"] == "finstore.app.application"]
    assert applied[-1]["content"]["info"][0]["fcid"] == user


def _sent_event(sb: Sandbox, room_id: str, body: str) -> str:
    """The event id of the user's message `body` in the room, once the page sent it."""
    found: list[str] = []

    def sent() -> bool:
        found[:] = [m.event_id for m in sb.sent(room_id) if m.content.get("body") == body]
        return bool(found)

    assert _wait(sent), f"{body!r} never reached {room_id}"
    return found[-1]


def _wait(condition: Callable[[], bool], timeout: float = 60.0) -> bool:
    """Whether `condition` (about the sandbox, served in another thread) came true in time."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


# ---- shortcut search ---------------------------------------------------------------------------

# How the README's search handler is served (its block defines the dispatcher, `events`).
SERVE_SEARCH = """

import os

from finchat_wrapper.events import WebhookReceiver

app = WebhookReceiver(events, token=os.environ["FINCHAT_WEBHOOK_TOKEN"])
"""
# A handler that sleeps far past the platform's 5 s: the receiver answers its fallback at its
# deadline, 1 s here (4 s by default), so that the 5 s leave a wide margin on a loaded machine.
SLOW_SEARCH_BOT = """
import asyncio
import os

from finchat_openapi.models import SearchEvent, SearchResult

from finchat_wrapper.events import EventDispatcher, WebhookReceiver, search_item, search_result

events = EventDispatcher()


@events.on_search
async def search(event: SearchEvent) -> SearchResult:
    await asyncio.sleep(60)
    return search_result([search_item("Too late", "never shown")])


busy = search_result([search_item("Search is busy", "Try again in a moment")])
app = WebhookReceiver(
    events, token=os.environ["FINCHAT_WEBHOOK_TOKEN"], search_deadline=1.0, search_fallback=busy
)
"""


@pytest.fixture(scope="module")
def search_bots(served: Served, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The README's search handler and the slow one, each a bot on its own socket: their URLs."""
    tmp = tmp_path_factory.mktemp("search-bots")
    sb = served.sandbox
    settings = (served.base_url, sb.app_id, sb.secret, TOKEN)
    with (
        running_bot(tmp / "readme", readme_search_code() + SERVE_SEARCH, *settings) as readme,
        running_bot(tmp / "slow", SLOW_SEARCH_BOT, *settings) as slow,
    ):
        yield {"readme": readme, "slow": slow}


def _search(page: Any, text: str) -> None:
    page.get_by_role("searchbox", name="Search").fill(text)
    page.get_by_role("button", name="Search", exact=True).click()


def test_a_user_searches_with_the_readme_search_handler_and_sees_its_results_and_links(
    chromium: Any, ui: Served, search_bots: Any, artifact: Callable[[str], Path]
) -> None:
    ui.sandbox.set_search_callback(ui.sandbox.app_id, search_bots["readme"], TOKEN)
    page = ui.page(chromium, **{"as": ALICE})
    try:
        assert search_bots["readme"] in page.locator("#search-note").inner_text()
        results = page.locator("#search-results")
        # Page 1 (from 0) of one result holds nothing; the way back is offered.
        page.get_by_role("spinbutton", name="Page", exact=True).fill("1")
        _search(page, "保险")
        results.get_by_text("No results.", exact=True).wait_for()
        assert "0 results shown of 1" in results.inner_text()
        results.get_by_role("button", name="Previous page").click()
        link = results.get_by_role("link", name="保险", exact=True)
        link.wait_for()
        assert link.get_attribute("href") == "https://example.org/insurance"
        assert link.get_attribute("rel") == "noopener noreferrer"
        item = results.locator(".search-list li")
        assert item.count() == 1
        assert "about 保险" in item.inner_text()
        assert "opens in the app" in item.inner_text()
        summary = results.locator(".search-summary").inner_text()
        assert summary.startswith("layout list · 1 result shown of 1 · answered in ")
        assert results.get_by_role("button", name="Next page").count() == 0
        # Each search is in the delivery log too, live.
        page.locator("#log tbody tr.search.ok").nth(1).wait_for()
        page.locator("section", has=page.locator("#search")).screenshot(
            path=artifact("ui/search-results.png")
        )
        assert page.errors == []
        assert [url for url in page.requested if not url.startswith(ui.base_url + "/")] == []
    finally:
        page.close()
    first, second = ui.sandbox.search_log[-2:]
    assert (first.fcid, first.search_text, first.page_no, first.page_size) == (ALICE, "保险", 1, 10)
    assert (second.page_no, second.answered) == (0, True)
    assert second.result is not None
    assert second.result["content"]["list"][0]["url"] == "https://example.org/insurance"


def test_a_search_handler_sleeping_past_the_limit_shows_the_user_the_bots_fallback(
    chromium: Any, ui: Served, search_bots: Any
) -> None:
    ui.sandbox.set_search_callback(ui.sandbox.app_id, search_bots["slow"], TOKEN)
    page = ui.page(chromium, **{"as": TEST_USER})
    try:
        _search(page, "报销")
        results = page.locator("#search-results")
        results.get_by_text("Search is busy", exact=True).wait_for()
        assert "Try again in a moment" in results.inner_text()
        assert "Too late" not in results.inner_text()
        assert page.errors == []
    finally:
        page.close()
    record = ui.sandbox.search_log[-1]
    assert (record.fcid, record.search_text, record.answered) == (TEST_USER, "报销", True)
    assert 0.9 <= record.seconds < 5  # the receiver's deadline, within the platform's limit


def test_a_search_reaching_a_bot_without_a_search_handler_says_why_the_user_got_nothing(
    chromium: Any, ui: Served
) -> None:
    # No search URL: the search goes to the callback, the README echo bot, which only takes PUT.
    page = ui.page(chromium, **{"as": TEST_USER})
    try:
        assert ui.bot_url in page.locator("#search-note").inner_text()
        _search(page, "anything")
        failed = page.locator("#search-results .search-failed")
        failed.wait_for()
        assert failed.inner_text().startswith(
            "The user sees no results: answered 405: the bot takes no search there: "
            "has it a search handler (on_search)?"
        )
        row = page.locator("#log tbody tr.search.failed").first
        row.wait_for()
        assert row.locator(".status").inner_text() == "405"
        # A search made elsewhere (a script, through the simulation API) shows up live.
        made = httpx.post(
            f"{ui.base_url}/_sandbox/simulate/search",
            json={"fcid": ALICE, "search_text": "from a script"},
            timeout=30,
        )
        assert made.status_code == 200
        elsewhere = page.locator(f'#log tbody tr.search[data-event="{made.json()["event_id"]}"]')
        elsewhere.wait_for()
        assert "the user got nothing: answered 405" in elsewhere.inner_text()
        # A page size below 1 is refused by the form itself, before anything is sent.
        size = page.get_by_role("spinbutton", name="Page size")
        size.fill("0")
        page.get_by_role("button", name="Search", exact=True).click()
        assert size.evaluate("e => e.validity.rangeUnderflow") is True
        assert failed.is_visible()
        assert page.errors == []
    finally:
        page.close()


# What the user sees of a search, and what the delivery log says of it.
SEARCH_RECORD = {
    "app_id": "5cf29aec6ccfd004ccd28075",
    "fcid": ALICE,
    "event_id": "$1:example.org",
    "search_text": "q",
    "page_no": 0,
    "page_size": 2,
    "at": 1_700_000_000.0,
    "seconds": 0.25,
    "status": 200,
    "answered": True,
    "error": "",
    "result": {
        "layout": "list",
        "content": {
            "total": 5,
            "opentype": "inbrowser",
            "list": [
                {"type": "text", "title": "Plain", "description": "no url"},
                {"type": "text", "title": "Bad", "description": "d", "url": "javascript:alert(1)"},
            ],
        },
    },
}
TIMED_OUT = {
    **SEARCH_RECORD,
    "seconds": 5.0,
    "status": None,
    "answered": False,
    "result": None,
    "error": "no answer within 5 s",
}


def test_a_search_renders_safely_and_says_why_it_failed(chromium: Any, served: Served) -> None:
    page = served.page(chromium)
    try:
        shown = page.evaluate(
            """(records) => import('./render.js').then((m) => records.map((r) => {
                const node = m.renderSearch(r, { page() {} });
                return {
                    text: node.textContent,
                    links: node.querySelectorAll('a').length,
                    buttons: [...node.querySelectorAll('button')].map((b) => b.textContent),
                    said: m.explainSearch(r),
                };
            }))""",
            [SEARCH_RECORD, TIMED_OUT],
        )
    finally:
        page.close()
    answered, timed_out = shown
    # No url: nothing to open; not an http(s) url: shown, never a link.
    assert answered["links"] == 0
    assert "Plain" in answered["text"]
    assert "Bad" in answered["text"]
    assert "2 results shown of 5" in answered["text"]
    assert answered["buttons"] == ["Next page"]
    assert answered["said"] == "answered in 0.25 s: 2 results of 5"
    assert "The user sees no results: no answer within 5 s" in timed_out["text"]
    assert timed_out["links"] == 0
    assert timed_out["buttons"] == []
    assert timed_out["said"] == "the user got nothing: no answer within 5 s"


# ---- rendering ---------------------------------------------------------------------------------

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6364f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


def test_every_cui_element_and_message_type_renders_as_users_see_it(
    chromium: Any, ui: Served, artifact: Callable[[str], Path]
) -> None:
    sb = ui.sandbox
    with FinChat(sb.app_id, sb.secret, base_url=ui.base_url) as client:
        uri = client.media.upload(PNG, content_type="image/png")
        report_uri = client.media.upload(b"%PDF-1.4 quarterly", content_type="application/pdf")
        card = (
            Card()
            .text("Order lunch")
            .divider(height=2, background="#c00")
            .image(uri)
            .input("name", placeholder="Your name", value="Ann")
            .dropdown("dish", [("Noodles", "n"), ("Rice", "r")], placeholder="Dish")
            .reply("size", "Small")
            .reply("size", "Large")
            .open_url("Menu", url="https://example.org/menu")
            .submit("Order")
        )
        for content in (
            text_content("plain <b>text</b>, not markup"),
            image_content(uri, body="pixel.png", mimetype="image/png", size=len(PNG)),
            file_content(report_uri, body="report.pdf", mimetype="application/pdf", size=18),
            card.to_content(),
        ):
            client.messages.send(content, room_ids=[TEST_DIRECT])
        weekly = textcard_content(
            title="Weekly report",
            description="All green",
            url="https://example.org/r",
            btntext="Read",
        )
        client.messages.send(weekly, room_ids=[TEST_DIRECT])
    page = ui.page(chromium, **{"as": TEST_USER, "room": TEST_DIRECT})
    try:
        messages = page.locator("#messages")
        messages.get_by_role("button", name="Order").wait_for()
        cui = messages.locator("form.cui").last
        assert cui.get_by_role("textbox", name="Your name").input_value() == "Ann"
        dish = cui.get_by_role("combobox", name="Dish")
        assert dish.locator("option").all_inner_texts() == ["Dish", "Noodles", "Rice"]
        dish.select_option("r")
        assert cui.get_by_role("button", name="Small").is_visible()
        link = cui.get_by_role("link", name="Menu")
        assert link.get_attribute("href") == "https://example.org/menu"
        assert link.get_attribute("rel") == "noopener noreferrer"
        assert (
            cui.locator("hr.cui-divider").evaluate("e => getComputedStyle(e).borderTopWidth")
            == "2px"
        )
        assert cui.locator("img.cui-image").evaluate("e => e.complete && e.naturalWidth") == 1
        cui.locator("xpath=..").screenshot(path=artifact("ui/cui-card-every-element.png"))
        # A reply button submits its key and value with the card's inputs.
        before = len(_interactions(sb))
        cui.get_by_role("button", name="Large").click()
        assert _wait(lambda: len(_interactions(sb)) > before)
        assert _interactions(sb)[-1] == {"name": "Ann", "dish": "r", "size": "Large"}
        # Text is text; images, files and text cards as users see them.
        assert messages.get_by_text("plain <b>text</b>, not markup", exact=True).is_visible()
        assert messages.locator("b").count() == 0
        image = messages.locator("figure.image img").last
        assert image.evaluate("e => e.complete && e.naturalWidth") == 1
        download = messages.get_by_role("link", name="report.pdf")
        assert download.get_attribute("download") == "report.pdf"
        fetched = httpx.get(ui.base_url + download.get_attribute("href").replace("..", "/_sandbox"))
        assert fetched.content == b"%PDF-1.4 quarterly"
        textcard = messages.locator("article.textcard").last
        assert textcard.locator("h3").inner_text() == "Weekly report"
        assert (
            textcard.get_by_role("link", name="Read").get_attribute("href")
            == "https://example.org/r"
        )
        assert page.errors == []
        assert [url for url in page.requested if not url.startswith(ui.base_url + "/")] == []
    finally:
        page.close()


def _interactions(sb: Sandbox) -> list[dict[str, Any]]:
    """The `info` of every card submitted, oldest first."""
    return [e["content"]["info"] for _, e in sb.events if e["type"] == "finstore.room.interactcui"]


@pytest.mark.skipif(not reference_available(), reason="make reference builds it")
def test_the_api_reference_opens_from_the_page_and_renders_offline(
    chromium: Any, ui: Served
) -> None:
    page = ui.page(chromium)
    try:
        page.get_by_role("link", name="API reference").click()
        page.wait_for_url(f"{ui.base_url}/_sandbox/reference/")
        titles = [title for _, title, _ in REFERENCE_PAGES]
        assert page.get_by_role("link").all_inner_texts()[: len(titles)] == titles
        page.get_by_role("link", name="FinChat server API", exact=True).click()
        page.wait_for_url(f"{ui.base_url}/_sandbox/reference/finchat.html")
        spec = yaml.safe_load((OPENAPI / "finchat.yaml").read_text("utf-8"))
        assert page.title() == spec["info"]["title"]
        # Prerendered, then hydrated by the bundle the sandbox serves: its buttons work.
        page.get_by_role("button", name="Hide sidebar").click()
        page.get_by_role("button", name="Show sidebar").wait_for()
        assert page.errors == []
        # Redoc's footer logo is on Redocly's CDN: the page's policy blocks it before it leaves,
        # so nothing but the sandbox is ever reached.
        elsewhere = {url for url in page.requested if not url.startswith(ui.base_url + "/")}
        assert all(url.startswith("https://cdn.redoc.ly/redoc/logo-mini") for url in elsewhere)
        assert all(page.blocked.get(url) == "csp" for url in elsewhere), page.blocked
    finally:
        page.close()


# What the delivery log says of each kind of attempt.
EXPLAINED = [
    ({"delivered": True, "status": 200}, "delivered"),
    ({"delivered": True, "status": 200, "duplicate": True}, "a duplicate"),
    ({"delivered": False, "status": 401, "error": "not 200"}, "wrong verification token"),
    ({"delivered": False, "status": 500, "error": "not 200"}, "the bot failed: it answered 500"),
    ({"delivered": False, "status": 404, "error": "not 200"}, "answered 404, not 200"),
    ({"delivered": False, "status": None, "error": "ReadTimeout"}, "timeout"),
    ({"delivered": False, "status": None, "error": "ConnectError"}, "no connection"),
    ({"delivered": False, "status": None, "error": "injected delivery failure"}, "the fault plan"),
]


def test_the_delivery_log_says_why_an_attempt_failed(chromium: Any, served: Served) -> None:
    page = served.page(chromium)
    try:
        said = page.evaluate(
            "(all) => import('./render.js').then((m) => all.map(m.explainAttempt))",
            [attempt for attempt, _ in EXPLAINED],
        )
    finally:
        page.close()
    for (attempt, expected), why in zip(EXPLAINED, said, strict=True):
        assert expected in why, attempt
