"""The checker's shortcuts for speed find what the plain way finds (issue 13).

Each test names a case a shortcut could get wrong: white space before a place, a capital
glued to "@" or "#", word pairs for whom a post is about.
"""

from __future__ import annotations

from kaleidoscope.check.entities import about, find_entities
from kaleidoscope.check.model import Model, load_model, token_spans, tokens
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


def _plain_word_weights(
    model: Model, spans: list[tuple[str, int, int]], category: str, care: bool
) -> list[tuple[float, int, int]]:
    c = model.categories.index(category)
    out = []
    for i, (word, s, e) in enumerate(spans):
        w = model.weight("w:" + word, category)
        if care:
            w += model.weight("s:" + word, category)
        if i + 1 < len(spans):
            nxt, _, e2 = spans[i + 1]
            row = model.table.get(f"b:{word} {nxt}")
            if row is not None and row[c] > w:
                w, e = row[c], e2
        out.append((w, s, e))
    return out


def test_word_weights_as_a_plain_loop_over_the_feature_table() -> None:
    model = load_model()
    texts = [
        "Lovely visit with the family today, the kids were so happy 😊",
        "Manager cancelled supervision AGAIN. Third time this month. Fuming.",
        "Pint or three after court, absolutely battered tomorrow on duty lol",
        "",
    ]
    for text in texts:
        spans = token_spans(text.lower())
        for category in model.categories:
            for care in (False, True):
                assert model.word_weights(spans, category, care) == _plain_word_weights(
                    model, spans, category, care
                )
