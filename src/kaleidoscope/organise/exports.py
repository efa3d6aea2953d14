"""Exports: the report and action plan (Markdown, CSV, PDF) and the draft policy
(Markdown, PDF, DOCX). PDFs use the DejaVu subsets and helpers in
``kaleidoscope.web.core.pdf`` (plain fpdf2, no Django); DOCX uses python-docx so the
policy opens in the word processors councils use."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from docx import Document as new_docx
from docx.shared import Pt
from fpdf import FPDF

from kaleidoscope.guidance import load_registry
from kaleidoscope.organise.plan import PlanAction, PolicyDraft
from kaleidoscope.organise.results import (
    Assessment,
    Comparison,
    Gap,
    TrendRow,
    text,
    text_list,
)
from kaleidoscope.web.core.pdf import FAMILY, document, printable


def _org(organisation: str) -> str:
    return organisation.strip() or text("unknown_organisation")


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def _pct(value: int | None) -> str:
    return "-" if value is None else f"{value}%"


# --- Markdown -----------------------------------------------------------------------------
def plan_markdown_lines(plan: Sequence[PlanAction]) -> list[str]:
    lines = [f"## {text('heading_plan')}", "", text("plan_intro"), ""]
    if not plan:
        lines += [text("no_actions", threshold=75), ""]
    for a in plan:
        lines += [
            f"### {a.rank}. {a.title}",
            "",
            f"- **{text('label_theme')}:** {a.theme}",
            f"- **{text('label_why')}:** {a.why}",
            f"- **{text('label_owner')}:** {a.owner or text('owner_blank')}",
            f"- **{text('label_due')}:** {a.due.isoformat()}",
            f"- **{text('label_guidance')}:** {'; '.join(a.citations)}",
        ]
        for link in a.links:
            lines.append(
                f"- **{text('label_links')}:** [{link.title}]({link.path}): {link.purpose}"
            )
        lines += ["", a.detail, ""]
    return lines


def report_markdown(
    assessment: Assessment,
    comparisons: Sequence[Comparison],
    gaps: Sequence[Gap],
    plan: Sequence[PlanAction],
    *,
    organisation: str = "",
    trend: Sequence[TrendRow] = (),
    trend_labels: Sequence[str] = (),
) -> str:
    lines = [f"# {text('report_title', organisation=_org(organisation))}", ""]
    if assessment.withheld and assessment.responses:
        lines += [assessment.withheld_message(), ""]
    lines += [
        f"## {text('heading_profile')}",
        "",
        f"| {text('label_theme')} | {text('label_lead')} | {text('label_staff')} |",
        "|---|---:|---:|",
    ]
    for t in assessment.themes:
        lines.append(f"| {_cell(t.title)} | {_pct(t.lead)} | {_pct(t.staff)} |")
    lines.append(f"| **{text('label_overall')}** | | **{_pct(assessment.overall)}** |")
    lines += ["", f"## {text('heading_benchmarks')}", ""]
    for c in comparisons:
        lines += [f"- {c.ours} {c.theirs} *{c.verdict_text}.* {c.unit_note}"]
    if gaps:
        lines += ["", f"## {text('heading_gaps')}", ""]
        lines += [f"- **{g.question.lead}** {g.sentence}" for g in gaps]
    if trend and trend_labels:
        lines += ["", f"## {text('heading_trend')}", ""]
        lines.append(f"| {text('label_theme')} | " + " | ".join(trend_labels) + " |")
        lines.append("|---|" + "---:|" * len(trend_labels))
        for row in trend:
            lines.append(
                f"| {_cell(row.title)} | " + " | ".join(_pct(v) for v in row.values) + " |"
            )
    lines += ["", *plan_markdown_lines(plan)]
    return "\n".join(lines).rstrip() + "\n"


def plan_csv(plan: Sequence[PlanAction]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(text_list("csv_headers"))
    for a in plan:
        writer.writerow(
            [
                a.rank,
                a.theme,
                a.title,
                a.why,
                a.readiness,
                a.owner,
                a.due.isoformat(),
                "; ".join(a.guidance),
                "; ".join(link.path for link in a.links),
            ]
        )
    return buffer.getvalue()


def policy_markdown(draft: PolicyDraft) -> str:
    lines = [f"# {draft.title}", "", f"> **{draft.notice}**", "", draft.generated, ""]
    number = 0
    for s_index, section in enumerate(draft.sections, start=1):
        lines += [f"## {s_index}. {section.title}", ""]
        for c_index, clause in enumerate(section.clauses, start=1):
            number += 1
            lines += [
                f"**{s_index}.{c_index}** {clause.text}",
                "",
                f"*{text('policy_guidance_label')} {'; '.join(clause.citations)}*",
                "",
            ]
    lines += [f"## {text('heading_guidance')}", ""]
    registry = load_registry()
    for key in draft.guidance_keys():
        entry = registry.get(key)
        if entry:
            lines.append(f"- [{key}] {entry.title}, {entry.citation}. {entry.url or ''}".rstrip())
    return "\n".join(lines).rstrip() + "\n"


# --- PDF ----------------------------------------------------------------------------------
class _Writer:
    def __init__(self, title: str) -> None:
        self.doc: FPDF = document(title)
        self.width = self.doc.w - self.doc.l_margin - self.doc.r_margin

    def heading(self, value: str, size: int) -> None:
        self.doc.set_font(FAMILY, "B", size)
        self.doc.multi_cell(self.width, size * 0.5, printable(value), new_x="LMARGIN", new_y="NEXT")
        self.doc.ln(1)

    def para(self, value: str, style: str = "", size: int = 11) -> None:
        self.doc.set_font(FAMILY, style, size)
        self.doc.multi_cell(self.width, size * 0.5, printable(value), new_x="LMARGIN", new_y="NEXT")
        self.doc.ln(2)

    def output(self) -> bytes:
        return bytes(self.doc.output())


def plan_pdf(
    assessment: Assessment, plan: Sequence[PlanAction], *, organisation: str = ""
) -> bytes:
    w = _Writer(text("plan_title", organisation=_org(organisation)))
    w.heading(text("plan_title", organisation=_org(organisation)), 18)
    w.heading(text("heading_profile"), 14)
    for t in assessment.themes:
        w.para(
            f"{t.title}: {text('label_lead')} {_pct(t.lead)}, {text('label_staff')} {_pct(t.staff)}"
        )
    w.heading(text("heading_plan"), 14)
    w.para(text("plan_intro"))
    if not plan:
        w.para(text("no_actions", threshold=75))
    for a in plan:
        w.heading(f"{a.rank}. {a.title}", 12)
        w.para(f"{text('label_why')}: {a.why}")
        w.para(a.detail)
        w.para(
            f"{text('label_owner')}: {a.owner or text('owner_blank')}    "
            f"{text('label_due')}: {a.due.isoformat()}",
            "B",
            10,
        )
        w.para(f"{text('label_guidance')}: {'; '.join(a.citations)}", "I", 10)
        if a.links:
            w.para(
                f"{text('label_links')}: " + "; ".join(f"{k.title} ({k.path})" for k in a.links),
                "",
                10,
            )
    return w.output()


def policy_pdf(draft: PolicyDraft) -> bytes:
    w = _Writer(draft.title)
    w.heading(draft.title, 18)
    w.para(draft.notice, "B")
    w.para(draft.generated, "I", 10)
    for s_index, section in enumerate(draft.sections, start=1):
        w.heading(f"{s_index}. {section.title}", 14)
        for c_index, clause in enumerate(section.clauses, start=1):
            w.para(f"{s_index}.{c_index}  {clause.text}")
            w.para(f"{text('policy_guidance_label')} {'; '.join(clause.citations)}", "I", 9)
    return w.output()


# --- DOCX ---------------------------------------------------------------------------------
def policy_docx(draft: PolicyDraft) -> bytes:
    doc = new_docx()
    doc.core_properties.title = draft.title
    doc.core_properties.author = "Kaleidoscope"
    doc.add_heading(draft.title, level=0)
    notice = doc.add_paragraph()
    notice.add_run(draft.notice).bold = True
    doc.add_paragraph(draft.generated).runs[0].italic = True
    for s_index, section in enumerate(draft.sections, start=1):
        doc.add_heading(f"{s_index}. {section.title}", level=1)
        for c_index, clause in enumerate(section.clauses, start=1):
            doc.add_paragraph(f"{s_index}.{c_index}  {clause.text}")
            cite = doc.add_paragraph()
            run = cite.add_run(f"{text('policy_guidance_label')} {'; '.join(clause.citations)}")
            run.italic = True
            run.font.size = Pt(9)
    doc.add_heading(text("heading_guidance"), level=1)
    registry = load_registry()
    for key in draft.guidance_keys():
        entry = registry.get(key)
        if entry:
            doc.add_paragraph(
                f"[{key}] {entry.title}, {entry.citation}. {entry.url or ''}".rstrip(),
                style="List Bullet",
            )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
