"""What the web app stores: playthroughs (the engine's JSON) and anonymous first choices."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Play(models.Model):
    """One learner's playthrough of one scenario.

    ``state`` is exactly ``Playthrough.to_json()``; the engine rebuilds it with
    ``from_json`` (which checks every step), so views never re-implement play logic.
    ``revision`` goes up by one with every move: a form carries the revision it was
    drawn from, so a stale tab, a replay or a double submit cannot move the play twice.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scenario_id = models.CharField(max_length=80, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="plays",
    )
    anon_key = models.CharField(max_length=64, blank=True, db_index=True)
    state = models.JSONField()
    revision = models.PositiveIntegerField(default=0)
    last_move = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    ending_id = models.CharField(max_length=80, blank=True)
    outcome = models.CharField(max_length=20, blank=True)
    learned = models.TextField(blank=True)
    impact = models.TextField(blank=True)
    reflected_at = models.DateTimeField(null=True, blank=True)
    # The published story version this play started on (None: a bundled scenario).
    story_version = models.ForeignKey(
        "StoryVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="plays"
    )

    class Meta:
        ordering = ["-started_at"]  # noqa: RUF012

    def __str__(self) -> str:
        return f"{self.scenario_id} {self.id}"


class FirstChoice(models.Model):
    """The first choice a play made at a decision, for "how others chose".

    Anonymous by construction: ``play_token`` is a keyed hash of the play id (so one play
    counts once per decision) and nothing here points at a user or a play row.
    """

    scenario_id = models.CharField(max_length=80)
    node_id = models.CharField(max_length=80)
    choice_id = models.CharField(max_length=80)
    play_token = models.CharField(max_length=64)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["play_token", "node_id"], name="one_first_choice")
        ]
        indexes = [  # noqa: RUF012
            models.Index(fields=["scenario_id", "node_id"], name="choice_by_node")
        ]


class StoryVersion(models.Model):
    """One uploaded version of an organisation's own scenario (Twine or YAML).

    Staff upload a story; each upload is a new version (a draft while it has errors).
    Publishing a valid version makes it the one in the library; the versions before it
    stay, so a play keeps the version it started on (``Play.story_version``).
    """

    DRAFT = "draft"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"
    STATES = ((DRAFT, "Draft"), (PUBLISHED, "Published"), (WITHDRAWN, "Withdrawn"))

    scenario_id = models.CharField(max_length=80, db_index=True)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    state = models.CharField(max_length=12, choices=STATES, default=DRAFT, db_index=True)
    source_name = models.CharField(max_length=255)
    yaml_text = models.TextField()
    report = models.JSONField(default=list)  # [[line, code, message, severity], ...]
    errors = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scenario_id", "-version"]  # noqa: RUF012
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["scenario_id", "version"], name="one_story_version")
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id} v{self.version}"


class LearnerSettings(models.Model):
    """What a signed-in learner chose for themselves, kept with their account so it follows
    them to another computer: for now, their nation (learn/nation.py). Learners without an
    account keep it in their session."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_settings"
    )
    nation = models.CharField(max_length=40, blank=True)
