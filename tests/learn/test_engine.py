"""The dilemma engine: moves, rewind, profile, and JSON round-trip (with property tests)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaleidoscope.learn.engine import PlayError, Playthrough, Step
from kaleidoscope.learn.library import bundled_library
from kaleidoscope.learn.model import Decision, Dimension, Ending, EndingKind, Scenario
from kaleidoscope.learn.source import Document, Positions
from kaleidoscope.learn.validate import check_document


@pytest.fixture(scope="module")
def friend_request() -> Scenario:
    scenario = bundled_library().get("friend-request")
    assert scenario is not None
    return scenario


def test_a_playthrough_starts_at_the_start_and_stops_at_the_first_decision(
    friend_request: Scenario,
) -> None:
    play = Playthrough(friend_request)
    assert play.current_id == "intro"
    passed = play.advance_to_decision()
    assert [p.text[:5] for p in passed] == ["After", '"Last']
    assert isinstance(play.current, Decision)
    assert play.last_choice is None and not play.can_go_back


def test_choosing_records_the_choice_and_its_consequence(friend_request: Scenario) -> None:
    play = Playthrough(friend_request)
    play.advance_to_decision()
    choice = play.choose("talk")
    assert play.last_choice == choice
    assert play.steps[-2] == Step("first_move", "talk")
    assert play.profile()[Dimension.BOUNDARIES] == 2


def test_back_returns_to_the_previous_decision_repeatedly(friend_request: Scenario) -> None:
    play = Playthrough(friend_request)
    play.advance_to_decision()
    play.choose("ignore")
    play.advance_to_decision()
    play.choose("accept_late")
    play.advance_to_decision()
    assert play.current_id == "late_message"
    assert play.back() and play.current_id == "repair"
    assert play.back() and play.current_id == "first_move"
    assert not play.back() and play.current_id == "first_move"
    assert play.rewinds == 2
    assert play.profile() == dict.fromkeys(Dimension, 0)


def test_restart_and_outcome(friend_request: Scenario) -> None:
    play = Playthrough(friend_request)
    play.advance_to_decision()
    play.choose("advice")
    play.advance_to_decision()
    play.choose("work_mobile")
    assert play.finished and play.outcome is EndingKind.SUCCESSFUL
    assert play.guidance_cited() == [  # the current regulator of each nation (issue 15)
        "SWE-2019", "SSSC-COP-2024", "SCW-CODE-2026", "NISCC-SCP-SW", "BASW-2012",
        "MEGELE-2012", "SWE-2019-3.10",
    ]
    play.restart()
    assert play.steps == [Step("intro")] and play.outcome is None and play.restarts == 1


def test_moves_that_do_not_fit_are_refused(friend_request: Scenario) -> None:
    play = Playthrough(friend_request)
    with pytest.raises(PlayError):
        play.choose("accept")  # still on a passage
    play.advance_to_decision()
    with pytest.raises(PlayError):
        play.advance()
    with pytest.raises(PlayError):
        play.choose("not-a-choice")
    with pytest.raises(PlayError):
        play.choose_number(9)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d.update(format=99),
        lambda d: d.update(scenario="other"),
        lambda d: d.update(steps=[]),
        lambda d: d.update(steps=[["intro", None], ["late_message", None]]),
        lambda d: d["steps"].__setitem__(2, ["first_move", "no-such-choice"]),
        lambda d: d["steps"].append(["agreed_channel", "x"]),
        lambda d: d.update(steps="intro"),
        lambda d: d.update(rewinds=-1),
        lambda d: d.update(restarts=True),
    ],
)
def test_tampered_saved_state_is_rejected(friend_request: Scenario, tamper: Any) -> None:
    play = Playthrough(friend_request)
    play.advance_to_decision()
    play.choose("talk")
    data = json.loads(json.dumps(play.to_json()))
    tamper(data)
    with pytest.raises(PlayError):
        Playthrough.from_json(friend_request, data)


# --- property tests over generated valid scenarios ----------------------------------


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """Valid scenarios: a spine of passages/decisions to an ending, extra endings, loops."""
    spine = draw(st.lists(st.sampled_from(["passage", "decision"]), min_size=1, max_size=8))
    extra_endings = draw(st.integers(0, 3)) if "decision" in spine else 0
    spine_ids = [f"n{i}" for i in range(len(spine))]
    ending_ids = [f"end{i}" for i in range(extra_endings + 1)]
    all_ids = spine_ids + ending_ids
    nodes: dict[str, Any] = {}
    unplaced = ending_ids[1:]
    for i, kind in enumerate(spine):
        forward = spine_ids[i + 1] if i + 1 < len(spine) else ending_ids[0]
        if kind == "passage":
            nodes[spine_ids[i]] = {"type": "passage", "text": f"Passage {i}", "next": forward}
            continue
        count = draw(st.integers(2, 5))
        targets = [forward]
        while unplaced and len(targets) < count:
            targets.append(unplaced.pop())
        while len(targets) < count:
            targets.append(draw(st.sampled_from(all_ids)))
        targets = draw(st.permutations(targets))
        nodes[spine_ids[i]] = {
            "type": "decision", "text": f"Decision {i}",
            "choices": [
                {"id": f"c{j}", "text": f"Choice {j}", "target": target,
                 "consequence": "Something follows.", "guidance": ["HCPC-2017"],
                 "effects": draw(st.dictionaries(st.sampled_from([d.value for d in Dimension]),
                                                 st.integers(-2, 2), max_size=3))}
                for j, target in enumerate(targets)
            ],
        }
    if unplaced:  # not enough decision slots: drop endings nobody can reach
        ending_ids = [e for e in ending_ids if e not in unplaced]
    for k, ending in enumerate(ending_ids):
        nodes[ending] = {"type": "ending", "kind": list(EndingKind)[k % 3].value,
                         "title": f"Ending {k}", "debrief": "What to take away."}
    data = {"id": "generated", "title": "Generated", "summary": "A generated scenario.",
            "themes": ["testing"], "minutes": 1, "audience": ["students"],
            "start": "n0", "nodes": nodes}
    checked = check_document(Document("<generated>", data, Positions(), []))
    assert checked.scenario is not None, [str(d) for d in checked.diagnostics]
    return checked.scenario


moves = st.lists(
    st.one_of(st.tuples(st.just("choose"), st.integers(0, 4)), st.just(("advance", 0)),
              st.just(("back", 0)), st.just(("restart", 0))),
    max_size=40,
)


def _apply(play: Playthrough, move: tuple[str, int]) -> None:
    name, arg = move
    node = play.current
    if name == "choose" and isinstance(node, Decision):
        play.choose(node.choices[arg % len(node.choices)].id)
    elif name == "advance" and not isinstance(node, Decision | Ending):
        play.advance()
    elif name == "back":
        had_decision = play.can_go_back
        assert play.back() == had_decision
        if had_decision:
            assert isinstance(play.current, Decision)
    elif name == "restart":
        play.restart()


def _check_consistent(play: Playthrough) -> None:
    scenario = play.scenario
    assert play.steps[0].node == scenario.start
    assert play.steps[-1].choice is None
    assert play.finished == isinstance(play.current, Ending)
    expected = dict.fromkeys(Dimension, 0)
    for step in play.steps[:-1]:
        node = scenario.nodes[step.node]
        if isinstance(node, Decision):
            chosen = next(c for c in node.choices if c.id == step.choice)
            for dimension, value in chosen.effects.items():
                expected[dimension] += value
    assert play.profile() == expected
    saved = json.loads(json.dumps(play.to_json()))
    again = Playthrough.from_json(scenario, saved)
    assert again.to_json() == play.to_json()
    assert again.profile() == play.profile() and again.current_id == play.current_id


@settings(max_examples=150, deadline=None)
@given(scenario=scenarios(), sequence=moves)
def test_any_sequence_of_moves_keeps_the_playthrough_consistent(
    scenario: Scenario, sequence: list[tuple[str, int]]
) -> None:
    play = Playthrough(scenario)
    replay = Playthrough(scenario)
    for move in sequence:
        _apply(play, move)
        _check_consistent(play)
    for move in sequence:
        _apply(replay, move)
    assert replay.to_json() == play.to_json()  # deterministic


@settings(max_examples=60, deadline=None)
@given(scenario=scenarios(), picks=st.lists(st.integers(0, 4), max_size=60))
def test_always_choosing_forward_reaches_an_ending(
    scenario: Scenario, picks: list[int]
) -> None:
    """Every generated scenario keeps an ending reachable from wherever we are."""
    play = Playthrough(scenario)
    for pick in picks:
        if play.finished:
            break
        _apply(play, ("advance", 0))
        _apply(play, ("choose", pick))
    for _ in range(len(scenario.nodes) * 2):  # then take the spine (first forward target)
        if play.finished:
            break
        node = play.current
        if isinstance(node, Decision):
            order = list(scenario.nodes)
            here = order.index(play.current_id)
            forward = [c for c in node.choices if c.target not in order[: here + 1]]
            play.choose(forward[0].id)
        else:
            play.advance()
    assert play.finished
