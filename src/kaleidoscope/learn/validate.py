"""Check scenario files and report every problem at once, with YAML line numbers.

Codes (also documented in docs/scenario-format.md):

E101 file unreadable or not UTF-8     E102 empty file        E103 file too large
E104 malformed YAML                   E105 duplicate key     E106 no scenarios found
E201 schema: missing field, wrong type or constraint         E202 unknown key
E203 effect out of range (-2..+2)
E301 duplicate id                     E302 unknown target    E303 unreachable node
E304 dead end or closed loop: no ending can be reached       E305 ending without debrief
E306 unknown cast member              E307 unknown guidance key
E308 superseded guidance cited without its successor
E309 guidance key whose URL is only a site's home page
W401 choice cites no guidance         W402 markup outside the safe Markdown subset
T143 Twine story JavaScript or CSS (a '# twine-extra' line) that could end its HTML element
T160 unreadable Twine layout line (docs/twine.md)
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kaleidoscope.diagnostics import Diagnostic, Severity
from kaleidoscope.guidance import GuidanceRegistry, load_registry
from kaleidoscope.guidance.registry import is_homepage
from kaleidoscope.learn.model import (
    EFFECT_MAX,
    EFFECT_MIN,
    CastMember,
    Scenario,
    SharedCast,
)
from kaleidoscope.learn.source import Document, PathKey, SourceError, load_yaml

SHARED_CAST_FILE = "_cast.yaml"
NODE_TYPES = frozenset({"passage", "decision", "ending"})
_UNSAFE = re.compile(r"<\s*/?\s*[A-Za-z!]|!\[")
_TEXT_FIELDS = ("text", "consequence", "debrief", "discussion")


@dataclass
class Checked:
    """The outcome of checking one file."""

    path: str
    scenario: Scenario | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Where in the data each problem is (for tools that point elsewhere, such as Twine).
    where: dict[Diagnostic, PathKey] = field(default_factory=dict)


class _Report:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.items: list[Diagnostic] = []
        self.where: dict[Diagnostic, PathKey] = {}

    def add(
        self,
        loc: PathKey,
        code: str,
        message: str,
        *,
        key: bool = False,
        severity: Severity = Severity.ERROR,
        where: PathKey | None = None,
    ) -> None:
        line, column = self.doc.positions.locate(loc, key=key)
        diagnostic = Diagnostic(self.doc.path, line, column, code, message, severity)
        self.items.append(diagnostic)
        self.where[diagnostic] = loc if where is None else where


def _clean_loc(loc: tuple[str | int, ...]) -> tuple[tuple[str | int, ...], bool]:
    """Pydantic's error location as a data path; True if it points at a mapping key."""
    parts = list(loc)
    # Discriminated unions insert the tag after the node id: nodes.<id>.<tag>.field
    if len(parts) >= 3 and parts[0] == "nodes" and parts[2] in NODE_TYPES:
        del parts[2]
    is_key = bool(parts) and parts[-1] == "[key]"
    if is_key:
        parts.pop()
    return tuple(parts), is_key


def _schema_errors(report: _Report, exc: ValidationError) -> None:
    for err in exc.errors(include_url=False):
        loc, is_key = _clean_loc(tuple(err["loc"]))
        where = ".".join(str(p) for p in loc) or "(top level)"
        kind = err["type"]
        if kind == "extra_forbidden":
            report.add(loc, "E202", f"unknown key '{loc[-1]}' at {where}", key=True)
        elif kind in ("greater_than_equal", "less_than_equal") and "effects" in loc:
            report.add(
                loc,
                "E203",
                f"effect {err.get('input')!r} at {where} is out of range "
                f"({EFFECT_MIN}..{EFFECT_MAX})",
            )
        elif kind == "missing":
            report.add(
                loc[:-1], "E201", f"missing required field '{loc[-1]}' at {where}", where=loc
            )
        elif kind == "union_tag_invalid":
            report.add(
                (*loc, "type"),
                "E201",
                f"{where}: type must be one of passage, decision, ending",
            )
        else:
            report.add(loc, "E201", f"{where}: {err['msg']}", key=is_key)


def _as_dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _successors(report: _Report, nodes: dict[Any, Any]) -> dict[Any, list[Any]]:
    """Each node's targets that exist; every link to a missing node is reported (E302).

    Locations are made only for what is reported: this runs over every link.
    """
    successors: dict[Any, list[Any]] = {node_id: [] for node_id in nodes}
    for source, node in nodes.items():
        if not isinstance(node, dict):
            continue
        kind = node.get("type")
        if kind == "passage" and "next" in node:
            target = node["next"]
            if isinstance(target, str) and target in nodes:
                successors[source].append(target)
            else:
                report.add(
                    ("nodes", source, "next"),
                    "E302",
                    f"unknown target '{target}' from node '{source}'",
                )
        elif kind == "decision":
            choices = node.get("choices")
            if not isinstance(choices, list):
                continue
            for i, choice in enumerate(choices):
                if not isinstance(choice, dict) or "target" not in choice:
                    continue
                target = choice["target"]
                if isinstance(target, str) and target in nodes:
                    successors[source].append(target)
                else:
                    report.add(
                        ("nodes", source, "choices", i, "target"),
                        "E302",
                        f"unknown target '{target}' from node '{source}'",
                    )
    return successors


def _graph_checks(report: _Report, data: dict[Any, Any]) -> None:
    nodes = _as_dict(data.get("nodes"))
    if not nodes:
        return
    start = data.get("start")
    successors = _successors(report, nodes)
    if isinstance(start, str) and start not in nodes:
        report.add(("start",), "E302", f"start node '{start}' does not exist")
        return
    if not isinstance(start, str):
        return

    reachable = {start}
    queue = deque([start])
    while queue:
        for nxt in successors[queue.popleft()]:
            if nxt not in reachable:
                reachable.add(nxt)
                queue.append(nxt)
    for node_id in nodes:
        if node_id not in reachable:
            report.add(
                ("nodes", node_id),
                "E303",
                f"node '{node_id}' cannot be reached from the start",
                key=True,
            )

    predecessors: dict[Any, list[Any]] = {node_id: [] for node_id in nodes}
    for source, targets in successors.items():
        for target in targets:
            predecessors[target].append(source)
    finishes = {k for k, n in nodes.items() if _as_dict(n).get("type") == "ending"}
    queue = deque(finishes)
    while queue:
        for prev in predecessors[queue.popleft()]:
            if prev not in finishes:
                finishes.add(prev)
                queue.append(prev)
    for node_id in nodes:
        if node_id in reachable and node_id not in finishes:
            kind = _as_dict(nodes[node_id]).get("type", "node")
            loop = _cycle(node_id, successors)
            what = "closed loop" if loop else "dead end"
            shown = f" (the loop: {' -> '.join(str(n) for n in loop)})" if loop else ""
            report.add(
                ("nodes", node_id),
                "E304",
                f"{what}: no ending can be reached from {kind} '{node_id}'{shown}",
                key=True,
            )


def _cycle(node_id: Any, successors: dict[Any, list[Any]]) -> list[Any]:
    """The shortest way from ``node_id`` back to itself (empty if there is none)."""
    parent: dict[Any, Any] = {}
    queue = deque([node_id])
    while queue:
        current = queue.popleft()
        for nxt in successors[current]:
            if nxt == node_id:
                path = [current]
                while path[-1] != node_id:
                    path.append(parent[path[-1]])
                return (
                    [node_id, *reversed(path[:-1]), node_id]
                    if len(path) > 1
                    else [
                        node_id,
                        node_id,
                    ]
                )
            if nxt not in parent:
                parent[nxt] = current
                queue.append(nxt)
    return []


def _reference_checks(
    report: _Report,
    data: dict[Any, Any],
    shared_cast: frozenset[str],
    registry: GuidanceRegistry | None = None,
) -> None:
    registry = registry if registry is not None else load_registry()
    cast_ids: set[str] = set(shared_cast)
    for i, member in enumerate(_as_list(data.get("cast"))):
        member_id = _as_dict(member).get("id")
        if isinstance(member_id, str):
            if member_id in cast_ids and member_id not in shared_cast:
                report.add(("cast", i, "id"), "E301", f"duplicate cast id '{member_id}'")
            cast_ids.add(member_id)
    unsafe = _UNSAFE.search
    for node_id, node in _as_dict(data.get("nodes")).items():
        node = _as_dict(node)
        here: PathKey = ("nodes", node_id)
        speaker = node.get("speaker")
        if isinstance(speaker, str) and speaker not in cast_ids:
            report.add(
                (*here, "speaker"),
                "E306",
                f"speaker '{speaker}' of node '{node_id}' is not in the cast",
            )
        for name in _TEXT_FIELDS:
            text = node.get(name)
            if isinstance(text, str) and unsafe(text):
                _unsafe_markup(report, (*here, name))
        kind = node.get("type")
        if kind == "ending" and not str(node.get("debrief") or "").strip():
            report.add(here, "E305", f"ending '{node_id}' has no debrief", key=True)
        if kind != "decision":
            continue
        seen_choices: set[Any] = set()
        for i, choice in enumerate(_as_list(node.get("choices"))):
            choice = _as_dict(choice)
            choice_id = choice.get("id")
            if choice_id is not None:
                if choice_id in seen_choices:
                    report.add(
                        (*here, "choices", i, "id"),
                        "E301",
                        f"duplicate choice id '{choice_id}' in decision '{node_id}'",
                    )
                seen_choices.add(choice_id)
            for name in _TEXT_FIELDS:
                text = choice.get(name)
                if isinstance(text, str) and unsafe(text):
                    _unsafe_markup(report, (*here, "choices", i, name))
            keys = _as_list(choice.get("guidance"))
            for j, key in enumerate(keys):
                if not isinstance(key, str):
                    continue
                if key not in registry:
                    report.add(
                        (*here, "choices", i, "guidance", j),
                        "E307",
                        f"unknown guidance key '{key}'",
                    )
                else:
                    _citation_checks(
                        report, (*here, "choices", i, "guidance", j), key, keys, registry
                    )
            if not keys:
                report.add(
                    (*here, "choices", i),
                    "W401",
                    f"choice '{choice_id}' in decision '{node_id}' cites no guidance",
                    severity=Severity.WARNING,
                )


def _citation_checks(
    report: _Report, loc: PathKey, key: str, cited: list[Any], registry: GuidanceRegistry
) -> None:
    entry = registry[key]
    successor = entry.superseded_by
    if successor is not None and successor not in cited:
        report.add(
            loc,
            "E308",
            f"guidance '{key}' is superseded by '{successor}': cite '{successor}' "
            "in this choice too, or instead",
        )
    if entry.url is not None and is_homepage(entry.url):
        report.add(
            loc,
            "E309",
            f"guidance '{key}' links only to a site's home page ({entry.url}); "
            "give the document's own address in guidance.yaml",
        )


def _unsafe_markup(report: _Report, loc: PathKey) -> None:
    report.add(
        loc,
        "W402",
        "raw HTML or images are not part of the safe Markdown "
        "subset and will be shown as plain text",
        severity=Severity.WARNING,
    )


_TWINE_LINE = re.compile(r"^# twine-(story|passage|extra): (.*)$", re.MULTILINE)
_ELEMENT_END = re.compile(r"</(script|style)|<!--", re.IGNORECASE)


def _twine_checks(report: _Report, text: str) -> None:
    """The Twine layout kept in comments: readable, and no code that could break out.

    Story JavaScript and CSS travel only to Twine exports (never into Kaleidoscope's
    pages), where '</script', '</style' and '<!--' are written with a backslash so they
    cannot end their element; the author is told, since Twine shows the changed text.
    """
    if "# twine-" not in text:
        return
    line, counted = 1, 0
    for match in _TWINE_LINE.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        try:
            data = json.loads(match.group(2))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            report.items.append(
                Diagnostic(
                    report.doc.path,
                    line,
                    1,
                    "T160",
                    f"Twine layout line is not readable ({exc}); ignored",
                    Severity.WARNING,
                )
            )
            continue
        body = data.get("text")
        if match.group(1) != "extra" or not isinstance(body, str):
            continue
        found = _ELEMENT_END.search(body)
        if found:
            name = data.get("name")
            report.items.append(
                Diagnostic(
                    report.doc.path,
                    line,
                    1,
                    "T143",
                    f"Twine passage '{name}' holds {found.group(0)!r}, which would end its "
                    "HTML element; a Twine export writes it with a backslash "
                    f"({found.group(0)[0]}\\{found.group(0)[1:]}). It never runs in "
                    "Kaleidoscope.",
                    Severity.WARNING,
                )
            )


def check_document(
    doc: Document,
    shared_cast: frozenset[str] = frozenset(),
    registry: GuidanceRegistry | None = None,
) -> Checked:
    """Every problem in one parsed scenario document (citations against ``registry``)."""
    report = _Report(doc)
    for loc, name, first, (line, column) in doc.duplicates:
        code, what = (
            ("E301", "duplicate node id")
            if loc[:1] == ("nodes",) and len(loc) == 2
            else ("E105", "duplicate key")
        )
        report.items.append(
            Diagnostic(doc.path, line, column, code, f"{what} '{name}' (first at line {first[0]})")
        )
    scenario: Scenario | None = None
    if not isinstance(doc.data, dict):
        report.add((), "E201", "a scenario file must be a mapping of keys to values")
    else:
        try:
            scenario = Scenario.model_validate(doc.data)
        except ValidationError as exc:
            _schema_errors(report, exc)
        _graph_checks(report, doc.data)
        _reference_checks(report, doc.data, shared_cast, registry)
    _twine_checks(report, doc.text)
    report.items.sort(key=lambda d: (d.line, d.column, d.code))
    if any(d.is_error for d in report.items):
        scenario = None
    return Checked(doc.path, scenario, report.items, report.where)


def check_file(
    path: Path, display: str | None = None, shared_cast: frozenset[str] | None = None
) -> Checked:
    shown = display if display is not None else str(path)
    try:
        doc = load_yaml(path, shown)
    except SourceError as exc:
        return Checked(shown, None, [exc.diagnostic])
    if shared_cast is None:
        shared_cast = _shared_ids(path.parent)[0]
    return check_document(doc, shared_cast)


def read_shared_cast(folder: Path) -> tuple[list[CastMember], list[Diagnostic]]:
    """The continuing cast in ``folder/_cast.yaml`` (none if absent), and its problems."""
    cast_path = folder / SHARED_CAST_FILE
    if not cast_path.is_file():
        return [], []
    try:
        doc = load_yaml(cast_path)
    except SourceError as exc:
        return [], [exc.diagnostic]
    try:
        shared = SharedCast.model_validate(doc.data)
    except ValidationError as exc:
        report = _Report(doc)
        _schema_errors(report, exc)
        return [], report.items
    return list(shared.cast), []


def _shared_ids(folder: Path) -> tuple[frozenset[str], list[Diagnostic]]:
    members, problems = read_shared_cast(folder)
    return frozenset(m.id for m in members), problems


def scenario_files(paths: Iterable[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Expand files and folders into scenario files; folders with none are an error."""
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in (".yaml", ".yml") and p.name != SHARED_CAST_FILE and p.is_file()
            )
            if not found:
                problems.append(
                    Diagnostic(str(path), 0, 0, "E106", "no scenario files (*.yaml) in this folder")
                )
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            problems.append(Diagnostic(str(path), 0, 0, "E101", "no such file or folder"))
    return files, problems


def check_paths(paths: Iterable[Path]) -> list[Checked]:
    """Check files and folders together, including duplicate scenario ids across files."""
    files, problems = scenario_files(paths)
    results = [Checked(d.path, None, [d]) for d in problems]
    casts: dict[Path, frozenset[str]] = {}
    owners: dict[str, str] = {}
    for path in files:
        folder = path.parent
        if folder not in casts:
            casts[folder], cast_problems = _shared_ids(folder)
            results.extend(Checked(d.path, None, [d]) for d in cast_problems)
        checked = check_file(path, shared_cast=casts[folder])
        if checked.scenario is not None:
            sid = checked.scenario.id
            if sid in owners:
                checked.diagnostics.append(
                    Diagnostic(
                        checked.path,
                        1,
                        1,
                        "E301",
                        f"duplicate scenario id '{sid}' (also in {owners[sid]})",
                    )
                )
                checked.scenario = None
            else:
                owners[sid] = checked.path
        results.append(checked)
    return results
