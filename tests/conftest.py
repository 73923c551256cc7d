"""Fixtures shared by more than one test area."""

from __future__ import annotations

import io
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Everything logged by finchat, httpx and httpcore at DEBUG, records and arguments."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s %(args)r"))
    loggers = [logging.getLogger(name) for name in ("finchat", "httpx", "httpcore")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
    yield stream
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


CHROMIUM = "/usr/bin/chromium"
# No network here or in CI: nothing in the background may try to reach one.
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's headless Chromium driven by Playwright (Playwright's own browsers are never
    downloaded): a `playwright.sync_api.Browser`. Per module, not per session: Playwright's sync
    API holds an event loop in the main thread while it runs, and async tests need it free."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "reports"  # git-ignored
_ARTIFACTS: list[Path] = []


@pytest.fixture(scope="session")
def artifact() -> Callable[[str], Path]:
    """A path under reports/ for a file a test writes for people to look at (a screenshot);
    the run's summary names every one written."""

    def path(name: str) -> Path:
        target = REPORTS / name
        target.parent.mkdir(parents=True, exist_ok=True)
        _ARTIFACTS.append(target)
        return target

    return path


def pytest_terminal_summary(terminalreporter: Any) -> None:
    written = sorted({p for p in _ARTIFACTS if p.exists()})
    if written:
        terminalreporter.section("artifacts")
        for path in written:
            terminalreporter.write_line(str(path.relative_to(ROOT)))
