"""The checker's rules: each category's positives and hard negatives, spans, rewrites.

These test the rules layer (``rule_check``: the findings before the learned model
decides); tests/check/test_model.py tests the full check. Every post here is written for
these tests (none is copied from the shared data).
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import pytest

from kaleidoscope.check.checker import (
    check_post,
    check_text,
    parse_audience,
    parse_platform,
    rule_check,
)
from kaleidoscope.check.records import (
    Audience,
    Category,
    Platform,
    Post,
    PostKind,
    Result,
    Severity,
)
from kaleidoscope.guidance.registry import load_registry

FIXTURES = Path(__file__).parents[1] / "fixtures" / "check"


def check_rules(text: str, platform: str | None = None, audience: str | None = None) -> Result:
    post = Post(
        id="draft", text=text, platform=parse_platform(platform), audience=parse_audience(audience)
    )
    return rule_check(post)


def labels(text: str, **kw: str) -> set[str]:
    return set(check_rules(text, **kw).labels)


def finding(text: str, category: Category) -> tuple[str, list[str], str | None, str]:
    result = check_rules(text)
    for f in result.findings:
        if f.category is category:
            return f.severity.value, [s.quote for s in f.spans], f.rewrite, f.why
    raise AssertionError(f"no {category.value} finding in {text!r}: {result.labels}")


# --- confidentiality --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # a name or initials in a care context
        "Court tomorrow for RJ, 11, and his sister. Fingers crossed the plan is agreed.",
        "Lovely supervised contact with Kayla and her dad today, she's come on so much #fostering",
        "Mr D from my caseload rang nine times about his blue badge. Nine.",
        "Ref 558213 finally at final hearing next week, 2 years of work on that case",
        "Sat with the Okafor family on the visit today, mum was in tears",
        # the jigsaw: two or more indirect identifiers about someone in a care context
        "Home visit this morning: 13yo girl at Castlegate Academy, mum's new partner living there",
        "Safeguarding strategy meeting for a 9 month old with bruising, dad works at the abattoir",
        "Detained under s3 today, a retired headteacher well known in Ballyclare. Dignity matters.",
        "The only family with triplets on the whole Larchfield estate got allocated to me today",
    ],
)
def test_confidentiality_positives(text: str) -> None:
    result = check_rules(text)
    assert "confidentiality" in result.labels
    assert result.severity is Severity.HIGH


@pytest.mark.parametrize(
    "text",
    [
        "Hard day in court. Thinking of every family going through care proceedings tonight.",
        "Congratulations to Professor Mira Desai on her keynote about child protection reform",
        "My colleague Hannah smashed her first final hearing today, so proud of her",
        "Our Freddie started at Brook Lane Primary today, proud mum moment",
        "Training in Leeds on 4 June about case recording. See you there! #socialwork",
        "Around a third of children in care in our region are aged 10 to 15. We need carers.",
        "A young person told me today that I was the first adult who listened. That's the job.",
        "Great article by Tom Hale in the Guardian on why kinship carers need support",
    ],
)
def test_confidentiality_hard_negatives(text: str) -> None:
    assert "confidentiality" not in labels(text)


def test_jigsaw_spans_point_at_the_identifiers_and_why_names_the_combination() -> None:
    text = "Home visit today: 14yo lad at Ridgeway High, dad in prison, every Tuesday at 4"
    severity, quotes, _, why = finding(text, Category.CONFIDENTIALITY)
    assert severity == "high"
    for piece in ("14yo", "Ridgeway High", "prison", "Home visit"):
        assert any(piece in q for q in quotes), (piece, quotes)
    assert "age" in why and "school" in why and "Home visit" in why
    result = check_rules(text)
    for f in result.findings:
        for span in f.spans:
            assert text[span.start : span.end] == span.quote


def test_rewrite_removes_direct_and_indirect_identifiers() -> None:
    text = "Court today for TJ, 12, from the Brambles estate. Mrs Kaur (81) on Mill Road next."
    _, _, rewrite, _ = finding(text, Category.CONFIDENTIALITY)
    assert rewrite is not None
    for identifier in ("TJ", "12", "Brambles", "Kaur", "81", "Mill Road"):
        assert identifier not in rewrite, (identifier, rewrite)
    assert "a young person" in rewrite
    assert "Court today" in rewrite


def test_rewrite_generalises_a_school_and_an_aged_person() -> None:
    # (the safer version is re-checked by the full check, model included)
    text = "Heartbreaking visit: a 15yo girl at St Agnes Academy was in tears again"
    _, _, rewrite, _ = finding(text, Category.CONFIDENTIALITY)
    assert rewrite is not None
    assert "15yo" not in rewrite and "St Agnes" not in rewrite
    assert "a young person" in rewrite and "school" in rewrite


# --- boundaries ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,severity",
    [
        ("One of my young people asked to add me on Snapchat and I said yes, why not", "medium"),
        ("Lent a mum on my caseload a tenner for gas out of my own purse, don't tell anyone",
         "medium"),
        ("Hi Kieran it's your social worker, message me on here anytime, this is my personal insta",
         "high"),
        ("Going for a drink with Ollie (ex-client) tonight, he's doing so well", "high"),
    ],
)
def test_boundaries(text: str, severity: str) -> None:
    result = check_rules(text)
    assert "boundaries" in result.labels
    assert finding(text, Category.BOUNDARIES)[0] == severity


def test_boundaries_advice_and_direct_audience() -> None:
    assert "boundaries" not in labels(
        "Students: never accept friend requests from the people you work with."
    )
    direct = check_rules(
        "It's your social worker, text me on my personal number whenever you want",
        audience="direct",
    )
    assert finding_severity(direct, Category.BOUNDARIES) is Severity.HIGH


def finding_severity(result: Result, category: Category) -> Severity:
    return next(f.severity for f in result.findings if f.category is category)


# --- self-disclosure --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,severity",
    [
        ("Hungover and cranky. Never again (until Saturday)", "low"),
        ("Still drunk from Jess's birthday and I'm on duty at 9 😬", "medium"),
        ("Three glasses of wine a night is my coping strategy this month", "medium"),
        ("Live from the food festival in the park, come say hi, I'm by the churros 📍", "medium"),
        ("Keys collected! 27 Orchard Close is officially ours 🏡", "medium"),
        ("My little boy walks to Fernhill Primary on his own now, 8.20 every morning", "medium"),
        ("Smoked a joint at the gig last night, first in years", "medium"),
    ],
)
def test_self_disclosure(text: str, severity: str) -> None:
    assert "self_disclosure" in labels(text)
    assert finding(text, Category.SELF_DISCLOSURE)[0] == severity


@pytest.mark.parametrize(
    "text",
    [
        "My daughter's 10th birthday today, cake for breakfast 🎂",
        "School run done, now to the office ☕",
        "Mum kept drinking on the visit and the kids were left alone",
        "Please stop calling people who use drugs 'addicts'. Language matters.",
    ],
)
def test_self_disclosure_hard_negatives(text: str) -> None:
    assert "self_disclosure" not in labels(text)


# --- employer criticism -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text,severity",
    [
        ("Our service manager is completely clueless about what frontline work involves", "medium"),
        ("Raised a grievance against my team leader today. Enough is enough.", "medium"),
        ("Senior management ignored us again. Six vacancies and they want more cases.", "medium"),
        ("Caseload of 29. Lunch is a myth. #socialworklife", "low"),
    ],
)
def test_employer_criticism(text: str, severity: str) -> None:
    assert "employer_criticism" in labels(text)
    assert finding(text, Category.EMPLOYER_CRITICISM)[0] == severity


@pytest.mark.parametrize(
    "text",
    [
        "Cuts to early help will cost far more in crisis services later. Invest now.",
        "Proud our council's adoption service was rated good today. Great team!",
        "Good supervision with my manager today. I feel heard.",
    ],
)
def test_employer_criticism_hard_negatives(text: str) -> None:
    assert "employer_criticism" not in labels(text)


# --- derogatory -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Duty is just scroungers and time wasters today",
        "Another call from the nutter on the third floor",
        "Why do travellers always leave it to the last minute",
        "The locum is a total snowflake, needs to toughen up",
    ],
)
def test_derogatory(text: str) -> None:
    result = check_rules(text)
    assert "derogatory" in result.labels
    assert result.severity is Severity.HIGH


@pytest.mark.parametrize(
    "text",
    [
        "Every child deserves an adult who is crazy about them",
        "Please don't call people 'junkies'. It shapes how services treat them.",
        "I'm such an idiot, left my lanyard at home again",
    ],
)
def test_derogatory_hard_negatives(text: str) -> None:
    assert "derogatory" not in labels(text)


def test_colleague_insult_is_also_employer_criticism() -> None:
    found = labels("The new NQSW in our team is an absolute muppet, can't write a plan")
    assert {"derogatory", "employer_criticism"} <= found


# --- consent and privacy ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Had a nosey at mum's Insta before the visit, new boyfriend all over it",
        "Set up a fake Facebook account to keep tabs on my families. Works a treat.",
        "[photo] the state of this kitchen on today's home visit #socialworklife",
        "Screenshotted the texts dad sent me and posted them for the team chat 😂",
        "Recorded the meeting with the parents on my phone without telling them",
    ],
)
def test_consent_privacy(text: str) -> None:
    result = check_rules(text)
    assert "consent_privacy" in result.labels
    assert result.severity is Severity.HIGH


@pytest.mark.parametrize(
    "text",
    [
        "Team photo at our away day (everyone happy for the pic to go up!)",
        "Online searches about families need consent or a lawful reason. Never a fake profile.",
        "Great session on case recording and data protection today",
    ],
)
def test_consent_privacy_hard_negatives(text: str) -> None:
    assert "consent_privacy" not in labels(text)


# --- whole posts ------------------------------------------------------------------------


def test_safe_posts_have_no_findings() -> None:
    for text in (
        "Sunday roast then a muddy walk with the dog 🐕",
        "Heading to the BASW conference in Cardiff next month, who else is going?",
        "Social work is a human rights profession. #WorldSocialWorkDay",
        "Delighted to start my new role with the adults' team at Lindow Council",
    ):
        result = check_rules(text)
        assert result.findings == [] and result.severity is Severity.NONE, text


def test_reposts_are_not_the_users_words() -> None:
    post = Post(id="1", text="The nutters on ward 3 again", kind=PostKind.REPOST)
    assert check_post(post).findings == []


def test_amplifiers_come_from_metadata() -> None:
    post = Post(
        id="1",
        text="Hungover on a home visit, never again",
        platform=Platform.X,
        audience=Audience.PUBLIC,
        hashtags=["socialwork"],
        mentions=["someone"],
        location="Leeds",
        media_count=1,
    )
    amplifiers = " | ".join(rule_check(post).amplifiers)
    for word in ("public", "searchable", "mentions", "location", "photo"):
        assert word in amplifiers


def test_attached_media_with_a_care_context_is_a_consent_risk() -> None:
    post = Post(id="1", text="Contact day at the family centre, look at these two", media_count=2)
    assert "consent_privacy" in rule_check(post).labels


def test_unknown_platform_or_audience_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="platform"):
        check_text("hello", platform="myspace")
    with pytest.raises(ValueError, match="audience"):
        check_text("hello", audience="everyone")


def test_guidance_keys_exist_in_the_registry() -> None:
    registry = load_registry()
    text = (
        "Had a nosey at mum's Facebook. Hungover. Our manager is useless. Scroungers. "
        "TJ, 14, at court. Message me on my personal number, one of my young people"
    )
    result = check_rules(text)
    assert len(result.findings) == 6
    for f in result.findings:
        assert f.guidance
        for key in f.guidance:
            assert key in registry, key


def test_every_category_cites_current_guidance_from_each_nation() -> None:
    """Issue 15: no historical HCPC or superseded SSSC keys; a practitioner in any of the
    four nations finds their own regulator among each category's references."""
    from kaleidoscope.check.rules import load_rules
    from kaleidoscope.guidance.registry import NATIONS

    registry = load_registry()
    for category, keys in load_rules().guidance.items():
        entries = [registry[key] for key in keys]
        stale = [g.key for g in entries if not g.is_current]
        assert not stale, (category, stale)
        nations = {g.jurisdiction for g in entries}
        assert set(NATIONS) <= nations, (category, set(NATIONS) - nations)


def test_thread_safe_results_match_serial_ones() -> None:
    texts = [json.loads(line)["text"] for line in (FIXTURES / "own_posts.jsonl").open()]
    expected = [check_text(t).labels for t in texts]  # the full check, model included
    got: dict[int, list[list[str]]] = {}

    def work(n: int) -> None:
        got[n] = [check_text(t).labels for t in texts]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(v == expected for v in got.values())


def test_offsets_are_python_string_offsets_with_emoji_and_accents() -> None:
    text = "🎉🎉 Café trip then court for Zoë's mum? No: court for TJ, 12 🙈"
    result = check_rules(text)
    assert result.findings
    for f in result.findings:
        for span in f.spans:
            assert text[span.start : span.end] == span.quote


@pytest.mark.parametrize(
    "name",
    [
        "own_posts.jsonl", "own_posts2.jsonl", "own_posts3.jsonl", "own_posts4.jsonl",
        "own_safe.jsonl",
    ],
)
def test_own_labelled_sets_stay_accurate(name: str) -> None:
    """Regression guard on posts written for this project (not the shared dev set)."""
    records = [json.loads(line) for line in (FIXTURES / name).open(encoding="utf-8")]
    wrong = []
    for record in records:
        got = set(check_rules(record["text"]).labels)
        if got != set(record["labels"]):
            wrong.append((record["id"], sorted(got), record["labels"]))
    assert len(wrong) <= len(records) // 10, wrong


def test_lexicon_phrases_are_concepts_not_sentences() -> None:
    """Guard against memorising posts: no lexicon phrase is longer than seven words."""
    lexicon = (
        Path(__file__).parents[2] / "src" / "kaleidoscope" / "check" / "rules" / "lexicon.yaml"
    ).read_text(encoding="utf-8")
    for line in lexicon.splitlines():
        m = re.match(r"\s+- (.*)$", line)
        if m:
            assert len(m.group(1).split()) <= 7, line


@pytest.mark.parametrize(
    "text,category",
    [
        # a name nobody listed, set beside a service-user reference
        ("So proud of Zephyrine Okonkwo-Blake, a young woman I supported for three years",
         Category.CONFIDENTIALITY),
        # the worker's own child by any name: school plus routine
        ("Our Ottilie's at Greyfriars Primary now and walks home on her own",
         Category.SELF_DISCLOSURE),
        # searching someone online needs no platform word
        ("Googled the new partner before the visit, found his court case in the paper",
         Category.CONSENT_PRIVACY),
        # a shared photo of the children themselves identifies them
        ("Sharing a pic from contact today, the twins had a ball [photo] #fostering",
         Category.CONFIDENTIALITY),
        # an age in words is still an age
        ("Twelve year old on my caseload told me her stepdad locks her in at night. S47 tomorrow.",
         Category.CONFIDENTIALITY),
    ],
)
def test_generalising_patterns(text: str, category: Category) -> None:
    assert category.value in labels(text)


def test_sentence_openers_and_photos_of_rooms_are_not_identifiers() -> None:
    assert "confidentiality" not in labels("Gutted, one of my families has moved away.")
    found = labels("[photo] the bedroom the kids sleep in, on today's visit. No curtains.")
    assert "consent_privacy" in found and "confidentiality" not in found
