"""The checker's rule data: lexicons, patterns and wording, loaded once per process.

Everything the checker knows lives in the YAML files beside this module. This loader
compiles them: every lexicon phrase goes into one Aho-Corasick automaton (one pass over a
lowercased copy of the post finds all of them), every pattern into a compiled regex.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from importlib import resources
from typing import Any

import ahocorasick  # type: ignore[import-not-found]
import yaml

# cased_scan patterns that can only match when a t_school/t_street/t_setting/t_estate
# trigger is present; without one, the cheaper people-only scan runs.
PLACE_PATTERNS = frozenset(
    {"house_address", "_named_place", "school_ga", "estate_on", "_saint_place", "_prison"}
)
PLACE_TRIGGERS = ("t_school", "t_street", "t_setting", "t_estate")
# Concepts matched anywhere, without word boundaries.
UNBOUNDED = frozenset({"t_digit"})


# Names the checker looks up; the loader refuses rule files that lack any of them.
REQUIRED = {
    "lower_window": (
        "face", "group_generalisation", "group_stereotype", "media_tag", "meta_quote",
        "negation_after", "negation_before", "person_pronoun", "self_insult", "stereotype",
        "third_person_before",
    ),
    "cased_match": ("su_name", "town"),
    "digit_scan": ("age", "age_person", "age_comma", "case_number", "house_number", "time"),
    "cased_scan": ("title_name", "family_name", "family_plural", "possessive_name", "initials"),
}


class RulesError(ValueError):
    """The bundled rule data is malformed (a packaging bug, not user input)."""


@dataclass(frozen=True, slots=True)
class Rules:
    automaton: Any  # ahocorasick.Automaton, see _build_automaton
    digit_scan: re.Pattern[str]  # every `digit_scan` pattern as one named alternative
    cased_scan: re.Pattern[str]
    cased_scan_people: re.Pattern[str]  # the same without place patterns (no place triggers)
    expand_before: dict[str, re.Pattern[str]]
    expand_width: dict[str, int]  # the longest text each expand_before pattern can match
    town_before: tuple[str, ...]
    window: dict[str, re.Pattern[str]]
    cased: dict[str, re.Pattern[str]]
    initials_verbs: frozenset[str]
    acronyms: frozenset[str]
    big_places: frozenset[str]
    not_places: frozenset[str]
    org_suffixes: frozenset[str]
    not_town_words: frozenset[str]  # not_places + org_suffixes + big_places
    given_names: frozenset[str]
    not_starts: frozenset[str]
    name_blockers: frozenset[str]
    su_name_cues: frozenset[str]
    school_before: tuple[str, ...]
    guidance: dict[str, list[str]]
    labels: dict[str, str]
    rewrite: dict[str, str]
    age_word_rewrite: dict[str, str]
    keep_conditions: frozenset[str]
    why: dict[str, str]
    amplifiers: dict[str, str]
    concepts: frozenset[str]
    model_severity: dict[str, str]


def _read(name: str) -> Any:
    text = resources.files(__package__).joinpath(name).read_text("utf-8")
    return yaml.safe_load(text)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _expand_combos(lexicon: dict[str, Any]) -> dict[str, list[str]]:
    """The lexicon with its `combos` section spelled out as ordinary phrase lists."""
    out: dict[str, list[str]] = {
        k: v for k, v in lexicon.items() if k not in ("combos", "plurals")
    }
    for concept in lexicon.get("plurals") or ():
        if concept not in out:
            raise RulesError(f"lexicon.yaml: plurals names unknown concept {concept!r}")
        phrases = [str(p) for p in out[concept]]
        out[concept] = phrases + [
            p + "s" for p in phrases if len(p) > 3 and p[-1].isalpha() and p[-1] != "s"
        ]
    for concept, parts in (lexicon.get("combos") or {}).items():
        try:
            firsts, middles, seconds = parts["first"], parts["middle"], parts["second"]
        except (KeyError, TypeError):
            message = f"lexicon.yaml: combos.{concept} needs first, middle and second"
            raise RulesError(message) from None
        phrases = out.setdefault(concept, [])
        for first in firsts:
            for middle in middles:
                for second in seconds:
                    phrases.append(" ".join(w for w in (str(first), str(middle), str(second)) if w))
    return out


def _build_automaton(lexicon: dict[str, list[str]]) -> Any:
    """One automaton for every phrase: key -> (length, check_left, check_right, exact, prefix).

    `exact` are the concepts that need a word boundary after the phrase, `prefix` those
    listed with a trailing `*` (the match runs on to the end of the word).
    """
    entries: dict[str, tuple[set[str], set[str]]] = {}
    for concept, items in lexicon.items():
        if not isinstance(items, list):
            raise RulesError(f"lexicon.yaml: concept {concept!r} is not a list")
        for item in items:
            phrase = str(item).strip().lower()
            if not phrase or phrase == "*":
                raise RulesError(f"lexicon.yaml: empty phrase in {concept!r}")
            prefix = phrase.endswith("*")
            key = phrase[:-1] if prefix else phrase
            exact, prefixed = entries.setdefault(key, (set(), set()))
            (prefixed if prefix else exact).add(concept)
    automaton = ahocorasick.Automaton()
    for key, (exact, prefixed) in entries.items():
        # Check a boundary only where the phrase itself starts or ends with a word character.
        left, right = _is_word_char(key[0]), _is_word_char(key[-1])
        if exact <= UNBOUNDED and not prefixed:
            left = right = False  # "t_digit": every digit, inside words too
        automaton.add_word(
            key, (len(key), left, right, tuple(sorted(exact)), tuple(sorted(prefixed)))
        )
    automaton.make_automaton()
    return automaton


def _compile(section: dict[str, str], flags: int, where: str) -> dict[str, re.Pattern[str]]:
    compiled: dict[str, re.Pattern[str]] = {}
    for name, pattern in section.items():
        try:
            compiled[name] = re.compile(pattern, flags | re.VERBOSE)
        except re.error as exc:
            raise RulesError(f"patterns.yaml: {where}.{name}: {exc}") from None
    return compiled


def _max_width(pattern: re.Pattern[str]) -> int:
    """The longest text a pattern can match (capped at the 24 characters ever looked at)."""
    from re import _parser  # type: ignore[attr-defined]

    return min(24, int(_parser.parse(pattern.pattern, pattern.flags).getwidth()[1]))


def _combine(section: dict[str, str], where: str) -> re.Pattern[str]:
    _compile(section, 0, where)  # name the faulty pattern, if any
    joined = "|".join(
        f"(?:{pattern})" if name.startswith("_") else f"(?P<{name}>{pattern})"
        for name, pattern in section.items()
    )
    return re.compile(joined, re.VERBOSE)


def _load() -> Rules:
    lexicon = _expand_combos(_read("lexicon.yaml"))
    patterns = _read("patterns.yaml")
    categories = _read("categories.yaml")
    for section, names in REQUIRED.items():
        missing = [n for n in names if n not in (patterns.get(section) or {})]
        if missing:
            raise RulesError(f"patterns.yaml: {section} lacks {', '.join(missing)}")
    return Rules(
        automaton=_build_automaton(lexicon),
        digit_scan=_combine(patterns["digit_scan"], "digit_scan"),
        cased_scan=_combine(patterns["cased_scan"], "cased_scan"),
        cased_scan_people=_combine(
            {k: v for k, v in patterns["cased_scan"].items() if k not in PLACE_PATTERNS},
            "cased_scan",
        ),
        expand_before=(expand := _compile(patterns["expand_before"], 0, "expand_before")),
        expand_width={k: _max_width(v) for k, v in expand.items()},
        town_before=tuple(" " + str(p) for p in patterns["town_before"]),
        window=_compile(patterns["lower_window"], 0, "lower_window"),
        cased=_compile(patterns["cased_match"], 0, "cased_match"),
        initials_verbs=frozenset(str(w) for w in patterns["initials_verbs"]),
        acronyms=frozenset(str(w) for w in patterns["acronyms"]),
        big_places=frozenset(str(w) for w in patterns["big_places"]),
        not_places=frozenset(str(w) for w in patterns["not_places"]),
        org_suffixes=frozenset(str(w) for w in patterns["org_suffixes"]),
        not_town_words=frozenset(
            str(w)
            for key in ("not_places", "org_suffixes", "big_places")
            for w in patterns[key]
        ),
        not_starts=frozenset(str(w) for w in patterns["not_starts"]),
        name_blockers=frozenset(str(w) for w in patterns["name_blockers"]),
        su_name_cues=frozenset(str(w) for w in patterns["su_name_cues"]),
        school_before=tuple(" " + str(w) + " " for w in patterns["school_before"]),
        given_names=frozenset(str(w).capitalize() for w in lexicon["given_name"]),
        guidance={str(k): [str(x) for x in v] for k, v in categories["guidance"].items()},
        labels={str(k): str(v) for k, v in categories["identifier_labels"].items()},
        rewrite={str(k): str(v) for k, v in categories["rewrite"].items()},
        age_word_rewrite={
            str(k): str(v) for k, v in categories["age_word_rewrite"].items()
        },
        keep_conditions=frozenset(str(w) for w in categories["keep_conditions"]),
        why={str(k): " ".join(str(v).split()) for k, v in categories["why"].items()},
        amplifiers={str(k): str(v) for k, v in categories["amplifiers"].items()},
        concepts=frozenset(lexicon),
        model_severity={str(k): str(v) for k, v in categories["model_severity"].items()},
    )


_LOCK = threading.Lock()
_RULES: Rules | None = None


def load_rules() -> Rules:
    """The bundled rules, compiled once per process (safe to call from many threads)."""
    global _RULES
    rules = _RULES
    if rules is None:
        with _LOCK:
            if _RULES is None:
                _RULES = _load()
            rules = _RULES
    return rules
