"""The corrected "can this child be found?" rules (issue 15), in the domain, the CLI and the page.

- "All private" counts only on apps that can be private: a public-only app (Bluesky) is
  public whatever the answer says, so a fully public Bluesky account rates high.
- What stays visible on a private account still counts and is shown: Facebook's networks
  (such as a school) and gender, a TikTok bio.
- A phone number or email known to a birth relative raises the rating.
- A visible face together with a name the birth family knows always rates high.
- An unknown platform is refused with a message naming it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from kaleidoscope.see.child import AnswerError, assess, bundled_questionnaire, parse_answers
from kaleidoscope.see.rules import bundled_rules
from kaleidoscope.see.texts import Level

# Everything else answered in the safest way, so each test changes one thing.
SAFE: dict[str, Any] = {
    "platforms": ["instagram"],
    "accounts_private": "all_private",
    "name_shown": "nickname",
    "name_known": "no",
    "profile_picture": "no",
    "school_in_profile": "no",
    "town_in_profile": "no",
    "revealing_photos": "never",
    "location_tags": "never",
    "live_location": "off",
    "friends_list_public": "no",
    "tagged_by_others": "never",
    "friends_public": "none",
    "birth_family_contact": "no",
    "contact_discovery": "no",
    "messages_from": "friends_only",
    "username_reused": "no",
    "age_on_account": "yes",
}
PUBLIC_BLUESKY = {**SAFE, "platforms": ["bluesky"], "name_shown": "full_name",
                  "name_known": "yes"}
PRIVATE_FACEBOOK = {**SAFE, "platforms": ["facebook"]}
PHONE_KNOWN = {**SAFE, "contact_discovery": "yes"}


def _report(answers: dict[str, Any]) -> Any:
    return assess(parse_answers(answers))


def _cli(answers: dict[str, Any], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), "utf-8")
    return subprocess.run(
        [sys.executable, "-m", "kaleidoscope.cli", "see", "child", "--answers", str(path),
         "--format", "json"],
        capture_output=True, text=True, timeout=120,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"},
    )


def _page(client: Client, answers: dict[str, Any]) -> tuple[int, str]:
    response = client.post("/see/child/", answers)
    return response.status_code, response.content.decode()


# --- the domain ------------------------------------------------------------------------------
def test_bluesky_cannot_be_private_so_all_private_still_rates_high() -> None:
    report = _report(PUBLIC_BLUESKY)
    assert report.level is Level.HIGH
    assert "Bluesky cannot be made private" in report.reasons[0]
    assert "public_browsing" in [r.id for r in report.routes]
    # the same answers on an app that can be private, with a nickname, stay low
    assert _report({**SAFE, "name_known": "yes"}).level is not Level.HIGH


def test_bluesky_alongside_a_private_app_counts_as_some_public() -> None:
    report = _report({**SAFE, "platforms": ["instagram", "bluesky"]})
    assert report.level is not Level.LOW
    assert any("Bluesky cannot be made private" in r for r in report.reasons)


def test_all_private_facebook_still_shows_networks_and_counts_them() -> None:
    report = _report(PRIVATE_FACEBOOK)
    [note] = report.platforms
    assert "Networks such as a school or workplace (if added)" in note.still_visible
    assert "Gender (if added)" in note.still_visible
    assert any(r.startswith("Even with private settings, Facebook shows these to anyone")
               and "networks such as a school" in r for r in report.reasons)
    nothing_visible = report.score - bundled_questionnaire().platform_rules.still_visible_weight
    assert report.score > nothing_visible


def test_tiktok_bio_is_treated_as_visible() -> None:
    [note] = _report({**SAFE, "platforms": ["tiktok"]}).platforms
    assert "Bio" in note.still_visible


def test_phone_known_to_a_birth_relative_raises_the_rating() -> None:
    before, after = _report(SAFE), _report(PHONE_KNOWN)
    assert after.level.rank > before.level.rank
    assert after.score > before.score
    assert "contact_suggestions" in [r.id for r in after.routes]
    assert "contact_matching_off" in [c.id for c in after.changes]


def test_a_clear_face_and_a_known_name_always_rate_high() -> None:
    report = _report({**SAFE, "profile_picture": "clear_face", "name_known": "yes"})
    assert report.level is Level.HIGH


def test_unknown_platform_is_refused_naming_it() -> None:
    with pytest.raises(AnswerError) as caught:
        parse_answers({"platforms": ["instagram", "myspace"]})
    assert caught.value.field == "platforms"
    assert "unknown platform 'myspace'" in str(caught.value)
    assert "'other'" in str(caught.value)


def test_every_platform_answer_is_a_known_platform_with_its_private_rule() -> None:
    question = bundled_questionnaire().question("platforms")
    assert question is not None
    rules = bundled_rules()
    for option in question.options:
        if option.value in {"games", "other", "none", "not_sure"}:
            continue
        platform = rules.get(option.value)
        assert platform is not None, option.value
    assert [p.id for p in rules.platforms if not p.can_be_private] == ["bluesky"]


# --- the command line --------------------------------------------------------------------------
def test_cli_public_bluesky_rates_high(tmp_path: Path) -> None:
    result = _cli(PUBLIC_BLUESKY, tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["level"] == "high"
    assert any("Bluesky cannot be made private" in r for r in data["reasons"])


def test_cli_all_private_facebook_still_shows_networks(tmp_path: Path) -> None:
    result = _cli(PRIVATE_FACEBOOK, tmp_path)
    assert result.returncode == 0, result.stderr
    [note] = json.loads(result.stdout)["platforms"]
    assert "Networks such as a school or workplace (if added)" in note["still_visible"]


def test_cli_phone_known_to_a_birth_relative_raises_the_rating(tmp_path: Path) -> None:
    before = json.loads(_cli(SAFE, tmp_path).stdout)
    after = json.loads(_cli(PHONE_KNOWN, tmp_path).stdout)
    order = ["low", "medium", "high"]
    assert order.index(after["level"]) > order.index(before["level"])


def test_cli_refuses_an_unknown_platform_clearly(tmp_path: Path) -> None:
    result = _cli({**SAFE, "platforms": ["myspace"]}, tmp_path)
    assert result.returncode != 0
    assert "unknown platform 'myspace'" in result.stderr
    assert "Traceback" not in result.stderr


# --- the web page --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_page_public_bluesky_rates_high(client: Client) -> None:
    status, page = _page(client, PUBLIC_BLUESKY)
    assert status == 200
    assert 'class="k-level k-level--high"' in page
    assert "Bluesky cannot be made private" in page


@pytest.mark.django_db
def test_page_all_private_facebook_still_shows_networks(client: Client) -> None:
    status, page = _page(client, PRIVATE_FACEBOOK)
    assert status == 200
    notes = page.split("<h3 class=\"govuk-heading-s\">Facebook</h3>")[1]
    assert "Networks such as a school or workplace (if added)" in notes
    assert "Report a wrong fact" in notes and "/see/sources/?fact=facebook.private_account" in notes


@pytest.mark.django_db
def test_page_phone_known_to_a_birth_relative_raises_the_rating(client: Client) -> None:
    _, before = _page(client, SAFE)
    _, after = _page(client, PHONE_KNOWN)
    assert 'k-level--low"' in before
    assert 'k-level--medium"' in after or 'k-level--high"' in after
    assert "Suggested from a phone number or email" in after


@pytest.mark.django_db
def test_page_refuses_an_unknown_platform_clearly(client: Client) -> None:
    status, page = _page(client, {**SAFE, "platforms": ["myspace"]})
    assert status == 400
    assert "There is a problem" in page and "unknown platform" in page
    assert "myspace" in page
