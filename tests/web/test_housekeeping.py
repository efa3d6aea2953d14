"""Housekeeping forgets what has expired and nothing else (real database, real views)."""

from __future__ import annotations

import os
import subprocess
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from kaleidoscope.web.core import housekeeping
from kaleidoscope.web.groups.models import GroupSession, Participant, Round, Vote
from kaleidoscope.web.learn.models import FirstChoice, Play

from .helpers import play_to_end, start
from .live import KALEIDOSCOPE
from .test_groups import create, decision, facilitator, join, to_vote, vote

pytestmark = pytest.mark.django_db
LONG_AGO = timezone.now() - timedelta(days=400)


def age(play: Play, when: object = LONG_AGO) -> None:
    Play.objects.filter(pk=play.pk).update(updated_at=when, started_at=when)


def test_anonymous_plays_go_only_when_no_live_session_can_reach_them() -> None:
    kept_client, lost_client = Client(), Client()
    kept, lost = start(kept_client), start(lost_client)
    play_to_end(lost_client, lost)
    fresh = Play.objects.create(scenario_id="friend-request", anon_key="not-saved-yet", state={})
    age(kept)
    age(lost)
    lost_session = lost_client.session.session_key
    Session.objects.filter(session_key=lost_session).update(expire_date=LONG_AGO)
    choices = FirstChoice.objects.count()
    assert choices > 0

    swept = housekeeping.sweep()

    assert (swept.sessions, swept.plays) == (1, 1)
    assert not Play.objects.filter(pk=lost.pk).exists()
    assert Play.objects.filter(pk=kept.pk).exists()  # its session still holds the key
    assert Play.objects.filter(pk=fresh.pk).exists()  # within a day: its session may be saving
    assert FirstChoice.objects.count() == choices  # "how others chose" names nobody: kept
    assert kept_client.get(f"/plays/{kept.pk}/").status_code == 200
    assert housekeeping.sweep() == housekeeping.Swept(0, 0, 0)  # nothing more to do


def test_plays_with_an_account_are_never_swept() -> None:
    client = facilitator("learner")
    play = start(client)
    age(play)
    Session.objects.update(expire_date=LONG_AGO)  # even with every session expired
    assert housekeeping.sweep().plays == 0
    assert Play.objects.filter(pk=play.pk).exists()


def test_group_sessions_go_with_their_votes_after_the_keeping_time() -> None:
    fac = facilitator()
    old, recent = create(fac), create(fac)
    for session in (old, recent):
        to_vote(fac, session)
        phone = join(session, "Sam")
        assert vote(phone, session, decision(session).choices[0].id, "why").status_code == 303
    days = housekeeping.group_keep_days()
    GroupSession.objects.filter(pk=old.pk).update(
        last_activity=timezone.now() - timedelta(days=days, minutes=1)
    )
    GroupSession.objects.filter(pk=recent.pk).update(
        last_activity=timezone.now() - timedelta(days=days - 1)
    )

    assert housekeeping.sweep().groups == 1

    assert not GroupSession.objects.filter(pk=old.pk).exists()
    assert not Participant.objects.filter(session_id=old.pk).exists()
    assert not Round.objects.filter(session_id=old.pk).exists()
    assert not Vote.objects.filter(round__session_id=old.pk).exists()
    assert Vote.objects.filter(round__session_id=recent.pk).count() == 1


def test_the_debrief_says_until_when_the_session_is_kept() -> None:
    fac = facilitator()
    session = create(fac)
    page = fac.get(f"/groups/{session.id}/debrief/").content.decode()
    until = housekeeping.group_deleted_after(session.last_activity)
    assert f"kept until {until.day} {until:%B %Y}" in page
    assert f"({housekeeping.group_keep_days()} days after its last" in page


def test_the_command_reports_what_it_deleted(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["KALEIDOSCOPE_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [str(KALEIDOSCOPE), "housekeeping"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "housekeeping: 0 expired session(s), 0 unreachable anonymous play(s), "
        "0 old group session(s) deleted"
    )


def test_connect_audit_lines_go_after_a_year_and_a_day_and_not_before() -> None:
    from kaleidoscope.web.connect.models import AUDIT_KEEP_DAYS, AppendOnly, AuditEntry

    now = timezone.now()
    subject = uuid.uuid4()
    old = AuditEntry.objects.create(
        subject=subject, area="checkins", actor="anonymous", action="viewed",
        at=now - timedelta(days=AUDIT_KEEP_DAYS, hours=1),
    )
    kept = AuditEntry.objects.create(
        subject=subject, area="checkins", actor="anonymous", action="viewed",
        at=now - timedelta(days=AUDIT_KEEP_DAYS - 1),
    )

    # A clock set far ahead is not believed: nothing younger than a year goes.
    swept = housekeeping.sweep(now + timedelta(days=800))

    assert swept.audit == 1
    assert "1 audit line(s) over a year old deleted" in str(swept)
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=kept.pk).exists()
    with pytest.raises(AppendOnly):  # the application still cannot delete a line itself
        AuditEntry.objects.filter(pk=kept.pk).delete()
