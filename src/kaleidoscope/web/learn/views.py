"""Views: each one reads a form, asks the engine, stores ``to_json()`` and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.contrib.auth.models import User
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaleidoscope.learn.engine import PlayError, Playthrough
from kaleidoscope.learn.model import Decision, Ending, Passage
from kaleidoscope.web.core.views import see_other
from kaleidoscope.web.lms import outbox as lms  # a reflection sent to the LRS (consent box)

from . import exports, nation, presenters, services
from .models import Play
from .services import text

ACTIONS = ("advance", "choose", "back", "restart")
MAX_FIELD = 200
MAX_REFLECTION = 5000




# --- the library --------------------------------------------------------------------
@require_GET
def scenario_list(request: HttpRequest) -> HttpResponse:
    lib = services.library()
    themes = lib.themes()
    theme = request.GET.get("theme", "")
    unknown_theme = bool(theme) and theme not in themes
    scenarios = [s for s in lib if not theme or unknown_theme or theme in s.themes]
    in_progress = {
        p.scenario_id: p for p in services.owned_plays(request).filter(finished_at__isnull=True)
    }
    return render(
        request,
        "learn/scenarios.html",
        {
            "scenarios": scenarios,
            "themes": themes,
            "theme": "" if unknown_theme else theme,
            "unknown_theme": unknown_theme,
            "in_progress": in_progress,
            **nation.library_context(request),
        },
    )


@require_GET
def scenario_detail(request: HttpRequest, scenario_id: str) -> HttpResponse:
    scenario = services.scenario_or_404(scenario_id)
    current = (
        services.owned_plays(request)
        .filter(scenario_id=scenario.id, finished_at__isnull=True)
        .first()
    )
    return render(request, "learn/scenario.html", {"scenario": scenario, "current": current})


@require_POST
def start(request: HttpRequest, scenario_id: str) -> HttpResponse:
    scenario = services.scenario_or_404(scenario_id)
    pt = Playthrough(scenario)
    kwargs: dict[str, Any] = {"scenario_id": scenario.id, "state": pt.to_json()}
    if request.user.is_authenticated:
        kwargs["user"] = request.user
    else:
        kwargs["anon_key"] = services.anon_key(request, create=True)
    with services.write_transaction():
        play = Play.objects.create(**kwargs)
    return see_other(reverse("play", args=[play.id]))


# --- play -----------------------------------------------------------------------------
def _play_context(play: Play, scenario: Any, pt: Playthrough) -> dict[str, Any]:
    node = pt.current
    return {
        "play": play,
        "scenario": scenario,
        "pt": pt,
        "node": node,
        "kind": node.type,
        "parts": services.step_parts(scenario, pt),
        "step_url": reverse("step", args=[play.id]),
        "is_passage": isinstance(node, Passage),
        "is_decision": isinstance(node, Decision),
        "is_ending": isinstance(node, Ending),
        "error": None,
        "step_number": len(pt.steps),
    }


def _broken(request: HttpRequest, play: Play, message: str) -> HttpResponse:
    return render(request, "learn/broken.html", {"play": play, "message": message})


@require_GET
def play_view(request: HttpRequest, play_id: Any) -> HttpResponse:
    play = services.owned_play(request, play_id)
    try:
        scenario, pt = services.playthrough(play)
    except PlayError as exc:
        return _broken(request, play, str(exc))
    return render(request, "learn/play.html", _play_context(play, scenario, pt))


def _move_key(data: dict[str, str]) -> str:
    return "|".join(data.get(k, "")[:MAX_FIELD] for k in ("rev", "action", "node", "choice"))


@require_POST
def step(request: HttpRequest, play_id: Any) -> HttpResponse:
    """Apply one move. Every odd post (stale, replayed, tampered) changes nothing."""
    data = {k: request.POST.get(k, "") for k in ("rev", "action", "node", "choice")}
    play_url = reverse("play", args=[play_id])
    request.user.is_authenticated  # noqa: B018  # load the session before taking the write lock
    with services.write_transaction():
        play = services.owned_play(request, play_id, for_update=True)
        try:
            scenario, pt = services.playthrough(play)
        except PlayError as exc:
            return _broken(request, play, str(exc))
        action = data["action"]
        try:
            rev = int(data["rev"])
        except ValueError:
            rev = -1
        if action not in ACTIONS or rev < 0 or any(len(v) > MAX_FIELD for v in data.values()):
            messages.warning(request, text()["bad_form"])
            return see_other(play_url)
        if rev != play.revision:
            if not (rev == play.revision - 1 and play.last_move == _move_key(data)):
                messages.warning(request, text()["stale"])
            return see_other(play_url)  # a double submit is a silent no-op
        if action in ("advance", "choose") and data["node"] != pt.current_id:
            messages.warning(request, text()["stale"])
            return see_other(play_url)
        if action == "choose" and not data["choice"]:
            ctx = _play_context(play, scenario, pt)
            ctx["error"] = text()["choose_one"]
            radios = services.radios_with_error(pt.current, ctx["error"])
            ctx["parts"] = {**ctx["parts"], "radios": radios}
            return render(request, "learn/play.html", ctx)
        try:
            if action == "advance":
                pt.advance()
            elif action == "choose":
                pt.choose(data["choice"])
                services.record_first_choice(play, data["node"], data["choice"])
            elif action == "back":
                if not pt.back():
                    messages.info(request, text()["no_back"])
                    return see_other(play_url)
                messages.info(request, text()["went_back"])
            else:
                pt.restart()
                messages.info(request, text()["restarted"])
        except PlayError:
            messages.warning(request, text()["not_here"])
            return see_other(play_url)
        play.state = pt.to_json()
        play.revision += 1
        play.last_move = _move_key(data)
        node = pt.current
        if isinstance(node, Ending):
            play.ending_id = pt.current_id
            play.outcome = node.kind.value
            if play.finished_at is None:
                play.finished_at = timezone.now()
        services.save_move(play)
    if request.META.get("HTTP_HX_REQUEST") == "true":
        # htmx swaps #play from this answer: skip the redirect's second round trip.
        return render(request, "learn/_play.html", _play_context(play, scenario, pt))
    return see_other(play_url)


@require_GET
def debrief(request: HttpRequest, play_id: Any) -> HttpResponse:
    play = services.owned_play(request, play_id)
    try:
        scenario, pt = services.playthrough(play)
    except PlayError as exc:
        return _broken(request, play, str(exc))
    if not pt.finished:
        messages.info(request, text()["not_finished"])
        return see_other(reverse("play", args=[play.id]))
    path = services.path_taken(pt)
    profile = pt.profile()
    return render(
        request,
        "learn/debrief.html",
        {
            "play": play,
            "scenario": scenario,
            "pt": pt,
            "ending": pt.current,
            "path": path,
            "profile": profile,
            "chart": presenters.profile_chart(profile),
            "shares": services.choice_shares(
                scenario, [s.node for s in pt.steps[:-1] if s.choice is not None]
            ),
            "min_plays": services.MIN_PLAYS_FOR_STATS,
            **nation.debrief_context(request, services.guidance_entries(pt.guidance_cited())),
        },
    )


# --- reflection and the learning record -------------------------------------------------
@require_http_methods(["GET", "POST"])
def reflection(request: HttpRequest, play_id: Any) -> HttpResponse:
    play = services.owned_play(request, play_id)
    scenario = services.library().get(play.scenario_id)
    errors: dict[str, str] = {}
    learned, impact = play.learned, play.impact
    sharing = lms.reflection_sharing(play)
    share = False
    if request.method == "POST":
        learned = request.POST.get("learned", "").strip()
        impact = request.POST.get("impact", "").strip()
        share = sharing is not None and request.POST.get("share") == "yes"
        for name, value in (("learned", learned), ("impact", impact)):
            if len(value) > MAX_REFLECTION:
                errors[name] = text()["reflection_too_long"]
        if not errors and not (learned or impact):
            errors["learned"] = text()["reflection_empty"]
        if not errors:
            with services.write_transaction():
                Play.objects.filter(pk=play.pk).update(
                    learned=learned, impact=impact, reflected_at=timezone.now()
                )
                lms.record_reflection(play, learned, impact, consent=share)
            saved = text()["reflection_saved"]
            messages.success(request, f"{saved} {sharing.sent}" if share and sharing else saved)
            return see_other(reverse("record"))
    return render(
        request,
        "learn/reflection.html",
        {
            "play": play,
            "scenario": scenario,
            "learned": learned,
            "impact": impact,
            "errors": errors,
            "sharing": sharing,
            "share": share,
        },
    )


@require_GET
def record(request: HttpRequest) -> HttpResponse:
    entries = exports.record_entries(services.owned_plays(request))
    return render(request, "learn/record.html", {"entries": entries})


@require_GET
def record_markdown(request: HttpRequest) -> HttpResponse:
    entries = exports.record_entries(services.owned_plays(request))
    response = HttpResponse(exports.markdown(entries), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kaleidoscope-learning-record.md"'
    return response


@require_GET
def record_pdf(request: HttpRequest) -> HttpResponse:
    entries = exports.record_entries(services.owned_plays(request))
    response = HttpResponse(exports.pdf(entries), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="kaleidoscope-learning-record.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def delete_record(request: HttpRequest) -> HttpResponse:
    """Delete this browser's (or this account's) plays and reflections; for an account,
    the account itself and the group sessions it ran, after its password is given."""
    user = request.user
    signed_in = user.is_authenticated
    error = ""
    if request.method == "POST":
        if signed_in and not user.check_password(request.POST.get("password", "")[:4096]):
            error = text()["delete_password_wrong"]
        else:
            with services.write_transaction():
                services.owned_plays(request).delete()
                if signed_in:
                    user.delete()  # cascades to the group sessions it ran
            request.session.flush()  # signs out; the anonymous key goes with the session
            messages.success(request, text()["account_deleted" if signed_in else "record_deleted"])
            return see_other(reverse("record"))
    context = {
        "plays": services.owned_plays(request).count(),
        "groups": user.group_sessions.count() if isinstance(user, User) else 0,
        "error": error,
    }
    response = render(request, "learn/delete_record.html", context)
    if error:
        response.status_code = 400
    return response


# --- staff ----------------------------------------------------------------------------
def _is_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_staff)


@require_GET
@user_passes_test(_is_staff)
def staff_stats(request: HttpRequest) -> HttpResponse:
    counts = {
        row["scenario_id"]: row
        for row in Play.objects.values("scenario_id").annotate(
            started=Count("id"),
            finished=Count("id", filter=Q(finished_at__isnull=False)),
            reflected=Count("id", filter=Q(reflected_at__isnull=False)),
        )
    }
    rows = []
    for scenario in services.library():
        row = counts.get(scenario.id, {"started": 0, "finished": 0, "reflected": 0})
        rows.append(
            {"scenario": scenario, "counts": row, "shares": services.choice_shares(scenario)}
        )
    return render(request, "learn/staff.html", {"rows": rows})
