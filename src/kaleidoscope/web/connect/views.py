"""Connect's front page, the practitioner profile, and helpers every Connect view uses.

The pages for each part are in checkins.py, circles.py, chats.py and ask.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from kaleidoscope.connect.circles import field_problem
from kaleidoscope.web.core.auth import account

from .models import Practitioner
from .services import msg


def see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def page(
    request: HttpRequest, template: str, ctx: dict[str, Any], status: int = 200
) -> HttpResponse:
    ctx.setdefault("section", "connect")
    ctx.setdefault("local", timezone.localtime)
    return render(request, template, ctx, status=status)


def gone(message: str = "") -> Http404:
    return Http404(message or "not found")


def is_verified(user: User | AnonymousUser) -> bool:
    if not isinstance(user, User):
        return False
    if user.is_staff:
        return True
    return Practitioner.objects.filter(user=user, verified_at__isnull=False).exists()


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    practitioner = None
    if isinstance(request.user, User):
        practitioner = Practitioner.objects.filter(user=request.user).first()
    return page(request, "connect/index.html", {"practitioner": practitioner})


@require_http_methods(["GET", "POST"])
@login_required
def practitioner(request: HttpRequest) -> HttpResponse:
    """A user says they work in practice: role and agency (staff verify them later)."""
    user = account(request)
    mine = Practitioner.objects.filter(user=user).first()
    values = {"role": mine.role if mine else "", "agency": mine.agency if mine else ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        for name in ("role", "agency"):
            values[name] = str(request.POST.get(name, ""))[:200].strip()
            if (problem := field_problem(name, values[name])) is not None:
                errors[name] = problem
        if not errors:
            Practitioner.objects.update_or_create(user=user, defaults=values)
            messages.success(request, msg("practitioner_saved"))
            return see_other(reverse("connect:index"))
    return page(
        request,
        "connect/practitioner.html",
        {"values": values, "errors": errors, "mine": mine},
        status=400 if errors else 200,
    )
