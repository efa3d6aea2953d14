"""Planned topic chats: schedule (topic, time, questions Q1..Qn, moderators), answer live
(A1..An under each question; new answers arrive without a reload through the group
session broker, across processes through Redis), moderate (pre or post), report a post,
block a user, and a read-only archive with a summary afterwards.

Before anything is posted the text goes through the checker; if it could identify
someone the writer sees why and a safer version first, and a post sent as written waits
for a moderator, who sees the same finding."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaleidoscope.connect import chats as rules
from kaleidoscope.connect.safety import Screen, has_markup, screen
from kaleidoscope.web.core.auth import account
from kaleidoscope.web.groups.live import _stream

from . import services
from .forms import chat_form
from .models import AuditEntry, Block, Chat, ChatModerator, ChatPost, ChatQuestion, Report
from .services import audit, msg
from .views import page, see_other

AREA = "chat"
REPORT_REASONS = {
    "identifies": "It could identify someone",
    "abusive": "It is abusive or hateful",
    "unsafe": "It puts someone at risk",
    "spam": "It is spam or advertising",
}


def _chat(chat_id: uuid.UUID) -> Chat | None:
    return Chat.objects.filter(pk=chat_id).select_related("host").first()


def _not_found(request: HttpRequest) -> HttpResponse:
    return page(
        request,
        "connect/message.html",
        {
            "title": "Page not found",
            "message": "Check the address of the chat.",
        },
        status=404,
    )


def is_moderator(chat: Chat, user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return chat.host_id == user.pk or chat.moderators.filter(user=user).exists()


def _wants_fragment(request: HttpRequest) -> bool:
    return request.headers.get("X-Fragment") == "1"


def thread(chat: Chat, *, with_posts: bool = True) -> list[dict[str, Any]]:
    """Questions asked so far, each with its published answers (A<n>)."""
    live = chat.phase()
    asked = chat.questions.all()
    if live is rules.Phase.LIVE:
        asked = asked.filter(number__lte=chat.current)
    elif live is rules.Phase.SCHEDULED:
        return []
    questions = list(asked)
    posts: dict[int, list[ChatPost]] = {q.number: [] for q in questions}
    published = chat.posts.filter(state=rules.PostState.PUBLISHED.value) if with_posts else []
    for post in published:
        posts.setdefault(post.question, []).append(post)
    return [
        {
            "q": q,
            "label": rules.question_label(q.number),
            "answer": rules.answer_label(q.number),
            "posts": posts.get(q.number, []),
        }
        for q in questions
    ]


def _context(
    request: HttpRequest, chat: Chat, *, with_posts: bool = True, **extra: Any
) -> dict[str, Any]:
    now = timezone.now()
    phase = chat.phase(now)
    user = request.user
    blocked = user.is_authenticated and Block.objects.filter(chat=chat, user=user).exists()
    ctx: dict[str, Any] = {
        "chat": chat,
        "phase": phase,
        "thread": thread(chat, with_posts=with_posts),
        "moderator": is_moderator(chat, user),
        "host": user.is_authenticated and chat.host_id == user.pk,
        "blocked": blocked,
        "max_post": rules.MAX_POST,
        "reasons": REPORT_REASONS,
        "moderation": rules.Moderation(chat.moderation),
        "draft": "",
        "check": None,
        "error": None,
        "notice": None,
        "question": chat.current,
        "questions_total": chat.questions.count(),
        "live": True,
        "ends_at": chat.starts_at + timedelta(minutes=chat.minutes),
    }
    if phase is rules.Phase.ARCHIVED:
        published = list(
            chat.posts.filter(state=rules.PostState.PUBLISHED.value).values_list(
                "question", "author_id"
            )
        )
        held = chat.posts.exclude(state=rules.PostState.PUBLISHED.value).count()
        ctx["summary"] = rules.summarise(
            [q.text for q in chat.questions.all()],
            [(n, str(a)) for n, a in published],
            held,
        )
    ctx.update(extra)
    return ctx


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    chats = list(Chat.objects.all()[:100])
    groups: dict[str, list[Chat]] = {p.value: [] for p in rules.Phase}
    for chat in chats:
        groups[chat.phase(now).value].append(chat)
    groups["scheduled"].reverse()  # soonest first
    return page(request, "connect/chats.html", {"groups": groups, "phases": list(rules.Phase)})


@require_http_methods(["GET", "POST"])
@login_required
def new(request: HttpRequest) -> HttpResponse:
    now = timezone.localtime()
    if request.method == "GET":
        values = {
            "day": now.date().isoformat(),
            "time": f"{now:%H:%M}",
            "minutes": 60,
            "moderation": rules.Moderation.POST.value,
        }
        return page(request, "connect/chat_new.html", {"values": values, "errors": {}})
    form = chat_form(request.POST, timezone.now())
    if not form.ok:
        return page(
            request,
            "connect/chat_new.html",
            {"values": form.values, "errors": form.errors},
            status=400,
        )
    v = form.values
    with transaction.atomic():
        chat = Chat.objects.create(
            host=account(request),
            topic=v["topic"],
            starts_at=v["starts"],
            minutes=v["minutes"],
            moderation=v["moderation"],
        )
        ChatQuestion.objects.bulk_create(
            ChatQuestion(chat=chat, number=n, text=q) for n, q in enumerate(v["questions"], 1)
        )
        ChatModerator.objects.bulk_create(ChatModerator(chat=chat, user=u) for u in v["moderators"])
        audit(chat.pk, AREA, request.user, "scheduled the chat")
    messages.success(request, msg("chat_made"))
    return see_other(reverse("connect:chat", args=[chat.pk]))


@require_GET
def detail(request: HttpRequest, chat_id: uuid.UUID) -> HttpResponse:
    chat = _chat(chat_id)
    if chat is None:
        return _not_found(request)
    ctx = _context(request, chat)
    if _wants_fragment(request):
        return page(request, "connect/_thread.html", ctx)
    return page(request, "connect/chat.html", ctx)


def _answer_reply(
    request: HttpRequest, chat: Chat, status: int = 200, **extra: Any
) -> HttpResponse:
    if _wants_fragment(request):  # only the answer area: no need to load the answers
        ctx = _context(request, chat, with_posts=False, **extra)
        return page(request, "connect/_answer.html", ctx, status=status)
    ctx = _context(request, chat, **extra)
    return page(request, "connect/chat.html", ctx, status=status)


@require_POST
@login_required
def post(request: HttpRequest, chat_id: uuid.UUID) -> HttpResponse:
    chat = _chat(chat_id)
    if chat is None:
        return _not_found(request)
    user = account(request)
    text = str(request.POST.get("text", ""))[: rules.MAX_POST * 4].replace("\r\n", "\n")
    who = user.get_username()
    if chat.phase() is not rules.Phase.LIVE:
        audit(chat.pk, AREA, user, "was refused a post: chat not live", allowed=False)
        return _answer_reply(request, chat, 409, error=msg("chat_not_live"), draft=text)
    if Block.objects.filter(chat=chat, user=user).exists():
        audit(chat.pk, AREA, user, "was refused a post: blocked", allowed=False)
        return _answer_reply(request, chat, 403, error=msg("chat_blocked"), draft=text)
    if not services.hit(f"chat:{chat.pk}:{user.pk}", rules.POST_LIMIT, rules.POST_WINDOW):
        audit(chat.pk, AREA, user, "was refused a post: rate limited", allowed=False)
        return _answer_reply(
            request,
            chat,
            429,
            draft=text,
            error=msg("chat_rate_limited", limit=rules.POST_LIMIT, window=rules.POST_WINDOW),
        )
    try:
        number = int(str(request.POST.get("question", ""))[:4])
    except ValueError:
        number = 0
    if not 1 <= number <= min(chat.current, chat.questions.count()):
        return _answer_reply(request, chat, 400, error=msg("chat_question_bad"), draft=text)
    if (problem := rules.post_problem(text)) is not None:
        if len(text) > rules.MAX_POST:
            audit(
                chat.pk,
                AREA,
                user,
                f"was refused a post: over {rules.MAX_POST} characters",
                allowed=False,
            )
        return _answer_reply(
            request, chat, 400, error=problem, draft=text[: rules.MAX_POST * 2], question=number
        )
    found: Screen = screen(text)
    confirmed = request.POST.get("confirm") == "held"
    if found.holds and not confirmed:
        return _answer_reply(request, chat, 200, check=found, draft=text, question=number)
    state = rules.first_state(rules.Moderation(chat.moderation), held=found.holds)
    made = ChatPost.objects.create(
        chat=chat,
        question=number,
        author=user,
        author_name=who,
        text=text,
        state=state.value,
        findings=found.to_json(),
        held=found.holds,
    )
    if found.holds:
        audit(chat.pk, AREA, user, f"posted {rules.answer_label(number)} held back by the checker")
    if has_markup(text):
        audit(
            chat.pk,
            AREA,
            user,
            f"posted {rules.answer_label(number)} containing HTML (shown escaped)",
        )
    if state is rules.PostState.PUBLISHED:
        services.publish_post(chat, made)
        notice = msg("chat_posted")
    else:
        notice = msg("chat_held" if found.holds else "chat_pending")
    if _wants_fragment(request):
        return _answer_reply(request, chat, 200, notice=notice, question=number)
    messages.success(request, notice)
    return see_other(reverse("connect:chat", args=[chat.pk]) + "#answer")


@require_POST
@login_required
def next_question(request: HttpRequest, chat_id: uuid.UUID) -> HttpResponse:
    chat = _chat(chat_id)
    if chat is None or chat.host_id != request.user.pk:
        return _not_found(request)
    if chat.phase() is rules.Phase.LIVE and chat.current < chat.questions.count():
        Chat.objects.filter(pk=chat.pk).update(current=chat.current + 1)
        chat.current += 1
        audit(chat.pk, AREA, request.user, f"asked {rules.question_label(chat.current)}")
        services.publish_change(chat)
        messages.success(request, msg("chat_next_asked", label=rules.question_label(chat.current)))
    return see_other(reverse("connect:chat", args=[chat.pk]))


@require_POST
@login_required
def end(request: HttpRequest, chat_id: uuid.UUID) -> HttpResponse:
    chat = _chat(chat_id)
    if chat is None or chat.host_id != request.user.pk:
        return _not_found(request)
    summary = str(request.POST.get("summary", ""))[: rules.MAX_SUMMARY + 1].strip()
    error = rules.post_problem(summary or "-", rules.MAX_SUMMARY)
    found = screen(summary) if summary else Screen()
    if error or found.holds:
        return _answer_reply(
            request, chat, 400, summary_error=error, summary_check=found, summary_draft=summary
        )
    chat.summary = summary
    if chat.ended_at is None:
        chat.ended_at = timezone.now()
    chat.save(update_fields=["summary", "ended_at"])
    audit(chat.pk, AREA, request.user, "ended the chat and wrote the summary")
    services.publish_change(chat)
    messages.success(request, msg("chat_ended"))
    return see_other(reverse("connect:chat", args=[chat.pk]))


@require_POST
@login_required
def report(request: HttpRequest, chat_id: uuid.UUID, post_id: int) -> HttpResponse:
    chat = _chat(chat_id)
    target = ChatPost.objects.filter(pk=post_id, chat_id=chat_id).first() if chat else None
    if chat is None or target is None:
        return _not_found(request)
    reason = str(request.POST.get("reason", ""))[:20]
    if reason not in REPORT_REASONS:
        reason = "unsafe"
    Report.objects.get_or_create(
        kind="chat", target=target.pk, reporter=request.user, defaults={"reason": reason}
    )
    audit(chat.pk, AREA, request.user, f"reported a post ({reason})")
    count = Report.objects.filter(kind="chat", target=target.pk).count()
    if count >= rules.REPORTS_TO_HIDE and target.state == rules.PostState.PUBLISHED.value:
        target.state = rules.PostState.HIDDEN.value
        target.save(update_fields=["state"])
        services.publish_change(chat)
    messages.success(request, msg("chat_reported"))
    return see_other(reverse("connect:chat", args=[chat.pk]))


@require_http_methods(["GET", "POST"])
@login_required
def moderate(request: HttpRequest, chat_id: uuid.UUID) -> HttpResponse:
    chat = _chat(chat_id)
    if chat is None:
        return _not_found(request)
    if not is_moderator(chat, request.user):
        audit(chat.pk, AREA, request.user, "was refused the moderation page", allowed=False)
        return _not_found(request)
    if request.method == "POST":
        action = str(request.POST.get("action", ""))[:20]
        target = (
            ChatPost.objects.filter(
                pk=str(request.POST.get("post", ""))[:20] or 0, chat=chat
            ).first()
            if str(request.POST.get("post", ""))[:20].isdigit()
            else None
        )
        if target is None:
            messages.warning(request, msg("moderation_bad"))
            return see_other(reverse("connect:chat_moderate", args=[chat.pk]))
        if action == "block":
            if target.author_id and target.author_id != chat.host_id:
                Block.objects.get_or_create(
                    chat=chat,
                    user_id=target.author_id,
                    defaults={"by": request.user.get_username()},
                )
                audit(chat.pk, AREA, request.user, f"blocked {target.author_name}")
            messages.success(request, msg("chat_moderated"))
            return see_other(reverse("connect:chat_moderate", args=[chat.pk]))
        moves = {
            "approve": rules.PostState.PUBLISHED,
            "reject": rules.PostState.REJECTED,
            "hide": rules.PostState.HIDDEN,
            "restore": rules.PostState.PUBLISHED,
        }
        new_state = moves.get(action)
        old = rules.PostState(target.state)
        if new_state is None or not rules.can_move(old, new_state):
            messages.warning(request, msg("moderation_bad"))
            return see_other(reverse("connect:chat_moderate", args=[chat.pk]))
        target.state = new_state.value
        target.save(update_fields=["state"])
        audit(chat.pk, AREA, request.user, f"moderated a post: {old.value} to {new_state.value}")
        if new_state is rules.PostState.PUBLISHED and old is rules.PostState.PENDING:
            services.publish_post(chat, target)
        else:
            services.publish_change(chat)
        messages.success(request, msg("chat_moderated"))
        return see_other(reverse("connect:chat_moderate", args=[chat.pk]))
    audit(chat.pk, AREA, request.user, "opened the moderation page")
    posts = list(chat.posts.exclude(state=rules.PostState.REJECTED.value).order_by("-created_at"))
    reports: dict[int, int] = {}
    for target_id in Report.objects.filter(
        kind="chat", target__in=[p.pk for p in posts]
    ).values_list("target", flat=True):
        reports[target_id] = reports.get(target_id, 0) + 1
    blocked = set(Block.objects.filter(chat=chat).values_list("user_id", flat=True))
    return page(
        request,
        "connect/chat_moderate.html",
        {
            "chat": chat,
            "pending": [p for p in posts if p.state == "pending"],
            "others": [p for p in posts if p.state != "pending"],
            "reports": reports,
            "blocked": blocked,
            "label": rules.answer_label,
            "entries": list(AuditEntry.objects.filter(subject=chat.pk)[:200]),
        },
    )


# --- the live stream (async; see kaleidoscope.web.groups.live) ---------------------------
def _chat_exists(chat_id: uuid.UUID) -> bool:
    return Chat.objects.filter(pk=chat_id).exists()


async def stream(request: HttpRequest, chat_id: uuid.UUID) -> HttpResponseBase:
    if not await sync_to_async(_chat_exists)(chat_id):
        return HttpResponse("no such chat\n", status=404, content_type="text/plain")

    async def first() -> list[str]:
        return [await sync_to_async(services.sync_payload)(chat_id)]

    return _stream([services.channel(chat_id)], first)
