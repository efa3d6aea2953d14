"""Group session logic: codes, transitions, votes, tallies and the live payloads.

Every move of the shared playthrough goes through the engine
(``Playthrough.from_json`` / ``advance`` / ``choose`` / ``to_json``); this module only
decides *when* the facilitator may make it and what the room sees meanwhile.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml
from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from kaleidoscope.learn.engine import PlayError, Playthrough
from kaleidoscope.learn.model import Choice, Decision, Ending, Passage, Scenario
from kaleidoscope.web.learn.services import guidance_entries, library, write_transaction

from .broker import get_broker
from .models import GroupSession, Participant, Phase, Round, Vote

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read aloud
CODE_LENGTH = 6
IDLE_SECONDS = int(getattr(settings, "GROUP_IDLE_SECONDS", 4 * 3600))
MAX_NAME = 40
MAX_REASON = 140
VOTE_LIMIT = 5  # vote or reason submissions per participant ...
VOTE_WINDOW = 60  # ... per this many seconds
COOKIE_PREFIX = "kgroup_"
COOKIE_MAX_AGE = 12 * 3600
ACTIONS = ("start", "advance", "reveal", "discuss", "choose", "majority", "close")
OPEN_PHASES = (Phase.VOTING, Phase.REVEALED, Phase.DISCUSSION)


@cache
def _text() -> dict[str, str]:
    raw = resources.files(__package__).joinpath("text.yaml").read_text("utf-8")
    data: dict[str, str] = yaml.safe_load(raw)
    return data


def msg(key: str, **values: Any) -> str:
    values.setdefault("hours", IDLE_SECONDS // 3600)
    return _text()[key].format(**values)


# --- codes and identities ---------------------------------------------------------------
def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str | None:
    """The code as typed (any case, spaces or dashes) -> canonical form, or None."""
    code = re.sub(r"[\s\-]", "", raw or "").upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def clean_name(raw: str) -> str:
    """One line, no control characters, spaces collapsed."""
    text = "".join(ch for ch in raw or "" if unicodedata.category(ch)[0] != "C" or ch == " ")
    return " ".join(text.split())


def clean_reason(raw: str) -> str:
    return clean_name(raw)


def _hash(kind: str, session: GroupSession, token: str) -> str:
    return hashlib.sha256(f"{kind}|{session.id}|{token}".encode()).hexdigest()


def participant_hash(session: GroupSession, token: str) -> str:
    return _hash("participant", session, token)


def voter_key(session: GroupSession, token: str) -> str:
    """A different one-way hash of the same token: votes cannot be joined to names."""
    return _hash("vote", session, token)


def cookie_name(session: GroupSession) -> str:
    return COOKIE_PREFIX + session.code


def new_token() -> str:
    return secrets.token_urlsafe(24)


# --- sessions ---------------------------------------------------------------------------
def create_session(user: Any, scenario: Scenario) -> GroupSession:
    state = Playthrough(scenario).to_json()
    for _attempt in range(10):
        try:
            with write_transaction():
                session = GroupSession.objects.create(
                    code=new_code(),
                    facilitator=user,
                    scenario_id=scenario.id,
                    state=state,
                    last_activity=timezone.now(),
                )
        except IntegrityError:  # the code was taken: draw another
            continue
        get_broker().keep(state_channel(session.id), state_payload(session))
        return session
    raise RuntimeError("could not draw a free join code")


def expires_at(session: GroupSession) -> datetime:
    return session.last_activity + timedelta(seconds=IDLE_SECONDS)


def is_expired(session: GroupSession, now: datetime | None = None) -> bool:
    return session.phase != Phase.CLOSED and expires_at(session) < (now or timezone.now())


def problem(session: GroupSession) -> str | None:
    """Why nobody can act in this session any more, or None."""
    if session.phase == Phase.CLOSED:
        return msg("session_closed")
    if is_expired(session):
        return msg("session_expired")
    return None


def touch(session: GroupSession) -> None:
    """Note activity (at most one write a minute), so a busy session does not expire."""
    now = timezone.now()
    if now - session.last_activity > timedelta(seconds=60):
        GroupSession.objects.filter(pk=session.pk, last_activity__lt=now).update(last_activity=now)
        session.last_activity = now


def playthrough(session: GroupSession) -> tuple[Scenario, Playthrough]:
    scenario = library().get(session.scenario_id)
    if scenario is None:
        raise PlayError("this scenario is no longer in the library")
    return scenario, Playthrough.from_json(scenario, session.state)


def current_round(session: GroupSession) -> Round | None:
    if session.phase not in OPEN_PHASES:
        return None
    return session.rounds.order_by("-number").first()


# --- tallies ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ChoiceTally:
    choice: Choice
    count: int
    percent: int
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RoundTally:
    round: Round
    decision: Decision
    total: int
    choices: list[ChoiceTally]

    @property
    def followed(self) -> Choice | None:
        return next((c for c in self.decision.choices if c.id == self.round.choice_id), None)

    @property
    def leaders(self) -> list[Choice]:
        top = max((c.count for c in self.choices), default=0)
        return [c.choice for c in self.choices if top and c.count == top]


def tally(rnd: Round, decision: Decision, with_reasons: bool = False) -> RoundTally:
    counts: dict[str, int] = {}
    reasons: dict[str, list[str]] = {}
    fields = ("choice_id", "reason") if with_reasons else ("choice_id",)
    for row in Vote.objects.filter(round=rnd).values_list(*fields):
        counts[row[0]] = counts.get(row[0], 0) + 1
        if with_reasons and row[1]:
            reasons.setdefault(row[0], []).append(row[1])
    total = sum(counts.get(c.id, 0) for c in decision.choices)
    return RoundTally(
        rnd,
        decision,
        total,
        [
            ChoiceTally(
                c,
                counts.get(c.id, 0),
                round(100 * counts.get(c.id, 0) / total) if total else 0,
                sorted(reasons.get(c.id, []), key=str.casefold),  # sorted: no order of arrival
            )
            for c in decision.choices
        ],
    )


def vote_count(rnd: Round | None) -> int:
    return Vote.objects.filter(round=rnd).count() if rnd is not None else 0


# --- the facilitator's transitions ------------------------------------------------------
def _enter_node(session: GroupSession, pt: Playthrough) -> None:
    node = pt.current
    if isinstance(node, Passage):
        session.phase = Phase.PASSAGE
    elif isinstance(node, Decision):
        number = session.rounds.count() + 1
        Round.objects.create(session=session, number=number, node_id=pt.current_id)
        session.phase = Phase.VOTING
    else:
        session.phase = Phase.ENDED
        session.ended_at = timezone.now()


def transition(session: GroupSession, action: str, choice_id: str = "") -> str | None:
    """Apply one facilitator action to a locked session; return a message if refused."""
    _scenario, pt = playthrough(session)
    phase = session.phase
    if action == "close":
        if phase == Phase.CLOSED:
            return msg("not_now")
        session.phase = Phase.CLOSED
        session.closed_at = timezone.now()
    elif action == "start" and phase == Phase.LOBBY:
        _enter_node(session, pt)
    elif action == "advance" and phase == Phase.PASSAGE:
        pt.advance()
        _enter_node(session, pt)
    elif action == "reveal" and phase == Phase.VOTING:
        rnd = current_round(session)
        assert rnd is not None
        rnd.revealed = True
        rnd.save(update_fields=["revealed"])
        session.phase = Phase.REVEALED
    elif action == "discuss" and phase == Phase.REVEALED:
        session.phase = Phase.DISCUSSION
    elif action in ("choose", "majority") and phase in (Phase.REVEALED, Phase.DISCUSSION):
        rnd = current_round(session)
        decision = pt.current
        assert rnd is not None and isinstance(decision, Decision)
        if action == "majority":
            result = tally(rnd, decision)
            if result.total == 0:
                return msg("no_votes")
            if len(result.leaders) > 1:
                names = " and ".join(f"“{_plain(c.text)}”" for c in result.leaders)
                return msg("tie", options=names)
            choice_id, rnd.decided_by = result.leaders[0].id, "majority"
        else:
            if choice_id not in {c.id for c in decision.choices}:
                return msg("bad_choice")
            rnd.decided_by = "facilitator"
        pt.choose(choice_id)
        rnd.choice_id = choice_id
        rnd.save(update_fields=["choice_id", "decided_by"])
        _enter_node(session, pt)
    else:
        return msg("not_now")
    session.state = pt.to_json()
    return None


def _plain(markdown: str) -> str:
    return re.sub(r"[*_`]", "", markdown)


def action_key(rev: int, action: str, choice: str) -> str:
    return f"{rev}|{action}|{choice}"[:200]


# --- votes ------------------------------------------------------------------------------
@dataclass
class VoteResult:
    status: int  # HTTP status for the answer
    message: str
    saved: bool = False


def cast_vote(
    session_id: Any, token: str, round_number: str, choice_id: str, reason: str
) -> VoteResult:
    """Record (or replace) one participant's vote in the open round."""
    reason = clean_reason(reason)
    with write_transaction():
        session = GroupSession.objects.select_for_update().get(pk=session_id)
        if (trouble := problem(session)) is not None:
            return VoteResult(410, trouble)
        rnd = session.rounds.order_by("-number").first()
        try:
            number = int(round_number)
        except ValueError:
            return VoteResult(400, msg("bad_form"))
        if rnd is None or session.phase not in OPEN_PHASES or number != rnd.number:
            key = "vote_moved_on" if rnd is not None and number < rnd.number else "vote_not_open"
            if rnd is not None and number == rnd.number and rnd.revealed:
                key = "vote_closed"
            return VoteResult(409, msg(key))
        if rnd.revealed or session.phase != Phase.VOTING:
            return VoteResult(409, msg("vote_closed"))
        _scenario, pt = playthrough(session)
        decision = pt.current
        assert isinstance(decision, Decision)
        if not choice_id:
            return VoteResult(400, msg("choose_one"))
        if choice_id not in {c.id for c in decision.choices}:
            return VoteResult(400, msg("bad_choice"))
        if len(reason) > MAX_REASON:
            return VoteResult(400, msg("reason_too_long"))
        voter = voter_key(session, token)
        if not get_broker().hit(f"{session.id}:{voter}", VOTE_LIMIT, VOTE_WINDOW):
            return VoteResult(429, msg("rate_limited"))
        vote, created = Vote.objects.get_or_create(
            round=rnd, voter=voter, defaults={"choice_id": choice_id, "reason": reason}
        )
        if not created:
            vote.choice_id, vote.reason = choice_id, reason
            vote.save(update_fields=["choice_id", "reason"])
        touch(session)
        votes = vote_count(rnd)
        joined = session.participants.count()
        transaction.on_commit(
            lambda: publish_count(session.id, rnd.number, votes, joined, session.revision)
        )
    return VoteResult(200, msg("vote_saved" if created else "vote_changed"), saved=True)


def my_vote(session: GroupSession, rnd: Round | None, token: str) -> Vote | None:
    if rnd is None or not token:
        return None
    return Vote.objects.filter(round=rnd, voter=voter_key(session, token)).first()


# --- what the room sees -----------------------------------------------------------------
def room_context(session: GroupSession) -> dict[str, Any]:
    """Everything shared by the presenter and every participant at this moment."""
    ctx: dict[str, Any] = {"session": session, "phase": session.phase, "broken": None}
    try:
        scenario, pt = playthrough(session)
    except PlayError as exc:
        ctx["broken"] = str(exc)
        return ctx
    node = pt.current
    rnd = current_round(session)
    speaker = getattr(node, "speaker", None)
    last = pt.last_choice
    last_round = (
        session.rounds.filter(choice_id=last.id).order_by("-number").first() if last else None
    )
    ctx.update(
        scenario=scenario,
        pt=pt,
        node=node,
        node_id=pt.current_id,
        speaker=library().cast(scenario).get(speaker) if speaker else None,
        is_passage=isinstance(node, Passage),
        is_decision=isinstance(node, Decision),
        is_ending=isinstance(node, Ending),
        round=rnd,
        last_choice=last,
        last_decided_by=last_round.decided_by if last_round else "",
        last_guidance=guidance_entries(last.guidance) if last else [],
        tally=None,
        prompts=[],
    )
    if rnd is not None and isinstance(node, Decision):
        if session.phase in (Phase.REVEALED, Phase.DISCUSSION):
            ctx["tally"] = tally(rnd, node)
        if session.phase == Phase.DISCUSSION:
            ctx["prompts"] = discussion_prompts(node)
    return ctx


def discussion_prompts(decision: Decision) -> list[tuple[str, str]]:
    """(heading, prompt) pairs: the decision's own prompt (or a general one), then any
    prompt attached to a particular option."""
    prompts = [("", decision.discussion or msg("generic_prompt"))]
    prompts += [(c.text, c.discussion) for c in decision.choices if c.discussion]
    return prompts


def state_channel(session_id: Any) -> str:
    return f"{session_id}:state"


def count_channel(session_id: Any) -> str:
    return f"{session_id}:count"


def state_payload(session: GroupSession) -> str:
    """The participants' view of this moment, rendered once for everyone."""
    ctx = room_context(session)
    ctx.update(csrf="", mine=None, notice=None, error=None, shared=True)
    html = render_to_string("groups/_participant.html", ctx)
    rnd = ctx.get("round")
    return json.dumps(
        {
            "type": "state",
            "rev": session.revision,
            "phase": session.phase,
            "round": rnd.number if rnd is not None else 0,
            "html": html,
        }
    )


def publish_state(session: GroupSession) -> None:
    get_broker().publish(state_channel(session.id), state_payload(session), keep=True)


def publish_count(session_id: Any, round_number: int, votes: int, joined: int, rev: int) -> None:
    payload = json.dumps(
        {"type": "count", "rev": rev, "round": round_number, "votes": votes, "joined": joined}
    )
    get_broker().publish(count_channel(session_id), payload)


def count_payload(session: GroupSession) -> str:
    rnd = current_round(session)
    return json.dumps(
        {
            "type": "count",
            "rev": session.revision,
            "round": rnd.number if rnd is not None else 0,
            "votes": vote_count(rnd),
            "joined": session.participants.count(),
        }
    )


# --- joining ----------------------------------------------------------------------------
def join(session: GroupSession, token: str, name: str) -> tuple[Participant, bool]:
    """The participant for this browser's token, created if new; (participant, created)."""
    digest = participant_hash(session, token)
    with write_transaction():
        participant, created = Participant.objects.get_or_create(
            session=session, token_hash=digest, defaults={"display_name": name}
        )
        if not created and name and participant.display_name != name:
            participant.display_name = name
            participant.save(update_fields=["display_name"])
        touch(session)
        rnd = current_round(session)
        votes, joined = vote_count(rnd), session.participants.count()
        number = rnd.number if rnd is not None else 0
        transaction.on_commit(
            lambda: publish_count(session.id, number, votes, joined, session.revision)
        )
    return participant, created


def participant_for(session: GroupSession, token: str) -> Participant | None:
    if not token:
        return None
    return Participant.objects.filter(
        session=session, token_hash=participant_hash(session, token)
    ).first()
