"""What Connect stores (see docs/connect.md for why, how long and who sees it).

- Check-ins: one a day per person: scores (JSON) and an optional note, encrypted with
  Fernet before it reaches the database (``note_token``).
- Shares: a person's consent for one named practitioner to see their check-ins, with a
  scope and an end date; withdrawal keeps the row (the audit log refers to it).
- Audit entries: append-only. The application cannot change or remove a row (model,
  queryset and, on PostgreSQL, a trigger refuse); ``subject`` is a random reference, not
  a foreign key, so deleting a person's data leaves an unlinkable trail.
- Circles: contact cards only, every text field short (its limits come from
  ``kaleidoscope.connect.circles.FIELDS``); consent with who, when, how and review.
- Chats, questions, posts, reports and blocks; the Ask a social worker board.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from kaleidoscope.connect import chats as chat_rules
from kaleidoscope.connect.circles import FIELDS, MemberKind
from kaleidoscope.connect.consent import ConsentMethod, Scope
from kaleidoscope.connect.safety import Concern

USER = settings.AUTH_USER_MODEL


class AppendOnly(Exception):
    """Raised when code tries to change or remove an audit entry."""


class Person(models.Model):
    """A user's Connect identity: a random reference the audit log uses instead of a key."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="connect_person")
    ref = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)


class Practitioner(models.Model):
    """A user who works in practice; ``verified_at`` is set by staff who checked them."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="connect_practitioner")
    role = models.CharField(max_length=FIELDS["role"].max_chars)
    agency = models.CharField(max_length=FIELDS["agency"].max_chars)
    verified_at = models.DateTimeField(null=True, blank=True)


class CheckIn(models.Model):
    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="connect_checkins")
    day = models.DateField()
    scores = models.JSONField()
    note_token = models.BinaryField(blank=True, default=b"")  # Fernet token, or empty
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["day"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["owner", "day"], name="one_checkin_a_day")
        ]


class Share(models.Model):
    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="connect_shares")
    practitioner = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="connect_shared_with"
    )
    scope = models.CharField(max_length=20, choices=[(s.value, s.value) for s in Scope])
    covers_from = models.DateField()
    ends = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]


# How long an audit line is kept: a year and a day, as the PostgreSQL trigger of migration
# 0002 also holds (it refuses to delete a younger line).
AUDIT_KEEP_DAYS = 366


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def purge_expired(self, now: datetime | None = None) -> int:
        """Delete the lines older than AUDIT_KEEP_DAYS (housekeeping's job; the only
        delete there is). ``now`` later than the clock is not believed: a line is never
        taken before its year is up."""
        clock = timezone.now()
        cutoff = min(now or clock, clock) - timedelta(days=AUDIT_KEEP_DAYS)
        expired = self.filter(at__lt=cutoff)
        deleted, _ = models.QuerySet.delete(expired)
        return deleted

    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("audit entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("audit entries cannot be removed")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnly("audit entries cannot be changed")

    def update_or_create(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("audit entries cannot be changed")


class AuditEntry(models.Model):
    """One look at, or attempt to reach, someone's Connect data. Append-only."""

    subject = models.UUIDField(db_index=True)  # Person.ref, Circle.id, Chat.id or BOARD
    area = models.CharField(max_length=20)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=80)
    allowed = models.BooleanField(default=True)
    at = models.DateTimeField(default=timezone.now)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-at", "-id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AppendOnly("audit entries cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("audit entries cannot be removed")


def _text_field(name: str, **kw: Any) -> models.CharField[str, str]:
    return models.CharField(max_length=FIELDS[name].max_chars, **kw)


class Circle(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person_name = _text_field("person_name")
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="connect_circles_made"
    )
    created_at = models.DateTimeField(default=timezone.now)
    consent_recorded_by = models.CharField(max_length=150)
    consent_recorded_at = models.DateTimeField()
    consent_method = models.CharField(
        max_length=20, choices=[(m.value, m.value) for m in ConsentMethod]
    )
    review_days = models.PositiveSmallIntegerField()
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)


class CircleMember(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="connect_memberships"
    )
    kind = models.CharField(max_length=20, choices=[(k.value, k.value) for k in MemberKind])
    name = _text_field("name")
    role = _text_field("role", blank=True)
    agency = _text_field("agency", blank=True)
    contact = _text_field("contact", blank=True)
    relationship = _text_field("relationship", blank=True)
    is_admin = models.BooleanField(default=False)
    invited_at = models.DateTimeField(default=timezone.now)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["invited_at", "id"]


class Chat(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    host = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="connect_chats")
    topic = models.CharField(max_length=chat_rules.MAX_TOPIC)
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField()
    moderation = models.CharField(
        max_length=10, choices=[(m.value, m.value) for m in chat_rules.Moderation]
    )
    current = models.PositiveSmallIntegerField(default=1)  # questions asked so far
    ended_at = models.DateTimeField(null=True, blank=True)
    summary = models.CharField(max_length=chat_rules.MAX_SUMMARY, blank=True)
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["-starts_at"]

    def phase(self, now: datetime | None = None) -> chat_rules.Phase:
        return chat_rules.phase(
            self.starts_at, self.minutes, now or timezone.now(), ended=self.ended_at is not None
        )


class ChatQuestion(models.Model):
    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=chat_rules.MAX_QUESTION)

    class Meta:
        ordering: ClassVar[list[str]] = ["number"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["chat", "number"], name="one_question_number")
        ]


class ChatModerator(models.Model):
    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="moderators")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="connect_moderating")

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["chat", "user"], name="one_moderator_row")
        ]


class ModeratedPost(models.Model):
    """What chat posts, board questions and answers share: text, state, the checker's
    findings (shown to moderators) and whether the checker held it back."""

    text = models.CharField(max_length=chat_rules.MAX_POST)
    state = models.CharField(
        max_length=12, choices=[(s.value, s.value) for s in chat_rules.PostState]
    )
    findings = models.JSONField(default=list, blank=True)
    held = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    @property
    def concerns(self) -> list[Concern]:
        return [Concern.from_json(f) for f in self.findings if isinstance(f, dict)]


class ChatPost(ModeratedPost):
    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="posts")
    question = models.PositiveSmallIntegerField()
    author = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="connect_chat_posts"
    )
    author_name = models.CharField(max_length=150)

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at", "id"]


class AskQuestion(ModeratedPost):
    """Asked anonymously: nothing links a question to who asked it."""

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]


class AskAnswer(ModeratedPost):
    question = models.ForeignKey(AskQuestion, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="connect_answers"
    )
    author_name = models.CharField(max_length=150)

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at", "id"]


class Report(models.Model):
    """Someone reported a post ("chat", "question" or "answer" with its id)."""

    kind = models.CharField(max_length=10)
    target = models.PositiveBigIntegerField()
    reporter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["kind", "target", "reporter"], name="one_report")
        ]


class Block(models.Model):
    """A user blocked from posting in one chat (``chat``) or on the board (no chat)."""

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, null=True, related_name="blocks")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    by = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)
