"""Check the instrument, policy and case-study files; every problem as file:line:column.

Codes (documented in docs/organise.md):

E101-E105 as for scenarios: unreadable, empty, too large, malformed YAML, duplicate key
E201 schema: missing field, wrong type or constraint     E202 unknown key
E307 unknown guidance key
E310 unknown theme            E311 unknown scale           E312 unknown benchmark key
E313 option not in the scale  E314 unknown scenario id     E315 unknown tool
E316 duplicate id             E317 a link needs exactly one of scenario or tool
E318 theme without questions  E320 unknown question        E322 unknown placeholder
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from kaleidoscope.diagnostics import Diagnostic
from kaleidoscope.guidance import load_registry
from kaleidoscope.learn.source import Document, PathKey, SourceError, load_yaml, parse_yaml
from kaleidoscope.organise.model import CaseLibrary, Instrument, PolicyTemplate

PLACEHOLDERS = frozenset({"organisation", "approver", "review_date", "review_months"})
M = TypeVar("M", bound=BaseModel)


@dataclass
class Checked(Generic[M]):
    path: str
    value: M | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


class ContentError(Exception):
    """A content file has errors; ``diagnostics`` says where."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = diagnostics


class _Report:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.items: list[Diagnostic] = []

    def add(self, loc: PathKey, code: str, message: str, *, key: bool = False) -> None:
        line, column = self.doc.positions.locate(loc, key=key)
        self.items.append(Diagnostic(self.doc.path, line, column, code, message))


def _schema_errors(report: _Report, exc: ValidationError) -> None:
    for err in exc.errors(include_url=False):
        loc: PathKey = tuple(p for p in err["loc"] if p != "[key]")
        is_key = bool(err["loc"]) and err["loc"][-1] == "[key]"
        where = ".".join(str(p) for p in loc) or "(top level)"
        if err["type"] == "extra_forbidden":
            report.add(loc, "E202", f"unknown key '{loc[-1]}' at {where}", key=True)
        elif err["type"] == "missing":
            report.add(loc[:-1], "E201", f"missing required field '{loc[-1]}' at {where}")
        else:
            report.add(loc, "E201", f"{where}: {err['msg']}", key=is_key)


def _guidance(report: _Report, loc: PathKey, keys: Any) -> None:
    registry = load_registry()
    for index, key in enumerate(keys if isinstance(keys, list) else []):
        if isinstance(key, str) and key not in registry:
            report.add((*loc, index), "E307", f"unknown guidance key '{key}'")


@cache
def _scenario_ids() -> frozenset[str]:
    from kaleidoscope.learn.library import bundled_path

    return frozenset(p.stem for p in bundled_path().glob("*.yaml") if not p.name.startswith("_"))


def _instrument_refs(report: _Report, inst: Instrument) -> None:
    themes = {t.id for t in inst.themes}
    seen: dict[str, int] = {}
    for index, theme in enumerate(inst.themes):
        if theme.id in seen:
            report.add(("themes", index, "id"), "E316", f"duplicate theme id '{theme.id}'")
        seen[theme.id] = index
    for name, scale in inst.scales.items():
        ids = [o.id for o in scale.options]
        for index, option in enumerate(scale.options):
            if ids.index(option.id) != index:
                report.add(
                    ("scales", name, "options", index, "id"),
                    "E316",
                    f"duplicate option id '{option.id}' in scale '{name}'",
                )
        for index, counted in enumerate(scale.counts):
            if counted not in ids:
                report.add(
                    ("scales", name, "counts", index),
                    "E313",
                    f"'{counted}' is not an option of scale '{name}'",
                )
    for name, bench in inst.benchmarks.items():
        _guidance(report, ("benchmarks", name, "guidance"), bench.guidance)
    used_themes: set[str] = set()
    question_ids: set[str] = set()
    for index, q in enumerate(inst.questions):
        here: PathKey = ("questions", index)
        if q.id in question_ids:
            report.add((*here, "id"), "E316", f"duplicate question id '{q.id}'")
        question_ids.add(q.id)
        if q.theme not in themes:
            report.add(
                (*here, "theme"),
                "E310",
                f"question '{q.id}': unknown theme '{q.theme}' "
                f"(themes: {', '.join(sorted(themes))})",
            )
        used_themes.add(q.theme)
        if q.scale not in inst.scales:
            report.add((*here, "scale"), "E311", f"question '{q.id}': unknown scale '{q.scale}'")
        if q.benchmark not in inst.benchmarks:
            report.add(
                (*here, "benchmark"),
                "E312",
                f"question '{q.id}': unknown benchmark key '{q.benchmark}'",
            )
        _guidance(report, (*here, "guidance"), q.guidance)
        _guidance(report, (*here, "action", "guidance"), q.action.guidance)
        for number, link in enumerate(q.action.links):
            where: PathKey = (*here, "action", "links", number)
            if (link.scenario is None) == (link.tool is None):
                report.add(where, "E317", "a link needs exactly one of 'scenario' or 'tool'")
            elif link.scenario is not None and link.scenario not in _scenario_ids():
                report.add((*where, "scenario"), "E314", f"unknown scenario id '{link.scenario}'")
            elif link.tool is not None and link.tool not in inst.tools:
                report.add((*where, "tool"), "E315", f"unknown tool '{link.tool}'")
    for index, theme in enumerate(inst.themes):
        if theme.id not in used_themes:
            report.add(("themes", index, "id"), "E318", f"theme '{theme.id}' has no questions")


def _policy_refs(report: _Report, policy: PolicyTemplate, inst: Instrument | None) -> None:
    _placeholders(report, ("title",), policy.title)
    _placeholders(report, ("notice",), policy.notice)
    clause_ids: set[str] = set()
    for s_index, section in enumerate(policy.sections):
        for c_index, clause in enumerate(section.clauses):
            here: PathKey = ("sections", s_index, "clauses", c_index)
            if clause.id in clause_ids:
                report.add((*here, "id"), "E316", f"duplicate clause id '{clause.id}'")
            clause_ids.add(clause.id)
            _guidance(report, (*here, "guidance"), clause.guidance)
            _placeholders(report, (*here, "text"), clause.text)
            if clause.when is None or inst is None:
                continue
            question = inst.question(clause.when.question)
            if question is None:
                report.add(
                    (*here, "when", "question"),
                    "E320",
                    f"clause '{clause.id}': unknown question '{clause.when.question}'",
                )
                continue
            scale = inst.scales.get(question.scale)
            options = {o.id for o in scale.options} if scale else set()
            for a_index, answer in enumerate(clause.when.answers):
                if scale and answer not in options:
                    report.add(
                        (*here, "when", "answers", a_index),
                        "E313",
                        f"'{answer}' is not an answer to '{question.id}' "
                        f"({', '.join(sorted(options))})",
                    )


def _placeholders(report: _Report, loc: PathKey, text: str) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        report.add(loc, "E322", f"bad placeholder: {exc}")
        return
    for name in sorted(names - PLACEHOLDERS):
        report.add(
            loc, "E322", f"unknown placeholder '{{{name}}}' (use {', '.join(sorted(PLACEHOLDERS))})"
        )


def _case_refs(report: _Report, cases: CaseLibrary, inst: Instrument | None) -> None:
    themes = {t.id for t in inst.themes} if inst else None
    ids: set[str] = set()
    for index, case in enumerate(cases.cases):
        here: PathKey = ("cases", index)
        if case.id in ids:
            report.add((*here, "id"), "E316", f"duplicate case study id '{case.id}'")
        ids.add(case.id)
        if themes is not None and case.theme not in themes:
            report.add((*here, "theme"), "E310", f"case '{case.id}': unknown theme '{case.theme}'")
        _guidance(report, (*here, "guidance"), case.guidance)


def _check(doc: Document, model: type[M], refs: Callable[[_Report, M], None]) -> Checked[M]:
    report = _Report(doc)
    for _loc, name, first, (line, column) in doc.duplicates:
        report.items.append(
            Diagnostic(
                doc.path, line, column, "E105", f"duplicate key '{name}' (first at line {first[0]})"
            )
        )
    try:
        value = model.model_validate(doc.data)
    except ValidationError as exc:
        _schema_errors(report, exc)
        return Checked(doc.path, None, sorted(report.items))
    refs(report, value)
    items = sorted(report.items)
    return Checked(doc.path, None if items else value, items)


def _read(path: Path | None, bundled: str, display: str | None) -> Document:
    if path is None:
        text = resources.files(__package__).joinpath(bundled).read_text("utf-8")
        return parse_yaml(text, display or f"kaleidoscope/organise/{bundled}")
    return load_yaml(path, display)


def _run(read: Callable[[], Document], check: Callable[[Document], Checked[M]]) -> Checked[M]:
    try:
        doc = read()
    except SourceError as exc:
        return Checked(exc.diagnostic.path, None, [exc.diagnostic])
    return check(doc)


def check_instrument(path: Path | None = None, display: str | None = None) -> Checked[Instrument]:
    return _run(
        lambda: _read(path, "instrument.yaml", display),
        lambda doc: _check(doc, Instrument, _instrument_refs),
    )


def check_instrument_text(text: str, display: str) -> Checked[Instrument]:
    return _run(
        lambda: parse_yaml(text, display), lambda doc: _check(doc, Instrument, _instrument_refs)
    )


def check_policy(
    path: Path | None = None, instrument: Instrument | None = None, display: str | None = None
) -> Checked[PolicyTemplate]:
    inst = instrument if instrument is not None else _bundled_or_none()
    return _run(
        lambda: _read(path, "policy.yaml", display),
        lambda doc: _check(doc, PolicyTemplate, lambda r, p: _policy_refs(r, p, inst)),
    )


def check_cases(
    path: Path | None = None, instrument: Instrument | None = None, display: str | None = None
) -> Checked[CaseLibrary]:
    inst = instrument if instrument is not None else _bundled_or_none()
    return _run(
        lambda: _read(path, "cases.yaml", display),
        lambda doc: _check(doc, CaseLibrary, lambda r, c: _case_refs(r, c, inst)),
    )


def _bundled_or_none() -> Instrument | None:
    return check_instrument().value


def check_bundled() -> list[Diagnostic]:
    """Every problem in the three bundled files."""
    inst = check_instrument()
    return [
        *inst.diagnostics,
        *check_policy(instrument=inst.value).diagnostics,
        *check_cases(instrument=inst.value).diagnostics,
    ]


def _value(checked: Checked[M]) -> M:
    if checked.value is None:
        raise ContentError(checked.diagnostics)
    return checked.value


@cache
def bundled_instrument() -> Instrument:
    return _value(check_instrument())


@cache
def bundled_policy() -> PolicyTemplate:
    return _value(check_policy(instrument=bundled_instrument()))


@cache
def bundled_cases() -> CaseLibrary:
    return _value(check_cases(instrument=bundled_instrument()))
