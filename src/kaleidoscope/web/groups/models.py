"""What a group session stores.

One ``GroupSession`` follows ONE shared playthrough: ``state`` is exactly
``Playthrough.to_json()`` and the engine does every move. ``Round`` is one decision put to
the room; ``Vote`` is one participant's current vote in a round.

Votes are not linked to identities. A participant's browser holds a random token (a
cookie); ``Participant.token_hash`` and ``Vote.voter`` are two *different* one-way hashes
of it, so the database alone cannot tell which participant cast which vote, and a vote
carries no display name and no time.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Phase(models.TextChoices):
    LOBBY = "lobby", "Waiting to start"
    PASSAGE = "passage", "Reading"
    VOTING = "voting", "Voting"
    REVEALED = "revealed", "Votes revealed"
    DISCUSSION = "discussion", "Discussion"
    ENDED = "ended", "Ended"
    CLOSED = "closed", "Closed"


class GroupSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(max_length=8, unique=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_sessions"
    )
    scenario_id = models.CharField(max_length=80)
    state = models.JSONField()
    phase = models.CharField(max_length=12, choices=Phase.choices, default=Phase.LOBBY)
    # Goes up by one with every transition; the facilitator's forms carry the revision
    # they were drawn from, so a double click or a stale tab cannot move the group twice.
    revision = models.PositiveIntegerField(default=0)
    last_action = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]  # noqa: RUF012

    def __str__(self) -> str:
        return f"{self.code} {self.scenario_id}"


class Participant(models.Model):
    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="participants")
    token_hash = models.CharField(max_length=64)
    display_name = models.CharField(max_length=40, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["session", "token_hash"], name="one_participant")
        ]


class Round(models.Model):
    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    node_id = models.CharField(max_length=80)
    revealed = models.BooleanField(default=False)
    choice_id = models.CharField(max_length=80, blank=True)  # the option the group followed
    decided_by = models.CharField(max_length=12, blank=True)  # "majority" or "facilitator"

    class Meta:
        ordering = ["number"]  # noqa: RUF012
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["session", "number"], name="one_round_number")
        ]


class Vote(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=64)
    choice_id = models.CharField(max_length=80)
    reason = models.CharField(max_length=140, blank=True)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["round", "voter"], name="one_vote_per_round")
        ]
