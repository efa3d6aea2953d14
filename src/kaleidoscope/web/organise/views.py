"""Pages of Organise: the lead's assessments and the staff survey.

Everything is plain HTML forms and links; nothing needs JavaScript. The lead must be
signed in and can only reach their own assessments (anything else is a 404). Staff need
no account: a random token in a cookie marks the browser, and only its hash with the
assessment's id is stored, so one browser counts once.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import IntegrityError
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaleidoscope.organise import exports
from kaleidoscope.organise.results import MIN_RESPONSES, compare, gaps
from kaleidoscope.organise.validate import bundled_cases
from kaleidoscope.web.core.auth import account
from kaleidoscope.web.groups.services import new_code, normalise_code
from kaleidoscope.web.groups.views import qr_svg
from kaleidoscope.web.learn.services import write_transaction

from . import presenters
from .forms import AnswersForm, OpenForm
from .models import Assessment, SurveyResponse
from .presenters import msg

COOKIE = "korganise"
COOKIE_MAX_AGE = 60 * 60 * 24 * 180
SURVEY_DAYS = int(getattr(settings, "ORGANISE_SURVEY_DAYS", 30))
SURVEY_CACHE_SECONDS = 10


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _base(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {"w": presenters.words(), "msg": msg, "minimum": MIN_RESPONSES, **extra}


def _own(request: HttpRequest, assessment_id: uuid.UUID | str) -> Assessment:
    row = Assessment.objects.filter(pk=assessment_id, owner=account(request)).first()
    if row is None:
        raise Http404("no such assessment")
    return row


def _download(data: bytes | str, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _slug(row: Assessment) -> str:
    text = "".join(ch if ch.isalnum() else "-" for ch in row.organisation.lower())
    return "-".join(part for part in text.split("-") if part)[:40] or "organisation"


# --- the lead -----------------------------------------------------------------------------
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    rows: list[Assessment] = []
    if isinstance(request.user, User):
        rows = list(Assessment.objects.filter(owner=request.user)[:50])
    return render(request, "organise/index.html", _base(request, rows=rows, form=OpenForm()))


@require_POST
@login_required
def create(request: HttpRequest) -> HttpResponse:
    user = account(request)
    form = OpenForm.bind(request.POST)
    if form.errors:
        rows = list(Assessment.objects.filter(owner=user)[:50])
        return render(
            request, "organise/index.html", _base(request, rows=rows, form=form), status=400
        )
    for _attempt in range(10):
        try:
            with write_transaction():
                row = Assessment.objects.create(
                    owner=user,
                    organisation=form.organisation,
                    approver=form.approver,
                    code=new_code(),
                    closes_at=timezone.now() + timedelta(days=SURVEY_DAYS),
                )
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - 10 collisions in a 31^6 space
        raise RuntimeError("could not draw a free survey code")
    messages.success(request, msg("created"))
    return _see_other(reverse("organise:lead", args=[row.id]))


def _survey_problem(row: Assessment | SurveyInfo) -> str | None:
    if not row.survey_open:
        return msg("closed", organisation=row.organisation)
    if row.closes_at < timezone.now():
        return msg("expired", organisation=row.organisation, date=row.closes_at.date().isoformat())
    return None


@require_GET
@login_required
def lead(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    row = _own(request, assessment_id)
    link = request.build_absolute_uri(reverse("organise:survey", args=[row.code]))
    return render(
        request,
        "organise/lead.html",
        _base(request, row=row, join_link=link, qr=qr_svg(link), problem=_survey_problem(row)),
    )


@require_http_methods(["GET", "POST"])
@login_required
def lead_answers(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    row = _own(request, assessment_id)
    values: dict[str, str] = dict(row.lead_answers or {})
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = AnswersForm.bind(presenters.instrument(), "lead", request.POST)
        if form.valid:
            with write_transaction():
                Assessment.objects.filter(pk=row.pk).update(lead_answers=form.values)
            messages.success(request, msg("lead_saved"))
            return _see_other(reverse("organise:results", args=[row.id]))
        values, errors, status = form.values, form.errors, 400
    ctx = _base(
        request,
        row=row,
        questions=presenters.questions_html("lead", values, errors),
        errors=[{"text": t, "href": f"#{k}"} for k, t in errors.items()],
    )
    return render(request, "organise/lead_answers.html", ctx, status=status)


@require_GET
@login_required
def results(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    row = _own(request, assessment_id)
    return render(
        request, "organise/results.html", _base(request, **presenters.results_context(row))
    )


@require_GET
@login_required
def policy(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    row = _own(request, assessment_id)
    result = presenters.scored(row)
    draft = presenters.policy_for(result, row)
    return render(
        request, "organise/policy.html", _base(request, row=row, draft=draft, result=result)
    )


@require_GET
@login_required
def download(request: HttpRequest, assessment_id: str, what: str, fmt: str) -> HttpResponse:
    row = _own(request, assessment_id)
    result = presenters.scored(row)
    name = f"{_slug(row)}-{what}.{fmt}"
    if what == "policy":
        draft = presenters.policy_for(result, row)
        if fmt == "md":
            return _download(exports.policy_markdown(draft), name, "text/markdown; charset=utf-8")
        if fmt == "pdf":
            return _download(exports.policy_pdf(draft), name, "application/pdf")
        if fmt == "docx":
            return _download(
                exports.policy_docx(draft),
                name,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
    elif what == "plan":
        plan = presenters.plan_for(result, row)
        if fmt == "md":
            body = exports.report_markdown(
                result, compare(result), gaps(result), plan, organisation=row.organisation
            )
            return _download(body, name, "text/markdown; charset=utf-8")
        if fmt == "csv":
            return _download(exports.plan_csv(plan), name, "text/csv; charset=utf-8")
        if fmt == "pdf":
            return _download(
                exports.plan_pdf(result, plan, organisation=row.organisation),
                name,
                "application/pdf",
            )
    raise Http404("no such export")


@require_GET
@login_required
def responses_csv(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    """Every staff response, one row each, in a shuffled order; only from the threshold."""
    row = _own(request, assessment_id)
    answers = presenters.staff_answers(row)
    if len(answers) < MIN_RESPONSES:
        messages.warning(request, msg("export_below", n=len(answers)))
        return _see_other(reverse("organise:lead", args=[row.id]))
    secrets.SystemRandom().shuffle(answers)
    questions = [q.id for q in presenters.instrument().questions]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(questions)
    for answer in answers:
        writer.writerow([answer.get(q, "") for q in questions])
    return _download(buffer.getvalue(), f"{_slug(row)}-responses.csv", "text/csv; charset=utf-8")


@require_POST
@login_required
def close(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    row = _own(request, assessment_id)
    with write_transaction():
        Assessment.objects.filter(pk=row.pk, survey_open=True).update(
            survey_open=False, closed_at=timezone.now()
        )
    _forget(row)
    messages.success(request, msg("closed_done"))
    return _see_other(reverse("organise:lead", args=[row.id]))


@require_http_methods(["GET", "POST"])
@login_required
def delete(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    row = _own(request, assessment_id)
    if request.method == "POST":
        with write_transaction():
            row.delete()
        _forget(row)
        messages.success(request, msg("deleted"))
        return _see_other(reverse("organise:index"))
    return render(request, "organise/delete.html", _base(request, row=row))


@require_GET
def case_studies(request: HttpRequest) -> HttpResponse:
    inst = presenters.instrument()
    cases = [(inst.theme(c.theme), c) for c in bundled_cases().cases]
    return render(request, "organise/cases.html", _base(request, cases=cases))


# --- staff --------------------------------------------------------------------------------
def _marker(request: HttpRequest) -> tuple[str, bool]:
    token = request.COOKIES.get(COOKIE, "")
    if len(token) < 20 or len(token) > 64 or not token.replace("-", "").replace("_", "").isalnum():
        return secrets.token_urlsafe(24), True
    return token, False


def _marker_hash(row: SurveyInfo, token: str) -> str:
    return hashlib.sha256(f"organise|{row.id}|{token}".encode()).hexdigest()


def _set_marker(response: HttpResponse, token: str) -> HttpResponse:
    response.set_cookie(
        COOKIE,
        token,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    raw = (request.POST.get("code") or request.GET.get("code") or "")[:40]
    error = None
    if raw or request.method == "POST":
        code = normalise_code(raw)
        if code is None:
            error = msg("code_format")
        elif not Assessment.objects.filter(code=code).exists():
            error = msg("code_unknown", code=code)
        else:
            return _see_other(reverse("organise:survey", args=[code]))
    status = 400 if error else 200
    return render(
        request, "organise/join.html", _base(request, code=raw, error=error), status=status
    )


@dataclass(frozen=True)
class SurveyInfo:
    """What the staff survey pages need of an assessment, cached for a few seconds so a
    respondent opening the form costs no database work. The submit re-checks that the
    survey is open in its own UPDATE, so a stale entry can never count a late answer."""

    id: uuid.UUID
    code: str
    organisation: str
    survey_open: bool
    closes_at: datetime


def _cache_key(code: str) -> str:
    return f"organise:survey:{code}"


def _forget(row: Assessment) -> None:
    cache.delete(_cache_key(row.code))


def _survey_row(code: str, *, fresh: bool = False) -> SurveyInfo:
    normal = normalise_code(code)
    if normal is None:
        raise Http404("no such survey")
    info: SurveyInfo | None = None if fresh else cache.get(_cache_key(normal))
    if info is None:
        row = Assessment.objects.filter(code=normal).first()
        if row is None:
            raise Http404("no such survey")
        info = SurveyInfo(row.id, row.code, row.organisation, row.survey_open, row.closes_at)
        cache.set(_cache_key(normal), info, SURVEY_CACHE_SECONDS)
    return info


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, code: str) -> HttpResponse:
    row = _survey_row(code)
    token, fresh = _marker(request)
    problem = _survey_problem(row)
    if problem:
        response = render(
            request,
            "organise/survey_closed.html",
            _base(request, row=row, problem=problem),
            status=410,
        )
        return response
    marker = _marker_hash(row, token)
    if request.method == "GET":
        if (
            not fresh
            and SurveyResponse.objects.filter(assessment_id=row.id, marker=marker).exists()
        ):
            response = render(
                request, "organise/survey_done.html", _base(request, row=row, already=True)
            )
        else:
            response = render(request, "organise/survey.html", _survey_ctx(request, row, {}, {}))
        return _set_marker(response, token) if fresh else response
    form = AnswersForm.bind(presenters.instrument(), "staff", request.POST)
    if not form.valid:
        response = render(
            request,
            "organise/survey.html",
            _survey_ctx(request, row, form.values, form.errors),
            status=400,
        )
        return _set_marker(response, token) if fresh else response
    # One conditional UPDATE checks that the survey is still open and counts the
    # response; the unique (assessment, marker) constraint refuses a second response
    # from the same browser, and the count goes back with it (one transaction).
    try:
        with write_transaction():
            counted = Assessment.objects.filter(
                pk=row.id, survey_open=True, closes_at__gt=timezone.now()
            ).update(response_count=F("response_count") + 1)
            if counted:
                SurveyResponse.objects.create(
                    assessment_id=row.id, marker=marker, answers=form.values
                )
    except IntegrityError:
        response = render(
            request, "organise/survey_done.html", _base(request, row=row, already=True), status=409
        )
        return _set_marker(response, token) if fresh else response
    if not counted:
        row = _survey_row(row.code, fresh=True)
        return render(
            request,
            "organise/survey_closed.html",
            _base(request, row=row, problem=_survey_problem(row)),
            status=410,
        )
    response = _see_other(reverse("organise:thanks", args=[row.code]))
    return _set_marker(response, token) if fresh else response


@require_GET
def thanks(request: HttpRequest, code: str) -> HttpResponse:
    row = _survey_row(code)
    return render(request, "organise/survey_done.html", _base(request, row=row, already=False))


def _survey_ctx(
    request: HttpRequest, row: SurveyInfo, values: dict[str, str], errors: dict[str, str]
) -> dict[str, Any]:
    return _base(
        request,
        row=row,
        questions=presenters.questions_html("staff", values, errors),
        errors=[{"text": t, "href": f"#{k}"} for k, t in errors.items()],
    )
