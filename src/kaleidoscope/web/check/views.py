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
from typing import Any

from django.conf import settings
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
from kaleidoscope.check.records import Result
from kaleidoscope.check.report import render_report_html
from kaleidoscope.check.scan import ScanSummary, write_csv

from . import jobs, presenters, services
from .forms import DraftForm
from .services import MAX_DRAFT_CHARS, text
from .uploads import ArchiveUploadHandler, CountingStream

log = logging.getLogger(__name__)
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
        context.update(presenters.result_context(result))
    if _is_htmx(request):  # htmx swaps only 2xx answers: errors travel in the fragment
        return _private(render(request, "check/_draft_results.html", context))
    return _private(render(request, "check/draft.html", context, status=status))


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
    form = DraftForm(request.POST)
    values = form.values()
    if not form.is_valid():
        return _draft_page(request, values, form.messages(),
                           status=400 if form.tampered else 200)
    data = form.cleaned_data
    try:
        result = check_text(data["text"], data["platform"] or None, data["audience"] or None)
    except Exception as exc:  # a checker bug: say so, and log nothing of the text
        log.error("draft check failed: %s", type(exc).__name__)
        return _draft_page(request, values, {"text": text()["errors"]["check_failed"]},
                           status=500)
    return _draft_page(request, values, {}, result)


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
    counter = CountingStream(request._stream)
    request._stream = counter  # type: ignore[assignment]  # counts what Django reads
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
    started.append(True)  # from here the job owns the folder (and deletes it)
    try:
        job, report_key = jobs.start(
            owner, handler.folder, handler.original_name, handler.size
        )
    except jobs.Busy:
        return _upload_page(request, text()["errors"]["busy"], status=503)
    response = _see_other(reverse("check:report", args=[job.token]))
    # The report's key lives only in this browser: a cookie sent to this job's pages alone.
    response.set_cookie(
        jobs.key_cookie(job.token), report_key,
        max_age=int(jobs.ACTIVE_TTL + services.result_ttl()),
        path=reverse("check:report", args=[job.token]),
        secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
    )
    return response


# --- archive progress and report --------------------------------------------------------------
def _job_or_404(request: HttpRequest, token: str) -> jobs.Job:
    job = None
    if _TOKEN.match(token):
        job = jobs.get(token, services.owner_key(request))
    if job is None:
        raise Http404("no such report")
    return job


def _summary(request: HttpRequest, job: jobs.Job) -> ScanSummary | None:
    return jobs.report(job.token, request.COOKIES.get(jobs.key_cookie(job.token)))


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
                          presenters.progress_context(job, request.GET.get("said", "")))
        return _private(render(request, "check/archive_progress.html",
                               presenters.progress_context(job)))
    if _is_htmx(request):
        return _refresh()  # the scan ended: load the whole report page
    if job.state is not jobs.State.DONE:
        return _private(render(
            request, "check/archive_failed.html", {"job": job, "words": text()["archive"]},
        ))
    summary = _summary(request, job)
    if summary is None:  # expired, or this browser lacks the report's key
        return _gone(request)
    return _private(render(request, "check/archive_report.html",
                           presenters.report_context(request, job, summary)))


def _download(body: str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _private(response)


@require_GET
def report_html(request: HttpRequest, token: str) -> HttpResponse:
    summary = _summary(request, _job_or_404(request, token))
    if summary is None:
        raise Http404("no report yet")
    return _download(render_report_html(summary), "text/html; charset=utf-8",
                     "kaleidoscope-archive-report.html")


@require_GET
def report_csv(request: HttpRequest, token: str) -> HttpResponse:
    summary = _summary(request, _job_or_404(request, token))
    if summary is None:
        raise Http404("no report yet")
    out = io.StringIO()
    write_csv(summary, out)
    return _download(out.getvalue(), "text/csv; charset=utf-8",
                     "kaleidoscope-archive-findings.csv")


@require_POST
def delete(request: HttpRequest, token: str) -> HttpResponse:
    removed = _TOKEN.match(token) and jobs.remove(token, services.owner_key(request))
    if not removed:
        return _gone(request)
    response = render(request, "check/message.html", {
        "title": text()["archive"]["deleted"], "message": "", "again": True,
    })
    response.delete_cookie(jobs.key_cookie(token), path=reverse("check:report", args=[token]))
    return response
