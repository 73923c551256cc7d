"""Benchmark of the sandbox's browser UI in headless Chromium, figures measured side by side.

1. Page load: the bytes of the HTML and its assets (CSS, JavaScript modules) as the browser
   received them (target < 200 KB), and with the page's first data (world, room, delivery log).
2. First render of a room of 500 messages (text, images, files, text cards and CUI cards,
   100 of each): from opening the room (its messages fetched) until the frame after it was laid
   out, as the page measures it (`performance.measure("room-render")`): on a cold page load
   (target < 1 s) and when switching to it from another room. Baseline, in the same page and
   run: the same 500 messages fetched and shown as one plain text line each, the least any page
   does; the ratio says what the rendering of every message type costs on top.

Usage: scripts/bench ui [--messages N] [--rounds N]
"""

from __future__ import annotations

import argparse
import base64
import shutil
import statistics
import sys
from typing import Any

from finchat_wrapper.sandbox import Media, Message, Sandbox, World, serve

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOM = "!100000000000000001:example.org"
OTHER_ROOM = "!100000000000000002:example.org"
USER = "@test:example.org"
BOT = "@vsadf-bot:dev.finogeeks.club"
APP = "5cf29aec6ccfd004ccd28075"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
IMAGE = "mxc://example.org/benchimage"
FILE = "mxc://example.org/benchfile"

BASELINE = """async ([room]) => {
  const start = performance.now();
  const response = await fetch(`../rooms/${encodeURIComponent(room)}/messages`);
  const messages = await response.json();
  const list = document.createElement("ol");
  const nodes = document.createDocumentFragment();
  for (const m of messages) {
    const item = document.createElement("li");
    item.textContent = `${m.sender}: ${m.content.body || m.content.msgtype}`;
    nodes.append(item);
  }
  list.append(nodes);
  document.body.append(list);
  list.scrollTop = list.scrollHeight;
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done)));
  const took = performance.now() - start;
  list.remove();
  return took;
}"""


def card(n: int) -> dict[str, Any]:
    elements = [
        {"type": "context", "subtype": "text", "value": f"Request {n}"},
        {"type": "divider", "subtype": "divider", "height": "1", "background": "#666"},
        {"type": "image", "subtype": "image", "o_url": IMAGE},
        {"type": "input", "subtype": "text-input", "key": "company", "placeholder": "Company"},
        {
            "type": "input",
            "subtype": "dropdown-input",
            "key": "size",
            "placeholder": "Size",
            "value": "",
            "options": [{"label": "small", "value": "s"}, {"label": "large", "value": "l"}],
        },
        {"type": "button", "subtype": "reply", "key": "ok", "value": "Yes"},
        {"type": "button", "subtype": "openurl", "action": "https://example.org", "value": "Docs"},
        {"type": "button", "subtype": "submit", "value": "Send", "action": "submit"},
    ]
    info = {"type": "form", "status": "input", "shared": True, "elements": elements}
    return {"msgtype": "m.cui", "body": "[交互卡片]", "info": info, "version": "0.1.0"}


def content(n: int) -> dict[str, Any]:
    kind = n % 5
    if kind == 0:
        return {"msgtype": "m.text", "body": f"message {n}: " + "lorem ipsum " * (n % 7 + 1)}
    if kind == 1:
        info = {"mimetype": "image/png", "size": len(PNG), "w": 1, "h": 1}
        return {"msgtype": "m.image", "body": f"image-{n}.png", "o_url": IMAGE, "info": info}
    if kind == 2:
        info = {"mimetype": "application/pdf", "size": 1234}
        return {"msgtype": "m.file", "body": f"report-{n}.pdf", "o_url": FILE, "info": info}
    if kind == 3:
        info = {"title": f"Card {n}", "description": "All green", "url": "https://example.org"}
        return {"msgtype": "m.textcard", "body": "", "info": {**info, "btntext": "Open"}}
    return card(n)


def world(count: int) -> World:
    base = World.default()
    base.media += [Media(IMAGE, "image/png", PNG), Media(FILE, "application/pdf", b"%PDF-1.4")]
    for n in range(count):
        sender = BOT if n % 3 else USER
        base.messages.append(
            Message(
                room_id=ROOM,
                event_id=f"$bench{n:05d}:example.org",
                sender=sender,
                content=content(n),
                timestamp=1_700_000_000_000 + n * 1000,
                app_id=APP if sender == BOT else None,
            )
        )
    return base


def ui_url(base_url: str, room: str) -> str:
    return f"{base_url}/_sandbox/ui/#as={USER}&room={room}"


def wait_rendered(page: Any, count: int) -> tuple[float, float]:
    """(ms from opening the room, ms from the navigation's start) until the room was shown."""
    # A locator, not a predicate: the page's policy forbids evaluating strings.
    page.locator(f"body[data-rendered='{count}']").wait_for(state="attached", timeout=60_000)
    entry = page.evaluate(
        "(({startTime, duration}) => [duration, startTime + duration])"
        "(performance.getEntriesByName('room-render').at(-1))"
    )
    return float(entry[0]), float(entry[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    if not shutil.which(CHROMIUM):
        print(f"{CHROMIUM} is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with (
        Sandbox(world(args.messages)) as sb,
        serve(sb) as base_url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            sizes: dict[str, int] = {}

            def record(response: Any) -> None:
                kind = response.request.resource_type
                first_data = response.url.endswith(("/api/world", "/messages", "/callbacks"))
                if kind in ("document", "stylesheet", "script") or first_data:
                    sizes[response.url] = len(response.body())

            page.on("response", record)
            page.goto(ui_url(base_url, OTHER_ROOM))
            wait_rendered(page, 0)
            page.remove_listener("response", record)
            assets = sum(v for k, v in sizes.items() if "/_sandbox/ui/" in k and "/api/" not in k)
            data = sum(sizes.values()) - assets
            print(f"page load: HTML + assets {assets / 1024:.1f} KiB (target < 200 KB), ", end="")
            print(f"first data of the default world {data / 1024:.1f} KiB")

            cold, loaded, switch, plain = [], [], [], []
            for _ in range(args.rounds):
                page.goto("about:blank")
                page.goto(ui_url(base_url, ROOM))
                took, since_navigation = wait_rendered(page, args.messages)
                cold.append(took)
                loaded.append(since_navigation)
                page.get_by_role("button", name=OTHER_ROOM, exact=True).click()
                wait_rendered(page, 0)
                page.get_by_role("button", name=ROOM, exact=True).click()
                switch.append(wait_rendered(page, args.messages)[0])
                plain.append(page.evaluate(BASELINE, [ROOM]))
            nodes = page.evaluate("document.querySelectorAll('#messages > li').length")
            assert nodes == args.messages, nodes
        finally:
            browser.close()
    median = statistics.median
    print(f"first render of a room of {args.messages} messages (median of {args.rounds}):")
    print(f"  cold page load  {median(cold):7.1f} ms   (target < 1000 ms)", end="")
    print(f"; {median(loaded):.1f} ms from the navigation's start")
    print(f"  switching rooms {median(switch):7.1f} ms")
    print(f"  baseline: plain text lines {median(plain):7.1f} ms")
    print(f"  ratio cold / baseline {median(cold) / median(plain):.1f}x, ", end="")
    print(f"switch / baseline {median(switch) / median(plain):.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
