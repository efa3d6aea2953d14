"""``kaleidoscope check`` end to end: drafts, --file, --jsonl, archives and exit codes.

The command runs in a real subprocess on real files (so stdout, stderr and exit codes are
exactly what a user or a CI job would see).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import archive_factory as af

RISKY = "Home visit today: 13yo girl at Hillcrest Academy, new partner just moved in"
SAFE = "Lovely walk by the canal this evening, recharged for the week"
LOW = "Hungover and grumpy this morning"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kaleidoscope.cli", "check", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=120,
    )


def test_draft_text_shows_spans_why_guidance_and_rewrite() -> None:
    done = run(RISKY)
    assert done.returncode == 1, done.stderr
    out = done.stdout
    assert "[13yo]" in out and "[Hillcrest Academy]" in out  # brackets, not colour alone
    assert "confidentiality" in out
    assert "why:" in out and "jigsaw" in out
    assert "SWE-GUIDANCE" in out and "HCPC-2017" not in out
    assert "safer version:" in out and "a young person" in out


def test_safe_draft_exits_zero() -> None:
    done = run(SAFE)
    assert done.returncode == 0
    assert "No risks found" in done.stdout


def test_fail_on_levels() -> None:
    assert run(LOW).returncode == 0  # default: high
    assert run(LOW, "--fail-on", "low").returncode == 1
    assert run(LOW, "--fail-on", "medium").returncode == 0
    assert run(RISKY, "--fail-on", "none").returncode == 0
    bad = run(LOW, "--fail-on", "severe")
    assert bad.returncode == 2 and "--fail-on" in bad.stderr


def test_file_option(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(RISKY + "\n", encoding="utf-8")
    done = run("--file", str(draft), "--format", "json")
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert data["labels"] == ["confidentiality"] and data["severity"] == "high"
    first = data["findings"][0]
    assert RISKY[first["start"] : first["end"]] == first["quote"]


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    missing = run("--file", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "nope.txt" in missing.stderr
    binary = tmp_path / "draft.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    done = run("--file", str(binary))
    assert done.returncode == 2 and "not UTF-8" in done.stderr and "draft.txt" in done.stderr
    assert "Traceback" not in done.stderr


def test_platform_and_audience_options() -> None:
    done = run(LOW, "--platform", "x", "--audience", "public", "--format", "json")
    data = json.loads(done.stdout)
    assert any("public" in a for a in data["amplifiers"])
    bad = run(LOW, "--platform", "myspace")
    assert bad.returncode == 2 and "platform" in bad.stderr and "Traceback" not in bad.stderr


def test_usage_errors_exit_two(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text("hello", encoding="utf-8")
    assert run().returncode == 2
    assert run("hello", "--file", str(draft)).returncode == 2
    report = run("hello", "--report", str(tmp_path / "r.html"))
    assert report.returncode == 2 and "archives" in report.stderr
    assert run("hello", "--format", "yaml").returncode == 2
    assert run("   ").returncode == 2


def test_jsonl_contract_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": RISKY, "platform": "facebook", "audience": "friends"}),
        "{not json",
        json.dumps({"id": "b", "text": SAFE}),
        json.dumps({"id": "c"}),
        "",
        json.dumps({"id": "d", "text": LOW, "audience": "everyone"}),
        json.dumps(["a list"]),
        json.dumps({"id": 7, "text": "Had a nosey at dad's Facebook before the visit"}),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run("--jsonl", str(source), "--format", "jsonl")
    assert done.returncode == 1
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "7"]
    for row in rows:
        assert set(row) >= {"id", "labels", "severity", "findings"}
    assert rows[0]["labels"] == ["confidentiality"] and rows[0]["severity"] == "high"
    assert rows[1] == {**rows[1], "labels": [], "severity": "none", "findings": []}
    finding = rows[0]["findings"][0]
    assert set(finding) >= {"category", "severity", "start", "end", "quote", "why", "guidance"}
    assert RISKY[finding["start"] : finding["end"]] == finding["quote"]
    assert rows[2]["labels"] == ["consent_privacy"]
    # each bad line is named by number on stderr and skipped; the run goes on
    for number in (2, 4, 6, 7):
        assert f"in.jsonl:{number}:" in done.stderr
    assert "3 record(s) checked, 4 skipped" in done.stderr
    assert "Traceback" not in done.stderr


def test_jsonl_fail_on_none_and_csv(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "x1", "text": RISKY}) + "\n", encoding="utf-8")
    done = run("--jsonl", str(source), "--format", "csv", "--fail-on", "none")
    assert done.returncode == 0
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0][:3] == ["id", "category", "severity"]
    assert rows[1][:3] == ["x1", "confidentiality", "high"]


def test_jsonl_unusable_files_exit_two(tmp_path: Path) -> None:
    assert run("--jsonl", str(tmp_path / "missing.jsonl")).returncode == 2
    assert run("--jsonl", str(tmp_path)).returncode == 2  # a folder
    only_bad = tmp_path / "bad.jsonl"
    only_bad.write_text("nope\n[1]\n", encoding="utf-8")
    done = run("--jsonl", str(only_bad))
    assert done.returncode == 2 and "no usable records" in done.stderr
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_bytes(json.dumps({"id": "1", "text": SAFE}).encode() + b"\n\xff\xfe\n")
    done = run("--jsonl", str(mixed))
    assert done.returncode == 0 and "mixed.jsonl:2: not UTF-8" in done.stderr


def test_archive_argument_is_delegated(tmp_path: Path) -> None:
    when = datetime(2023, 5, 1, 9, 30)
    tweets = [
        af.Tweet(id="1", text=RISKY, created=when),
        af.Tweet(id="2", text=SAFE, created=when),
    ]
    archive = af.write_zip(tmp_path / "twitter.zip", af.x_files(tweets))
    done = run(str(archive), "--format", "json")
    assert done.returncode == 1, done.stderr
    assert "confidentiality" in done.stdout
    assert run(str(archive), "--fail-on", "none").returncode == 0
    # a folder that holds no known export is bad input for the archive reader
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(str(empty)).returncode == 2
    # a name that does not exist on disk is just draft text
    assert run("notes.zip").returncode == 0
