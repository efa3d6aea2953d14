"""What the LMS integration stores: the outbox, play cursors, LTI links and platform settings.

The outbox (``OutboxItem``) is written in the same transaction as the play move that
caused it, so a statement exists if and only if its move does. The sender delivers items
oldest first; an item is ``sent``, ``pending`` (will be retried) or ``rejected`` (the
receiver answered 4xx: kept with the answer for inspection, never retried).
"""

from __future__ import annotations

import uuid

from django.db import models
from lti_tool.models import LtiDeployment, LtiRegistration  # type: ignore[import-untyped]

from kaleidoscope.web.learn.models import Play


class PlatformSettings(models.Model):
    """What Kaleidoscope may send to one registered LTI platform (off until switched on)."""

    registration = models.OneToOneField(
        LtiRegistration, on_delete=models.CASCADE, related_name="kaleidoscope"
    )
    send_grades = models.BooleanField(
        default=False, help_text="Send completion and the outcome score (AGS) on an ending."
    )
    send_xapi = models.BooleanField(
        default=False, help_text="Send xAPI statements for plays launched from this platform."
    )
    frame_origins = models.TextField(
        blank=True,
        help_text=(
            "Other origins (https://host, one per line) whose pages may show Kaleidoscope's "
            "LTI pages in a frame, besides the issuer's and the authorisation URL's (e.g. a "
            "Canvas institution's own domain). The play itself always opens in a new window."
        ),
    )

    class Meta:
        verbose_name = "platform data settings"
        verbose_name_plural = "platform data settings"

    def __str__(self) -> str:
        return f"data settings for {self.registration}"


class LaunchLink(models.Model):
    """A play started by an LTI launch: where its grade and statements go."""

    play = models.OneToOneField(Play, on_delete=models.CASCADE, related_name="lti")
    deployment = models.ForeignKey(LtiDeployment, on_delete=models.CASCADE)
    sub = models.CharField(max_length=255)  # the learner's id at the platform (opaque)
    resource_link = models.CharField(max_length=255, blank=True)
    ags = models.JSONField(null=True, blank=True)  # the launch's AGS endpoint claim
    group_session = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class GroupLink(models.Model):
    """A group session a teacher started from an LTI launch (its votes may go to the LRS)."""

    session = models.OneToOneField(
        "groups.GroupSession", on_delete=models.CASCADE, related_name="lti"
    )
    deployment = models.ForeignKey(LtiDeployment, on_delete=models.CASCADE)


class UsedNonce(models.Model):
    """Launch nonces already accepted: a replayed launch is refused."""

    issuer = models.CharField(max_length=255)
    nonce = models.CharField(max_length=255)
    used_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["issuer", "nonce"], name="lms_nonce_once")
        ]


class Cursor(models.Model):
    """How far a play has been turned into statements (steps seen, statements numbered)."""

    play = models.OneToOneField(Play, on_delete=models.CASCADE, primary_key=True)
    registration = models.UUIDField(default=uuid.uuid4)
    steps = models.JSONField(default=list)
    seq = models.PositiveIntegerField(default=0)
    # Decided once, when the play's first statement is due: where its statements go.
    send = models.BooleanField(default=True)
    actor_home = models.CharField(max_length=255, blank=True)
    actor_name = models.CharField(max_length=255, blank=True)
    group_session = models.CharField(max_length=64, blank=True)


class OutboxItem(models.Model):
    """One message to deliver: an xAPI statement or an AGS score."""

    XAPI = "xapi"
    GRADE = "grade"
    PENDING = "pending"
    SENT = "sent"
    REJECTED = "rejected"

    kind = models.CharField(max_length=8, default=XAPI)
    key = models.UUIDField(unique=True)  # the statement id (idempotent), or the grade's id
    payload = models.JSONField()
    target = models.CharField(max_length=64, blank=True)  # grade: the deployment's pk
    state = models.CharField(max_length=10, default=PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [  # noqa: RUF012
            models.Index(fields=["kind", "state", "id"], name="lms_outbox_queue")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} ({self.state})"
