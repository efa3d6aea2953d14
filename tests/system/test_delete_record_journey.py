"""Deleting a record in Debian's Chromium, checked by axe (no test database here: the
live server has its own, and Playwright's loop in this thread would hold a connection)."""

from __future__ import annotations

from typing import Any

import pytest
from web.axe import assert_axe_clean
from web.live import Learner, LiveServer


@pytest.mark.browser
def test_the_delete_page_in_a_browser_is_accessible(
    chromium: Any, live_server_proc: LiveServer
) -> None:
    learner = Learner(live_server_proc.port)
    learner.start("friend-request")
    context = chromium.new_context()
    try:
        context.add_cookies(
            [
                {"name": k, "value": v, "url": live_server_proc.url}
                for k, v in learner.cookies.items()
            ]
        )
        page = context.new_page()
        page.goto(live_server_proc.url + "/record/")
        page.get_by_role("link", name="Delete my record").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Delete your learning record"
        assert_axe_clean(page)
        page.get_by_role("button", name="Delete my record").click()
        assert "Your learning record has been deleted" in page.content()
        assert_axe_clean(page)
    finally:
        context.close()
