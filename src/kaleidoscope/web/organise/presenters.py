"""What the Organise templates show, built from the domain package's results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml
from django.template.loader import render_to_string
from markupsafe import Markup

from kaleidoscope.organise.charts import benchmark_svg, profile_svg
from kaleidoscope.organise.model import Instrument
from kaleidoscope.organise.plan import PlanAction, PolicyDraft, action_plan, draft_policy
from kaleidoscope.organise.results import (
    MIN_RESPONSES,
    Assessment,
    assess,
    compare,
    gaps,
    trend,
    trend_point,
)
from kaleidoscope.organise.validate import bundled_instrument, bundled_policy

from .models import Assessment as AssessmentRow


@cache
def _text() -> dict[str, str]:
    raw = resources.files(__package__).joinpath("text.yaml").read_text("utf-8")
    data: dict[str, str] = yaml.safe_load(raw)
    return data


def msg(key: str, **values: Any) -> str:
    values.setdefault("minimum", MIN_RESPONSES)
    return _text()[key].format(**values)


def words() -> dict[str, str]:
    """The raw strings, for templates (they call ``msg`` for those with placeholders)."""
    return _text()


def instrument() -> Instrument:
    return bundled_instrument()


@dataclass
class QuestionView:
    id: str
    text: str
    items: list[dict[str, Any]]
    error: str | None


def question_groups(
    wording: str, values: dict[str, str], errors: dict[str, str]
) -> list[dict[str, Any]]:
    """Themes with their questions as GOV.UK radios items."""
    inst = instrument()
    groups = []
    for theme in inst.themes:
        questions = []
        for q in inst.by_theme(theme.id):
            items = [
                {"value": o.id, "text": o.text, "checked": values.get(q.id) == o.id}
                for o in inst.scale_of(q).options
            ]
            questions.append(QuestionView(q.id, getattr(q, wording), items, errors.get(q.id)))
        groups.append({"theme": theme, "questions": questions})
    return groups


@cache
def blank_questions(wording: str) -> Markup:
    """The unanswered form's questions, rendered once per process: every respondent's
    first view of the survey is the same markup, and it is the costly part of the page."""
    html = render_to_string(
        "organise/_questions.html", {"groups": question_groups(wording, {}, {})}
    )
    return Markup(html)


def questions_html(wording: str, values: dict[str, str], errors: dict[str, str]) -> Markup:
    if not values and not errors:
        return blank_questions(wording)
    groups = question_groups(wording, values, errors)
    return Markup(render_to_string("organise/_questions.html", {"groups": groups}))


def staff_answers(row: AssessmentRow) -> list[dict[str, str]]:
    return [dict(r) for r in row.responses.values_list("answers", flat=True)]


def scored(row: AssessmentRow) -> Assessment:
    return assess(instrument(), row.lead_answers or None, staff_answers(row))


def plan_for(result: Assessment, row: AssessmentRow) -> list[PlanAction]:
    return action_plan(result, start=row.created_at.date())


def policy_for(result: Assessment, row: AssessmentRow) -> PolicyDraft:
    return draft_policy(
        bundled_policy(),
        result,
        organisation=row.organisation,
        approver=row.approver,
        today=date.today(),
    )


def results_context(row: AssessmentRow) -> dict[str, Any]:
    result = scored(row)
    comparisons = compare(result)
    history = list(
        AssessmentRow.objects.filter(
            owner=row.owner, organisation__iexact=row.organisation, created_at__lte=row.created_at
        ).order_by("created_at")
    )
    points = []
    for past in history:
        past_result = result if past.pk == row.pk else scored(past)
        if past_result.has_lead or past_result.has_staff:
            points.append(
                trend_point(past.created_at.date().isoformat(), past.created_at.date(), past_result)
            )
    empty = not result.has_lead and not result.has_staff
    return {
        "row": row,
        "result": result,
        "empty": empty,
        "profile_svg": Markup(profile_svg(result)),
        "benchmark_svg": Markup(benchmark_svg(comparisons)),
        "comparisons": comparisons,
        "has_bench_chart": any(
            c.respondent == "staff" and c.verdict not in ("none",) for c in comparisons
        ),
        "gaps": gaps(result),
        "trend": trend(instrument(), points) if len(points) > 1 else [],
        "trend_labels": [p.label for p in points],
        "plan": plan_for(result, row) if not empty else [],
        "withheld": msg("below_threshold", n=result.responses) if result.withheld else None,
    }
