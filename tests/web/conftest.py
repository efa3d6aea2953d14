"""Fixtures for the web suite: one live server and one Chromium per test session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .live import LiveServer

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
AXE = Path(__file__).with_name("vendor") / "axe.min.js"


def need_browser() -> None:
    if Path(CHROMIUM).exists():
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
