"""PDF documents (learning record, group session record) in a font that prints what
people wrote: subsets of DejaVu Sans in ``fonts/`` (Latin with its extensions, so Welsh
ŵ and ŷ, Greek, Cyrillic, punctuation and common symbols; ``tools/subset_fonts.py``).
A character outside them prints as U+FFFD (a question mark in a diamond) rather than
vanishing."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from fpdf import FPDF

FONTS = Path(__file__).with_name("fonts")
FAMILY = "DejaVuSans"
FACES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
MISSING = "\ufffd"


@cache
def _covered() -> frozenset[int]:
    """Code points every face can print."""
    faces = [set(TTFont(FONTS / name)["cmap"].getBestCmap()) for name in FACES.values()]
    return frozenset(set.intersection(*faces))


def printable(value: str) -> str:
    """``value`` with each character the fonts lack replaced by U+FFFD (line breaks kept)."""
    covered = _covered()
    return "".join(c if c == "\n" or ord(c) in covered else MISSING for c in value)


def document(title: str) -> FPDF:
    doc = FPDF(format="A4")
    for style, name in FACES.items():
        doc.add_font(FAMILY, style, str(FONTS / name))
    doc.set_title(printable(title))
    doc.set_author("Kaleidoscope")
    doc.set_auto_page_break(auto=True, margin=15)
    doc.add_page()
    return doc
