"""The team around a person, on Patchwork's model: who is involved, never what happened.

A circle holds short contact cards only. Every free-text field has a small limit, is
one line, and is refused when it reads like a case note: a case-record word
(``rules.yaml``), more words than a contact card needs, or anything the post checker
says could identify someone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from kaleidoscope.connect.data import text
from kaleidoscope.connect.safety import case_note_cue, has_markup, screen


class MemberKind(StrEnum):
    PERSON = "person"  # the person at the centre of the circle
    PRACTITIONER = "practitioner"
    CHOSEN = "chosen"  # someone the person chooses: family, a friend, an advocate

    @property
    def label(self) -> str:
        return text(f"kind_{self.value}")


@dataclass(frozen=True, slots=True)
class FieldRule:
    max_chars: int
    max_words: int
    required: bool = True


# Every free-text field a circle has. The web models take their lengths from here, and
# a test walks the models to prove there is no other.
FIELDS: dict[str, FieldRule] = {
    "person_name": FieldRule(max_chars=60, max_words=5),
    "name": FieldRule(max_chars=60, max_words=5),
    "role": FieldRule(max_chars=60, max_words=6),
    "agency": FieldRule(max_chars=80, max_words=8),
    "contact": FieldRule(max_chars=100, max_words=8),
    "relationship": FieldRule(max_chars=40, max_words=4),
}
_LINE_BREAK = re.compile(r"[\r\n\t]")
_CARE_FRAME = "Case note about a service user: "


def field_problem(name: str, value: str, *, required: bool | None = None) -> str | None:
    """Why ``value`` cannot go in circle field ``name``, or None when it may."""
    rule = FIELDS[name]
    label = text(f"field_{name}")
    must = rule.required if required is None else required
    value = value.strip()
    if not value:
        return text("field_required", label=label) if must else None
    if len(value) > rule.max_chars:
        return text("field_too_long", label=label, max=rule.max_chars)
    if _LINE_BREAK.search(value):
        return text("field_one_line", label=label)
    if has_markup(value):
        return text("field_markup", label=label)
    cue = case_note_cue(value)
    if cue is not None:
        return text("field_case_note", label=label, cue=cue)
    if len(value.split()) > rule.max_words:
        return text("field_too_many_words", label=label, max=rule.max_words)
    # Framed as if it were said in a care context, the checker finds the identifying
    # details (an age, a school, a street) a contact card never needs.
    if name not in ("person_name", "name") and screen(_CARE_FRAME + value).holds:
        return text("field_identifies", label=label)
    return None


def member_fields(kind: MemberKind) -> tuple[str, ...]:
    if kind is MemberKind.PRACTITIONER:
        return ("name", "role", "agency", "contact")
    return ("name", "relationship", "contact")
