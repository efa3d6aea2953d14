"""The checker's fast tokenising paths give exactly what their plain definitions give."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kaleidoscope.check.tokens import word_spans, words

# The definition the model was trained with: ASCII letters and digits in runs, each other
# character outside ASCII that is not a word character on its own, digits read as "0".
_TOKEN = re.compile(r"[a-z0-9]+|[^\x00-\x7f\w]")
_ZEROS = str.maketrans("123456789", "000000000")


def _plain(lower: str) -> list[str]:
    return _TOKEN.findall(lower.translate(_ZEROS))


_MIXED = st.text(
    alphabet=st.one_of(
        st.characters(max_codepoint=127),
        st.sampled_from("éßİ’…€_😂🍻\u3000\u00a0\u2028١"),
        st.characters(),
    ),
    max_size=40,
)


@settings(max_examples=3000)
@given(_MIXED)
def test_words_as_the_plain_tokens(text: str) -> None:
    assert words(text) == _plain(text)
    assert words(text.lower()) == _plain(text.lower())


def test_words_examples() -> None:
    assert words("k (14) told me i'm 💙 at st anne’s") == [
        "k", "00", "told", "me", "i", "m", "💙", "at", "st", "anne", "’", "s"
    ]
    assert words("café\u3000au lait") == ["caf", "\u3000", "au", "lait"]
    assert words("") == []


@settings(max_examples=2000)
@given(_MIXED)
def test_word_spans_as_the_plain_tokens_with_offsets(text: str) -> None:
    lower = text.lower()
    plain = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(lower.translate(_ZEROS))]
    assert word_spans(lower) == plain
    assert [t for t, _, _ in word_spans(lower)] == words(lower)


def test_each_caller_gets_its_own_list_of_the_same_tokens() -> None:
    lower = "home visit then the pub"
    first = words(lower)
    first.append("extra")  # a caller changing its list changes nobody else's
    assert words(lower) == ["home", "visit", "then", "the", "pub"]
    assert words(lower) is not words(lower)
