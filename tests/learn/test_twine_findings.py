"""Issue 16's findings, one test each: breakout, console markup, ':100:', size, story-format
constructs, Unicode ids, the continuing-cast marker and link positions."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kaleidoscope.learn.source import MAX_FILE_BYTES, parse_yaml
from kaleidoscope.learn.twine.exporter import export_text
from kaleidoscope.learn.twine.html import parse_html, write_html
from kaleidoscope.learn.twine.importer import draft, stories_from_bytes, stories_from_text
from kaleidoscope.learn.twine.story import MAX_TWINE_BYTES, TwineInputError
from kaleidoscope.learn.twine.twee import parse_twee, write_twee
from kaleidoscope.learn.validate import check_document

FIXTURES = Path(__file__).parents[1] / "fixtures" / "twine"


def _cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kaleidoscope.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"},
    )


def _draft(name: str, destination: str = "out.yaml"):  # type: ignore[no-untyped-def]
    text = (FIXTURES / name).read_text("utf-8")
    stories, _ = stories_from_text(text, name, Path(name).suffix)
    return draft(stories[0], name, destination)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.starts: list[str] = []
        self.ends: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.ends.append(tag)


# --- export breakout ---------------------------------------------------------------------


def test_script_and_style_cannot_end_their_element_in_an_html_export() -> None:
    result = _draft("own-sugarcube.twee")
    exported = export_text(result.yaml_text, "out.yaml")
    assert exported.story is not None and exported.draft
    html = write_html([exported.story])
    elements = _Elements()
    elements.feed(html)
    # One script, one style, and no <p> (or any passage) injected from the story's code.
    assert elements.starts.count("script") == 1 and elements.ends.count("script") == 1
    assert elements.starts.count("style") == 1 and elements.ends.count("style") == 1
    assert "p" not in elements.starts
    assert "</script><p>" not in html and "<\\/script><p>" in html
    assert 'content: "<\\/style>"' in html
    stories, _ = parse_html(html, "x.html")
    names = [p.name for p in stories[0].passages]
    assert sorted(names) == sorted(p.name for p in exported.story.passages)


def test_the_validator_reads_the_twine_extra_lines() -> None:
    result = _draft("own-sugarcube.twee")
    checked = check_document(parse_yaml(result.yaml_text, "out.yaml"))
    found = [d for d in checked.diagnostics if d.code == "T143"]
    assert {d.message.split("'")[1] for d in found} == {"Story JavaScript", "Story Stylesheet"}
    assert all(d.line > 0 for d in found)
    broken = result.yaml_text + '# twine-extra: {"name": "x", "text": \n'
    checked = check_document(parse_yaml(broken, "out.yaml"))
    assert any(d.code == "T160" for d in checked.diagnostics)


# --- console markup and emoji ------------------------------------------------------------


def test_a_story_name_with_markup_is_printed_as_written(tmp_path: Path) -> None:
    story = tmp_path / "time-out.twee"
    story.write_text(
        ":: StoryTitle\nTime Out [/draft] :100: [bold]x\n\n:: Start\nHello.\n", "utf-8"
    )
    result = _cli("scenarios", "import", story, "-o", tmp_path / "t.yaml")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "MarkupError" not in result.stderr
    assert "'Time Out [/draft] :100: [bold]x' ->" in result.stderr
    missing = _cli("scenarios", "import", story, "--story", "[/x] :100:", "-o", tmp_path / "u.yaml")
    assert missing.returncode == 2 and "no story named '[/x] :100:'" in missing.stderr


def test_line_100_is_printed_as_line_100(tmp_path: Path) -> None:
    lines = [":: StoryTitle", "Long", "", ":: Start", "Hello."] + [""] * 94
    lines += [":: Far [decision]", "[[A]] [[B]]", "", ":: A [ending]", "a", "", ":: B", "b"]
    story = tmp_path / "long.twee"
    story.write_text("\n".join(lines) + "\n", "utf-8")
    result = _cli("scenarios", "import", story, "-o", tmp_path / "l.yaml")
    assert ":100:" in result.stdout and "\N{HUNDRED POINTS SYMBOL}" not in result.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n" + "#\n" * 98 + "title: [\n", "utf-8")
    validate = _cli("scenarios", "validate", bad)
    assert "bad.yaml:100:" in validate.stdout or "bad.yaml:101:" in validate.stdout
    assert "\N{HUNDRED POINTS SYMBOL}" not in validate.stdout + validate.stderr


# --- one size limit ----------------------------------------------------------------------


def test_one_size_limit_for_every_story_file(tmp_path: Path) -> None:
    assert MAX_TWINE_BYTES == MAX_FILE_BYTES
    with pytest.raises(TwineInputError) as refused:
        stories_from_bytes(b":: Start\n" + b"x" * MAX_FILE_BYTES, "big.twee")
    message = refused.value.diagnostic.message
    assert refused.value.diagnostic.code == "T102"
    assert "the limit is 5 MB (5,242,880 bytes)" in message and "5.00 MB (5,242,889" in message
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    validate = _cli("scenarios", "validate", big)
    assert "E103 file is 5.00 MB (5,242,881 bytes); the limit is 5 MB" in validate.stdout


def test_a_story_just_under_the_limit_goes_round_without_a_false_refusal() -> None:
    # Passages that grow when HTML-escaped: each '"' becomes '&quot;'.
    passages = "".join(
        f':: P{i}\nShe said "{"x" * 40}" and "{"y" * 40}".\n[[P{i + 1}]]\n\n' for i in range(9000)
    )
    text = f":: StoryTitle\nBig\n\n:: Start\n[[P0]]\n\n{passages}:: P9000 [ending]\nEnd.\n"
    raw = text.encode()
    assert len(raw) < MAX_FILE_BYTES
    stories, _ = stories_from_bytes(raw, "big.twee")
    html = write_html(stories).encode()
    if len(html) > MAX_FILE_BYTES:
        with pytest.raises(TwineInputError) as refused:
            stories_from_bytes(html, "big.html")
        assert "the limit is 5 MB" in refused.value.diagnostic.message
    else:
        assert stories_from_bytes(html, "big.html")[0]


# --- story-format constructs -------------------------------------------------------------


def test_chapbook_logic_is_never_dropped_silently() -> None:
    result = _draft("own-chapbook.twee")
    found = [(d.line, d.code, d.message) for d in result.imported.diagnostics]
    whats = " ".join(m for _, code, m in found if code == "T140")
    assert "Chapbook vars section" in whats
    assert "Chapbook conditional ([if ...])" in whats
    assert "Chapbook back link ({back link})" in whats
    assert "Chapbook variable insert ({name})" in whats
    conditional = [(line, m) for line, code, m in found if code == "T144"]
    assert conditional == [
        (
            20,
            "passage 'Arrival': the link 'Sit at the free desk' to 'Übung' is inside a [if] "
            "block, so it becomes a choice that is always offered. In Twine, move the link "
            "out of the block or make it its own passage.",
        )
    ]
    assert not any("[continue]" in m or "modifier" in m for _, _, m in found)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("own-sugarcube.twee", ["SugarCube conditional", "SugarCube back link", "<<set>>"]),
        ("own-snowman.twee", ["Snowman conditional", "Snowman template"]),
        ("own-harlowe-draft.twee", ["Harlowe conditional", "Harlowe variable", "link-undo"]),
    ],
)
def test_every_story_format_s_logic_is_warned_about(name: str, expected: list[str]) -> None:
    result = _draft(name)
    messages = " ".join(d.message for d in result.imported.diagnostics if d.code == "T140")
    for what in expected:
        assert what in messages
    assert any(d.code == "T144" for d in result.imported.diagnostics)


# --- ids ---------------------------------------------------------------------------------


def test_ids_keep_unicode_letters() -> None:
    text = (
        ":: StoryTitle\nÜbungen\n\n:: Start\n[[Übung]] or [[学习]]?\n\n"
        ":: Übung [ending]\nEins.\n\n:: 学习 [ending]\nZwei.\n"
    )
    stories, _ = stories_from_text(text, "u.twee", ".twee")
    result = draft(stories[0], "u.twee", "u.yaml")
    nodes = parse_yaml(result.yaml_text, "u.yaml").data["nodes"]
    assert set(nodes) == {"start", "übung", "学习"}
    assert nodes["start"]["choices"][0]["target"] == "übung"
    assert parse_yaml(result.yaml_text, "u.yaml").data["id"] == "übungen"


# --- round trips -------------------------------------------------------------------------


def test_the_continuing_cast_marker_survives_export_import_export(tmp_path: Path) -> None:
    first = _cli("scenarios", "export", "friend-request", "-o", tmp_path / "a.twee")
    assert first.returncode == 0, first.stderr
    assert "continuing-cast:" in (tmp_path / "a.twee").read_text("utf-8")
    imported = _cli(
        "scenarios", "import", tmp_path / "a.twee", "-o", tmp_path / "no-cast" / "a.yaml"
    )
    assert imported.returncode == 0, imported.stdout + imported.stderr
    again = _cli("scenarios", "export", tmp_path / "no-cast" / "a.yaml", "-o", tmp_path / "b.twee")
    assert again.returncode == 0, again.stdout + again.stderr
    assert (tmp_path / "b.twee").read_text("utf-8") == (tmp_path / "a.twee").read_text("utf-8")


def test_a_link_inside_a_sentence_stays_inside_it() -> None:
    result = _draft("own-review.twee")
    assert result.scenario is not None
    exported = export_text(result.yaml_text, "out.yaml")
    assert exported.story is not None and not exported.draft
    decision = next(p for p in exported.story.passages if p.name == "The Review")
    assert decision.text.endswith(
        "Jo could [[answer it herself->Reply]], or [[tell her manager->Manager]] first."
    )
    twee = write_twee(exported.story)
    story, _ = parse_twee(twee, "again.twee")
    again = export_text(draft(story, "again.twee", "out.yaml").yaml_text, "out.yaml")
    assert again.story is not None and write_twee(again.story) == twee


def test_the_terminal_player_prints_a_story_s_names_as_written(tmp_path: Path) -> None:
    text = (FIXTURES / "own-review.twee").read_text("utf-8")
    text = text.replace("The online review", "Time Out [/draft] :100:")
    text = text.replace("tell her manager->", "tell her [bold]manager[/bold] :100:->")
    (tmp_path / "story.twee").write_text(text, "utf-8")
    folder = tmp_path / "mine"
    imported = _cli("scenarios", "import", tmp_path / "story.twee", "-o", folder / "r.yaml")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    played = _cli("play", "the-online-review", "--path", folder, "--choices", "2")
    assert played.returncode == 0, played.stderr
    assert "Time Out [/draft] :100:" in played.stdout
    assert "tell her [bold]manager[/bold] :100:" in played.stdout
    assert "\N{HUNDRED POINTS SYMBOL}" not in played.stdout and "Traceback" not in played.stderr
