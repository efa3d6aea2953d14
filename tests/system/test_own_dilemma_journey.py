"""An organisation's own dilemma, end to end in Debian's Chromium, JavaScript on and off.

Staff upload a Twee story with an error and see the passage and line, fix it in Twine
(here: the fixed file), upload it again and publish; a learner finds it in the library
and plays it to an ending; the staff member runs it as a group session that a phone
joins and votes in. axe must report no violations on the pages visited.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from web.axe import assert_axe_clean
from web.live import KALEIDOSCOPE, LiveServer

pytestmark = pytest.mark.browser
FIXTURES = Path(__file__).parents[1] / "fixtures" / "twine"
REVIEW = (FIXTURES / "own-review.twee").read_text("utf-8")
BROKEN = REVIEW.replace(":: Reply [ending ending-unsuccessful]", ":: Reply")
PASSWORD = "a-long-pass-phrase-42"


def sign_up(page: Any, server: LiveServer, name: str) -> None:
    page.goto(server.url + "/accounts/sign-up/")
    page.get_by_label("Username").fill(name)
    page.locator("#password1").fill(PASSWORD)
    page.locator("#password2").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/record/")


def journey(browser: Any, server: LiveServer, js: bool, tmp_path: Path) -> None:
    axe_context = browser.new_context()

    def axe(page: Any) -> None:
        assert_axe_clean(page, None if js else axe_context)

    contexts = [
        browser.new_context(java_script_enabled=js, accept_downloads=True) for _ in range(3)
    ]
    for context in contexts:
        context.set_default_timeout(20_000)
    staff, learner, phone = (context.new_page() for context in contexts)
    suffix = "js" if js else "nojs"
    try:
        # Staff: upload with an error, see passage and line, fix, publish.
        sign_up(staff, server, f"designer-{suffix}")
        subprocess.run(
            [str(KALEIDOSCOPE), "staff", f"designer-{suffix}"],
            env=server.env,
            check=True,
            capture_output=True,
        )
        staff.goto(server.url + "/staff/twine/")
        assert staff.get_by_text("up to 5 MB").count()
        axe(staff)
        broken = tmp_path / f"review-{suffix}.twee"
        broken.write_text(BROKEN, "utf-8")
        staff.get_by_label("Story file").set_input_files(str(broken))
        staff.get_by_role("button", name="Upload").click()
        staff.wait_for_url("**/staff/stories/*/")
        messages = staff.locator("#messages").inner_text()
        assert f"review-{suffix}.twee:42:1: T131 passage 'Reply'" in messages
        assert staff.get_by_role("button", name="Publish").count() == 0
        axe(staff)
        with staff.expect_download() as info:
            staff.get_by_role("link", name="Twine (Twee 3)").click()
        assert Path(info.value.path()).read_text("utf-8") == BROKEN  # the draft, as it came

        fixed = tmp_path / f"review-{suffix}-fixed.twee"
        fixed.write_text(REVIEW, "utf-8")
        staff.get_by_role("link", name="All stories").click()
        staff.get_by_label("Story file").set_input_files(str(fixed))
        staff.get_by_role("button", name="Upload").click()
        staff.wait_for_url("**/staff/stories/*/")
        assert staff.get_by_text("Ready to publish").count()
        staff.get_by_role("button", name="Publish").click()
        staff.get_by_text("Published. It is in the library now.").wait_for()
        axe(staff)

        # A learner plays it to an ending.
        learner.goto(server.url + "/scenarios/")
        learner.get_by_role("button", name="Start The online review").click()
        learner.wait_for_url("**/plays/*/")
        assert learner.get_by_text("A one-star review of the council names Jo").count()
        axe(learner)
        learner.get_by_label("tell her manager").check()
        learner.get_by_role("button", name="Choose").click()
        learner.get_by_role("link", name="See your debrief").wait_for()
        assert learner.get_by_text("The review comes down two days later.").count()
        axe(learner)

        # The staff member runs it as a group session; a phone joins and votes.
        staff.goto(server.url + "/groups/")
        staff.get_by_label("Scenario").select_option("the-online-review")
        staff.get_by_role("button", name="Create a session").click()
        staff.get_by_role("button", name="Start the scenario").wait_for()
        code = staff.locator(".k-group-code").first.inner_text().strip()
        phone.goto(f"{server.url}/join/?code={code.replace(' ', '')}")
        phone.get_by_role("button", name="Join").click()
        phone.get_by_text("Waiting for the facilitator to start").wait_for()
        staff.get_by_role("button", name="Start the scenario").click()
        staff.get_by_role("button", name="Reveal the votes").wait_for()
        if not js:
            phone.get_by_role("link", name="Refresh").click()
        phone.get_by_label("tell her manager").check()
        phone.get_by_role("button", name="Vote").click()
        phone.get_by_text("Your vote is in").wait_for()
        axe(phone)
        staff.reload()
        staff.get_by_role("button", name="Reveal the votes").click()
        staff.get_by_role("button", name="Show the discussion prompt").click()
        follow = staff.get_by_role("button", name="Follow the majority")
        if follow.count():
            follow.click()
        else:
            staff.locator("input[name=choice]").first.check()
            staff.get_by_role("button", name="Follow this option").click()
        staff.get_by_text("Open the group debrief").wait_for()
        axe(staff)
    finally:
        for context in contexts:
            context.close()
        axe_context.close()


def test_own_dilemma_with_javascript(
    chromium: Any, live_server_proc: LiveServer, tmp_path: Path
) -> None:
    journey(chromium, live_server_proc, True, tmp_path)


def test_own_dilemma_without_javascript(
    chromium: Any, live_server_proc: LiveServer, tmp_path: Path
) -> None:
    journey(chromium, live_server_proc, False, tmp_path)
