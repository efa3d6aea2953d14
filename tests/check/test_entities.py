"""Identifiers and roles (src/kaleidoscope/check/entities.py).

Every post here is written for these tests (none is copied from the corpus or shared data).
"""

from __future__ import annotations

import pytest

from kaleidoscope.check.entities import about, find_entities
from kaleidoscope.check.model import tokens


def found(text: str, care: bool = True) -> list[tuple[str, str, str]]:
    entities = find_entities(text, text.lower(), care)
    return [(e.kind, text[e.start : e.end], e.role) for e in entities]


def kinds(text: str) -> set[tuple[str, str]]:
    return {(kind, quote) for kind, quote, _ in found(text)}


@pytest.mark.parametrize(
    ("text", "kind", "quote"),
    [
        ("K (14) kicked off at contact again", "initials_age", "K (14)"),
        ("Saw JB, 15 at the unit", "initials_age", "JB, 15"),
        ("Jayden's mum rang the duty line", "possessive", "Jayden's"),
        ("Kacey, 4, and her brother", "name_age", "Kacey, 4"),
        ("Thanks @drjones for the keynote", "handle", "@drjones"),
        ("a 14yo at the door", "age", "14yo"),
        ("she is fourteen", "age", "fourteen"),
        ("aged 9 and scared", "age", "9"),
        ("the boy (15) ran", "age", "(15)"),
        ("he's 15 now", "age", "15"),
        ("a 17-year-old lad", "age", "17-year-old"),
        ("in P6 at Craigmount", "place", "Craigmount"),
        ("at St Anne's Academy", "school", "St Anne's Academy"),
        ("visited HMP Wetherby", "institution", "HMP Wetherby"),
        ("the flat on Wellgate Street", "street", "Wellgate Street"),
        ("on the Larchfield estate", "estate", "Larchfield estate"),
        ("at Costa till 2", "venue", "Costa"),
        ("at Costa till 2", "time", "2"),
        ("every Tuesday after school", "time", "every Tuesday"),
        ("visit at 9am", "time", "9am"),
        ("review on 12th March", "date", "12th March"),
        ("NHS number 123 456 7890", "case_number", "123 456 7890"),
        ("case ref 2023/4471 closed", "case_number", "2023/4471"),
        ("[photo of the kids]", "media", "photo"),
        ("dad's a wheelchair user", "condition", "wheelchair"),
        ("the only girl in her year", "unique", "the only"),
        ("4 kids and a dog", "count", "4 kids"),
    ],
)
def test_identifiers_in_every_spelling(text: str, kind: str, quote: str) -> None:
    assert (kind, quote) in kinds(text), found(text)


@pytest.mark.parametrize(
    ("text", "quote", "role"),
    [
        ("My manager Sue's rota is a joke", "Sue's", "colleague"),
        ("my sister Jo's party was ace", "Jo's", "family"),
        ("Thanks @drjones for the keynote", "@drjones", "public"),
        ("Jayden's mum rang the duty line", "Jayden's", "service_user"),
    ],
)
def test_roles_of_people(text: str, quote: str, role: str) -> None:
    assert any(q == quote and r == role for _, q, r in found(text)), found(text)


def test_a_person_outside_practice_has_no_known_role() -> None:
    assert ("possessive", "Tom's", "unknown") in found("Tom's barbecue was great", care=False)


@pytest.mark.parametrize(
    ("text", "care", "role"),
    [
        ("my dad is in hospital again", False, "family"),
        ("My manager is off again", False, "colleague"),
        ("one of my caseload rang", False, "service_user"),
        ("Great keynote from the minister", False, "public"),
        ("Lovely walk by the canal", False, "author"),
        ("Jayden's mum rang the duty line", True, "service_user"),
    ],
)
def test_whom_the_post_is_about(text: str, care: bool, role: str) -> None:
    lower = text.lower()
    assert about(tokens(lower), find_entities(text, lower, care), care) == role


def test_words_that_look_like_names_are_not() -> None:
    assert not any(kind == "possessive" for kind, _, _ in found("Today's visit went well"))
    assert not any(kind == "possessive" for kind, _, _ in found("Mum's birthday at Christmas"))


def test_spans_are_offsets_into_the_text_with_emoji() -> None:
    text = "🎉 K (14) at Costa 😂 till 2, Jayden's mum"
    for entity in find_entities(text, text.lower(), True):
        assert 0 <= entity.start < entity.end <= len(text)
    assert ("possessive", "Jayden's") in kinds(text)


def test_without_spans_the_kinds_are_the_same() -> None:
    text = "Home visit: 14yo at St Anne's Academy, mum at Costa till 2 every Tuesday"
    lower = text.lower()
    with_spans = sorted(e.kind for e in find_entities(text, lower, True))
    without = sorted(e.kind for e in find_entities(text, lower, True, spans=False))
    assert with_spans == without
