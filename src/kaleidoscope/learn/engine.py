"""Play a scenario: a pure, deterministic state machine with rewind and JSON round-trip.

A playthrough is the list of nodes visited, each with the choice made there (for
decisions left behind). Everything else (the current node, the dimension profile, the
outcome) is derived from that list and the scenario, so it cannot drift out of step.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from kaleidoscope.learn.model import (
    Choice,
    Decision,
    Dimension,
    Ending,
    EndingKind,
    Passage,
    Scenario,
)

FORMAT_VERSION = 1


class PlayError(ValueError):
    """A move that the current state does not allow, or state that does not fit."""


@dataclass(frozen=True, slots=True)
class Step:
    node: str
    choice: str | None = None


@dataclass
class Playthrough:
    scenario: Scenario
    steps: list[Step] = field(default_factory=list)
    rewinds: int = 0
    restarts: int = 0

    def __post_init__(self) -> None:
        if not self.steps:
            self.steps = [Step(self.scenario.start)]

    # --- where we are -------------------------------------------------------------
    @property
    def current_id(self) -> str:
        return self.steps[-1].node

    @property
    def current(self) -> Passage | Decision | Ending:
        return self.scenario.nodes[self.current_id]

    @property
    def finished(self) -> bool:
        return isinstance(self.current, Ending)

    @property
    def outcome(self) -> EndingKind | None:
        node = self.current
        return node.kind if isinstance(node, Ending) else None

    @property
    def can_go_back(self) -> bool:
        return any(isinstance(self.scenario.nodes[s.node], Decision) for s in self.steps[:-1])

    def choices_made(self) -> list[tuple[Decision, Choice]]:
        made = []
        for step in self.steps[:-1]:
            node = self.scenario.nodes[step.node]
            if isinstance(node, Decision) and step.choice is not None:
                made.append((node, _choice(node, step.choice)))
        return made

    @property
    def last_choice(self) -> Choice | None:
        """The choice that led straight to the current node, if one did."""
        if len(self.steps) < 2:
            return None
        prev = self.steps[-2]
        node = self.scenario.nodes[prev.node]
        if isinstance(node, Decision) and prev.choice is not None:
            return _choice(node, prev.choice)
        return None

    def profile(self) -> dict[Dimension, int]:
        totals = dict.fromkeys(Dimension, 0)
        for _decision, choice in self.choices_made():
            for dim, value in choice.effects.items():
                totals[dim] += value
        return totals

    def guidance_cited(self) -> list[str]:
        keys: list[str] = []
        for _decision, choice in self.choices_made():
            keys.extend(k for k in choice.guidance if k not in keys)
        return keys

    # --- moves ----------------------------------------------------------------------
    def advance(self) -> None:
        node = self.current
        if not isinstance(node, Passage):
            raise PlayError(f"'{self.current_id}' is not a passage")
        self.steps.append(Step(node.next))

    def choose(self, choice_id: str) -> Choice:
        node = self.current
        if not isinstance(node, Decision):
            raise PlayError(f"'{self.current_id}' is not a decision")
        choice = _choice(node, choice_id)
        self.steps[-1] = Step(self.current_id, choice.id)
        self.steps.append(Step(choice.target))
        return choice

    def choose_number(self, number: int) -> Choice:
        """Choose by 1-based position, as a player types it."""
        node = self.current
        if not isinstance(node, Decision):
            raise PlayError(f"'{self.current_id}' is not a decision")
        if not 1 <= number <= len(node.choices):
            raise PlayError(f"choose a number from 1 to {len(node.choices)}")
        return self.choose(node.choices[number - 1].id)

    def back(self) -> bool:
        """Return to the most recent decision before the current node; False if none."""
        for index in range(len(self.steps) - 2, -1, -1):
            step = self.steps[index]
            if isinstance(self.scenario.nodes[step.node], Decision):
                del self.steps[index + 1 :]
                self.steps[index] = Step(step.node)
                self.rewinds += 1
                return True
        return False

    def restart(self) -> None:
        self.steps = [Step(self.scenario.start)]
        self.restarts += 1

    def advance_to_decision(self) -> list[Passage]:
        """Move through passages until a decision or an ending; return what was passed."""
        passed: list[Passage] = []
        seen = 0
        while isinstance(self.current, Passage):
            passed.append(self.current)
            self.advance()
            seen += 1
            if seen > len(self.scenario.nodes):
                raise PlayError("passages loop without a decision")
        return passed

    # --- storage ---------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "scenario": self.scenario.id,
            "steps": [[s.node, s.choice] for s in self.steps],
            "rewinds": self.rewinds,
            "restarts": self.restarts,
        }

    @classmethod
    def from_json(cls, scenario: Scenario, data: Any) -> Playthrough:
        """Rebuild a playthrough, checking every step against the scenario."""
        if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
            raise PlayError("not a saved playthrough of a known format")
        if data.get("scenario") != scenario.id:
            raise PlayError("saved playthrough belongs to another scenario")
        raw_steps = data.get("steps")
        if not isinstance(raw_steps, list) or not raw_steps:
            raise PlayError("saved playthrough has no steps")
        steps: list[Step] = []
        for item in raw_steps:
            if (
                not isinstance(item, list)
                or len(item) != 2
                or not isinstance(item[0], str)
                or not (item[1] is None or isinstance(item[1], str))
            ):
                raise PlayError("saved step is malformed")
            steps.append(Step(item[0], item[1]))
        _check_path(scenario, steps)
        counters = [data.get("rewinds", 0), data.get("restarts", 0)]
        if not all(isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in counters):
            raise PlayError("saved counters are malformed")
        return cls(scenario, steps, counters[0], counters[1])


def _choice(decision: Decision, choice_id: str) -> Choice:
    for choice in decision.choices:
        if choice.id == choice_id:
            return choice
    raise PlayError(f"no choice '{choice_id}' here")


def _check_path(scenario: Scenario, steps: list[Step]) -> None:
    if steps[0].node != scenario.start:
        raise PlayError("saved playthrough does not begin at the start")
    for here, there in itertools.pairwise(steps):
        node = scenario.nodes.get(here.node)
        if isinstance(node, Passage) and here.choice is None and node.next == there.node:
            continue
        if (
            isinstance(node, Decision)
            and here.choice is not None
            and _choice(node, here.choice).target == there.node
        ):
            continue
        raise PlayError(f"saved step from '{here.node}' to '{there.node}' is not a move")
    last = steps[-1]
    if last.node not in scenario.nodes or last.choice is not None:
        raise PlayError("saved playthrough ends in an impossible place")
