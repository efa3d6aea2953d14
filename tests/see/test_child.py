"""'Can this child be found?': the questionnaire, its validation and the traceability report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from kaleidoscope.see.child import (
    NOT_SURE,
    AnswerError,
    Kind,
    answers_template,
    assess,
    bundled_questionnaire,
    parse_answers,
    parse_questionnaire,
    report_markdown,
)
from kaleidoscope.see.rules import ExposureDataError, bundled_rules, bundled_text
from kaleidoscope.see.texts import Level

HIGH_RISK: dict[str, Any] = {
    "platforms": ["instagram", "snapchat", "tiktok"],
    "accounts_private": "all_public",
    "name_shown": "full_name",
    "name_known": "yes",
    "profile_picture": "clear_face",
    "school_in_profile": "yes",
    "town_in_profile": "yes",
    "revealing_photos": "often",
    "location_tags": "often",
    "live_location": "all_friends",
    "friends_list_public": "yes",
    "tagged_by_others": "often",
    "friends_public": "most",
    "birth_family_contact": "yes",
    "contact_discovery": "yes",
    "messages_from": "anyone",
    "username_reused": "yes",
    "age_on_account": "older",
}

CAREFUL: dict[str, Any] = {
    "platforms": ["instagram"],
    "accounts_private": "all_private",
    "name_shown": "nickname",
    "name_known": "no",
    "profile_picture": "no",
    "school_in_profile": "no",
    "town_in_profile": "no",
    "revealing_photos": "never",
    "location_tags": "never",
    "live_location": "trusted_few",
    "friends_list_public": "no",
    "tagged_by_others": "never",
    "friends_public": "none",
    "birth_family_contact": "no",
    "contact_discovery": "no",
    "messages_from": "friends_only",
    "username_reused": "no",
    "age_on_account": "yes",
}


def test_high_risk_answers_give_high_with_the_routes_and_changes() -> None:
    report = assess(parse_answers(HIGH_RISK))
    assert report.level is Level.HIGH
    routes = [r.id for r in report.routes]
    for expected in ("public_browsing", "name_search", "face", "school", "place", "friends",
                     "existing_contact", "direct_contact", "username_trail", "adult_settings"):
        assert expected in routes
    changes = [c.id for c in report.changes]
    assert changes[:3] == ["talk_to_worker", "live_location_off", "go_private"]
    assert {"change_name", "remove_school", "friends_and_family_posts", "profile_picture",
            "limit_messages", "new_usernames"} <= set(changes)
    assert [c.priority for c in report.changes] == sorted(c.priority for c in report.changes)
    assert report.reasons[0].startswith("Someone connected with the birth family")
    assert not report.unknowns and not report.unanswered
    assert [p.platform for p in report.platforms] == ["instagram", "snapchat", "tiktok"]


def test_careful_answers_give_low_with_no_routes() -> None:
    report = assess(parse_answers(CAREFUL))
    assert report.level is Level.LOW
    assert report.routes == [] and report.unknowns == []
    # a private Instagram account still shows some parts to anyone, and that counts
    assert report.reasons == [
        "Even with private settings, Instagram shows these to anyone: name, username, "
        "profile picture, bio, links in the profile, follower and following counts."
    ]
    assert [c.id for c in report.changes] == ["keep_talking"]
    instagram = report.platforms[0]
    assert "Name" in instagram.still_visible and "Profile picture" in instagram.still_visible
    assert "Teen Accounts" in instagram.under_18


def test_one_serious_answer_is_enough_for_high() -> None:
    for question, value in (("birth_family_contact", "yes"), ("live_location", "everyone")):
        report = assess(parse_answers({**CAREFUL, question: value}))
        assert report.level is Level.HIGH, question


def test_a_middling_set_gives_medium() -> None:
    answers = {**CAREFUL, "name_shown": "first_name", "revealing_photos": "sometimes",
               "profile_picture": "partly"}
    report = assess(parse_answers(answers))
    assert report.level is Level.MEDIUM
    assert [r.id for r in report.routes] == ["school"]
    assert "remove_school" in [c.id for c in report.changes]


def test_missing_answers_count_as_not_sure_and_are_listed() -> None:
    partial = {k: v for k, v in CAREFUL.items() if k not in ("live_location", "name_known")}
    report = assess(parse_answers(partial))
    assert len(report.unanswered) == 2 and len(report.unknowns) == 2
    assert "live_location_off" in [c.id for c in report.changes]
    everything_unknown = assess(parse_answers({}))
    assert everything_unknown.level is Level.HIGH
    assert "not known yet" in everything_unknown.level_summary
    assert "check_together" in [c.id for c in everything_unknown.changes]


@pytest.mark.parametrize(
    ("answers", "field", "words"),
    [
        ({"favourite_colour": "blue"}, "favourite_colour", "unknown question"),
        ({"accounts_private": "mostly"}, "accounts_private", "unknown answer 'mostly'"),
        ({"accounts_private": ["all_private"]}, "accounts_private", "expected one answer"),
        ({"platforms": "instagram"}, "platforms", "expected a list"),
        ({"platforms": []}, "platforms", "at least one"),
        ({"platforms": ["instagram", "myspace"]}, "platforms", "unknown platform 'myspace'"),
        ({"platforms": ["none", "tiktok"]}, "platforms", "cannot be combined"),
        ({"live_location": 3}, "live_location", "expected one answer"),
        (["all_private"], "(top level)", "must be an object"),
    ],
)
def test_tampered_answers_are_rejected_naming_the_field(
    answers: Any, field: str, words: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_answers(answers)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"field '{field}'") and words in str(caught.value)


def test_the_report_reads_as_a_printable_document() -> None:
    text = report_markdown(assess(parse_answers(HIGH_RISK)))
    assert text.startswith("# Can this child be found?")
    for heading in ("## Overall: high", "## How a birth relative could trace the child",
                    "## What would help, most important first", "### Instagram",
                    "## Going forward"):
        assert heading in text
    assert "1. **Talk to the child's social worker first.**" in text
    assert "change their settings" in text and "2026-11-21" in text
    assert "{" not in text


def test_the_template_lists_every_question_and_is_accepted() -> None:
    template = answers_template()
    questionnaire = bundled_questionnaire()
    assert list(template) == [q.id for q in questionnaire.questions]
    assert assess(parse_answers(template)).unanswered == []


def test_questionnaire_data_is_sound() -> None:
    questionnaire = bundled_questionnaire()
    platform_ids = set(bundled_rules().ids())
    for question in questionnaire.questions:
        assert question.option(NOT_SURE) is not None, question.id
    platforms = questionnaire.question("platforms")
    assert platforms is not None and platforms.kind is Kind.MULTI
    named = {o.value for o in platforms.options} - {"games", "other", "none", NOT_SURE}
    assert named <= platform_ids
    for change in questionnaire.changes:
        assert change.do.strip() and change.why.strip()


def test_a_broken_questionnaire_names_the_file_and_the_problem(tmp_path: Path) -> None:
    data = yaml.safe_load(bundled_text("child.yaml"))
    data["routes"][0]["when"] = [{"accounts_private": ["sometimes"]}]
    path = tmp_path / "child.yaml"
    path.write_text(yaml.safe_dump(data), "utf-8")
    with pytest.raises(ExposureDataError) as caught:
        parse_questionnaire(path.read_text("utf-8"), str(path))
    message = str(caught.value)
    assert str(path) in message and "unknown answers ['sometimes']" in message
