"""Story-format constructs that Kaleidoscope keeps as text but does not run.

Harlowe, SugarCube, Chapbook and Snowman each add logic to passages: conditionals,
variables, back links, inserts. A scenario has none of these, so import keeps the text
exactly as written and warns (T140) once per kind of construct in a passage, at its
first line; a link inside a conditional becomes a choice that is always offered, which
gets its own warning (T144) naming the link. docs/twine.md lists what each becomes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kaleidoscope.learn.twine.story import Link


@dataclass(frozen=True, slots=True)
class Construct:
    offset: int  # in the text that was searched
    what: str  # e.g. "a Chapbook conditional ([if ...])"


_KINDS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Harlowe 3
    (
        re.compile(r"\((?:if|else-?if|unless|else|cond|either|show|hidden):", re.I),
        "a Harlowe conditional (if:)",
    ),
    (re.compile(r"\((?:set|put|move|unpack):", re.I), "a Harlowe variable (set:)"),
    (
        re.compile(r"\((?:link-undo|undo|history|visited):", re.I),
        "a Harlowe back link (link-undo:)",
    ),
    (
        re.compile(r"\((?:go-?to|link-?goto|link-reveal-goto|redirect|click-goto):", re.I),
        "a Harlowe link made by a macro (go-to:)",
    ),
    (re.compile(r"\([A-Za-z][\w-]*:"), "a Harlowe macro"),
    # SugarCube 2
    (re.compile(r"<<\s*(?:if|elseif|else|switch|case)\b", re.I), "a SugarCube conditional <<if>>"),
    (re.compile(r"<<\s*(?:set|unset|run|script|capture)\b", re.I), "a SugarCube variable <<set>>"),
    (re.compile(r"<<\s*(?:back|return)\b", re.I), "a SugarCube back link <<back>>"),
    (
        re.compile(r"<<\s*(?:goto|link|button|actions|choice|include)\b", re.I),
        "a SugarCube link made by a macro <<link>>",
    ),
    (re.compile(r"<<\s*[A-Za-z]"), "a SugarCube macro"),
    # Chapbook 2 (modifiers sit alone on a line in single brackets)
    (
        re.compile(r"^\[(?:if|else|unless|after)\b[^\[\]\n]*\]\s*$", re.I | re.M),
        "a Chapbook conditional ([if ...])",
    ),
    (
        re.compile(r"\{\s*(?:back link|undo link|restart link)\b[^{}\n]*\}", re.I),
        "a Chapbook back link ({back link})",
    ),
    (
        re.compile(
            r"\{\s*(?:link to|reveal link|cycling link|dropdown menu|text input|"
            r"embed passage|embed [a-z]+)\b[^{}\n]*\}",
            re.I,
        ),
        "a Chapbook insert ({link to ...})",
    ),
    (
        re.compile(r"^\[(?!\[|continue\]|cont'?d?\])[A-Za-z][^\[\]\n]*\]\s*$", re.M | re.I),
        "a Chapbook modifier ([...])",
    ),
    (re.compile(r"\{[A-Za-z_][\w.]*\}"), "a Chapbook variable insert ({name})"),
    # Snowman 2
    (re.compile(r"<%[-=]?\s*(?:if|else|\}\s*else)\b"), "a Snowman conditional <% if %>"),
    (re.compile(r"<%"), "a Snowman template <% %>"),
    # Variables in any format
    (re.compile(r"(?<![\w$])\$[A-Za-z_]\w*"), "a story variable ($name)"),
)
_CHAPBOOK_VARS_END = re.compile(r"^--\s*$", re.M)
_CHAPBOOK_VAR_LINE = re.compile(r"^[A-Za-z_][\w.]*\s*(?:\([^\n]*\))?\s*:")


def chapbook_vars(text: str) -> int | None:
    """Offset of a Chapbook vars section (``name: value`` lines, then ``--``), if any."""
    end = _CHAPBOOK_VARS_END.search(text)
    if end is None:
        return None
    lines = [line for line in text[: end.start()].split("\n") if line.strip()]
    if lines and all(_CHAPBOOK_VAR_LINE.match(line) for line in lines):
        return 0
    return None


def constructs(text: str) -> list[Construct]:
    """The first of each kind of story-format construct in ``text``, in text order.

    A construct matched by a specific kind is not reported again by a general one.
    """
    found: list[Construct] = []
    covered: set[int] = set()
    start = chapbook_vars(text)
    if start is not None:
        found.append(Construct(start, "a Chapbook vars section (variables, ending '--')"))
    for pattern, what in _KINDS:
        for match in pattern.finditer(text):
            if match.start() in covered:
                continue
            covered.add(match.start())
            if not any(c.what == what for c in found):
                found.append(Construct(match.start(), what))
    if len(found) > 1:  # '$x' inside '(set: $x to 1)' is the same problem, told once
        found = [c for c in found if not c.what.startswith("a story variable")]
    return sorted(found, key=lambda c: c.offset)


_HARLOWE_IF = re.compile(r"\((?:if|else-?if|unless|else):", re.I)
_SUGAR_IF = re.compile(r"<<\s*(?:if|elseif|else)\b[^>]*>>", re.I)
_SUGAR_END = re.compile(r"<<\s*/if\s*>>", re.I)
_CHAPBOOK_IF = re.compile(r"^\[(?:if|else|unless|after)\b[^\[\]\n]*\]\s*$", re.I | re.M)
_CHAPBOOK_END = re.compile(r"^\[(?:continue|cont'?d?|[A-Za-z][^\[\]\n]*)\]\s*$", re.I | re.M)
_SNOWMAN_IF = re.compile(r"<%[-=]?\s*(?:if|else|\}\s*else)\b[^%]*%>")
_SNOWMAN_END = re.compile(r"<%\s*\}\s*%>")


def _harlowe_spans(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for match in _HARLOWE_IF.finditer(text):
        depth, i = 1, match.end()
        while i < len(text) and depth:  # the macro's closing parenthesis
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        while i < len(text) and text[i] in " \t":
            i += 1
        if i < len(text) and text[i] == "[":
            depth, j = 0, i
            while j < len(text):
                depth += {"[": 1, "]": -1}.get(text[j], 0)
                j += 1
                if depth == 0:
                    break
            spans.append((i, j, match.group(0) + ")"))
    return spans


def _block_spans(
    text: str, opener: re.Pattern[str], closer: re.Pattern[str], name: str
) -> list[tuple[int, int, str]]:
    spans = []
    for match in opener.finditer(text):
        end = closer.search(text, match.end())
        spans.append((match.end(), end.start() if end else len(text), name))
    return spans


def conditional_links(text: str, links: list[Link]) -> list[tuple[Link, str]]:
    """Links that sit inside a conditional, each with the conditional's name."""
    spans = (
        _harlowe_spans(text)
        + _block_spans(text, _SUGAR_IF, _SUGAR_END, "<<if>>")
        + _block_spans(text, _CHAPBOOK_IF, _CHAPBOOK_END, "[if]")
        + _block_spans(text, _SNOWMAN_IF, _SNOWMAN_END, "<% if %>")
    )
    found = []
    for link in links:
        for start, end, name in spans:
            if start <= link.start < end:
                found.append((link, name))
                break
    return found
