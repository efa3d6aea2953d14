"""Pages of a group session: the facilitator's presenter view and the participants' phones.

Every page works as plain HTML forms and links (JavaScript off: the Refresh button); with
JavaScript a small script (static/groups/live.js) follows the session's event stream.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaleidoscope.learn.engine import PlayError
from kaleidoscope.web.core import housekeeping, ratelimit
from kaleidoscope.web.core.auth import account
from kaleidoscope.web.learn.services import library, write_transaction

from . import exports, services
from .models import GroupSession, Phase
from .services import msg

MAX_FIELD = 200


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _wants_fragment(request: HttpRequest) -> bool:
    return request.headers.get("X-Fragment") == "1"


# --- the facilitator ----------------------------------------------------------------------
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    sessions = []
    if request.user.is_authenticated:
        sessions = list(GroupSession.objects.filter(facilitator=account(request))[:20])
    return render(
        request,
        "groups/index.html",
        {
            "scenarios": list(library()),
            "sessions": sessions,
            "expired": {s.pk for s in sessions if services.is_expired(s)},
            "error": None,
        },
    )


@require_POST
@login_required
def create(request: HttpRequest) -> HttpResponse:
    scenario = library().get(request.POST.get("scenario", "")[:MAX_FIELD])
    if scenario is None:
        return render(
            request,
            "groups/index.html",
            {
                "scenarios": list(library()),
                "sessions": list(GroupSession.objects.filter(facilitator=account(request))[:20]),
                "expired": set(),
                "error": "Select a scenario for the session.",
            },
            status=400,
        )
    session = services.create_session(account(request), scenario)
    messages.success(request, msg("session_created"))
    return _see_other(reverse("groups:present", args=[session.id]))


def _own_session(request: HttpRequest, session_id: Any, for_update: bool = False) -> GroupSession:
    query = GroupSession.objects.filter(pk=session_id, facilitator=account(request))
    if for_update:
        query = query.select_for_update()
    session = query.first()
    if session is None:
        raise Http404("no such session")
    return session


def join_url(request: HttpRequest, session: GroupSession) -> str:
    return request.build_absolute_uri(reverse("groups:join") + f"?code={session.code}")


def qr_svg(url: str) -> str:
    svg: str = segno.make(url, error="m").svg_inline(
        scale=6, border=2, dark="#0b0c0c", light="#ffffff", omitsize=True  # viewBox: scales
    )
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" class="k-qr" ', 1)


def _presenter_context(request: HttpRequest, session: GroupSession) -> dict[str, Any]:
    ctx = services.room_context(session)
    link = join_url(request, session)
    rnd = ctx.get("round")
    ctx.update(
        join_link=link,
        qr=qr_svg(link),
        votes=services.vote_count(rnd),
        joined=session.participants.count(),
        problem=services.problem(session),
        expired=services.is_expired(session),
        expires_at=services.expires_at(session),
        idle_hours=services.IDLE_SECONDS // 3600,
    )
    return ctx


@require_GET
@login_required
def present(request: HttpRequest, session_id: Any) -> HttpResponse:
    session = _own_session(request, session_id)
    ctx = _presenter_context(request, session)
    template = "groups/_present.html" if _wants_fragment(request) else "groups/present.html"
    return render(request, template, ctx)


@require_POST
@login_required
def control(request: HttpRequest, session_id: Any) -> HttpResponse:
    """One facilitator action, keyed by the revision it was drawn from."""
    data = {k: request.POST.get(k, "")[: MAX_FIELD + 1] for k in ("rev", "action", "choice")}
    url = reverse("groups:present", args=[session_id])
    with write_transaction():
        session = _own_session(request, session_id, for_update=True)
        try:
            rev = int(data["rev"])
        except ValueError:
            rev = -1
        action = data["action"]
        if action not in services.ACTIONS or rev < 0 or len(data["choice"]) > MAX_FIELD:
            messages.warning(request, msg("bad_form"))
            return _see_other(url)
        key = services.action_key(rev, action, data["choice"])
        if rev != session.revision:
            # The same action posted twice (a double click) is silently done once.
            if not (rev == session.revision - 1 and session.last_action == key):
                messages.warning(request, msg("stale"))
            return _see_other(url)
        if action != "close" and (trouble := services.problem(session)):
            messages.warning(request, trouble)
            return _see_other(url)
        try:
            refused = services.transition(session, action, data["choice"])
        except PlayError as exc:
            messages.warning(request, str(exc))
            return _see_other(url)
        if refused:
            messages.warning(request, refused)
            return _see_other(url)
        session.revision += 1
        session.last_action = key
        session.last_activity = timezone.now()
        session.save()
        transaction.on_commit(lambda: services.publish_state(session))
    if action == "close":
        messages.success(request, msg("closed_done"))
    return _see_other(url)


@require_GET
@login_required
def debrief(request: HttpRequest, session_id: Any) -> HttpResponse:
    session = _own_session(request, session_id)
    names = request.GET.get("names") == "1"
    ctx = exports.debrief_data(session, include_names=names)
    deleted = housekeeping.group_deleted_after(session.last_activity)
    kept = services.msg(
        "kept_until",
        date=f"{deleted.day} {deleted:%B %Y}",
        days=housekeeping.group_keep_days(),
    )
    return render(
        request,
        "groups/debrief.html",
        {"d": ctx, "session": session, "facilitator": True, "names": names, "kept": kept},
    )


@require_GET
@login_required
def record_markdown(request: HttpRequest, session_id: Any) -> HttpResponse:
    session = _own_session(request, session_id)
    data = exports.debrief_data(session, include_names=request.GET.get("names") == "1")
    response = HttpResponse(exports.markdown(data), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(data)}.md"'
    return response


@require_GET
@login_required
def record_pdf(request: HttpRequest, session_id: Any) -> HttpResponse:
    session = _own_session(request, session_id)
    data = exports.debrief_data(session, include_names=request.GET.get("names") == "1")
    response = HttpResponse(exports.pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(data)}.pdf"'
    return response


# --- participants -------------------------------------------------------------------------
def _join_page(
    request: HttpRequest, code: str, name: str, errors: dict[str, str], status: int = 200
) -> HttpResponse:
    return render(
        request, "groups/join.html", {"code": code, "name": name, "errors": errors}, status=status
    )


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _join_page(request, request.GET.get("code", "")[:20], "", {})
    address = ratelimit.client_address(request)
    raw_code = request.POST.get("code", "")[:MAX_FIELD]
    name = services.clean_name(request.POST.get("name", "")[: MAX_FIELD + 1])
    errors: dict[str, str] = {}
    code = services.normalise_code(raw_code)
    session = None
    if code is None:
        errors["code"] = msg("code_format")
    else:
        session = GroupSession.objects.filter(code=code).first()
        if session is None:
            errors["code"] = msg("code_unknown", code=code)
        elif session.phase == Phase.CLOSED:
            errors["code"] = msg("code_closed")
        elif services.is_expired(session):
            errors["code"] = msg("code_expired")
    if len(name) > services.MAX_NAME:
        errors["name"] = msg("name_too_long")
    # Only wrong codes count, and the answer waits for the count: a wrong code is counted
    # (atomically) before it is answered, a right one is let in only while the address
    # is under the limit. A room of people behind one address joining at once holds no
    # places in the limit (counting every attempt and giving right ones back did: with
    # more than 20 joins in flight the rest got 429, and each 429 counted).
    over = (
        ratelimit.blocked(ratelimit.JOIN_CODE, address)
        if "code" not in errors
        else not ratelimit.hit(ratelimit.JOIN_CODE, address)
    )
    if over:
        return _join_page(request, "", "", {"code": msg("join_rate_limited")}, status=429)
    if errors or session is None:
        return _join_page(request, raw_code.strip()[:20], name[:MAX_FIELD], errors, status=400)
    cookie = services.cookie_name(session)
    token = request.COOKIES.get(cookie, "")[:64] or services.new_token()
    _participant, created = services.join(session, token, name)
    messages.success(request, msg("joined" if created else "rejoined"))
    response = _see_other(reverse("groups:participant", args=[session.code]))
    response.set_cookie(
        cookie,
        token,
        max_age=services.COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure() or bool(_secure_cookies()),
    )
    return response


def _secure_cookies() -> bool:
    from django.conf import settings

    return bool(settings.SESSION_COOKIE_SECURE)


def _join_first(code: str) -> HttpResponse:
    return _see_other(reverse("groups:join") + "?" + urlencode({"code": code[:20]}))


def _participant_session(request: HttpRequest, code: str) -> tuple[GroupSession | None, str]:
    """(session, token) for a joined participant, (None, "") when they must join first."""
    normal = services.normalise_code(code)
    session = GroupSession.objects.filter(code=normal).first() if normal else None
    if session is None:
        return None, ""
    token = request.COOKIES.get(services.cookie_name(session), "")[:64]
    if services.participant_for(session, token) is None:
        return None, ""
    return session, token


def _participant_context(
    request: HttpRequest,
    session: GroupSession,
    token: str,
    notice: str | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    ctx = services.room_context(session)
    participant = services.participant_for(session, token)
    ctx.update(
        participant=participant,
        mine=services.my_vote(session, ctx.get("round"), token),
        notice=notice,
        error=error,
        shared=False,
        problem=services.problem(session),
    )
    return ctx


@require_GET
def participant(request: HttpRequest, code: str) -> HttpResponse:
    session, token = _participant_session(request, code)
    if session is None:
        messages.info(request, msg("join_first"))
        return _join_first(code)
    ctx = _participant_context(request, session, token)
    template = "groups/_participant.html" if _wants_fragment(request) else "groups/participant.html"
    return render(request, template, ctx)


@require_POST
def vote(request: HttpRequest, code: str) -> HttpResponse:
    session, token = _participant_session(request, code)
    if session is None:
        messages.info(request, msg("join_first"))
        return _join_first(code)
    result = services.cast_vote(
        session.pk,
        token,
        request.POST.get("round", "")[:20],
        request.POST.get("choice", "")[: MAX_FIELD + 1],
        request.POST.get("reason", "")[:1000],
    )
    session.refresh_from_db()
    if _wants_fragment(request):
        ctx = _participant_context(
            request,
            session,
            token,
            notice=result.message if result.saved else None,
            error=None if result.saved else result.message,
        )
        return render(request, "groups/_participant.html", ctx, status=result.status)
    if result.saved:
        messages.success(request, result.message)
        return _see_other(reverse("groups:participant", args=[session.code]))
    ctx = _participant_context(request, session, token, error=result.message)
    return render(request, "groups/participant.html", ctx, status=result.status)


@require_GET
def participant_debrief(request: HttpRequest, code: str) -> HttpResponse:
    session, _token = _participant_session(request, code)
    if session is None:
        messages.info(request, msg("join_first"))
        return _join_first(code)
    data = exports.debrief_data(session, include_names=False)
    return render(
        request,
        "groups/debrief.html",
        {"d": data, "session": session, "facilitator": False, "names": False},
    )
