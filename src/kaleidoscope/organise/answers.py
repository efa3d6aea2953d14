"""An answers file (YAML or JSON) for ``kaleidoscope organise``::

    organisation: Northshire Council
    approver: the head of communications
    date: 2026-12-01
    lead: {policy-written: "yes", training-offered: "no", ...}
    staff:
      - {policy-written: "no", ...}

Every problem is reported as file:line:column, like the instrument's own errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kaleidoscope.diagnostics import Diagnostic
from kaleidoscope.learn.source import Document, PathKey, SourceError, load_yaml
from kaleidoscope.organise.model import Instrument
from kaleidoscope.organise.validate import ContentError

KEYS = frozenset({"organisation", "approver", "date", "lead", "staff"})
MAX_TEXT = 200


@dataclass
class AnswerFile:
    path: str
    organisation: str = ""
    approver: str = ""
    when: date | None = None
    lead: dict[str, str] | None = None
    staff: list[dict[str, str]] = field(default_factory=list)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"organisation": self.organisation, "approver": self.approver}
        if self.when:
            data["date"] = self.when.isoformat()
        if self.lead is not None:
            data["lead"] = dict(self.lead)
        if self.staff:
            data["staff"] = [dict(s) for s in self.staff]
        return data


def _answers(
    doc: Document, inst: Instrument, loc: PathKey, value: Any, out: list[Diagnostic]
) -> dict[str, str]:
    def add(where: PathKey, message: str, *, key: bool = False) -> None:
        line, column = doc.positions.locate(where, key=key)
        out.append(Diagnostic(doc.path, line, column, "E401", message))

    if not isinstance(value, dict):
        add(loc, f"{'.'.join(map(str, loc))}: expected a mapping of question id to answer")
        return {}
    clean: dict[str, str] = {}
    for key, answer in value.items():
        question = inst.question(str(key))
        if question is None:
            add((*loc, str(key)), f"unknown question '{key}'", key=True)
            continue
        scale = inst.scale_of(question)
        if not isinstance(answer, str) or scale.option(answer) is None:
            allowed = ", ".join(o.id for o in scale.options)
            add((*loc, str(key)), f"'{key}': {answer!r} is not one of the answers ({allowed})")
            continue
        clean[question.id] = answer
    return clean


def parse_answers(doc: Document, inst: Instrument) -> AnswerFile:
    """The answers in ``doc``, or ContentError listing every problem with its line."""
    out: list[Diagnostic] = []
    data = doc.data

    def add(where: PathKey, message: str, *, key: bool = False) -> None:
        line, column = doc.positions.locate(where, key=key)
        out.append(Diagnostic(doc.path, line, column, "E401", message))

    if not isinstance(data, dict):
        raise ContentError([Diagnostic(doc.path, 1, 1, "E401", "expected a mapping at the top")])
    result = AnswerFile(doc.path)
    for key in data:
        if key not in KEYS:
            add((str(key),), f"unknown key '{key}' (use {', '.join(sorted(KEYS))})", key=True)
    for name in ("organisation", "approver"):
        value = data.get(name, "")
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            add((name,), f"'{name}' must be text of up to {MAX_TEXT} characters")
        else:
            setattr(result, name, value.strip())
    when = data.get("date")
    if isinstance(when, date):
        result.when = when
    elif isinstance(when, str):
        try:
            result.when = date.fromisoformat(when)
        except ValueError:
            add(("date",), f"'date': {when!r} is not a date like 2026-12-01")
    elif when is not None:
        add(("date",), "'date' must be a date like 2026-12-01")
    if "lead" in data:
        result.lead = _answers(doc, inst, ("lead",), data["lead"], out)
    staff = data.get("staff", [])
    if not isinstance(staff, list):
        add(("staff",), "'staff' must be a list of answer mappings")
    else:
        result.staff = [_answers(doc, inst, ("staff", i), s, out) for i, s in enumerate(staff)]
    if result.lead is None and not result.staff:
        add((), "no answers: give 'lead', 'staff' or both")
    if out:
        raise ContentError(sorted(out))
    return result


def load_answers(path: Path, inst: Instrument) -> AnswerFile:
    try:
        doc = load_yaml(path)
    except SourceError as exc:
        raise ContentError([exc.diagnostic]) from None
    return parse_answers(doc, inst)
