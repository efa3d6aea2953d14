"""LTI in the platform's frame: the LTI pages may be framed by the registered platform's
origin only; the play opens in a new window and is never framed.

The platform (lti1p3platform, ``lti_platform.py``) serves a course page that shows the
tool in an iframe, as an LMS does; Debian's chromium loads it with the site's real
Content-Security-Policy and X-Frame-Options. Platform and tool are on 127.0.0.1 with
different ports: different origins, which is what ``frame-ancestors`` compares.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from web.axe import assert_axe_clean
from web.pages import wait_js

from kaleidoscope.web.learn.models import Play

from .lti_platform import INSTRUCTOR, LEARNER, Browser, Platform

pytestmark = [pytest.mark.lti, pytest.mark.django_db(transaction=True)]
SCENARIO = "friend-request"
REFUSED_FRAME = re.compile(r"Refused to (frame|display)|Framing .* violates", re.I)


def frame_ancestors(headers: Any) -> str:
    policy = headers.get("content-security-policy", "")
    found = re.search(r"frame-ancestors ([^;]*)", policy)
    return found.group(1).strip() if found else ""


# --- without a browser: what the tool answers --------------------------------------------
def test_a_launch_in_a_frame_answers_with_a_new_window_link(platform: Platform) -> None:
    browser = Browser()
    form_page = browser.get(platform.login_url("learner-1", [LEARNER], scenario=SCENARIO))
    browser.client.headers["Sec-Fetch-Dest"] = "iframe"  # as a browser says in a frame
    answer = browser.submit(form_page)
    assert answer.status_code == 200 and 'id="open-in-window"' in answer.text
    assert 'target="_blank"' in answer.text and "opens in a new window" in answer.text
    assert frame_ancestors(answer.headers) == platform.url, "its platform's origin only"
    assert "x-frame-options" not in answer.headers
    link = re.search(r'href="(/lti/continue/[^"]+)"', answer.text)
    assert link is not None
    assert "/plays/" not in str(answer.url), "not into the play inside the frame"
    # The new window (top level): signed in, straight into the play, which is not framed.
    window = Browser()
    window.client.headers["Sec-Fetch-Dest"] = "document"
    opened = window.get(platform.tool_url + link.group(1))
    assert opened.status_code == 200 and "/plays/" in str(opened.url)
    assert frame_ancestors(opened.headers) == "'none'"
    assert opened.headers["x-frame-options"] == "DENY"
    play = Play.objects.get()
    assert str(play.id) in str(opened.url) and play.user is not None
    # The link works once.
    again = Browser().get(platform.tool_url + link.group(1))
    assert again.status_code == 410 and 'data-reason="continue"' in again.text


def test_the_browser_is_believed_over_the_claim(platform: Platform) -> None:
    """A launch that says 'iframe' but arrives as a top-level document goes straight in;
    one that says 'window' but arrives in a frame gets the link."""
    platform.document_target = "iframe"
    browser = Browser()
    browser.client.headers["Sec-Fetch-Dest"] = "document"
    _, answer = browser.launch(platform.login_url("learner-1", [LEARNER], scenario=SCENARIO))
    assert "/plays/" in str(answer.url)
    platform.document_target = "window"
    framed = Browser()
    framed.client.headers["Sec-Fetch-Dest"] = "iframe"
    _, answer = framed.launch(platform.login_url("learner-2", [LEARNER], scenario=SCENARIO))
    assert 'id="open-in-window"' in answer.text
    # An old browser (no Sec-Fetch-Dest) is believed the platform's document_target.
    platform.document_target = "iframe"
    _, answer = Browser().launch(platform.login_url("learner-3", [LEARNER], scenario=SCENARIO))
    assert 'id="open-in-window"' in answer.text


def test_deep_linking_resources_ask_for_a_new_window(platform: Platform) -> None:
    browser = Browser()
    _, picker = browser.launch(platform.login_url("teacher-1", [INSTRUCTOR], deep_link=True))
    assert frame_ancestors(picker.headers) == platform.url
    chosen = browser.submit(picker, {"scenario": [SCENARIO]})
    assert frame_ancestors(chosen.headers) == platform.url
    policy = chosen.headers["content-security-policy"]
    assert re.search(r"form-action 'self' " + re.escape(platform.url) + r"(;|$)", policy)
    browser.submit(chosen)
    (items,) = platform.deep_links
    assert items[0]["window"] == {"targetName": "_blank"} and "iframe" not in items[0]
    # The picker's answer is accepted once.
    assert browser.submit(picker, {"scenario": [SCENARIO]}).status_code == 400


def test_refusals_in_a_frame_and_other_origins(platform: Platform, live_server: Any) -> None:
    """A refusal can be read in the platform's frame; nothing of ours is framable by an
    origin that is not registered, and plain pages by none."""
    stranger = httpx.post(
        live_server.url + "/lti/launch/", data={"id_token": "a.b.c", "state": "x"}, timeout=10
    )
    assert stranger.status_code in (400, 403) and frame_ancestors(stranger.headers) == "'none'"
    for path in ("/", "/scenarios/"):
        page = httpx.get(live_server.url + path, timeout=10)
        assert frame_ancestors(page.headers) == "'none'"
        assert page.headers["x-frame-options"] == "DENY"


# --- in chromium: the real frame ------------------------------------------------------------
def _console(page: Any) -> list[str]:
    lines: list[str] = []
    page.on("console", lambda message: lines.append(message.text))
    return lines


def _tool_frame(page: Any, platform: Platform) -> Any:
    frames = [f for f in page.frames if f.url.startswith(platform.tool_url)]
    assert len(frames) == 1, [f.url for f in page.frames]
    return frames[0]


@pytest.mark.browser
def test_in_chromium_the_launch_is_framed_and_the_play_opens_in_a_window(
    platform: Platform, chromium: Any
) -> None:
    platform.document_target = "iframe"
    context = chromium.new_context()
    context.set_default_timeout(20_000)
    page = context.new_page()
    console = _console(page)
    try:
        course = platform.course_page(platform.login_url("learner-1", [LEARNER], scenario=SCENARIO))
        page.goto(course)
        page.wait_for_selector("iframe#tool")
        frame = page.frame_locator("iframe#tool")
        link = frame.get_by_role("link", name=re.compile("opens in a new window"))
        link.wait_for()
        assert _tool_frame(page, platform).url.endswith("/lti/launch/")
        assert_axe_clean(_tool_frame(page, platform))
        with page.expect_popup() as popup_info:
            link.click()
        window = popup_info.value
        window.wait_for_url("**/plays/*/")
        window.wait_for_selector("#play")
        before = window.locator("#play").get_attribute("data-revision")
        window.get_by_role("button", name="Continue").click()
        wait_js(window, f"document.querySelector('#play').dataset.revision !== '{before}'")
        assert not [line for line in console if REFUSED_FRAME.search(line)], console
        # The play itself refuses to be framed, even by the platform.
        console.clear()
        blocked = platform.course_page(window.url)
        page.goto(blocked)
        page.wait_for_timeout(500)
        assert not page.frame_locator("iframe#tool").locator("#play").count()
        assert any(REFUSED_FRAME.search(line) for line in console), console
    finally:
        context.close()


@pytest.mark.browser
def test_in_chromium_deep_linking_works_in_the_frame(platform: Platform, chromium: Any) -> None:
    context = chromium.new_context()
    context.set_default_timeout(20_000)
    page = context.new_page()
    console = _console(page)
    try:
        page.goto(
            platform.course_page(platform.login_url("teacher-1", [INSTRUCTOR], deep_link=True))
        )
        frame = page.frame_locator("iframe#tool")
        box = frame.locator(f"#scenario-{SCENARIO}")  # a label: axe checks they all have one
        box.wait_for()
        assert_axe_clean(_tool_frame(page, platform))
        box.check()
        frame.get_by_role("button", name="Add to your course").click()
        frame.get_by_role("button", name="Return to your course").click()
        frame.get_by_text("Added").wait_for()
        (items,) = platform.deep_links
        assert [i["custom"]["scenario"] for i in items] == [SCENARIO]
        assert not [line for line in console if "Content Security Policy" in line], console
    finally:
        context.close()


@pytest.mark.browser
def test_in_chromium_an_unregistered_origin_cannot_frame_the_launch(
    platform: Platform, chromium: Any, live_server: Any
) -> None:
    platform.document_target = "iframe"
    elsewhere = Platform(live_server.url)  # another origin, never registered
    context = chromium.new_context()
    context.set_default_timeout(20_000)
    page = context.new_page()
    console = _console(page)
    try:
        login = platform.login_url("learner-1", [LEARNER], scenario=SCENARIO)
        page.goto(elsewhere.course_page(login))
        page.wait_for_timeout(1500)
        assert not page.frame_locator("iframe#tool").locator("#open-in-window").count()
        assert any(REFUSED_FRAME.search(line) for line in console), console
    finally:
        context.close()
        elsewhere.close()
