"""Check and See in Debian's Chromium, with JavaScript on and off, checked by axe.

Paste a risky draft and read the marked words, the findings and the safer version (with
JavaScript: re-checked as you type, without pressing the button); upload a generated X
archive (big enough to show the progress page) and a Facebook one and read, filter and
download the report; go through "Who can see my post" and "Can this child be found?",
and print the report. axe-core must find no violations on any page visited.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import archive_factory as af
import pytest
from web.axe import assert_axe_clean
from web.live import LiveServer

pytestmark = pytest.mark.browser
RISKY = (
    "Home visit today: 13yo girl at Hillcrest Academy, new partner just moved in. Hungover again"
)
SCAN_TIMEOUT = 90_000


def axe_clean(page: Any, scratch_context: Any, checked: set[str]) -> None:
    assert_axe_clean(page, scratch_context, checked)


@pytest.fixture(scope="module")
def archives(tmp_path_factory: Any) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("archives")
    posts = [
        af.fb_post(1_650_000_000, "Had to restrain a service user today, Jayden, 12, at the unit"),
        af.fb_post(1_660_000_000, "Sunny day at the beach"),
    ]
    comments = [af.fb_comment(1_670_000_000, "Accepted a friend request from my client's mum")]
    return {
        # big enough that the progress page shows before the report
        "x": af.write_big_x_archive(folder / "twitter-2024.zip", 40_000),
        "facebook": af.write_zip(folder / "facebook-2024.zip",
                                 af.facebook_files([posts], comments)),
    }


def check_draft(page: Any, server: LiveServer, js: bool, axe: Any) -> None:
    page.goto(server.url + "/check/")
    axe(page)
    page.get_by_role("button", name="Check this draft").click()  # empty: an error
    assert page.locator(".govuk-error-summary").get_by_text("Enter the text").count()
    axe(page)
    page.get_by_label("Your draft post").fill(RISKY)
    page.get_by_label("Where will you post it?").select_option("facebook")
    if js:  # htmx re-checks as you type: no button pressed
        page.wait_for_selector("#results mark.k-mark")
        assert page.locator(".govuk-error-summary").count() == 1  # the page was not reloaded
    else:
        page.get_by_role("button", name="Check this draft").click()
    marks = page.locator("#marked-draft mark.k-mark")
    assert marks.count() >= 5 and marks.nth(1).inner_text() == "13yo"
    label = page.locator("#marked-draft .k-mark-ref").nth(1)
    visible = re.sub(r"\s+", "", label.inner_text().replace("marked for finding", ""))
    assert label.is_visible() and visible == "[1]"  # a number, not colour alone
    finding = page.locator("#finding-1")
    assert "Confidentiality" in finding.inner_text() and "High" in finding.inner_text()
    rewrite = finding.locator(".k-rewrite").inner_text()  # the safer version drops the details
    assert rewrite.startswith("Home visit today:") and "13yo" not in rewrite
    assert "Hillcrest" not in rewrite
    assert finding.get_by_role("link", name=re.compile("Social Work England")).count()
    page.locator("#marked-draft .k-mark-ref a").first.click()
    assert page.url.endswith("#finding-1")
    axe(page)


def check_archive(page: Any, server: LiveServer, archive: Path, axe: Any,
                  expect_progress: bool) -> None:
    page.goto(server.url + "/check/archive/")
    axe(page)
    page.get_by_role("button", name="Upload and check").click()  # no file: an error
    assert page.get_by_text("Choose an archive file to upload").count()
    page.set_input_files("#archive", str(archive))
    page.get_by_role("button", name="Upload and check").click()
    if expect_progress:
        page.wait_for_selector("h1:has-text('Checking your archive')")
        axe(page)
    page.wait_for_selector("#report-summary", timeout=SCAN_TIMEOUT)
    assert page.locator("h1").inner_text() == archive.name
    axe(page)


def check_x_report(page: Any) -> None:
    # On a 320 px phone nothing is wider than the screen (tables scroll in their region).
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1024, "height": 900})
    assert overflow <= 320, f"the report is {overflow} px wide on a 320 px phone"
    summary = page.locator("#report-summary").inner_text()
    assert "An export from X (Twitter)" in summary and "posts have findings" in summary
    assert page.locator("#findings-table").count() and page.locator("svg[role=img]").count()
    page.get_by_label("Category").select_option("confidentiality")
    page.get_by_label("Severity").select_option("high")
    page.get_by_role("button", name="Show findings").click()
    page.wait_for_url(re.compile(r"category=confidentiality"))
    assert "match these filters" in page.locator("#shown-count").inner_text()
    items = page.locator("li.k-finding")
    assert items.count() > 0
    assert all("Confidentiality" in items.nth(i).inner_text() for i in range(items.count()))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the findings (CSV)").click()
    csv = Path(download.value.path()).read_text(encoding="utf-8")
    assert csv.startswith("id,created_at,platform") and "confidentiality" in csv


def check_who_can_see(page: Any, server: LiveServer, axe: Any) -> None:
    page.goto(server.url + "/see/")
    axe(page)
    assert page.get_by_text("Platforms change their settings").count()
    page.get_by_role("link", name="Who can see my post?").click()
    axe(page)
    page.get_by_label("Facebook").check()
    page.get_by_role("button", name="Continue").click()
    axe(page)
    page.get_by_label("Friends", exact=True).check()
    page.get_by_label("Name of person 1 (optional)").fill("Sam")
    page.get_by_label("Who can see person 1's own posts?").select_option("public")
    page.get_by_label("It has a photo or video").check()
    page.get_by_role("button", name="Show who can see it").click()
    table = page.locator("#audiences")
    assert "Because you tagged Sam" in table.inner_text()
    assert "Only through a copy" in table.inner_text()
    assert page.get_by_role("heading", name="Persistence (level: high)").count()
    assert "last reviewed 2026-" in page.locator("#facts").inner_text()
    axe(page)


def check_child(page: Any, server: LiveServer, js: bool, axe: Any) -> None:
    page.goto(server.url + "/see/child/")
    axe(page)
    page.get_by_label("Instagram").check()
    page.get_by_label("Snapchat").check()
    page.check("#accounts_private-2")  # some are public
    page.check("#name_known")  # yes
    page.check("#live_location-4")  # off
    page.get_by_role("button", name="Show the report").click()
    assert page.locator("#level h2").inner_text() == "Overall: high"
    assert page.locator("#changes li").count() >= 4
    assert page.get_by_role("heading", name="Instagram").count()
    print_button = page.get_by_role("button", name="Print this report")
    assert print_button.is_visible() is js  # printing by button needs JavaScript
    axe(page)
    page.emulate_media(media="print")
    try:
        assert not page.locator(".k-header").is_visible()
        assert not page.get_by_role("button", name=re.compile("Download")).is_visible()
        assert page.locator("#changes").is_visible()
    finally:
        page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("Download the report")).click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Can this child be found?") and "Overall: high" in text


def journey(browser: Any, server: LiveServer, archives: dict[str, Path], js: bool) -> set[str]:
    context = browser.new_context(
        java_script_enabled=js, accept_downloads=True, viewport={"width": 1024, "height": 900}
    )
    context.set_default_timeout(20_000)
    scratch = browser.new_context()
    checked: set[str] = set()

    def axe(page: Any) -> None:
        axe_clean(page, scratch, checked)

    page = context.new_page()
    try:
        check_draft(page, server, js, axe)
        check_archive(page, server, archives["x"], axe, expect_progress=True)
        check_x_report(page)
        check_archive(page, server, archives["facebook"], axe, expect_progress=False)
        assert "An export from Facebook" in page.locator("#report-summary").inner_text()
        assert page.get_by_text("friend request").count()
        page.get_by_role("button", name="Delete this report now").click()
        assert page.get_by_text("have been deleted").count()
        axe(page)
        check_who_can_see(page, server, axe)
        check_child(page, server, js, axe)
    finally:
        context.close()
        scratch.close()
    return checked


def test_check_and_see_with_javascript(
    chromium: Any, live_server_proc: LiveServer, archives: dict[str, Path]
) -> None:
    checked = journey(chromium, live_server_proc, archives, True)
    assert len(checked) >= 9


def test_check_and_see_without_javascript(
    chromium: Any, live_server_proc: LiveServer, archives: dict[str, Path]
) -> None:
    checked = journey(chromium, live_server_proc, archives, False)
    assert len(checked) >= 9
