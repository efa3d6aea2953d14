"""Safer rewrites read as plain English: identifiers gone, generalised by their kind.

A safer version is re-checked before it is offered; where the checker still finds a
confidentiality risk, whole sentences go, and where that is not enough the finding says
there is no safe version. Tests here use `check_text` end to end, and `safer_version`
with identifiers written out by hand where the wording alone is under test.

Every post here is written for these tests (none is copied from the shared data).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from kaleidoscope.check.checker import check_text
from kaleidoscope.check.records import Category, Finding
from kaleidoscope.check.rewrite import NO_SAFE_VERSION, Safer, safer_version
from kaleidoscope.check.rules import load_rules

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


# What the checker's rules find in each post of CASES, written out so the wording tests
# hold whatever the checker's model later decides: (kind, quote) and whether young.
MARKS: dict[str, tuple[tuple[tuple[str, str], ...], bool]] = {
    "Home visit to the 15yo at St A": (
        (
            ("age", "the 15yo"),
            ("school", "St Anne's"),
            ("estate", "Eastfield estate"),
            ("time", "this morning"),
        ),
        True,
    ),
    "Core group on Tuesday at 10am ": (
        (
            ("age", "the 8 year old"),
            ("school", "Holy Trinity"),
            ("time", "on Tuesday"),
            ("time", "Tuesday at 10am"),
        ),
        True,
    ),
    "Sat with an elderly man on Fou": (
        (
            ("age", "elderly"),
            ("age", "elderly man"),
            ("street", "Foundry Street"),
            ("landmark", "above the"),
            ("occupation", "ex-miner"),
            ("time", "at Christmas"),
        ),
        False,
    ),
    "Strategy meeting: 13-year-old ": (
        (
            ("age", "13-year-old"),
            ("school", "St Bernadette's"),
            ("estate", "Ashgrove estate"),
        ),
        True,
    ),
    "Placement breakdown tonight fo": (
        (
            ("age", "a 14 yo"),
            ("school", "Ridgeway Academy"),
            ("town", "Pendlebury"),
            ("time", "tonight"),
        ),
        True,
    ),
    "Visited Mrs Okonkwo (84) at nu": (
        (
            ("name", "Mrs Okonkwo"),
            ("age", "(84)"),
            ("number", "at number 22"),
            ("condition", "dementia"),
            ("time", "this morning"),
        ),
        False,
    ),
    "Annual review for Mr and Mrs H": (
        (
            ("name", "Mr and Mrs Hargreaves"),
            ("street", "Canal Road"),
            ("number", "in Flat 3"),
            ("condition", "wheelchairs"),
        ),
        False,
    ),
    "Safeguarding referral about a ": (
        (
            ("age", "a 6 week old"),
            ("estate", "Larchwood estate"),
            ("time", "on Friday"),
            ("time", "Friday at 9"),
        ),
        True,
    ),
    "Court tomorrow for the Nowicki": (
        (
            ("family_name", "Nowicki"),
            ("age", "4"),
            ("street", "Chapel Row"),
            ("landmark", "above the"),
            ("landmark", "above the bookies"),
            ("time", "tomorrow"),
        ),
        True,
    ),
    "Mass at St Michael's Church wi": (
        (
            ("age", "the 10 year old"),
            ("church", "St Michael's Church"),
        ),
        True,
    ),
    "Kinship assessment in Thornbur": (
        (
            ("age", "in his 70s"),
            ("age", "the youngest"),
            ("town", "Thornbury"),
            ("condition", "wheelchair"),
        ),
        False,
    ),
    "Contact at Brook Lane family c": (
        (
            ("name", "Kacey-Leigh"),
            ("name", "Kacey"),
            ("name", "Tyler"),
            ("age", "6"),
            ("age", "9"),
            ("setting", "Brook Lane family centre"),
        ),
        True,
    ),
    "Dad on my caseload (ex-army, P": (
        (
            ("condition", "PTSD"),
            ("occupation", "ex-army"),
            ("occupation", "the GP"),
        ),
        False,
    ),
    "Goodbye visit with J & K today": ((("initials", "J & K"),), False),
    "An 82-year-old retired nurse f": (
        (
            ("age", "An 82-year-old"),
            ("town", "Little Ashby"),
            ("condition", "detained under"),
            ("condition", "s2"),
            ("occupation", "retired nurse"),
        ),
        True,
    ),
}


@pytest.mark.parametrize("text,gone,kept", CASES, ids=[c[0][:30] for c in CASES])
def test_rewrite_is_fluent_and_removes_identifiers(
    text: str, gone: list[str], kept: list[str]
) -> None:
    """The wording, given what the rules find (MARKS), before any re-check."""
    marks, young = MARKS[text[:30]]
    rewrite = safer(text, marks, young=young).text
    assert rewrite is not None
    assert_fluent(rewrite)
    for identifier in gone:
        assert identifier not in rewrite, (identifier, rewrite)
    for phrase in kept:
        assert phrase in rewrite, (phrase, rewrite)


@pytest.mark.parametrize("text,gone,kept", CASES, ids=[c[0][:30] for c in CASES])
def test_through_the_checker_each_case_is_safe_or_says_why_not(
    text: str, gone: list[str], kept: list[str]
) -> None:
    rewrite = conf(text).rewrite
    assert rewrite is not None
    assert_fluent(rewrite)
    for identifier in gone:
        assert identifier not in rewrite, (identifier, rewrite)
    if not refused(rewrite):
        again = check_text(rewrite).findings
        assert not [f for f in again if f.category is Category.CONFIDENTIALITY], rewrite


def refused(rewrite: str) -> bool:
    return rewrite in NO_SAFE_VERSION.values()


def test_most_cases_get_a_safer_version() -> None:
    """ "No safe version" is for what cannot be made safe, not the easy way out.

    A third at most. Measured 2026-12-07 with the model trained on 15 writers: 5 of 15 (3
    with the 11-writer model). Two of the five are still a jigsaw after the rewrite (a
    grandad raising three grandchildren, the youngest disabled; a detention the whole
    village watched); in the other three the model still scores the de-identified story as
    a confidentiality risk (docs/checker.md, "Safer versions")."""
    answers = [conf(text).rewrite or "" for text, _, _ in CASES]
    assert sum(refused(a) for a in answers) <= len(CASES) // 3, answers


def test_the_issue_example_reads_naturally() -> None:
    text = (
        "Home visit to the 15yo at St Anne's on the Eastfield estate this morning, mum in "
        "bits again #childprotection"
    )
    marks, young = MARKS[text[:30]]
    assert safer(text, marks, young=young).text == (
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


# --- safer_version: the wording alone, with identifiers written out by hand ---------------


def safer(
    text: str,
    marks: tuple[tuple[str, str], ...] = (),
    flagged: Callable[[str], bool] | None = None,
    young: bool = False,
) -> Safer:
    """`safer_version` as the checker calls it, given (kind, quote) identifiers."""
    rules = load_rules()
    idents = []
    for kind, quote in marks:
        at = text.index(quote)
        idents.append((kind, at, at + len(quote)))
    return safer_version(
        text, text.lower(), idents, rules.rewrite, rules.age_word_rewrite,
        rules.keep_conditions, young, flagged=flagged,
    )


# (post, what must be gone, what the rewrite must read) with no identifier from the checker:
# the rewrite's own net finds them.
NET_CASES = [
    ("Jayden's mum turned up to contact drunk again. #fostering", ["Jayden"],
     ["Someone's mum turned up"]),
    ("Contact went well, thanks @kayleigh_x for the lift. @fosterteam #fostering",
     ["@kayleigh_x", "@fosterteam"], ["thanks someone for the lift.", "#fostering"]),
    ("K (14) told me I dress like her nan at the placement", ["K ("], ["told me I dress"]),
    ("Our lad T cooked tea for the whole home tonight", [" T "], ["Our lad cooked tea"]),
    ("Goodbye visit with J & K before their adoption. Heartbroken.", ["J & K"],
     ["with two young people before"]),
    ("omg mr P finally got his care pkg after 6 wks on the ward", ["mr P"],
     ["Omg a man finally got"]),
    ("Court for the Mahmood kids again, mum didn't show.", ["Mahmood"],
     ["Court for the kids again"]),
    ("I want to tell you about a girl I'll call Roisin. She was 13 when I met her.",
     ["Roisin", "13"], ["about a girl. She was a young person when I met her."]),
    ("Removed a newborn at Singleton Hospital today. Worst day.", ["Singleton"],
     ["at the hospital today"]),
    ("Dad got sentenced today in Glasgow Sheriff Court. Wee man doesn't know.", ["Glasgow"],
     ["sentenced today in court."]),
    ("Visiting dad at HMP Parc next month with the kids from my caseload", ["Parc"],
     ["Visiting dad at a prison"]),
    ("Mrs Lafferty on my caseload lives alone in the flats on Dalry Rd. 88.",
     ["Lafferty", "Dalry", "88"], ["A woman on my caseload", "on a nearby street."]),
    ("My 15yo on probation got picked up on Highway 6 again", ["Highway 6"],
     ["picked up on a nearby street again"]),
    ("A boy on my caseload, at Ysgol Bro Dyfi, disclosed being hit.", ["Ysgol", "Dyfi"],
     ["at school, disclosed"]),
    ("She graduated from Northbridge University, first in her family. So proud of my care leaver",
     ["Northbridge"], ["from a university"]),
    ("Girl I'm working with told me she's 15 and pregnant. Referral done.", ["15"],
     ["she's a young person and pregnant"]),
    ("Funeral of a little boy I worked with for years. He was 3. Half the estate came.", ["3."],
     ["He was a young person."]),
    ("Removal hearing today. Mum's 24. The kids are 2 & 5 and I cried.", ["24", "2 & 5"],
     ["Mum's a young adult.", "The kids are young and I cried"]),
    ("A mum on my caseload with two little boys aged two and four, living in one room.",
     ["aged two"], ["two little boys, living"]),
    ("Young fella I work with got locked up again. 15, Aboriginal, nine placements.", ["15"],
     ["again. Aboriginal, nine placements."]),
    ("I visit Mr Abara on my caseload every Tuesday at 2pm, he's lonely", ["Tuesday", "2pm",
     "Abara"], ["I visit a man on my caseload, he's lonely"]),
    ("Client's contact with dad moved to Saturdays in March, she's not coping.",
     ["Saturdays", "March"], ["contact with dad moved, she's not coping"]),
    ("A 15 year old boy on my caseload, the only Somali family in the village, disclosed "
     "being hit.", ["only Somali"], ["on my caseload, disclosed being hit"]),
]


NET_CASES += [
    (
        "My client Darnell, 19, is the only lad from Westbrook to get into Oxford this year.",
        ["Darnell", "19", "Westbrook", "the only"],
        ["My client is one of the few lads from the area to get into"],
    ),
    (
        "He's the only trans pupil at Ysgol Gyfun Bryn Tawe and his parents won't use his name.",
        ["the only", "Tawe"],
        ["He's one of the few trans pupils at school and"],
    ),
    (
        "Visited Mrs O'Brien at 14 Hazel Grove, she's lonely since her husband died.",
        ["O'Brien", "14", "Hazel"],
        ["Visited a woman at a local address, she's lonely"],
    ),
    (
        "Contact at Elm Tree family centre every Wednesday 10-12 for the little ones.",
        ["Elm Tree", "Wednesday", "10", "12"],
        ["Contact at a family centre for the little ones."],
    ),
    (
        "TJ and KB kicked off at the unit again. Exhausted.",
        ["TJ", "KB"],
        ["Two young people kicked off at the unit again."],
    ),
    (
        "Our YP (15) absconded again, found at Leeds station at 3am.",
        ["15", "Leeds", "3am"],
        ["Our YP absconded again, found at a local station."],
    ),
    (
        "Sat with the family in their flat; the twins are 4 and mum is 22.",
        ["4 and", "22"],
        ["the twins are young and mum is a young adult."],
    ),
]


# Found by the 2026-12-07 writers: first names the lexicon does not know, told by the words
# around them; ages with units and after a name; named teams, landmarks and venues; a name
# after a possessive; a nationality or county said as an adjective; a public or service
# past, a dog's breed, a costume; a town as a sentence's subject; a trade opening a
# description; who someone in crisis believed they were.
NET_CASES += [
    ("Rang Osian on the work phone to say well done, he passed his test!", ["Osian"],
     ["Rang someone on the work phone"]),
    ("A care leaver of mine, Eoghan, has started college this week.", ["Eoghan"],
     ["A care leaver of mine has started college"]),
    ("Tadhg from the flats upstairs rang the office twice today, bless him.", ["Tadhg"],
     ["Someone from the flats upstairs rang"]),
    ("Youngest is 6 weeks and mum is struggling to cope.", ["6 weeks"],
     ["Youngest is a baby and mum"]),
    ("Two boys, aged 6 and 8, moved in with our carers last night.", ["aged", "6", "8"],
     ["Two boys moved in with our carers"]),
    ("Mr K was 91, and he still made me a brew every visit.", ["Mr K", "91"],
     ["A man was elderly, and he still"]),
    ("Lovely couple on my caseload, married 52 yrs, moving into care together.", ["52"],
     ["married for many years, moving"]),
    ("mr n mrs D in the bungalow, married 60 yrs, both on my caseload.", ["mr n", "D ", "60"],
     ["A couple in the bungalow, married for many years"]),
    ("Our lad scored for the Millbrook under-14s at the weekend, buzzing for him.",
     ["Millbrook", "under-14s"], ["Our lad scored for a local team at the weekend"]),
    ("Talked a young man down from the Ashgrove Bridge last night.", ["Ashgrove", "Bridge"],
     ["down from the bridge"]),
    ("Wee lad taken into care the day fae Dunmuir, heartbreaking.", ["Dunmuir"],
     ["fae the area, heartbreaking"]),
    ("Saw my old client play a gig in Flanagan's, so proud.", ["Flanagan"],
     ["a gig in a local venue, so proud"]),
    ("Our Leah had her first night at her new carers, big step.", ["Leah"],
     ["Our young person had her first night"]),
    ("My client is off to her Jack Wills party next week, first night out in ages.",
     ["Jack", "Wills"], ["off to her party next week"]),
    ("Visited a Lithuanian lad on my caseload, settling in well.", ["Lithuanian"],
     ["Visited a lad from abroad on my caseload"]),
    ("Lovely old gent in a Welsh mining village, lives alone now.", ["Welsh"],
     ["in a mining village"]),
    ("New referral (boy, Syrian, arrived with his uncle) starts on Monday.", ["Syrian"],
     ["(boy, arrived with his uncle)"]),
    ("They were the only Romanian-speaking family in the street.", ["Romanian"],
     ["one of the few non-English-speaking families"]),
    ("She was the only Nigerian woman on the ward.", ["Nigerian"],
     ["one of the few women from abroad on the ward"]),
    ("New admission, 90, a former Lord Mayor of our town, lives with his daughter.",
     ["Lord", "Mayor"], ["New admission, lives with his daughter."]),
    ("Sat with a former Gurkha on the ward today, what stories he has.", ["Gurkha"],
     ["Sat with a veteran on the ward"]),
    ("Warning for the duty team: dad keeps an XL Bully and drinks.", ["XL", "Bully"],
     ["dad keeps a big dog and drinks"]),
    ("The little one opened the door in a Batman costume, bless him.", ["Batman"],
     ["in a superhero costume"]),
    ("Three visits and a strategy meeting before lunch. Glyncorrwg strikes again.",
     ["Glyncorrwg"], ["The area strikes again."]),
    ("Proud of my client, sober a year today. Plasterer from Llanbradach, you know who you are.",
     ["Plasterer", "Llanbradach"], ["today. From the area, you know who you are."]),
    ("Crisis call at 2am, a man on the bridge railings convinced he was Moses.", ["Moses"],
     ["convinced he was a religious figure."]),
]


# Found by writers W9-W11 (batches t47-t58), one invented post for each class: initials by
# their possessive, a place after them or quotes around them; a name with its initial set
# off by commas, a tag by full name, an accented name, a name with its age in brackets, a
# family or gang named by a word before "lot"; a place before what it owns ("a Hexham
# firm", "a Wrexham kit", "the Splott stabbing", "his first Riders game"), a place told
# by its ending, in a hashtag or as the second word of a two-word name, a street with a
# short lower-case suffix or "Brow"; a date, a lone short day; a named award, a college
# division, an age group's team, a faith's festival, a condition named after a person,
# royalty believed in a crisis, a school named after a monarch, a former Paralympian or
# sailor; an age in brackets after "now", a mum's age, an age inside a quote.
NET_CASES += [
    ("JD's mum rang the office again about contact, third time this week.", ["JD"],
     ["A young person's mum rang"]),
    ("Proud of RT from Felling who passed his driving test today.", ["RT", "Felling"],
     ["Proud of a young person from the area who passed"]),
    ("Two years ago 'D' was on a tag. Today he started college.", ["'D'"],
     ["Two years ago a young person was on a tag."]),
    ("The agency sent a new colleague, Orla B., to cover my cases with no handover.",
     ["Orla", "B."], ["sent a new colleague to cover my cases"]),
    ("Lovely to see @Tamsin Greaves at contact, mum to our two, doing brilliantly.",
     ["Tamsin", "Greaves"], ["Lovely to see someone at contact"]),
    ("Couldn't refuse when Siân's nan brought a cake round to the unit.", ["Siân"],
     ["when someone's nan brought"]),
    ("Took Harmony's little sister to the dentist, she was so brave.", ["Harmony"],
     ["Took someone's little sister to the dentist"]),
    ("Just to let you know your Ottilie's doing brilliantly at the day centre.", ["Ottilie"],
     ["your young person's doing brilliantly"]),
    ("Appeal for help: dad's just had a stroke, two kids under 5, Garnant area.", ["Garnant"],
     ["two kids under 5, local area."]),
    ("Visit today: retired Navy vet, lives alone, wife died at the VA last year.",
     ["Navy", "VA"], ["Visit today: veteran, lives alone, wife died at the hospital"]),
    ("He was hurt in the quad bike crash on Lake Bala and is home now.", ["Bala"],
     ["crash on the lake and is home now"]),
    ("Her son sits his Highers next month and she won't tell the school.", ["Highers"],
     ["Her son sits his exams"]),
    ("New girl on the unit, 13, from Barry, settled in well.", ["Barry"],
     ["from the area, settled in well"]),
    ("A boy in our service with Angelman syndrome started school today.", ["Angelman"],
     ["A boy in our service with a health condition started school"]),
    ("Mum's new boyfriend says contact is Thursdays at the family centre.", ["Thursdays"],
     ["contact is at the family centre."]),
    ("Supported a Sikh bus driver from Hounslow through his first week home.", ["Sikh"],
     ["Supported a bus driver from the area"]),
    ("She's of mixed Irish and Jamaican heritage and the best goalkeeper in her team.",
     ["Irish", "Jamaican"], ["She's of mixed heritage and the best"]),
    ("A man with early-onset Alzheimer's whose wife hides the car keys.", ["Alzheimer"],
     ["A man with a health condition whose wife"]),
    ("Off to see our Pritchard family again, the one with the six girls.", ["Pritchard"],
     ["Off to see one of our families again"]),
    ("She's an ER nurse and a former Olympic rowing hopeful, now on a section.",
     ["ER", "Olympic"], ["She's an emergency nurse and someone with a public past, now"]),
    ("He has lived in the same Penrhos flat since the sixties and won't move.", ["Penrhos"],
     ["He has lived in the same flat since the sixties"]),
    ("The boys from the house fire on Kelvin last winter are settled now.", ["Kelvin"],
     ["from the house fire nearby"]),
    ("Three years on my caseload and he's leaving us. Seán, I'll miss you.", ["Seán"],
     ["he's leaving us. I'll miss you."]),
    ("Drove Cadfael (19, autistic) from the flat to his first gig tonight.", ["Cadfael", "19"],
     ["Drove someone (autistic) from the flat"]),
    ("Warned them twice. Pendlebury lot never listen.", ["Pendlebury"],
     ["That lot never listen."]),
    ("He starts an apprenticeship with an Alnwick firm on the quayside.", ["Alnwick"],
     ["with a local firm"]),
    ("Picture a tiny lad in a Rotherham kit grinning on his first day with us.",
     ["Rotherham"], ["in a football kit grinning"]),
    ("He was cleared over the Moorside stabbing and came straight to see me.", ["Moorside"],
     ["cleared over the stabbing and"]),
    ("Took my lad to his first Rhinos game, he sang all the way home.", ["Rhinos"],
     ["Took my lad to his first game"]),
    ("Two nights in a row of missing episodes. Brackenmouth is wild.", ["Brackenmouth"],
     ["The area is wild."]),
    ("Another strategy meeting before lunch for the same family. #Gransthorpe", ["Gransthorpe"],
     ["for the same family."]),
    ("New placement tonight, a girl from Little Hadley with just a rucksack.",
     ["Hadley"], ["a girl from the area with just a rucksack"]),
    ("had to tell an old man on Fern st that his wife wont be coming home.", ["Fern"],
     ["on a nearby street that his wife"]),
    ("Met her in the cafe on Quarry Brow, she's doing so well now.", ["Quarry Brow"],
     ["in the cafe on a nearby street"]),
    ("Final hearing, 14 March: our boy stays with his nan. Relief.", ["14 March"],
     ["Final hearing: our boy stays with his nan."]),
    ("our new girl only came thurs n has already run twice.", ["thurs"],
     ["only came n has already run twice."]),
    ("So proud: our lad got Player of the Match in the cup final!", ["Player", "Match"],
     ["our lad got an award in the cup final!"]),
    ("Our foster son has been named Young Volunteer of the Year for Durham, so proud.",
     ["Durham", "Volunteer"], ["has been given an award, so proud."]),
    ("My client just signed with a D2 school for soccer, unreal.", ["D2"],
     ["signed with a school for soccer"]),
    ("She plays for the U16s at Hetton and asked us not to tell the team she's in care.",
     ["U16s", "Hetton"], ["She plays for a local team and asked us"]),
    ("The boys made a banner for Diwali and hung it in the hall.", ["Diwali"],
     ["made a banner for a religious festival and"]),
    ("Only man in Polperro with Parkinson's on my caseload, and still gardening.",
     ["Polperro", "Parkinson", "Only man"], ["One of the few men in the area with a health"]),
    ("Patient believes he's the rightful King of Mercia and writes to Windsor daily.",
     ["Mercia", "King"], ["believes he's royalty and"]),
    ("Both girls got into Queen Anne's on scholarships. Over the moon.", ["Queen", "Anne"],
     ["Both girls got into a school on scholarships."]),
    ("Supported a former Paralympian to move into her own flat this week.", ["Paralympian"],
     ["Supported someone with a public past to move"]),
    ("Visited a former Royal Navy stoker at the home, he told me about the war.", ["Navy"],
     ["Visited a veteran stoker at the home"]),
    ("Our foster daughter T (now 16) passed her exams with flying colours.", ["16"],
     ["Our foster daughter passed her exams"]),
    ("Removal this morning, newborn, mom's 16, no family nearby to help.", ["16"],
     ["mom's a young person, no family"]),
    ("He signed his drawing 'Jayden, 9' and gave it to the night staff.", ["9", "Jayden"],
     ["He signed his drawing 'someone' and gave it"]),
    ("One lad on the unit, the only Cornish-speaking autistic teen in our service, "
     "starts college on Monday.", ["Cornish", "only"], ["One lad on the unit, starts college"]),
]


# Ordinary words and titles the new cues must leave alone.
NET_PLAIN = [
    "Watching Line of Duty again with a brew, best night of the week.",
    "Told the Court of Protection what she wanted, and they listened.",
    "Long road for everyone, but the order was granted today.",
    "Sat in the car for ten minutes after that visit, then carried on.",
    "It's only Weds and I'm already done in.",
    "Soup of the Day at the canteen was actually decent for once.",
    "Tea at Grandma's with the kids, then an early night.",
    "Today is Monday and the kettle is broken.",
]


@pytest.mark.parametrize("text", NET_PLAIN)
def test_the_new_cues_leave_titles_and_ordinary_words_alone(text: str) -> None:
    assert safer(text).text == text


@pytest.mark.parametrize(
    "text,expected",
    [
        # a place before a plural noun keeps "the": "at the local flats", not "at a local flats"
        ("Found her at the Mill Rd flats with older lads again.",
         "Found her at the local flats with older lads again."),
        # a month's name removed does not take the sentence's full stop with it
        ("Baby born withdrawing at Singleton in January. Long road ahead.",
         "Baby born withdrawing locally. Long road ahead."),
        # a sentence that was only a time leaves one full stop, not two
        ("The boiler's packed in. In November. Thanks universe.",
         "The boiler's packed in. Thanks universe."),
        # "aged" as a verb is no age; a title in quotes keeps its closing quote
        ("We have all aged ten years since the 'Mr Motivator' video.",
         "We have all aged ten years since the 'a man' video."),
        # a quoted message opening a line starts with a capital
        ("From the staff chat:\n'K (15) back at 1am, won't say where'",
         "From the staff chat:\n'A young person back, won't say where'"),
    ],
)
def test_the_new_cues_keep_the_grammar(text: str, expected: str) -> None:
    result = safer(text)
    assert result.text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Lad on my caseload was in the Gazette this morning for the scooter thing. Sigh.",
        "The man on the front of today's Chronicle was my client for years. Proud.",
        "Removal at dawn in our little town, baby's fine. The whole town will know by tea.",
        "QT: mum's public post 'the social stole my kids' - screenshot sent to legal.",
    ],
)
def test_a_story_already_public_has_no_safe_version(text: str) -> None:
    result = safer(text)
    assert result.text is None and result.reason == "known"


def test_a_journal_article_is_no_story_in_the_papers() -> None:
    text = "Our paper is out in the British Journal of Social Work. Thanks to the families."
    assert safer(text).text == text


@pytest.mark.parametrize("text,gone,kept", NET_CASES, ids=[c[0][:30] for c in NET_CASES])
def test_the_net_finds_what_the_checker_did_not_point_at(
    text: str, gone: list[str], kept: list[str]
) -> None:
    result = safer(text)
    assert result.text is not None and result.reason is None
    assert_fluent(result.text)
    for identifier in gone:
        assert identifier not in result.text, (identifier, result.text)
    for phrase in kept:
        assert phrase in result.text, (phrase, result.text)


@pytest.mark.parametrize(
    "text",
    [
        "Sat with him all afternoon, then we had Sunday dinner plans to sort.",
        "Plan B is to ask the GP and A&E about a B&B for the night.",
        "Visiting is 2 till 8 at the unit, the staff are lovely.",
        "Thanks to the Year 9 team and the ICPC chair for today.",
        "Card from the King arrived for her birthday!",
        "Met Office says snow tomorrow, so visits are by phone.",
    ],
)
def test_the_net_leaves_ordinary_words_alone(text: str) -> None:
    assert safer(text).text == text


def test_the_issue_grammar_faults_are_mended() -> None:
    text = "So proud of my 17 y/o care leaver at Jefferson High, first in her family at uni."
    result = safer(text, (("age", "17 y/o"), ("school", "Jefferson High")))
    assert result.text is not None
    assert "17" not in result.text and "young care leaver" in result.text
    assert_fluent(result.text)
    first = safer("We took our first teenager, a girl from the estate.", (("age", "teenager"),))
    assert first.text == "We took our first young person, a girl from the estate."
    # The wording alone (the checker's re-check of this one is the model's call, tested
    # with the corpus in test_rewrite_corpus.py).
    carer = safer(
        "Case study: a 15-year-old young carer on my caseload in Eastleigh, supporting his "
        "dad who has MS.",
        (("age", "15-year-old"), ("town", "Eastleigh"), ("condition", "MS")),
    ).text
    assert carer is not None and "a young carer on my caseload in the area" in carer, carer
    assert_fluent(carer)


def test_a_closing_quote_stays_and_a_sentence_after_emoji_starts_in_capitals() -> None:
    text = "Visit done, she said 'he's hiding behind the shed'. Classic. 😂 Elmwood estate again"
    result = safer(text, (("landmark", "behind the"), ("estate", "Elmwood estate")))
    assert result.text == (
        "Visit done, she said 'he's hiding nearby'. Classic. 😂 A local estate again"
    )


# --- no safe version ----------------------------------------------------------------------


def test_a_photo_of_the_people_has_no_safe_version() -> None:
    text = "Beach day for contact, look at those smiles [pic] Jayden & Mia loving it #fostering"
    result = safer(text, (("face", "[pic]"), ("name", "Jayden & Mia")))
    assert result.text is None and result.reason == "photo"
    assert result.message == NO_SAFE_VERSION["photo"]
    assert result.message.startswith("No safe version")


def test_a_story_people_already_know_has_no_safe_version() -> None:
    text = (
        "Placement blog. Some of you will remember the fire at the community centre last "
        "summer; the boy who was charged is on my caseload now."
    )
    result = safer(text, (("time", "last summer"),))
    assert result.text is None and result.reason == "known"


def test_sentences_go_until_the_recheck_passes_but_the_first_stays() -> None:
    text = (
        "Gutted today. The baby I placed is coming back into care. She has a cleft palate. "
        "Adopters couldn't cope. Cried in the car."
    )
    result = safer(text, flagged=lambda t: "cleft palate" in t)
    assert result.pruned and result.text is not None
    assert result.text.startswith("Gutted today.")
    assert "cleft palate" not in result.text and "Adopters couldn't cope." in result.text


def test_the_make_up_of_a_family_is_said_in_general_before_sentences_go() -> None:
    text = "Final hearing for the twins today, the eldest of four. Mum of 5 now. Fingers crossed."
    result = safer(text, flagged=lambda t: "twins" in t or "of four" in t or "of 5" in t)
    assert result.text == "Final hearing for the children today. Mum now. Fingers crossed."
    assert not result.pruned


def test_no_safe_version_when_the_recheck_never_passes() -> None:
    text = "Visit to the twins today. Both well. Mum cried. Long day."
    result = safer(text, flagged=lambda t: True)
    assert result.text is None and result.reason == "details"
    assert result.message == NO_SAFE_VERSION["details"]


def test_never_more_than_half_of_the_post_goes() -> None:
    text = "Long day today. The baby cried. Mum cried. Dad cried all the way home."
    result = safer(text, flagged=lambda t: "cried" in t)
    assert result.text is None and result.reason == "details"


def test_through_the_checker_a_photo_finding_says_there_is_no_safe_version() -> None:
    text = (
        "Took the kids to the beach for contact today, look at those smiles ☀️ [pic] "
        "Jayden & Mia absolutely loving it #fostering #socialwork"
    )
    rewrite = conf(text).rewrite
    assert rewrite == NO_SAFE_VERSION["photo"]


def test_a_huge_post_gets_no_rewrite_and_no_wait() -> None:
    """A 1 MB post (archives hold them) is refused at once, never rewritten in part."""
    import time

    text = "Home visit to Jayden, 7, at St Anne's on Mill Lane every Tuesday at 2pm. " * 14000
    started = time.perf_counter()
    result = safer(text[:1_000_000], (("name", "Jayden"),))
    assert result.text is None and result.reason == "long"
    assert time.perf_counter() - started < 2.0
    many = "Visits today: " + ", ".join(f"Jayden {i}" for i in range(150)) + "."
    assert safer(many).reason == "long"  # more names than a rewrite is trusted with


def test_a_county_prefix_a_quoted_nickname_and_a_band_are_taken_out() -> None:
    county = safer("He's lived in a group home in Co. Clare since 1989.", (("town", "Co"),))
    assert county.text == "He's lived in a group home in the area since 1989."
    nickname = safer("Gutted 'Smudge' has moved on from our home today.")
    assert nickname.text is not None and "Smudge" not in nickname.text, nickname
    band = safer("Three years of him belting out Oasis at breakfast.")
    assert band.text == "Three years of him belting out songs at breakfast."
