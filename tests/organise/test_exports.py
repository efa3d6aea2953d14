"""Exports read back: the plan as CSV, Markdown and PDF (pypdf), the policy as DOCX
(python-docx), PDF and Markdown, each containing the clauses and what they cite."""

from __future__ import annotations

import csv
import io
from datetime import date

from docx import Document
from pypdf import PdfReader

from kaleidoscope.organise import exports
from kaleidoscope.organise.plan import action_plan, draft_policy
from kaleidoscope.organise.results import assess, compare, gaps
from kaleidoscope.organise.validate import bundled_instrument, bundled_policy

INST = bundled_instrument()


def _answers(first: bool) -> dict[str, str]:
    return {q.id: INST.scale_of(q).options[0 if first else 2].id for q in INST.questions}


LEAD = _answers(True) | {"policy-ripa": "no", "training-offered": "no", "access-blocked": "yes"}
STAFF = [_answers(False)] * 3 + [_answers(True)] * 2
RESULT = assess(INST, LEAD, STAFF)
PLAN = action_plan(RESULT, start=date(2026, 12, 1))
DRAFT = draft_policy(
    bundled_policy(),
    RESULT,
    organisation="Northshire Council – Ŵales ŷ",
    approver="the head of communications",
    today=date(2026, 12, 1),
)


def _pdf_text(data: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages)


def _squash(value: str) -> str:
    return " ".join(value.split())


def test_policy_docx_reads_back_with_clauses_and_citations() -> None:
    doc = Document(io.BytesIO(exports.policy_docx(DRAFT)))
    paragraphs = [p.text for p in doc.paragraphs]
    body = "\n".join(paragraphs)
    assert doc.core_properties.title == DRAFT.title
    assert "draft for local legal and HR review" in body
    ripa = next(c for s in DRAFT.sections for c in s.clauses if c.id == "searches-ripa")
    assert any(ripa.text in p for p in paragraphs)
    index = next(i for i, p in enumerate(paragraphs) if ripa.text in p)
    assert "[CC-FOI-2018]" in paragraphs[index + 1] and "[SWE-GUIDANCE]" in paragraphs[index + 1]
    headings = [
        p.text for p in doc.paragraphs if p.style is not None and p.style.name.startswith("Heading")
    ]
    assert any(
        "Online searches of people who use services (RIPA and proportionality)" in h
        for h in headings
    )
    assert any("Ŵales ŷ" in p for p in paragraphs)
    for section in DRAFT.sections:
        for clause in section.clauses:
            assert any(clause.text in p for p in paragraphs), clause.id


def test_policy_pdf_reads_back_with_clauses_and_citations() -> None:
    data = exports.policy_pdf(DRAFT)
    assert data.startswith(b"%PDF")
    text = _squash(_pdf_text(data))
    assert "draft for local legal and HR review" in text
    assert "Regulation of Investigatory Powers Act 2000" in text
    assert "[CC-FOI-2018]" in text and "[NASW-CODE-1.07q]" in text
    assert "Social networking sites are blocked on work devices today" in text


def test_policy_markdown_numbers_clauses_and_lists_guidance() -> None:
    md = exports.policy_markdown(DRAFT)
    assert md.startswith("# Northshire Council")
    assert "**5.3** Repeated or systematic viewing" in md or "Repeated or systematic viewing" in md
    assert "## Guidance cited" in md and "- [LGIU-2011]" in md


def test_plan_csv_pdf_and_markdown() -> None:
    rows = list(csv.reader(io.StringIO(exports.plan_csv(PLAN))))
    assert rows[0] == [
        "rank",
        "theme",
        "action",
        "why",
        "readiness_percent",
        "owner",
        "due",
        "guidance",
        "links",
    ]
    assert len(rows) == len(PLAN) + 1 and rows[1][0] == "1"
    assert rows[1][6] == "2026-12-31"
    text = _squash(_pdf_text(exports.plan_pdf(RESULT, PLAN, organisation="Northshire Council")))
    assert "Northshire Council: action plan" in text
    assert _squash(PLAN[0].title) in text
    md = exports.report_markdown(
        RESULT, compare(RESULT), gaps(RESULT), PLAN, organisation="Northshire"
    )
    assert "## How you compare" in md and "LGIU 2011" in md
    assert "## Where you and your staff differ" in md
    assert f"### 1. {PLAN[0].title}" in md
