"""Every safer version in the corpus is safe and reads as plain English (issue 13, item 5).

The checker runs on every labelled post we may read (data/posts/train, the shared dev set,
tests/fixtures/check); each confidentiality finding's safer version is then:

- re-checked with `check_text`: no confidentiality finding may remain;
- searched for what identified the person: no name, initials or @handle, and none of the
  proper nouns, exact ages, days and times or "only ..." details its label's evidence
  quotes;
- compared with the post for faults the rewrite brought in (a fault already in the post,
  "hun , x", is the writer's own): doubled words and articles, a dangling preposition,
  "a" before a vowel, a number before "young", a lower-case start.

Where no safe version can be made, the finding says so ("No safe version: ...") and the
count of those is kept under a ceiling, so "no safe version" cannot become the easy way out.
data/posts/heldout is sealed and never read here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from kaleidoscope.check.checker import check_text
from kaleidoscope.check.records import Category
from kaleidoscope.check.rewrite import NO_SAFE_VERSION
from kaleidoscope.check.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    *sorted((ROOT / "data" / "posts" / "train").glob("*.jsonl")),
    ROOT.parent / "shared" / "data" / "posts_dev.jsonl",
    *sorted((ROOT / "tests" / "fixtures" / "check").glob("*.jsonl")),
]
# At most this share of findings may end in "no safe version". Measured: about 0.2 with the
# model trained on 11 writers; 0.37 (399 of 1,076) with the one trained on 15, which finds
# more of the risky posts of writers it has not read but also scores many de-identified
# practice stories as still risky, so their re-check refuses them (docs/checker.md, "Safer
# versions"); 0.31 (722 of 2,324) with the one trained on 32 writers, once names and places
# no list knows are taken out (0.32, 743, before). The ceiling stops the share growing
# further unnoticed.
NO_SAFE_CEILING = 0.40


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    rewrite: str | None  # None: "no safe version", or no answer at all (see `answered`)
    evidence: tuple[str, ...]
    answered: bool = True  # the finding offered a safer version or said why not


@cache
def cases() -> tuple[Case, ...]:
    out: list[Case] = []
    messages = set(NO_SAFE_VERSION.values())
    for path in SOURCES:
        if not path.exists():
            continue
        for line in path.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            for finding in check_text(record["text"]).findings:
                if finding.category is not Category.CONFIDENTIALITY:
                    continue
                rewrite = finding.rewrite
                safe = bool(rewrite) and rewrite not in messages
                evidence = tuple((record.get("evidence") or {}).get("confidentiality") or [])
                out.append(
                    Case(
                        record["id"], record["text"], rewrite if safe else None, evidence,
                        answered=bool(rewrite),
                    )
                )
    return tuple(out)


def safe_cases() -> list[Case]:
    return [c for c in cases() if c.rewrite is not None]


def test_the_corpus_is_there_and_gives_findings() -> None:
    assert (ROOT / "data" / "posts" / "train").is_dir()
    assert len(cases()) >= 150, len(cases())
    assert len(safe_cases()) >= 100


def test_every_finding_offers_a_safer_version_or_says_why_not() -> None:
    silent = [c.id for c in cases() if not c.answered]
    assert not silent, f"{len(silent)} confidentiality findings without either: {silent[:20]}"


def test_no_rewrite_keeps_a_confidentiality_finding() -> None:
    failures = []
    for case in safe_cases():
        assert case.rewrite is not None
        again = check_text(case.rewrite).findings
        if any(f.category is Category.CONFIDENTIALITY for f in again):
            failures.append((case.id, case.rewrite))
    assert not failures, failures


def test_no_safe_version_stays_the_exception() -> None:
    answered = [c for c in cases() if c.answered]
    refused = [c.id for c in answered if c.rewrite is None]
    assert len(refused) <= NO_SAFE_CEILING * len(answered), (len(refused), len(answered))


# --- identifiers -------------------------------------------------------------------------


@cache
def common_words() -> frozenset[str]:
    """Words the corpus also writes in lower case: "Court", "Academy" are words, not names."""
    words: set[str] = set()
    for path in SOURCES:
        if path.exists():
            words.update(re.findall(r"(?<![\w'’])[a-z][a-z'’-]+", path.read_text("utf-8")))
    return frozenset(words)


_TOKEN = re.compile(r"@\w+|(?<![\w'’&])[A-Z][\w'’&-]*")
_AGE = re.compile(
    r"\d{1,2}\s?(?:yo|y/o|y\.o|yrs?\b|years?[\s-]old|-year-old)|\(\d{1,2}\)|\baged\s+\d+"
    r"|\b(?:is|was|turned|he's|she's)\s+\d{1,2}\b",
    re.IGNORECASE,
)
_DAY = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b|\b\d{1,2}\s?(?:am|pm)\b",
    re.IGNORECASE,
)
_PLAIN = frozenset({"I", "A", "Mum", "Dad", "Mam", "Nan", "Gran", "Mr", "Mrs", "Ms", "Miss"})
# Capitalised words in evidence that identify no one once the place is gone: chains,
# exams, a group someone belongs to, a word opening a sentence.
_NOT_IDENTIFYING = frozenset(
    {
        "Lidl", "Greggs", "Tesco", "Asda", "Aldi", "Morrisons", "Waffle", "Spoons", "Cert",
        "GCSEs", "Aboriginal", "Indigenous", "Black", "Somali", "Polish", "Lassie",
        "Unannounced", "Santa", "B&B", "Yolŋu", "FaceTimed", "McDonald",
        "Reporter",  # the Children's Reporter (Scotland): a role, not a person's name
    }
)


def identifiers(case: Case) -> set[str]:
    """What identified the person in the post: @handles, given names, initials and the
    proper nouns, ages, days and times, "only ..." details its evidence quotes."""
    rules = load_rules()
    found: set[str] = set(re.findall(r"(?<![\w@])@\w+", case.text))
    for m in re.finditer(r"(?<![\w'’-])([A-Z][a-z]+)(?![\w-])", case.text):
        before = case.text[max(0, m.start() - 20) : m.start()].lower()
        if m.group(1) in rules.given_names and not re.search(
            r"(?:call(?:ed)? me|i['’]m|my name is)\s+['‘]?(?:auntie\s+)?$", before
        ):
            found.add(m.group(1))
    for quote in case.evidence:
        for m in _TOKEN.finditer(quote):
            token = re.sub(r"['’]s$", "", m.group(0))
            if token in _PLAIN or token in _NOT_IDENTIFYING or token.startswith(("I'", "I’")):
                continue
            if token in rules.acronyms or (len(token) >= 3 and token.isupper()):
                continue  # "LAC", "CPO": services and orders, not initials
            if len(token) == 1 and re.search(
                r"\b(?:unit|room|ward|block|flat|plan|bay|wing)\s+$", quote[: m.start()], re.I
            ):
                continue  # "unit B": a room, not a person
            brand = re.search(r"([A-Z][a-z]+)\s+$", quote[: m.start()])
            if len(token) == 1 and brand and brand.group(1) not in rules.given_names:
                continue  # "Circle K": a shop, not initials
            if token.startswith("@") or token.lower() not in common_words():
                found.add(token)
        found.update(m.group(0) for m in _AGE.finditer(quote))
        found.update(m.group(0) for m in _DAY.finditer(quote))
        if re.search(r"\bonly\b", quote, re.IGNORECASE):
            found.add(quote)
    return found


def leaks(case: Case) -> list[str]:
    assert case.rewrite is not None
    left = []
    for token in identifiers(case):
        pattern = r"(?<![\w@])" + re.escape(token) + r"(?![\w])"
        if re.search(pattern, case.rewrite, 0 if token[:1].isupper() else re.IGNORECASE):
            left.append(token)
    return left


# Known, documented gaps (docs/checker.md): the leak stays listed until it is fixed, and the
# test below fails as soon as it is fixed, so the list can only shrink.
KNOWN_LEAKS: dict[str, set[str]] = {
    # Empty since 2026-12-07: the 26 leaks found when writers W3-W8 brought posts the
    # rewriter had never seen (first names told only by the words around them, ages with
    # units or after a name, nationalities and counties as adjectives, named teams,
    # landmarks, a public or service past, a breed, a costume, a trade, a believed
    # identity) and the two older ones (a town as a sentence's subject) are fixed. A new
    # entry needs its reason beside it.
    #
    # Not leaks: ordinary words that open a sentence, quoted in the evidence, whose
    # lower-case form the corpus happens never to use, so `identifiers` takes them for
    # proper nouns. The rewrite rightly keeps them.
    "t104-0033": {"Surgical"},  # "Surgical ward bay B": the kind of ward, no name
    "t99-0093": {"Subtle"},  # "Subtle, Maureen.": the writer's aside (the name goes)
    "t110-0098": {"Ex-resident"},  # "Ex-resident Corey": the role word opens it (Corey goes)
    # Not names: two roles, and a nationwide resale app that points to no one.
    "t110-0046": {"PO"},  # "tell him his PO sent you": his probation officer, the writer
    "t112-0079": {"Vinted"},  # "sold the unit's PS5 pad on Vinted": a shop used by millions
    "t135-0017": {"PA'd"},  # "a care leaver I PA'd for": the writer was her personal adviser
    # Not a unique detail: "only" here means "merely" ("he 'only borrowed' the quad bike"),
    # not "the only one"; the place, the age and the court around it are taken out.
    "t99-0045": {"'only borrowed' the quad bike"},
    # The same: "he want to stay with ah ma only" is "only with his grandma", his wish, not
    # the only one of anything; the age, the place and the name around it are taken out.
    "t73-0081": {"he want to stay with ah ma only"},
    # The same: "Only took the surname out" is what the writer did ("merely"); the first
    # names after it go.
    "t128-0069": {"Only took the surname out, first names are fine right?"},
}


def test_no_rewrite_keeps_a_name_handle_initial_or_unique_detail() -> None:
    failures = [
        (c.id, leaks(c), c.rewrite)
        for c in safe_cases()
        if set(leaks(c)) - KNOWN_LEAKS.get(c.id, set())
    ]
    assert not failures, failures


def test_known_leaks_are_still_real() -> None:
    seen = {c.id: set(leaks(c)) for c in safe_cases() if c.id in KNOWN_LEAKS}
    for case_id, tokens in KNOWN_LEAKS.items():
        assert seen.get(case_id, set()) >= tokens, f"{case_id} is fixed: remove it from the list"


# --- grammar -----------------------------------------------------------------------------

PLACEHOLDER = (
    r"(?:a young person|the young person|another young person|two young people|someone|"
    r"someone else|a young adult|a young man|a young woman|an older (?:man|woman|person)|"
    r"a woman|a man|a couple|a baby|a family|the area|a nearby street|a local estate|"
    r"a care setting|a prison|the hospital|a local address|a health condition)"
)
FAULTS = {
    "doubled word": re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE),
    "doubled article": re.compile(
        r"\b(?:a|an|the|my|our|his|her|their|first)\s+(?:a|an|another)\s", re.IGNORECASE
    ),
    "dangling preposition": re.compile(
        r"\b(?:on|at|in|from|to|by|near|of|with|for|about|during|since|until|till)\s*"
        r"(?:[,.;:!?)]|$)",
        re.IGNORECASE,
    ),
    "a before a vowel": re.compile(r"\ba\s+(?:older|adult|area|island|elderly)\b", re.I),
    "an before a consonant": re.compile(
        r"\ban\s+(?:young|local|nearby|school|care|health|baby|man|woman|couple|family)\b", re.I
    ),
    "number before a placeholder": re.compile(
        r"\b\d+\s+(?:a\s+|an\s+)?(?:young|older|adult|baby|someone|person)\b", re.IGNORECASE
    ),
    "placeholder inside a noun phrase": re.compile(
        r"\b(?:small|little|big|wee|the|a|an|my|our|his|her|their)\s+"
        r"(?:someone|a young person|a man|a woman|a couple|two young people)\b",
        re.IGNORECASE,
    ),
    "preposition on preposition": re.compile(
        r"\b(?:in|at|on|from|to|of|near)\s+(?:in|at|on|from|to|of)\s", re.IGNORECASE
    ),
    "space before punctuation": re.compile(r"[^\s]\s+[,.;:!?](?!\w)"),
    "empty or doubled punctuation": re.compile(r"[,;:]\s*[,.;:]|\(\s*\)|\[\s*\]"),
    "sentence starting in lower case": re.compile(r"(?:^|[.!?]\s+)" + PLACEHOLDER),
}


def faults(case: Case) -> list[str]:
    assert case.rewrite is not None
    found = []
    for name, pattern in FAULTS.items():
        before = len(pattern.findall(case.text))
        after = pattern.findall(case.rewrite)
        if len(after) > before:
            found.append(f"{name}: {after}")
    if case.text[:1].isupper() and not case.rewrite[:1].isupper() and case.rewrite[:1].isalpha():
        found.append("lower-case start")
    if case.rewrite[:1] in ",;:.)" and case.text[:1] not in ",;:.)":
        found.append("punctuation at the start")
    return found


# Known grammar faults (the same rule as KNOWN_LEAKS: the list can only shrink). The three
# from the 2026-12-07 writers ("Our someone", "her someone else party", "a young young
# carer") are mended.
KNOWN_FAULTS: set[str] = set()


def test_every_rewrite_keeps_the_grammar() -> None:
    failures = [
        (c.id, faults(c), c.rewrite)
        for c in safe_cases()
        if faults(c) and c.id not in KNOWN_FAULTS
    ]
    assert not failures, failures


def test_known_grammar_faults_are_still_real() -> None:
    faulty = {c.id for c in safe_cases() if faults(c)}
    fixed = KNOWN_FAULTS - faulty
    assert not fixed, f"{sorted(fixed)} fixed: remove them from KNOWN_FAULTS"


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_each_grammar_check_can_fail(name: str) -> None:
    """The checks above are not vacuous: each finds the fault it is named after."""
    broken = {
        "doubled word": "at school school",
        "doubled article": "our first a young person",
        "dangling preposition": "a visit at .",
        "a before a vowel": "a older man",
        "an before a consonant": "an young person",
        "number before a placeholder": "a 17 young care leaver",
        "placeholder inside a noun phrase": "a small someone town",
        "preposition on preposition": "moved to in the area",
        "space before punctuation": "the area , then",
        "empty or doubled punctuation": "at , , school",
        "sentence starting in lower case": "Visit. a young person cried",
    }[name]
    case = Case("x", "Plain text.", broken, ())
    assert any(f.startswith(name) for f in faults(case)), (name, faults(case))


def test_leak_check_can_fail() -> None:
    case = Case("x", "Visit to Jayden, 7, at St Anne's", "Visit to Jayden at school", ("Jayden",))
    assert "Jayden" in leaks(case)


if __name__ == "__main__":  # the figures: .venv/bin/python tests/check/test_rewrite_corpus.py
    everything = cases()
    given = [c for c in everything if c.answered]
    safe = safe_cases()
    leaking = [c.id for c in safe if leaks(c)]
    faulty = [c.id for c in safe if faults(c)]
    rechecked = [
        c.id
        for c in safe
        if c.rewrite is not None
        and any(f.category is Category.CONFIDENTIALITY for f in check_text(c.rewrite).findings)
    ]
    print("leaking:", leaking, "faulty:", faulty, "still flagged:", rechecked)
    print(
        f"findings={len(everything)} answered={len(given)} safer_versions={len(safe)} "
        f"no_safe_version={len(given) - len(safe)} no_answer={len(everything) - len(given)} "
        f"leaks={len(leaking)} grammar_faults={len(faulty)} recheck_failures={len(rechecked)}"
    )
