"""Write what a play move means for the learning platforms into the outbox.

``record_move(play)`` is called inside the transaction that stores the move (see
``kaleidoscope.web.learn.services.save_move``): the statements and grade it writes commit
or roll back with the move. It compares the play's steps with the last steps it saw
(``Cursor``), so it needs nothing from the view and cannot miss or repeat a move:

- a new attempt: "launched";
- a passage reached: "experienced";
- a choice made: "answered" (choice id and text, effects on the six dimensions, guidance
  keys, registration, group session);
- an ending reached: "completed" (outcome score), and an AGS score if the play came from
  an LTI launch whose platform has grades switched on.

Nothing is written unless the deployment configured a receiver for this play: an LRS
(``KALEIDOSCOPE_XAPI_ENDPOINT``) and either the launching platform's "send xAPI" setting
or ``KALEIDOSCOPE_XAPI_ALL_PLAYS=1`` for plays that did not come from an LMS.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from kaleidoscope.learn import xapi
from kaleidoscope.learn.engine import PlayError, Playthrough
from kaleidoscope.learn.library import bundled_library
from kaleidoscope.learn.model import Decision, Ending, Passage, Scenario
from kaleidoscope.web.learn.models import Play
from kaleidoscope.web.learn.stories import CacheMemo

from .models import Cursor, LaunchLink, OutboxItem

_GRADE_NS = uuid.UUID("0f8f3c1e-2b1d-4c55-8f4e-5d7a1c9b3e21")


def xapi_configured() -> bool:
    return bool(getattr(settings, "XAPI_ENDPOINT", ""))


def opaque_actor(play: Play) -> xapi.Actor:
    """An account that identifies the learner to the LRS and to no one else: a keyed hash
    of the account id (or of the anonymous browser key), never a name or email."""
    owner = f"user:{play.user_id}" if play.user_id else f"anon:{play.anon_key}"
    return xapi.Actor(settings.XAPI_ACTOR_HOME, _opaque("xapi-actor", owner))


def _opaque(purpose: str, value: str) -> str:
    """A keyed hash of ``value`` (Django's salted HMAC of the secret key)."""
    return salted_hmac(purpose, value, algorithm="sha256").hexdigest()[:32]


GRADES_KEY = "lms:grades-anywhere"


def _read_grades_anywhere() -> bool:
    from django.core.cache import cache

    from .models import PlatformSettings

    found = cache.get(GRADES_KEY)
    if found is None:
        found = PlatformSettings.objects.filter(send_grades=True).exists()
        cache.set(GRADES_KEY, found, 300)
    return bool(found)


_grades_anywhere = CacheMemo(_read_grades_anywhere)


def grades_anywhere() -> bool:
    """Is any platform set to receive grades? Kept in Django's cache (PlatformSettings
    saves clear it: ``forget_grades_anywhere``) and, in front of that, in this process for
    ``MEMO_SECONDS``: a change made on another worker is seen here within a second."""
    return _grades_anywhere.get()


def forget_grades_anywhere() -> None:
    """A platform's settings changed: read them again, here at once, elsewhere within
    ``MEMO_SECONDS``."""
    from django.core.cache import cache

    cache.delete(GRADES_KEY)
    _grades_anywhere.clear()


def _link(play: Play) -> LaunchLink | None:
    """The play's LTI launch, if it had one (one indexed lookup; the rest only then)."""
    if not LaunchLink.objects.filter(play_id=play.pk).exists():
        return None
    link: LaunchLink | None = (
        LaunchLink.objects.filter(play_id=play.pk)
        .select_related("deployment__registration__kaleidoscope")
        .first()
    )
    return link


def _platform_allows(link: LaunchLink, what: str) -> bool:
    try:
        chosen = link.deployment.registration.kaleidoscope
    except Exception:  # no settings row: nothing is sent
        return False
    return bool(getattr(chosen, what))


def _actor(play: Play, link: LaunchLink | None) -> xapi.Actor | None:
    if not xapi_configured():
        return None
    if link is not None:
        if not _platform_allows(link, "send_xapi"):
            return None
        return xapi.Actor(link.deployment.registration.issuer, link.sub)
    if settings.XAPI_ALL_PLAYS:
        return opaque_actor(play)
    return None


def _attempt(cursor: Cursor) -> xapi.Attempt:
    return xapi.Attempt(
        actor=xapi.Actor(cursor.actor_home, cursor.actor_name),
        registration=str(cursor.registration),
        activity_base=settings.XAPI_ACTIVITY_BASE,
        group_session=cursor.group_session or None,
    )


def _cursor(play: Play) -> Cursor:
    """The play's cursor; on its first move, decide (once) whether and as whom to send."""
    cursor = Cursor.objects.filter(play_id=play.pk).first()
    if cursor is None:
        link = _link(play)
        actor = _actor(play, link)
        cursor = Cursor(
            play_id=play.pk,
            send=actor is not None,
            actor_home=actor.home_page if actor else "",
            actor_name=actor.name if actor else "",
            group_session=(link.group_session if link else ""),
        )
        cursor.save(force_insert=True)
    return cursor


def _statements(
    scenario: Scenario,
    pt: Playthrough,
    attempt: xapi.Attempt,
    old: list[Any],
    new: list[Any],
    seq: int,
    now: datetime,
) -> list[dict[str, Any]]:
    prefix = 0
    for before, after in zip(old, new, strict=False):
        if list(before) != list(after):
            break
        prefix += 1
    out: list[dict[str, Any]] = []
    counter = itertools.count(seq)
    if not old:
        out.append(xapi.launched(attempt, scenario, seq=next(counter), timestamp=now))
    for node_id, choice_id in new[prefix:]:
        node = scenario.nodes[node_id]
        if isinstance(node, Decision) and choice_id:
            choice = next(c for c in node.choices if c.id == choice_id)
            out.append(
                xapi.answered(
                    attempt, scenario, node_id, node, choice, seq=next(counter), timestamp=now
                )
            )
        elif isinstance(node, Passage):
            out.append(
                xapi.experienced(attempt, scenario, node_id, seq=next(counter), timestamp=now)
            )
        elif isinstance(node, Ending):
            out.append(
                xapi.completed(
                    attempt,
                    scenario,
                    node_id,
                    node,
                    pt.profile(),
                    seq=next(counter),
                    timestamp=now,
                )
            )
    return out


def _scenario_of(play: Play) -> tuple[Scenario, Playthrough] | None:
    """The play's scenario (a published story: the version it began on) and playthrough."""
    from kaleidoscope.web.learn import services

    try:
        if getattr(play, "story_version_id", None) is None:
            scenario = bundled_library().get(play.scenario_id)
            if scenario is not None:
                return scenario, Playthrough.from_json(scenario, play.state)
        return services.playthrough(play)
    except PlayError:
        return None


def record_move(play: Play) -> None:
    """Write this move's statements (and grade) to the outbox, in the caller's transaction.

    Queries per move: none when nothing can be sent; with an LRS, the play's cursor read
    and updated and the statements inserted; the LTI link only at an ending (grades).
    """
    xapi_on = xapi_configured()
    grades_on = grades_anywhere()
    if not xapi_on and not grades_on:
        return  # nothing can be sent anywhere: no query at all
    found = _scenario_of(play)
    if found is None:
        return
    scenario, pt = found
    new_steps = [list(s) for s in play.state.get("steps", [])]
    at_ending = bool(new_steps) and isinstance(scenario.nodes.get(new_steps[-1][0]), Ending)
    cursor = _cursor(play) if xapi_on else None
    if cursor is None and not (grades_on and at_ending):
        return
    now = timezone.now()
    if cursor is not None and cursor.send:
        statements = _statements(
            scenario, pt, _attempt(cursor), cursor.steps, new_steps, cursor.seq, now
        )
        if statements:
            OutboxItem.objects.bulk_create(
                [OutboxItem(kind=OutboxItem.XAPI, key=s["id"], payload=s) for s in statements],
                ignore_conflicts=True,
            )
            wake_sender_on_commit()
        Cursor.objects.filter(pk=cursor.pk).update(
            steps=new_steps, seq=cursor.seq + len(statements)
        )
    if grades_on and at_ending and isinstance(pt.current, Ending):
        link = _link(play)
        if link is not None and link.ags and _platform_allows(link, "send_grades"):
            _record_grade(play, link, pt.current, now)


def _record_grade(play: Play, link: LaunchLink, ending: Ending, now: datetime) -> None:
    """Completion and the outcome score for the platform's gradebook (AGS)."""
    key = uuid.uuid5(_GRADE_NS, f"{play.pk}/{play.revision}")
    payload = {
        "ags": link.ags,
        "user_id": link.sub,
        "score_given": xapi.score_for(ending.kind),
        "score_maximum": xapi.SCORE_MAX,
        "activity_progress": "Completed",
        "grading_progress": "FullyGraded",
        "timestamp": now.isoformat(),
        "outcome": ending.kind.value,
    }
    OutboxItem.objects.bulk_create(
        [
            OutboxItem(
                kind=OutboxItem.GRADE, key=key, payload=payload, target=str(link.deployment_id)
            )
        ],
        ignore_conflicts=True,
    )
    wake_sender_on_commit()


def record_launch(play: Play) -> None:
    """A play that has just been created (an LTI launch): "launched" now, not at its first move."""
    record_move(play)


@dataclass(frozen=True, slots=True)
class Sharing:
    """What the reflection form's consent box says (text.yaml ``share``)."""

    legend: str
    label: str
    hint: str
    lead: str
    sent: str


def reflection_sharing(play: Play) -> Sharing | None:
    """The consent box for sending this play's reflection, or None when a reflection
    cannot be sent (no LRS configured, or this play's statements go nowhere): then the
    form shows no box. No query without an LRS; never writes."""
    if not xapi_configured():
        return None
    link = _link(play)
    cursor = Cursor.objects.filter(play_id=play.pk).first()
    if not (cursor.send if cursor is not None else _actor(play, link) is not None):
        return None
    from .lti import text

    words = text()["share"]
    host = urlsplit(settings.XAPI_ENDPOINT).hostname or settings.XAPI_ENDPOINT
    if link is not None:
        hint = words["hint_lti"].format(platform=link.deployment.registration.name)
    else:
        hint = words["hint_opaque"]
    return Sharing(
        legend=words["legend"],
        label=words["label"].format(host=host),
        hint=hint,
        lead=words["lead"],
        sent=words["sent"].format(host=host),
    )


def record_reflection(play: Play, learned: str, impact: str, *, consent: bool) -> None:
    """ "commented" with the learner's reflection, only if they ticked the consent box
    (``consent``); in the caller's transaction, like a move's statements."""
    found = _scenario_of(play) if consent and xapi_configured() else None
    if found is None:
        return
    scenario = found[0]
    cursor = _cursor(play)
    if not cursor.send:
        return
    from .lti import text

    questions = text()["share"]["questions"]
    answers = {"learned": learned, "impact": impact}
    reading = "\n\n".join(
        f"{questions[key]}\n{value}" for key, value in answers.items() if value.strip()
    )
    statement = xapi.commented(
        _attempt(cursor), scenario, reading, consent=consent, seq=cursor.seq, answers=answers
    )
    if statement is None:
        return
    OutboxItem.objects.bulk_create(
        [OutboxItem(kind=OutboxItem.XAPI, key=statement["id"], payload=statement)],
        ignore_conflicts=True,
    )
    Cursor.objects.filter(pk=cursor.pk).update(seq=cursor.seq + 1)
    wake_sender_on_commit()


_GROUP_NS = uuid.UUID("8a0d4e7b-65c1-4b0e-9f2a-3c6e1d5b7a40")


def record_vote(vote: Any) -> None:
    """A group-session vote: "answered", with the group session, for an anonymous voter
    (an opaque account from the voter's key; their name and reason are never sent)."""
    if not xapi_configured():
        return
    from .models import GroupLink

    rnd = vote.round
    session = rnd.session
    link = (
        GroupLink.objects.filter(session_id=session.pk)
        .select_related("deployment__registration__kaleidoscope")
        .first()
    )
    if link is not None:
        try:
            allowed = bool(link.deployment.registration.kaleidoscope.send_xapi)
        except Exception:
            allowed = False
    else:
        allowed = bool(settings.XAPI_ALL_PLAYS)
    from kaleidoscope.web.learn.services import library

    scenario = library().get(session.scenario_id)
    if not allowed or scenario is None:
        return
    decision = scenario.decisions().get(rnd.node_id)
    choice = (
        next((c for c in decision.choices if c.id == vote.choice_id), None) if decision else None
    )
    if decision is None or choice is None:
        return
    name = _opaque("xapi-voter", f"{session.pk}:{vote.voter}")
    attempt = xapi.Attempt(
        actor=xapi.Actor(settings.XAPI_ACTOR_HOME, name),
        registration=str(uuid.uuid5(_GROUP_NS, f"{session.pk}/{vote.voter}")),
        activity_base=settings.XAPI_ACTIVITY_BASE,
        group_session=str(session.pk),
    )
    statement = xapi.answered(
        attempt, scenario, rnd.node_id, decision, choice, seq=rnd.number, timestamp=timezone.now()
    )
    OutboxItem.objects.bulk_create(
        [OutboxItem(kind=OutboxItem.XAPI, key=statement["id"], payload=statement)],
        ignore_conflicts=True,
    )
    wake_sender_on_commit()


def wake_sender_on_commit() -> None:
    from . import sender

    transaction.on_commit(sender.wake)
