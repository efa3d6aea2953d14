""""Can this child be found?": a questionnaire (``child.yaml``) and its traceability report.

The questions, answer weights, routes, changes and every sentence of the report are data.
Answers arrive as a mapping of question id to value (a list for multi-choice questions);
anything unknown or malformed raises AnswerError naming the field. Pure: nothing is
stored or logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kaleidoscope.see.rules import (
    SLUG,
    ExposureDataError,
    Platform,
    Rules,
    Source,
    bundled_rules,
    bundled_text,
    describe_validation_error,
    read_yaml,
)
from kaleidoscope.see.texts import Level

NOT_SURE = "not_sure"
PLATFORMS = "platforms"  # the question naming the apps the child uses
PRIVACY = "accounts_private"  # the question on private accounts
ALL_PRIVATE, SOME_PUBLIC, ALL_PUBLIC = "all_private", "some_public", "all_public"
NOT_PLATFORMS = frozenset({"games", "other", "none", NOT_SURE})  # options that are not apps


class AnswerError(ValueError):
    """Answers that do not fit the questionnaire; names the field."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"field '{field}': {message}")


class Kind(StrEnum):
    SINGLE = "single"
    MULTI = "multi"


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: str = Field(pattern=SLUG)
    label: str
    weight: int = Field(ge=0, le=10)
    reason: str | None = None
    exclusive: bool = False

    @model_validator(mode="after")
    def _reason_when_weighted(self) -> Option:
        if self.weight >= 2 and not self.reason:
            raise ValueError(f"option '{self.value}' adds risk ({self.weight}): give a reason")
        return self


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=SLUG)
    kind: Kind
    text: str
    help: str | None = None
    options: list[Option] = Field(min_length=2)

    @model_validator(mode="after")
    def _unique(self) -> Question:
        values = [o.value for o in self.options]
        if len(set(values)) != len(values):
            raise ValueError(f"question '{self.id}' repeats an option value: {values}")
        return self

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def values(self) -> list[str]:
        return [o.value for o in self.options]


Condition = dict[str, list[str]]


class Route(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=SLUG)
    title: str
    how: str
    when: list[Condition] = Field(min_length=1)


class Change(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=SLUG)
    priority: int = Field(ge=1)
    title: str
    do: str
    why: str
    together: str | None = None
    when: list[Condition] = Field(default_factory=list)
    always: bool = False

    @model_validator(mode="after")
    def _applies_somehow(self) -> Change:
        if not self.always and not self.when:
            raise ValueError(f"change '{self.id}' needs 'when' conditions or 'always: true'")
        return self


class LevelRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    medium_from: int = Field(ge=1)
    high_from: int = Field(ge=1)
    force_high: list[Condition] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> LevelRules:
        if self.high_from <= self.medium_from:
            raise ValueError("high_from must be above medium_from")
        return self


class PlatformRules(BaseModel):
    """How the answers meet the platform facts (see ``platform_rules`` in child.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cannot_be_private: str = Field(min_length=10)
    still_visible_weight: int = Field(ge=0, le=10)
    still_visible: str = Field(min_length=10)


class Questionnaire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    last_reviewed: date
    title: str
    intro: list[str]
    closing: list[str]
    notice: str
    headings: dict[str, str]
    prompts: dict[str, str]
    level_labels: dict[Level, str]
    level_summaries: dict[Level, str]
    unknowns_note: str
    unknowns_raise_level: str
    levels: LevelRules
    platform_rules: PlatformRules
    questions: list[Question] = Field(min_length=1)
    routes: list[Route]
    changes: list[Change]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    @model_validator(mode="after")
    def _cross_references(self) -> Questionnaire:
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question ids repeat: {ids}")
        for what, items in (("route", self.routes), ("change", self.changes)):
            item_ids = [i.id for i in items]
            if len(set(item_ids)) != len(item_ids):
                raise ValueError(f"{what} ids repeat: {item_ids}")
        for level in Level:
            if level not in self.level_labels or level not in self.level_summaries:
                raise ValueError(f"level '{level.value}' needs a label and a summary")
        conditions: list[tuple[str, Condition]] = [
            ("levels.force_high", c) for c in self.levels.force_high
        ]
        conditions += [(f"route '{r.id}'", c) for r in self.routes for c in r.when]
        conditions += [(f"change '{c.id}'", cond) for c in self.changes for cond in c.when]
        for where, condition in conditions:
            for question_id, values in condition.items():
                question = self.question(question_id)
                if question is None:
                    raise ValueError(f"{where} refers to unknown question '{question_id}'")
                unknown = [v for v in values if v not in question.values()]
                if unknown:
                    raise ValueError(
                        f"{where} refers to unknown answers {unknown} of '{question_id}'"
                    )
        return self


def parse_questionnaire(text: str, display: str = "child.yaml") -> Questionnaire:
    data = read_yaml(text, display)
    try:
        return Questionnaire.model_validate(data)
    except ValidationError as exc:
        raise ExposureDataError(describe_validation_error(exc, display)) from None


@cache
def bundled_questionnaire() -> Questionnaire:
    return parse_questionnaire(bundled_text("child.yaml"), "exposure/child.yaml")


Answers = dict[str, list[str]]  # question id -> chosen values (one for single questions)


def parse_answers(data: object, questionnaire: Questionnaire | None = None) -> Answers:
    """Check answers from JSON or a form. Questions left out count as "not sure"."""
    q = questionnaire or bundled_questionnaire()
    if not isinstance(data, Mapping):
        raise AnswerError("(top level)", "answers must be an object of question id -> answer")
    answers: Answers = {}
    for key, raw in data.items():
        question = q.question(key) if isinstance(key, str) else None
        if question is None:
            known = ", ".join(x.id for x in q.questions)
            raise AnswerError(str(key), f"unknown question (known: {known})")
        allowed = ", ".join(question.values())
        if question.kind is Kind.SINGLE:
            if not isinstance(raw, str):
                raise AnswerError(key, f"expected one answer as text (one of: {allowed})")
            values = [raw]
        else:
            if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
                raise AnswerError(key, f"expected a list of answers (from: {allowed})")
            values = list(dict.fromkeys(raw))
            if not values:
                raise AnswerError(key, "choose at least one answer")
        for value in values:
            option = question.option(value)
            if option is None and key == PLATFORMS and "unknown_platform" in q.prompts:
                raise AnswerError(key, _tidy(q.prompts["unknown_platform"].format(
                    value=value, known=allowed)))
            if option is None:
                raise AnswerError(key, f"unknown answer '{value}' (one of: {allowed})")
            if option.exclusive and len(values) > 1:
                raise AnswerError(key, f"'{value}' cannot be combined with other answers")
        answers[key] = values
    return answers


class RouteOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    how: str


class ChangeOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    priority: int
    title: str
    do: str
    why: str
    together: str | None


class PlatformNote(BaseModel):
    model_config = ConfigDict(frozen=True)

    platform: str
    name: str
    still_visible: list[str]
    private_account: str
    under_18: str
    sources: list[Source]


class ChildReport(BaseModel):
    """The traceability report: level, reasons, routes and changes in priority order."""

    model_config = ConfigDict(frozen=True)

    title: str
    level: Level
    level_label: str
    level_summary: str
    score: int
    reasons: list[str]
    unknowns: list[str]
    unknowns_note: str
    routes: list[RouteOut]
    changes: list[ChangeOut]
    platforms: list[PlatformNote]
    unanswered: list[str]
    intro: list[str]
    closing: list[str]
    notice: str
    last_reviewed: date


def _matches(condition: Condition, answers: Answers) -> bool:
    return all(
        any(v in values for v in answers.get(question_id, [NOT_SURE]))
        for question_id, values in condition.items()
    )


def _any_matches(conditions: list[Condition], answers: Answers) -> bool:
    return any(_matches(c, answers) for c in conditions)


def _tidy(text: str) -> str:
    return " ".join(text.split())


def _level(score: int, answers: Answers, q: Questionnaire) -> Level:
    if score >= q.levels.high_from or _any_matches(q.levels.force_high, answers):
        return Level.HIGH
    if score >= q.levels.medium_from:
        return Level.MEDIUM
    return Level.LOW


def _chosen(full: Answers, rules: Rules) -> list[Platform]:
    return [p for v in full.get(PLATFORMS, []) if (p := rules.get(v)) is not None]


def _platform_privacy(
    full: Answers, q: Questionnaire, rules: Rules
) -> tuple[str, str] | None:
    """(answer it counts as, reason) when "all private" meets an app that cannot be private."""
    if full.get(PRIVACY) not in ([ALL_PRIVATE], [NOT_SURE]):
        return None
    public_only = [p for p in _chosen(full, rules) if not p.can_be_private]
    if not public_only:
        return None
    apps = [v for v in full.get(PLATFORMS, []) if v not in NOT_PLATFORMS]
    value = ALL_PUBLIC if len(public_only) == len(apps) else SOME_PUBLIC
    names = " and ".join(p.name for p in public_only)
    return value, _tidy(q.platform_rules.cannot_be_private.format(platforms=names))


def assess(
    answers: Answers, questionnaire: Questionnaire | None = None, rules: Rules | None = None
) -> ChildReport:
    """The report for checked answers (from ``parse_answers``)."""
    q = questionnaire or bundled_questionnaire()
    rules = rules or bundled_rules()
    full: Answers = {}
    unanswered: list[str] = []
    for question in q.questions:
        if question.id in answers:
            full[question.id] = answers[question.id]
        else:
            full[question.id] = [NOT_SURE] if question.option(NOT_SURE) else []
            unanswered.append(_tidy(question.text))

    weighted: list[tuple[int, int, str]] = []
    unknowns: list[str] = []
    score = 0
    derived = _platform_privacy(full, q, rules)  # "all private" on an app that cannot be
    if derived is not None:
        full[PRIVACY] = [derived[0]]
    for order, question in enumerate(q.questions):
        for value in full[question.id]:
            option = question.option(value)
            assert option is not None  # parse_answers checked every value
            score += option.weight
            if question.id == PRIVACY and derived is not None:
                weighted.append((-option.weight, order, derived[1]))
            elif option.weight and option.reason:
                if value == NOT_SURE:
                    unknowns.append(_tidy(option.reason))
                else:
                    weighted.append((-option.weight, order, _tidy(option.reason)))
    if full.get(PRIVACY) in ([ALL_PRIVATE], [SOME_PUBLIC]):
        order = next(i for i, question in enumerate(q.questions) if question.id == PRIVACY)
        for app in _chosen(full, rules):
            items = app.private_account.still_visible
            if app.can_be_private and items:
                score += q.platform_rules.still_visible_weight
                labels = ", ".join(rules.item_labels(items)).lower()
                reason = q.platform_rules.still_visible.format(platform=app.name, items=labels)
                weighted.append((-q.platform_rules.still_visible_weight, order, _tidy(reason)))
    reasons = [reason for _, _, reason in sorted(weighted)]

    level = _level(score, full, q)
    summary = _tidy(q.level_summaries[level])
    known_score = score - sum(
        o.weight for question in q.questions for v in full[question.id]
        if v == NOT_SURE and (o := question.option(v)) is not None
    )
    if _level(known_score, full, q).rank < level.rank:
        summary += " " + _tidy(q.unknowns_raise_level)

    routes = [
        RouteOut(id=r.id, title=r.title, how=_tidy(r.how))
        for r in q.routes
        if _any_matches(r.when, full)
    ]
    changes = [
        ChangeOut(
            id=c.id, priority=c.priority, title=c.title, do=_tidy(c.do), why=_tidy(c.why),
            together=_tidy(c.together) if c.together else None,
        )
        for c in sorted(q.changes, key=lambda c: (c.priority, c.id))
        if c.always or _any_matches(c.when, full)
    ]

    notes: list[PlatformNote] = []
    reviewed = q.last_reviewed
    for platform in _chosen(full, rules):
        reviewed = min([reviewed] + [f.last_reviewed for _, f in platform.facts()])
        private, teen = platform.private_account, platform.under_18
        notes.append(PlatformNote(
            platform=platform.id,
            name=platform.name,
            still_visible=rules.item_labels(private.still_visible),
            private_account=_tidy(private.text),
            under_18=_tidy(teen.text),
            sources=list(dict.fromkeys([private.source, teen.source])),
        ))
    return ChildReport(
        title=q.title,
        level=level,
        level_label=q.level_labels[level],
        level_summary=summary,
        score=score,
        reasons=reasons,
        unknowns=unknowns,
        unknowns_note=_tidy(q.unknowns_note),
        routes=routes,
        changes=changes,
        platforms=notes,
        unanswered=unanswered,
        intro=[_tidy(p) for p in q.intro],
        closing=[_tidy(p) for p in q.closing],
        notice=_tidy(q.notice.format(date=reviewed.isoformat())),
        last_reviewed=reviewed,
    )


def report_markdown(report: ChildReport, questionnaire: Questionnaire | None = None) -> str:
    """The report as Markdown: printable, and readable as plain text."""
    h = (questionnaire or bundled_questionnaire()).headings
    lines: list[str] = [f"# {report.title}", ""]
    lines += [p + "\n" for p in report.intro]
    lines += [f"## {h['level'].format(level=report.level_label)}", "", report.level_summary, ""]
    if report.reasons:
        lines += [f"## {h['reasons']}", ""] + [f"- {r}" for r in report.reasons] + [""]
    if report.unknowns:
        lines += [f"## {h['unknowns']}", "", report.unknowns_note, ""]
        lines += [f"- {u}" for u in report.unknowns] + [""]
    if report.routes:
        lines += [f"## {h['routes']}", ""]
        lines += [f"- **{r.title}.** {r.how}" for r in report.routes] + [""]
    lines += [f"## {h['changes']}", ""]
    for number, change in enumerate(report.changes, 1):
        lines.append(f"{number}. **{change.title}.** {change.do} {change.why}")
        if change.together:
            lines.append(f"   *{h['together']}:* {change.together}")
    lines.append("")
    if report.platforms:
        lines += [f"## {h['platforms']}", ""]
        for note in report.platforms:
            lines += [f"### {note.name}", ""]
            lines.append(f"- *{h['still_visible']}:* {', '.join(note.still_visible)}.")
            lines.append(f"- {note.private_account}")
            lines.append(f"- *{h['under_18']}:* {note.under_18}")
            cites = "; ".join(s.citation for s in note.sources)
            lines += [f"- *{h['source']}:* {cites}", ""]
    lines += [f"## {h['closing']}", ""] + [p + "\n" for p in report.closing]
    lines += [f"*{report.notice}*", ""]
    return "\n".join(lines)


def answers_template(questionnaire: Questionnaire | None = None) -> dict[str, Any]:
    """A blank answers file: each question with its allowed answers, to fill in."""
    q = questionnaire or bundled_questionnaire()
    return {
        question.id: ([NOT_SURE] if question.kind is Kind.MULTI else NOT_SURE)
        for question in q.questions
    }
