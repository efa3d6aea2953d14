"""Shared test set-up.

pytest-django loads ``kaleidoscope.web.settings`` (see pyproject.toml) for the whole run;
tests that do not touch the database are unaffected. The Playwright sync API keeps an
event loop in the main thread, so Django's async-safety guard is relaxed for tests only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from web.live import LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def need_browser() -> None:
    if os.path.exists(CHROMIUM):
        return
    reason = f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("KALEIDOSCOPE_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + "; KALEIDOSCOPE_REQUIRE_BROWSER=1 makes this an error")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def live_server_proc() -> Iterator[LiveServer]:
    """A real `kaleidoscope serve` (SQLite in a temp dir, or a fresh PostgreSQL database)."""
    server = LiveServer(os.environ.get("DATABASE_URL") or None)
    try:
        yield server.start()
    finally:
        server.close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
