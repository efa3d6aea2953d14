"""The learning record as data, Markdown and PDF, shaped like a CPD record entry.

Social Work England's CPD record asks, for each activity: what you did, what you
learned, and the impact on your practice. Each play becomes one such entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kaleidoscope.learn.engine import PlayError
from kaleidoscope.web.core.pdf import FAMILY, document, printable

from . import services


@dataclass
class Entry:
    play_id: str
    title: str
    scenario_id: str
    started: datetime
    finished: datetime | None
    minutes: int
    ending: str
    outcome: str
    path: list[tuple[str, str]] = field(default_factory=list)
    guidance: list[str] = field(default_factory=list)
    learned: str = ""
    impact: str = ""

    @property
    def did(self) -> str:
        state = (
            f"reached the ending “{self.ending}” ({self.outcome})"
            if self.finished
            else "have not reached an ending yet"
        )
        return (
            f"Worked through the Kaleidoscope dilemma “{self.title}” (about {self.minutes} "
            f"minutes), making {len(self.path)} decision(s) and reading the consequences "
            f"and guidance; I {state}."
        )


def record_entries(plays: Any) -> list[Entry]:
    entries = []
    for play in plays.order_by("-started_at"):
        try:
            scenario, pt = services.playthrough(play)
        except PlayError:
            continue
        ending = pt.current if pt.finished else None
        entries.append(
            Entry(
                play_id=str(play.id),
                title=scenario.title,
                scenario_id=scenario.id,
                started=play.started_at,
                finished=play.finished_at,
                minutes=scenario.minutes,
                ending=getattr(ending, "title", "") or "",
                outcome=play.outcome,
                path=[(d.text, c.text) for d, c in pt.choices_made()],
                guidance=[
                    g.citation + ": " + g.title
                    for g in services.guidance_entries(pt.guidance_cited())
                ],
                learned=play.learned,
                impact=play.impact,
            )
        )
    return entries


def _date(value: datetime | None) -> str:
    return value.strftime("%d %B %Y") if value else "not yet"


_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation mark


def md_text(text: str) -> str:
    """A learner's own words as Markdown that shows exactly what they wrote: every ASCII
    punctuation mark is backslash-escaped (CommonMark allows that for all of them), so no
    heading, list, link, emphasis or HTML can come from it; indentation is dropped so no
    line becomes a code block; line breaks are kept."""
    lines = [_MD_SPECIAL.sub(r"\\\1", line.strip()) for line in text.splitlines()]
    return "  \n".join(lines).replace("  \n  \n", "\n\n")


def markdown(entries: list[Entry]) -> str:
    lines = [
        "# My learning record (Kaleidoscope)",
        "",
        "Continuing professional development entries, one per dilemma played.",
        "",
    ]
    if not entries:
        lines.append("No plays yet.")
    for entry in entries:
        lines += [
            f"## {entry.title}",
            "",
            f"- Date: {_date(entry.finished or entry.started)}",
            "- Type of activity: online learning (scenario-based dilemma)",
            f"- Time: about {entry.minutes} minutes",
            "",
            "### What I did",
            "",
            entry.did,
            "",
        ]
        if entry.path:
            lines += ["My decisions:", ""]
            lines += [f"{i}. {q} – *{a}*" for i, (q, a) in enumerate(entry.path, 1)]
            lines.append("")
        if entry.guidance:
            lines += ["Guidance I read:", ""] + [f"- {g}" for g in entry.guidance] + [""]
        lines += [
            "### What I learned",
            "",
            md_text(entry.learned) if entry.learned else "(not written yet)",
            "",
            "### Impact on my practice",
            "",
            md_text(entry.impact) if entry.impact else "(not written yet)",
            "",
        ]
    return "\n".join(lines)


def pdf(entries: list[Entry]) -> bytes:
    doc = document("My learning record (Kaleidoscope)")
    width = doc.w - doc.l_margin - doc.r_margin

    def heading(value: str, size: int) -> None:
        doc.set_font(FAMILY, "B", size)
        doc.multi_cell(width, size * 0.5, printable(value), new_x="LMARGIN", new_y="NEXT")
        doc.ln(1)

    def para(value: str) -> None:
        doc.set_font(FAMILY, "", 11)
        doc.multi_cell(width, 5.5, printable(value), new_x="LMARGIN", new_y="NEXT")
        doc.ln(2)

    heading("My learning record (Kaleidoscope)", 20)
    para("Continuing professional development entries, one per dilemma played.")
    if not entries:
        para("No plays yet.")
    for entry in entries:
        heading(entry.title, 16)
        para(
            f"Date: {_date(entry.finished or entry.started)}\n"
            "Type of activity: online learning (scenario-based dilemma)\n"
            f"Time: about {entry.minutes} minutes"
        )
        heading("What I did", 13)
        para(entry.did)
        for number, (question, answer) in enumerate(entry.path, 1):
            para(f"{number}. {question} - {answer}")
        if entry.guidance:
            para("Guidance I read:\n" + "\n".join(f"- {g}" for g in entry.guidance))
        heading("What I learned", 13)
        para(entry.learned or "(not written yet)")
        heading("Impact on my practice", 13)
        para(entry.impact or "(not written yet)")
    return bytes(doc.output())
