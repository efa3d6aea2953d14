"""A Twine story as Twine sees it: named passages with tags, text and a place on the map.

Both file forms (Twee 3 text and Twine 2 HTML) read into and write from these shapes;
:mod:`~kaleidoscope.learn.twine.importer` and :mod:`~kaleidoscope.learn.twine.exporter`
turn them into scenarios and back. Link parsing follows Twine's own rules so that what
we call a link is what Twine draws as an arrow.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from kaleidoscope.diagnostics import Diagnostic
from kaleidoscope.learn.source import MAX_FILE_BYTES, too_large_message

MAX_TWINE_BYTES = MAX_FILE_BYTES  # one limit for every story file (learn/source.py)
DEFAULT_SIZE = "100,100"


@dataclass
class TwinePassage:
    name: str
    text: str = ""
    tags: list[str] = field(default_factory=list)
    position: str | None = None
    size: str | None = None
    line: int = 0  # where the passage starts in its file (0: not from a file)
    text_line: int = 0  # where its text starts

    def line_of(self, offset: int) -> int:
        """The file line of character ``offset`` in the passage text."""
        start = self.text_line or self.line
        return start + self.text.count("\n", 0, offset) if start else 0


@dataclass
class TwineStory:
    name: str = ""
    ifid: str = ""
    format: str = ""
    format_version: str = ""
    start: str | None = None  # a passage name
    zoom: float | None = None
    tag_colors: dict[str, str] = field(default_factory=dict)
    creator: str = ""
    creator_version: str = ""
    passages: list[TwinePassage] = field(default_factory=list)
    line: int = 0

    def passage(self, name: str) -> TwinePassage | None:
        return next((p for p in self.passages if p.name == name), None)


@dataclass(frozen=True, slots=True)
class Link:
    """One ``[[...]]`` link: what the reader sees and the passage it goes to."""

    text: str
    target: str
    start: int  # offsets of the whole ``[[...]]`` in the passage text
    end: int
    external: bool

    @property
    def is_internal(self) -> bool:
        return not self.external


_LINK = re.compile(r"\[\[(.+?)\]\]")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


def parse_link_inner(inner: str) -> tuple[str, str]:
    """(text, target) of the part between ``[[`` and ``]]``, setter dropped."""
    setter = inner.find("][")
    if setter >= 0:
        inner = inner[:setter]
    if "->" in inner:
        cut = inner.rfind("->")
        text, target = inner[:cut], inner[cut + 2 :]
    elif "<-" in inner:
        cut = inner.find("<-")
        target, text = inner[:cut], inner[cut + 2 :]
    elif "|" in inner:
        cut = inner.rfind("|")
        text, target = inner[:cut], inner[cut + 1 :]
    else:
        text = target = inner
    return text.strip(), target.strip()


def find_links(text: str) -> list[Link]:
    """Every link in ``text``, in order, external ones marked."""
    links = []
    for match in _LINK.finditer(text):
        label, target = parse_link_inner(match.group(1))
        links.append(Link(label, target, match.start(), match.end(), bool(_SCHEME.match(target))))
    return links


def link_markup(text: str, target: str) -> str:
    """The simplest ``[[...]]`` that Twine reads back as (text, target)."""
    return f"[[{target}]]" if text == target else f"[[{text}->{target}]]"


def link_safe(text: str) -> bool:
    """Whether ``text`` can be a link's text or target and read back unchanged."""
    return (
        bool(text)
        and text == text.strip()
        and not any(bad in text for bad in ("[", "]", "\n", "->", "<-", "|"))
    )


_IFID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$")


def valid_ifid(ifid: str) -> bool:
    """Twine's rule: an upper-case version 4 UUID."""
    return bool(_IFID.match(ifid))


def ifid_for(seed: str) -> str:
    """A stable IFID for a scenario that never had one (same id, same IFID)."""
    digest = uuid.uuid5(uuid.NAMESPACE_URL, "kaleidoscope:" + seed).bytes
    return str(uuid.UUID(bytes=digest, version=4)).upper()


class TwineInputError(Exception):
    """A file that cannot be used at all (exit status 2)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


def _too_large(display: str, size: int, max_bytes: int) -> TwineInputError:
    return TwineInputError(
        Diagnostic(
            display,
            0,
            0,
            "T102",
            too_large_message(size, max_bytes) + "; it is refused before it is read",
        )
    )


def read_twine_text(path: Path, display: str, *, max_bytes: int = MAX_TWINE_BYTES) -> str:
    """The file's text; TwineInputError if unreadable, too large or not UTF-8."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise TwineInputError(Diagnostic(display, 0, 0, "T101", "not a file"))
        if size > max_bytes:
            raise _too_large(display, size, max_bytes)
        raw = path.read_bytes()
    except OSError as exc:
        raise TwineInputError(
            Diagnostic(display, 0, 0, "T101", f"cannot read file: {exc.strerror}")
        ) from None
    return decode_twine(raw, display, max_bytes=max_bytes)


def decode_twine(raw: bytes, display: str, *, max_bytes: int = MAX_TWINE_BYTES) -> str:
    """Uploaded bytes as text; TwineInputError if too large or not UTF-8."""
    if len(raw) > max_bytes:
        raise _too_large(display, len(raw), max_bytes)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise TwineInputError(
            Diagnostic(
                display,
                line,
                0,
                "T101",
                f"file is not UTF-8 (byte 0x{raw[exc.start]:02x} cannot be decoded)",
            )
        ) from None
    return text.removeprefix("\ufeff")
