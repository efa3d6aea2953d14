"""The archive progress page tells screen readers how far the scan is, once per stage.

Django's test client against a real job, uploaded through the real page: with no worker
taking this machine's queue it waits, exactly as a queued upload does, and the test moves
its status in the cache along as the worker's progress callback would (with the worker's
heartbeat). The browser side is in tests/system/test_check_progress_journey.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import archive_factory as af
import pytest
from django.core.cache import cache
from django.test import Client

from kaleidoscope.web.check import jobs, services, tasks

pytestmark = pytest.mark.django_db
OWNER = "progress-test-owner-key-0123456789"
STAGES = ("queued", "started", "quarter", "half", "three_quarters")


def words(stage: str) -> str:
    return str(services.text()["archive"]["progress"][stage])


# --- reading the HTML -------------------------------------------------------------------------
@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parents: list[str]  # ids of the elements around it, outermost first
    text: str = ""


class _Elements(HTMLParser):
    """Every element with an id, or with hx-swap-oob, and the text inside it."""

    VOID = frozenset({"meta", "link", "input", "br", "img", "hr", "source", "col", "area", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, Element | None, str]] = []
        self.found: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        element = None
        if "id" in values or "hx-swap-oob" in values:
            parents = [i for _, _, i in self.stack if i]
            element = Element(tag, values, parents)
            self.found.append(element)
        if tag not in self.VOID:
            self.stack.append((tag, element, values.get("id", "")))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, _, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, element, _ in self.stack:
            if element is not None:
                element.text += data


def elements(page: str) -> list[Element]:
    parser = _Elements()
    parser.feed(page)
    parser.close()
    for element in parser.found:
        element.text = " ".join(element.text.split())
    return parser.found


def by_id(page: str, ident: str) -> list[Element]:
    return [e for e in elements(page) if e.attrs.get("id") == ident]


def oob(page: str) -> list[Element]:
    return [e for e in elements(page) if "hx-swap-oob" in e.attrs]


def said_in_poll_url(page: str) -> str:
    (progress,) = by_id(page, "progress")
    found = re.search(r"[?&]said=([^&]*)", progress.attrs["hx-get"])
    assert found is not None, progress.attrs["hx-get"]
    return found.group(1)


# --- a job held in a given state ----------------------------------------------------------------
@pytest.fixture
def held(client: Client, tmp_path: Path, settings: Any) -> Iterator[jobs.Job]:
    """A queued job owned by ``client``'s browser, uploaded through the page; no worker
    runs, so it waits. At the end it is deleted (cancelled) and its task run: the task
    must then stop at once and delete the upload, as it does for a real queued upload."""
    settings.CHECK_UPLOAD_DIR = str(tmp_path / "uploads")
    archive = af.write_big_x_archive(tmp_path / "twitter-2024.zip", 50)
    with open(archive, "rb") as fh:
        response = client.post("/check/archive/", {"archive": fh})
    assert response.status_code == 303
    token = response["Location"].rstrip("/").split("/")[-1]
    job = jobs.get(token, client.session[services.OWNER_KEY])
    assert job is not None and job.state is jobs.State.QUEUED
    folder = jobs.job_folder(token)
    assert folder.is_dir()
    yield job
    assert jobs.remove(job.token, client.session[services.OWNER_KEY])
    cache.delete(f"check:beat:{job.token}")
    tasks.scan_archive_job.call(job.token)  # what the worker does when its turn comes
    assert not folder.exists() and jobs.Job.load(job.token) is None


def move(job: jobs.Job, percent: int | None) -> None:
    """Where the worker's progress callback would have got to, with its heartbeat."""
    job.state = jobs.State.RUNNING
    job.bytes_total = 0 if percent is None else 10_000
    job.bytes_done = 0 if percent is None else percent * 100
    job.posts = 0 if percent is None else percent * 7
    job.save(60)
    cache.set(f"check:beat:{job.token}", True, timeout=60)


def url(job: jobs.Job) -> str:
    return f"/check/archive/{job.token}/"


def poll(client: Client, job: jobs.Job, said: str | None) -> str:
    query = "?poll=1" + ("" if said is None else f"&said={said}")
    response = client.get(url(job) + query, headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page and by_id(page, "progress")
    return page


STATES = [  # percent (None: queued), the stage it is
    ("queued", None, "queued"),
    ("unknown", "unknown", "started"),
    ("0", 0, "started"),
    ("24", 24, "started"),
    ("25", 25, "quarter"),
    ("49", 49, "quarter"),
    ("50", 50, "half"),
    ("74", 74, "half"),
    ("75", 75, "three_quarters"),
    ("100", 100, "three_quarters"),
]


def put(job: jobs.Job, percent: Any) -> None:
    if percent is None:
        assert job.state is jobs.State.QUEUED
    else:
        move(job, None if percent == "unknown" else percent)


# --- the tests ----------------------------------------------------------------------------------
def test_stage_wording_is_in_text_yaml() -> None:
    texts = [words(s) for s in STAGES]
    assert len(set(texts)) == len(STAGES) and all(t.strip() for t in texts)
    assert "quarter" in words("quarter") and "half" in words("half")
    assert "three quarters" in words("three_quarters")


@pytest.mark.parametrize(("name", "percent", "stage"), STATES, ids=[s[0] for s in STATES])
def test_the_page_has_a_polite_live_region_outside_the_swapped_part(
    client: Client, held: jobs.Job, name: str, percent: Any, stage: str
) -> None:
    put(held, percent)
    response = client.get(url(held))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Checking your archive" in page
    (region,) = by_id(page, "progress-status")
    assert region.attrs["aria-live"] == "polite"
    assert "govuk-visually-hidden" in region.attrs["class"].split()
    assert region.text == words(stage)
    assert "progress" not in region.parents  # it survives the swaps of #progress
    assert "hx-swap-oob" not in region.attrs and oob(page) == []
    assert said_in_poll_url(page) == stage


@pytest.mark.parametrize(("name", "percent", "stage"), STATES, ids=[s[0] for s in STATES])
def test_a_poll_at_the_stage_already_said_updates_nothing_else(
    client: Client, held: jobs.Job, name: str, percent: Any, stage: str
) -> None:
    put(held, percent)
    page = poll(client, held, said=stage)
    assert oob(page) == [] and "hx-swap-oob" not in page
    assert by_id(page, "progress-status") == []
    assert said_in_poll_url(page) == stage


@pytest.mark.parametrize(("name", "percent", "stage"), STATES, ids=[s[0] for s in STATES])
def test_a_poll_at_a_new_stage_updates_the_live_region_once(
    client: Client, held: jobs.Job, name: str, percent: Any, stage: str
) -> None:
    put(held, percent)
    before = STAGES[STAGES.index(stage) - 1] if stage != "queued" else "started"
    for said in (before, None, "", "nonsense<script>"):
        page = poll(client, held, said=said)
        (update,) = oob(page)
        assert update.attrs == {"id": "progress-status", "hx-swap-oob": "innerHTML"}
        assert update.text == words(stage)
        assert update.parents == []  # top level of the answer, beside #progress
        assert said_in_poll_url(page) == stage
        assert "nonsense" not in page and "<script" not in page  # `said` is never echoed


def test_following_the_polls_says_each_stage_once(client: Client, held: jobs.Job) -> None:
    """What htmx does: each poll uses the URL from the last answer. The region hears the
    stages in order, none twice, however many polls each stage lasts."""
    page = client.get(url(held)).content.decode()
    heard = [by_id(page, "progress-status")[0].text]
    said = said_in_poll_url(page)
    for percent in (None, None, "unknown", 0, 3, 10, 24, 25, 26, 40, 49, 50, 60, 75, 90, 100):
        put(held, percent)
        page = poll(client, held, said=said)
        heard += [e.text for e in oob(page)]
        said = said_in_poll_url(page)
    assert heard == [words(s) for s in STAGES]


def test_without_javascript_the_page_still_reloads_itself(client: Client, held: jobs.Job) -> None:
    for percent in (None, 50):
        if percent is not None:
            move(held, percent)
        # a plain GET (no htmx), even of the poll URL, is the whole page with its refresh
        for query in ("", "?poll=1&said=queued"):
            page = client.get(url(held) + query).content.decode()
            assert re.search(r'<noscript><meta http-equiv="refresh" content="2"></noscript>', page)
            assert "<html" in page and len(by_id(page, "progress-status")) == 1
            assert oob(page) == []
            assert by_id(page, "posts-read" if percent else "progress")


def test_the_end_of_the_scan_still_reloads_the_page(client: Client, held: jobs.Job) -> None:
    move(held, 100)
    held.state = jobs.State.FAILED  # as the worker publishes an outcome
    held.save(60)
    response = client.get(
        url(held) + "?poll=1&said=three_quarters", headers={"HX-Request": "true"}
    )
    assert response.status_code == 204 and response["HX-Refresh"] == "true"


def test_a_poll_after_the_worker_died_reloads_to_say_so(client: Client, held: jobs.Job) -> None:
    move(held, 40)
    cache.delete(f"check:beat:{held.token}")  # the worker was killed: no more heartbeats
    response = client.get(url(held) + "?poll=1&said=quarter", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    page = client.get(url(held)).content.decode()
    assert "server checking it restarted" in page and "<meta http-equiv" not in page
