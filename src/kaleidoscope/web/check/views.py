"""Check pages: a draft checker and an archive report. Thin: the footprint package does the
analysis; these views read forms, call it, and render.

Privacy: nothing typed or uploaded is stored in the database, the session or a log. Every
view that receives text or a file is marked ``sensitive_post_parameters`` so Django's error
reports never include the request body; the upload lives in a private temp folder only
while it is read.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from datetime import datetime
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    UnreadablePostError,
)
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaleidoscope.check.checker import check_text
from kaleidoscope.check.records import Category, Finding, Result
from kaleidoscope.check.report import chart_svg, render_report_html
from kaleidoscope.check.scan import ScanSummary, write_csv

from . import jobs, services
from .services import MAX_DRAFT_CHARS, SEVERITIES_DOWN, text
from .uploads import ArchiveUploadHandler, CountingStream

log = logging.getLogger(__name__)
PER_PAGE = 50
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _private(response: HttpResponse) -> HttpResponse:
    """Results hold the person's words: no shared caches, no stored copies."""
    response["Cache-Control"] = "no-store, private"
    return response


# --- drafts -----------------------------------------------------------------------------------
def _finding_view(number: int, finding: Finding) -> dict[str, Any]:
    return {
        "number": number,
        "finding": finding,
        "title": services.category_title(finding.category),
        "severity": finding.severity.value,
        "quotes": [s.quote for s in finding.spans],
        "guidance": services.guidance_entries(finding.guidance),
    }


def _result_context(result: Result) -> dict[str, Any]:
    return {
        "result": result,
        "segments": services.segments(result.post.text, result.findings),
        "findings": [_finding_view(n, f) for n, f in enumerate(result.findings, 1)],
        "highest": result.severity.value,
    }


def _draft_page(
    request: HttpRequest, values: dict[str, str], errors: dict[str, str],
    result: Result | None = None, status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "values": values,
        "errors": errors,
        "platforms": services.platform_choices(),
        "audiences": services.audience_choices(),
        "max_chars": MAX_DRAFT_CHARS,
        "words": text(),
        "checked": result is not None,
    }
    if result is not None:
        context.update(_result_context(result))
    if _is_htmx(request):  # htmx swaps only 2xx answers: errors travel in the fragment
        return _private(render(request, "check/_draft_results.html", context))
    return _private(render(request, "check/draft.html", context, status=status))


def _read_draft(data: Any) -> tuple[dict[str, str], dict[str, str], bool]:
    """The draft form's values, its errors, and whether a value was tampered with."""
    words = text()["errors"]
    values = {
        "text": str(data.get("text", "")).replace("\r\n", "\n"),
        "platform": str(data.get("platform", "")),
        "audience": str(data.get("audience", "")),
    }
    errors: dict[str, str] = {}
    tampered = False
    if values["platform"] and values["platform"] not in dict(services.platform_choices()):
        errors["platform"] = words["bad_platform"]
        values["platform"], tampered = "", True
    if values["audience"] and values["audience"] not in dict(services.audience_choices()):
        errors["audience"] = words["bad_audience"]
        values["audience"], tampered = "", True
    length = len(values["text"])
    if not values["text"].strip():
        errors["text"] = words["text_empty"]
    elif length > MAX_DRAFT_CHARS:
        errors["text"] = words["text_too_long"].format(limit=MAX_DRAFT_CHARS, length=length)
    return values, errors, tampered


@csrf_exempt
@sensitive_post_parameters()
@never_cache
def draft(request: HttpRequest) -> HttpResponse:
    """GET the form; POST a draft to see its findings (with htmx: the results only)."""
    if request.method == "POST":
        # Read the body here, before the CSRF check, so that a body far over the limit
        # becomes a clear page rather than Django's bare 400.
        try:
            request.POST  # noqa: B018 (parses the body)
        except RequestDataTooBig:
            error = text()["errors"]["body_too_big"].format(limit=MAX_DRAFT_CHARS)
            return _draft_page(request, {"text": "", "platform": "", "audience": ""},
                               {"text": error}, status=413)
        except (UnreadablePostError, MultiPartParserError):
            return _draft_page(request, {"text": "", "platform": "", "audience": ""},
                               {"text": text()["errors"]["unreadable"]}, status=400)
    return _draft_checked(request)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _draft_checked(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _draft_page(request, {"text": "", "platform": "", "audience": ""}, {})
    values, errors, tampered = _read_draft(request.POST)
    if errors:
        return _draft_page(request, values, errors, status=400 if tampered else 200)
    try:
        result = check_text(values["text"], values["platform"] or None, values["audience"] or None)
    except Exception as exc:  # a checker bug: say so, and log nothing of the text
        log.error("draft check failed: %s", type(exc).__name__)
        return _draft_page(request, values, {"text": text()["errors"]["check_failed"]},
                           status=500)
    return _draft_page(request, values, errors, result)


# --- archive upload ---------------------------------------------------------------------------
def _upload_page(
    request: HttpRequest, error: str = "", status: int = 200, title: str = ""
) -> HttpResponse:
    limit = services.upload_limit()
    return render(
        request,
        "check/archive_upload.html",
        {
            "error": error,
            "error_title": title,
            "limit": limit,
            "limit_text": services.human_size(limit),
            "words": text(),
        },
        status=status,
    )


@csrf_exempt
@sensitive_post_parameters()
@never_cache
def archive(request: HttpRequest) -> HttpResponse:
    """GET the upload form; POST an archive: stream it to disk, start the scan, redirect."""
    if request.method != "POST":
        return _archive_form(request)
    limit = services.upload_limit()
    handler = ArchiveUploadHandler(request, limit)
    # The handler must be in place before anything reads the body (the CSRF check reads
    # request.POST), hence csrf_exempt here and csrf_protect on the inner view.
    request.upload_handlers = [handler]
    counter = CountingStream(request._stream)  # type: ignore[attr-defined]
    request._stream = counter  # type: ignore[attr-defined]
    handed_over = False
    words = text()
    try:
        try:
            request.POST  # noqa: B018 (streams the upload through the handler)
        except (UnreadablePostError, MultiPartParserError, RequestDataTooBig, OSError):
            return _upload_page(request, words["errors"]["unreadable"], status=400)
        if handler.too_big:
            return _upload_page(
                request,
                words["archive"]["too_big"].format(limit=services.human_size(limit)),
                status=413,
                title=words["archive"]["too_big_title"],
            )
        expected = int(request.META.get("CONTENT_LENGTH") or 0)
        if counter.count < expected:
            return _upload_page(
                request, words["errors"]["interrupted"], status=400,
                title=words["archive"]["interrupted_title"],
            )
        started: list[bool] = []
        response = _archive_start(request, handler, started)
        handed_over = bool(started)
        return response
    finally:
        if not handed_over:
            handler.discard()


@require_GET
def _archive_form(request: HttpRequest) -> HttpResponse:
    return _upload_page(request)


@csrf_protect
@require_POST
def _archive_start(
    request: HttpRequest, handler: ArchiveUploadHandler, started: list[bool]
) -> HttpResponse:
    if not handler.complete or handler.path is None or handler.folder is None:
        return _upload_page(request, text()["errors"]["no_file"], status=200)
    owner = services.owner_key(request, create=True)
    try:
        job = jobs.store().start(
            owner, handler.path, handler.folder, handler.original_name, handler.size
        )
    except jobs.Busy:
        return _upload_page(request, text()["errors"]["busy"], status=503)
    started.append(True)  # the job owns the file now and deletes it when the scan ends
    return _see_other(reverse("check:report", args=[job.token]))


# --- archive progress and report --------------------------------------------------------------
def _job_or_404(request: HttpRequest, token: str) -> jobs.Job:
    job = None
    if _TOKEN.match(token):
        job = jobs.store().get(token, services.owner_key(request))
    if job is None:
        raise Http404("no such report")
    return job


def _refresh() -> HttpResponse:
    response = HttpResponse(status=204)
    response["HX-Refresh"] = "true"
    return response


def _gone(request: HttpRequest) -> HttpResponse:
    words = text()["archive"]
    return render(
        request, "check/message.html",
        {"title": words["gone_title"], "message": words["gone"]}, status=404,
    )


def _stage(job: jobs.Job) -> str:
    """Where the scan is, in steps coarse enough to announce each one once."""
    if job.state is jobs.State.QUEUED:
        return "queued"
    percent = job.percent
    if percent is None or percent < 25:
        return "started"
    if percent < 50:
        return "quarter"
    if percent < 75:
        return "half"
    return "three_quarters"


def _progress_context(job: jobs.Job, said: str | None = None) -> dict[str, Any]:
    """The progress page, or (``said``: the stage the browser last announced) a poll.

    The live region is told the stage only when it differs from ``said``, so a screen
    reader hears each step once rather than every second."""
    stage = _stage(job)
    return {
        "job": job,
        "stage": stage,
        "stage_text": text()["archive"]["progress"][stage],
        "announce": said is not None and said != stage,
    }


@require_GET
@never_cache
def report(request: HttpRequest, token: str) -> HttpResponse:
    try:
        job = _job_or_404(request, token)
    except Http404:
        if _is_htmx(request):
            return _refresh()
        return _gone(request)
    if job.active:
        if _is_htmx(request) and request.GET.get("poll") == "1":
            return render(request, "check/_progress.html",
                          _progress_context(job, request.GET.get("said", "")))
        return _private(render(request, "check/archive_progress.html", _progress_context(job)))
    if _is_htmx(request):
        return _refresh()  # the scan ended: load the whole report page
    if job.state is not jobs.State.DONE or job.summary is None:
        return _private(render(
            request, "check/archive_failed.html", {"job": job, "words": text()["archive"]},
        ))
    return _private(render(request, "check/archive_report.html",
                           _report_context(request, job, job.summary)))


def _report_context(request: HttpRequest, job: jobs.Job, summary: ScanSummary) -> dict[str, Any]:
    words = text()["errors"]
    items: list[tuple[Result, Finding]] = [
        (r, f) for r in summary.flagged for f in r.findings
    ]
    years = sorted({r.post.created_at.year for r, _ in items if r.post.created_at}, reverse=True)
    notes: list[str] = []
    category = request.GET.get("category", "")
    if category and category not in {c.value for c in Category}:
        notes.append(words["filter"].format(what="category", value=category[:40]))
        category = ""
    severity = request.GET.get("severity", "")
    if severity and severity not in {s.value for s in SEVERITIES_DOWN}:
        notes.append(words["filter"].format(what="severity", value=severity[:40]))
        severity = ""
    year = request.GET.get("year", "")
    if year and not (year.isdigit() and int(year) in years):
        notes.append(words["filter"].format(what="year with findings", value=year[:40]))
        year = ""
    shown = [
        (r, f) for r, f in items
        if (not category or f.category.value == category)
        and (not severity or f.severity.value == severity)
        and (not year or (r.post.created_at is not None and r.post.created_at.year == int(year)))
    ]
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    pages = max(1, -(-len(shown) // PER_PAGE))
    page = min(page, pages)
    filters = {k: v for k, v in (("category", category), ("severity", severity), ("year", year))
               if v}
    months = summary.risky_by_month()
    chart_title = services.report_words()["chart_title"]
    return {
        "job": job,
        "summary": summary,
        "kinds": [(k.value, n) for k, n in summary.posts_by_kind.items()],
        "table": [
            (c.value, services.category_title(c), [by.get(s, 0) for s in SEVERITIES_DOWN])
            for c, by in summary.findings.items()
        ],
        "severities": [s.value for s in SEVERITIES_DOWN],
        "severity_words": services.report_words()["severities"],
        "categories": [(c.value, services.category_title(c)) for c in Category],
        "category_about": {
            c.value: services.report_words()["categories"][c.value]["about"] for c in Category
        },
        "years": years,
        "filters": filters,
        "notes": notes,
        "total": len(items),
        "shown_count": len(shown),
        "shown": [
            _archive_item(r, f) for r, f in shown[(page - 1) * PER_PAGE : page * PER_PAGE]
        ],
        "page": page,
        "pages": pages,
        "first_number": (page - 1) * PER_PAGE + 1,
        "chart": chart_svg(months, chart_title) if months else "",
        "chart_title": chart_title,
        "months": [(m, n) for m, n in months.items() if n],
        "by_category": Counter(f.category.value for _, f in items),
    }


def _archive_item(result: Result, finding: Finding) -> dict[str, Any]:
    post = result.post
    created: datetime | None = post.created_at
    return {
        "post": post,
        "date": f"{created:%d %B %Y, %H:%M} UTC" if created else "",
        "iso": created.isoformat() if created else "",
        "url": post.url if post.url and post.url.startswith(("https://", "http://")) else "",
        "segments": services.segments(post.text, [finding]),
        "finding": finding,
        "title": services.category_title(finding.category),
        "severity": finding.severity.value,
        "quotes": [s.quote for s in finding.spans],
        "guidance": services.guidance_entries(finding.guidance),
        "amplifiers": result.amplifiers,
    }


def _download(job: jobs.Job, body: str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _private(response)


@require_GET
def report_html(request: HttpRequest, token: str) -> HttpResponse:
    job = _job_or_404(request, token)
    if job.summary is None:
        raise Http404("no report yet")
    return _download(job, render_report_html(job.summary), "text/html; charset=utf-8",
                     "kaleidoscope-archive-report.html")


@require_GET
def report_csv(request: HttpRequest, token: str) -> HttpResponse:
    job = _job_or_404(request, token)
    if job.summary is None:
        raise Http404("no report yet")
    out = io.StringIO()
    write_csv(job.summary, out)
    return _download(job, out.getvalue(), "text/csv; charset=utf-8",
                     "kaleidoscope-archive-findings.csv")


@require_POST
def delete(request: HttpRequest, token: str) -> HttpResponse:
    removed = _TOKEN.match(token) and jobs.store().remove(token, services.owner_key(request))
    if not removed:
        return _gone(request)
    return render(request, "check/message.html", {
        "title": text()["archive"]["deleted"], "message": "", "again": True,
    })
