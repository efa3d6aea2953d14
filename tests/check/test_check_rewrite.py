"""Safer rewrites read as plain English: identifiers gone, generalised by their kind.

Every post here is written for these tests (none is copied from the shared data).
"""

from __future__ import annotations

import re

import pytest

from kaleidoscope.check.checker import check_text
from kaleidoscope.check.records import Category, Finding

PREPOSITIONS = "on|at|in|from|to|by|near|of|with|for|about|during|since|until"
BAD = {
    "doubled word": re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE),
    "doubled article": re.compile(r"\b(?:a|an|the)\s+(?:a|an|the|another)\b", re.IGNORECASE),
    "dangling preposition": re.compile(rf"\b(?:{PREPOSITIONS})\s*(?:[,.;:!?)]|$)", re.IGNORECASE),
    "a before a vowel": re.compile(r"\ba\s+(?:a|e|i|o|older|unaccompanied)\w*\b", re.IGNORECASE),
    "an before a consonant": re.compile(r"\ban\s+(?![aeiou]|hour|honest)\w", re.IGNORECASE),
    "space before punctuation": re.compile(r"\s[,.;:!?]"),
    "empty or doubled punctuation": re.compile(r"[,;:]\s*[,.;:]|\(\s*\)|^\W"),
    "place on place": re.compile(r"\barea\b.*\barea\b|\bnearby\s+(?:in|on|at)\b"),
}


def conf(text: str) -> Finding:
    for finding in check_text(text).findings:
        if finding.category is Category.CONFIDENTIALITY:
            return finding
    raise AssertionError(f"no confidentiality finding in {text!r}")


def assert_fluent(rewrite: str) -> None:
    for name, pattern in BAD.items():
        found = pattern.search(rewrite)
        assert found is None, f"{name}: {found.group(0)!r} in {rewrite!r}"
    for placeholder in ("a young person", "someone", "a nearby street", "a local estate"):
        assert rewrite.count(placeholder) <= 1, (placeholder, rewrite)


# (post, identifiers that must be gone, words the rewrite must keep or gain)
CASES = [
    (
        "Home visit to the 15yo at St Anne's on the Eastfield estate this morning, mum in "
        "bits again #childprotection",
        ["15yo", "St Anne", "Eastfield", "this morning"],
        ["at school", "on a local estate", "mum in bits"],
    ),
    (
        "Core group on Tuesday at 10am for the 8 year old at Holy Trinity, mum's new fella "
        "still on the scene",
        ["Tuesday", "10am", "8 year old", "Trinity"],
        ["Core group for a young person at school"],
    ),
    (
        "Sat with an elderly man on Foundry Street this afternoon, ex-miner, lives alone above "
        "the Co-op, wife passed at Christmas. Refusing carers. #adultsocialcare",
        ["Foundry", "ex-miner", "Co-op", "Christmas", "elderly"],
        ["an older man on a nearby street", "lives alone nearby"],
    ),
    (
        "Strategy meeting: 13-year-old girl, goes to St Bernadette's, missing every weekend "
        "from the Ashgrove estate. Police finally interested.",
        ["13-year-old", "Bernadette", "Ashgrove"],
        ["a young person, goes to school", "from a local estate"],
    ),
    (
        "Placement breakdown tonight for a 14 yo lad from Pendlebury who's been excluded from "
        "Ridgeway Academy. Third move this year.",
        ["14 yo", "Pendlebury", "Ridgeway", "tonight"],
        ["a young person from the area", "excluded from school"],
    ),
    (
        "Visited Mrs Okonkwo (84) at number 22 this morning, her dementia is much worse and "
        "her son lives abroad.",
        ["Okonkwo", "84", "22", "dementia", "this morning"],
        ["Visited a woman nearby", "her health condition"],
    ),
    (
        "Annual review for Mr and Mrs Hargreaves in Flat 3 on Canal Road, both in "
        "wheelchairs, no lift. Disgraceful. #adultsocialcare",
        ["Hargreaves", "Flat 3", "Canal Road"],
        ["a couple"],
    ),
    (
        "Safeguarding referral about a 6 week old on the Larchwood estate, dad's just out of "
        "prison. Initial visit on Friday at 9.",
        ["6 week", "Larchwood", "Friday"],
        ["about a baby on a local estate", "Initial visit."],
    ),
    (
        "Court tomorrow for the Nowicki twins, 4, and their baby sister. Long road from the "
        "flat above the bookies on Chapel Row.",
        ["Nowicki", "4,", "bookies", "Chapel Row", "tomorrow"],
        ["the twins and their baby sister", "from the flat nearby."],
    ),
    (
        "Mass at St Michael's Church with one of my families this week, the 10 year old is "
        "being baptised. Such a privilege. #socialwork",
        ["Michael", "10 year old"],
        ["at church"],
    ),
    (
        "Kinship assessment in Thornbury today for a grandad in his 70s raising three "
        "grandkids, the youngest in a wheelchair.",
        ["Thornbury", "70s", "wheelchair"],
        ["in the area", "a grandad raising", "the youngest with a disability"],
    ),
    (
        "Contact at Brook Lane family centre with Kacey-Leigh, 6, and her brother Tyler, 9. "
        "Both sobbed at goodbye.",
        ["Brook Lane", "Kacey", "Leigh", "Tyler", "6", "9"],
        ["at a family centre", "with a young person and her brother."],
    ),
    (
        "Dad on my caseload (ex-army, PTSD, sleeps in his van) finally agreed to see the GP "
        "#socialwork",
        ["ex-army", "PTSD"],
        ["(sleeps in his van)"],
    ),
    (
        "Goodbye visit with J & K today before their adoption goes through. Heartbroken.",
        ["J & K"],
        ["with two young people today"],
    ),
    (
        "An 82-year-old retired nurse from Little Ashby was detained under s2 today. Half the "
        "village came out to watch.",
        ["82", "Ashby"],
        ["An older retired nurse from the area"],
    ),
]


@pytest.mark.parametrize("text,gone,kept", CASES, ids=[c[0][:30] for c in CASES])
def test_rewrite_is_fluent_and_removes_identifiers(
    text: str, gone: list[str], kept: list[str]
) -> None:
    rewrite = conf(text).rewrite
    assert rewrite is not None
    assert_fluent(rewrite)
    for identifier in gone:
        assert identifier not in rewrite, (identifier, rewrite)
    for phrase in kept:
        assert phrase in rewrite, (phrase, rewrite)


def test_the_issue_example_reads_naturally() -> None:
    text = (
        "Home visit to the 15yo at St Anne's on the Eastfield estate this morning, mum in "
        "bits again #childprotection"
    )
    finding = conf(text)
    assert finding.rewrite == (
        "Home visit to a young person at school on a local estate, mum in bits again "
        "#childprotection"
    )


@pytest.mark.parametrize(
    "text,kinds,not_kinds",
    [
        (
            "Home visit to the 15yo at St Anne's on the Eastfield estate this morning, mum in "
            "bits again #childprotection",
            ["age", "school", "estate", "day and time"],
            ["name", "street"],
        ),
        (
            "Review at Willow Court care home for a 91 year old on Mill Lane, her son in "
            "prison #adultsocialcare",
            ["age", "care setting", "street"],
            ["name"],
        ),
        (
            "Care leaver I support, 19, got her keys today for a flat on Tanner Street. "
            "Finally! Lives next to the chippy.",
            ["age", "street", "local landmark"],
            ["name"],
        ),
    ],
)
def test_why_names_each_identifier_by_its_kind(
    text: str, kinds: list[str], not_kinds: list[str]
) -> None:
    why = conf(text).why
    combination = why.split(" in a care context")[0].split(": ")[0]
    parts = combination.split(" + ")
    for kind in kinds:
        assert kind in parts, (kind, why)
    for kind in not_kinds:
        assert kind not in parts, (kind, why)


def test_repeated_person_reads_as_the_same_person() -> None:
    text = "Court today for Jaylen, 7. Jaylen held my hand the whole way through. #fostering"
    rewrite = conf(text).rewrite
    assert rewrite is not None
    assert "Jaylen" not in rewrite
    assert "a young person" in rewrite and "The young person held my hand" in rewrite


def test_a_saint_is_not_a_person_but_a_named_person_still_is() -> None:
    why = conf("Visit to Ellie, 14, after school at St Anne's #childprotection").why
    parts = why.split(" in a care context")[0].split(" + ")
    assert "name" in parts and "school" in parts


def test_rewrite_written_on_first_read_is_the_same_everywhere() -> None:
    """The rewrite is written on first read; threads, copies and pickles all see it."""
    import copy
    import pickle
    from concurrent.futures import ThreadPoolExecutor

    text = "Court today for Jaylen, 7, from the Brookside estate #fostering"
    expected = conf(text).rewrite
    assert expected and "Jaylen" not in expected
    finding = conf(text)
    with ThreadPoolExecutor(8) as pool:
        seen = set(pool.map(lambda _: finding.rewrite, range(32)))
    assert seen == {expected}
    fresh = conf(text)
    assert pickle.loads(pickle.dumps(fresh)).rewrite == expected
    assert copy.deepcopy(conf(text)).rewrite == expected
    assert conf(text) == finding
