"""xAPI 1.0.3 statements for a play: launched, experienced, answered, completed, commented.

Django-free and pure: each function returns one statement as a JSON-ready dict. The
profile (verbs, activity types, extensions, ids) is documented in docs/xapi.md.

- Activity ids are stable IRIs under a base the deployment chooses
  (``{base}/scenarios/{scenario}``, ``.../decisions/{node}``, ``.../passages/{node}``,
  ``.../endings/{node}``), so the same decision has the same id in every report.
- Statement ids are UUID 5 of the registration and the event's position in the play, so
  sending a statement twice stores it once (the LRS drops an identical duplicate).
- The actor is an account (an LTI ``sub`` at the platform, or an opaque id at the tool):
  this module has no way to put an email address in a statement.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kaleidoscope.learn.model import Choice, Decision, Dimension, Ending, EndingKind, Scenario

XAPI_VERSION = "1.0.3"
PROFILE = "https://kaleidoscope.invalid/xapi/profile"
EXT = f"{PROFILE}/extensions"
EXT_EFFECTS = f"{EXT}/effects"
EXT_GUIDANCE = f"{EXT}/guidance"
EXT_GROUP_SESSION = f"{EXT}/group-session"
EXT_OUTCOME = f"{EXT}/outcome"
EXT_PROFILE = f"{EXT}/dimension-profile"
EXT_SCORE_SCHEME = f"{EXT}/score-scheme"
EXT_REFLECTION = f"{EXT}/reflection"

_ADL = "http://adlnet.gov/expapi"
VERBS: dict[str, str] = {
    "launched": f"{_ADL}/verbs/launched",
    "experienced": f"{_ADL}/verbs/experienced",
    "answered": f"{_ADL}/verbs/answered",
    "completed": f"{_ADL}/verbs/completed",
    "commented": f"{_ADL}/verbs/commented",
}
TYPE_SCENARIO = f"{_ADL}/activities/simulation"
TYPE_INTERACTION = f"{_ADL}/activities/cmi.interaction"
TYPE_PASSAGE = f"{PROFILE}/activity-types/passage"
TYPE_ENDING = f"{PROFILE}/activity-types/ending"

# The score of an ending: it depends on the outcome the learner's choices led to, never on
# "right answers" at single decisions (a learner may reach a successful ending through a
# poor first move that they recovered from). Raw score out of 100; scaled = raw / 100.
SCORE_SCHEME = "outcome-v1"
OUTCOME_SCORE: dict[EndingKind, int] = {
    EndingKind.SUCCESSFUL: 100,
    EndingKind.MIXED: 50,
    EndingKind.UNSUCCESSFUL: 0,
}
SCORE_MAX = 100

_NAMESPACE = uuid.UUID("5b0f2f8e-3c51-4f55-9a0e-6f3d7c2b1a90")


def score_for(kind: EndingKind) -> int:
    """Raw score (0..100) of an ending of this kind; see docs/xapi.md "Score"."""
    return OUTCOME_SCORE[kind]


def statement_id(registration: str, *parts: str | int) -> str:
    """A stable statement id: the same event of the same attempt always gets the same id."""
    name = "/".join([registration, *(str(p) for p in parts)])
    return str(uuid.uuid5(_NAMESPACE, name))


@dataclass(frozen=True, slots=True)
class Actor:
    """An xAPI account: ``home_page`` is the LMS (or this tool) and ``name`` its user id."""

    home_page: str
    name: str

    def to_json(self) -> dict[str, Any]:
        return {"objectType": "Agent", "account": {"homePage": self.home_page, "name": self.name}}


@dataclass(frozen=True, slots=True)
class Attempt:
    """What every statement of one attempt shares."""

    actor: Actor
    registration: str
    activity_base: str
    group_session: str | None = None
    language: str = "en-GB"

    def scenario_iri(self, scenario: Scenario) -> str:
        return f"{self.activity_base.rstrip('/')}/scenarios/{scenario.id}"

    def node_iri(self, scenario: Scenario, kind: str, node_id: str) -> str:
        return f"{self.scenario_iri(scenario)}/{kind}/{node_id}"


def _lang(attempt: Attempt, text: str) -> dict[str, str]:
    return {attempt.language: text}


def _scenario_object(attempt: Attempt, scenario: Scenario) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": attempt.scenario_iri(scenario),
        "definition": {
            "type": TYPE_SCENARIO,
            "name": _lang(attempt, scenario.title),
            "description": _lang(attempt, scenario.summary),
        },
    }


def _context(attempt: Attempt, scenario: Scenario, parent: bool) -> dict[str, Any]:
    context: dict[str, Any] = {
        "registration": attempt.registration,
        "platform": "Kaleidoscope",
        "language": attempt.language,
        "contextActivities": {
            "category": [{"objectType": "Activity", "id": PROFILE}],
        },
    }
    if parent:
        context["contextActivities"]["parent"] = [
            {"objectType": "Activity", "id": attempt.scenario_iri(scenario)}
        ]
    if attempt.group_session:
        context["extensions"] = {EXT_GROUP_SESSION: attempt.group_session}
    return context


def _statement(
    attempt: Attempt,
    verb: str,
    obj: dict[str, Any],
    scenario: Scenario,
    sid: str,
    timestamp: datetime | None,
    *,
    parent: bool = True,
    result: dict[str, Any] | None = None,
) -> dict[str, Any]:
    when = (timestamp or datetime.now(UTC)).astimezone(UTC)
    statement: dict[str, Any] = {
        "id": sid,
        "actor": attempt.actor.to_json(),
        "verb": {"id": VERBS[verb], "display": {"en-GB": verb}},
        "object": obj,
        "context": _context(attempt, scenario, parent),
        "timestamp": when.isoformat(timespec="milliseconds"),
        "version": XAPI_VERSION,
    }
    if result is not None:
        statement["result"] = result
    return statement


def launched(
    attempt: Attempt, scenario: Scenario, *, seq: int, timestamp: datetime | None = None
) -> dict[str, Any]:
    """The learner opened the scenario (one per attempt)."""
    return _statement(
        attempt,
        "launched",
        _scenario_object(attempt, scenario),
        scenario,
        statement_id(attempt.registration, seq, "launched"),
        timestamp,
        parent=False,
    )


def experienced(
    attempt: Attempt,
    scenario: Scenario,
    node_id: str,
    *,
    seq: int,
    timestamp: datetime | None = None,
) -> dict[str, Any]:
    """The learner was shown a passage."""
    obj = {
        "objectType": "Activity",
        "id": attempt.node_iri(scenario, "passages", node_id),
        "definition": {"type": TYPE_PASSAGE, "name": _lang(attempt, node_id)},
    }
    sid = statement_id(attempt.registration, seq, "experienced", node_id)
    return _statement(attempt, "experienced", obj, scenario, sid, timestamp)


def effects_of(choice: Choice) -> dict[str, int]:
    """The choice's movement on all six dimensions (0 where it does not move one)."""
    return {dim.value: choice.effects.get(dim, 0) for dim in Dimension}


def answered(
    attempt: Attempt,
    scenario: Scenario,
    node_id: str,
    decision: Decision,
    choice: Choice,
    *,
    seq: int,
    timestamp: datetime | None = None,
) -> dict[str, Any]:
    """The learner made a decision: the choice id and text, its effects and guidance."""
    obj = {
        "objectType": "Activity",
        "id": attempt.node_iri(scenario, "decisions", node_id),
        "definition": {
            "type": TYPE_INTERACTION,
            "name": _lang(attempt, node_id),
            "description": _lang(attempt, decision.text),
            "interactionType": "choice",
            "choices": [
                {"id": c.id, "description": _lang(attempt, c.text)} for c in decision.choices
            ],
        },
    }
    result = {
        "response": choice.id,
        "extensions": {
            f"{EXT}/choice-text": choice.text,
            EXT_EFFECTS: effects_of(choice),
            EXT_GUIDANCE: list(choice.guidance),
        },
    }
    sid = statement_id(attempt.registration, seq, "answered", node_id, choice.id)
    return _statement(attempt, "answered", obj, scenario, sid, timestamp, result=result)


def completed(
    attempt: Attempt,
    scenario: Scenario,
    node_id: str,
    ending: Ending,
    profile: dict[Dimension, int],
    *,
    seq: int,
    duration: str | None = None,
    timestamp: datetime | None = None,
) -> dict[str, Any]:
    """The learner reached an ending: completion, the outcome-based score, the profile."""
    raw = score_for(ending.kind)
    result: dict[str, Any] = {
        "completion": True,
        "success": ending.kind is EndingKind.SUCCESSFUL,
        "score": {"scaled": raw / SCORE_MAX, "raw": raw, "min": 0, "max": SCORE_MAX},
        "extensions": {
            EXT_OUTCOME: ending.kind.value,
            f"{EXT}/ending": attempt.node_iri(scenario, "endings", node_id),
            EXT_PROFILE: {dim.value: profile.get(dim, 0) for dim in Dimension},
            EXT_SCORE_SCHEME: SCORE_SCHEME,
        },
    }
    if duration:
        result["duration"] = duration
    sid = statement_id(attempt.registration, seq, "completed", node_id)
    return _statement(
        attempt,
        "completed",
        _scenario_object(attempt, scenario),
        scenario,
        sid,
        timestamp,
        parent=False,
        result=result,
    )


def commented(
    attempt: Attempt,
    scenario: Scenario,
    text: str,
    *,
    consent: bool,
    seq: int,
    answers: Mapping[str, str] | None = None,
    timestamp: datetime | None = None,
) -> dict[str, Any] | None:
    """A reflection, only if the learner chose to share it (else None: nothing to send).

    ``text`` is the reflection as a person reads it (``result.response``); ``answers``,
    the same answers keyed by question (``learned``, ``impact``), go in the reflection
    extension for machines. Empty answers are left out."""
    if not consent or not text.strip():
        return None
    result: dict[str, Any] = {"response": text}
    kept = {key: value for key, value in (answers or {}).items() if value.strip()}
    if kept:
        result["extensions"] = {EXT_REFLECTION: kept}
    sid = statement_id(attempt.registration, seq, "commented")
    return _statement(
        attempt,
        "commented",
        _scenario_object(attempt, scenario),
        scenario,
        sid,
        timestamp,
        parent=False,
        result=result,
    )
