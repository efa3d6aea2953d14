"""/see/sources/: how facts are sourced, and where a reader reports a wrong one."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client, override_settings

from kaleidoscope.guidance.registry import load_registry
from kaleidoscope.see.rules import bundled_rules

pytestmark = pytest.mark.django_db
DOC = Path(__file__).resolve().parents[2] / "docs" / "sources.md"


def _page(client: Client, fact: str | None = None) -> str:
    response = client.get("/see/sources/", {"fact": fact} if fact is not None else {})
    assert response.status_code == 200
    return response.content.decode()


def test_a_guidance_key_shows_what_we_say_its_source_and_date(client: Client) -> None:
    entry = load_registry()["SCW-CODE-2026"]
    page = _page(client, "SCW-CODE-2026")
    assert entry.title in page and entry.last_checked.isoformat() in page
    assert f'href="{entry.url}"' in page and "current; Applies in wales" in page
    assert "Report a wrong fact" in page


def test_a_platform_fact_shows_when_it_is_next_due(client: Client) -> None:
    facebook = bundled_rules().get("facebook")
    assert facebook is not None
    fact = facebook.private_account
    page = _page(client, "facebook.private_account")
    assert "Facebook: When the account is private" in page
    assert fact.last_reviewed.isoformat() in page and fact.review_due().isoformat() in page


@pytest.mark.parametrize("fact", ["nothing.here", "<script>", "x" * 500, "facebook.nope"])
def test_an_unknown_or_odd_reference_gets_a_plain_message(client: Client, fact: str) -> None:
    page = _page(client, fact)
    assert "We could not find that fact" in page and "<script>" not in page.split("<main")[-1]


def test_with_a_corrections_address_the_report_is_an_email_with_the_reference(
    client: Client,
) -> None:
    with override_settings(KALEIDOSCOPE_CORRECTIONS_EMAIL="facts@example.org"):
        page = _page(client, "NASW-CODE-1.07q")
    subject = "subject=Kaleidoscope%3A%20wrong%20fact%20NASW-CODE-1.07q"
    assert f'href="mailto:facts@example.org?{subject}' in page
    without = _page(client, "NASW-CODE-1.07q")
    assert "mailto:" not in without and "Tell the person or team who runs" in without


def test_the_sources_doc_covers_sourcing_review_correction_and_reporting() -> None:
    text = DOC.read_text("utf-8")
    for heading in ("## Sourcing", "## Review", "## Correction", "## Reporting a wrong fact"):
        assert heading in text
    assert "Report a wrong fact" in text and "/see/sources/" in text
