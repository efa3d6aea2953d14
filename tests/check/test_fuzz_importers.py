"""Fuzzing the Twine importer (Twee 3 and Twine 2 HTML) and the scenario YAML reader
with structure-aware bad input (issue 14).

Cases start from real files (tests/fixtures/twine, the bundled scenario library) and are
damaged as hand-edited or hostile files are: lines dropped, doubled or swapped; hostile
pieces inserted at a line (passage headers, links, metadata, HTML tags nested thousands
deep, YAML anchors and alias bombs, Python tags, flow nesting, tabs, duplicate keys,
bad UTF-8); bytes cut. The rule checked: ``TwineInputError`` / ``SourceError`` with a
diagnostic, or a result with diagnostics; never another exception.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fuzz_setup import count, fuzz_settings, write_report
from hypothesis import given
from hypothesis import strategies as st

from kaleidoscope.learn.library import bundled_path
from kaleidoscope.learn.source import SourceError, parse_yaml
from kaleidoscope.learn.twine.convert import stories_from_bytes, story_to_scenario
from kaleidoscope.learn.twine.story import TwineInputError
from kaleidoscope.learn.validate import check_document

TWINE = Path(__file__).parents[1] / "fixtures" / "twine"
TWINE_SEEDS = {name: (TWINE / name).read_bytes() for name in
               ("complete.twee", "links.twee", "published.html", "two-stories.html")}
YAML_SEEDS = {p.name: p.read_bytes() for p in sorted(bundled_path().glob("*.yaml"))[:4]}

TWINE_PIECES = [
    ":: ", ":: Start [tag] {\"position\":\"1,1\"}", ":: StoryData\n{\"ifid\": 5}",
    ":: StoryData\n{", "[[", "]]", "[[a->b]]", "[[a|]]", "[[<-]]", "[[" * 500, "{", "}",
    "\\", "---\nid: x\n---", "---\n: : :\n---", "<tw-passagedata pid=\"1\" name=\"x\">",
    "<tw-storydata name=\"s\" startnode=\"99\" ifid=\"x\">", "</tw-storydata>", "&#0;",
    "&#x110000;", "&bogus;", "<div>" * 3000, "<script>alert(1)</script>", "\x00", "\ufeff",
    "\ud83d", "x" * 100_000, "\n" * 1000, "::" * 1000, "<!--", "]]>", "<![CDATA[",
]
YAML_PIECES = [
    "a: &x [1, 2]\nb: *x", "a: *missing", "a: &a [&b [&c [1]]]",
    "l0: &l0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}]\n"
        for i in range(1, 9)),
    "x: !!python/object/apply:os.system ['true']", "x: !!binary AAAA", "? [a, b]\n: c",
    "[" * 2000 + "]" * 2000, "{" * 2000, "\tkey: value", "key: value\nkey: again",
    "%YAML 9.9\n---", "---\n---", "...", "- - - - -", "'unterminated", '"\\ud83d"',
    "x: 1e99999", "x: " + "9" * 5000, "nodes: []", "nodes: {a: {choices: 5}}",
    "start: nowhere", "\x00", "\ufeff", "\ud83d", "x" * 100_000, "!<tag:x> y",
]


@st.composite
def damaged_lines(draw: st.DrawFn, raw: bytes, pieces: list[str]) -> bytes:
    lines = raw.decode("utf-8").split("\n")
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["drop", "double", "swap", "insert", "insert", "indent"]))
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == "drop" and lines:
            del lines[at]
        elif op == "double" and lines:
            lines.insert(at, lines[at])
        elif op == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif op == "indent" and lines:
            lines[at] = draw(st.sampled_from(["\t", " ", "   ", ""])) + lines[at].lstrip()
        else:
            piece = draw(st.one_of(st.sampled_from(pieces), st.text(max_size=40)))
            lines.insert(at, piece)
    out = "\n".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:
        out = out[: draw(st.integers(0, len(out)))]
    return out


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    write_report()


@pytest.mark.parametrize("seed", sorted(TWINE_SEEDS))
def test_a_damaged_twine_file_gives_stories_or_a_diagnostic(seed: str) -> None:
    @fuzz_settings
    @given(st.data())
    def run(data: st.DataObject) -> None:
        count("twine")
        raw = data.draw(damaged_lines(TWINE_SEEDS[seed], TWINE_PIECES))
        try:
            stories, _diagnostics = stories_from_bytes(raw, seed)
        except TwineInputError as exc:
            assert str(exc)
            return
        for story in stories:
            imported = story_to_scenario(story, seed)
            assert imported is not None

    run()


@pytest.mark.parametrize("seed", sorted(YAML_SEEDS))
def test_a_damaged_scenario_file_gives_a_document_or_a_diagnostic(seed: str) -> None:
    @fuzz_settings
    @given(st.data())
    def run(data: st.DataObject) -> None:
        count("scenario_yaml")
        raw = data.draw(damaged_lines(YAML_SEEDS[seed], YAML_PIECES))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return  # read_text refuses these with E101 before parsing
        try:
            doc = parse_yaml(text, seed)
        except SourceError as exc:
            assert str(exc)
            return
        checked = check_document(doc)
        assert checked.path == seed

    run()
