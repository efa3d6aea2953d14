"""Twine 2 HTML: archives with several stories, published pages, escapes, writing back."""

from __future__ import annotations

from pathlib import Path

from kaleidoscope.learn.twine.html import parse_html, write_html
from kaleidoscope.learn.twine.story import TwinePassage, TwineStory

FIXTURES = Path(__file__).parents[1] / "fixtures" / "twine"


def _read(name: str) -> tuple[list[TwineStory], list[str]]:
    path = FIXTURES / name
    stories, diagnostics = parse_html(path.read_text(encoding="utf-8"), name)
    return stories, [str(d) for d in diagnostics]


def test_archive_with_two_stories() -> None:
    stories, diagnostics = _read("two-stories.html")
    assert diagnostics == []
    first, second = stories
    assert first.name == "First & foremost"
    assert first.ifid == "A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D"
    assert (first.format, first.format_version, first.zoom) == ("Harlowe", "3.3.8", 1)
    assert first.start == "Start"
    assert first.tag_colors == {"decision": "blue"}
    assert second.name == "Second" and second.start == "Opening" and second.zoom == 0.6
    assert [p.name for p in second.passages] == ["ScenarioData", "The End", "Opening"]


def test_passage_text_is_unescaped_and_attributes_kept() -> None:
    stories, _ = _read("two-stories.html")
    start = stories[0].passage("Start")
    assert start is not None
    assert start.text.startswith('Kayla says "hi" & waits <patiently>.\nIt\'s late.')
    waited = stories[0].passage("Wait till Monday")
    assert waited is not None
    assert waited.tags == ["ending", "ending-unsuccessful"]
    assert (waited.position, waited.size) == ("300,250", "200,100")


def test_script_and_stylesheet_become_tagged_passages() -> None:
    stories, _ = _read("two-stories.html")
    script = stories[0].passage("Story JavaScript")
    style = stories[0].passage("Story Stylesheet")
    assert script is not None and script.tags == ["script"]
    assert script.text == 'window.first = "<b>" && 1 < 2;'
    assert style is not None and style.tags == ["stylesheet"]
    assert style.text == "tw-story { color: #333; }"
    assert stories[1].passage("Story JavaScript") is None  # empty: nothing to keep


def test_published_page_ignores_the_engine_and_locates_passages() -> None:
    stories, diagnostics = _read("published.html")
    assert diagnostics == []
    (story,) = stories
    assert story.name == "Published" and story.start == "Begin"
    detour = story.passage("Detour")
    assert detour is not None and detour.line == 24 and detour.text_line == 24
    assert detour.line_of(detour.text.index("[[Nowhere")) == 26


def test_startnode_that_names_no_passage_is_an_error() -> None:
    text = (
        '<tw-storydata name="S" startnode="9" ifid="A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D">'
        '<tw-passagedata pid="1" name="A">x</tw-passagedata></tw-storydata>'
    )
    stories, diagnostics = parse_html(text, "s.html")
    assert stories[0].start is None
    assert [d.code for d in diagnostics] == ["T116"]


def test_missing_or_lower_case_ifid_is_a_warning() -> None:
    text = '<tw-storydata name="S" ifid="a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"></tw-storydata>'
    _, diagnostics = parse_html(text, "s.html")
    assert [(d.code, d.is_error) for d in diagnostics] == [("T111", False)]


def test_written_archive_reads_back_the_same() -> None:
    story = TwineStory(
        name='Quotes " & <angles>',
        ifid="A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D",
        format="Harlowe",
        format_version="3.3.8",
        start="B & C",
        zoom=0.6,
        tag_colors={"decision": "blue"},
        passages=[
            TwinePassage("A", 'Go <b>on</b> & "quote" it\'s\n\n[[B & C]]', ["decision"], "1,2"),
            TwinePassage("B & C", "Done.", ["ending", "x"], "300,100", "200,100"),
            TwinePassage("Story JavaScript", "let a = 1 < 2;", ["script"]),
        ],
    )
    html = write_html([story, story])
    assert html.count("<tw-storydata ") == 2
    back, diagnostics = parse_html(html, "out.html")
    assert diagnostics == []
    for copy in back:
        assert (copy.name, copy.start, copy.zoom, copy.tag_colors) == (
            story.name,
            "B & C",
            0.6,
            {"decision": "blue"},
        )
        assert [(p.name, p.text, p.tags) for p in copy.passages] == [
            (p.name, p.text, p.tags) for p in story.passages
        ]
        assert [p.position for p in copy.passages[:2]] == ["1,2", "300,100"]
        assert 'startnode="2"' in html and 'ifid="A1B2C3D4-' in html
