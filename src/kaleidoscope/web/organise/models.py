"""What an Organise assessment stores.

An ``Assessment`` belongs to the lead who opened it: their own answers (if they give
them) and a staff survey with a join code. A ``SurveyResponse`` is one browser's answers:
``marker`` is a one-way hash of a random token kept in that browser's cookie and of the
assessment's id, so the same browser is counted once and the database cannot link a
response to a browser, a person or another survey. No free text and no time is stored
with a response.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Assessment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments"
    )
    organisation = models.CharField(max_length=120)
    approver = models.CharField(max_length=120, blank=True)
    code = models.CharField(max_length=8, unique=True)
    lead_answers = models.JSONField(null=True, blank=True)
    survey_open = models.BooleanField(default=True)
    response_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]  # noqa: RUF012

    def __str__(self) -> str:
        return f"{self.code} {self.organisation}"


class SurveyResponse(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    marker = models.CharField(max_length=64)
    answers = models.JSONField()

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(
                fields=["assessment", "marker"], name="one_response_per_browser"
            )
        ]
