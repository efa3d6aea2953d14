"""Shared test set-up.

pytest-django loads ``kaleidoscope.web.settings`` (see pyproject.toml) for the whole run;
tests that do not touch the database are unaffected. The Playwright sync API keeps an
event loop in the main thread, so Django's async-safety guard is relaxed for tests only.

On PostgreSQL the settings turn on psycopg's connection pool (docs/adr/0017). A server
gives a connection back at the end of every request; Django's test client does not (it
keeps the test's transaction open), so a thread that uses the test client must call
``connections.close_all()`` when it is done. The fixtures below check that after every
test, and close the pool before pytest-django drops the test database.
"""

from __future__ import annotations

import gc
import os
import sys
import time
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


def _pool() -> Any:
    """The default database's connection pool if it is open, else None."""
    from django.db import connections

    conn = connections["default"]
    if conn.vendor != "postgresql" or not conn.settings_dict["OPTIONS"].get("pool"):
        return None
    pool = conn.pool  # made (not opened) on first use: cheap
    return None if pool.closed else pool


def _stray_connections() -> int:
    """Pooled connections out of the pool that no request or test will give back: those
    held by threads other than this one (a thread that used the test client and ended)."""
    from django.db import connections

    pool = _pool()
    if pool is None:
        return 0
    stats = pool.get_stats()
    mine = 1 if connections["default"].connection is not None else 0
    return max(0, int(stats["pool_size"]) - int(stats["pool_available"]) - mine)


@pytest.fixture(autouse=True)
def _pooled_connections_given_back(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each test, every pooled connection a finished thread took is back. If not, say
    which test kept them, and start a fresh pool so the rest of the run is not starved."""
    yield
    if "django" in sys.modules and _stray_connections():
        gc.collect()  # a finished thread's connection closes when it is collected
        time.sleep(0.05)  # and a connection the pool was still opening gets in
        from django.db import connections

        if _stray_connections():
            kept = _stray_connections()
            connections["default"].close_pool()
            request.node.warn(
                pytest.PytestWarning(
                    f"{kept} pooled database connection(s) not given back by a thread; "
                    "call django.db.connections.close_all() at the end of the thread"
                )
            )


def _close_pools() -> None:
    """Give back this thread's connections and close the pools, so the test databases
    can be dropped; end (and name) any connection still open to them."""
    from django.db import connections

    connections.close_all()
    gc.collect()
    for alias in connections:
        conn = connections[alias]
        if conn.vendor != "postgresql":
            continue
        if conn.settings_dict["OPTIONS"].get("pool"):
            conn.close_pool()
        with conn._nodb_cursor() as cursor:  # the maintenance database, outside the pools
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [conn.settings_dict["NAME"]],
            )
            if ended := len(cursor.fetchall()):
                print(
                    f"\nnote: {ended} connection(s) to {conn.settings_dict['NAME']} were still "
                    "open at the end of the run and were ended",
                    file=sys.stderr,
                )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's test databases; before they are dropped, the pools are closed."""
    yield
    with django_db_blocker.unblock():
        _close_pools()


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
