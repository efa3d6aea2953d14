"""The ranked action plan and the draft policy, both built from an :class:`Assessment`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from kaleidoscope.guidance import load_registry
from kaleidoscope.organise.model import Instrument, Link, PolicyTemplate
from kaleidoscope.organise.results import Assessment, Comparison, compare, text

READY = 0.75  # a question at or above this readiness needs no action
DUE_DAYS = ((3, 30), (8, 90))  # ranks 1-3 due in 30 days, 4-8 in 90, the rest in 180
LATER_DAYS = 180
BENCHMARK_BONUS = 0.5
GAP_POINTS = 25


@dataclass(frozen=True)
class PlanLink:
    title: str
    path: str
    purpose: str


@dataclass
class PlanAction:
    rank: int
    question_id: str
    theme: str
    title: str
    detail: str
    why: str
    readiness: int
    guidance: list[str]
    links: list[PlanLink]
    due: date
    owner: str = ""
    priority: float = 0.0

    @property
    def citations(self) -> list[str]:
        registry = load_registry()
        return [registry[k].citation for k in self.guidance if k in registry]


def resolve_link(instrument: Instrument, link: Link) -> PlanLink:
    if link.tool is not None:
        tool = instrument.tools[link.tool]
        return PlanLink(tool.title, tool.path, tool.purpose)
    from kaleidoscope.learn.library import bundled_library

    scenario_id = link.scenario or ""
    scenario = bundled_library().get(scenario_id)
    title = scenario.title if scenario else scenario_id
    summary = scenario.summary if scenario else ""
    return PlanLink(title, f"/scenarios/{scenario_id}/", summary)


def _due(rank: int, start: date) -> date:
    for last, days in DUE_DAYS:
        if rank <= last:
            return start + timedelta(days=days)
    return start + timedelta(days=LATER_DAYS)


def action_plan(assessment: Assessment, *, start: date | None = None) -> list[PlanAction]:
    """Actions for every question below READY, most urgent first."""
    today = start or date.today()
    inst = assessment.instrument
    comparisons: dict[str, Comparison] = {c.question_id: c for c in compare(assessment)}
    found: list[PlanAction] = []
    for r in assessment.questions:
        score = r.readiness
        if score is None or score >= READY:
            continue
        q = r.question
        priority = (1 - score) * q.weight
        comparison = comparisons.get(q.id)
        pct = round(100 * score)
        if comparison and comparison.respondent == "staff":
            why = text("why_staff", score=pct, ours=comparison.ours)
        else:
            option = inst.scale_of(q).option(r.lead or "")
            why = text("why_lead", score=pct, answer=option.text if option else "")
        if comparison and comparison.verdict in ("worse", "better", "similar"):
            why += text(
                "why_benchmark", short=comparison.benchmark.short, verdict=comparison.verdict_text
            )
            if comparison.verdict == "worse":
                priority += BENCHMARK_BONUS
        gap = r.gap
        if gap is not None and abs(gap) >= GAP_POINTS:
            why += text("why_gap", points=abs(gap))
            priority += abs(gap) / 200
        guidance = list(dict.fromkeys([*q.action.guidance, *q.guidance]))
        found.append(
            PlanAction(
                rank=0,
                question_id=q.id,
                theme=inst.theme(q.theme).title,
                title=q.action.title,
                detail=q.action.detail,
                why=why,
                readiness=pct,
                guidance=guidance,
                links=[resolve_link(inst, link) for link in q.action.links],
                due=today,
                priority=round(priority, 4),
            )
        )
    order = {q.id: i for i, q in enumerate(inst.questions)}
    found.sort(key=lambda a: (-a.priority, order[a.question_id]))
    for rank, item in enumerate(found, start=1):
        item.rank = rank
        item.due = _due(rank, today)
    return found


# --- the draft policy ---------------------------------------------------------------------
@dataclass(frozen=True)
class DraftClause:
    id: str
    text: str
    guidance: list[str]

    @property
    def citations(self) -> list[str]:
        registry = load_registry()
        return [f"{registry[k].citation} [{k}]" for k in self.guidance if k in registry]


@dataclass(frozen=True)
class DraftSection:
    id: str
    title: str
    clauses: list[DraftClause]


@dataclass(frozen=True)
class PolicyDraft:
    title: str
    notice: str
    generated: str
    review_date: date
    sections: list[DraftSection] = field(default_factory=list)

    def guidance_keys(self) -> list[str]:
        return list(dict.fromkeys(k for s in self.sections for c in s.clauses for k in c.guidance))


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, 28))


def draft_policy(
    template: PolicyTemplate,
    assessment: Assessment,
    *,
    organisation: str = "",
    approver: str = "",
    review_months: int = 12,
    today: date | None = None,
) -> PolicyDraft:
    """The policy's clauses chosen by the answers, placeholders filled in."""
    day = today or date.today()
    review = _add_months(day, review_months)
    values = {
        "organisation": organisation.strip() or text("unknown_organisation"),
        "approver": approver.strip() or text("default_approver"),
        "review_date": review.isoformat(),
        "review_months": review_months,
    }
    answers = assessment.effective_answers()
    sections: list[DraftSection] = []
    for section in template.sections:
        clauses = [
            DraftClause(c.id, c.text.format(**values), list(c.guidance))
            for c in section.clauses
            if c.when is None or answers.get(c.when.question) in c.when.answers
        ]
        if clauses:
            sections.append(DraftSection(section.id, section.title, clauses))
    if assessment.has_lead:
        source = text("source_lead")
    elif assessment.has_staff:
        source = text("source_staff", n=assessment.responses)
    else:
        source = text("source_none")
    return PolicyDraft(
        title=template.title.format(**values),
        notice=template.notice.format(**values),
        generated=text("policy_generated", date=day.isoformat(), source=source),
        review_date=review,
        sections=sections,
    )
