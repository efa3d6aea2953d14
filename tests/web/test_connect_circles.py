"""Circles: made with consent, invitations (django.core.signing), members only, no case
notes by design, consent review and withdrawal, leaving, every view audited, a PDF."""

from __future__ import annotations

import io
import re

import pytest
from django.db import models
from django.test import Client
from pypdf import PdfReader

from kaleidoscope.connect.circles import FIELDS
from kaleidoscope.web.connect import models as connect_models
from kaleidoscope.web.connect.models import AuditEntry, Circle, CircleMember

from .connect_helpers import client_for, user

pytestmark = pytest.mark.django_db

CARD = {
    "name": "Sam Lee",
    "role": "Social worker",
    "agency": "Northtown Council",
    "contact": "sam.lee@northtown.example",
}
CASE_NOTES = [
    "Disclosed abuse at home visit",
    "Visited Mum, concerns about neglect",
    "Tom, 8, at Park Road Primary",
    "Lives with grandparents after the incident",
    "Jade 14 Oakfield School",
    "Was seen at A&E after an overdose last week",
    "Ongoing section 47 enquiry; strategy meeting on Monday; police called twice",
]


def make_circle(client: Client, **extra: str) -> Circle:
    data = {
        "person_name": "Alex",
        "my_kind": "practitioner",
        **CARD,
        "consent_method": "in_person",
        "review_days": "90",
        "consent_given": "yes",
        **extra,
    }
    response = client.post("/connect/circles/new/", data)
    assert response.status_code == 303, response.content.decode()[:2000]
    return Circle.objects.get()


def invite(client: Client, circle: Circle, **card: str) -> str:
    data = {
        "kind": "chosen",
        "name": "Jo",
        "relationship": "Aunt",
        "contact": "07700 900123",
        **card,
    }
    response = client.post(f"/connect/circles/{circle.pk}/invite/", data)
    assert response.status_code == 200, response.content.decode()[:2000]
    found = re.search(r'id="invite-link" href="([^"]+)"', response.content.decode())
    assert found
    return found.group(1).replace("http://testserver", "")


def test_made_with_consent_invite_and_members_see_contacts() -> None:
    sam = client_for(user("sam"))
    circle = make_circle(sam)
    assert circle.consent_recorded_by == "sam" and circle.consent_method == "in_person"
    link = invite(sam, circle)
    jo = client_for(user("jo"))
    assert jo.get(link).status_code == 200
    assert jo.post(link).status_code == 303
    page = jo.get(f"/connect/circles/{circle.pk}/").content.decode()
    assert "sam.lee@northtown.example" in page and "07700 900123" in page
    # a stranger gets a 404 and an audit line
    eve = client_for(user("eve"))
    assert eve.get(f"/connect/circles/{circle.pk}/").status_code == 404
    assert AuditEntry.objects.filter(subject=circle.pk, actor="eve", allowed=False).exists()
    assert AuditEntry.objects.filter(subject=circle.pk, actor="jo", action="viewed the circle")


def test_a_member_who_left_cannot_use_old_links() -> None:
    sam = client_for(user("sam"))
    circle = make_circle(sam)
    link = invite(sam, circle)
    jo = client_for(user("jo"))
    jo.post(link)
    assert jo.post(f"/connect/circles/{circle.pk}/leave/").status_code == 303
    assert jo.get(f"/connect/circles/{circle.pk}/").status_code == 404
    assert jo.get(f"/connect/circles/{circle.pk}/circle.pdf").status_code == 404
    assert jo.get(link).status_code == 404  # the invitation was for a member who left
    refused = AuditEntry.objects.filter(subject=circle.pk, actor="jo", allowed=False)
    assert refused.count() == 3


def test_forged_and_reused_invitations_are_refused_and_audited() -> None:
    sam = client_for(user("sam"))
    circle = make_circle(sam)
    link = invite(sam, circle)
    eve = client_for(user("eve"))
    forged = link[:-3] + ("aaa" if not link.endswith("aaa/") else "bbb") + "/"
    response = eve.get(forged)
    assert response.status_code == 404 and "not valid" in response.content.decode()
    client_for(user("jo")).post(link)
    assert eve.get(link).status_code == 404  # used already
    assert AuditEntry.objects.filter(actor="eve", allowed=False).count() == 2


def test_every_free_text_field_is_short_and_refuses_case_notes() -> None:
    # 1. No long text anywhere in a circle: every text field is a short CharField whose
    #    limit comes from the rules (so the checks below cover them all).
    for model in (connect_models.Circle, connect_models.CircleMember):
        for field in model._meta.get_fields():
            assert not isinstance(field, models.TextField), field
            if isinstance(field, models.CharField) and not field.choices:
                if field.name in ("consent_recorded_by",):
                    continue  # a username, set by the app, never typed
                assert field.name in FIELDS, field.name
                assert field.max_length == FIELDS[field.name].max_chars <= 100
    # 2. Every typed field refuses every case note, through the real forms.
    sam = client_for(user("sam"))
    circle = make_circle(sam)
    for note in CASE_NOTES:
        for name in ("role", "agency", "contact"):
            data = {"kind": "practitioner", **CARD, name: note}
            response = sam.post(f"/connect/circles/{circle.pk}/invite/", data)
            assert response.status_code == 400, (name, note)
        response = sam.post(
            f"/connect/circles/{circle.pk}/invite/",
            {"kind": "chosen", "name": "Jo", "relationship": note, "contact": "07700 900123"},
        )
        assert response.status_code == 400, ("relationship", note)
    assert CircleMember.objects.count() == 1


def test_consent_withdrawn_or_overdue_hides_details_and_review_restores() -> None:
    from datetime import timedelta

    sam = client_for(user("sam"))
    circle = make_circle(sam)
    sam.post(f"/connect/circles/{circle.pk}/consent/", {"action": "withdraw"})
    page = sam.get(f"/connect/circles/{circle.pk}/").content.decode()
    assert "sam.lee@northtown.example" not in page and "consent withdrawn" in page
    assert sam.get(f"/connect/circles/{circle.pk}/circle.pdf").status_code == 404
    sam.post(
        f"/connect/circles/{circle.pk}/consent/", {"action": "review", "consent_method": "phone"}
    )
    assert "sam.lee@northtown.example" in sam.get(f"/connect/circles/{circle.pk}/").content.decode()
    Circle.objects.filter(pk=circle.pk).update(
        consent_recorded_at=circle.consent_recorded_at - timedelta(days=91)
    )
    page = sam.get(f"/connect/circles/{circle.pk}/").content.decode()
    assert "review overdue" in page and "sam.lee@northtown.example" not in page


def test_circle_needs_consent_and_gives_a_one_page_pdf() -> None:
    sam = client_for(user("sam"))
    response = sam.post("/connect/circles/new/", {"person_name": "Alex", "my_kind": "person"})
    assert response.status_code == 400
    assert "Confirm the person has agreed" in response.content.decode()
    circle = make_circle(sam)
    pdf = sam.get(f"/connect/circles/{circle.pk}/circle.pdf")
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "The circle around Alex" in text and "sam.lee@northtown.example" in text


def test_the_maker_can_delete_the_circle_and_its_log_stays() -> None:
    sam = client_for(user("sam"))
    circle = make_circle(sam)
    jo = client_for(user("jo"))
    jo.post(invite(sam, circle))
    assert jo.post(f"/connect/circles/{circle.pk}/delete/").status_code == 404  # not admin
    assert sam.post(f"/connect/circles/{circle.pk}/delete/").status_code == 303
    assert not Circle.objects.exists() and not CircleMember.objects.exists()
    assert AuditEntry.objects.filter(subject=circle.pk, action__startswith="deleted").exists()
