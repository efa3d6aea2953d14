"""Scoring, benchmark comparison, the lead-versus-staff gap and the trend.

Answers are ``{question id: option id}``. Each option carries readiness points (0..2, or
none for "prefer not to say"); a question's readiness is the points as a share of 2,
averaged over the people who answered it, and a theme's is the mean of its questions.
Staff results are withheld below ``MIN_RESPONSES`` answers, here in the domain, so no
caller can show them by mistake.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from kaleidoscope.organise.model import Benchmark, Counts, Direction, Instrument, Question

MIN_RESPONSES = 5
MAX_POINTS = 2
SIMILAR_POINTS = 5.0  # within this many percentage points a comparison is "close"

Answers = Mapping[str, str]


@cache
def _text() -> dict[str, Any]:
    raw = resources.files(__package__).joinpath("text.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


def text(key: str, **values: Any) -> str:
    template: str = _text()[key]
    return template.format(**values)


def text_list(key: str) -> list[str]:
    value: list[str] = _text()[key]
    return value


class AnswerError(ValueError):
    """Answers that do not fit the instrument (a tampered form, a wrong file)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def check_answers(
    instrument: Instrument, answers: Mapping[Any, Any], *, complete: bool
) -> dict[str, str]:
    """The answers as clean ``{question: option}``, or AnswerError naming each problem."""
    problems: list[str] = []
    clean: dict[str, str] = {}
    for key, value in answers.items():
        question = instrument.question(str(key))
        if question is None:
            problems.append(f"'{key}' is not a question of this assessment")
            continue
        scale = instrument.scale_of(question)
        if not isinstance(value, str) or scale.option(value) is None:
            allowed = ", ".join(o.id for o in scale.options)
            problems.append(f"'{key}': {value!r} is not one of the answers ({allowed})")
            continue
        clean[question.id] = value
    if complete:
        problems += [f"'{q.id}' is not answered" for q in instrument.questions if q.id not in clean]
    if problems:
        raise AnswerError(problems)
    return clean


def points(instrument: Instrument, question: Question, option_id: str) -> float | None:
    """Readiness of one answer, 0..1 (None: not scored)."""
    option = instrument.scale_of(question).option(option_id)
    if option is None or option.score is None:
        return None
    score = MAX_POINTS - option.score if question.reverse else option.score
    return score / MAX_POINTS


def _said(instrument: Instrument, question: Question, option_id: str) -> bool:
    option = instrument.scale_of(question).option(option_id)
    return option is not None and option.score is not None


def _pct(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    lead: str | None
    lead_score: float | None
    staff_n: int
    staff_said: int  # answers other than "prefer not to say": the base of the share
    staff_score: float | None
    staff_counted: int
    tally: dict[str, int]

    @property
    def readiness(self) -> float | None:
        """Staff answers when there are any (they say what happens), else the lead's."""
        return self.staff_score if self.staff_score is not None else self.lead_score

    @property
    def staff_share(self) -> float | None:
        return None if not self.staff_said else 100 * self.staff_counted / self.staff_said

    @property
    def gap(self) -> int | None:
        """Lead's readiness minus staff's, in percentage points."""
        if self.lead_score is None or self.staff_score is None:
            return None
        return round(100 * (self.lead_score - self.staff_score))


@dataclass(frozen=True)
class ThemeResult:
    id: str
    title: str
    lead: int | None
    staff: int | None

    @property
    def readiness(self) -> int | None:
        return self.staff if self.staff is not None else self.lead


@dataclass(frozen=True)
class Comparison:
    question_id: str
    benchmark_key: str
    benchmark: Benchmark
    respondent: str  # "staff" or "lead"
    ours: str
    theirs: str
    ours_figure: float | None
    unit_note: str
    verdict: str  # better, worse, similar, none, context

    @property
    def verdict_text(self) -> str:
        return text(f"verdict_{self.verdict}")


@dataclass(frozen=True)
class Gap:
    question: Question
    lead: str
    lead_score: int
    staff_score: int
    same: int
    n: int
    points: int

    @property
    def sentence(self) -> str:
        return text(
            "gap_sentence",
            lead=self.lead,
            count=self.same,
            n=self.n,
            share=round(100 * self.same / self.n) if self.n else 0,
            lead_score=self.lead_score,
            staff_score=self.staff_score,
        )


@dataclass(frozen=True)
class Assessment:
    """Everything the results, the plan and the policy are built from."""

    instrument: Instrument
    questions: list[QuestionResult]
    themes: list[ThemeResult]
    responses: int
    withheld: bool
    has_lead: bool
    lead_answers: dict[str, str] = field(default_factory=dict)

    @property
    def has_staff(self) -> bool:
        return self.responses >= MIN_RESPONSES and not self.withheld

    @property
    def overall(self) -> int | None:
        values = [t.readiness for t in self.themes if t.readiness is not None]
        return round(sum(values) / len(values)) if values else None

    def result(self, question_id: str) -> QuestionResult:
        return next(r for r in self.questions if r.question.id == question_id)

    def withheld_message(self) -> str:
        return text("withheld", minimum=MIN_RESPONSES, n=self.responses)

    def effective_answers(self) -> dict[str, str]:
        """The lead's answers, else the staff's most common answer (first in scale order)."""
        chosen: dict[str, str] = {}
        for r in self.questions:
            if r.lead is not None:
                chosen[r.question.id] = r.lead
            elif r.tally:
                order = [o.id for o in self.instrument.scale_of(r.question).options]
                best = max(r.tally.values())
                chosen[r.question.id] = next(o for o in order if r.tally.get(o) == best)
        return chosen


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def assess(
    instrument: Instrument,
    lead: Answers | None = None,
    staff: Sequence[Answers] = (),
    *,
    minimum: int = MIN_RESPONSES,
) -> Assessment:
    """Score the lead's answers and the staff survey (withheld below ``minimum``)."""
    withheld = len(staff) < minimum
    shown: Sequence[Answers] = () if withheld else staff
    results: list[QuestionResult] = []
    for q in instrument.questions:
        lead_answer = lead.get(q.id) if lead else None
        lead_score = points(instrument, q, lead_answer) if lead_answer else None
        given = [a[q.id] for a in shown if q.id in a]
        scored = [s for s in (points(instrument, q, g) for g in given) if s is not None]
        counts = set(instrument.scale_of(q).counts)
        results.append(
            QuestionResult(
                question=q,
                lead=lead_answer,
                lead_score=lead_score,
                staff_n=len(given),
                staff_said=sum(1 for g in given if _said(instrument, q, g)),
                staff_score=_mean(scored),
                staff_counted=sum(1 for g in given if g in counts),
                tally=dict(Counter(given)),
            )
        )
    themes: list[ThemeResult] = []
    for theme in instrument.themes:
        mine = [r for r in results if r.question.theme == theme.id]
        lead_values = [r.lead_score for r in mine if r.lead_score is not None]
        staff_values = [r.staff_score for r in mine if r.staff_score is not None]
        themes.append(
            ThemeResult(theme.id, theme.title, _pct(_mean(lead_values)), _pct(_mean(staff_values)))
        )
    return Assessment(
        instrument=instrument,
        questions=results,
        themes=themes,
        responses=len(staff),
        withheld=withheld,
        has_lead=bool(lead),
        lead_answers=dict(lead or {}),
    )


# --- benchmarks ---------------------------------------------------------------------------
def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def theirs_sentence(bench: Benchmark) -> str:
    if bench.figure is None:
        return text(
            "theirs_finding", short=bench.short, of=bench.of.capitalize(), finding=bench.finding
        )
    return text(
        "theirs_figure",
        short=bench.short,
        qualifier=text(f"qualifier_{bench.qualifier.value}"),
        figure=_fmt(bench.figure),
        of=bench.of,
        finding=bench.finding,
        base=text("base", base=bench.base) if bench.base else "",
    )


def _verdict(ours: float, bench: Benchmark) -> str:
    assert bench.figure is not None
    if bench.direction is Direction.NEITHER:
        return "context"
    diff = ours - bench.figure
    if abs(diff) <= SIMILAR_POINTS:
        return "similar"
    better = diff > 0 if bench.direction is Direction.HIGHER else diff < 0
    return "better" if better else "worse"


def compare(assessment: Assessment) -> list[Comparison]:
    """One comparison per question that has an answer: staff figures first, else the lead's."""
    inst = assessment.instrument
    found: list[Comparison] = []
    for r in assessment.questions:
        q = r.question
        bench = inst.benchmarks[q.benchmark]
        theirs = theirs_sentence(bench)
        if r.staff_n and r.staff_share is not None:
            share = r.staff_share
            ours = text(
                "ours_staff",
                share=round(share),
                count=r.staff_counted,
                n=r.staff_said,
                measure=q.measure,
            )
            if bench.figure is None:
                note, verdict = text("unit_no_figure"), "none"
            else:
                note = text(f"unit_staff_{bench.counts.value}", of=bench.of)
                # Posts and cases are other units altogether: context, never a ranking.
                other_units = bench.counts in (Counts.CASES, Counts.POSTS)
                verdict = "none" if other_units else _verdict(share, bench)
            found.append(
                Comparison(q.id, q.benchmark, bench, "staff", ours, theirs, share, note, verdict)
            )
        elif r.lead is not None:
            option = inst.scale_of(q).option(r.lead)
            answer = option.text if option else r.lead
            counted = r.lead in inst.scale_of(q).counts
            unsure = (option is not None and option.score is None) or r.lead == "unsure"
            key = "ours_lead_unsure" if unsure else ("ours_lead_yes" if counted else "ours_lead_no")
            ours = text(key, answer=answer, finding_short=bench.finding)
            if bench.figure is None:
                note, verdict = text("unit_no_figure"), "none"
            elif bench.counts is not Counts.ORGANISATIONS or unsure:
                note, verdict = text(f"unit_lead_{bench.counts.value}"), "none"
            else:
                note = text("unit_lead_organisations")
                verdict = _verdict(100.0 if counted else 0.0, bench)
            found.append(
                Comparison(
                    q.id,
                    q.benchmark,
                    bench,
                    "lead",
                    ours,
                    theirs,
                    100.0 if counted else 0.0,
                    note,
                    verdict,
                )
            )
    return found


def gaps(assessment: Assessment, *, threshold: int = 25) -> list[Gap]:
    """Questions where the lead's readiness and the staff's differ by ``threshold`` points."""
    found: list[Gap] = []
    for r in assessment.questions:
        gap = r.gap
        if gap is None or abs(gap) < threshold or r.lead is None:
            continue
        assert r.lead_score is not None and r.staff_score is not None
        option = assessment.instrument.scale_of(r.question).option(r.lead)
        found.append(
            Gap(
                question=r.question,
                lead=option.text if option else r.lead,
                lead_score=round(100 * r.lead_score),
                staff_score=round(100 * r.staff_score),
                same=r.tally.get(r.lead, 0),
                n=r.staff_n,
                points=gap,
            )
        )
    return sorted(found, key=lambda g: -abs(g.points))


# --- trend --------------------------------------------------------------------------------
@dataclass(frozen=True)
class TrendPoint:
    label: str
    when: date
    themes: dict[str, int | None]
    overall: int | None


@dataclass(frozen=True)
class TrendRow:
    theme_id: str
    title: str
    values: list[int | None]

    @property
    def change(self) -> int | None:
        """Latest minus the previous known value."""
        known = [v for v in self.values if v is not None]
        return known[-1] - known[-2] if len(known) >= 2 else None


def trend_point(label: str, when: date, assessment: Assessment) -> TrendPoint:
    return TrendPoint(
        label, when, {t.id: t.readiness for t in assessment.themes}, assessment.overall
    )


def trend(instrument: Instrument, points_: Sequence[TrendPoint]) -> list[TrendRow]:
    """Per theme (then overall), readiness at each point, oldest first."""
    ordered = sorted(points_, key=lambda p: p.when)
    rows = [
        TrendRow(t.id, t.title, [p.themes.get(t.id) for p in ordered]) for t in instrument.themes
    ]
    rows.append(TrendRow("overall", text("label_overall"), [p.overall for p in ordered]))
    return rows
