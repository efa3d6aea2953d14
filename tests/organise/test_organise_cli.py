"""`kaleidoscope organise`: validate, schema, assess (file and interactive), export."""

from __future__ import annotations

import io
import json
from pathlib import Path

import yaml
from docx import Document
from typer.testing import CliRunner

from kaleidoscope.cli import app
from kaleidoscope.organise.validate import bundled_instrument

RUNNER = CliRunner()
INST = bundled_instrument()


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return path


def _all(pick: int) -> dict[str, str]:
    return {q.id: INST.scale_of(q).options[min(pick, 2)].id for q in INST.questions}


def test_validate_and_schema() -> None:
    result = RUNNER.invoke(app, ["organise", "validate"])
    assert result.exit_code == 0, result.output
    schema = json.loads(RUNNER.invoke(app, ["organise", "schema"]).stdout)
    assert schema["title"] == "Instrument"
    assert RUNNER.invoke(app, ["organise", "schema", "--kind", "nope"]).exit_code == 2


def test_validate_reports_unknown_keys_with_lines(tmp_path: Path) -> None:
    text = (
        Path(__file__).parents[2].joinpath("src/kaleidoscope/organise/instrument.yaml").read_text()
    )
    bad = tmp_path / "i.yaml"
    bad.write_text(text.replace("benchmark: sage-2017-done", "benchmark: sage-2071-done"), "utf-8")
    result = RUNNER.invoke(app, ["organise", "validate", "--instrument", str(bad)])
    assert result.exit_code == 1
    line = text[: text.index("benchmark: sage-2017-done")].count("\n") + 1
    assert f"{bad}:{line}:" in result.stdout and "E312" in result.stdout


def test_assess_from_a_file_and_export(tmp_path: Path) -> None:
    old = _write(
        tmp_path, "2025.yaml", {"organisation": "Northshire", "date": "2025-06-01", "lead": _all(2)}
    )
    new = _write(
        tmp_path,
        "2026.yaml",
        {
            "organisation": "Northshire",
            "date": "2026-06-01",
            "approver": "the head of comms",
            "lead": _all(0),
            "staff": [_all(1)] * 5,
        },
    )
    result = RUNNER.invoke(app, ["organise", "assess", "--answers", str(new)])
    assert result.exit_code == 0, result.output
    assert "Readiness by theme" in result.stdout and "LGIU 2011" in result.stdout
    report = RUNNER.invoke(app, ["organise", "export", str(old), str(new), "--what", "report"])
    assert report.exit_code == 0, report.output
    assert "## Trend across assessments" in report.stdout and "2025-06-01" in report.stdout
    out = tmp_path / "policy.docx"
    done = RUNNER.invoke(
        app,
        ["organise", "export", str(new), "--what", "policy", "--format", "docx", "-o", str(out)],
    )
    assert done.exit_code == 0, done.output
    paragraphs = [p.text for p in Document(io.BytesIO(out.read_bytes())).paragraphs]
    assert any("Only the head of comms may approve" in p for p in paragraphs)
    csv_out = RUNNER.invoke(app, ["organise", "export", str(new), "--format", "csv"])
    assert csv_out.stdout.startswith("rank,theme,action")
    assert (
        RUNNER.invoke(
            app, ["organise", "export", str(new), "--what", "policy", "--format", "csv"]
        ).exit_code
        == 2
    )


def test_bad_answers_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text('organisation: X\nlead:\n  policy-written: maybe\n  nonsense: "yes"\n', "utf-8")
    result = RUNNER.invoke(app, ["organise", "assess", "--answers", str(path)])
    assert result.exit_code == 1
    assert f"{path}:3:" in result.stderr and "'maybe' is not one of the answers" in result.stderr
    assert f"{path}:4:" in result.stderr and "unknown question 'nonsense'" in result.stderr
    json_path = tmp_path / "a.json"
    json_path.write_text(json.dumps({"lead": _all(0)}), "utf-8")
    assert RUNNER.invoke(app, ["organise", "assess", "--answers", str(json_path)]).exit_code == 0


def test_interactive_assessment_saves_answers(tmp_path: Path) -> None:
    saved = tmp_path / "mine.yaml"
    typed = "\n".join(["9", "x"] + ["1"] * len(INST.questions)) + "\n"
    result = RUNNER.invoke(app, ["organise", "assess", "--save", str(saved)], input=typed)
    assert result.exit_code == 0, result.output
    assert "Type a number from 1 to" in result.stdout
    data = yaml.safe_load(saved.read_text("utf-8"))
    assert len(data["lead"]) == len(INST.questions)
