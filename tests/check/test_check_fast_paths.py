"""The checker's shortcuts for speed find what the plain way finds (issue 13).

Each test names a case a shortcut could get wrong: white space before a place, a capital
glued to "@" or "#", word pairs for whom a post is about.
"""

from __future__ import annotations

from kaleidoscope.check.entities import about, find_entities
from kaleidoscope.check.model import tokens
from kaleidoscope.check.tokens import capital_starts, non_ascii


def kinds(text: str) -> list[tuple[str, str]]:
    lower = text.lower()
    return [(e.kind, text[e.start : e.end]) for e in find_entities(text, lower, True)]


def test_a_place_after_a_place_word_and_any_white_space_ending_in_a_space() -> None:
    assert ("place", "Batley") in kinds("Grew up in Batley, still visit")
    assert ("place", "Batley") in kinds("Grew up in  Batley, still visit")
    assert ("place", "Batley") in kinds("Grew up in\n Batley, still visit")
    assert ("place", "Batley") not in kinds("Grew up in\nBatley, still visit")
    assert ("place", "Batley") not in kinds("Grew up within Batley, still visit")
    assert ("place", "Batley") not in kinds("Batley is lovely")


def test_capitals_glued_to_a_handle_or_tag_start_no_name() -> None:
    text = "@Bobby #Leeds Bobby's o'Neill 2Pac Émile Jo's"
    assert [text[at : at + 3] for at in capital_starts(text, non_ascii(text))] == ["Bob", "Jo'"]
    assert [q for k, q in kinds(text) if k == "possessive"] == ["Bobby's", "Jo's"]


def test_about_reads_word_pairs_and_single_words() -> None:
    def whom(text: str) -> str:
        return about(tokens(text.lower()), [], False)

    assert whom("Long day, strategy meeting then home") == "service_user"
    assert whom("Strategy and a meeting") == "author"
    assert whom("My manager is great") == "colleague"
    assert whom("Out with my dad") == "family"
    assert whom("Off to the conference") == "public"
