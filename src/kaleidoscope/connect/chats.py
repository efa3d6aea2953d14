"""Planned topic chats: phases, questions Q1..Qn, answers A1..An, moderation states."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from kaleidoscope.connect.data import text

MAX_TOPIC = 120
MAX_QUESTION = 200
MAX_QUESTIONS = 10
MAX_POST = 500
MAX_SUMMARY = 1500
MIN_MINUTES, MAX_MINUTES = 15, 180
POST_LIMIT = 6  # posts by one participant ...
POST_WINDOW = 60  # ... in this many seconds
REPORTS_TO_HIDE = 3  # reports from different people that hide a post until reviewed


class Phase(StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return text(f"phase_{self.value}")


def phase(starts: datetime, minutes: int, now: datetime, *, ended: bool = False) -> Phase:
    if ended or now >= starts + timedelta(minutes=minutes):
        return Phase.ARCHIVED
    if now < starts:
        return Phase.SCHEDULED
    return Phase.LIVE


class Moderation(StrEnum):
    PRE = "pre"  # every post waits for a moderator
    POST = "post"  # posts appear at once; moderators can hide them

    @property
    def label(self) -> str:
        return text(f"moderation_{self.value}")


class PostState(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    HIDDEN = "hidden"

    @property
    def label(self) -> str:
        return text(f"state_{self.value}")


MOVES: dict[PostState, frozenset[PostState]] = {
    PostState.PENDING: frozenset({PostState.PUBLISHED, PostState.REJECTED}),
    PostState.PUBLISHED: frozenset({PostState.HIDDEN}),
    PostState.HIDDEN: frozenset({PostState.PUBLISHED}),
    PostState.REJECTED: frozenset(),
}


def can_move(old: PostState, new: PostState) -> bool:
    return new in MOVES[old]


def first_state(moderation: Moderation, *, held: bool) -> PostState:
    """Where a new post starts: held back by the checker, or pre-moderated, it waits."""
    if held or moderation is Moderation.PRE:
        return PostState.PENDING
    return PostState.PUBLISHED


def question_label(number: int) -> str:
    return f"Q{number}"


def answer_label(number: int) -> str:
    return f"A{number}"


def parse_questions(raw: str) -> tuple[list[str], str | None]:
    """Questions typed one a line -> (questions, problem)."""
    questions = [line.strip() for line in raw.splitlines() if line.strip()]
    if not questions:
        return [], text("questions_missing")
    if len(questions) > MAX_QUESTIONS:
        return [], text("questions_too_many", max=MAX_QUESTIONS)
    for number, question in enumerate(questions, 1):
        if len(question) > MAX_QUESTION:
            return [], text("question_too_long", label=question_label(number), max=MAX_QUESTION)
    return questions, None


def post_problem(value: str, limit: int = MAX_POST) -> str | None:
    if not value.strip():
        return text("post_empty")
    if len(value) > limit:
        return text("post_too_long", max=limit, length=len(value))
    return None


def minutes_problem(raw: str) -> tuple[int, str | None]:
    try:
        minutes = int(raw)
    except ValueError:
        minutes = 0
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        return 0, text("minutes_range", min=MIN_MINUTES, max=MAX_MINUTES)
    return minutes, None


@dataclass(frozen=True, slots=True)
class QuestionSummary:
    label: str
    question: str
    answers: int


@dataclass(frozen=True, slots=True)
class Summary:
    participants: int
    answers: int
    held_back: int
    questions: tuple[QuestionSummary, ...]

    def sentence(self) -> str:
        return text(
            "summary_sentence",
            participants=self.participants,
            answers=self.answers,
            questions=len(self.questions),
            held=self.held_back,
        )


def summarise(
    questions: list[str], published: list[tuple[int, str]], held_back: int
) -> Summary:
    """Figures for the archive: ``published`` is (question number, author key) pairs."""
    per = {n: 0 for n in range(1, len(questions) + 1)}
    for number, _author in published:
        if number in per:
            per[number] += 1
    return Summary(
        participants=len({author for _n, author in published}),
        answers=len(published),
        held_back=held_back,
        questions=tuple(
            QuestionSummary(question_label(n), q, per[n]) for n, q in enumerate(questions, 1)
        ),
    )
