"""Topic chats and the Ask a social worker board through the test client: scheduling,
A1..An threading, the checker holding back a post that identifies a child (with its
explanation, for the writer and the moderators), moderation, reports, blocks, the size
limit, HTML shown escaped, rate limits, the archive, and anonymous questions."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from markupsafe import escape

from kaleidoscope.connect.chats import MAX_POST, POST_LIMIT
from kaleidoscope.connect.safety import screen
from kaleidoscope.web.connect.models import AskAnswer, AskQuestion, AuditEntry, Chat, ChatPost

from .connect_helpers import client_for, user

pytestmark = pytest.mark.django_db
CHILD = "Our social worker visited Jade, 14, at Oakfield School"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def schedule(client: Client, moderation: str = "post", moderators: str = "mo") -> Chat:
    now = timezone.localtime()
    response = client.post(
        "/connect/chats/new/",
        {
            "topic": "Caring for someone with psychosis",
            "day": now.date().isoformat(),
            "time": f"{now:%H:%M}",
            "minutes": "60",
            "moderation": moderation,
            "questions": "What helped you most?\nWhat would you tell a new carer?",
            "moderators": moderators,
        },
    )
    assert response.status_code == 303, response.content.decode()[:3000]
    return Chat.objects.get()


def answer(client: Client, chat: Chat, text: str, question: int = 1, **extra: str) -> object:
    return client.post(
        f"/connect/chats/{chat.pk}/post/", {"question": str(question), "text": text, **extra}
    )


def test_answers_thread_under_their_questions() -> None:
    host = client_for(user("host"))
    user("mo")
    chat = schedule(host)
    ann = client_for(user("ann"))
    assert answer(ann, chat, "Talking to other carers").status_code == 303
    assert answer(ann, chat, "Sleep", question=2).status_code == 400  # Q2 not asked yet
    assert host.post(f"/connect/chats/{chat.pk}/next/").status_code == 303
    assert answer(ann, chat, "Ask for a carer's assessment", question=2).status_code == 303
    page = Client().get(f"/connect/chats/{chat.pk}/").content.decode()
    q1, q2 = page.index("Q1: What helped"), page.index("Q2: What would")
    a1, a2 = page.index("Talking to other carers"), page.index("Ask for a carer")
    assert q1 < a1 < q2 < a2
    assert "<strong>A1</strong>" in page and "<strong>A2</strong>" in page


def test_a_post_identifying_a_child_is_held_back_with_the_explanation() -> None:
    host = client_for(user("host"))
    user("mo")
    chat = schedule(host)
    ann = client_for(user("ann"))
    first = answer(ann, chat, CHILD)
    page = first.content.decode()
    assert first.status_code == 200 and "Check before you post" in page
    assert "jigsaw" in page or "recognised" in page
    safer = screen(CHILD).safer
    assert safer and escape(safer) in page  # the safer version, offered first
    assert ChatPost.objects.count() == 0  # nothing posted yet
    assert answer(ann, chat, CHILD, confirm="held").status_code == 303
    held = ChatPost.objects.get()
    assert held.state == "pending" and held.held and held.findings
    assert CHILD not in Client().get(f"/connect/chats/{chat.pk}/").content.decode()
    mo = client_for(user("mo2"))  # not a moderator
    assert mo.get(f"/connect/chats/{chat.pk}/moderate/").status_code == 404
    moderator = client_for(
        __import__("django.contrib.auth.models", fromlist=["User"]).User.objects.get(username="mo")
    )
    queue = moderator.get(f"/connect/chats/{chat.pk}/moderate/").content.decode()
    assert "Held back by the checker" in queue and "Oakfield School" in queue
    # the safer version posts at once (post-moderation)
    assert answer(ann, chat, safer).status_code == 303
    assert ChatPost.objects.filter(state="published").count() == 1


def test_pre_moderation_waits_then_approval_publishes() -> None:
    host = client_for(user("host"))
    user("mo")
    chat = schedule(host, moderation="pre")
    ann = client_for(user("ann"))
    answer(ann, chat, "Peer support groups")
    post = ChatPost.objects.get()
    assert post.state == "pending"
    assert "Peer support groups" not in Client().get(f"/connect/chats/{chat.pk}/").content.decode()
    host.post(f"/connect/chats/{chat.pk}/moderate/", {"post": str(post.pk), "action": "approve"})
    assert "Peer support groups" in Client().get(f"/connect/chats/{chat.pk}/").content.decode()
    # a rejected post cannot be published later
    host.post(f"/connect/chats/{chat.pk}/moderate/", {"post": str(post.pk), "action": "reject"})
    assert ChatPost.objects.get().state == "published"


def test_size_limit_html_escaped_and_rate_limit_each_leave_an_audit_line() -> None:
    host = client_for(user("host"))
    user("mo")
    chat = schedule(host)
    ann = client_for(user("ann"))
    too_long = answer(ann, chat, "x" * (MAX_POST + 1))
    assert (
        too_long.status_code == 400
        and f"{MAX_POST} characters or fewer" in too_long.content.decode()
    )
    assert AuditEntry.objects.filter(action__contains="over 500 characters", allowed=False)
    answer(ann, chat, '<script>alert("x")</script> <b>bold</b>')
    page = Client().get(f"/connect/chats/{chat.pk}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert AuditEntry.objects.filter(action__contains="containing HTML")
    codes = [answer(ann, chat, f"Answer number {n}").status_code for n in range(POST_LIMIT + 2)]
    assert 429 in codes
    response = answer(ann, chat, "one more")
    assert response.status_code == 429 and "Wait a minute" in response.content.decode()
    assert AuditEntry.objects.filter(action__contains="rate limited", allowed=False)


def test_report_block_and_archive() -> None:
    from django.contrib.auth.models import User

    host = client_for(user("host"))
    user("mo")
    chat = schedule(host)
    troll = client_for(user("troll"))
    answer(troll, chat, "Buy my pills at example.com")
    post = ChatPost.objects.get()
    for name in ("r1", "r2", "r3"):
        client_for(user(name)).post(
            f"/connect/chats/{chat.pk}/report/{post.pk}/", {"reason": "spam"}
        )
    assert ChatPost.objects.get().state == "hidden"  # three reports hide it for review
    host.post(f"/connect/chats/{chat.pk}/moderate/", {"post": str(post.pk), "action": "block"})
    blocked = answer(troll, chat, "again")
    assert blocked.status_code == 403 and "stopped you posting" in blocked.content.decode()
    assert User.objects.filter(username="troll").exists()
    answer(client_for(user("ann")), chat, "Peer support helped")
    response = host.post(
        f"/connect/chats/{chat.pk}/end/", {"summary": "Peer support came up most."}
    )
    assert response.status_code == 303
    archive = Client().get(f"/connect/chats/{chat.pk}/").content.decode()
    assert "read-only archive" in archive and "Peer support came up most." in archive
    assert "Peer support helped" in archive and 'name="text"' not in archive
    late = answer(client_for(User.objects.get(username="ann")), chat, "late")
    assert late.status_code == 409


def test_the_stream_starts_with_the_revision() -> None:
    host = client_for(user("host"))
    user("mo")
    chat = schedule(host)
    assert Client().get("/connect/chats/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert re.search(
        r'data-stream="/connect/chats/[0-9a-f-]+/stream/"',
        Client().get(f"/connect/chats/{chat.pk}/").content.decode(),
    )


def test_ask_anonymously_refuses_detail_requests_and_verified_answer() -> None:
    anon = Client()
    anon.get("/connect/ask/")
    response = anon.post(
        "/connect/ask/",
        {"text": "Can someone give me the name and address of a service user on their caseload?"},
    )
    assert response.status_code == 400 and "personal details" in response.content.decode()
    line = AuditEntry.objects.get(allowed=False)
    assert line.actor == "anonymous" and "details" in line.action
    assert (
        anon.post(
            "/connect/ask/", {"text": "How can I support my son who hears voices?"}
        ).status_code
        == 303
    )
    question = AskQuestion.objects.get()
    assert question.state == "pending"  # the board is pre-moderated
    sw = client_for(user("sw", verified=True))
    sw.post(
        "/connect/ask/moderate/", {"kind": "question", "id": str(question.pk), "action": "approve"}
    )
    assert "hears voices" in Client().get("/connect/ask/").content.decode()
    unverified = client_for(user("nobody", practitioner=True))
    assert unverified.post(f"/connect/ask/{question.pk}/", {"text": "Hi"}).status_code == 403
    sw.post(
        f"/connect/ask/{question.pk}/",
        {"text": "Ask his care coordinator about a carer's assessment."},
    )
    answer_row = AskAnswer.objects.get()
    sw.post(
        "/connect/ask/moderate/", {"kind": "answer", "id": str(answer_row.pk), "action": "approve"}
    )
    assert "carer&#39;s assessment" in Client().get(f"/connect/ask/{question.pk}/").content.decode()


def test_staff_verify_practitioners_before_they_answer() -> None:
    staff = client_for(user("boss", staff=True))
    client_for(user("nina", practitioner=True))
    assert client_for(user("pleb")).get("/connect/ask/verify/").status_code == 404
    page = staff.get("/connect/ask/verify/").content.decode()
    assert "nina" in page and "Verify" in page
    assert staff.post("/connect/ask/verify/", {"username": "nina"}).status_code == 303
    from kaleidoscope.web.connect.models import Practitioner

    assert Practitioner.objects.get(user__username="nina").verified_at is not None
    assert AuditEntry.objects.filter(actor="boss", action="verified practitioner nina")


def test_a_board_answer_can_be_reported() -> None:
    question = AskQuestion.objects.create(text="How do I find a carers group?", state="published")
    sw = client_for(user("sw", verified=True))
    sw.post(f"/connect/ask/{question.pk}/", {"text": "Ask your local carers centre."})
    answer_row = AskAnswer.objects.get()
    AskAnswer.objects.filter(pk=answer_row.pk).update(state="published")
    reader = client_for(user("reader"))
    assert "Report" in reader.get(f"/connect/ask/{question.pk}/").content.decode()
    assert reader.post(f"/connect/ask/report/answer/{answer_row.pk}/").status_code == 303
    assert reader.post("/connect/ask/report/answer/999999/").status_code == 404
    from kaleidoscope.web.connect.models import Report

    assert Report.objects.filter(kind="answer", target=answer_row.pk).count() == 1


def test_a_board_question_can_be_reported_and_three_reports_hide_it_for_the_moderators() -> None:
    question = AskQuestion.objects.create(text="Is it ok to post about my day?", state="published")
    readers = [client_for(user(f"reader{i}")) for i in range(3)]
    page = readers[0].get(f"/connect/ask/{question.pk}/").content.decode()
    assert f'action="/connect/ask/report/question/{question.pk}/"' in page
    assert "Report<span class=\"govuk-visually-hidden\"> this question" in page
    assert Client().get(f"/connect/ask/{question.pk}/").content.decode().count(
        "/connect/ask/report/question/"
    ) == 0  # signed out: no button
    for reader in readers[:2]:
        assert reader.post(f"/connect/ask/report/question/{question.pk}/").status_code == 303
    readers[0].post(f"/connect/ask/report/question/{question.pk}/")  # twice is once
    question.refresh_from_db()
    assert question.state == "published"
    moderator = client_for(user("mod", verified=True))
    assert "reported by 2 people" in moderator.get("/connect/ask/moderate/").content.decode()
    readers[2].post(f"/connect/ask/report/question/{question.pk}/")
    question.refresh_from_db()
    assert question.state == "hidden"
    assert "reported by 3 people" in moderator.get("/connect/ask/moderate/").content.decode()
