"""Identifiers in a post and whom they belong to.

``find_entities`` finds the details a reader could use to recognise someone: names
(possessives too), initials (with ages), @handles, ages in every spelling, schools and
other institutions, streets, estates, named venues, dates and times, case and NHS
numbers, and descriptions of shared media. ``role_of`` decides whom a person detail is
about: a service user, the author, the author's own family, a colleague or a public
figure. ``about`` decides the same for the post as a whole.

These feed the learned model (``model.py``) and explain its findings: which details
combine, and who could put them together. The patterns are data in
``rules/entities.yaml``; this module only compiles and applies them.
"""

from __future__ import annotations

import itertools
import operator
import re
import threading
from dataclasses import dataclass
from importlib import resources
from typing import Any, NamedTuple

import yaml

from kaleidoscope.check.tokens import capital_starts, non_ascii
from kaleidoscope.check.tokens import words as _words

__all__ = [
    "PERSON_KINDS",
    "ROLES",
    "Entity",
    "EntityRules",
    "about",
    "entity_rules",
    "find_entities",
    "find_entities_about",
    "role_of",
]

ROLES = ("service_user", "author", "family", "colleague", "public", "unknown")
# Kinds that point at a person (the others are details about one: age, school, street...).
PERSON_KINDS = frozenset({"name", "possessive", "initials", "initials_age", "handle", "name_age"})


class Entity(NamedTuple):
    kind: str
    start: int
    end: int
    role: str  # one of ROLES ("unknown" for details that are not a person)


@dataclass(frozen=True, slots=True)
class EntityRules:
    cased: re.Pattern[str]  # tried at each capitalised word: names, places, institutions
    cased_no_place: re.Pattern[str]  # the same without `place` (no place word before)
    place_before: frozenset[str]
    place_ends: tuple[str, ...]  # a place word and a space ("from "): what precedes a place
    digits: re.Pattern[str]  # on the lowercased text when it has a digit
    number_after: dict[str, tuple[str, ...]]  # kind -> words before a bare number
    words: dict[str, str]  # single token -> kind
    pairs: dict[str, str]  # "first second" -> kind
    pair_firsts: frozenset[str]
    not_names: frozenset[str]
    role_words: dict[str, re.Pattern[str]]  # role -> words just before a person
    about_words: dict[str, frozenset[str]]  # role -> tokens or "a b" pairs anywhere
    about_firsts: frozenset[str]  # first words of the pairs in about_words
    # The same lists for set operations: single words, and pairs of words as tuples (what
    # is looked up; a phrase of three or more words is never looked up).
    word_set: frozenset[str]
    pair_kinds: dict[tuple[str, str], tuple[str, str]]  # (first, second) -> (kind, phrase)
    pair_set: frozenset[tuple[str, str]]
    about_singles: dict[str, frozenset[str]]
    about_pairs: dict[str, frozenset[tuple[str, str]]]
    about_any_single: frozenset[str]  # every role's single words together
    about_any_pair: frozenset[tuple[str, str]]


class EntityRulesError(ValueError):
    """rules/entities.yaml is malformed (a packaging bug, not user input)."""


def _compile(pattern: str, where: str, flags: int = 0) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags | re.VERBOSE)
    except re.error as exc:
        raise EntityRulesError(f"entities.yaml: {where}: {exc}") from None


def _pair(phrase: str) -> tuple[str, str] | None:
    parts = phrase.split(" ")
    return (parts[0], parts[1]) if len(parts) == 2 else None


def _join(section: dict[str, Any], where: str) -> re.Pattern[str]:
    for name, pattern in section.items():
        _compile(str(pattern), f"{where}.{name}")
    return _compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in section.items()), where)


def _role_words(section: dict[str, Any], where: str) -> dict[str, re.Pattern[str]]:
    out = {}
    for role, words in section.items():
        if role not in ROLES or not isinstance(words, list):
            raise EntityRulesError(f"entities.yaml: {where}.{role}: not a role with a word list")
        alternation = "|".join(re.escape(str(w)).replace(r"\ ", r"\s") for w in words)
        out[str(role)] = _compile(rf"\b(?:{alternation})[\s,]*(?:\w+\s)?$", f"{where}.{role}")
    return out


def _tokens(text: str) -> list[str]:
    """As model.tokens: words and emoji, every digit read as "0"."""
    return re.findall(r"[a-z0-9]+|[^\x00-\x7f\w]", text.translate(_ZEROS))


_ZEROS = str.maketrans("123456789", "000000000")


def _word_kinds(section: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    words: dict[str, str] = {}
    pairs: dict[str, str] = {}
    for kind, items in section.items():
        for item in items:
            phrase = " ".join(_tokens(str(item).lower()))
            (pairs if " " in phrase else words)[phrase] = str(kind)
    return words, pairs


def _load() -> EntityRules:
    text = resources.files("kaleidoscope.check.rules").joinpath("entities.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    try:
        words, pairs = _word_kinds(data["words"])
        about_words = {
            str(role): frozenset(" ".join(_tokens(str(w).lower())) for w in items)
            for role, items in data["about"].items()
        }
        cased: dict[str, Any] = data["cased"]
        place_before = frozenset(str(w) for w in data["place_before"])
        pair_kinds = {
            pair: (kind, phrase) for phrase, kind in pairs.items() if (pair := _pair(phrase))
        }
        about_pairs = {
            role: frozenset(pair for w in ws if (pair := _pair(w)))
            for role, ws in about_words.items()
        }
        return EntityRules(
            cased=_join(cased, "cased"),
            # a place matches any capitalised word: without a place word before it, the
            # pattern without it finds the same (only when place is the last alternative)
            cased_no_place=_join(
                {k: v for k, v in cased.items() if k != "place"}
                if list(cased)[-1:] == ["place"] else cased,
                "cased",
            ),
            place_before=place_before,
            place_ends=tuple(w + " " for w in sorted(place_before)),
            digits=_compile(str(data["digits"]), "digits"),
            number_after={
                str(k): tuple(" " + str(w) + " " for w in v)
                for k, v in data["number_after"].items()
            },
            words=words,
            pairs=pairs,
            pair_firsts=frozenset(p.split(" ")[0] for p in pairs),
            not_names=frozenset(str(w) for w in data["not_names"]),
            role_words=_role_words(data["role_before"], "role_before"),
            about_words=about_words,
            about_firsts=frozenset(
                w.split(" ")[0] for ws in about_words.values() for w in ws if " " in w
            ),
            word_set=frozenset(words),
            pair_kinds=pair_kinds,
            pair_set=frozenset(pair_kinds),
            about_singles={
                role: frozenset(w for w in ws if " " not in w) for role, ws in about_words.items()
            },
            about_pairs=about_pairs,
            about_any_single=frozenset(
                w for ws in about_words.values() for w in ws if " " not in w
            ),
            about_any_pair=frozenset(p for ps in about_pairs.values() for p in ps),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise EntityRulesError(f"entities.yaml: missing or malformed section {exc}") from None


_LOCK = threading.Lock()
_RULES: list[EntityRules] = []


def entity_rules() -> EntityRules:
    if not _RULES:
        with _LOCK:
            if not _RULES:
                _RULES.append(_load())
    return _RULES[0]


def role_of(lower: str, start: int, rules: EntityRules, care: bool) -> str:
    """Whom the person detail at ``start`` is: the words just before it decide ("my
    manager Sue", "my son's", "MP Jess Phillips"); otherwise a service user when the post
    is set in practice, else unknown."""
    before = lower[max(0, start - 28) : start]
    for role in ("family", "colleague", "public", "service_user"):
        if rules.role_words[role].search(before):
            return role
    return "service_user" if care else "unknown"


_DIGIT_RUN = re.compile(r"[0-9]+")
_JOINS = ("/", ":", ".")
_HANDLE = re.compile(r"(?<![\w@])@\w{2,30}")
_ANY_DIGIT = re.compile(r"[0-9]")
_TOKEN = re.compile(r"[a-z0-9]+|[^\x00-\x7f\w]")
_NOWHERE = (-1, -1)


class _Words:
    """A post's tokens as a set, and its pairs of neighbouring tokens (made when first
    needed), shared by the word lists of `find_entities` and `about`."""

    __slots__ = ("_pairs", "present", "words")

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.present = set(words)
        self._pairs: set[tuple[str, str]] | None = None

    def pairs(self) -> set[tuple[str, str]]:
        if self._pairs is None:
            self._pairs = set(itertools.pairwise(self.words))
        return self._pairs


_UNPLACED: dict[str, Entity] = {}  # kind -> Entity(kind, -1, -1, "unknown"), made once


def _unplaced(kind: str) -> Entity:
    found = _UNPLACED.get(kind)
    if found is None:
        found = _UNPLACED[kind] = Entity(kind, -1, -1, "unknown")
    return found


def _word_entities(lower: str, words: _Words, rules: EntityRules, spans: bool) -> list[Entity]:
    """Details found by word lists."""
    out: list[Entity] = []
    kinds = rules.words
    present = words.present
    hits = [(kinds[w], w) for w in present.intersection(rules.word_set)]
    if not rules.pair_firsts.isdisjoint(present):
        pair_kinds = rules.pair_kinds
        hits += [pair_kinds[pair] for pair in words.pairs().intersection(rules.pair_set)]
    if not hits:
        return out
    if not spans:
        return [_unplaced(kind) for kind, _ in hits]
    found = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(lower)]
    for kind, phrase in hits:
        parts = phrase.split(" ")
        for i in range(len(found) - len(parts) + 1):
            if all(found[i + j][0] == part for j, part in enumerate(parts)):
                out.append(Entity(kind, found[i][1], found[i + len(parts) - 1][2], "unknown"))
    return out


def find_entities(
    text: str, lower: str, care: bool, words: list[str] | None = None, spans: bool = True
) -> list[Entity]:
    """Every identifier in the post, in text order, with the role of person details.

    ``words`` are the post's tokens (as ``model.tokens``) when already known; with
    ``spans=False`` details found by word lists carry no offsets (start = end = -1)."""
    return _find(text, lower, care, _Words(_words(lower) if words is None else words), spans)


def find_entities_about(
    text: str, lower: str, care: bool, words: list[str]
) -> tuple[list[Entity], str]:
    """``find_entities(text, lower, care, words, spans=False)`` and `about` of what it
    finds, in one go (the word lists are read once)."""
    sets = _Words(words)
    found = _find(text, lower, care, sets, False)
    return found, _about(sets, found, care)


def _find(text: str, lower: str, care: bool, words: _Words, spans: bool) -> list[Entity]:
    rules = entity_rules()
    out: list[Entity] = []
    not_names = rules.not_names
    cased, cased_no_place, place_ends = rules.cased, rules.cased_no_place, rules.place_ends
    done = 0
    for at in capital_starts(text, non_ascii(text)):
        if at < done:
            continue
        # a place needs one of place_before, then white space ending in a space, before it
        # (tested in full below): without them, the pattern without place finds the same
        if lower.endswith(" ", 0, at) and (
            lower.endswith(place_ends, 0, at) or lower[at - 2 : at - 1].isspace()
        ):
            m = cased.match(text, at)
        else:
            m = cased_no_place.match(text, at)
        if m is None:
            continue
        kind = m.lastgroup or "name"
        s, e = m.span()
        if kind == "place":
            before = lower[max(0, s - 10) : s]
            if not before.endswith(" ") or before.split()[-1:] == [] or (
                before.split()[-1] not in rules.place_before
            ) or text[s:e].split()[0] in not_names:
                continue
        elif kind in ("possessive", "name_age"):
            word = re.split(r"['’, (]", text[s:e], maxsplit=1)[0]
            if word in not_names:
                continue
        role = role_of(lower, s, rules, care) if kind in PERSON_KINDS else "unknown"
        out.append(Entity(kind, s, e, role))
        done = e
    if "@" in text:
        for m in _HANDLE.finditer(text):
            out.append(Entity("handle", m.start(), m.end(), role_of(lower, m.start(), rules, care)))
    if _ANY_DIGIT.search(lower):
        digits = rules.digits
        padded = " " + lower
        done = 0
        for run in _DIGIT_RUN.finditer(lower):
            at, stop = run.span()
            if at < done:
                continue
            m = digits.match(lower, at)
            if m is not None:
                kind = m.lastgroup or "number"
                out.append(Entity("age" if kind == "bracket_age" else kind, *m.span(), "unknown"))
                done = m.end()
                continue
            if at and lower[at - 1] == "(" and lower[stop : stop + 1] == ")" and stop - at <= 2:
                out.append(Entity("age", at - 1, stop + 1, "unknown"))
                continue
            if stop - at > 2 or (at and lower[at - 1] in "/:.") or lower[stop : stop + 1] in _JOINS:
                continue
            for kind, befores in rules.number_after.items():
                if padded.endswith(befores, 0, at + 1):
                    out.append(Entity(kind, at, stop, "unknown"))
                    break
    out += _word_entities(lower, words, rules, spans)
    out.sort(key=_START)
    return out


_START = operator.attrgetter("start")


_ROLE_ORDER = ("service_user", "colleague", "family", "public")


def about(words: list[str], entities: list[Entity], care: bool) -> str:
    """Whom the post is mostly about, from its person details and wording."""
    return _about(None, entities, care, words)


def _about(
    sets: _Words | None, entities: list[Entity], care: bool, words: list[str] | None = None
) -> str:
    roles = [e.role for e in entities if e.kind in PERSON_KINDS and e.role != "unknown"]
    if roles:
        # a service user outweighs the others: that is whom confidentiality protects
        if "service_user" in roles:
            return "service_user"
        return max(sorted(set(roles)), key=roles.count)
    if sets is None:
        assert words is not None
        sets = _Words(words)
    rules = entity_rules()
    # the role words present (few, often none), then which role's list holds them
    single = sets.present.intersection(rules.about_any_single)
    pairs: set[tuple[str, str]] = set()
    if not rules.about_firsts.isdisjoint(sets.present):
        pairs = sets.pairs().intersection(rules.about_any_pair)
    if single or pairs:
        singles, about_pairs = rules.about_singles, rules.about_pairs
        for role in _ROLE_ORDER:
            if not singles[role].isdisjoint(single) or not about_pairs[role].isdisjoint(pairs):
                return role
    return "service_user" if care else "author"
