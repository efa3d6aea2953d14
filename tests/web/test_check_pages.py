"""Check in the browser, server side: drafts, archive uploads, progress, reports, bad input.

Django's test client on the real checker and scanner; the archives are real exports built by
tests/archive_factory.py. The tests at the end use the shared live server (uvicorn) for
what only a real socket shows: an upload cut off halfway, and other users being served
while a big archive is read.
"""

from __future__ import annotations

import csv as csv_module
import http.client
import io
import logging
import os
import re
import socket
import threading
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import archive_factory as af
import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django.views.debug import SafeExceptionReporterFilter
from django_tasks_db.models import DBTaskResult

from kaleidoscope.guidance.registry import load_registry
from kaleidoscope.web.check import jobs, services, tasks
from kaleidoscope.web.check.services import parse_size, segments

from .live import Learner, LiveServer

pytestmark = pytest.mark.django_db

RISKY = (
    "Home visit today: 13yo girl at Hillcrest Academy, new partner just moved in. Hungover again"
)
MARKER = "Zebedee-Quillfeather-4711"  # a name nobody else uses: must never be stored or logged
TWEETS = [
    "Home visit today: 13yo at Hillcrest Academy, mum's partner in prison",
    "Lovely walk in the hills with the dog",
    "Hungover on a home visit again",
    "My manager is useless and the council is a joke",
    "Great training day on trauma-informed practice",
]


@pytest.fixture(autouse=True)
def upload_dir(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "uploads"
    folder.mkdir(mode=0o700)
    settings.CHECK_UPLOAD_DIR = str(folder)
    return folder


def html(response: Any) -> str:
    return str(response.content.decode())


def x_archive(tmp_path: Path, name: str = "twitter-2024.zip") -> Path:
    tweets = [
        af.Tweet(id=str(100 + i), text=t, created=datetime(2022 + i % 2, 1 + i, 3, 9, tzinfo=UTC))
        for i, t in enumerate(TWEETS)
    ]
    return af.write_zip(tmp_path / name, af.x_files(tweets))


def facebook_archive(tmp_path: Path) -> Path:
    posts = [
        af.fb_post(1_650_000_000, "Had to restrain a service user today, Jayden, 12, at the unit"),
        af.fb_post(1_660_000_000, "Sunny day at the beach"),
    ]
    comments = [af.fb_comment(1_670_000_000, "Accepted a friend request from my client's mum lol")]
    return af.write_zip(tmp_path / "facebook-export.zip", af.facebook_files([posts], comments))


def upload(client: Client, path: Path, field: str = "archive") -> Any:
    with open(path, "rb") as fh:
        return client.post("/check/archive/", {field: fh})


def wait_for_report(client: Client, url: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = html(client.get(url))
        if "Checking your archive" not in page:
            return page
        time.sleep(0.05)
    raise AssertionError("the scan did not finish in time")


def run_queued() -> int:
    """What `kaleidoscope worker` does with the scans waiting on this machine's queue:
    django-tasks-db's own worker claims each row and runs it (in this thread, so that it
    sees the test's database transaction). Returns how many ran."""
    worker = tasks.new_worker(batch=True)
    ran = 0
    ready = DBTaskResult.objects.ready().filter(queue_name__in=tasks.worker_queues())
    while (row := ready.order_by("enqueued_at").first()) is not None:
        row.claim(worker.worker_id)
        worker.run_task(row)
        ran += 1
    return ran


def scan(client: Client, path: Path) -> tuple[str, str]:
    response = upload(client, path)
    assert response.status_code == 303, html(response)[:2000]
    url = response["Location"]
    assert run_queued() == 1
    return url, wait_for_report(client, url)


# --- drafts ---------------------------------------------------------------------------------
def test_draft_form(client: Client) -> None:
    page = html(client.get("/check/"))
    assert 'name="text"' in page and 'name="platform"' in page and 'name="audience"' in page
    assert "not saved, logged or sent anywhere" in page
    assert 'hx-trigger="input changed delay:500ms"' in page and 'aria-live="polite"' in page


def test_risky_draft_shows_marks_findings_guidance_and_rewrite(client: Client) -> None:
    response = client.post("/check/", {"text": RISKY, "platform": "facebook",
                                       "audience": "public"})
    assert response.status_code == 200
    page = html(response)
    # marked words carry a visible number, linked to the finding (never colour alone)
    assert re.search(r'<mark class="k-mark">13yo</mark><span class="k-mark-ref">\[<a '
                     r'class="govuk-link" href="#finding-1">', page)
    assert '<li class="k-finding k-finding--high" id="finding-1">' in page
    assert "Confidentiality" in page and "Self-disclosure" in page
    assert "jigsaw identification" in page  # the why
    rewrite = page.split('class="govuk-inset-text k-pre k-rewrite">')[1].split("</div>")[0]
    assert rewrite.startswith("Home visit today:") and "13yo" not in rewrite
    assert "Hillcrest" not in rewrite and "Hungover again" in rewrite
    swe = load_registry()["SWE-GUIDANCE"]  # the current regulators, not HCPC 2017
    assert swe.title in page and f'href="{swe.url}"' in page
    assert "HCPC" not in page
    assert "public audience" in page  # what makes it reach further
    assert "no-store" in response["Cache-Control"]


def test_safe_draft_says_so_and_keeps_the_caveat(client: Client) -> None:
    page = html(client.post("/check/", {"text": "Lovely sunset over the bay tonight"}))
    assert "Nothing in this draft matched" in page and "not a guarantee" in page
    assert "k-mark" not in page.split('id="results"')[1]


def test_htmx_recheck_answers_with_the_results_fragment_only(client: Client) -> None:
    response = client.post("/check/", {"text": RISKY}, headers={"HX-Request": "true"})
    page = html(response)
    assert response.status_code == 200 and "<html" not in page and "<mark" in page
    empty = client.post("/check/", {"text": "   "}, headers={"HX-Request": "true"})
    assert empty.status_code == 200  # htmx swaps only 2xx: the error travels in the fragment
    assert "Enter the text of your draft post" in html(empty) and "<html" not in html(empty)


def test_empty_and_too_long_drafts_get_an_error_summary(client: Client) -> None:
    empty = client.post("/check/", {"text": ""})
    assert empty.status_code == 200
    assert "There is a problem" in html(empty) and 'href="#text"' in html(empty)
    assert "Enter the text of your draft post" in html(empty)
    long = client.post("/check/", {"text": "a" * 100_001})
    assert long.status_code == 200 and "100,000 characters or fewer (it has 100,001)" in html(long)
    ok = client.post("/check/", {"text": "a " * 50_000})  # exactly 100,000: checked
    assert ok.status_code == 200 and "There is a problem" not in html(ok)


def test_a_body_far_over_the_limit_is_a_clear_page(client: Client) -> None:
    response = client.post("/check/", {"text": "x" * 3_000_000})  # over Django's 2.5 MB
    assert response.status_code == 413
    assert "far more text than the checker takes" in html(response)


@pytest.mark.parametrize("field", ["platform", "audience"])
def test_tampered_platform_or_audience_is_a_clear_error(client: Client, field: str) -> None:
    response = client.post("/check/", {"text": RISKY, field: "myspace<script>"})
    assert response.status_code == 400
    page = html(response)
    assert "There is a problem" in page and f'href="#{field}"' in page
    assert "not one of them" in page and "<script>" not in page.split("<main")[1]


def test_nothing_typed_is_stored_or_logged(client: Client, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    text = f"Visited {MARKER} at home, she is 14 and at Hillcrest Academy"
    response = client.post("/check/", {"text": text, "platform": "x"})
    assert MARKER in html(response)
    client.post("/check/", {"text": text, "platform": "nope"})
    client.post("/check/", {"text": text * 40_000})  # far over the limit
    client.post("/check/", {"text": text}, headers={"HX-Request": "true"})
    # Django's error reports (debug page, mail) hide every POST value of these views
    hidden = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert hidden and all(v == "********************" for v in hidden.values())
    assert MARKER not in caplog.text
    for model in apps.get_models():
        assert MARKER not in str(list(model.objects.values())), model
    for session in Session.objects.all():
        assert MARKER not in str(session.get_decoded())


# --- archives ---------------------------------------------------------------------------------
def test_upload_form_states_the_limit_and_what_happens_to_the_file(client: Client) -> None:
    page = html(client.get("/check/archive/"))
    assert 'enctype="multipart/form-data"' in page and "Up to 2 GB" in page
    assert "deleted as soon as the check finishes" in page


def test_x_archive_report_filters_and_downloads(
    client: Client, tmp_path: Path, upload_dir: Path
) -> None:
    url, page = scan(client, x_archive(tmp_path))
    assert "twitter-2024.zip" in page and "An export from X (Twitter)" in page
    assert "5 of your own posts" in page and "posts have findings" in page
    assert 'id="findings-table"' in page and "Employer criticism" in page
    assert '<mark class="k-mark">13yo</mark>' in page and "A safer version" in page
    assert "Posts with findings, per month" in page and "<svg" in page
    assert list(upload_dir.iterdir()) == []  # deleted as soon as the scan finished

    # The counts follow the checker's judgement: read them from the findings CSV.
    rows = list(csv_module.DictReader(io.StringIO(html(client.get(url + "findings.csv")))))
    employer = sum(1 for r in rows if r["category"] == "employer_criticism")
    assert employer >= 1 and len(rows) >= 2
    only = html(client.get(url, {"category": "employer_criticism"}))
    assert f"{employer} of {len(rows)} findings match these filters" in only
    assert "13yo</mark>" not in only
    high = html(client.get(url, {"severity": "high"}))
    assert "13yo</mark>" in high and 'class="k-finding k-finding--high"' in high
    assert 'class="k-finding k-finding--medium"' not in high
    assert 'class="k-finding k-finding--low"' not in high
    year = html(client.get(url, {"year": "2023"}))
    assert "match these filters" in year and "13yo</mark>" not in year
    bad = client.get(url, {"category": "<b>x</b>", "severity": "worst", "year": "1066",
                           "page": "lots"})
    assert bad.status_code == 200 and html(bad).count("so that filter was not applied") == 3
    assert "<b>x</b>" not in html(bad)

    report = client.get(url + "report.html")
    assert report["Content-Type"].startswith("text/html")
    assert "attachment" in report["Content-Disposition"] and "Archive check" in html(report)
    csv = client.get(url + "findings.csv")
    assert html(csv).splitlines()[0].startswith("id,created_at,platform,kind,url")
    assert len(html(csv).splitlines()) == len(rows) + 1  # a header and one row per finding
    assert f"{len(rows)} findings" in page


def test_facebook_archive_report(client: Client, tmp_path: Path) -> None:
    _, page = scan(client, facebook_archive(tmp_path))
    assert "facebook-export.zip" in page and "An export from Facebook" in page
    assert "Boundaries" in page and "friend request" in page
    assert "2 posts have findings" in page


def test_reports_belong_to_the_browser_that_uploaded_and_can_be_deleted(
    client: Client, tmp_path: Path
) -> None:
    url, _ = scan(client, x_archive(tmp_path))
    stranger = Client()
    for suffix in ("", "report.html", "findings.csv"):
        assert stranger.get(url + suffix).status_code == 404
    assert "This report is not available" in html(stranger.get(url))
    assert stranger.post(url + "delete/").status_code == 404
    assert client.get(url).status_code == 200
    deleted = client.post(url + "delete/")
    assert "have been deleted" in html(deleted)
    assert client.get(url).status_code == 404
    assert client.get("/check/archive/short/").status_code == 404


def test_not_an_archive_and_a_zip_bomb_get_clear_pages(
    client: Client, tmp_path: Path, upload_dir: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Dear diary, nothing to see here")
    _, page = scan(client, notes)
    assert "We could not check this file" in page and "not an archive" in page
    assert str(upload_dir) not in page and "upload-" not in page  # no server paths
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf, \
            zf.open("data/tweets.js", "w", force_zip64=True) as out:
        out.write(b"window.YTD.tweets.part0 = [")
        for _ in range(64):
            out.write(b" " * (1 << 20))
        out.write(b"]")
    _, page = scan(client, bomb)
    assert "zip bomb" in page and "already been deleted" in page
    assert list(upload_dir.iterdir()) == []


def test_no_file_and_a_file_in_the_wrong_field(client: Client, tmp_path: Path) -> None:
    response = client.post("/check/archive/", {})
    assert response.status_code == 200 and "Choose an archive file to upload" in html(response)
    response = upload(client, x_archive(tmp_path), field="other")
    assert "Choose an archive file to upload" in html(response)


def test_oversize_uploads_stop_early_and_leave_nothing(
    client: Client, tmp_path: Path, settings: Any, upload_dir: Path
) -> None:
    settings.CHECK_UPLOAD_MAX_BYTES = "10K"
    blob = tmp_path / "big.zip"
    blob.write_bytes(os.urandom(200_000))  # over the limit by far: refused from its length
    response = upload(client, blob)
    assert response.status_code == 413
    assert "The file is too big" in html(response) and "up to 10 KB" in html(response)
    assert list(upload_dir.iterdir()) == []
    blob.write_bytes(os.urandom(20_000))  # close to it: stopped while streaming
    response = upload(client, blob)
    assert response.status_code == 413 and list(upload_dir.iterdir()) == []


def test_uploads_need_the_csrf_token_and_leave_nothing(tmp_path: Path, upload_dir: Path) -> None:
    client = Client(enforce_csrf_checks=True)
    response = upload(client, x_archive(tmp_path))
    assert response.status_code == 403 and "form had expired" in html(response)
    assert list(upload_dir.iterdir()) == []


def test_sizes_parse() -> None:
    assert parse_size("2G") == 2 * 1024**3 and parse_size("500MB") == 500 * 1024**2
    assert parse_size(1234) == 1234 and parse_size("10k") == 10 * 1024
    for bad in ("lots", "-1", "0", ""):
        with pytest.raises(ValueError):
            parse_size(bad)


def test_overlapping_spans_share_one_mark_with_every_number() -> None:
    from kaleidoscope.check.checker import check_text

    result = check_text(RISKY)
    parts = segments(RISKY, result.findings)
    assert "".join(p.text for p in parts) == RISKY
    assert any(len(p.refs) > 1 for p in parts)  # "Home visit" raised two findings


# --- jobs across processes: the cache, the task, the key ------------------------------------
def _token(url: str) -> str:
    return url.rstrip("/").split("/")[-1]


def _cache_values() -> list[bytes]:
    """Every value in the (local memory) cache, as stored: what a dump would show."""
    store = getattr(cache, "_cache", None)
    assert isinstance(store, dict), "these tests read the local memory cache"
    return [v if isinstance(v, bytes) else repr(v).encode() for v in store.values()]


def test_the_report_is_encrypted_in_the_cache_and_its_key_only_in_the_browser(
    client: Client, tmp_path: Path
) -> None:
    tweets = [af.Tweet(id="1", text=f"Home visit to {MARKER}, 13yo, at Hillcrest Academy",
                       created=datetime(2023, 5, 1, 9, tzinfo=UTC))]
    archive = af.write_zip(tmp_path / "twitter-marker.zip", af.x_files(tweets))
    url, page = scan(client, archive)
    assert MARKER in page and "Hillcrest" in page
    token = _token(url)
    cookie = client.cookies[jobs.key_cookie(token)]
    assert cookie["path"] == url and cookie["httponly"] and cookie["samesite"] == "Lax"
    key = cookie.value
    # Nothing in the cache or the database can be read back without that key.
    assert all(MARKER.encode() not in v and key.encode() not in v for v in _cache_values())
    assert cache.get(f"check:key:{token}") is None  # the worker took it and let it go
    (row,) = DBTaskResult.objects.all()
    assert row.args_kwargs == {"args": [token], "kwargs": {}} and row.status == "SUCCESSFUL"
    for model in apps.get_models():
        assert MARKER not in str(list(model.objects.values())), model
    for session in Session.objects.all():
        assert key not in str(session.get_decoded())
    # The owner's session without the key cookie: the report cannot be read.
    del client.cookies[jobs.key_cookie(token)]
    assert client.get(url).status_code == 404
    assert client.get(url + "findings.csv").status_code == 404
    # The key without the owner's session: nor can it.
    stranger = Client()
    stranger.cookies[jobs.key_cookie(token)] = key
    assert stranger.get(url).status_code == 404
    client.cookies[jobs.key_cookie(token)] = "not-" + key
    assert client.get(url).status_code == 404
    client.cookies[jobs.key_cookie(token)] = key
    assert MARKER in html(client.get(url))


def test_the_task_queue_forgets_finished_scans_after_a_day(
    client: Client, tmp_path: Path
) -> None:
    scan(client, x_archive(tmp_path))
    old = timezone.now() - timedelta(days=2)
    DBTaskResult.objects.update(finished_at=old)
    scan(client, x_archive(tmp_path))  # each scan prunes after itself
    (row,) = DBTaskResult.objects.all()
    assert row.finished_at > old


def test_results_expire(client: Client, tmp_path: Path, settings: Any) -> None:
    settings.CHECK_RESULT_TTL = 1
    url, page = scan(client, x_archive(tmp_path))
    assert "posts have findings" in page
    time.sleep(1.2)
    assert "This report is not available" in html(client.get(url))


def test_a_busy_machine_refuses_more_uploads_and_stopped_jobs_leave_nothing(
    client: Client, tmp_path: Path, settings: Any, upload_dir: Path
) -> None:
    settings.CHECK_MAX_SCANS = 1  # one scan at a time, three waiting: four in all
    archive = x_archive(tmp_path)
    urls = []
    for _ in range(4):
        response = upload(client, archive)
        assert response.status_code == 303
        urls.append(response["Location"])
    assert len(list(upload_dir.iterdir())) == 4  # waiting for the worker
    refused = upload(client, archive)
    assert refused.status_code == 503 and "try again" in html(refused).lower()
    assert len(list(upload_dir.iterdir())) == 4  # the refused one left nothing
    for url in urls[:3]:
        assert "Waiting for a free slot" in html(client.get(url))
        assert "have been deleted" in html(client.post(url + "delete/"))
        assert "This report is not available" in html(client.get(url))
    assert run_queued() == 4
    assert list(upload_dir.iterdir()) == []
    assert "posts have findings" in wait_for_report(client, urls[3])
    # A browser keeps its last three reports; the oldest finished one goes first.
    for _ in range(3):
        scan(client, archive)
    assert "This report is not available" in html(client.get(urls[3]))


def test_a_running_scan_stops_when_its_report_is_deleted(
    client: Client, tmp_path: Path, upload_dir: Path
) -> None:
    big = af.write_big_x_archive(tmp_path / "big.zip", 60_000)
    response = upload(client, big)
    url = response["Location"]
    token = _token(url)
    worker = threading.Thread(target=jobs.run, args=(token,))  # the task's body
    worker.start()
    deadline = time.monotonic() + 30
    while "posts read so far" not in html(client.get(url)):
        assert time.monotonic() < deadline, "the scan did not start"
        time.sleep(0.02)
    assert "have been deleted" in html(client.post(url + "delete/"))
    worker.join(30)
    assert not worker.is_alive() and list(upload_dir.iterdir()) == []
    assert cache.get(f"check:job:{token}") is None and cache.get(f"check:report:{token}") is None
    assert "This report is not available" in html(client.get(url))


def test_a_scan_whose_worker_died_reads_as_stopped_and_its_file_is_swept(
    client: Client, tmp_path: Path, upload_dir: Path
) -> None:
    response = upload(client, x_archive(tmp_path))
    url = response["Location"]
    token = _token(url)
    job = jobs.Job.load(token)
    assert job is not None and (upload_dir / f"job-{token}").is_dir()
    job.state = jobs.State.RUNNING  # as a worker publishes it, then is killed: no heartbeat
    job.save(60)
    page = html(client.get(url))
    assert "We could not check this file" in page and "server checking it restarted" in page
    assert not (upload_dir / f"job-{token}").exists()
    # Leftovers of a killed process: swept at start-up (per-process cache), or by age.
    (upload_dir / "job-leftover").mkdir()
    (upload_dir / "upload-old").mkdir()
    (upload_dir / "upload-fresh").mkdir()
    os.utime(upload_dir / "upload-old", (1, 1))
    assert jobs.sweep_leftovers() == 1
    assert jobs.sweep_leftovers(startup=True) == 1
    assert [p.name for p in upload_dir.iterdir()] == ["upload-fresh"]  # may be arriving


def test_each_machine_has_its_own_queue(settings: Any) -> None:
    assert tasks.queue_name() == settings.TASK_QUEUE and len(settings.TASK_QUEUE) <= 32
    assert tasks.worker_queues()[0] == settings.TASK_QUEUE
    assert settings.TASKS["default"]["QUEUES"][0] == settings.TASK_QUEUE
    settings.CHECK_UPLOAD_DIR = None
    assert services.upload_root() == Path(settings.PRIVATE_TMP) / "uploads"


# --- on the live server -------------------------------------------------------------------------
def _multipart(csrf: str, name: str, data: bytes, boundary: str = "k4l31d0") -> tuple[bytes, bytes]:
    head = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n"
        f"{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"archive\"; "
        f"filename=\"{name}\"\r\nContent-Type: application/zip\r\n\r\n"
    ).encode()
    return head, data + f"\r\n--{boundary}--\r\n".encode()


def _live_upload(learner: Learner, name: str, data: bytes) -> str:
    learner.get("/check/archive/")  # sets the CSRF cookie
    head, tail = _multipart(learner.cookies["csrftoken"], name, data)
    status, headers, page = _raw_post(learner, head + tail)
    assert status == 303, page[:1000]
    return headers["location"]


def _raw_post(learner: Learner, body: bytes) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", learner.port, timeout=60)
    conn.request("POST", "/check/archive/", body=body, headers={
        "Content-Type": "multipart/form-data; boundary=k4l31d0",
        "Referer": f"http://127.0.0.1:{learner.port}/",
        "Cookie": "; ".join(f"{k}={v}" for k, v in learner.cookies.items()),
    })
    response = conn.getresponse()
    page = response.read().decode()
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            learner.cookies[key.strip()] = rest.split(";", 1)[0]
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, page


def test_other_users_are_served_while_archives_are_read(
    live_server_proc: LiveServer, tmp_path: Path
) -> None:
    """A big archive and a zip bomb uploaded together: meanwhile a second browser gets
    quick answers; then the bomb has a clear page and the big one a report."""
    big = af.write_big_x_archive(tmp_path / "big.zip", 25_000).read_bytes()
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf, \
            zf.open("data/tweets.js", "w", force_zip64=True) as out:
        for _ in range(64):
            out.write(b" " * (1 << 20))
    uploader = Learner(live_server_proc.port)
    big_url = _live_upload(uploader, "big.zip", big)
    bomb_url = _live_upload(uploader, "bomb.zip", bomb.getvalue())
    other = Learner(live_server_proc.port)
    slowest, checked_while_running = 0.0, 0
    while True:
        page = uploader.get(big_url)
        running = "Checking your archive" in page
        for path in ("/healthz", "/check/", "/see/"):
            began = time.perf_counter()
            assert other.request("GET", path)[0] == 200
            slowest = max(slowest, time.perf_counter() - began)
        if not running:
            break
        checked_while_running += 1
        time.sleep(0.2)
    assert checked_while_running >= 1, "the scan ended before other pages were fetched"
    assert slowest < 2.0, f"another user waited {slowest:.2f}s during a scan"
    assert "posts have findings" in page
    bomb_page = uploader.get(bomb_url)
    assert "zip bomb" in bomb_page and "We could not check this file" in bomb_page
    assert list((live_server_proc.data_dir / "tmp" / "uploads").iterdir()) == []


def _open_in(pid: int, folder: Path) -> list[str]:
    """Files the process has open in ``folder`` (a spooled body is unnamed: O_TMPFILE)."""
    found = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(f"{folder}/"):
            found.append(target)
    return found


def test_an_upload_cut_off_halfway_leaves_no_files(live_server_proc: LiveServer) -> None:
    """Django spools a large request body to the private temp area while it arrives (an
    unnamed file: only the process's open files show it); a client that goes away halfway
    leaves nothing there, nor in uploads/."""
    learner = Learner(live_server_proc.port)
    learner.get("/check/archive/")
    head, tail = _multipart(learner.cookies["csrftoken"], "half.zip", os.urandom(8_000_000))
    private_tmp = live_server_proc.data_dir / "tmp"
    uploads = private_tmp / "uploads"
    assert live_server_proc.proc is not None
    pid = live_server_proc.proc.pid
    before = set(private_tmp.iterdir())
    sock = socket.create_connection(("127.0.0.1", live_server_proc.port))
    sock.sendall(
        (f"POST /check/archive/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
         f"Cookie: csrftoken={learner.cookies['csrftoken']}\r\n"
         f"Referer: http://127.0.0.1:{live_server_proc.port}/\r\n"
         "Content-Type: multipart/form-data; boundary=k4l31d0\r\n"
         f"Content-Length: {len(head) + len(tail)}\r\n\r\n").encode() + head
    )
    sock.sendall(tail[:4_000_000])  # half the file (past the in-memory limit), then gone
    deadline = time.monotonic() + 10
    while not _open_in(pid, private_tmp) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _open_in(pid, private_tmp), "the body never reached the private area"
    sock.close()
    deadline = time.monotonic() + 10
    while _open_in(pid, private_tmp) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _open_in(pid, private_tmp) == []
    assert set(private_tmp.iterdir()) == before
    assert list(uploads.iterdir()) == []
    assert Learner(live_server_proc.port).request("GET", "/healthz")[0] == 200
