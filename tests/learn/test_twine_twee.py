"""Twee 3: headers, tags, metadata, escapes, StoryData and every link form."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kaleidoscope.learn.twine.story import TwinePassage, TwineStory, find_links, parse_link_inner
from kaleidoscope.learn.twine.twee import parse_twee, write_twee

FIXTURES = Path(__file__).parents[1] / "fixtures" / "twine"


def _read(name: str) -> tuple[TwineStory, list[str]]:
    path = FIXTURES / name
    story, diagnostics = parse_twee(path.read_text(encoding="utf-8"), name)
    return story, [str(d) for d in diagnostics]


def test_link_forms_follow_twines_rules() -> None:
    assert parse_link_inner("Simple") == ("Simple", "Simple")
    assert parse_link_inner("text|Target") == ("text", "Target")
    assert parse_link_inner("text->Target") == ("text", "Target")
    assert parse_link_inner("Target<-text") == ("text", "Target")
    assert parse_link_inner("A->B->C") == ("A->B", "C")
    assert parse_link_inner("a|b|Target") == ("a|b", "Target")
    assert parse_link_inner("T<-x<-y") == ("x<-y", "T")
    assert parse_link_inner("text->Target][$x to 1") == ("text", "Target")
    assert parse_link_inner("text|Target][$x = 1") == ("text", "Target")


def test_every_link_form_in_a_passage() -> None:
    story, diagnostics = _read("links.twee")
    assert diagnostics == []
    start = story.passage("Start")
    assert start is not None
    internal = [(link.text, link.target) for link in find_links(start.text) if link.is_internal]
    assert internal == [
        ("Simple", "Simple"),
        ("Pipe text", "Pipe Target"),
        ("Arrow text", "Arrow Target"),
        ("Back text", "Back Target"),
        ("A->B", "C"),
        ("Setter text", "Setter Target"),
        ("Pipe setter", "Pipe Setter Target"),
        ("Odd name", "Odd [name] {1}"),
    ]
    external = [link.target for link in find_links(start.text) if link.external]
    assert external == ["https://www.basw.co.uk", "https://www.hcpc-uk.org/"]


def test_header_escapes_tags_and_metadata() -> None:
    story, _ = _read("links.twee")
    odd = story.passage("Odd [name] {1}")
    assert odd is not None
    assert odd.tags == ["ending", "odd]tag"]
    assert odd.position == "900,900"
    assert odd.line == 42 and odd.text_line == 43
    start = story.passage("Start")
    assert start is not None
    assert ":: this line starts with two colons" in start.text.split("\n")


def test_story_title_and_data() -> None:
    story, diagnostics = _read("complete.twee")
    assert story.name == "Sam's tagged photo"
    assert story.ifid == "3B1F5C2E-8D4A-4C6B-9E7F-0A1B2C3D4E5F"
    assert (story.format, story.format_version) == ("SugarCube", "2.36.1")
    assert story.start == "Monday Morning"
    assert story.zoom == 0.6
    assert story.tag_colors == {"decision": "orange", "draft": "purple"}
    names = [p.name for p in story.passages]
    assert "StoryTitle" not in names and "StoryData" not in names
    assert diagnostics == [
        "complete.twee:1:1: T118 text before the first passage header is ignored"
    ]
    morning = story.passage("Monday Morning")
    assert morning is not None
    assert (morning.tags, morning.position, morning.size) == (["draft"], "200,100", "100,200")
    # content runs to the next header; trailing blank lines are dropped
    assert morning.text.endswith("[[Look at the album->The Album]]")


def test_bad_metadata_warns_and_goes_on() -> None:
    story, diagnostics = _read("bad-metadata.twee")
    assert [p.name for p in story.passages] == ["Start", "Next", "Last"]
    assert all(p.position is None for p in story.passages)
    assert any(":7:" in d and "T112" in d and "'Start'" in d for d in diagnostics)
    assert any(":10:" in d and "T117" in d and "never closed" in d for d in diagnostics)
    assert any(":13:" in d and "T112" in d and "'left'" in d for d in diagnostics)
    assert any("T111" in d and "upper-case version 4" in d for d in diagnostics)
    assert any("T110" in d and "'zoom'" in d for d in diagnostics)


def test_invalid_story_data_json_is_an_error_on_its_line() -> None:
    _story, diagnostics = _read("bad-storydata.twee")
    assert diagnostics == [
        "bad-storydata.twee:7:20: T110 StoryData is not valid JSON: "
        "Expecting property name enclosed in double quotes"
    ]


def test_a_file_without_headers_is_not_twee() -> None:
    story, diagnostics = parse_twee("just words\n", "notes.twee")
    assert story.passages == []
    assert any("T103" in str(d) for d in diagnostics)


_names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1
).filter(lambda s: s == s.strip() and not s.startswith(("::",)))


_lines = st.lists(st.text(alphabet=st.characters(blacklist_characters="\\\r\n")))


@given(name=_names, tag=_names.filter(lambda s: not any(c.isspace() for c in s)), lines=_lines)
def test_write_then_parse_keeps_names_tags_and_text(name: str, tag: str, lines: list[str]) -> None:
    # Text lines may start with '::' (written escaped); trailing blank lines are dropped.
    body = "\n".join(lines).rstrip()
    passage = TwinePassage(name=name, text=body.strip("\n"), tags=[tag], position="10,20")
    story = TwineStory(name="T", ifid="3B1F5C2E-8D4A-4C6B-9E7F-0A1B2C3D4E5F", start=name)
    story.passages = [passage]
    back, diagnostics = parse_twee(write_twee(story), "round.twee")
    assert [str(d) for d in diagnostics] == []
    assert [(p.name, p.tags, p.text, p.position) for p in back.passages] == [
        (name, [tag], passage.text, "10,20")
    ]
    assert back.start == name
