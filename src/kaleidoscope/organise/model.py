"""The readiness instrument: typed models that are also the published JSON Schema.

An instrument is one YAML file with five parts: ``themes`` (the order results are shown
in), ``scales`` (answer options and their readiness scores, shared by questions),
``benchmarks`` (published figures a question can be compared with: source, year, figure,
unit), ``tools`` (the Kaleidoscope pages an action can link to) and ``questions``.
Cross-references (themes, scales, benchmarks, guidance keys, scenario ids) are checked by
:mod:`kaleidoscope.organise.validate`, which reports every problem as file:line.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Identifier = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]*$", min_length=1, max_length=80)
]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Direction(StrEnum):
    """Whether more of what the benchmark counts is better for readiness."""

    HIGHER = "higher"
    LOWER = "lower"
    NEITHER = "neither"


class Counts(StrEnum):
    """What a figure is a share of; a comparison across kinds says so plainly."""

    ORGANISATIONS = "organisations"
    PEOPLE = "people"
    POSTS = "posts"
    CASES = "cases"


class Qualifier(StrEnum):
    EXACTLY = "exactly"
    ABOUT = "about"
    UNDER = "under"
    OVER = "over"


class Theme(_Strict):
    id: Identifier
    title: NonEmpty
    summary: NonEmpty


class Option(_Strict):
    id: Identifier
    text: NonEmpty
    score: int | None = Field(
        ge=0, le=2, description="Readiness points 0..2; null: not scored (e.g. prefer not to say)."
    )


class Scale(_Strict):
    options: list[Option] = Field(min_length=2, max_length=6)
    counts: list[Identifier] = Field(
        min_length=1, description="Options for which the benchmark's finding is true."
    )

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


class Benchmark(_Strict):
    source: NonEmpty = Field(
        description="Who published the figure, e.g. 'LGIU, Equipped to Engage?'"
    )
    short: NonEmpty = Field(description="How a sentence cites it, e.g. 'LGIU 2011'.")
    year: int = Field(ge=1990, le=2100)
    figure: float | None = Field(ge=0, le=100, description="Percentage; null: a finding only.")
    qualifier: Qualifier = Qualifier.EXACTLY
    of: NonEmpty = Field(description="The population, e.g. 'local authorities in the UK'.")
    counts: Counts
    finding: NonEmpty = Field(description="Completes '<figure> of <of> ...'.")
    direction: Direction
    base: NonEmpty | None = Field(default=None, description="e.g. '124 of 151 councils'.")
    guidance: list[str] = Field(min_length=1, description="Guidance registry keys.")


class Tool(_Strict):
    title: NonEmpty
    path: Annotated[str, StringConstraints(pattern=r"^/[a-z0-9/_\-]*$")]
    purpose: NonEmpty


class Link(_Strict):
    scenario: Identifier | None = None
    tool: Identifier | None = None


class Action(_Strict):
    title: NonEmpty
    detail: NonEmpty
    guidance: list[str] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)


class Question(_Strict):
    id: Identifier
    theme: Identifier
    scale: Identifier
    reverse: bool = Field(default=False, description="Readiness is the scale's score turned round.")
    lead: NonEmpty = Field(description="Asked of the lead, about the organisation.")
    staff: NonEmpty = Field(description="Asked of staff, about themselves.")
    measure: NonEmpty = Field(description="Completes '40% of your staff ...'.")
    benchmark: Identifier
    guidance: list[str] = Field(min_length=1)
    weight: int = Field(default=1, ge=1, le=3)
    action: Action


class Instrument(_Strict):
    id: Identifier
    title: NonEmpty
    version: int = Field(ge=1)
    themes: list[Theme] = Field(min_length=1)
    scales: dict[Identifier, Scale] = Field(min_length=1)
    benchmarks: dict[Identifier, Benchmark] = Field(min_length=1)
    tools: dict[Identifier, Tool] = Field(default_factory=dict)
    questions: list[Question] = Field(min_length=1)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def theme(self, theme_id: str) -> Theme:
        return next(t for t in self.themes if t.id == theme_id)

    def scale_of(self, question: Question) -> Scale:
        return self.scales[question.scale]

    def by_theme(self, theme_id: str) -> list[Question]:
        return [q for q in self.questions if q.theme == theme_id]


# --- the draft policy ---------------------------------------------------------------------
class Condition(_Strict):
    question: Identifier
    answers: list[Identifier] = Field(min_length=1)


class Clause(_Strict):
    id: Identifier
    text: NonEmpty = Field(
        description="Placeholders: {organisation}, {approver}, {review_date}, {review_months}."
    )
    guidance: list[str] = Field(min_length=1)
    when: Condition | None = None


class Section(_Strict):
    id: Identifier
    title: NonEmpty
    clauses: list[Clause] = Field(min_length=1)


class PolicyTemplate(_Strict):
    title: NonEmpty
    notice: NonEmpty = Field(description="Said plainly at the top: a draft for review.")
    sections: list[Section] = Field(min_length=1)


# --- case studies -------------------------------------------------------------------------
class CaseStudy(_Strict):
    id: Identifier
    theme: Identifier
    title: NonEmpty
    organisation: NonEmpty = Field(description="The fictional organisation.")
    summary: NonEmpty
    story: NonEmpty
    changed: NonEmpty = Field(description="What the organisation did next.")
    questions: list[NonEmpty] = Field(min_length=1, description="For a team discussion.")
    guidance: list[str] = Field(min_length=1)


class CaseLibrary(_Strict):
    cases: list[CaseStudy] = Field(min_length=1)


def _schema(model: type[BaseModel], name: str) -> dict[str, Any]:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://kaleidoscope.invalid/schema/{name}.json"
    return schema


SCHEMAS: dict[str, type[BaseModel]] = {
    "instrument": Instrument,
    "policy": PolicyTemplate,
    "cases": CaseLibrary,
}


def json_schema(kind: str = "instrument") -> dict[str, Any]:
    """The published JSON Schema of an instrument, policy or case-study file."""
    return _schema(SCHEMAS[kind], kind)


def json_schema_text(kind: str = "instrument") -> str:
    return json.dumps(json_schema(kind), indent=2, sort_keys=False)
