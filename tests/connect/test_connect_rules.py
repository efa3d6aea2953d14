"""The Connect rules without Django: scales from YAML (with file:line errors), consent,
circle fields, chat phases and moderation, screening and the field key."""

from __future__ import annotations

import os
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from kaleidoscope.connect import chats
from kaleidoscope.connect.circles import FIELDS, MemberKind, field_problem, member_fields
from kaleidoscope.connect.consent import (
    CircleConsent,
    ConsentState,
    ShareState,
    share_problems,
    share_state,
    shared_days,
)
from kaleidoscope.connect.data import ConnectDataError, text, texts
from kaleidoscope.connect.fieldkey import FieldKeyError, cipher, key_from_file
from kaleidoscope.connect.safety import asks_for_details, case_note_cue, has_markup, screen
from kaleidoscope.connect.scales import bundled_scales, load_scales, note_problem, read_scores

TODAY = date(2026, 3, 10)


def test_bundled_scales_load_and_read_scores() -> None:
    scales = bundled_scales()
    assert [s.id for s in scales.scales] == ["mood", "sleep", "stress", "connected"]
    scores, problems = read_scores(
        {"mood": "3", "sleep": "5", "stress": "0", "connected": ""}, scales
    )
    assert scores == {"mood": 3, "sleep": 5}
    assert set(problems) == {"stress", "connected"}
    assert note_problem("x" * (scales.note_max_chars + 1), scales)


def test_a_broken_scales_file_names_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "scales.yaml"
    bad.write_text(
        "note_max_chars: 100\nscales:\n  - id: mood\n    label: Mood\n    question: How?\n"
        "    min: 5\n    max: 1\n    low: a\n    high: b\n    higher_is_better: true\n"
        "    colour: red\n"
    )
    with pytest.raises(ConnectDataError) as caught:
        load_scales(bad, "scales.yaml")
    message = str(caught.value)
    assert "scales.yaml:11:" in message and "colour" in message
    bad.write_text("scales: [\n")
    with pytest.raises(ConnectDataError, match=r"scales.yaml:\d+:\d+: E104"):
        load_scales(bad, "scales.yaml")


def test_every_text_is_a_sentence_and_missing_keys_are_named() -> None:
    assert all(isinstance(v, str) and v.strip() for v in texts().values())
    with pytest.raises(ConnectDataError, match="no text 'nope'"):
        text("nope")


def test_share_states_and_dates() -> None:
    assert share_state(ends=TODAY, withdrawn=False, today=TODAY) is ShareState.ACTIVE
    assert share_state(ends=TODAY, withdrawn=False, today=TODAY + timedelta(days=1)) is (
        ShareState.EXPIRED
    )
    assert share_state(ends=TODAY, withdrawn=True, today=TODAY) is ShareState.WITHDRAWN
    assert (
        share_problems(
            covers_from=TODAY - timedelta(days=6), ends=TODAY + timedelta(days=7), today=TODAY
        )
        == {}
    )
    problems = share_problems(
        covers_from=TODAY + timedelta(days=1), ends=TODAY - timedelta(days=1), today=TODAY
    )
    assert set(problems) == {"covers_from", "ends"}
    assert shared_days(
        covers_from=TODAY - timedelta(days=6), ends=TODAY + timedelta(days=7), today=TODAY
    ) == (TODAY - timedelta(days=6), TODAY)


def test_circle_consent_review_and_withdrawal() -> None:
    recorded = datetime(2026, 1, 1, tzinfo=UTC)
    consent = CircleConsent(recorded_at=recorded, review_days=30)
    assert consent.state(recorded + timedelta(days=29)) is ConsentState.CURRENT
    assert consent.state(recorded + timedelta(days=31)) is ConsentState.REVIEW_DUE
    assert not consent.members_may_see(recorded + timedelta(days=31))
    withdrawn = CircleConsent(recorded_at=recorded, review_days=30, withdrawn_at=recorded)
    assert withdrawn.state(recorded) is ConsentState.WITHDRAWN


@pytest.mark.parametrize(
    "value",
    [
        "Disclosed abuse at home visit",
        "Tom, 8, at Park Road Primary",
        "Jade 14 Oakfield School",
        "concerns about neglect",
        "lives with her nan",
        "<b>bold</b>",
        "two\nlines",
        "one two three four five six seven eight nine ten",
    ],
)
def test_case_notes_never_fit_a_contact_field(value: str) -> None:
    for name in ("role", "agency", "contact", "relationship"):
        assert field_problem(name, value) is not None, (name, value)


def test_contact_cards_pass() -> None:
    for name, value in [
        ("role", "Social worker"),
        ("agency", "Northtown Council"),
        ("contact", "07700 900123"),
        ("contact", "sam@northtown.example"),
        ("relationship", "Aunt"),
        ("name", "Sam Lee"),
    ]:
        assert field_problem(name, value) is None, (name, value)
    assert member_fields(MemberKind.PRACTITIONER) == ("name", "role", "agency", "contact")
    assert all(rule.max_chars <= 100 for rule in FIELDS.values())


def test_chat_phases_threading_and_moderation() -> None:
    start = datetime(2026, 3, 10, 19, tzinfo=UTC)
    assert chats.phase(start, 60, start - timedelta(minutes=1)) is chats.Phase.SCHEDULED
    assert chats.phase(start, 60, start) is chats.Phase.LIVE
    assert chats.phase(start, 60, start + timedelta(minutes=60)) is chats.Phase.ARCHIVED
    assert chats.phase(start, 60, start, ended=True) is chats.Phase.ARCHIVED
    assert chats.answer_label(3) == "A3" and chats.question_label(3) == "Q3"
    assert chats.first_state(chats.Moderation.POST, held=False) is chats.PostState.PUBLISHED
    assert chats.first_state(chats.Moderation.POST, held=True) is chats.PostState.PENDING
    assert chats.first_state(chats.Moderation.PRE, held=False) is chats.PostState.PENDING
    assert not chats.can_move(chats.PostState.REJECTED, chats.PostState.PUBLISHED)
    assert chats.can_move(chats.PostState.HIDDEN, chats.PostState.PUBLISHED)
    questions, problem = chats.parse_questions("One?\n\nTwo?\n")
    assert questions == ["One?", "Two?"] and problem is None
    assert chats.parse_questions("\n".join("q" for _ in range(11)))[1]
    assert chats.post_problem("x" * 501) and chats.post_problem("  ")
    summary = chats.summarise(["a", "b"], [(1, "x"), (1, "y"), (2, "x")], 1)
    assert (summary.participants, summary.answers) == (2, 3)
    assert [q.answers for q in summary.questions] == [2, 1]


def test_screen_holds_identifying_posts_and_finds_detail_requests() -> None:
    held = screen("Our social worker visited Jade, 14, at Oakfield School")
    assert held.holds and held.concerns[0].category == "confidentiality"
    assert held.safer is None or "Jade" not in held.safer
    assert not screen("Peer support groups helped me most").holds
    assert asks_for_details("What is the address of the family on your caseload?")
    assert asks_for_details("Where does the boy in foster care live?")
    assert not asks_for_details("How can I support my son who hears voices?")
    assert has_markup("<script>alert(1)</script>") and not has_markup("3 < 4 and 5 > 2")
    assert case_note_cue("Visited on Monday") == "Visited"


def test_field_key_file_is_private_and_rotation_works(tmp_path: Path) -> None:
    key = key_from_file(tmp_path)
    assert stat.S_IMODE(os.stat(tmp_path / "field_key").st_mode) == 0o600
    assert key_from_file(tmp_path) == key
    token = cipher("", tmp_path).encrypt(b"note")
    new = Fernet.generate_key().decode()
    rotated = cipher(f"{new},{key.decode()}", tmp_path)
    assert rotated.decrypt(token) == b"note"
    with pytest.raises(FieldKeyError, match="KALEIDOSCOPE_FIELD_KEY"):
        cipher("not-a-key", tmp_path)
