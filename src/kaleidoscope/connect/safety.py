"""The screen every Connect text goes through before it is posted.

It runs the post checker (``kaleidoscope.check.checker.check_text``). Findings that mean
the text could identify someone (confidentiality, consent and privacy) hold the post
back: the writer sees why and a safer version first, and if they post it as written it
waits for a moderator, who sees the same finding. Other findings are shown as advice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kaleidoscope.check import rewrite as _rewrite
from kaleidoscope.check.checker import check_text
from kaleidoscope.check.records import Category
from kaleidoscope.connect.data import bundled, load_model

HOLDING = frozenset({Category.CONFIDENTIALITY, Category.CONSENT_PRIVACY})
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


@dataclass(frozen=True, slots=True)
class Concern:
    category: str
    severity: str
    why: str
    quotes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "category": self.category,
            "severity": self.severity,
            "why": self.why,
            "quotes": list(self.quotes),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Concern:
        quotes = data.get("quotes")
        return cls(
            category=str(data.get("category", "")),
            severity=str(data.get("severity", "")),
            why=str(data.get("why", "")),
            quotes=tuple(str(q) for q in quotes) if isinstance(quotes, list) else (),
        )


@dataclass(frozen=True, slots=True)
class Screen:
    concerns: tuple[Concern, ...] = ()
    safer: str | None = None
    advice: tuple[Concern, ...] = field(default=())
    no_safer: str | None = None  # why the checker could write no safer version

    @property
    def holds(self) -> bool:
        """True when the text could identify someone."""
        return bool(self.concerns)

    def to_json(self) -> list[dict[str, object]]:
        return [c.to_json() for c in self.concerns + self.advice]


def screen(value: str) -> Screen:
    result = check_text(value)
    concerns: list[Concern] = []
    advice: list[Concern] = []
    safer: str | None = None
    no_safer: str | None = None
    for finding in result.findings:
        concern = Concern(
            category=finding.category.value,
            severity=finding.severity.value,
            why=finding.why,
            quotes=tuple(span.quote for span in finding.spans),
        )
        if finding.category in HOLDING:
            concerns.append(concern)
            if safer is None and no_safer is None and finding.rewrite:
                if _postable(finding.rewrite):
                    safer = finding.rewrite
                else:
                    no_safer = finding.rewrite
        else:
            advice.append(concern)
    return Screen(
        concerns=tuple(concerns), safer=safer, advice=tuple(advice), no_safer=no_safer
    )


def _postable(rewrite: str) -> bool:
    """A rewrite is offered only when it is a version of the post (not the checker's
    sentence saying there is none) and the checker finds nothing identifying in it."""
    if rewrite in _rewrite.NO_SAFE_VERSION.values() or rewrite.startswith("No safe version"):
        return False
    return not any(f.category in HOLDING for f in check_text(rewrite).findings)


def has_markup(value: str) -> bool:
    """True when the text contains something shaped like an HTML tag (it is kept, and
    always shown escaped)."""
    return bool(_TAG.search(value))


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    case_note_cues: list[str] = Field(min_length=1)
    detail_requests: list[str] = Field(min_length=1)

    @field_validator("detail_requests")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {pattern!r} ({exc})") from None
        return patterns


@dataclass(frozen=True, slots=True)
class Rules:
    case_note: re.Pattern[str]
    detail_requests: tuple[re.Pattern[str], ...]


@cache
def rules() -> Rules:
    data = load_model(_Rules, bundled("rules.yaml"))
    words = sorted(data.case_note_cues, key=len, reverse=True)
    case_note = re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.I
    )
    return Rules(
        case_note=case_note,
        detail_requests=tuple(re.compile(p, re.I) for p in data.detail_requests),
    )


def asks_for_details(value: str) -> bool:
    """True when a question asks for someone's identifying details."""
    return any(p.search(value) for p in rules().detail_requests)


def case_note_cue(value: str) -> str | None:
    """The first case-record word in ``value``, if any."""
    found = rules().case_note.search(value)
    return found.group(0) if found else None
