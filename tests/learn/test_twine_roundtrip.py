"""Round trips: every bundled scenario through Twee and Twine HTML and back, and Twine
stories through a scenario and back, keeping names and positions."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaleidoscope.learn.dump import dump_data
from kaleidoscope.learn.library import bundled_library
from kaleidoscope.learn.model import Scenario
from kaleidoscope.learn.source import parse_yaml
from kaleidoscope.learn.twine.convert import read_stories, scenario_to_story, story_to_scenario
from kaleidoscope.learn.twine.html import parse_html, write_html
from kaleidoscope.learn.twine.layout import read_layout
from kaleidoscope.learn.twine.story import TwineStory
from kaleidoscope.learn.twine.twee import parse_twee, write_twee
from kaleidoscope.learn.validate import check_document

FIXTURES = Path(__file__).parents[1] / "fixtures" / "twine"


def _through(story: TwineStory, form: str) -> TwineStory:
    if form == "twee":
        back, problems = parse_twee(write_twee(story), "rt.twee")
        assert problems == []
        return back
    stories, problems = parse_html(write_html([story]), "rt.html")
    assert problems == []
    (back,) = stories
    return back


@pytest.mark.parametrize("form", ["twee", "html"])
def test_every_bundled_scenario_survives_export_and_import(form: str) -> None:
    library = bundled_library()
    assert len(library) >= 1
    for scenario in library:  # iterate: other engineers keep adding scenarios
        cast = library.cast(scenario)
        shared = [m for m in cast.values() if m not in scenario.cast]
        story = scenario_to_story(scenario, None, shared)
        imported = story_to_scenario(_through(story, form), "rt", {m.id for m in shared})
        errors = [str(d) for d in imported.diagnostics if d.is_error]
        assert errors == [], scenario.id
        assert Scenario.model_validate(imported.data) == scenario, scenario.id


def test_every_bundled_scenario_exported_to_a_fresh_folder_validates() -> None:
    """Without the library's _cast.yaml, the continuing cast joins the scenario's cast."""
    library = bundled_library()
    for scenario in library:
        shared = [m for m in library.cast(scenario).values() if m not in scenario.cast]
        imported = story_to_scenario(
            _through(scenario_to_story(scenario, None, shared), "twee"), "t"
        )
        text = dump_data(imported.data, trailer=imported.layout.to_comments())
        checked = check_document(parse_yaml(text, f"{scenario.id}.yaml"))
        assert [str(d) for d in checked.diagnostics if d.is_error] == [], scenario.id
        assert checked.scenario is not None
        assert checked.scenario.nodes == scenario.nodes


@pytest.mark.parametrize("name", ["complete.twee", "two-stories.html"])
@pytest.mark.parametrize("form", ["twee", "html"])
def test_twine_story_import_export_import_is_stable(name: str, form: str) -> None:
    stories, _ = read_stories(FIXTURES / name, name)
    complete = 0
    for story in stories:
        first = story_to_scenario(story, name)
        try:
            scenario = Scenario.model_validate(first.data)
        except ValueError:
            continue  # a draft: export needs a valid scenario
        complete += 1
        # through the YAML file, as 'scenarios import' then 'scenarios export FILE' do
        text = dump_data(first.data, trailer=first.layout.to_comments())
        layout, problems = read_layout(text, "x.yaml")
        assert problems == [] and layout == first.layout
        second = story_to_scenario(_through(scenario_to_story(scenario, layout), form), "again")
        assert second.data == first.data
        for node_id, entry in first.layout.passages.items():
            again = second.layout.passages[node_id]
            assert (again.name, again.position, again.tags, again.link) == (
                entry.name,
                entry.position,
                entry.tags,
                entry.link,
            )
            assert again.size == entry.size or (form, entry.size) == ("html", None)
        if form == "twee":  # HTML folds script passages into one <script>
            assert second.layout.extra == first.layout.extra
        assert (second.layout.ifid, second.layout.format, second.layout.zoom) == (
            first.layout.ifid,
            first.layout.format,
            first.layout.zoom,
        )
        assert second.layout.tag_colors == first.layout.tag_colors
    assert complete >= 1


def test_positions_and_names_survive_a_trip_through_yaml() -> None:
    (story,) = read_stories(FIXTURES / "complete.twee")[0]
    imported = story_to_scenario(story, "complete.twee", {"rosa"})
    text = dump_data(imported.data, trailer=imported.layout.to_comments())
    layout, _ = read_layout(text, "sam.yaml")
    exported = scenario_to_story(Scenario.model_validate(imported.data), layout)
    places = {p.name: (p.position, p.size, p.tags) for p in exported.passages}
    assert places["Monday Morning"] == ("200,100", "100,200", ["draft"])
    assert places["The Album"] == ("400,100", None, ["decision"])
    assert places["ScenarioData"][0] == "25,25"
    assert exported.start == "Monday Morning"
    assert exported.ifid == story.ifid and exported.format == "SugarCube"
    assert exported.tag_colors == {"decision": "orange", "draft": "purple"}
    monday = next(p for p in exported.passages if p.name == "Monday Morning")
    assert "[[Look at the album->The Album]]" in monday.text
    # Passages keep the order the file had them in.
    assert [p.name for p in exported.passages] == [p.name for p in story.passages]


def test_unreadable_layout_lines_are_warned_about() -> None:
    layout, problems = read_layout("id: x\n# twine-passage: {not json\n", "x.yaml")
    assert layout is None
    assert [str(p) for p in problems] == [
        "x.yaml:2:1: T160 Twine layout line is not readable "
        "(Expecting property name enclosed in double quotes: line 1 column 2 (char 1)); ignored"
    ]


_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60)
_label = _text.filter(str.strip)  # names and roles are labels: white space alone is none
_ids = st.from_regex(r"[a-z0-9][a-z0-9_\-]{0,12}", fullmatch=True)


@st.composite
def _scenarios(draw: st.DrawFn) -> Scenario:
    names = draw(st.lists(_ids, min_size=4, max_size=4, unique=True))
    start, ask, good, bad = names
    return Scenario.model_validate(
        {
            "id": draw(_ids),
            "title": draw(_text),
            "summary": draw(_text),
            "themes": draw(st.lists(_text, min_size=1, max_size=2)),
            "minutes": 3,
            "audience": ["students"],
            "cast": [{"id": "pat", "name": draw(_label), "role": draw(_label)}],
            "start": start,
            "nodes": {
                start: {"type": "passage", "speaker": "pat", "text": draw(_text), "next": ask},
                ask: {
                    "type": "decision",
                    "text": draw(_text),
                    "discussion": draw(st.none() | _text),
                    "choices": [
                        {
                            "id": "one",
                            "text": draw(_text),
                            "target": good,
                            "consequence": draw(_text),
                            "effects": {"privacy": 2},
                            "guidance": ["BASW-2012"],
                        },
                        {
                            "id": "two",
                            "text": draw(_text),
                            "target": bad,
                            "consequence": draw(_text),
                            "discussion": draw(_text),
                        },
                    ],
                },
                good: {
                    "type": "ending",
                    "kind": "successful",
                    "title": draw(_text),
                    "text": draw(st.none() | st.just("") | _text),
                    "debrief": draw(_text),
                },
                bad: {"type": "ending", "kind": "unsuccessful", "title": draw(_text)},
            },
        }
    )


@settings(max_examples=150, deadline=None)
@given(scenario=_scenarios(), form=st.sampled_from(["twee", "html"]))
def test_any_scenario_text_survives_export_and_import(scenario: Scenario, form: str) -> None:
    imported = story_to_scenario(_through(scenario_to_story(scenario), form), "rt")
    assert Scenario.model_validate(imported.data) == scenario
