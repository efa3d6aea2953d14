"""What the server forgets, and when (data minimisation).

- **Expired sign-in sessions** (Django's ``clear_expired``): an anonymous learner's
  session lasts ``SESSION_COOKIE_AGE`` (180 days) from when it was last saved.
- **Anonymous plays nobody can reach any more**: a play without an account belongs to
  the browser session holding its key; once no live session holds that key, its
  reflections can never be read again, so the play goes (after a day's grace, so a play
  started a moment ago is never taken before its session is saved). The anonymous
  "how others chose" counts (``FirstChoice``) are kept: they name nobody.
- **What a killed archive scan left** in the private temp area, whatever its age (a
  live scan's folder is locked, so other processes' scans are never touched).
- **Group sessions** ``GROUP_KEEP_DAYS`` (90) days after their last activity, with
  every participant, round, vote and reason; the debrief page says until when.
- **Connect's audit lines** a year and a day after they were written
  (``AUDIT_KEEP_DAYS``; append-only until then, on PostgreSQL by a trigger too).

``kaleidoscope serve`` runs this at start and then every ``INTERVAL`` seconds in a
daemon thread; ``kaleidoscope housekeeping`` runs it once (for cron, with several server
processes). It logs counts only.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from kaleidoscope.web.groups.models import GroupSession
from kaleidoscope.web.learn.models import Play
from kaleidoscope.web.learn.services import ANON_KEY, write_transaction

log = logging.getLogger(__name__)
INTERVAL = 6 * 3600
GRACE = timedelta(days=1)
BATCH = 500


def group_keep_days() -> int:
    return int(getattr(settings, "GROUP_KEEP_DAYS", 90))


def group_deleted_after(last_activity: datetime) -> datetime:
    """When a group session last active at ``last_activity`` will be deleted."""
    return last_activity + timedelta(days=group_keep_days())


@dataclass(frozen=True)
class Swept:
    sessions: int
    plays: int
    groups: int
    scans: int = field(default=0, compare=False)  # scratch folders of killed scans
    audit: int = field(default=0, compare=False)  # Connect audit lines past their year

    def __str__(self) -> str:
        text = (
            f"{self.sessions} expired session(s), {self.plays} unreachable anonymous "
            f"play(s), {self.groups} old group session(s) deleted"
        )
        if self.audit:
            text += f"; {self.audit} audit line(s) over a year old deleted"
        return text + (f"; {self.scans} killed scan folder(s) deleted" if self.scans else "")


def live_anonymous_keys(now: datetime) -> set[str]:
    """The anonymous-play keys held by sessions that have not expired."""
    decoder = import_module(settings.SESSION_ENGINE).SessionStore()
    keys: set[str] = set()
    rows = Session.objects.filter(expire_date__gt=now).values_list("session_data", flat=True)
    for data in rows.iterator(chunk_size=BATCH):
        key = decoder.decode(data).get(ANON_KEY)
        if key:
            keys.add(key)
    return keys


def sweep(now: datetime | None = None) -> Swept:
    now = now or timezone.now()
    with write_transaction():
        sessions, _ = Session.objects.filter(expire_date__lte=now).delete()
    live = live_anonymous_keys(now)
    stale = [
        pk
        for pk, key in Play.objects.filter(user__isnull=True, updated_at__lt=now - GRACE)
        .values_list("pk", "anon_key")
        .iterator(chunk_size=BATCH)
        if key not in live
    ]
    for start in range(0, len(stale), BATCH):
        with write_transaction():
            Play.objects.filter(pk__in=stale[start : start + BATCH], user__isnull=True).delete()
    cutoff = now - timedelta(days=group_keep_days())
    with write_transaction():
        _, per_model = GroupSession.objects.filter(last_activity__lt=cutoff).delete()
    from kaleidoscope.web.connect.models import AuditEntry

    with write_transaction():
        audit = AuditEntry.objects.purge_expired(now)
    from kaleidoscope.web.core.datadir import sweep_scratch

    scans = sweep_scratch(Path(settings.DATA_DIR))  # any age: locks tell the live ones
    from kaleidoscope.web.check.jobs import sweep_leftovers

    scans += sweep_leftovers()  # uploads whose scan is gone or whose worker was killed
    groups = per_model.get(GroupSession._meta.label, 0)
    return Swept(sessions, len(stale), groups, scans, audit)


def start_thread(interval: float = INTERVAL) -> threading.Thread:
    """Sweep now and then every ``interval`` seconds, in a daemon thread."""
    stop = threading.Event()

    def loop() -> None:
        while True:
            try:
                swept = sweep()
                log.info("housekeeping: %s", swept)
            except Exception:  # a locked or unreachable database: try again next time
                log.exception("housekeeping failed")
            finally:
                connection.close()  # this thread's own connection: do not hold it
            if stop.wait(interval):
                return

    thread = threading.Thread(target=loop, name="housekeeping", daemon=True)
    thread.start()
    return thread
