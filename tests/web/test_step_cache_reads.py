"""A play step asks the shared cache (Redis) for the session only.

Two small values other workers may change are kept in each process for
``stories.MEMO_SECONDS`` (``stories.CacheMemo``): the published stories' generation token
and "does any LMS platform take grades". These tests count what a step reads through
Django's cache API, and check that a change written to the cache by another process
(simulated by writing the key directly) is seen once the memo's time is up, while a
change made in this process is seen at once.

The test run's cache is local memory, where the memo stands aside; ``shared_cache``
makes the memo behave as it does with Redis.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from kaleidoscope.learn.library import bundled_path
from kaleidoscope.learn.model import Decision, Ending
from kaleidoscope.web.learn import stories
from kaleidoscope.web.learn.models import StoryVersion
from kaleidoscope.web.lms import outbox

from .helpers import current, scenario, start

pytestmark = pytest.mark.django_db

SESSION_PREFIX = "django.contrib.sessions.cached_db"
MEMOS = (stories.generation, outbox._grades_anywhere)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    for memo in MEMOS:
        monkeypatch.setattr(memo, "clock", fake)
    return fake


@pytest.fixture
def shared_cache(monkeypatch: pytest.MonkeyPatch, clock: Clock) -> Iterator[Clock]:
    """The memo acts as with Redis; each test starts and ends with empty memos."""
    for memo in MEMOS:
        memo.clear()
    monkeypatch.setattr(stories, "cache_is_shared", lambda: True)
    yield clock
    for memo in MEMOS:
        memo.clear()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every key read through Django's cache API (get, get_many, has_key, add)."""
    from django.core.cache import caches

    backend = caches["default"]
    seen: list[str] = []
    for name in ("get", "get_many", "has_key", "add"):
        original = getattr(backend, name)

        def counted(key: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            seen.extend([key] if isinstance(key, str) else list(key))
            return _original(key, *args, **kwargs)

        monkeypatch.setattr(backend, name, counted)
    return seen


def _step(client: Client, play: Any) -> None:
    """One htmx step, whatever the play is at (as bench/web_play.py plays)."""
    play.refresh_from_db()
    node = scenario(play.scenario_id).nodes[current(play)]
    form = {"rev": str(play.revision), "action": "advance", "node": current(play)}
    if isinstance(node, Decision):
        form.update(action="choose", choice=node.choices[0].id)
    elif isinstance(node, Ending):
        form.update(action="restart", node="")
    response = client.post(f"/plays/{play.id}/step/", form, HTTP_HX_REQUEST="true")
    assert response.status_code == 200


def _not_session(keys: list[str]) -> list[str]:
    return [k for k in keys if not k.startswith(SESSION_PREFIX)]


def test_without_the_memo_a_step_reads_both_shared_values(client: Client, reads: list[str]) -> None:
    """The local-memory cache (one process): every step reads the cache, as before."""
    play = start(client)
    _step(client, play)
    reads.clear()
    _step(client, play)
    assert sorted(set(_not_session(reads))) == sorted([outbox.GRADES_KEY, stories.GENERATION_KEY])


def test_a_step_reads_only_the_session_from_a_shared_cache(
    client: Client, shared_cache: Clock, reads: list[str]
) -> None:
    play = start(client)
    _step(client, play)  # the first step fills the memos
    reads.clear()
    for _ in range(3):
        _step(client, play)
        shared_cache.now += stories.MEMO_SECONDS / 4
    assert _not_session(reads) == []
    assert reads, "the session is still read from the cache"
    shared_cache.now += stories.MEMO_SECONDS
    _step(client, play)  # the memo's time is up: read once more
    assert sorted(set(_not_session(reads))) == sorted([outbox.GRADES_KEY, stories.GENERATION_KEY])


def _story_row(scenario_id: str = "our-story") -> StoryVersion:
    text = (bundled_path() / "friend-request.yaml").read_text(encoding="utf-8")
    return StoryVersion.objects.create(
        scenario_id=scenario_id,
        version=1,
        title="Our story",
        state=StoryVersion.PUBLISHED,
        source_name=f"{scenario_id}.yaml",
        yaml_text=text.replace("id: friend-request", f"id: {scenario_id}", 1),
    )


def test_a_story_published_on_another_worker_is_seen_within_the_memo_time(
    shared_cache: Clock,
) -> None:
    from django.core.cache import cache

    assert stories.current_library().get("our-story") is None
    _story_row()
    cache.set(stories.GENERATION_KEY, "from-another-worker", None)  # what changed() writes
    shared_cache.now += stories.MEMO_SECONDS * 0.9
    assert stories.current_library().get("our-story") is None  # still this process's copy
    shared_cache.now += stories.MEMO_SECONDS * 0.2
    assert stories.current_library().get("our-story") is not None


def test_a_story_published_in_this_process_is_seen_at_once(shared_cache: Clock) -> None:
    assert stories.current_library().get("our-story") is None
    _story_row()
    stories.changed()
    assert stories.current_library().get("our-story") is not None


def _platform(grades: bool) -> Any:
    from kaleidoscope.web.lms.cli import register_platform

    return register_platform(
        name="A platform",
        issuer="https://lms.example.invalid",
        client_id="kaleidoscope",
        auth_url="https://lms.example.invalid/auth",
        token_url="https://lms.example.invalid/token",
        keyset_url="https://lms.example.invalid/jwks",
        deployments=["1"],
        grades=grades,
        xapi=False,
    )


def test_grades_switched_on_by_another_worker_are_seen_within_the_memo_time(
    shared_cache: Clock,
) -> None:
    from django.core.cache import cache

    from kaleidoscope.web.lms.models import PlatformSettings

    _platform(grades=False)
    assert outbox.grades_anywhere() is False
    PlatformSettings.objects.update(send_grades=True)  # no signal here: another process's
    cache.delete(outbox.GRADES_KEY)  # ... save cleared the shared key
    shared_cache.now += stories.MEMO_SECONDS * 0.9
    assert outbox.grades_anywhere() is False
    shared_cache.now += stories.MEMO_SECONDS * 0.2
    assert outbox.grades_anywhere() is True


def test_grades_switched_on_in_this_process_are_seen_at_once(shared_cache: Clock) -> None:
    from kaleidoscope.web.lms.models import PlatformSettings

    _platform(grades=False)
    assert outbox.grades_anywhere() is False
    settings_row = PlatformSettings.objects.get()
    settings_row.send_grades = True
    settings_row.save()  # the post_save signal forgets the cached answer here
    assert outbox.grades_anywhere() is True
    settings_row.delete()
    assert outbox.grades_anywhere() is False


def test_a_read_under_way_when_the_memo_is_cleared_is_not_kept(shared_cache: Clock) -> None:
    """A thread that read the old value while another thread of this process made a
    change must not leave that old value in the memo."""
    values = iter(["old", "new"])

    def read() -> str:
        value = next(values)
        if value == "old":
            memo.clear()  # the change lands while this read is under way
        return value

    memo = stories.CacheMemo(read)
    memo.clock = shared_cache
    assert memo.get() == "old"
    assert memo.get() == "new"
