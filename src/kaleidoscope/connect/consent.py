"""Consent: sharing check-ins with a named practitioner, and consent to a circle.

A share has a scope (scores only, or scores with notes), a first day it covers and an
end date; it can be withdrawn at any time. A practitioner may look only while it is
active. A circle's consent records who recorded it, when and how it was obtained, and
is reviewed at a set interval: once the review is overdue, or consent is withdrawn,
members no longer see each other's details until it is reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from kaleidoscope.connect.data import text

MAX_SHARE_DAYS = 92  # the longest a share may run from today (about three months)
MAX_LOOK_BACK_DAYS = 92  # the earliest day a share may cover, counted back from today
REVIEW_DAYS = (30, 90, 180, 365)


class Scope(StrEnum):
    SCORES = "scores"
    NOTES = "scores_and_notes"

    @property
    def includes_notes(self) -> bool:
        return self is Scope.NOTES

    @property
    def label(self) -> str:
        return text(f"scope_{self.value}")


class ShareState(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return text(f"share_{self.value}")


def share_state(*, ends: date, withdrawn: bool, today: date) -> ShareState:
    if withdrawn:
        return ShareState.WITHDRAWN
    if today > ends:
        return ShareState.EXPIRED
    return ShareState.ACTIVE


def share_problems(*, covers_from: date, ends: date, today: date) -> dict[str, str]:
    """Problems with a new share's dates, by field name (empty when it may be made)."""
    problems: dict[str, str] = {}
    if covers_from > today:
        problems["covers_from"] = text("share_from_future")
    elif (today - covers_from).days > MAX_LOOK_BACK_DAYS:
        problems["covers_from"] = text("share_from_too_old", days=MAX_LOOK_BACK_DAYS)
    if ends < today:
        problems["ends"] = text("share_ends_past")
    elif (ends - today).days > MAX_SHARE_DAYS:
        problems["ends"] = text("share_ends_too_far", days=MAX_SHARE_DAYS)
    return problems


def shared_days(*, covers_from: date, ends: date, today: date) -> tuple[date, date]:
    """The first and last day a practitioner sees (never a day still to come)."""
    return covers_from, min(ends, today)


class ConsentMethod(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    IN_WRITING = "in_writing"
    BY_THEMSELF = "by_themself"  # the person recorded it themself, signed in
    ADVOCATE = "advocate"  # through their advocate or someone with authority to act

    @property
    def label(self) -> str:
        return text(f"method_{self.value}")


class ConsentState(StrEnum):
    CURRENT = "current"
    REVIEW_DUE = "review_due"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return text(f"consent_{self.value}")


@dataclass(frozen=True, slots=True)
class CircleConsent:
    recorded_at: datetime
    review_days: int
    withdrawn_at: datetime | None = None

    @property
    def review_by(self) -> datetime:
        return self.recorded_at + timedelta(days=self.review_days)

    def state(self, now: datetime) -> ConsentState:
        if self.withdrawn_at is not None:
            return ConsentState.WITHDRAWN
        if now > self.review_by:
            return ConsentState.REVIEW_DUE
        return ConsentState.CURRENT

    def members_may_see(self, now: datetime) -> bool:
        return self.state(now) is ConsentState.CURRENT


def review_problem(days: str) -> tuple[int, str | None]:
    try:
        value = int(days)
    except ValueError:
        value = 0
    if value not in REVIEW_DAYS:
        return 0, text("review_choose", choices=", ".join(str(d) for d in REVIEW_DAYS))
    return value, None
