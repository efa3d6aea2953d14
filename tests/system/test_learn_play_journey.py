"""The learner's journey in Debian's Chromium, with JavaScript on and off, checked by axe.

Play a scenario to an ending by keyboard, go back, start again, read the debrief, write a
reflection, export the record, sign up, and see the staff page; axe must report no
violations on every page visited.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from web.axe import assert_axe_clean
from web.live import KALEIDOSCOPE, LiveServer
from web.pages import wait_js

from kaleidoscope.learn.library import bundled_library

pytestmark = pytest.mark.browser
SCENARIO = "friend-request"
PASSWORD = "a-long-pass-phrase-42"
AXE_CONTEXT: list[Any] = []  # a JS-on context for checking JS-off pages


def axe_clean(page: Any, checked: set[str]) -> None:
    assert_axe_clean(page, AXE_CONTEXT[0] if AXE_CONTEXT else None, checked)


def rev(page: Any) -> int:
    return int(page.locator("#play").get_attribute("data-revision"))


def tab_to(page: Any, test: str, limit: int = 60) -> None:
    """Press Tab until the focused element ``el`` passes the JS ``test`` (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {test}; }})()"):
            return
    raise AssertionError(f"could not reach {test} with the Tab key")


def button(label: str) -> str:
    return f"el.tagName === 'BUTTON' && el.textContent.trim() === {json.dumps(label)}"


def play_by_keyboard(page: Any, js: bool, checked: set[str]) -> None:
    """Play from the current step to an ending with the keyboard only."""
    for _ in range(60):
        if page.locator("text=See your debrief").count():
            return
        before = rev(page)
        if page.locator("input[name=choice]").count():
            tab_to(page, "el.name === 'choice'")
            page.keyboard.press("Space")
            tab_to(page, button("Choose"))
        else:
            tab_to(page, button("Continue"))
        page.keyboard.press("Enter")
        wait_js(page,
            f"document.querySelector('#play') && "
            f"document.querySelector('#play').dataset.revision === '{before + 1}'"
        )
        if js:  # htmx swapped the step in: focus moved to the new content
            wait_js(page,
                "document.activeElement.hasAttribute('data-focus')", timeout=5000
            )
        if len(checked) < 12:
            axe_clean(page, checked)
    raise AssertionError("no ending reached")


def journey(browser: Any, server: LiveServer, js: bool) -> set[str]:
    context = browser.new_context(
        java_script_enabled=js, accept_downloads=True, viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(20_000)
    AXE_CONTEXT[:] = [browser.new_context()]
    page = context.new_page()
    checked: set[str] = set()
    try:
        scenario = bundled_library().get(SCENARIO)
        assert scenario is not None
        page.goto(server.url + "/")
        axe_clean(page, checked)
        page.goto(server.url + "/scenarios/")
        axe_clean(page, checked)
        page.get_by_label("Theme").select_option(scenario.themes[0])
        page.get_by_role("button", name="Show scenarios").click()
        assert page.get_by_text(scenario.title).count()
        page.get_by_role("button", name=f"Start {scenario.title}").click()
        page.wait_for_url("**/plays/*/")
        play_url = page.url
        axe_clean(page, checked)

        play_by_keyboard(page, js, checked)
        # go back, then start again
        page.get_by_role("button", name="Back to the last decision").click()
        page.wait_for_selector("input[name=choice]")
        assert page.get_by_text("You are back at your last decision").count()
        axe_clean(page, checked)
        page.get_by_role("button", name="Start again").click()
        page.wait_for_selector("text=You are back at the start")
        assert page.locator(f"#play[data-node='{scenario.start}']").count()
        page.reload()  # a reload resumes where the server says we are
        assert page.locator(f"#play[data-node='{scenario.start}']").count()
        play_by_keyboard(page, js, checked)

        page.get_by_role("link", name="See your debrief").click()
        page.wait_for_url("**/debrief/")
        assert page.locator("svg[role=img]").count() == 1
        axe_clean(page, checked)
        page.get_by_role("link", name="Write a reflection").click()
        page.get_by_role("button", name="Save reflection").click()  # empty: error
        assert page.get_by_text("There is a problem").count()
        axe_clean(page, checked)
        page.get_by_label("What did you learn?").fill("Say no kindly, and explain why.")
        page.get_by_label("What impact will it have on your practice?").fill("Plan it.")
        page.get_by_role("button", name="Save reflection").click()
        page.wait_for_url("**/record/")
        assert page.get_by_text("Say no kindly, and explain why.").count()
        axe_clean(page, checked)
        with page.expect_download() as download:
            page.get_by_role("link", name="Markdown learning record").click()
        text = Path(download.value.path()).read_text(encoding="utf-8")
        assert "### Impact on my practice" in text and "Plan it\\." in text  # escaped Markdown
        with page.expect_download() as download:
            page.get_by_role("link", name="PDF learning record").click()
        assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"

        name = f"learner{'js' if js else 'nojs'}"
        page.goto(server.url + "/accounts/sign-in/")
        axe_clean(page, checked)
        page.goto(server.url + "/accounts/sign-up/")
        page.get_by_label("Username").fill(name)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_label("Confirm password").fill("different-pass-phrase-1")
        page.get_by_role("button", name="Create account").click()
        assert page.get_by_text("There is a problem").count()
        axe_clean(page, checked)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_label("Confirm password").fill(PASSWORD)
        page.get_by_role("button", name="Create account").click()
        page.wait_for_url("**/record/")
        assert page.get_by_text(scenario.title).count()
        subprocess.run(
            [str(KALEIDOSCOPE), "staff", name], env=server.env, check=True, capture_output=True
        )
        page.goto(server.url + "/staff/")
        assert page.get_by_role("heading", name="Statistics").count()
        axe_clean(page, checked)
        page.goto(play_url + "debrief/")
        axe_clean(page, checked)
        page.goto(server.url + "/plays/00000000-0000-0000-0000-000000000000/")
        axe_clean(page, checked)
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(server.url + "/")
    finally:
        context.close()
        AXE_CONTEXT.pop().close()
    return checked


def test_journey_with_javascript(chromium: Any, live_server_proc: LiveServer) -> None:
    checked = journey(chromium, live_server_proc, js=True)
    assert len(checked) >= 8


def test_journey_without_javascript(chromium: Any, live_server_proc: LiveServer) -> None:
    checked = journey(chromium, live_server_proc, js=False)
    assert len(checked) >= 8


def test_no_gds_font_or_crown_is_loaded(chromium: Any, live_server_proc: LiveServer) -> None:
    page = chromium.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server_proc.url + "/scenarios/")
    page.wait_for_load_state("networkidle")
    families = page.evaluate("getComputedStyle(document.body).fontFamily")
    page.close()
    assert "GDS Transport" not in families
    assert not [u for u in requested if u.endswith((".woff", ".woff2")) or "crest" in u]
