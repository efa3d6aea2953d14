"""Waiting on a page under our Content-Security-Policy.

Playwright's ``wait_for_function`` evaluates its predicate with ``eval`` inside the page,
which a CSP without 'unsafe-eval' refuses (as ours does). ``wait_js`` polls the same
expression through ``page.evaluate`` (the DevTools protocol, which the CSP does not
govern) until it is true.
"""

from __future__ import annotations

import time
from typing import Any


def wait_js(page: Any, expression: str, timeout: float = 30_000) -> None:
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            if page.evaluate(expression):
                return
        except Exception as exc:  # a navigation replaced the page: ask the new one
            if "context was destroyed" not in str(exc) and "navigat" not in str(exc):
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout / 1000:.0f} s: {expression}")
        time.sleep(0.05)
