"""Scoring and benchmark logic of Organise, on the bundled instrument and on small
instruments written for the test."""

from __future__ import annotations

from datetime import date

import pytest

from kaleidoscope.organise.plan import action_plan, draft_policy
from kaleidoscope.organise.results import (
    MIN_RESPONSES,
    AnswerError,
    assess,
    check_answers,
    compare,
    gaps,
    points,
    theirs_sentence,
    trend,
    trend_point,
)
from kaleidoscope.organise.validate import bundled_instrument, bundled_policy

INST = bundled_instrument()


def answers(**chosen: str) -> dict[str, str]:
    """Every question answered with its scale's first option, unless given."""
    base = {q.id: INST.scale_of(q).options[0].id for q in INST.questions}
    base.update({k.replace("_", "-"): v for k, v in chosen.items()})
    return base


def test_bundled_instrument_covers_the_issue() -> None:
    assert 28 <= len(INST.questions) <= 34
    assert [t.id for t in INST.themes] == [
        "access",
        "policy",
        "training",
        "support",
        "practice",
        "engagement",
        "incidents",
    ]
    sources = {b.short for b in INST.benchmarks.values()}
    assert {
        "LGIU 2011",
        "Community Care 2015",
        "Community Care 2018",
        "Sage et al. 2017",
        "Chretien et al. 2011",
    } <= sources
    assert all(q.guidance for q in INST.questions)


def test_points_and_reverse_scoring() -> None:
    blocked = INST.question("access-blocked")
    written = INST.question("policy-written")
    done = INST.question("practice-curiosity-done")
    assert blocked and written and done
    assert points(INST, written, "yes") == 1.0
    assert points(INST, written, "no") == 0.0
    assert points(INST, blocked, "yes") == 0.0  # blocked is bad: reversed
    assert points(INST, blocked, "no") == 1.0
    assert points(INST, blocked, "partly") == 0.5
    assert points(INST, done, "never") == 1.0
    assert points(INST, done, "private") is None  # prefer not to say: not scored


def test_theme_scores_are_means_of_question_readiness() -> None:
    lead = answers(policy_written="no", policy_clear="partly")
    result = assess(INST, lead)
    policy_questions = INST.by_theme("policy")
    expected = []
    for q in policy_questions:
        value = points(INST, q, lead[q.id])
        assert value is not None
        expected.append(value)
    theme = next(t for t in result.themes if t.id == "policy")
    assert theme.lead == round(100 * sum(expected) / len(expected))
    assert theme.staff is None and theme.readiness == theme.lead


def test_staff_results_withheld_below_the_threshold() -> None:
    staff = [answers()] * (MIN_RESPONSES - 1)
    result = assess(INST, None, staff)
    assert result.withheld and not result.has_staff
    assert all(t.staff is None for t in result.themes)
    assert all(r.staff_n == 0 for r in result.questions)
    assert "4 so far" in result.withheld_message()
    assert compare(result) == []
    shown = assess(INST, None, [answers()] * MIN_RESPONSES)
    assert shown.has_staff and not shown.withheld


def test_staff_share_against_an_organisation_benchmark_says_units_differ() -> None:
    staff = [answers(training_offered="yes")] * 2 + [answers(training_offered="no")] * 3
    result = assess(INST, None, staff)
    c = next(c for c in compare(result) if c.question_id == "training-offered")
    assert c.ours.startswith("You: 40% of your staff (2 of 5) have had training")
    assert c.theirs.startswith("LGIU 2011: 25% of local authorities")
    assert "Different units" in c.unit_note
    assert c.verdict == "better"  # 40 > 25 + 5, more training is better


@pytest.mark.parametrize(("yes", "verdict"), [(1, "better"), (2, "similar"), (3, "worse")])
def test_lower_is_better_benchmarks(yes: int, verdict: str) -> None:
    # Sage et al.: 43% had done a curiosity search; fewer is better. 20%, 40%, 60%.
    staff = [answers(practice_curiosity_done="often")] * yes + [
        answers(practice_curiosity_done="never")
    ] * (5 - yes)
    c = next(
        c for c in compare(assess(INST, None, staff)) if c.question_id == "practice-curiosity-done"
    )
    assert c.verdict == verdict
    assert "Same kind of unit (people)" in c.unit_note


def test_close_figures_are_similar_and_context_benchmarks_are_not_ranked() -> None:
    # Community Care 2015: 82.1% of councils had a policy; 4 of 5 staff = 80%.
    staff = [answers(policy_written="yes")] * 4 + [answers(policy_written="no")]
    found = {c.question_id: c for c in compare(assess(INST, None, staff))}
    assert found["policy-written"].verdict == "similar"
    assert found["practice-evidence"].verdict == "context"  # Community Care 2018: neither
    assert found["practice-friends"].verdict == "none"  # a single case, no figure
    # "know how to report" against a share of tweets: other units, never ranked
    assert found["incidents-route"].verdict == "none"
    assert "counts posts, not people" in found["incidents-route"].unit_note


def test_lead_answer_against_an_organisation_benchmark() -> None:
    result = assess(INST, answers(policy_ripa="yes", training_offered="no", access_blocked="yes"))
    found = {c.question_id: c for c in compare(result)}
    assert found["policy-ripa"].verdict == "better"  # among the 4.5%
    assert "Same unit" in found["policy-ripa"].unit_note
    assert found["training-offered"].verdict == "worse"
    assert found["access-blocked"].verdict == "worse"  # blocked, about half did
    assert "is one that blocked social networking sites" in found["access-blocked"].ours
    assert found["practice-curiosity-view"].verdict == "none"  # people, not organisations


def test_benchmark_sentences_keep_qualifiers_and_bases() -> None:
    assert theirs_sentence(INST.benchmarks["lgiu-2011-policy"]).startswith(
        "LGIU 2011: under 20% of local authorities"
    )
    assert "(124 of 151 councils)" in theirs_sentence(INST.benchmarks["cc-2015-policy"])
    assert "82.1%" in theirs_sentence(INST.benchmarks["cc-2015-policy"])


def test_lead_staff_gap() -> None:
    lead = answers(policy_written="yes")
    staff = [answers(policy_written="no")] * 4 + [answers(policy_written="yes")]
    result = assess(INST, lead, staff)
    assert result.result("policy-written").gap == 80
    found = {g.question.id: g for g in gaps(result)}
    assert found["policy-written"].points == 80
    assert "1 of 5 staff (20%)" in found["policy-written"].sentence
    assert "access-tools" not in found  # everyone agrees


def test_answers_are_checked() -> None:
    with pytest.raises(AnswerError) as caught:
        check_answers(INST, {"policy-written": "maybe", "nope": "yes"}, complete=False)
    assert len(caught.value.problems) == 2
    with pytest.raises(AnswerError):
        check_answers(INST, {"policy-written": "yes"}, complete=True)
    assert check_answers(INST, answers(), complete=True) == answers()


def test_action_plan_ranks_the_biggest_weighted_gaps_first() -> None:
    lead = answers(policy_written="no", training_offered="no", access_tools="partly")
    plan = action_plan(assess(INST, lead), start=date(2026, 1, 1))
    ids = [a.question_id for a in plan]
    assert ids[:2] == ["policy-written", "training-offered"]  # weight 3, readiness 0, worse
    assert "access-tools" in ids  # partly: 50% < 75%
    assert "policy-clear" not in ids  # answered yes
    assert [a.rank for a in plan] == list(range(1, len(plan) + 1))
    assert plan[0].due == date(2026, 1, 31)
    assert plan[-1].due == date(2026, 6, 30) or len(plan) <= 8
    first = plan[0]
    assert first.guidance and first.citations
    assert "LGIU 2011" in plan[1].why and "worse than the benchmark" in plan[1].why
    training = next(a for a in plan if a.question_id == "training-offered")
    assert any(link.path == "/groups/" for link in training.links)
    assert any(link.path.startswith("/scenarios/") for link in training.links)


def test_policy_clauses_follow_the_answers_and_cite_guidance() -> None:
    template = bundled_policy()
    blocked = assess(INST, answers(access_blocked="yes", policy_ripa="no", training_offered="no"))
    draft = draft_policy(
        template,
        blocked,
        organisation="Northshire",
        approver="the head of comms",
        today=date(2026, 3, 31),
    )
    ids = {c.id for s in draft.sections for c in s.clauses}
    assert {"allowed-access-opening", "searches-new", "training-gap"} <= ids
    assert "allowed-access" not in ids
    assert "draft for local legal and HR review" in draft.notice
    assert draft.review_date == date(2027, 3, 28)
    assert all(c.guidance and c.citations for s in draft.sections for c in s.clauses)
    approval = next(c for s in draft.sections for c in s.clauses if c.id == "official-approval")
    assert approval.text.startswith("Only the head of comms may approve")
    open_ = assess(INST, answers(access_blocked="no", policy_ripa="yes", training_offered="yes"))
    ids = {c.id for s in draft_policy(template, open_).sections for c in s.clauses}
    assert "allowed-access" in ids and "searches-new" not in ids and "training-gap" not in ids
    assert "searches-ripa" in ids  # the RIPA section is always there


def test_policy_from_staff_answers_uses_the_most_common_answer() -> None:
    staff = [answers(access_blocked="yes")] * 3 + [answers(access_blocked="no")] * 2
    draft = draft_policy(bundled_policy(), assess(INST, None, staff))
    ids = {c.id for s in draft.sections for c in s.clauses}
    assert "allowed-access-opening" in ids
    assert "5 staff" in draft.generated


def test_trend_orders_by_date_and_reports_change() -> None:
    low = assess(INST, answers(policy_written="no", policy_ripa="no"))
    high = assess(INST, answers())
    rows = trend(
        INST, [trend_point("b", date(2026, 6, 1), high), trend_point("a", date(2025, 6, 1), low)]
    )
    policy = next(r for r in rows if r.theme_id == "policy")
    assert policy.values[0] is not None and policy.values[1] is not None
    assert policy.values[0] < policy.values[1]
    assert policy.change == policy.values[1] - policy.values[0]
    assert rows[-1].theme_id == "overall"


def test_prefer_not_to_say_is_left_out_of_scores_and_shares() -> None:
    staff = [answers(practice_curiosity_done="private")] * 3 + [
        answers(practice_curiosity_done="often"),
        answers(practice_curiosity_done="never"),
    ]
    result = assess(INST, None, staff)
    r = result.result("practice-curiosity-done")
    assert r.staff_n == 5 and r.staff_said == 2
    assert r.staff_score == 0.5 and r.staff_share == 50
    c = next(c for c in compare(result) if c.question_id == "practice-curiosity-done")
    assert "50% of your staff (1 of 2)" in c.ours


def test_charts_carry_their_numbers_and_skip_incomparable_units() -> None:
    from kaleidoscope.organise.charts import benchmark_svg, profile_svg

    staff = [answers(training_offered="yes")] * 2 + [answers(training_offered="no")] * 3
    result = assess(INST, answers(), staff)
    svg = profile_svg(result)
    assert svg.startswith("<svg") and 'aria-hidden="true"' in svg
    assert all(t.title.replace("'", "&#x27;") in svg for t in result.themes)
    assert "Lead 100%" in svg
    bench = benchmark_svg(compare(result))
    assert "training-offered" in bench and "LGIU 2011 25%" in bench
    assert "incidents-route" not in bench  # tweets are not staff: never drawn side by side
