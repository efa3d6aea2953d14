"""`kaleidoscope scenarios import` and `scenarios export`, run as a user would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kaleidoscope.learn.library import bundled_library
from kaleidoscope.learn.twine.html import parse_html
from kaleidoscope.learn.twine.twee import parse_twee
from kaleidoscope.learn.validate import check_paths

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


def test_import_twee_writes_a_scenario_that_validates(tmp_path: Path) -> None:
    out = tmp_path / "sam.yaml"
    result = _cli("scenarios", "import", FIXTURES / "complete.twee", "-o", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "complete.twee:33:1: T141 passage 'Story JavaScript'" in result.stdout
    assert "valid scenario" in result.stderr
    (checked,) = check_paths([out])
    assert checked.scenario is not None and checked.scenario.id == "sams-tagged-photo"
    validate = _cli("scenarios", "validate", out)
    assert validate.returncode == 0, validate.stdout


def test_import_draft_reports_import_and_validator_problems(tmp_path: Path) -> None:
    out = tmp_path / "loose.yaml"
    result = _cli("scenarios", "import", FIXTURES / "broken.twee", "-o", out)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"{FIXTURES / 'broken.twee'}:17:1: T130") for line in lines)
    # Every message names the Twine file; the broken link is told once (no E302/E304 too).
    assert all(line.startswith(f"{FIXTURES / 'broken.twee'}:") for line in lines)
    assert not any(" E302 " in line or " E304 " in line for line in lines)
    assert "draft with errors" in result.stderr
    assert out.is_file()  # the draft is written for the author to finish
    assert "Traceback" not in result.stderr


def test_archive_with_two_stories_needs_a_choice(tmp_path: Path) -> None:
    archive = FIXTURES / "two-stories.html"
    refused = _cli("scenarios", "import", archive, "-o", tmp_path / "one.yaml")
    assert refused.returncode == 2
    assert "2 stories ('First & foremost', 'Second')" in refused.stderr
    assert "--story" in refused.stderr
    one = _cli("scenarios", "import", archive, "--story", "Second", "-o", tmp_path / "one.yaml")
    assert one.returncode == 0, one.stdout + one.stderr
    missing = _cli("scenarios", "import", archive, "--story", "Third", "-o", tmp_path / "x.yaml")
    assert missing.returncode == 2 and "no story named 'Third'" in missing.stderr
    folder = tmp_path / "all"
    both = _cli("scenarios", "import", archive, "-o", folder)
    assert both.returncode == 1  # the first story is a draft
    assert sorted(p.name for p in folder.iterdir()) == ["first_foremost.yaml", "second.yaml"]


def test_unusable_input_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    huge = tmp_path / "huge.twee"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    cases = [
        (FIXTURES / "not-twine.txt", "T103 not a Twine file"),
        (FIXTURES / "no-story.html", "T104 this HTML page holds no Twine story"),
        (huge, "T102 file is 50.00 MB (52,428,800 bytes); the limit is 5 MB"),
        (tmp_path / "absent.twee", "T101 cannot read file"),
    ]
    for path, message in cases:
        result = _cli("scenarios", "import", path, "-o", tmp_path / "x.yaml")
        assert result.returncode == 2, path
        assert message in result.stdout, result.stdout
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_invalid_story_data_json_exits_1_with_its_line(tmp_path: Path) -> None:
    result = _cli("scenarios", "import", FIXTURES / "bad-storydata.twee", "-o", tmp_path / "b.yaml")
    assert result.returncode == 1
    assert "bad-storydata.twee:7:20: T110 StoryData is not valid JSON" in result.stdout


def test_export_bundled_scenario_in_both_formats(tmp_path: Path) -> None:
    scenario_id = next(iter(bundled_library())).id
    twee = _cli("scenarios", "export", scenario_id, "--format", "twee")
    assert twee.returncode == 0, twee.stderr
    story, problems = parse_twee(twee.stdout, "stdout")
    assert problems == [] and story.passage("ScenarioData") is not None
    out = tmp_path / "story.html"
    html = _cli("scenarios", "export", scenario_id, "-o", out)  # format from the extension
    assert html.returncode == 0, html.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<tw-storydata ")  # an archive: stories at top level
    stories, problems = parse_html(text, str(out))
    assert problems == [] and len(stories) == 1
    assert stories[0].start == story.start and stories[0].ifid == story.ifid


def test_export_refuses_unknown_ids_formats_and_invalid_files(tmp_path: Path) -> None:
    unknown = _cli("scenarios", "export", "no-such-scenario")
    assert unknown.returncode == 2 and "no scenario 'no-such-scenario'" in unknown.stderr
    bad_format = _cli("scenarios", "export", "x", "--format", "ink")
    assert bad_format.returncode == 2 and "unknown --format 'ink'" in bad_format.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    result = _cli("scenarios", "export", broken)
    assert result.returncode == 2
    assert f"{broken}:" in result.stdout and "E104" in result.stdout


def test_import_export_import_through_files_keeps_the_map(tmp_path: Path) -> None:
    first = tmp_path / "sam.yaml"
    assert _cli("scenarios", "import", FIXTURES / "complete.twee", "-o", first).returncode == 0
    back = tmp_path / "sam.html"
    exported = _cli("scenarios", "export", first, "-o", back)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    (story,), _ = parse_html(back.read_text(encoding="utf-8"), "sam.html")
    morning = story.passage("Monday Morning")
    assert morning is not None and (morning.position, morning.size) == ("200,100", "100,200")
    second = tmp_path / "again.yaml"
    assert _cli("scenarios", "import", back, "-o", second).returncode == 0
    body = lambda p: p.read_text(encoding="utf-8").split("\n", 1)[1]  # noqa: E731
    assert body(first).split("# Twine layout")[0] == body(second).split("# Twine layout")[0]


def test_import_into_a_folder_never_writes_outside_it(tmp_path: Path) -> None:
    story = tmp_path / "escape.twee"
    story.write_text(
        ':: StoryData\n{"start": "Start"}\n\n:: ScenarioData\nid: ../../outside\n\n'
        ":: Start [ending-mixed]\nx\n",
        encoding="utf-8",
    )
    folder = tmp_path / "inside"
    result = _cli("scenarios", "import", story, "-o", folder)
    assert result.returncode == 1  # the id is not valid: the validator says so
    assert [p.name for p in folder.iterdir()] == ["outside.yaml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["escape.twee", "inside"]
