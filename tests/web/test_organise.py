"""Organise through Django's test client on a real database: open an assessment, answer
as the lead, staff answer anonymously, results, downloads, close, delete, and the bad
inputs the issue lists (answered twice, closed or expired survey, tampered values,
results below the anonymity threshold) - each a clear message, never a 500."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from kaleidoscope.organise.validate import bundled_instrument
from kaleidoscope.web.organise.models import Assessment, SurveyResponse

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-pass-phrase-42"


def lead_client(name: str = "lead") -> Client:
    get_user_model().objects.create_user(username=name, password=PASSWORD)
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def all_answers(pick: int = 0) -> dict[str, str]:
    inst = bundled_instrument()
    out = {}
    for q in inst.questions:
        options = inst.scale_of(q).options
        out[q.id] = options[min(pick, len(options) - 1)].id
    return out


def open_assessment(client: Client, organisation: str = "Northshire Council") -> Assessment:
    response = client.post(
        "/organise/new/", {"organisation": organisation, "approver": "the head of comms"}
    )
    assert response.status_code == 303, response.content
    return Assessment.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def staff_answer(row: Assessment, pick: int = 0, client: Client | None = None) -> Any:
    client = client or Client()
    page = client.get(f"/organise/s/{row.code}/")
    assert page.status_code == 200
    return client, client.post(f"/organise/s/{row.code}/", all_answers(pick), follow=True)


def test_lead_opens_answers_and_staff_respond() -> None:
    lead = lead_client()
    row = open_assessment(lead)
    page = lead.get(f"/organise/{row.id}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert row.code in body and 'class="k-qr"' in body
    assert f"/organise/s/{row.code}/" in body

    response = lead.post(f"/organise/{row.id}/answers/", all_answers(0))
    assert response.status_code == 303
    row.refresh_from_db()
    assert row.lead_answers == all_answers(0)

    for pick in (0, 1, 2, 1, 2):
        _, done = staff_answer(row, pick)
        assert done.status_code == 200
        assert "Your answers are in" in done.content.decode()
    row.refresh_from_db()
    assert row.response_count == 5 == SurveyResponse.objects.filter(assessment=row).count()

    results = lead.get(f"/organise/{row.id}/results/").content.decode()
    assert "Staff results appear" not in results
    assert "LGIU 2011" in results and "Community Care 2015" in results
    assert "Different units" in results
    assert "Where you and your staff differ" in results
    assert "/scenarios/parent-public-profile/" in results

    csv_text = lead.get(f"/organise/{row.id}/plan.csv").content.decode()
    assert csv_text.splitlines()[0].startswith("rank,theme,action")
    assert lead.get(f"/organise/{row.id}/plan.pdf").content.startswith(b"%PDF")
    docx = lead.get(f"/organise/{row.id}/policy.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    policy = lead.get(f"/organise/{row.id}/policy/").content.decode()
    assert "draft for local legal and HR review" in policy
    assert "Regulation of Investigatory Powers Act 2000" in policy
    responses = lead.get(f"/organise/{row.id}/responses.csv").content.decode().splitlines()
    assert len(responses) == 6


def test_answered_twice_from_one_browser_counts_once() -> None:
    row = open_assessment(lead_client())
    client, first = staff_answer(row, 0)
    assert first.status_code == 200
    again = client.post(f"/organise/s/{row.code}/", all_answers(2))
    assert again.status_code == 409
    assert "already answered" in again.content.decode()
    assert client.get(f"/organise/s/{row.code}/").content.decode().count("already answered") >= 1
    row.refresh_from_db()
    assert row.response_count == 1
    assert SurveyResponse.objects.get(assessment=row).answers == all_answers(0)


def test_closed_and_expired_surveys_refuse_answers() -> None:
    lead = lead_client()
    row = open_assessment(lead)
    client = Client()
    client.get(f"/organise/s/{row.code}/")
    assert lead.post(f"/organise/{row.id}/close/").status_code == 303
    response = client.post(f"/organise/s/{row.code}/", all_answers(0))
    assert response.status_code == 410
    assert "has been closed" in response.content.decode()
    assert client.get(f"/organise/s/{row.code}/").status_code == 410

    other = open_assessment(lead, "Southvale")
    Assessment.objects.filter(pk=other.pk).update(closes_at=timezone.now() - timedelta(days=1))
    expired = Client().get(f"/organise/s/{other.code}/")
    assert expired.status_code == 410 and "closed on" in expired.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_tampered_values_are_refused_and_nothing_saved() -> None:
    row = open_assessment(lead_client())
    client = Client()
    client.get(f"/organise/s/{row.code}/")
    answers = all_answers(0)
    answers["policy-written"] = "definitely'; DROP TABLE"
    response = client.post(f"/organise/s/{row.code}/", answers)
    assert response.status_code == 400
    body = response.content.decode()
    assert "was not one of the options" in body and 'href="#policy-written"' in body
    missing = all_answers(0)
    del missing["training-offered"]
    response = client.post(f"/organise/s/{row.code}/", missing)
    assert response.status_code == 400 and "Select an answer to" in response.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_results_below_threshold_show_a_message_not_figures() -> None:
    lead = lead_client()
    row = open_assessment(lead)
    empty = lead.get(f"/organise/{row.id}/results/")
    assert empty.status_code == 200 and "There are no results yet" in empty.content.decode()
    for pick in range(4):
        staff_answer(row, pick % 3)
    page = lead.get(f"/organise/{row.id}/results/").content.decode()
    assert "Staff results appear when at least 5 people have answered; 4 so far" in page
    assert "of your staff" not in page
    export = lead.get(f"/organise/{row.id}/responses.csv")
    assert export.status_code == 303
    for what in ("plan.csv", "plan.pdf", "plan.md", "policy.docx", "policy.pdf", "policy.md"):
        assert lead.get(f"/organise/{row.id}/{what}").status_code == 200


def test_only_the_lead_sees_or_deletes_an_assessment() -> None:
    row = open_assessment(lead_client())
    stranger = lead_client("stranger")
    for path in ("", "results/", "policy/", "plan.pdf", "delete/", "responses.csv"):
        assert stranger.get(f"/organise/{row.id}/{path}").status_code == 404
    assert stranger.post(f"/organise/{row.id}/delete/").status_code == 404
    assert Client().get(f"/organise/{row.id}/results/").status_code == 302  # sign in first
    owner = Client()
    owner.login(username="lead", password=PASSWORD)
    staff_answer(row, 0)
    assert owner.post(f"/organise/{row.id}/delete/").status_code == 303
    assert not Assessment.objects.filter(pk=row.pk).exists()
    assert SurveyResponse.objects.count() == 0


def test_join_codes_and_bad_forms() -> None:
    lead = lead_client()
    row = open_assessment(lead)
    client = Client()
    assert client.post("/organise/join/", {"code": "??"}).status_code == 400
    unknown = client.post(
        "/organise/join/", {"code": "ZZZZZZ" if row.code != "ZZZZZZ" else "YYYYYY"}
    )
    assert unknown.status_code == 400 and "No survey has the code" in unknown.content.decode()
    ok = client.post("/organise/join/", {"code": row.code.lower()})
    assert ok.status_code == 303 and ok["Location"].endswith(f"/organise/s/{row.code}/")
    assert client.get("/organise/s/NOPE00/").status_code == 404
    bad = lead.post("/organise/new/", {"organisation": "  "})
    assert bad.status_code == 400 and "Enter the name" in bad.content.decode()
    assert lead.post("/organise/new/", {"organisation": "x" * 500}).status_code == 400
    assert lead.post(f"/organise/{row.id}/answers/", {"policy-written": "maybe"}).status_code == 400
    assert Client().get("/organise/case-studies/").status_code == 200
    assert re.search(
        r"Blocked at the firewall", Client().get("/organise/case-studies/").content.decode()
    )


def test_trend_across_repeated_assessments() -> None:
    lead = lead_client()
    first = open_assessment(lead)
    lead.post(f"/organise/{first.id}/answers/", all_answers(2))
    Assessment.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=200))
    second = open_assessment(lead)
    lead.post(f"/organise/{second.id}/answers/", all_answers(0))
    page = lead.get(f"/organise/{second.id}/results/").content.decode()
    assert "Trend across assessments" in page
    assert re.search(r"Overall</th>.*?\+\d+", page, re.S)


def test_survey_form_carries_a_working_csrf_token() -> None:
    row = open_assessment(lead_client())
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/organise/s/{row.code}/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "the survey form has no CSRF token"
    forged = client.post(f"/organise/s/{row.code}/", all_answers(0))
    assert forged.status_code == 403
    done = client.post(
        f"/organise/s/{row.code}/", {**all_answers(0), "csrfmiddlewaretoken": token.group(1)}
    )
    assert done.status_code == 303 and done["Location"].endswith("/thanks/")
    assert SurveyResponse.objects.count() == 1
