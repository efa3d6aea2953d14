"""Ask a social worker: anyone asks anonymously (nothing links a question to who asked
it), verified practitioners answer. Questions asking for someone's details are refused;
everything goes through the checker and the board's moderation (pre by default)."""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from kaleidoscope.connect import chats as rules
from kaleidoscope.connect.safety import Screen, asks_for_details, screen
from kaleidoscope.web.core.auth import account

from . import services
from .models import AskAnswer, AskQuestion, AuditEntry, Block, Practitioner, Report
from .services import BOARD, audit, msg
from .views import is_verified, page, see_other

AREA = "ask"
ASK_LIMIT, ASK_WINDOW = 3, 600


def moderation() -> rules.Moderation:
    value = getattr(settings, "CONNECT_ASK_MODERATION", "pre")
    return rules.Moderation(value) if value in {"pre", "post"} else rules.Moderation.PRE


def _board(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    questions = list(AskQuestion.objects.filter(state=rules.PostState.PUBLISHED.value)[:50])
    ctx: dict[str, Any] = {
        "questions": questions,
        "draft": "",
        "check": None,
        "error": None,
        "max_post": rules.MAX_POST,
        "moderation": moderation(),
        "verified": is_verified(request.user),
    }
    ctx.update(extra)
    return page(request, "connect/ask.html", ctx, status=status)


def _posts(kind: str) -> QuerySet[AskQuestion] | QuerySet[AskAnswer] | None:
    """The board's questions or answers, by the ``kind`` a form names; None otherwise."""
    if kind == "question":
        return AskQuestion.objects.all()
    if kind == "answer":
        return AskAnswer.objects.all()
    return None


def _asker_key(request: HttpRequest) -> str:
    """A short-lived rate-limit key from the CSRF cookie: not stored with the question."""
    raw = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "") or "none"
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _board(request)
    text = str(request.POST.get("text", ""))[: rules.MAX_POST * 4].replace("\r\n", "\n")
    if not services.hit("ask:" + _asker_key(request), ASK_LIMIT, ASK_WINDOW):
        audit(BOARD, AREA, "anonymous", "was refused a question: rate limited", allowed=False)
        return _board(request, 429, error=msg("ask_rate_limited"), draft=text)
    if (problem := rules.post_problem(text)) is not None:
        if len(text) > rules.MAX_POST:
            audit(
                BOARD,
                AREA,
                "anonymous",
                f"was refused a question: over {rules.MAX_POST} characters",
                allowed=False,
            )
        return _board(request, 400, error=problem, draft=text[: rules.MAX_POST * 2])
    if asks_for_details(text):
        audit(
            BOARD,
            AREA,
            "anonymous",
            "was refused a question: asks for someone's details",
            allowed=False,
        )
        return _board(request, 400, error=msg("ask_details"), draft=text)
    found: Screen = screen(text)
    if found.holds and request.POST.get("confirm") != "held":
        return _board(request, 200, check=found, draft=text)
    state = rules.first_state(moderation(), held=found.holds)
    AskQuestion.objects.create(
        text=text, state=state.value, findings=found.to_json(), held=found.holds
    )
    audit(
        BOARD,
        AREA,
        "anonymous",
        "asked a question" + (" (held by the checker)" if found.holds else ""),
    )
    messages.success(
        request, msg("ask_sent_pre") if state is rules.PostState.PENDING else msg("chat_posted")
    )
    return see_other(reverse("connect:ask"))


@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, question_id: int) -> HttpResponse:
    found_q = AskQuestion.objects.filter(pk=question_id).first()
    verified = is_verified(request.user)
    if found_q is None or (found_q.state != rules.PostState.PUBLISHED.value and not verified):
        return page(
            request,
            "connect/message.html",
            {"title": "Page not found", "message": "Check the address of the question."},
            status=404,
        )
    ctx: dict[str, Any] = {
        "q": found_q,
        "verified": verified,
        "draft": "",
        "check": None,
        "error": None,
        "max_post": rules.MAX_POST,
    }
    if request.method == "POST":
        if not verified:
            audit(BOARD, AREA, request.user, "was refused an answer: not verified", allowed=False)
            ctx["error"] = msg("ask_only_verified")
            return _question_page(request, found_q, ctx, 403)
        user = account(request)  # verified: signed in
        if Block.objects.filter(chat__isnull=True, user=user).exists():
            audit(BOARD, AREA, user, "was refused an answer: blocked", allowed=False)
            ctx["error"] = msg("chat_blocked")
            return _question_page(request, found_q, ctx, 403)
        text = str(request.POST.get("text", ""))[: rules.MAX_POST * 4].replace("\r\n", "\n")
        ctx["draft"] = text
        if (problem := rules.post_problem(text)) is not None:
            ctx["error"] = problem
            return _question_page(request, found_q, ctx, 400)
        found = screen(text)
        if found.holds and request.POST.get("confirm") != "held":
            ctx["check"] = found
            return _question_page(request, found_q, ctx, 200)
        state = rules.first_state(moderation(), held=found.holds)
        if state is rules.PostState.PENDING and not found.holds and user.is_staff:
            state = rules.PostState.PUBLISHED
        AskAnswer.objects.create(
            question=found_q,
            author=user,
            author_name=user.get_username(),
            text=text,
            state=state.value,
            findings=found.to_json(),
            held=found.holds,
        )
        audit(BOARD, AREA, user, "answered a question")
        messages.success(request, msg("ask_answered"))
        return see_other(reverse("connect:ask_question", args=[found_q.pk]))
    return _question_page(request, found_q, ctx, 200)


def _question_page(
    request: HttpRequest, q: AskQuestion, ctx: dict[str, Any], status: int
) -> HttpResponse:
    ctx["answers"] = list(q.answers.filter(state=rules.PostState.PUBLISHED.value))
    return page(request, "connect/ask_question.html", ctx, status=status)


@require_POST
@login_required
def report(request: HttpRequest, kind: str, target: int) -> HttpResponse:
    user = account(request)
    posts = _posts(kind)
    if posts is None or not posts.filter(pk=target).exists():
        return page(
            request,
            "connect/message.html",
            {"title": "Page not found", "message": "Check the address."},
            status=404,
        )
    reason = str(request.POST.get("reason", "unsafe"))[:20]
    Report.objects.get_or_create(
        kind=kind, target=target, reporter=user, defaults={"reason": reason}
    )
    audit(BOARD, AREA, user, f"reported a {kind}")
    # As in the chats: enough reports from different people hide it until a moderator looks.
    if Report.objects.filter(kind=kind, target=target).count() >= rules.REPORTS_TO_HIDE:
        posts.filter(pk=target, state=rules.PostState.PUBLISHED.value).update(
            state=rules.PostState.HIDDEN.value
        )
    messages.success(request, msg("chat_reported"))
    return see_other(reverse("connect:ask"))


def _reports(kind: str, items: list[Any]) -> list[Any]:
    """Each item with ``reports``: how many people reported it (for the moderators)."""
    counts = Counter(
        Report.objects.filter(kind=kind, target__in=[i.pk for i in items]).values_list(
            "target", flat=True
        )
    )
    for item in items:
        item.reports = counts.get(item.pk, 0)
    return items


@require_http_methods(["GET", "POST"])
@login_required
def moderate(request: HttpRequest) -> HttpResponse:
    if not is_verified(request.user):
        audit(BOARD, AREA, request.user, "was refused the moderation page", allowed=False)
        return page(
            request,
            "connect/message.html",
            {"title": "Page not found", "message": "Check the address."},
            status=404,
        )
    if request.method == "POST":
        kind = str(request.POST.get("kind", ""))[:10]
        posts = _posts(kind)
        raw = str(request.POST.get("id", ""))[:20]
        item = posts.filter(pk=int(raw)).first() if posts is not None and raw.isdigit() else None
        action = str(request.POST.get("action", ""))[:20]
        if (
            item is not None
            and action == "block"
            and isinstance(item, AskAnswer)
            and item.author_id
        ):
            Block.objects.get_or_create(
                chat=None, user_id=item.author_id, defaults={"by": request.user.get_username()}
            )
            audit(BOARD, AREA, request.user, f"blocked {item.author_name}")
            messages.success(request, msg("chat_moderated"))
            return see_other(reverse("connect:ask_moderate"))
        moves = {
            "approve": rules.PostState.PUBLISHED,
            "reject": rules.PostState.REJECTED,
            "hide": rules.PostState.HIDDEN,
            "restore": rules.PostState.PUBLISHED,
        }
        new_state = moves.get(action)
        if (
            item is None
            or new_state is None
            or not rules.can_move(rules.PostState(item.state), new_state)
        ):
            messages.warning(request, msg("moderation_bad"))
        else:
            audit(
                BOARD, AREA, request.user, f"moderated a {kind}: {item.state} to {new_state.value}"
            )
            item.state = new_state.value
            item.save(update_fields=["state"])
            messages.success(request, msg("chat_moderated"))
        return see_other(reverse("connect:ask_moderate"))
    audit(BOARD, AREA, request.user, "opened the moderation page")
    return page(
        request,
        "connect/ask_moderate.html",
        {
            "questions": _reports(
                "question", list(AskQuestion.objects.exclude(state="rejected")[:100])
            ),
            "answers": _reports(
                "answer",
                list(AskAnswer.objects.exclude(state="rejected").select_related("question")[:100]),
            ),
            "entries": list(AuditEntry.objects.filter(subject=BOARD)[:100]),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        return page(
            request,
            "connect/message.html",
            {"title": "Page not found", "message": "Check the address."},
            status=404,
        )
    if request.method == "POST":
        name = str(request.POST.get("username", ""))[:150]
        found = Practitioner.objects.filter(user__username=name).first()
        if found is None:
            messages.warning(request, msg("practitioner_not_found", name=name))
        else:
            found.verified_at = timezone.now()
            found.save(update_fields=["verified_at"])
            audit(BOARD, AREA, request.user, f"verified practitioner {name}")
            messages.success(request, msg("practitioner_verified", name=name))
        return see_other(reverse("connect:verify"))
    rows = list(
        Practitioner.objects.select_related("user").order_by("verified_at", "user__username")
    )
    return page(request, "connect/verify.html", {"rows": rows, "users": User})
