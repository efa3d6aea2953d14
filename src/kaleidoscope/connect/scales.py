"""The check-in scales (``scales.yaml``) and the rules for one day's scores."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kaleidoscope.connect.data import bundled, load_model, text

SLUG = r"^[a-z][a-z0-9_]*$"


class Scale(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=SLUG, max_length=30)
    label: str = Field(min_length=1, max_length=40)
    question: str = Field(min_length=1, max_length=120)
    min: int = Field(ge=0, le=10)
    max: int = Field(ge=1, le=10)
    low: str = Field(min_length=1, max_length=40)
    high: str = Field(min_length=1, max_length=40)
    higher_is_better: bool

    @model_validator(mode="after")
    def _range(self) -> Scale:
        if self.max <= self.min:
            raise ValueError(f"max ({self.max}) must be more than min ({self.min})")
        return self

    @property
    def values(self) -> list[int]:
        return list(range(self.min, self.max + 1))


class Scales(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    note_max_chars: int = Field(ge=0, le=5000)
    scales: list[Scale] = Field(min_length=1, max_length=8)

    @model_validator(mode="after")
    def _unique(self) -> Scales:
        seen: set[str] = set()
        for scale in self.scales:
            if scale.id in seen:
                raise ValueError(f"scale id '{scale.id}' is used twice")
            seen.add(scale.id)
        return self

    def get(self, scale_id: str) -> Scale | None:
        return next((s for s in self.scales if s.id == scale_id), None)


def load_scales(path: Path, display: str | None = None) -> Scales:
    return load_model(Scales, path, display)


@cache
def bundled_scales() -> Scales:
    return load_scales(bundled("scales.yaml"))


def read_scores(
    raw: dict[str, str], scales: Scales
) -> tuple[dict[str, int], dict[str, str]]:
    """A day's scores from form text: (scores, problems by scale id). Every scale is
    required; each must be a whole number in its range."""
    scores: dict[str, int] = {}
    problems: dict[str, str] = {}
    for scale in scales.scales:
        value = raw.get(scale.id, "").strip()
        if not value:
            problems[scale.id] = text("scale_missing", label=scale.label.lower())
            continue
        try:
            number = int(value)
        except ValueError:
            number = scale.min - 1
        if number not in scale.values:
            problems[scale.id] = text(
                "scale_range", label=scale.label, min=scale.min, max=scale.max
            )
            continue
        scores[scale.id] = number
    return scores, problems


def note_problem(note: str, scales: Scales) -> str | None:
    if len(note) > scales.note_max_chars:
        return text("note_too_long", max=scales.note_max_chars, length=len(note))
    return None
