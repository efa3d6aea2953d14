"""Drafts are first-class: messages in Twine terms, one per problem, and lossless trips back
to Twine in every story format (our own fixtures, one per format)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaleidoscope.learn.twine.exporter import export_text
from kaleidoscope.learn.twine.html import write_html
from kaleidoscope.learn.twine.importer import Draft, draft, stories_from_text
from kaleidoscope.learn.twine.story import TwineInputError
from kaleidoscope.learn.twine.twee import write_twee

FIXTURES = Path(__file__).parents[1] / "fixtures" / "twine"
FORMATS = ["own-harlowe-draft.twee", "own-sugarcube.twee", "own-chapbook.twee", "own-snowman.twee"]


def _draft_text(text: str, name: str) -> Draft:
    stories, _ = stories_from_text(text, name, Path(name).suffix)
    return draft(stories[0], name, "out.yaml")


def _draft(name: str) -> Draft:
    return _draft_text((FIXTURES / name).read_text("utf-8"), name)


@pytest.mark.parametrize("name", [*FORMATS, "own-review.twee"])
def test_every_message_names_the_twine_file_and_a_line(name: str) -> None:
    result = _draft(name)
    assert result.diagnostics or result.scenario is not None
    for diagnostic in result.diagnostics:
        assert diagnostic.path == name, str(diagnostic)
        assert diagnostic.line > 0, str(diagnostic)
        assert "nodes." not in diagnostic.message, str(diagnostic)


def test_an_untagged_ending_gives_one_message() -> None:
    result = _draft("own-harlowe-draft.twee")
    about = [d for d in result.diagnostics if "passage 'Stream'" in d.message]
    assert [(d.line, d.code, d.is_error) for d in about] == [(32, "T131", True)]
    assert "tag it ending-successful" in about[0].message


def test_more_than_five_links_is_a_clear_message() -> None:
    result = _draft("own-harlowe-draft.twee")
    [too_many] = [d for d in result.diagnostics if "links, but a decision" in d.message]
    assert too_many.line == 21
    assert too_many.message == (
        "passage 'Leaving Do' has 7 links, but a decision offers 2 to 5 choices. In Twine, "
        "remove links, or split the decision over two passages"
    )
    assert not any("List should have" in d.message for d in result.diagnostics)


def test_a_loop_with_no_ending_names_its_passages_once() -> None:
    result = _draft("own-harlowe-draft.twee")
    loops = [d for d in result.diagnostics if d.code == "E304"]
    assert len(loops) == 1
    assert "'Hello' -> 'Back' -> 'Hello'" in loops[0].message and loops[0].line == 41


def test_missing_scenario_details_are_one_message() -> None:
    result = _draft("own-chapbook.twee")
    about = [d for d in result.diagnostics if "ScenarioData" in d.message]
    assert [d.code for d in about] == ["T119"]
    assert "summary, themes, minutes, audience" in about[0].message and about[0].is_error


def test_a_missing_consequence_names_the_passage_link_and_header() -> None:
    text = (FIXTURES / "own-review.twee").read_text("utf-8")
    text = text.replace(
        "    consequence: Jo's reply is screenshotted and shared in a local group.\n", ""
    )
    result = _draft_text(text, "review.twee")
    [missing] = [d for d in result.diagnostics if d.is_error]
    assert missing.line == 29  # "  - id: reply", choice 1 in the header
    assert missing.message == (
        "passage 'The Review': link 1 ('answer it herself') has no consequence. In Twine, "
        "add 'consequence:' under choice 1 in the passage's header"
    )


@pytest.mark.parametrize(
    ("text", "name", "code"),
    [
        ("# Notes\n\nJust some markdown.\n", "notes.twee", "T103"),
        ("id: x\ntitle: A scenario\n", "scenario.tw", "T103"),
        ("<html><body><p>Hello</p></body></html>", "page.html", "T104"),
        ('{"passages": []}', "story.json", "T103"),
    ],
)
def test_input_that_is_not_twine_is_refused_clearly(text: str, name: str, code: str) -> None:
    with pytest.raises(TwineInputError) as refused:
        stories_from_text(text, name, Path(name).suffix)
    assert refused.value.diagnostic.code == code
    assert "Twine" in refused.value.diagnostic.message


@pytest.mark.parametrize("name", FORMATS)
def test_a_draft_goes_back_to_twee_exactly_as_it_came(name: str) -> None:
    result = _draft(name)
    assert result.scenario is None  # a draft
    exported = export_text(result.yaml_text, "out.yaml")
    assert exported.story is not None and exported.draft
    assert write_twee(exported.story) == (FIXTURES / name).read_text("utf-8")


@pytest.mark.parametrize("name", FORMATS)
def test_a_draft_through_twine_html_and_back_is_byte_stable(name: str) -> None:
    exported = export_text(_draft(name).yaml_text, "out.yaml")
    assert exported.story is not None
    html = write_html([exported.story])
    again = export_text(_draft_text(html, "story.html").yaml_text, "out.yaml")
    assert again.story is not None and again.draft
    assert write_html([again.story]) == html


def test_a_draft_changed_in_yaml_is_not_given_back_as_if_unchanged() -> None:
    result = _draft("own-snowman.twee")
    changed = result.yaml_text.replace("The team shares one login", "The team has one login")
    exported = export_text(changed, "out.yaml")
    assert exported.story is None
    assert any(d.code == "T161" and "login" in d.message for d in exported.diagnostics)


@pytest.mark.parametrize("form", ["twee", "html"])
def test_a_published_story_through_twine_and_back_is_byte_stable(form: str) -> None:
    result = _draft("own-review.twee")
    assert result.scenario is not None and result.diagnostics == []
    exported = export_text(result.yaml_text, "out.yaml")
    assert exported.story is not None and not exported.draft
    write = write_twee if form == "twee" else (lambda s: write_html([s]))
    first = write(exported.story)
    again = export_text(_draft_text(first, f"story.{form}").yaml_text, "out.yaml")
    assert again.story is not None and write(again.story) == first
