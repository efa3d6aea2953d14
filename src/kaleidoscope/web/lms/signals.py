"""Hear play moves without touching the learn app: Django's ``post_save`` of a Play.

``services.save_move`` saves a move with ``update_fields`` that include ``state``, inside
the move's transaction; ``post_save`` runs inside that same transaction, so what
``record_move`` writes to the outbox commits or rolls back with the move.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kaleidoscope.web.groups.models import Vote
from kaleidoscope.web.learn.models import Play

from . import outbox
from .models import PlatformSettings

SKIP = "_lms_skip"  # set on a Play before its first save when the caller records it itself


@receiver(post_save, sender=Play, dispatch_uid="lms-record-move")
def play_saved(sender: Any, instance: Play, created: bool, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if kwargs.get("raw") or getattr(instance, SKIP, False):
        return
    if created or (fields is not None and "state" in fields):
        outbox.record_move(instance)


@receiver(post_save, sender=PlatformSettings, dispatch_uid="lms-grades-anywhere")
@receiver(post_delete, sender=PlatformSettings, dispatch_uid="lms-grades-anywhere-gone")
def platform_settings_saved(sender: Any, **kwargs: Any) -> None:
    """Forget "grades anywhere" now, and again once the change commits: a request that
    read the old row in between would otherwise cache it for the key's five minutes."""
    outbox.forget_grades_anywhere()
    transaction.on_commit(outbox.forget_grades_anywhere)


@receiver(post_save, sender=Vote, dispatch_uid="lms-record-vote")
def vote_saved(sender: Any, instance: Vote, **kwargs: Any) -> None:
    """cast_vote saves a vote inside its transaction: the statement commits with it."""
    if not kwargs.get("raw"):
        outbox.record_vote(instance)
