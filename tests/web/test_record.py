"""Reflection per play, the learning record, and its Markdown and PDF exports."""

from __future__ import annotations

import pytest
from django.test import Client

from .helpers import play_to_end, scenario, start

pytestmark = pytest.mark.django_db


def test_reflection_is_saved_and_listed(client: Client) -> None:
    play = start(client)
    play_to_end(client, play)
    url = f"/plays/{play.id}/reflection/"
    assert "What did you learn?" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "learned": "Boundaries protect Kayla too.",
            "impact": "I will raise requests in supervision.",
        },
    )
    assert response.status_code == 303 and response["Location"] == "/record/"
    page = client.get("/record/").content.decode()
    assert "Boundaries protect Kayla too." in page and scenario().title in page
    assert "Your reflection is saved" in page


def test_reflection_errors(client: Client) -> None:
    play = start(client)
    url = f"/plays/{play.id}/reflection/"
    empty = client.post(url, {"learned": "  ", "impact": ""})
    assert empty.status_code == 200 and "There is a problem" in empty.content.decode()
    huge = client.post(url, {"learned": "x" * 5001, "impact": "ok"})
    assert "under 5,000 characters" in huge.content.decode()
    assert Client().get(url).status_code == 404  # someone else's play


def test_exports_are_shaped_for_a_cpd_record(client: Client) -> None:
    play = start(client)
    play_to_end(client, play)
    client.post(
        f"/plays/{play.id}/reflection/",
        {"learned": "Consent “matters” – always.", "impact": "Ask first."},
    )
    md = client.get("/record/learning-record.md")
    assert md["Content-Type"].startswith("text/markdown")
    text = md.content.decode()
    for heading in ("### What I did", "### What I learned", "### Impact on my practice"):
        assert heading in text
    assert "Consent “matters” – always\\." in text and scenario().title in text
    pdf = client.get("/record/learning-record.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and len(pdf.content) > 1000


def test_empty_record(client: Client) -> None:
    assert "No plays yet" in client.get("/record/").content.decode()
    assert client.get("/record/learning-record.pdf").content.startswith(b"%PDF-")


def test_a_huge_reflection_gets_a_clear_page_and_no_traceback(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    play = start(client)
    url = f"/plays/{play.id}/reflection/"
    response = client.post(url, {"learned": "x" * 3_000_000, "impact": "ok"})
    page = response.content.decode()
    assert response.status_code == 400 and "The form you sent was too large" in page
    assert "<html" in page and "Nothing was saved" in page
    assert not any(r.exc_info for r in caplog.records if r.name.startswith("django.security"))
    play.refresh_from_db()
    assert play.learned == ""


def test_the_markdown_record_shows_what_was_written_and_nothing_more(client: Client) -> None:
    from markdown_it import MarkdownIt

    play = start(client)
    play_to_end(client, play)
    hostile = "<script>alert(1)</script>\n# Not a heading\n    not code\n[link](javascript:x) *x*"
    client.post(f"/plays/{play.id}/reflection/", {"learned": hostile, "impact": "Fine & dandy"})
    text = client.get("/record/learning-record.md").content.decode()
    html = MarkdownIt().render(text[text.index("### What I learned"):])
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<h1>Not a heading" not in html and "# Not a heading" in html
    assert "<a " not in html and "<em>" not in html and "<pre>" not in html
    assert "Fine &amp; dandy" in html
