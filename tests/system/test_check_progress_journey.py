"""The archive progress page's live region in Debian's Chromium (JavaScript on), on a real
upload to the live server. No test database here: Playwright's loop in this thread would
hold a connection to it."""

from __future__ import annotations

import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import archive_factory as af
import pytest
from web.test_check_progress import STAGES, words

# --- in Chromium --------------------------------------------------------------------------------
RECORD = """
document.addEventListener('DOMContentLoaded', () => {
  const region = document.getElementById('progress-status');
  if (!region) return;
  window.kHeard({kind: 'page', text: region.textContent.trim(),
                 live: region.getAttribute('aria-live')});
  new MutationObserver(() => {
    window.kHeard({kind: 'change', text: region.textContent.trim(),
                   same: document.getElementById('progress-status') === region});
  }).observe(region, {childList: true, characterData: true, subtree: true});
});
"""


@pytest.mark.browser
def test_in_chromium_the_live_region_stays_and_hears_each_stage_once(
    chromium: Any, live_server_proc: Any, tmp_path: Path
) -> None:
    archive = af.write_big_x_archive(tmp_path / "twitter-2024.zip", 150_000)
    context = chromium.new_context(java_script_enabled=True)
    context.set_default_timeout(20_000)
    heard: list[dict[str, Any]] = []

    def record(entry: dict[str, Any]) -> None:
        heard.append(entry)

    context.expose_function("kHeard", record)
    context.add_init_script(RECORD)
    page = context.new_page()
    try:
        page.goto(live_server_proc.url + "/check/archive/")
        page.set_input_files("#archive", str(archive))
        page.get_by_role("button", name="Upload and check").click()
        page.wait_for_selector("h1:has-text('Checking your archive')")
        began = time.monotonic()
        region = page.locator("#progress-status")
        assert region.get_attribute("aria-live") == "polite"
        assert (region.text_content() or "").strip() in {words(s) for s in STAGES}
        page.wait_for_selector("#report-summary", timeout=400_000)  # 150,000 posts, busy machine
        seconds = time.monotonic() - began
    finally:
        context.close()
    pages = [h for h in heard if h["kind"] == "page"]
    changes = [h for h in heard if h["kind"] == "change"]
    assert len(pages) == 1 and pages[0]["live"] == "polite"  # htmx did not reload the page
    stages = [words(s) for s in STAGES]
    texts = [pages[0]["text"]] + [c["text"] for c in changes]
    assert all(t in stages for t in texts), texts
    assert all(c["same"] for c in changes)  # the region's node was never replaced
    assert all(a != b for a, b in pairwise(texts)), texts  # nothing twice
    assert [stages.index(t) for t in texts] == sorted(stages.index(t) for t in texts)
    # 150,000 posts take several seconds (polls every second): a stage must have changed.
    assert changes, f"the scan ended {seconds:.1f}s after the page showed: no stage heard"
