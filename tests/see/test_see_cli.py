"""`kaleidoscope see platforms|post|child|questions`, run as a user would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from test_child import CAREFUL, HIGH_RISK


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kaleidoscope.cli", "see", *args],
        capture_output=True, text=True, input=stdin, timeout=120,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"},
    )


def test_platforms_lists_rules_with_sources_and_review_dates() -> None:
    result = _cli("platforms")
    assert result.returncode == 0, result.stderr
    for name in ("Facebook", "Instagram", "X (formerly Twitter)", "LinkedIn", "TikTok",
                 "Snapchat", "Mastodon", "Bluesky", "Threads"):
        assert name in result.stdout
    assert "https://www.facebook.com/help/167709519956542" in result.stdout
    assert "last reviewed 2026-11-21" in result.stdout
    assert "Platforms change their settings" in result.stdout
    one = _cli("platforms", "--platform", "tiktok", "--format", "json")
    data = json.loads(one.stdout)
    assert [p["id"] for p in data["platforms"]] == ["tiktok"]
    assert "change" in data["notice"]


def test_platforms_rejects_unknown_values() -> None:
    result = _cli("platforms", "--platform", "myspace")
    assert result.returncode == 2 and "unknown platform 'myspace'" in result.stderr
    assert "Traceback" not in result.stderr
    assert _cli("platforms", "--format", "xml").returncode == 2


def test_post_explains_a_tag_widening_the_audience() -> None:
    result = _cli("post", "--platform", "facebook", "--audience", "friends",
                  "--tagged", "Sam:public", "--photo")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Because you tagged Sam" in out and "Friends of your friends" in out
    assert "Persistence" in out and "Searchability" in out
    assert "Platforms change their settings" in out


def test_post_as_json() -> None:
    result = _cli("post", "--platform", "x", "--public", "--hashtag", "socialwork",
                  "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    rows = {r["audience"]: r["visibility"] for r in data["audiences"]}
    assert rows["search_engines"] == "yes" and rows["platform"] == "yes"
    assert data["account_private"] is False and "change" in data["notice"]
    private = json.loads(_cli("post", "--platform", "instagram", "--private",
                              "--format", "json").stdout)
    assert "Profile picture" in private["still_visible"]
    assert {r["audience"]: r["visibility"] for r in private["audiences"]}["web"] == "if_copied"


def test_post_rejects_bad_input_with_exit_2() -> None:
    cases = [
        (("--platform", "myspace"), "--platform: unknown platform 'myspace'"),
        (("--platform", "facebook", "--audience", "world"), "--audience: unknown audience"),
        (("--platform", "facebook", "--tagged", "Sam:everyone"), "--tagged 'Sam:everyone'"),
        (("--platform", "x", "--hashtag", "two words"), "--hashtag"),
    ]
    for args, message in cases:
        result = _cli("post", *args)
        assert result.returncode == 2, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_child_report_from_an_answers_file(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(HIGH_RISK), "utf-8")
    text = _cli("child", "--answers", str(answers))
    assert text.returncode == 0, text.stderr
    assert "Overall: high" in text.stdout and "Searching by name" in text.stdout
    markdown = _cli("child", "--answers", str(answers), "--format", "markdown")
    assert markdown.stdout.startswith("# Can this child be found?")
    careful = tmp_path / "careful.json"
    careful.write_text(json.dumps(CAREFUL), "utf-8")
    data = json.loads(_cli("child", "--answers", str(careful), "--format", "json").stdout)
    assert data["level"] == "low" and data["routes"] == []


def test_child_rejects_tampered_or_broken_answers(tmp_path: Path) -> None:
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps({**CAREFUL, "accounts_private": "sort_of"}), "utf-8")
    result = _cli("child", "--answers", str(tampered))
    assert result.returncode == 2
    assert f"{tampered}: field 'accounts_private': unknown answer 'sort_of'" in result.stderr
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({"is_admin": "yes"}), "utf-8")
    assert "field 'is_admin': unknown question" in _cli("child", "--answers", str(extra)).stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"platforms": [\n', "utf-8")
    result = _cli("child", "--answers", str(broken))
    assert result.returncode == 2 and f"{broken}:2:1: not valid JSON" in result.stderr
    missing = _cli("child", "--answers", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "cannot read the answers file" in missing.stderr
    for result in (missing,):
        assert "Traceback" not in result.stderr


def test_child_template_round_trips_through_standard_input() -> None:
    template = _cli("child", "--template")
    assert template.returncode == 0
    result = _cli("child", "--answers", "-", "--format", "json", stdin=template.stdout)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["unanswered"] == []


def test_child_asks_the_questions_when_no_file_is_given() -> None:
    questions = json.loads(_cli("questions", "--format", "json").stdout)
    # Instagram and Snapchat; all accounts private; a nickname; then "x" (not a choice,
    # asked again) and blanks ("not sure") for the rest.
    replies = ["2,4", "1", "3", "x"] + [""] * (len(questions) - 3)
    result = _cli("child", "--format", "markdown", stdin="\n".join(replies) + "\n")
    assert result.returncode == 0, result.stderr
    assert "Please give a number from the list." in result.stderr
    assert result.stdout.startswith("# Can this child be found?")
    assert "### Instagram" in result.stdout and "### Snapchat" in result.stdout
    assert "Which apps" not in result.stdout  # questions go to stderr, the report to stdout
    ran_out = _cli("child", stdin="2\n")
    assert ran_out.returncode == 2 and "ran out" in ran_out.stderr


def test_questions_lists_ids_and_allowed_answers() -> None:
    result = _cli("questions")
    assert result.returncode == 0
    assert "accounts_private" in result.stdout and "all_private" in result.stdout
