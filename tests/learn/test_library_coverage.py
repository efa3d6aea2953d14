"""The dilemma library covers every case of issue 4, validates strictly and plays to every ending.

The mapping below is the source of truth for which scenario covers which numbered case;
docs/coverage.md must list the same ids against the same cases.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path

import pytest

from kaleidoscope.guidance import load_registry
from kaleidoscope.guidance.nations import bundled_nations, cited_by_nation
from kaleidoscope.learn.engine import Playthrough
from kaleidoscope.learn.library import bundled_library, bundled_path
from kaleidoscope.learn.model import Decision, EndingKind, Passage, Scenario
from kaleidoscope.learn.validate import check_paths

COVERAGE_DOC = Path(__file__).resolve().parents[2] / "docs" / "coverage.md"

CASES: dict[str, str] = {
    "1": "friend-request",
    "2": "team-facebook-comments",
    "3": "partner-page-fixation",
    "4": "recovery-drinking-photos",
    "5": "befriending-a-mother",
    "6": "filmed-visit",
    "7": "parent-public-profile",
    "8": "adopted-child-traced",
    "9": "public-tweet-about-visit",
    "10": "follow-request",
    "11": "practice-blog",
    "12": "team-page-no-policy",
    "13": "text-reminders",
    "14": "court-post-location-pin",
}
EXTRAS: frozenset[str] = frozenset({"colleague-discriminatory-post", "student-footprint"})

_ROW = re.compile(r"^\|\s*(?P<case>[^|]+?)\s*\|.*?`(?P<id>[a-z0-9][a-z0-9_\-]*)`")


def _doc_rows() -> list[tuple[str, str]]:
    """(case, scenario id) for every table row of docs/coverage.md that names an id."""
    rows = []
    for line in COVERAGE_DOC.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            rows.append((match["case"], match["id"]))
    return rows


def _library_ids() -> set[str]:
    return {s.id for s in bundled_library()}


# --- coverage -------------------------------------------------------------------------
def test_every_numbered_case_is_mapped_once() -> None:
    assert sorted(CASES, key=lambda c: int(c)) == [str(n) for n in range(1, 15)]
    assert len(set(CASES.values())) == len(CASES), "one scenario per case"


@pytest.mark.parametrize("case", sorted(CASES, key=lambda c: int(c)))
def test_case_is_covered_by_a_bundled_scenario(case: str) -> None:
    scenario_id = CASES[case]
    assert scenario_id in _library_ids(), f"case {case}: no scenario '{scenario_id}' in the library"


@pytest.mark.parametrize("scenario_id", sorted(EXTRAS))
def test_extra_is_in_the_bundled_library(scenario_id: str) -> None:
    assert scenario_id in _library_ids()


def test_coverage_doc_lists_the_same_cases_and_ids() -> None:
    rows = _doc_rows()
    numbered = {case: sid for case, sid in rows if case.isdigit()}
    extras = {sid for case, sid in rows if not case.isdigit()}
    assert numbered == CASES
    assert extras == EXTRAS
    assert len(rows) == len(CASES) + len(EXTRAS), "a case or extra is listed twice"


def test_coverage_doc_titles_match_the_library() -> None:
    library = bundled_library()
    for line in COVERAGE_DOC.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        scenario = library.get(match["id"]) if match else None
        if scenario is not None:
            title = line.rstrip().rstrip("|").rsplit("|", 1)[-1].strip()
            assert title == scenario.title, f"docs/coverage.md: title of '{scenario.id}'"


def _regulator_cell(scenario: Scenario) -> str:
    keys = [k for d in scenario.decisions().values() for c in d.choices for k in c.guidance]
    labels = {n.id: n.label for n in bundled_nations()}
    return "; ".join(
        f"{labels[nation]}: {', '.join(found) if found else 'none'}"
        for nation, found in cited_by_nation(keys).items()
    )


def test_coverage_doc_lists_the_regulator_cited_per_nation() -> None:
    library = bundled_library()
    checked = 0
    for line in COVERAGE_DOC.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        scenario = library.get(match["id"]) if match else None
        if scenario is not None:
            cell = line.rstrip().rstrip("|").split("|")[-2].strip()
            assert cell == _regulator_cell(scenario), f"docs/coverage.md: '{scenario.id}'"
            checked += 1
    assert checked == len(CASES) + len(EXTRAS)


def test_every_scenario_cites_each_nations_regulator() -> None:
    """The four UK regulators side by side: no nation's practitioners are left without one."""
    for scenario in bundled_library():
        assert "none" not in _regulator_cell(scenario), scenario.id


def test_library_has_at_least_fourteen_scenarios() -> None:
    assert len(bundled_library()) >= 14


# --- validity and citations -------------------------------------------------------------
def test_library_validates_in_strict_mode() -> None:
    results = check_paths([bundled_path()])
    problems = [str(d) for r in results for d in r.diagnostics]  # warnings count too
    assert problems == []


def test_every_citation_key_exists_in_the_registry() -> None:
    registry = load_registry()
    cited = {
        (scenario.id, key)
        for scenario in bundled_library()
        for decision in scenario.decisions().values()
        for choice in decision.choices
        for key in choice.guidance
    }
    assert cited, "the library cites nothing"
    unknown = sorted((sid, key) for sid, key in cited if key not in registry)
    assert unknown == []


# --- the rules for each scenario ------------------------------------------------
def _scenarios() -> list[Scenario]:
    return list(bundled_library())


@pytest.mark.parametrize("scenario", _scenarios(), ids=lambda s: s.id)
def test_scenario_meets_the_library_rules(scenario: Scenario) -> None:
    decisions = scenario.decisions()
    assert 3 <= len(decisions) <= 6, f"{len(decisions)} decisions"
    kinds = {ending.kind for ending in scenario.endings().values()}
    assert kinds == set(EndingKind), f"ending kinds: {sorted(kinds)}"
    for node_id, decision in decisions.items():
        for choice in decision.choices:
            where = f"{node_id}.{choice.id}"
            assert choice.consequence.strip(), where
            assert choice.effects, f"{where} moves no dimension"
            assert choice.guidance, f"{where} cites no guidance"
    prompts = [d.discussion for d in decisions.values()]
    prompts += [c.discussion for d in decisions.values() for c in d.choices]
    assert any(p and p.strip() for p in prompts), "no discussion prompt for groups"
    assert scenario.minutes >= 5
    assert scenario.cast, "no cast of its own"


def test_scenario_files_are_named_by_their_ids() -> None:
    for path in sorted(bundled_path().glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        ids = [s.id for s in bundled_library() if s.id == path.stem]
        assert ids == [path.stem], f"{path.name} does not hold scenario '{path.stem}'"


def test_own_cast_names_are_not_reused_across_scenarios() -> None:
    """Each scenario invents its own people; one name in two stories confuses learners."""
    seen: dict[str, str] = {}
    clashes = []
    for scenario in bundled_library():
        for member in scenario.cast:
            for part in member.name.split():
                owner = seen.setdefault(part, scenario.id)
                if owner != scenario.id:
                    clashes.append(f"'{part}' in {owner} and {scenario.id}")
    assert clashes == []


# --- every ending can be played through the engine ---------------------------------------
def _path_to(scenario: Scenario, goal: str) -> list[tuple[str, str | None]]:
    """Shortest (node, choice id or None) route from the start to ``goal``."""
    came_from: dict[str, tuple[str, str | None] | None] = {scenario.start: None}
    queue = deque([scenario.start])
    while queue:
        node_id = queue.popleft()
        if node_id == goal:
            break
        node = scenario.node(node_id)
        if isinstance(node, Passage):
            moves: list[tuple[str | None, str]] = [(None, node.next)]
        elif isinstance(node, Decision):
            moves = [(c.id, c.target) for c in node.choices]
        else:
            moves = []
        for choice_id, target in moves:
            if target not in came_from:
                came_from[target] = (node_id, choice_id)
                queue.append(target)
    assert goal in came_from, f"{scenario.id}: ending '{goal}' cannot be reached"
    route: list[tuple[str, str | None]] = []
    step = came_from[goal]
    while step is not None:
        route.append(step)
        step = came_from[step[0]]
    return list(reversed(route))


def _endings() -> list[tuple[Scenario, str]]:
    return [(s, ending) for s in _scenarios() for ending in s.endings()]


@pytest.mark.parametrize(
    ("scenario", "ending"), _endings(), ids=lambda v: v.id if isinstance(v, Scenario) else v
)
def test_engine_plays_to_ending(scenario: Scenario, ending: str) -> None:
    play = Playthrough(scenario)
    for node_id, choice_id in _path_to(scenario, ending):
        assert play.current_id == node_id
        if choice_id is None:
            play.advance()
        else:
            play.choose(choice_id)
    assert play.finished and play.current_id == ending
    assert play.outcome is scenario.endings()[ending].kind
    cited = play.guidance_cited()
    assert cited and all(key in load_registry() for key in cited)
    restored = Playthrough.from_json(scenario, play.to_json())
    assert restored.current_id == ending and restored.profile() == play.profile()
