"""Thin glue between the views and the domain packages (engine, library, guidance)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.http import Http404, HttpRequest
from django.template.loader import get_template
from markupsafe import Markup

from kaleidoscope.guidance.registry import Guidance, load_registry
from kaleidoscope.learn.engine import PlayError, Playthrough
from kaleidoscope.learn.library import Library, bundled_library
from kaleidoscope.learn.model import Decision, Scenario

from .models import FirstChoice, Play

ANON_KEY = "kaleidoscope_anon"
MIN_PLAYS_FOR_STATS = 5


@cache
def text() -> dict[str, str]:
    raw = resources.files(__package__).joinpath("text.yaml").read_text("utf-8")
    data: dict[str, str] = yaml.safe_load(raw)
    return data


def library() -> Library:
    """The bundled scenarios and the organisation's published ones (learn/stories.py)."""
    from . import stories

    return stories.current_library()


def scenario_or_404(scenario_id: str) -> Scenario:
    scenario = library().get(scenario_id)
    if scenario is None:
        raise Http404("no such scenario")
    return scenario


_SQLITE_WRITER = threading.Lock()


_WRITER_FILES: dict[tuple[int, str], int] = {}


@contextmanager
def _sqlite_writer_file() -> Iterator[None]:
    """The same queue across processes (the web workers, the xAPI sender, the task
    worker): an advisory lock on a file beside the database. Without it a writer that
    meets another process's write falls back on SQLite's back-off sleeps."""
    name = str(connection.settings_dict.get("NAME") or "")
    if os.name != "posix" or not name or name == ":memory:" or name.startswith("file:"):
        yield
        return
    import fcntl

    key = (os.getpid(), name)  # a forked child opens its own (a shared one is one lock)
    fd = _WRITER_FILES.get(key)
    if fd is None:
        fd = _WRITER_FILES[key] = os.open(name + "-writer", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def write_transaction() -> Iterator[None]:
    """A transaction for a write. On SQLite, writers queue on a lock (a thread lock in
    this process, then a file lock across processes) rather than on SQLite's busy
    handler, whose back-off sleeps (up to 100 ms) would make the latency tail long;
    PostgreSQL's row locks need no help."""
    if connection.vendor == "sqlite":
        with _SQLITE_WRITER, _sqlite_writer_file(), transaction.atomic():
            yield
    else:
        with transaction.atomic():
            yield


# --- who owns a play -------------------------------------------------------------------
def anon_key(request: HttpRequest, create: bool = False) -> str:
    key: str = request.session.get(ANON_KEY, "")
    if not key and create:
        key = secrets.token_urlsafe(24)
        request.session[ANON_KEY] = key
    return key


def owned_plays(request: HttpRequest) -> Any:
    if request.user.is_authenticated:
        return Play.objects.filter(user=request.user)
    key = anon_key(request)
    if not key:
        return Play.objects.none()
    return Play.objects.filter(user__isnull=True, anon_key=key)


def owned_play(request: HttpRequest, play_id: Any, for_update: bool = False) -> Play:
    """The learner's play with this id (locked for update when asked), or 404."""
    plays = owned_plays(request)
    if for_update:
        plays = plays.select_for_update()
    try:
        play: Play = plays.get(pk=play_id)
    except (Play.DoesNotExist, ValidationError):
        raise Http404("no such play") from None
    return play


MOVE_FIELDS = (
    "state",
    "revision",
    "last_move",
    "updated_at",
    "ending_id",
    "outcome",
    "finished_at",
)


def save_move(play: Play) -> None:
    """Store what a move changes (``MOVE_FIELDS``): one ``UPDATE`` of those columns."""
    play.save(update_fields=MOVE_FIELDS)


def claim_anonymous_plays(request: HttpRequest, user: Any, key: str) -> None:
    """After sign-in or sign-up, plays made anonymously in this browser join the account."""
    if key:
        Play.objects.filter(user__isnull=True, anon_key=key).update(user=user, anon_key="")


# --- the engine --------------------------------------------------------------------------
def playthrough(play: Play) -> tuple[Scenario, Playthrough]:
    """Rebuild the engine's playthrough; PlayError if the scenario or state no longer fits."""
    from . import stories

    scenario: Scenario | None
    if play.story_version_id is not None:  # an uploaded story keeps the version it began on
        scenario = stories.version_scenario(play.story_version_id)
    else:
        scenario = library().get(play.scenario_id)
        if scenario is not None and scenario.id not in bundled_library():
            version = stories.current_version(scenario.id)
            if version is not None:
                Play.objects.filter(pk=play.pk, story_version=None).update(story_version=version)
                play.story_version = version
                scenario = stories.scenario_of(version) or scenario
    if scenario is None:
        raise PlayError(text()["scenario_gone"])
    return scenario, Playthrough.from_json(scenario, play.state)


# --- the step's own markup ---------------------------------------------------------------
_PARTS: dict[tuple[str, str | None, str | None, str], dict[str, Markup]] = {}
_PARTS_MAX = 20_000  # (decision, choice) pairs and nodes of every scenario: far fewer


def step_parts(scenario: Scenario, pt: Playthrough) -> dict[str, Markup]:
    """The markup of the current step that depends only on the scenario and how the
    learner got here (title, "What happened", the step's heading and text, the radios),
    rendered from ``learn/_play_parts.html`` once per process and then reused. Only the
    play's own fields (revision, ids, token, messages) are rendered per request."""
    prev = pt.steps[-2] if len(pt.steps) > 1 else None
    # id(scenario): versions of an uploaded story share an id; each stays alive (stories.py)
    key = (
        f"{scenario.id}@{id(scenario)}",
        prev.node if prev else None,
        prev.choice if prev else None,
        pt.current_id,
    )
    parts = _PARTS.get(key)
    if parts is None:
        parts = _render_step_parts(scenario, pt)
        if not settings.DEBUG:  # while developing, template edits show at once
            if len(_PARTS) >= _PARTS_MAX:
                _PARTS.clear()
            _PARTS[key] = parts
    return parts


def _render_step_parts(scenario: Scenario, pt: Playthrough) -> dict[str, Markup]:
    macros: Any = get_template("learn/_play_parts.html").template.module  # type: ignore[attr-defined]
    node = pt.current
    speaker_id = getattr(node, "speaker", None)
    speaker = library().cast(scenario).get(speaker_id) if speaker_id else None
    last = pt.last_choice
    guidance = guidance_entries(last.guidance) if last else []
    return {
        "intro": Markup(macros.intro(scenario, last, guidance)),
        "head": Markup(macros.head(node, speaker, last is None)),
        "radios": Markup(macros.radios(node, None)) if isinstance(node, Decision) else Markup(),
    }


def radios_with_error(node: object, error: str) -> Markup:
    if not isinstance(node, Decision):
        return Markup()
    macros: Any = get_template("learn/_play_parts.html").template.module  # type: ignore[attr-defined]
    return Markup(macros.radios(node, error))


def play_token(play: Play) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), str(play.id).encode(), hashlib.sha256)
    return digest.hexdigest()[:40]


def record_first_choice(play: Play, node_id: str, choice_id: str) -> None:
    """Count this play's first choice at a decision; later ones (after "Back" or "Start
    again") are ignored by the unique (play token, node) constraint."""
    FirstChoice.objects.bulk_create(
        [
            FirstChoice(
                scenario_id=play.scenario_id,
                node_id=node_id,
                choice_id=choice_id,
                play_token=play_token(play),
            )
        ],
        ignore_conflicts=True,
    )


# --- debrief ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ChoiceShare:
    choice_id: str
    text: str
    count: int
    percent: int


@dataclass(frozen=True)
class DecisionShares:
    node_id: str
    question: str
    total: int
    shares: list[ChoiceShare]

    @property
    def shown(self) -> bool:
        return self.total >= MIN_PLAYS_FOR_STATS


def choice_shares(scenario: Scenario, node_ids: list[str] | None = None) -> list[DecisionShares]:
    """How plays chose first at each decision, as whole percentages."""
    decisions = scenario.decisions()
    wanted = node_ids if node_ids is not None else list(decisions)
    rows = (
        FirstChoice.objects.filter(scenario_id=scenario.id, node_id__in=wanted)
        .values("node_id", "choice_id")
        .annotate(n=Count("id"))
    )
    counts: dict[tuple[str, str], int] = {(r["node_id"], r["choice_id"]): r["n"] for r in rows}
    result = []
    for node_id in wanted:
        decision = decisions.get(node_id)
        if decision is None:
            continue
        total = sum(counts.get((node_id, c.id), 0) for c in decision.choices)
        shares = [
            ChoiceShare(
                c.id,
                c.text,
                counts.get((node_id, c.id), 0),
                round(100 * counts.get((node_id, c.id), 0) / total) if total else 0,
            )
            for c in decision.choices
        ]
        result.append(DecisionShares(node_id, decision.text, total, shares))
    return result


def guidance_entries(keys: list[str]) -> list[Guidance]:
    registry = load_registry()
    return [g for k in keys if (g := registry.get(k)) is not None]


def path_taken(pt: Playthrough) -> list[dict[str, Any]]:
    return [{"decision": d, "choice": c} for d, c in pt.choices_made()]


def is_decision(node: object) -> bool:
    return isinstance(node, Decision)
