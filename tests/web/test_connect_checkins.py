"""Check-ins through Django's test client and a real database: record, chart, share
with scope and end date, withdraw, audit, encryption at rest, export and delete."""

from __future__ import annotations

import csv
import io
import os
import stat
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from kaleidoscope.web.connect.models import AuditEntry, CheckIn, Person, Share

from .connect_helpers import client_for, share, user, week

pytestmark = pytest.mark.django_db


def test_a_week_is_charted_and_tabled() -> None:
    person = client_for(user("pat"))
    week(person)
    page = person.get("/connect/check-ins/").content.decode()
    assert "<svg" in page and 'role="img"' in page and "<polyline" in page
    assert page.count('<th scope="row"') == 7
    assert "Slept badly, better after a walk 3" in page


def test_notes_are_encrypted_at_rest_with_a_0600_key_file() -> None:
    person = client_for(user("pat"))
    week(person, note="secret words about my week")
    with connection.cursor() as cursor:
        cursor.execute("SELECT note_token FROM connect_checkin")
        raw = b"".join(bytes(row[0]) for row in cursor.fetchall())
    assert b"secret words" not in raw and raw.startswith(b"gAAAA")
    key = settings.DATA_DIR / "field_key"
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600


def test_bad_scores_get_a_clear_message() -> None:
    person = client_for(user("pat"))
    response = person.post(
        "/connect/check-ins/",
        {"day": timezone.localdate().isoformat(), "mood": "9", "sleep": "", "stress": "x"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Mood must be a whole number from 1 to 5." in page
    assert "Select a score for sleep." in page
    assert CheckIn.objects.count() == 0


def test_practitioner_sees_the_shared_period_then_not_after_withdrawal() -> None:
    pat, sam = user("pat"), user("sam", practitioner=True)
    person, practitioner = client_for(pat), client_for(sam)
    week(person)
    assert share(person, "sam", scope="scores").status_code == 303
    made = Share.objects.get()
    page = practitioner.get(f"/connect/check-ins/shared/{made.pk}/").content.decode()
    assert "<svg" in page and page.count('<th scope="row"') == 7
    assert "Slept badly" not in page  # scores only: no notes
    log = person.get("/connect/check-ins/log/").content.decode()
    assert "sam" in log and "viewed your check-ins" in log
    assert person.post(f"/connect/check-ins/shares/{made.pk}/withdraw/").status_code == 303
    refused = practitioner.get(f"/connect/check-ins/shared/{made.pk}/")
    assert refused.status_code == 404
    assert "withdrawn their consent" in refused.content.decode()
    entry = AuditEntry.objects.filter(allowed=False).get()
    assert entry.actor == "sam" and "withdrawn" in entry.action
    assert entry.subject == Person.objects.get(user=pat).ref


def test_notes_only_with_that_scope_and_expired_shares_refused() -> None:
    pat, sam = user("pat"), user("sam", practitioner=True)
    person, practitioner = client_for(pat), client_for(sam)
    week(person)
    share(person, "sam", scope="scores_and_notes")
    made = Share.objects.get()
    assert (
        "Slept badly" in practitioner.get(f"/connect/check-ins/shared/{made.pk}/").content.decode()
    )
    Share.objects.filter(pk=made.pk).update(ends=timezone.localdate() - timedelta(days=1))
    assert practitioner.get(f"/connect/check-ins/shared/{made.pk}/").status_code == 404
    assert AuditEntry.objects.filter(allowed=False, action__contains="expired").exists()
    # someone else entirely
    other = client_for(user("eve", practitioner=True))
    assert other.get(f"/connect/check-ins/shared/{made.pk}/").status_code == 404


def test_share_needs_a_practitioner_and_sensible_dates() -> None:
    person = client_for(user("pat"))
    user("joe")  # an account, not a practitioner
    response = share(person, "joe")
    assert response.status_code == 400 and "no practitioner account" in response.content.decode()
    user("sam", practitioner=True)
    response = share(person, "sam", days=400)
    assert response.status_code == 400 and "within 92 days" in response.content.decode()


def test_export_csv_and_pdf_then_delete_everything() -> None:
    pat, _sam = user("pat"), user("sam", practitioner=True)
    person = client_for(pat)
    week(person, note="=SUM(A1)")
    share(person, "sam")
    rows = list(
        csv.reader(io.StringIO(person.get("/connect/check-ins/export.csv").content.decode()))
    )
    assert rows[0] == ["date", "mood", "sleep", "stress", "connected", "note"]
    assert len(rows) == 8 and rows[1][-1].startswith("'=SUM")
    pdf = person.get("/connect/check-ins/export.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Your check-ins" in text and "=SUM(A1)" in text
    old_ref = Person.objects.get(user=pat).ref
    assert person.post("/connect/check-ins/delete/", {}).status_code == 400
    assert person.post("/connect/check-ins/delete/", {"confirm": "yes"}).status_code == 303
    assert CheckIn.objects.count() == 0 and Share.objects.count() == 0
    assert not Person.objects.filter(ref=old_ref).exists()
    assert AuditEntry.objects.filter(subject=old_ref).exists()  # kept, without a link to pat


def test_pages_need_sign_in() -> None:
    from django.test import Client

    response = Client().get("/connect/check-ins/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
