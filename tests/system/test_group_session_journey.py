"""A whole group session in Debian's Chromium: one presenter and 30 participants.

One Browser, 31 contexts (each its own cookie jar, like 31 devices), JavaScript on. The
participants' pages are never reloaded: every change of the group's state reaches them
over the event stream (a marker set on each page after joining must survive to the end).
axe-core checks the presenter, join, vote, reveal and debrief pages. A second test
follows a session with JavaScript off, using the Refresh button.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from web.axe import assert_axe_clean
from web.live import LiveServer
from web.pages import wait_js

pytestmark = pytest.mark.browser
PARTICIPANTS = 30
SCENARIO = "friend-request"
PASSWORD = "a-long-pass-phrase-42"
VOTE_JS = """([pick, reason]) => {
  const form = document.querySelector("form[data-live-form]");
  form.querySelectorAll("input[name=choice]")[pick].click();
  form.querySelector("#reason").value = reason;
  form.querySelector("button[type=submit]").click();
}"""


def axe_clean(page: Any) -> None:
    assert_axe_clean(page)


def press(presenter: Any, button: Any) -> None:
    """Click a facilitator's control and wait until the page shows the next revision."""
    before = int(presenter.locator(".k-group-state").get_attribute("data-rev"))
    button.click()
    wait_js(presenter,
        "(() => { const s = document.querySelector('.k-group-state');"
        f" return s !== null && parseInt(s.dataset.rev, 10) > {before}; }})()"
    )


def count(page: Any, name: str) -> int:
    return int(page.locator(f"[data-count={name}]").inner_text())


def test_one_presenter_and_thirty_participants(chromium: Any, live_server_proc: LiveServer) -> None:
    server = live_server_proc
    contexts: list[Any] = []
    try:
        run_session(chromium, server, contexts)
    finally:
        for context in contexts:
            context.close()


def run_session(browser: Any, server: LiveServer, contexts: list[Any]) -> None:
    host = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    contexts.append(host)
    host.set_default_timeout(20_000)
    presenter = host.new_page()
    presenter.goto(server.url + "/accounts/sign-up/")
    presenter.get_by_label("Username").fill("room-facilitator")
    presenter.locator("#password1").fill(PASSWORD)
    presenter.locator("#password2").fill(PASSWORD)
    presenter.get_by_role("button", name="Create account").click()
    presenter.goto(server.url + "/groups/")
    presenter.get_by_label("Scenario").select_option(SCENARIO)
    presenter.get_by_role("button", name="Create a session").click()
    presenter.wait_for_url(re.compile(r".*/groups/[0-9a-f-]{36}/$"))
    code = presenter.locator(".k-group-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    assert presenter.locator("svg.k-qr").count() == 1
    axe_clean(presenter)

    # 30 devices open the join link; their pages load side by side, then each joins.
    phones = []
    for _ in range(PARTICIPANTS):
        context = browser.new_context(viewport={"width": 390, "height": 844})
        contexts.append(context)
        context.set_default_timeout(30_000)
        phone = context.new_page()
        phone.goto(f"{server.url}/join/?code={code}", wait_until="commit")
        phones.append(phone)
    for number, phone in enumerate(phones):
        if number == 0:
            phone.wait_for_load_state()
            axe_clean(phone)
        if number % 3 == 0:
            phone.get_by_label("Display name (optional)").fill(f"Person {number}")
        phone.get_by_role("button", name="Join").click(no_wait_after=True)
    for phone in phones:
        phone.get_by_text("Waiting for the facilitator to start").wait_for()
        phone.evaluate("window.__notReloaded = true")
    # The joins arrive on the presenter's screen without a reload.
    wait_js(presenter,
        f"document.querySelector('[data-count=joined]').textContent.trim() === '{PARTICIPANTS}'"
    )

    decisions = 0
    press(presenter, presenter.get_by_role("button", name="Start the scenario"))
    while True:
        while presenter.get_by_role("button", name="Continue").count():
            press(presenter, presenter.get_by_role("button", name="Continue"))
        if presenter.get_by_text("Open the group debrief").count():
            break
        decisions += 1
        options = presenter.locator(".k-options li").count()
        assert options >= 2
        for number, phone in enumerate(phones):
            phone.locator("form[data-live-form]").wait_for()
            # Two thirds pick the first option, the rest spread over the others.
            pick = 0 if number % 3 else 1 + number % (options - 1)
            reason = f"reason {decisions}.{number}" if number % 4 == 0 else ""
            if number < 2:  # as a person does it
                phone.locator("input[name=choice]").nth(pick).check()
                if reason:
                    phone.get_by_label("Your reason in one line (optional)").fill(reason)
                phone.get_by_role("button", name="Vote").click()
            else:  # the same form and script, in one round trip to the browser
                phone.evaluate(VOTE_JS, [pick, reason])
        for number, phone in enumerate(phones):
            phone.get_by_text("Your vote is in").wait_for()
            if decisions == 1 and number == 0:
                axe_clean(phone)
        wait_js(presenter,
            f"document.querySelector('[data-count=votes]').textContent.trim() === '{PARTICIPANTS}'"
        )
        # A participant changes their mind: the count stays right.
        phones[1].locator("input[name=choice]").nth(0).check()
        phones[1].get_by_role("button", name="Change my vote").click()
        phones[1].get_by_text("Your vote is changed").wait_for()
        assert count(presenter, "votes") == PARTICIPANTS
        if decisions == 1:
            axe_clean(presenter)
        press(presenter, presenter.get_by_role("button", name="Reveal the votes"))
        for phone in phones:
            phone.get_by_role("heading", name="The votes", exact=True).wait_for()
            assert phone.locator(".k-yours:not([hidden])").count() == 1
        if decisions == 1:
            axe_clean(phones[0])
            assert "Voting on this decision has closed" in phones[0].content()
        press(presenter, presenter.get_by_role("button", name="Show the discussion prompt"))
        phones[-1].get_by_role("heading", name="Discuss", exact=True).wait_for()
        follow = presenter.get_by_role("button", name=re.compile("^Follow the majority"))
        if follow.count():
            press(presenter, follow)
        else:
            presenter.locator("input[name=choice]").first.check()
            press(presenter, presenter.get_by_role("button", name="Follow this option"))
        for phone in phones:
            phone.get_by_text("The group chose:").first.wait_for()
        assert decisions < 10

    assert decisions >= 2
    for phone in phones:
        phone.get_by_role("link", name="See the group debrief").wait_for()
        assert phone.evaluate("window.__notReloaded === true")
    presenter.get_by_role("link", name="Open the group debrief").click()
    presenter.get_by_role("heading", name="The group's path and votes").wait_for()
    text = presenter.content()
    assert "reason 1.0" in text and "Person 0" not in text
    axe_clean(presenter)
    with presenter.expect_download() as info:
        presenter.get_by_role("link", name="Download the record (Markdown)").click()
    record = Path(info.value.path()).read_text(encoding="utf-8")
    assert (
        record.startswith("# Group session record") and f"{PARTICIPANTS} participant(s)" in record
    )
    phones[2].get_by_role("link", name="See the group debrief").click()
    phones[2].get_by_role("heading", name="The group's path and votes").wait_for()
    axe_clean(phones[2])


def test_without_javascript_a_participant_follows_with_refresh(
    chromium: Any, live_server_proc: LiveServer
) -> None:
    from web.test_groups_live import Facilitator

    fac = Facilitator(live_server_proc.port, "room-no-js")
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(20_000)
    try:
        phone = context.new_page()
        phone.goto(f"{live_server_proc.url}/join/?code={fac.code}")
        phone.get_by_role("button", name="Join").click()
        phone.get_by_text("Waiting for the facilitator to start").wait_for()
        page = fac.act("start")
        while 'value="advance"' in page:
            page = fac.act("advance")
        phone.get_by_role("link", name="Refresh").click()
        phone.locator("input[name=choice]").first.check()
        phone.get_by_label("Your reason in one line (optional)").fill("no script needed")
        phone.get_by_role("button", name="Vote").click()
        phone.get_by_text("Your vote is in").wait_for()
        fac.act("reveal")
        phone.get_by_role("link", name="Refresh").click()
        phone.get_by_role("heading", name="The votes", exact=True).wait_for()
        assert phone.locator(".k-yours:not([hidden])").count() == 1
        assert "100%" in phone.content()
    finally:
        context.close()
