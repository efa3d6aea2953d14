"""The validator: every error code, located to the line, all problems at once."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kaleidoscope.learn.library import bundled_path
from kaleidoscope.learn.source import parse_yaml
from kaleidoscope.learn.validate import check_document, check_file, check_paths

BROKEN = Path(__file__).parents[1] / "fixtures" / "broken"
EXPECT = re.compile(rb"# expect: (\w+) line (\d+)")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kaleidoscope.cli", *args],
        capture_output=True, text=True, timeout=120,
    )


def test_bundled_library_is_valid_even_strictly() -> None:
    results = check_paths([bundled_path()])
    assert results, "the bundled library is empty"
    problems = [str(d) for r in results for d in r.diagnostics]
    assert problems == []


BROKEN_FILES = sorted(BROKEN.glob("*.yaml"))


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda p: p.stem)
def test_each_broken_fixture_reports_its_code_at_its_line(path: Path) -> None:
    code = path.name.split("-")[0]
    found = check_file(path).diagnostics
    header = EXPECT.match(path.read_bytes())
    assert any(d.code == code for d in found), [str(d) for d in found]
    if header:  # the empty file cannot carry a header; it is reported at 1:1
        line = int(header.group(2))
        assert any(d.code == code and d.line == line for d in found), [str(d) for d in found]


def test_fixture_folder_covers_every_file_level_and_graph_code() -> None:
    codes = {p.name.split("-")[0] for p in BROKEN_FILES}
    expected = {"E101", "E102", "E104", "E105", "E201", "E202", "E203", "E301", "E302",
                "E303", "E304", "E305", "E306", "E307", "W401", "W402"}
    assert expected <= codes  # E103 (size) and E106 (empty folder) are made in tests


def test_all_problems_are_reported_at_once() -> None:
    text = (BROKEN / "E302-unknown-target.yaml").read_text()
    text = text.replace("speaker: sam", "speaker: nobody").replace("colour", "x")
    text = text.replace("guidance: [HCPC-2017-advice]\n  good_end", "guidance: [NOPE]\n  good_end")
    text += "  lonely:\n    type: ending\n    kind: mixed\n    title: Lonely\n"
    codes = {d.code for d in check_document(parse_yaml(text, "multi.yaml")).diagnostics}
    assert {"E302", "E306", "E307", "E303", "E305"} <= codes


def test_dead_end_decision_is_distinguished_from_a_closed_loop() -> None:
    text = (BROKEN / "E302-unknown-target.yaml").read_text()
    text = text.replace("target: nowhere", "target: stuck") + (
        "  stuck:\n    type: decision\n    text: Now what?\n    choices:\n"
        "      - {id: a, text: A, target: stuck, consequence: Again., guidance: [HCPC-2017]}\n"
        "      - {id: b, text: B, target: stuck, consequence: Again., guidance: [HCPC-2017]}\n"
    )
    messages = [d.message for d in check_document(parse_yaml(text, "x.yaml")).diagnostics
                if d.code == "E304"]
    assert messages == [
        "closed loop: no ending can be reached from decision 'stuck' (the loop: stuck -> stuck)"
    ]


def test_choices_per_decision_are_bounded() -> None:
    text = (BROKEN / "E302-unknown-target.yaml").read_text().replace("target: nowhere",
                                                                      "target: poor_end")
    one_choice = re.sub(r"      - id: hasty.*?guidance: \[HCPC-2017-advice\]\n", "", text,
                        flags=re.S)
    found = check_document(parse_yaml(one_choice, "x.yaml")).diagnostics
    assert any(d.code == "E201" and "at least 2" in d.message for d in found)


def test_cli_fails_on_the_broken_folder_with_located_errors() -> None:
    result = _cli("scenarios", "validate", str(BROKEN))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    pattern = re.compile(r"^.+\.yaml:\d+:\d+: [EW]\d{3} .+")
    assert lines and all(pattern.match(line) for line in lines), lines
    assert "Traceback" not in result.stderr


def test_cli_passes_on_the_bundled_library() -> None:
    result = _cli("scenarios", "validate", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stderr


def test_warnings_fail_only_under_strict() -> None:
    path = str(BROKEN / "W401-no-citation.yaml")
    assert _cli("scenarios", "validate", path).returncode == 0
    assert _cli("scenarios", "validate", "--strict", path).returncode == 1


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    [result] = check_paths([huge])
    assert [d.code for d in result.diagnostics] == ["E103"]
    assert "50.00 MB" in result.diagnostics[0].message


def test_folder_without_scenarios_and_missing_paths(tmp_path: Path) -> None:
    result = _cli("scenarios", "validate", str(tmp_path), str(tmp_path / "missing.yaml"))
    assert result.returncode == 1
    assert f"{tmp_path}:0:0: E106" in result.stdout
    assert "missing.yaml:0:0: E101 no such file or folder" in result.stdout


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("- just\n- a list\n", "E201"),
        ("a: &a [*a]\n", "E104"),
        ("a: &x [1,2,3,4,5,6,7,8,9]\nb: &y [*x,*x,*x,*x,*x,*x,*x,*x,*x]\n"
         "c: &z [*y,*y,*y,*y,*y,*y,*y,*y,*y]\nd: &w [*z,*z,*z,*z,*z,*z,*z,*z,*z]\n"
         "e: &v [*w,*w,*w,*w,*w,*w,*w,*w,*w]\nf: &u [*v,*v,*v,*v,*v,*v,*v,*v,*v]\n"
         "g: [*u,*u,*u,*u,*u,*u,*u,*u,*u]\n", "E104"),
        ("id: x\n\t- tab\n", "E104"),
        ("# only a comment\n", "E102"),
        ("id: 12\n", "E201"),
    ],
    ids=["list-at-top", "self-alias", "alias-bomb", "tab", "comment-only", "int-id"],
)
def test_bad_input_is_reported_not_raised(tmp_path: Path, content: str, code: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    result = _cli("scenarios", "validate", str(path))
    assert result.returncode == 1
    assert f" {code} " in result.stdout, result.stdout
    assert "Traceback" not in result.stderr


# --- citations that know time and place (issue 15) ---------------------------------------
_REGISTRY = """\
- key: NEW-CODE
  title: The current code
  publisher: A regulator
  year: 2024
  summary: The code registrants follow today.
  url: https://regulator.example/standards/code-2024
  jurisdiction: scotland
  status: current
  last_checked: 2026-12-01
- key: OLD-CODE
  title: The old code
  publisher: A regulator
  year: 2016
  summary: The code registrants followed before.
  url: https://regulator.example/standards/code-2016
  jurisdiction: scotland
  status: {superseded_by: NEW-CODE}
  last_checked: 2026-12-01
- key: HOME-ONLY
  title: A document with no address of its own
  publisher: A publisher
  year: 2020
  summary: Something said somewhere on a website.
  url: https://publisher.example/
  jurisdiction: uk
  status: current
  last_checked: 2026-12-01
"""


def _cite(first: str, second: str) -> list[str]:
    from kaleidoscope.guidance.registry import parse_registry

    registry = parse_registry(_REGISTRY, "test-guidance.yaml")
    text = (BROKEN / "E302-unknown-target.yaml").read_text().replace("target: nowhere",
                                                                      "target: poor_end")
    text = text.replace("guidance: [HCPC-2017-advice]", f"guidance: [{first}]", 1)
    text = text.replace("guidance: [HCPC-2017-advice]", f"guidance: [{second}]", 1)
    found = check_document(parse_yaml(text, "x.yaml"), registry=registry).diagnostics
    return [str(d) for d in found]


def test_superseded_key_without_its_successor_is_refused() -> None:
    assert _cite("OLD-CODE", "NEW-CODE") == [
        "x.yaml:28:20: E308 guidance 'OLD-CODE' is superseded by 'NEW-CODE': cite "
        "'NEW-CODE' in this choice too, or instead"
    ]


def test_superseded_key_with_its_successor_in_the_same_choice_passes() -> None:
    assert _cite("OLD-CODE, NEW-CODE", "NEW-CODE") == []


def test_key_whose_url_is_only_a_homepage_is_refused() -> None:
    [error] = _cite("NEW-CODE", "HOME-ONLY")
    assert error.startswith("x.yaml:34:20: E309 guidance 'HOME-ONLY' links only to a site's "
                            "home page (https://publisher.example/)")


def test_guidance_entry_without_jurisdiction_is_refused_with_its_line() -> None:
    from kaleidoscope.guidance.registry import GuidanceError, parse_registry

    text = _REGISTRY.replace("  jurisdiction: uk\n", "")
    with pytest.raises(GuidanceError) as caught:
        parse_registry(text, "test-guidance.yaml")
    assert [str(d) for d in caught.value.diagnostics] == [
        "test-guidance.yaml:19:1: G201 missing required field 'jurisdiction'"
    ]


def test_bundled_library_cites_only_current_guidance() -> None:
    """HCPC citations were replaced by the current regulator (no scenario's point is historical)."""
    from kaleidoscope.guidance.registry import load_registry
    from kaleidoscope.learn.library import bundled_library

    registry = load_registry()
    stale = sorted({
        (scenario.id, key)
        for scenario in bundled_library()
        for decision in scenario.decisions().values()
        for choice in decision.choices
        for key in choice.guidance
        if not registry[key].is_current
    })
    assert stale == []


# --- every reference and graph check in one document, each at its place ------------------
_SINK = """\
id: sink
title: Sink
summary: Every reference and graph check at once.
themes: [test]
minutes: 5
audience: [students]
cast:
  - {id: sam, name: Sam, role: Worker}
  - {id: sam, name: Sam again, role: Worker}
start: ask
nodes:
  intro:
    type: passage
    speaker: nobody
    text: <b>bold</b> opening
    next: nowhere
  ask:
    type: decision
    text: What now? ![img](x.png)
    discussion: <em>talk</em>
    choices:
      - {id: a, text: <i>A</i>, target: missing, consequence: ok, guidance: [NOPE]}
      - {id: a, text: B, target: good_end, consequence: <script>, guidance: []}
      - {id: c, text: C, target: loop, consequence: Again., guidance: [OLD-CODE, 7]}
      - {id: d, text: D, target: [1], consequence: Odd., guidance: [HOME-ONLY]}
  good_end:
    type: ending
    kind: successful
    title: Good
    text: <p>
  loop:
    type: passage
    text: Round.
    next: stuck
  stuck:
    type: decision
    text: Stuck?
    choices:
      - {id: x, text: X, target: stuck, consequence: Again., guidance: [NEW-CODE]}
      - {id: y, text: Y, target: loop, consequence: Again., guidance: [NEW-CODE]}
  odd: 5
"""


def test_every_check_reports_its_place_in_one_document() -> None:
    from kaleidoscope.guidance.registry import parse_registry

    registry = parse_registry(_REGISTRY, "test-guidance.yaml")
    checked = check_document(parse_yaml(_SINK, "sink.yaml"), registry=registry)
    assert [(str(d), checked.where[d]) for d in checked.diagnostics] == [
        ("sink.yaml:9:10: E301 duplicate cast id 'sam'",
         ('cast', 1, 'id')),
        ("sink.yaml:12:3: E303 node 'intro' cannot be reached from the start",
         ('nodes', 'intro')),
        ("sink.yaml:14:14: E306 speaker 'nobody' of node 'intro' is not in the cast",
         ('nodes', 'intro', 'speaker')),
        ('sink.yaml:15:11: W402 raw HTML or images are not part of the safe Markdown '
         'subset and will be shown as plain text',
         ('nodes', 'intro', 'text')),
        ("sink.yaml:16:11: E302 unknown target 'nowhere' from node 'intro'",
         ('nodes', 'intro', 'next')),
        ('sink.yaml:19:11: W402 raw HTML or images are not part of the safe Markdown '
         'subset and will be shown as plain text',
         ('nodes', 'ask', 'text')),
        ('sink.yaml:20:17: W402 raw HTML or images are not part of the safe Markdown '
         'subset and will be shown as plain text',
         ('nodes', 'ask', 'discussion')),
        ('sink.yaml:22:23: W402 raw HTML or images are not part of the safe Markdown '
         'subset and will be shown as plain text',
         ('nodes', 'ask', 'choices', 0, 'text')),
        ("sink.yaml:22:41: E302 unknown target 'missing' from node 'ask'",
         ('nodes', 'ask', 'choices', 0, 'target')),
        ("sink.yaml:22:78: E307 unknown guidance key 'NOPE'",
         ('nodes', 'ask', 'choices', 0, 'guidance', 0)),
        ("sink.yaml:23:9: W401 choice 'a' in decision 'ask' cites no guidance",
         ('nodes', 'ask', 'choices', 1)),
        ("sink.yaml:23:14: E301 duplicate choice id 'a' in decision 'ask'",
         ('nodes', 'ask', 'choices', 1, 'id')),
        ('sink.yaml:23:57: W402 raw HTML or images are not part of the safe Markdown '
         'subset and will be shown as plain text',
         ('nodes', 'ask', 'choices', 1, 'consequence')),
        ("sink.yaml:24:72: E308 guidance 'OLD-CODE' is superseded by 'NEW-CODE': cite "
         "'NEW-CODE' in this choice too, or instead",
         ('nodes', 'ask', 'choices', 2, 'guidance', 0)),
        ('sink.yaml:24:82: E201 nodes.ask.choices.2.guidance.1: Input should be a valid '
         'string',
         ('nodes', 'ask', 'choices', 2, 'guidance', 1)),
        ('sink.yaml:25:34: E201 nodes.ask.choices.3.target: Input should be a valid string',
         ('nodes', 'ask', 'choices', 3, 'target')),
        ("sink.yaml:25:34: E302 unknown target '[1]' from node 'ask'",
         ('nodes', 'ask', 'choices', 3, 'target')),
        ("sink.yaml:25:69: E309 guidance 'HOME-ONLY' links only to a site's home page "
         "(https://publisher.example/); give the document's own address in guidance.yaml",
         ('nodes', 'ask', 'choices', 3, 'guidance', 0)),
        ("sink.yaml:26:3: E305 ending 'good_end' has no debrief",
         ('nodes', 'good_end')),
        ('sink.yaml:30:11: W402 raw HTML or images are not part of the safe Markdown '
         'subset and will be shown as plain text',
         ('nodes', 'good_end', 'text')),
        ("sink.yaml:31:3: E304 closed loop: no ending can be reached from passage 'loop' "
         '(the loop: loop -> stuck -> loop)',
         ('nodes', 'loop')),
        ("sink.yaml:35:3: E304 closed loop: no ending can be reached from decision 'stuck'"
         ' (the loop: stuck -> stuck)',
         ('nodes', 'stuck')),
        ("sink.yaml:41:3: E303 node 'odd' cannot be reached from the start",
         ('nodes', 'odd')),
        ('sink.yaml:41:8: E201 nodes.odd: Input should be a valid dictionary or object to '
         'extract fields from',
         ('nodes', 'odd')),
    ]
