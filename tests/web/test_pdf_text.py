"""PDF exports print what people wrote, in Welsh, Polish or Ukrainian too (read back with
pypdf from the real pages' downloads)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from kaleidoscope.web.core.pdf import MISSING, printable

from .helpers import play_to_end, start
from .test_groups import act, create, decision, facilitator, join, to_vote, vote

pytestmark = pytest.mark.django_db
WRITTEN = "Gwaith cymdeithasol: dŵr, tŷ, ẅ — “Łódź”, Київ, 5 €"


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def squash(value: str) -> str:
    return " ".join(value.split())


def test_the_learning_record_pdf_keeps_every_letter() -> None:
    client = Client()
    play = start(client)
    play_to_end(client, play)
    client.post(f"/plays/{play.id}/reflection/", {"learned": WRITTEN, "impact": "Diolch 🙂"})
    text = squash(text_of(client.get("/record/learning-record.pdf").content))
    assert WRITTEN in text
    assert f"Diolch {MISSING}" in text  # no emoji in the font: a visible mark, not a gap


def test_the_group_record_pdf_keeps_every_letter() -> None:
    fac = facilitator()
    session = create(fac)
    to_vote(fac, session)
    phone = join(session, "Siân")
    assert (
        vote(phone, session, decision(session).choices[0].id, "Dw i’n meddwl—ŵ").status_code == 303
    )
    assert act(fac, session, "reveal").status_code == 303
    text = squash(text_of(fac.get(f"/groups/{session.id}/record.pdf?names=1").content))
    assert "Dw i’n meddwl—ŵ" in text and "Siân" in text


def test_printable_marks_only_what_the_fonts_lack() -> None:
    assert printable(WRITTEN + "\nline two") == WRITTEN + "\nline two"
    assert printable("a😀b\u0000") == f"a{MISSING}b{MISSING}"
