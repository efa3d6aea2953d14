"""`kaleidoscope scenarios list|schema` and `kaleidoscope play`, run as a user would."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
import yaml

from kaleidoscope.learn.library import bundled_library, bundled_path


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kaleidoscope.cli", *args],
        capture_output=True, text=True, input=stdin, timeout=120,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"},
    )


def test_list_as_json_describes_every_scenario() -> None:
    result = _cli("scenarios", "list", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["id"] for r in rows} == {s.id for s in bundled_library()}
    assert all({"id", "title", "themes", "minutes"} <= set(r) for r in rows)


def test_list_as_table_and_bad_format() -> None:
    table = _cli("scenarios", "list")
    assert table.returncode == 0 and "friend-request" in table.stdout
    bad = _cli("scenarios", "list", "--format", "xml")
    assert bad.returncode == 2 and "unknown --format" in bad.stderr


def test_schema_is_json_schema_that_accepts_the_library() -> None:
    result = _cli("scenarios", "schema")
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(bundled_path().glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text())))
        assert errors == [], f"{path.name}: {errors[0].message}"
    broken = {"id": "x", "title": "t", "summary": "s", "themes": ["a"], "minutes": 1,
              "audience": ["nobody"], "start": "a", "nodes": {}}
    assert list(validator.iter_errors(broken))


def test_play_with_choices_prints_the_transcript_and_debrief() -> None:
    result = _cli("play", "friend-request", "--choices", "3,1")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Kayla" in out and "A channel that is hers and safe" in out
    assert "Professional boundaries" in out and "+4" in out
    assert "Guidance:" in out


def test_play_back_and_restart_in_a_scripted_run() -> None:
    result = _cli("play", "friend-request", "--choices", "1,b,b,r,2,1,3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Back to the last decision.") == 1
    assert "There is no earlier decision." in result.stdout
    assert "Starting again." in result.stdout
    assert "Safe tonight, a relationship to rebuild" not in result.stdout


def test_play_interactively_from_standard_input() -> None:
    result = _cli("play", "friend-request", stdin="7\n3\n2\n")
    assert result.returncode == 0, result.stderr
    assert "Please type 1 to 4" in result.stdout
    assert "Always on, off the record" in result.stdout


def test_play_lists_when_no_id_given() -> None:
    result = _cli("play")
    assert result.returncode == 0 and "friend-request" in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["play", "no-such-scenario"], 2, "no scenario 'no-such-scenario'"),
        (["play", "friend-request", "--choices", "1,x"], 2, "'x' is not a choice number"),
        (["play", "friend-request", "--choices", "3"], 1, "the choices ran out"),
    ],
)
def test_play_errors_are_clear(args: list[str], code: int, message: str) -> None:
    result = _cli(*args)
    assert result.returncode == code
    assert message in result.stderr and "Traceback" not in result.stderr
