"""The group debrief as data, and the session record (Markdown, PDF) for a teaching log.

Anonymous by default: votes and reasons never carry a name (they are not stored with
one). The facilitator may add the list of display names of who joined, for attendance,
which says nothing about who voted how.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from kaleidoscope.learn.engine import PlayError
from kaleidoscope.learn.model import DIMENSION_LABELS, Dimension, Ending
from kaleidoscope.web.core.pdf import FAMILY, document, printable
from kaleidoscope.web.learn.presenters import profile_chart
from kaleidoscope.web.learn.services import guidance_entries, library

from . import services
from .models import GroupSession, Phase


@dataclass
class Debrief:
    session: GroupSession
    title: str
    scenario_id: str
    date: datetime
    participants: int
    rounds: list[services.RoundTally] = field(default_factory=list)
    ending: Ending | None = None
    profile: dict[Dimension, int] = field(default_factory=dict)
    chart: dict[str, Any] = field(default_factory=dict)
    guidance: list[Any] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    broken: str = ""

    @property
    def finished(self) -> bool:
        return self.ending is not None

    @property
    def status(self) -> str:
        if self.ending is not None:
            return "reached an ending"
        if self.session.phase == Phase.CLOSED:
            return "closed before an ending"
        return "still in progress"


def debrief_data(session: GroupSession, include_names: bool = False) -> Debrief:
    participants = list(session.participants.order_by("display_name"))
    scenario = library().get(session.scenario_id)
    data = Debrief(
        session=session,
        title=scenario.title if scenario else session.scenario_id,
        scenario_id=session.scenario_id,
        date=timezone.localtime(session.created_at),
        participants=len(participants),
        names=sorted({p.display_name for p in participants if p.display_name}, key=str.casefold)
        if include_names
        else [],
    )
    try:
        scenario, pt = services.playthrough(session)
    except PlayError as exc:
        data.broken = str(exc)
        return data
    decisions = scenario.decisions()
    for rnd in session.rounds.order_by("number"):
        decision = decisions.get(rnd.node_id)
        if decision is not None and (rnd.revealed or rnd.choice_id):
            data.rounds.append(services.tally(rnd, decision, with_reasons=True))
    data.ending = pt.current if isinstance(pt.current, Ending) else None
    data.profile = pt.profile()
    data.chart = profile_chart(data.profile)
    data.guidance = guidance_entries(pt.guidance_cited())
    return data


def filename(data: Debrief) -> str:
    return f"kaleidoscope-group-{data.scenario_id}-{data.date:%Y-%m-%d}"


def _plain(markdown: str) -> str:
    return re.sub(r"[*_`]", "", markdown).strip()


def _lines(data: Debrief) -> list[tuple[str, str]]:
    """The record as (kind, text) pairs: kinds h1, h2, h3, p, li, quote."""
    out: list[tuple[str, str]] = [
        ("h1", f"Group session record: {data.title}"),
        (
            "p",
            f"Date: {data.date:%d %B %Y}. Session code {data.session.code}. "
            f"{data.participants} participant(s) joined; the session {data.status}.",
        ),
        (
            "p",
            "Votes and reasons are anonymous: they were never stored with a name. "
            "Reasons are listed in alphabetical order, not the order they arrived.",
        ),
    ]
    if data.names:
        out.append(("p", "Who joined (display names, for attendance): " + ", ".join(data.names)))
    if data.broken:
        out.append(("p", f"The session's path could not be read: {data.broken}"))
        return out
    out.append(("h2", "The group's path and votes"))
    if not data.rounds:
        out.append(("p", "The group made no decisions."))
    for number, tally in enumerate(data.rounds, 1):
        out.append(("h3", f"Decision {number}: {_plain(tally.decision.text)}"))
        for item in tally.choices:
            out.append(("li", f"{_plain(item.choice.text)}: {item.count} vote(s), {item.percent}%"))
        followed = tally.followed
        if followed is not None:
            how = "by majority" if tally.round.decided_by == "majority" else "facilitator's pick"
            out.append(("p", f"The group followed: {_plain(followed.text)} ({how})."))
        else:
            out.append(("p", "The group had not chosen an option yet."))
        reasons = [(i.choice.text, r) for i in tally.choices for r in i.reasons]
        if reasons:
            out.append(("p", "Reasons given:"))
            out += [("quote", f"{_plain(choice)}: {reason}") for choice, reason in reasons]
    if data.ending is not None:
        out.append(("h2", f"Ending: {data.ending.title} ({data.ending.kind.value})"))
        if data.ending.text:
            out.append(("p", _plain(data.ending.text)))
        if data.ending.debrief:
            out.append(("p", _plain(data.ending.debrief)))
    out.append(("h2", "The group's ethical dimension profile"))
    out += [
        ("li", f"{DIMENSION_LABELS[dim]}: {value:+d}" if value else f"{DIMENSION_LABELS[dim]}: 0")
        for dim, value in data.profile.items()
    ]
    if data.guidance:
        out.append(("h2", "Guidance cited on the way"))
        out += [("li", f"{g.citation}: {g.title}") for g in data.guidance]
    return out


def markdown(data: Debrief) -> str:
    prefix = {"h1": "# ", "h2": "## ", "h3": "### ", "p": "", "li": "- ", "quote": "> "}
    lines: list[str] = []
    previous = ""
    for kind, value in _lines(data):
        if lines and not (kind == previous and kind in ("li", "quote")):
            lines.append("")
        lines.append(prefix[kind] + value.replace("\n", " "))
        previous = kind
    return "\n".join(lines) + "\n"


def pdf(data: Debrief) -> bytes:
    doc = document(f"Group session record: {data.title}")
    width = doc.w - doc.l_margin - doc.r_margin
    sizes = {"h1": 18, "h2": 14, "h3": 12}
    for kind, value in _lines(data):
        if kind in sizes:
            doc.set_font(FAMILY, "B", sizes[kind])
            doc.ln(1)
            doc.multi_cell(
                width, sizes[kind] * 0.5, printable(value), new_x="LMARGIN", new_y="NEXT"
            )
            doc.ln(1)
        else:
            style = "I" if kind == "quote" else ""
            doc.set_font(FAMILY, style, 11)
            lead = {"li": "- ", "quote": '"'}.get(kind, "")
            tail = '"' if kind == "quote" else ""
            doc.multi_cell(
                width, 5.5, printable(lead + value + tail), new_x="LMARGIN", new_y="NEXT"
            )
            if kind == "p":
                doc.ln(1.5)
    return bytes(doc.output())
