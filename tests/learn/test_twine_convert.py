"""The Twine convention: tags and passage headers to scenario nodes, and back."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaleidoscope.learn.model import Decision, Ending, Passage, Scenario
from kaleidoscope.learn.twine.exporter import scenario_to_story
from kaleidoscope.learn.twine.html import parse_html
from kaleidoscope.learn.twine.importer import (
    Imported,
    prose,
    read_stories,
    split_header,
    story_to_scenario,
)
from kaleidoscope.learn.twine.story import TwineInputError, TwinePassage, TwineStory
from kaleidoscope.learn.twine.twee import parse_twee, write_twee

FIXTURES = Path(__file__).parents[1] / "fixtures" / "twine"


def _import(name: str, shared: tuple[str, ...] = ()) -> tuple[Imported, list[str]]:
    stories, parsed = read_stories(FIXTURES / name, name)
    imported = story_to_scenario(stories[0], name, shared)
    return imported, [str(d) for d in parsed + imported.diagnostics]


def _codes(messages: list[str]) -> list[str]:
    return [m.split(": ", 1)[1].split(" ", 1)[0] for m in messages]


def test_complete_story_becomes_a_valid_scenario() -> None:
    imported, messages = _import("complete.twee", shared=("rosa",))
    scenario = Scenario.model_validate(imported.data)
    assert scenario.id == "sams-tagged-photo" and scenario.title == "Sam's tagged photo"
    assert scenario.start == "monday_morning"
    assert list(scenario.nodes) == [
        "monday_morning",
        "the_album",
        "untagged",
        "private_album",
        "seen_at_the_visit",
    ]
    morning = scenario.nodes["monday_morning"]
    assert isinstance(morning, Passage)
    assert morning.speaker == "rosa" and morning.next == "the_album"
    assert morning.text.endswith("tagged in six photos.")
    album = scenario.nodes["the_album"]
    assert isinstance(album, Decision)
    assert [(c.id, c.target) for c in album.choices] == [
        ("untag", "untagged"),
        ("ask_priya", "private_album"),
        ("leave_it", "seen_at_the_visit"),
    ]
    assert album.choices[1].text == "Ask Priya to make the album private"
    assert album.choices[2].text == "Leave it. It's only a night out [with colleagues]."
    assert album.choices[1].discussion == "How would you put it to a colleague?"
    assert album.choices[0].effects == {"privacy": 1, "boundaries": 1}
    ending = scenario.nodes["private_album"]
    assert isinstance(ending, Ending) and ending.kind == "successful" and ending.text is None
    assert [m.id for m in scenario.cast] == ["sam"]  # rosa is in the shared cast
    # the script, stylesheet and StoryInit are kept for export, and said so
    assert _codes(messages) == ["T118", "T141", "T141", "T142"]
    assert [p.name for p in imported.layout.extra] == [
        "Story JavaScript",
        "Story Stylesheet",
        "StoryInit",
    ]
    entry = imported.layout.passages["monday_morning"]
    assert (entry.name, entry.position, entry.size, entry.tags, entry.link) == (
        "Monday Morning",
        "200,100",
        "100,200",
        ["draft"],
        "Look at the album",
    )


def test_continuing_cast_not_beside_the_output_joins_the_scenario_cast() -> None:
    imported, messages = _import("complete.twee")
    assert [m["id"] for m in imported.data["cast"]] == ["sam", "rosa"]
    assert any("T126" in m and "'rosa'" in m for m in messages)


def test_every_link_form_reaches_its_passage() -> None:
    imported, messages = _import("links.twee")
    choices = imported.data["nodes"]["start"]["choices"]
    assert [(c["text"], c["target"]) for c in choices] == [
        ("Simple", "simple"),
        ("Pipe text", "pipe_target"),
        ("Arrow text", "arrow_target"),
        ("Back text", "back_target"),
        ("A->B", "c"),
        ("Setter text", "setter_target"),
        ("Pipe setter", "pipe_setter_target"),
        ("Odd name", "odd_name_1"),
    ]
    text = imported.data["nodes"]["start"]["text"]
    # external links are not passages: they stay in the text as written
    assert "[[https://www.basw.co.uk]]" in text and "[[the code->https://www.hcpc-uk.org/]]" in text
    assert "T130" not in _codes(messages)
    assert imported.layout.passages["odd_name_1"].tags == ["odd]tag"]


def test_duplicate_names_warn_and_keep_the_first() -> None:
    imported, messages = _import("duplicates.twee")
    assert (
        "duplicates.twee:13:1: T113 duplicate passage name 'Middle' (first at line 10)"
        in (messages[0])
    )
    assert imported.data["nodes"]["middle"]["next"] == "end"


def test_missing_start_is_an_error() -> None:
    imported, messages = _import("no-start.twee")
    assert "start" not in imported.data
    assert any(":4:1: T115 no start passage" in m for m in messages)


def test_start_naming_a_missing_passage_is_an_error() -> None:
    story, _ = parse_twee(':: StoryData\n{"start": "Nope"}\n\n:: A [ending-mixed]\nx\n', "s.twee")
    messages = [str(d) for d in story_to_scenario(story, "s.twee").diagnostics]
    assert any("T116 start passage 'Nope' does not exist" in m for m in messages)


def test_broken_links_dead_ends_and_macros() -> None:
    imported, messages = _import("broken.twee")
    assert "broken.twee:17:1: T130 passage 'Right' links to 'Missing Passage'" in " ".join(messages)
    assert any(":12:1: T131 passage 'Left' links to no other passage" in m for m in messages)
    assert any(":8:1: T140" in m and "Harlowe" in m for m in messages)
    # '$met' inside '(if: $met)' is the same problem: one message, naming the conditional.
    assert not any(":8:1: T140" in m and "variable" in m for m in messages)
    assert any(":8:1: T140" in m and "Harlowe conditional (if:)" in m for m in messages)
    assert any(":16:1: T140" in m and "SugarCube" in m for m in messages)
    nodes = imported.data["nodes"]
    # macros are kept verbatim, never dropped
    assert nodes["start"]["text"].startswith("(if: $met)[You again.]")
    assert nodes["right"]["text"] == '<<goto "Nowhere">>'
    assert nodes["left"]["type"] == "ending" and "kind" not in nodes["left"]


def test_published_html_reports_passage_names_and_lines() -> None:
    imported, messages = _import("published.html")
    assert any(
        m.startswith("published.html:26:1: T130 passage 'Detour' links to 'Nowhere at all'")
        for m in messages
    )
    assert imported.data["start"] == "begin"


def test_headers_are_checked() -> None:
    text = (
        ":: StoryData\n{}\n\n:: Start [decision]\n---\nspeaker: [unclosed\n---\nQ\n"
        "[[A]]\n[[B]]\n\n:: A [ending-mixed]\n---\nwho: me\n---\n\n"
        ":: B [ending-mixed]\n---\nnot a header\n"
    )
    story, _ = parse_twee(text, "h.twee")
    messages = [str(d) for d in story_to_scenario(story, "h.twee").diagnostics]
    assert any(":5:1: T121 passage 'Start': header is not valid YAML" in m for m in messages)
    assert any("T122 passage 'A': unknown header key 'who'" in m for m in messages)
    assert any("T121 passage 'B': starts with '---'" in m and "read as text" in m for m in messages)


def test_choice_count_must_match_links() -> None:
    text = (
        ":: Start [decision]\n---\nchoices:\n  - id: only\n---\nQ\n[[A]]\n[[B]]\n\n"
        ":: A [ending-mixed]\nx\n\n:: B [ending-mixed]\ny\n"
    )
    story, _ = parse_twee(text, "c.twee")
    imported = story_to_scenario(story, "c.twee")
    assert any(
        "T123 passage 'Start' has 2 link(s) but its header describes 1" in str(d)
        for d in imported.diagnostics
    )
    assert [c["id"] for c in imported.data["nodes"]["start"]["choices"]] == ["only", "b"]


def test_prose_drops_link_lines_and_keeps_inline_text() -> None:
    body = "She [[runs->End]] away.\n\n[[Next]] [[Other]]\nSee [[https://x.org]]."
    assert prose(body) == "She runs away.\n\nSee [[https://x.org]]."
    assert split_header("---\na: 1\n---\nbody") == ({"a": 1}, "body", 3, None)
    assert split_header("plain") == ({}, "plain", 0, None)


def test_unusable_files_are_refused(tmp_path: Path) -> None:
    for name, code in (("not-twine.txt", "T103"), ("no-story.html", "T104")):
        with pytest.raises(TwineInputError) as caught:
            read_stories(FIXTURES / name, name)
        assert caught.value.diagnostic.code == code
    huge = tmp_path / "huge.html"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(TwineInputError) as caught:
        read_stories(huge, "huge.html")
    assert caught.value.diagnostic.code == "T102"
    assert "50.00 MB" in str(caught.value)
    latin = tmp_path / "latin.twee"
    latin.write_bytes(b":: Start\ncaf\xe9\n")
    with pytest.raises(TwineInputError) as caught:
        read_stories(latin, "latin.twee")
    assert str(caught.value.diagnostic).startswith("latin.twee:2:0: T101 file is not UTF-8")


def _tricky() -> Scenario:
    return Scenario.model_validate(
        {
            "id": "tricky",
            "title": "Tricky [text]",
            "summary": "Text that looks like Twine markup.",
            "themes": ["edge cases"],
            "minutes": 1,
            "audience": ["students"],
            "cast": [{"id": "ann", "name": "Ann", "role": "Tester"}],
            "start": "begin",
            "nodes": {
                "begin": {
                    "type": "passage",
                    "speaker": "ann",
                    "text": "---\nLooks like a header.\n\n[[Looks like a link]]\n:: and a header",
                    "next": "ask",
                },
                "ask": {
                    "type": "decision",
                    "text": "  Leading spaces and a [bracket]\n",
                    "choices": [
                        {
                            "id": "one",
                            "text": "Two\nlines ]] with brackets",
                            "target": "end",
                            "consequence": "c",
                        },
                        {
                            "id": "two",
                            "text": "A->B | C <- D",
                            "target": "empty",
                            "consequence": "d",
                            "guidance": ["BASW-2012"],
                        },
                    ],
                },
                "end": {"type": "ending", "kind": "mixed", "title": "End", "debrief": "x"},
                "empty": {
                    "type": "ending",
                    "kind": "successful",
                    "title": "Empty",
                    "text": "",
                    "debrief": "y",
                },
            },
        }
    )


@pytest.mark.parametrize("form", ["twee", "html"])
def test_text_that_looks_like_markup_survives(form: str) -> None:
    scenario = _tricky()
    story = scenario_to_story(scenario)
    if form == "twee":
        back, parsed = parse_twee(write_twee(story), "t.twee")
    else:
        from kaleidoscope.learn.twine.html import write_html

        stories, parsed = parse_html(write_html([story]), "t.html")
        back = stories[0]
    assert parsed == []
    imported = story_to_scenario(back, "t")
    assert Scenario.model_validate(imported.data) == scenario


def test_export_places_and_tags_passages() -> None:
    scenario = _tricky()
    story = scenario_to_story(scenario)
    assert story.start == "begin" and story.format == "Harlowe"
    assert story.ifid == scenario_to_story(scenario).ifid  # stable across exports
    assert [p.name for p in story.passages] == ["ScenarioData", "begin", "ask", "end", "empty"]
    assert all(p.position for p in story.passages)
    assert len({p.position for p in story.passages}) == len(story.passages)
    tags = {p.name: p.tags for p in story.passages}
    assert tags["ask"] == ["decision"] and tags["empty"] == ["ending", "ending-successful"]


def test_node_kinds_from_tags_and_links() -> None:
    story = TwineStory(
        name="Kinds",
        start="a",
        passages=[
            TwinePassage("a", "one link [[b]]"),
            TwinePassage("b", "[[c]]\n[[d]]"),
            TwinePassage("c", "no links"),
            TwinePassage("d", "---\nkind: mixed\n---\n[[a]]", ["ending"]),
        ],
    )
    nodes = story_to_scenario(story, "k").data["nodes"]
    assert [nodes[k]["type"] for k in "abcd"] == ["passage", "decision", "ending", "ending"]
    assert nodes["d"]["kind"] == "mixed" and nodes["d"]["text"] == "[[a]]"


def test_yaml_in_passages_refuses_alias_bombs_and_repeated_keys() -> None:
    pairs = zip("abcdefgh", "bcdefghi", strict=True)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in pairs
    )
    text = (
        ':: StoryData\n{"start": "Start"}\n\n:: ScenarioData\n'
        + bomb
        + "\n:: Start [ending-mixed]\n---\ntitle: a\ntitle: b\n---\nx\n"
    )
    story, _ = parse_twee(text, "bomb.twee")
    messages = [str(d) for d in story_to_scenario(story, "bomb.twee").diagnostics]
    assert any("T120 ScenarioData is not valid YAML" in m and "too many" in m for m in messages)
    assert any(
        m.startswith("bomb.twee:") and "T121 passage 'Start'" in m and "'title' appears twice" in m
        for m in messages
    )


_FRAGMENTS = [
    ":: ",
    "::Start",
    ":: StoryData",
    ":: StoryTitle",
    ":: ScenarioData",
    ":: A [decision] ",
    ":: B [ending ending-mixed] ",
    ':: C {"position":"1,2"}',
    "[",
    "]",
    "{",
    "}",
    "\\",
    "\\::",
    "[[",
    "]]",
    "->",
    "<-",
    "|",
    "][",
    "[[A]]",
    "[[x->B]]",
    "[[https://x.org]]",
    "---",
    "speaker: ",
    "choices:",
    "  - id: ",
    "  - 5",
    "title: ",
    "kind: odd",
    "cast: ",
    "continuing-cast: ",
    "- {id: [1]}",
    "id: ",
    "minutes: ",
    "&a [*a]",
    '{"start": "A", "ifid": 1, "zoom": "z", "tag-colors": 3}',
    "(if: $x)[",
    "<<goto 'A'>>",
    "<%",
    "\r",
    "\t",
    "\u2028",
    "é",
]
_twine_like = st.lists(
    st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=5)), max_size=40
).map("".join)
_lines = st.lists(_twine_like, max_size=25).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(text=_lines, form=st.sampled_from(["twee", "html"]))
def test_any_input_gives_diagnostics_never_an_exception(text: str, form: str) -> None:
    from kaleidoscope.learn.dump import dump_data
    from kaleidoscope.learn.source import parse_yaml
    from kaleidoscope.learn.twine.html import write_html
    from kaleidoscope.learn.validate import check_document

    if form == "html":
        story = TwineStory(name="S", start="A", passages=[TwinePassage("A", text, ["decision"])])
        stories, _ = parse_html(write_html([story]) + text, "fuzz.html")
    else:
        stories = [parse_twee(text, "fuzz.twee")[0]]
    for story in stories:
        imported = story_to_scenario(story, "fuzz", {"rosa"})
        written = dump_data(imported.data, trailer=imported.layout.to_comments())
        check_document(parse_yaml(written, "fuzz.yaml"))


def test_uploads_import_from_memory_with_the_validators_report() -> None:
    from kaleidoscope.learn.twine.convert import draft, stories_from_bytes
    from kaleidoscope.learn.twine.story import MAX_TWINE_BYTES

    raw = (FIXTURES / "two-stories.html").read_bytes()
    stories, problems = stories_from_bytes(raw, "upload.html")
    assert problems == [] and [s.name for s in stories] == ["First & foremost", "Second"]
    second = draft(stories[1], "upload.html", "second.yaml")
    assert second.scenario is not None and second.scenario.id == "second"
    assert not any(d.is_error for d in second.diagnostics)
    assert second.yaml_text.startswith("id: second\n")
    first = draft(stories[0], "upload.html", "first.yaml")
    assert first.scenario is None
    assert any(d.path == "first.yaml" and d.code == "E201" for d in first.report)
    assert any(d.path == "upload.html" and d.code == "T119" for d in first.diagnostics)
    for bad, code in ((b"x" * (MAX_TWINE_BYTES + 1), "T102"), (b"\xff::", "T101")):
        with pytest.raises(TwineInputError) as caught:
            stories_from_bytes(bad, "upload.twee")
        assert caught.value.diagnostic.code == code
