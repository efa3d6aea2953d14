"""Tokenising for the checker: lowercasing with offsets kept, where words start.

Shared by the rules (``checker.py``), the identifiers (``entities.py``) and the learned
model (``model.py``), so that every layer reads the same offsets.
"""

from __future__ import annotations

import re

__all__ = [
    "capital_starts", "is_word", "lowercase", "non_ascii", "word_spans", "word_starts", "words",
]

# Words (ASCII letters and digits) and single characters outside ASCII (emoji, symbols).
TOKEN = re.compile(r"[a-z0-9]+|[^\x00-\x7f\w]")
# Every digit reads as "0": "14" and "15" are both a two-digit number ("00").
ZEROS = str.maketrans("123456789", "000000000")
# For ASCII text, byte for byte: [a-z0-9] kept (digits as "0"), every other character a
# space, so that splitting gives exactly what TOKEN finds (a character outside ASCII,
# encoded as "?", is a space too).
_KEPT = "abcdefghijklmnopqrstuvwxyz0123456789"
_ASCII_WORDS = bytes(
    ord(chr(c).translate(ZEROS)) if chr(c) in _KEPT else ord(" ") for c in range(128)
) + b" " * 128


def _ascii_words(text: str) -> str:
    """``text`` with every character that is not a token character as a space."""
    return text.encode("ascii", "replace").translate(_ASCII_WORDS).decode("ascii")


# The last text tokenised and its tokens: one check asks for the same post's tokens up to
# three times (the model, then whom the post is about). Replaced whole, so safe from
# threads; each caller gets its own list.
_LAST: list[tuple[str, list[str]]] = [("", [])]


def words(lower: str) -> list[str]:
    """The tokens of a lowercased text: runs of ASCII letters and digits, and each
    character outside ASCII that is not a word character (emoji, symbols), every digit
    read as "0" ("14" -> "00"). The same as ``TOKEN.findall(lower.translate(ZEROS))``,
    with a faster path for ASCII text (most posts)."""
    last = _LAST[0]
    if last[0] is lower:
        return list(last[1])
    found = _words(lower)
    _LAST[0] = (lower, found)
    return list(found)


def _words(lower: str) -> list[str]:
    if lower.isascii():
        return _ascii_words(lower).split()
    # the characters outside ASCII one by one: a word character ("é") separates like a
    # space, any other ("😂") is a token of its own
    spaced = _ascii_words(lower)
    parts = []
    last = 0
    for at in non_ascii(lower):
        ch = lower[at]
        if ch.isspace():  # a token, but str.split would drop it ("\u3000")
            return TOKEN.findall(lower.translate(ZEROS))
        parts.append(spaced[last:at])
        parts.append(" " if ch.isalnum() or ch == "_" else " " + ch + " ")
        last = at + 1
    parts.append(spaced[last:])
    return "".join(parts).split()


def word_spans(lower: str) -> list[tuple[str, int, int]]:
    """Each token of `words` with its offsets (start, end) in ``lower``."""
    if not lower.isascii():
        return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(lower.translate(ZEROS))]
    out = []
    at = 0
    for piece in _ascii_words(lower).split(" "):
        if piece:
            out.append((piece, at, at + len(piece)))
            at += len(piece) + 1
        else:
            at += 1
    return out


def is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def lowercase(text: str) -> str:
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    # A few characters grow when lowercased ("İ"); keep offsets aligned with the original.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


# ASCII text mapped byte for byte: "A" a capital or digit, "a" another word character or
# an apostrophe, " " anything else; a word that can start a name or place is " A".
_CASE_BYTES = bytes(
    ord("A") if chr(c).isupper() or chr(c).isdigit()
    else ord("a") if chr(c).isalnum() or chr(c) in "_'"
    else ord(" ")
    for c in range(128)
) + b" " * 128

# The same for `capital_starts`: only a capital letter can start, and a word glued to a
# digit, "@" or "#" ("@Bob", "#Leeds") is inside a word.
_CAPITAL_BYTES = bytes(
    ord("A") if chr(c).isupper()
    else ord("a") if chr(c).isalnum() or chr(c) in "_'@#"
    else ord(" ")
    for c in range(128)
) + b" " * 128


def non_ascii(text: str) -> list[int]:
    """Where the characters outside ASCII are (emoji, accents, curly quotes)."""
    if text.isascii():
        return []
    raw = text.encode("ascii", "replace")  # one "?" for each such character
    out = []
    at = raw.find(b"?")
    while at >= 0:
        if text[at] != "?":
            out.append(at)
        at = raw.find(b"?", at + 1)
    return out


def word_starts(text: str, skip: frozenset[str], wide: list[int]) -> list[int]:
    """Where words starting with a capital or a digit start (not inside a word, not after
    an apostrophe), except the words in ``skip``; ``wide``: see `non_ascii`."""
    if wide:
        mapped = text.encode("ascii", "replace").translate(_CASE_BYTES)
        changed = bytearray(mapped)
        for at in wide:
            ch = text[at]
            if ch.isalnum() or ch == "’":
                changed[at] = 97  # "a": part of a word
        mapped = bytes(changed)
    else:
        mapped = text.encode("ascii").translate(_CASE_BYTES)
    found = [0] if mapped[:1] == b"A" else []
    at = mapped.find(b" A")
    while at >= 0:
        found.append(at + 1)
        at = mapped.find(b" A", at + 2)
    starts = []
    for i in found:
        end = mapped.find(b" ", i)
        if (text[i:end] if end >= 0 else text[i:]) not in skip:
            starts.append(i)
    return starts




def _mapped(text: str, table: bytes, wide: list[int]) -> bytes:
    if not wide:
        return text.encode("ascii").translate(table)
    changed = bytearray(text.encode("ascii", "replace").translate(table))
    for at in wide:
        ch = text[at]
        if ch.isalnum() or ch == "’":
            changed[at] = 97  # "a": part of a word
    return bytes(changed)


def capital_starts(text: str, wide: list[int]) -> list[int]:
    """Where words starting with an ASCII capital start, not inside a word nor after an
    apostrophe, "@", "#" or "_" (as `word_starts` with no skip, keeping only the capitals
    that follow none of those)."""
    mapped = _mapped(text, _CAPITAL_BYTES, wide)
    found = [0] if mapped[:1] == b"A" else []
    at = mapped.find(b" A")
    while at >= 0:
        found.append(at + 1)
        at = mapped.find(b" A", at + 2)
    return found
