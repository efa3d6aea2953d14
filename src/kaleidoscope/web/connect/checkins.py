"""Mood check-ins: record, see the trend, share with a named practitioner (scope, end
date), withdraw, read the audit log, export (CSV, PDF) and delete everything."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaleidoscope.connect.consent import Scope, ShareState, share_state, shared_days
from kaleidoscope.connect.scales import bundled_scales
from kaleidoscope.web.core import pdf as pdfdoc
from kaleidoscope.web.core.auth import account

from . import presenters, services
from .forms import BACK_DAYS, checkin_days, checkin_form, share_form
from .models import AuditEntry, CheckIn, Person, Share
from .services import audit, msg, person_ref
from .views import gone, page, see_other

AREA = "check-ins"
TREND_DAYS = 28


def _state(share: Share) -> ShareState:
    return share_state(
        ends=share.ends, withdrawn=share.withdrawn_at is not None, today=timezone.localdate()
    )


def _mine(user: User, **ctx: Any) -> dict[str, Any]:
    today = timezone.localdate()
    since = today - timedelta(days=TREND_DAYS - 1)
    checkins = list(CheckIn.objects.filter(owner=user, day__gte=since))
    data = presenters.rows(checkins, with_notes=True)
    shares = list(Share.objects.filter(owner=user).select_related("practitioner"))
    existing = next((c for c in checkins if c.day == today), None)
    ctx.setdefault(
        "values",
        {
            "scores": {k: str(v) for k, v in (existing.scores if existing else {}).items()},
            "note": services.unseal(existing.note_token) if existing else "",
            "day": today.isoformat(),
        },
    )
    ctx.setdefault("errors", {})
    return {
        "scales": bundled_scales().scales,
        "columns": presenters.scale_columns(),
        "rows": list(reversed(data)),
        "chart": presenters.chart(data, "Your check-ins over the last four weeks"),
        "shares": [(s, _state(s)) for s in shares],
        "days": checkin_days(today),
        "day_label": presenters.day_label,
        "back_days": BACK_DAYS,
        "note_max": bundled_scales().note_max_chars,
        **ctx,
    }


@require_http_methods(["GET", "POST"])
@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = account(request)
    if request.method == "GET":
        return page(request, "connect/checkins.html", _mine(user))
    form = checkin_form(request.POST, timezone.localdate())
    if not form.ok:
        values = dict(form.values)
        values["scores"] = {k: str(request.POST.get(k, ""))[:3] for k in form.values["scores"]}
        values["scores"].update({k: str(v) for k, v in form.values["scores"].items()})
        values["day"] = str(request.POST.get("day", ""))[:20]
        return page(
            request,
            "connect/checkins.html",
            _mine(user, values=values, errors=form.errors),
            status=400,
        )
    _, created = CheckIn.objects.update_or_create(
        owner=user,
        day=form.values["day"],
        defaults={
            "scores": form.values["scores"],
            "note_token": services.seal(form.values["note"]),
        },
    )
    messages.success(request, msg("checkin_saved" if created else "checkin_updated"))
    return see_other(reverse("connect:checkins"))


@require_http_methods(["GET", "POST"])
@login_required
def share(request: HttpRequest) -> HttpResponse:
    user = account(request)
    today = timezone.localdate()
    if request.method == "GET":
        values = {
            "practitioner": "",
            "scope": Scope.SCORES.value,
            "covers_from": (today - timedelta(days=6)).isoformat(),
            "ends": (today + timedelta(days=7)).isoformat(),
        }
        return page(
            request, "connect/share.html", {"values": values, "errors": {}, "scopes": list(Scope)}
        )
    form = share_form(request.POST, user, today)
    if not form.ok:
        return page(
            request,
            "connect/share.html",
            {"values": form.values, "errors": form.errors, "scopes": list(Scope)},
            status=400,
        )
    made = Share.objects.create(
        owner=user,
        practitioner=form.values["user"],
        scope=form.values["scope"],
        covers_from=form.values["first"],
        ends=form.values["last"],
    )
    name = made.practitioner.get_username()
    audit(
        person_ref(user),
        AREA,
        "you",
        f"shared check-ins ({Scope(made.scope).label.lower()}) with {name} until {made.ends}",
    )
    messages.success(
        request,
        msg(
            "share_made",
            name=name,
            first=presenters.day_label(made.covers_from),
            ends=presenters.day_label(made.ends),
        ),
    )
    return see_other(reverse("connect:checkins"))


@require_POST
@login_required
def withdraw(request: HttpRequest, share_id: int) -> HttpResponse:
    user = account(request)
    found = Share.objects.filter(pk=share_id, owner=user).select_related("practitioner").first()
    if found is None:
        raise gone()
    if found.withdrawn_at is None:
        found.withdrawn_at = timezone.now()
        found.save(update_fields=["withdrawn_at"])
        audit(
            person_ref(user),
            AREA,
            "you",
            f"withdrew {found.practitioner.get_username()}'s access",
        )
    messages.success(request, msg("share_withdrawn", name=found.practitioner.get_username()))
    return see_other(reverse("connect:checkins"))


@require_GET
@login_required
def log(request: HttpRequest) -> HttpResponse:
    entries = list(AuditEntry.objects.filter(subject=person_ref(account(request)))[:500])
    return page(
        request,
        "connect/audit.html",
        {
            "entries": entries,
            "title": "Who has looked at your check-ins",
            "back": reverse("connect:checkins"),
            "back_text": "Back to your check-ins",
        },
    )


def _export_rows(user: User) -> list[presenters.Row]:
    return presenters.rows(list(CheckIn.objects.filter(owner=user)), with_notes=True)


@require_GET
@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    user = account(request)
    scales = bundled_scales().scales
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", *[s.id for s in scales], "note"])
    for row in _export_rows(user):
        writer.writerow(
            [
                row.day.isoformat(),
                *[row.scores.get(s.id, "") for s in scales],
                _csv_safe(row.note or ""),
            ]
        )
    audit(person_ref(user), AREA, "you", "exported check-ins (CSV)")
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="check-ins.csv"'
    return response


def _csv_safe(value: str) -> str:
    """Spreadsheets run a cell starting with = + - @ as a formula: quote it."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_GET
@login_required
def export_pdf(request: HttpRequest) -> HttpResponse:
    user = account(request)
    scales = bundled_scales().scales
    doc = pdfdoc.document("Check-ins")
    doc.set_font(pdfdoc.FAMILY, "B", 16)
    doc.multi_cell(0, 9, "Your check-ins", new_x="LMARGIN", new_y="NEXT")
    doc.set_font(pdfdoc.FAMILY, "", 10)
    doc.multi_cell(
        0,
        6,
        "Scores: "
        + "; ".join(
            f"{s.label} {s.min} ({s.low.lower()}) to {s.max} ({s.high.lower()})" for s in scales
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    doc.ln(3)
    for row in _export_rows(user):
        doc.set_font(pdfdoc.FAMILY, "B", 11)
        doc.multi_cell(
            0, 7, pdfdoc.printable(presenters.day_label(row.day)), new_x="LMARGIN", new_y="NEXT"
        )
        doc.set_font(pdfdoc.FAMILY, "", 10)
        doc.multi_cell(
            0,
            6,
            ", ".join(f"{s.label} {row.scores.get(s.id, '-')}" for s in scales),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        if row.note:
            doc.multi_cell(0, 6, pdfdoc.printable(row.note), new_x="LMARGIN", new_y="NEXT")
        doc.ln(2)
    audit(person_ref(user), AREA, "you", "exported check-ins (PDF)")
    response = HttpResponse(bytes(doc.output()), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="check-ins.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def delete(request: HttpRequest) -> HttpResponse:
    user = account(request)
    counts = {
        "checkins": CheckIn.objects.filter(owner=user).count(),
        "shares": Share.objects.filter(owner=user).count(),
    }
    if request.method == "GET":
        return page(request, "connect/delete.html", {"counts": counts, "error": None})
    if request.POST.get("confirm") != "yes":
        return page(
            request,
            "connect/delete.html",
            {"counts": counts, "error": msg("delete_confirm_needed")},
            status=400,
        )
    with transaction.atomic():
        ref = person_ref(user)
        audit(ref, AREA, "you", "deleted every check-in and share")
        CheckIn.objects.filter(owner=user).delete()
        Share.objects.filter(owner=user).delete()
        # A new random reference from now on: the old audit lines keep no link to you.
        Person.objects.filter(user=user).delete()
    messages.success(request, msg("deleted_everything", **counts))
    return see_other(reverse("connect:checkins"))


# --- the practitioner ---------------------------------------------------------------------
@require_GET
@login_required
def shared_list(request: HttpRequest) -> HttpResponse:
    shares = list(Share.objects.filter(practitioner=account(request)).select_related("owner"))
    return page(request, "connect/shared_list.html", {"shares": [(s, _state(s)) for s in shares]})


@require_GET
@login_required
def shared(request: HttpRequest, share_id: int) -> HttpResponse:
    user = account(request)
    found = Share.objects.filter(pk=share_id, practitioner=user).select_related("owner").first()
    if found is None:
        raise gone()
    state = _state(found)
    ref = person_ref(found.owner)
    if state is not ShareState.ACTIVE:
        audit(
            ref,
            AREA,
            user,
            f"was refused your check-ins: share {state.value}",
            allowed=False,
        )
        return page(
            request,
            "connect/message.html",
            {"title": "Not shared any more", "message": msg("share_gone")},
            status=404,
        )
    first, last = shared_days(
        covers_from=found.covers_from, ends=found.ends, today=timezone.localdate()
    )
    scope = Scope(found.scope)
    checkins = list(CheckIn.objects.filter(owner=found.owner, day__gte=first, day__lte=last))
    data = presenters.rows(checkins, with_notes=scope.includes_notes)
    audit(ref, AREA, user, f"viewed your check-ins ({scope.label.lower()}), {first} to {last}")
    return page(
        request,
        "connect/consultation.html",
        {
            "share": found,
            "scope": scope,
            "first": first,
            "last": last,
            "rows": data,
            "columns": presenters.scale_columns(),
            "chart": presenters.chart(data, f"Check-ins shared by {found.owner.get_username()}"),
            "day_label": presenters.day_label,
            "state": state,
        },
    )
