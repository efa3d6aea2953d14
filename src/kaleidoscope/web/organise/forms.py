"""Forms of the Organise pages: opening an assessment, and a set of answers.

Answers are checked against the instrument; a value that is not one of a question's
options (a tampered form) rejects the whole set with a message naming the question, so
nothing half-checked is ever saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from kaleidoscope.organise.model import Instrument

from .presenters import msg

MAX_NAME = 120


def _clean_line(raw: str) -> str:
    return " ".join("".join(ch for ch in raw if ch.isprintable() or ch == " ").split())


@dataclass
class OpenForm:
    organisation: str = ""
    approver: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def bind(cls, data: QueryDict) -> OpenForm:
        form = cls(
            _clean_line(data.get("organisation", "")[: MAX_NAME * 4]),
            _clean_line(data.get("approver", "")[: MAX_NAME * 4]),
        )
        if not form.organisation:
            form.errors["organisation"] = msg("organisation_missing")
        elif len(form.organisation) > MAX_NAME:
            form.errors["organisation"] = msg("organisation_too_long")
        if len(form.approver) > MAX_NAME:
            form.errors["approver"] = msg("approver_too_long")
        return form


@dataclass
class AnswersForm:
    """All questions must be answered, each with one of its options."""

    instrument: Instrument
    wording: str  # "lead" or "staff"
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    tampered: bool = False

    @classmethod
    def bind(cls, instrument: Instrument, wording: str, data: QueryDict) -> AnswersForm:
        form = cls(instrument, wording)
        for q in instrument.questions:
            raw = data.get(q.id, "")[:100]
            scale = instrument.scale_of(q)
            label = getattr(q, wording)
            if not raw:
                form.errors[q.id] = msg("answer_missing", question=label)
            elif scale.option(raw) is None:
                form.errors[q.id] = msg("answer_tampered", question=label)
                form.tampered = True
            else:
                form.values[q.id] = raw
        return form

    @property
    def valid(self) -> bool:
        return not self.errors

    def error_list(self) -> list[dict[str, Any]]:
        return [{"text": text, "href": f"#{qid}"} for qid, text in self.errors.items()]
