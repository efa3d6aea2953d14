"""Reading Connect's forms: every field bounded, every problem a sentence from
text.yaml, keyed by the field's id so the error summary can link to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.http import QueryDict
from django.utils import timezone

from kaleidoscope.connect import chats as chat_rules
from kaleidoscope.connect.circles import FIELDS, MemberKind, field_problem, member_fields
from kaleidoscope.connect.consent import ConsentMethod, Scope, review_problem, share_problems
from kaleidoscope.connect.scales import bundled_scales, note_problem, read_scores

from .models import Practitioner
from .services import msg

MAX_RAW = 2000  # longest raw value read from any field (longer is cut, then refused)
BACK_DAYS = 6  # a missed check-in can be filled in up to this many days later


def _get(data: QueryDict, name: str, limit: int = MAX_RAW) -> str:
    return str(data.get(name, ""))[: limit + 1]


def parse_day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


@dataclass
class Form:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def checkin_days(today: date) -> list[date]:
    return [today - timedelta(days=n) for n in range(BACK_DAYS + 1)]


def checkin_form(data: QueryDict, today: date) -> Form:
    scales = bundled_scales()
    form = Form()
    scores, problems = read_scores({s.id: _get(data, s.id, 10) for s in scales.scales}, scales)
    form.errors.update(problems)
    note = _get(data, "note", scales.note_max_chars).replace("\r\n", "\n")
    if (problem := note_problem(note, scales)) is not None:
        form.errors["note"] = problem
    day = parse_day(_get(data, "day", 20))
    if day is None or day not in checkin_days(today):
        form.errors["day"] = msg("checkin_day_bad", days=BACK_DAYS)
    form.values = {"scores": scores, "note": note.strip(), "day": day or today}
    return form


def share_form(data: QueryDict, owner: User, today: date) -> Form:
    form = Form()
    name = _get(data, "practitioner", 150).strip()
    scope = _get(data, "scope", 30)
    covers_from = parse_day(_get(data, "covers_from", 20))
    ends = parse_day(_get(data, "ends", 20))
    form.values = {
        "practitioner": name,
        "scope": scope,
        "covers_from": _get(data, "covers_from", 20),
        "ends": _get(data, "ends", 20),
    }
    user = None
    if not name:
        form.errors["practitioner"] = msg("share_name_missing")
    else:
        user = get_user_model().objects.filter(username=name).first()
        if user is None or not Practitioner.objects.filter(user=user).exists():
            form.errors["practitioner"] = msg("share_unknown_practitioner", name=name)
        elif user.pk == owner.pk:
            form.errors["practitioner"] = msg("share_self")
    if scope not in {s.value for s in Scope}:
        form.errors["scope"] = msg("share_scope_missing")
    if covers_from is None:
        form.errors["covers_from"] = msg("date_bad", label="the first day to share")
    if ends is None:
        form.errors["ends"] = msg("date_bad", label="the end date")
    if covers_from is not None and ends is not None:
        form.errors.update(share_problems(covers_from=covers_from, ends=ends, today=today))
    form.values.update(user=user, first=covers_from, last=ends)
    return form


def card_form(data: QueryDict, kind: MemberKind) -> Form:
    """A member's contact card: only the fields their kind has, each checked."""
    form = Form()
    for name in member_fields(kind):
        value = _get(data, name, FIELDS[name].max_chars + 50).strip()
        form.values[name] = value
        if (problem := field_problem(name, value)) is not None:
            form.errors[name] = problem
    return form


def circle_form(data: QueryDict) -> Form:
    form = Form()
    person_name = _get(data, "person_name", 200).strip()
    form.values["person_name"] = person_name
    if (problem := field_problem("person_name", person_name)) is not None:
        form.errors["person_name"] = problem
    method = _get(data, "consent_method", 30)
    form.values["consent_method"] = method
    if method not in {m.value for m in ConsentMethod}:
        form.errors["consent_method"] = msg("consent_method_missing")
    days, problem = review_problem(_get(data, "review_days", 10))
    form.values["review_days"] = days
    if problem:
        form.errors["review_days"] = problem
    if _get(data, "consent_given", 10) != "yes":
        form.errors["consent_given"] = msg("consent_needed")
    kind = _get(data, "my_kind", 20)
    if kind not in (MemberKind.PERSON.value, MemberKind.PRACTITIONER.value):
        form.errors["my_kind"] = msg("my_kind_missing")
        return form
    form.values["my_kind"] = kind
    if kind == MemberKind.PRACTITIONER.value:
        card = card_form(data, MemberKind.PRACTITIONER)
        form.values.update(card.values)
        form.errors.update(card.errors)
    return form


def invite_form(data: QueryDict) -> Form:
    kind_raw = _get(data, "kind", 20)
    if kind_raw not in (MemberKind.PRACTITIONER.value, MemberKind.CHOSEN.value):
        return Form(values={"kind": ""}, errors={"kind": msg("kind_missing")})
    kind = MemberKind(kind_raw)
    form = card_form(data, kind)
    form.values["kind"] = kind.value
    return form


def chat_form(data: QueryDict, now: datetime) -> Form:
    form = Form()
    topic = _get(data, "topic", chat_rules.MAX_TOPIC + 50).strip()
    form.values["topic"] = topic
    if not topic:
        form.errors["topic"] = msg("topic_missing")
    elif len(topic) > chat_rules.MAX_TOPIC:
        form.errors["topic"] = msg("topic_too_long", max=chat_rules.MAX_TOPIC)
    day, at = parse_day(_get(data, "day", 20)), _get(data, "time", 10).strip()
    form.values.update(day=_get(data, "day", 20), time=at)
    starts = None
    try:
        clock = time.fromisoformat(at)
    except ValueError:
        clock = None
    if day is not None and clock is not None:
        starts = timezone.make_aware(datetime.combine(day, clock.replace(second=0)))
    if starts is None or not now - timedelta(minutes=5) <= starts <= now + timedelta(days=365):
        form.errors["day"] = msg("chat_start_bad")
    form.values["starts"] = starts
    minutes, problem = chat_rules.minutes_problem(_get(data, "minutes", 10))
    form.values["minutes"] = minutes or _get(data, "minutes", 10)
    if problem:
        form.errors["minutes"] = problem
    raw_questions = _get(
        data, "questions", chat_rules.MAX_QUESTIONS * (chat_rules.MAX_QUESTION + 2)
    )
    questions, problem = chat_rules.parse_questions(raw_questions)
    form.values.update(questions_raw=raw_questions, questions=questions)
    if problem:
        form.errors["questions"] = problem
    moderation = _get(data, "moderation", 10)
    form.values["moderation"] = moderation
    if moderation not in {m.value for m in chat_rules.Moderation}:
        form.errors["moderation"] = msg("moderation_missing")
    names = [
        n.strip() for n in _get(data, "moderators", 500).replace(",", " ").split() if n.strip()
    ]
    form.values["moderators_raw"] = " ".join(names)
    users = list(get_user_model().objects.filter(username__in=names))
    unknown = sorted(set(names) - {u.get_username() for u in users})
    if unknown:
        form.errors["moderators"] = msg("chat_moderators_unknown", names=", ".join(unknown))
    form.values["moderators"] = users
    return form
