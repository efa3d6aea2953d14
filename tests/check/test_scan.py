"""Whole-archive check: scan_archive, run_archive_check (exit codes, formats), HTML report."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import archive_factory as af
import pytest
from rich.console import Console

from kaleidoscope.check.records import Category, PostKind, Severity
from kaleidoscope.check.report import render_report_html
from kaleidoscope.check.scan import ScanProgress, run_archive_check, scan_archive

RISKY = "Home visit to a 15yo girl at St Anne's Academy today, mum's new boyfriend was there"
SAFE = "Lovely walk by the river this morning before a busy week"


def x_archive(tmp_path: Path, *, risky: bool = True, name: str = "twitter.zip") -> Path:
    tweets = [
        af.Tweet("1", SAFE, datetime(2021, 1, 5, tzinfo=UTC)),
        af.Tweet("2", "RT @someone: " + RISKY[:100], datetime(2021, 2, 5, tzinfo=UTC)),
        af.Tweet("3", "Great training day on kinship care with the team",
                 datetime(2021, 3, 5, tzinfo=UTC), reply_to="jo"),
    ]
    if risky:
        tweets.append(af.Tweet("4", "<b>" + RISKY, datetime(2021, 3, 9, tzinfo=UTC)))
    return af.write_zip(tmp_path / name, af.x_files(tweets))


def test_scan_counts_kinds_checks_own_posts_and_keeps_the_risky(tmp_path: Path) -> None:
    seen: list[ScanProgress] = []
    summary = scan_archive(x_archive(tmp_path), progress=seen.append)
    assert summary.posts_by_kind == {PostKind.POST: 2, PostKind.REPLY: 1, PostKind.REPOST: 1}
    assert summary.checked == 3 and summary.reposts == 1
    assert [r.post.id for r in summary.flagged] == ["4"]  # the repost is never checked
    assert summary.findings[Category.CONFIDENTIALITY][Severity.HIGH] >= 1
    assert summary.risky_by_month() == {"2021-03": 1}
    assert seen[-1].bytes_done == seen[-1].bytes_total > 0
    assert summary.first == datetime(2021, 1, 5, tzinfo=UTC)


def test_every_platform_goes_through_the_checker(tmp_path: Path) -> None:
    ts = 1_615_000_000
    archives = {
        "fb.zip": af.facebook_files([[af.fb_post(ts, RISKY)]]),
        "ig.zip": af.instagram_files([af.ig_post(ts, RISKY, caption_in_media=True)]),
        "li.zip": {"Shares.csv": (
            "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
            f'2021-03-01 10:00:00,https://l/1,"{RISKY}",,,PUBLIC\n').encode()},
        "m.zip": af.mastodon_files([af.toot(1, f"<p>{RISKY}</p>")]),
    }
    for name, files in archives.items():
        summary = scan_archive(af.write_zip(tmp_path / name, files))
        assert len(summary.flagged) == 1, name
        assert summary.flagged[0].findings[0].category is Category.CONFIDENTIALITY
    car = tmp_path / "repo.car"
    car.write_bytes(af.bluesky_car([("app.bsky.feed.post/3kx", af.bsky_post(RISKY))]))
    assert len(scan_archive(car).flagged) == 1


def run(path: Path, fmt: str, capsys: pytest.CaptureFixture[str], **kw: object
        ) -> tuple[int, str, str]:
    console = Console(file=io.StringIO(), width=100)
    code = run_archive_check(path, fmt=fmt, console=console, **kw)  # type: ignore[arg-type]
    captured = capsys.readouterr()
    return code, captured.out + console.file.getvalue(), captured.err  # type: ignore[attr-defined]


def test_exit_codes_follow_fail_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    risky = x_archive(tmp_path)
    assert run(risky, "text", capsys, fail_on=Severity.HIGH)[0] == 1
    clean = x_archive(tmp_path, risky=False, name="clean.zip")
    code, out, _ = run(clean, "text", capsys, fail_on=Severity.LOW)
    assert code == 0 and "No findings." in out


def test_bad_input_exits_2_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    code, out, err = run(notes, "text", capsys)
    assert code == 2 and "not an archive" in err and "Traceback" not in err + out
    unknown = af.write_zip(tmp_path / "u.zip", {"a/b.txt": b"x"})
    code, _, err = run(unknown, "json", capsys)
    assert code == 2 and "Looked for" in err
    code, _, err = run(x_archive(tmp_path), "yaml", capsys)
    assert code == 2 and "unknown --format" in err


def test_machine_formats_go_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = x_archive(tmp_path)
    code, out, err = run(path, "json", capsys)
    data = json.loads(out)
    assert code == 1 and data["platform"] == "x" and data["reposts"] == 1
    assert data["results"][0]["id"] == "4" and "Checked 3" in err
    _, out, _ = run(path, "jsonl", capsys)
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["id"] for line in lines] == ["4"]
    finding = lines[0]["findings"][0]
    assert lines[0]["text"][finding["start"]:finding["end"]] == finding["quote"]
    _, out, _ = run(path, "csv", capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and rows[0]["id"] == "4" and rows[0]["category"] == "confidentiality"


def test_html_report_is_self_contained_escaped_and_accessible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "out.html"
    code, _, _ = run(x_archive(tmp_path), "text", capsys, report=report)
    assert code == 1
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert not re.search(r"<(script|link|img|iframe)\b", page)  # nothing fetched or run
    assert not re.search(r'\ssrc=', page)
    assert "<b>Home" not in page and "&lt;b&gt;" in page  # the post's own HTML is escaped
    assert "<svg" in page and "<title id=\"chart-title\">" in page
    assert '<th scope="col">category</th>' in page
    assert '<h3 id="cat-confidentiality">' in page
    assert "<mark>" in page and "https://x.com/sw_practitioner/status/4" in page
    assert "2021" in page


def test_render_report_html_without_findings(tmp_path: Path) -> None:
    summary = scan_archive(x_archive(tmp_path, risky=False))
    page = render_report_html(summary)
    assert "No findings" in page and "<svg" not in page


def test_fail_on_none_never_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(x_archive(tmp_path), "jsonl", capsys, fail_on=Severity.NONE)[0] == 0
    assert run(x_archive(tmp_path), "jsonl", capsys, fail_on=Severity.LOW)[0] == 1


def test_the_kaleidoscope_check_command_on_an_archive(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = x_archive(tmp_path)
    report = tmp_path / "r.html"
    done = subprocess.run(
        [sys.executable, "-m", "kaleidoscope.cli", "check", str(path), "--format", "jsonl",
         "--report", str(report)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == ["4"]
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    bad = tmp_path / "broken.zip"
    bad.write_bytes(path.read_bytes()[:300])
    done = subprocess.run([sys.executable, "-m", "kaleidoscope.cli", "check", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "truncated" in done.stderr
    assert "Traceback" not in done.stderr
