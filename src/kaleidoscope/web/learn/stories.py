"""An organisation's own scenarios: versions uploaded by staff, published into the library.

The library the pages use is the bundled one plus every published version
(``Library.with_extra``). It is rebuilt only when a story is published or withdrawn: a
generation token in Django's cache (shared by every worker when the cache is Redis)
says when. Each process reads that token at most once every ``MEMO_SECONDS`` (see
``CacheMemo``), so a story published on another worker reaches this one's pages within
a second, and at once on the worker that published it. A version's YAML never changes
once stored, so its parsed scenario is kept by primary key; a play that started on a
version keeps playing that version.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections.abc import Callable
from functools import cache
from typing import Generic, TypeVar

from django.core.cache import cache as django_cache

from kaleidoscope.learn.library import Library, bundled_library, bundled_path
from kaleidoscope.learn.model import CastMember, Scenario
from kaleidoscope.learn.source import SourceError, parse_yaml
from kaleidoscope.learn.validate import check_document, read_shared_cast

from .models import StoryVersion

GENERATION_KEY = "learn:stories:generation"

T = TypeVar("T")

# How long a process trusts its copy of a small, rarely changed value from the shared
# cache: a change made on another worker is seen here at most this late.
MEMO_SECONDS = 1.0


def cache_is_shared() -> bool:
    """Whether Django's cache lives outside this process (Redis), so a read is a round trip."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    return not isinstance(caches["default"], LocMemCache)


class CacheMemo(Generic[T]):
    """``read()`` (a read of a rarely changed value in Django's cache) kept in this
    process for ``seconds`` (``MEMO_SECONDS``), so a play step does not ask Redis for it.

    - A change made on another worker (it writes the cache) is seen here within
      ``seconds``.
    - A change made in this process calls ``clear()`` after writing the cache: the next
      call reads again. A read that was under way when ``clear()`` ran is not kept.
    - With the local-memory cache (one process, no ``REDIS_URL``) a cache read is as
      cheap as the memo and a change is always made in this process: every call reads,
      exactly as without a memo.
    """

    def __init__(self, read: Callable[[], T], seconds: float = MEMO_SECONDS) -> None:
        self._read = read
        self.seconds = seconds
        self.clock: Callable[[], float] = time.monotonic
        self._clears = itertools.count(1)  # next() is atomic: no lock on the hot path
        self._cleared = 0
        self._held: tuple[float, int, T] | None = None  # (good until, _cleared then, value)

    def get(self) -> T:
        if not cache_is_shared():
            return self._read()
        now = self.clock()
        cleared = self._cleared
        held = self._held
        if held is not None and held[1] == cleared and now < held[0]:
            return held[2]
        value = self._read()
        self._held = (now + self.seconds, cleared, value)
        return value

    def clear(self) -> None:
        self._cleared = next(self._clears)
        self._held = None


_lock = threading.Lock()
_parsed: dict[tuple[int, str], Scenario] = {}
_current: tuple[str, Library] | None = None


@cache
def shared_cast() -> tuple[CastMember, ...]:
    """The bundled continuing cast: uploaded stories may use it, as bundled ones do."""
    return tuple(read_shared_cast(bundled_path())[0])


def shared_ids() -> frozenset[str]:
    return frozenset(m.id for m in shared_cast())


def parse_version(yaml_text: str, scenario_id: str) -> Scenario | None:
    try:
        document = parse_yaml(yaml_text, f"{scenario_id}.yaml")
    except SourceError:
        return None
    return check_document(document, shared_ids()).scenario


def _key(version: StoryVersion) -> tuple[int, str]:
    """A stored version never changes, but a database may hand a deleted row's id to a
    new one: the upload time tells them apart."""
    return version.pk, version.uploaded_at.isoformat()


def scenario_of(version: StoryVersion) -> Scenario | None:
    """The scenario a stored version holds (None if it does not validate)."""
    key = _key(version)
    found = _parsed.get(key)
    if found is None:
        found = parse_version(version.yaml_text, version.scenario_id)
        if found is not None:
            with _lock:  # kept for the process's life: markup caches key on the object
                _parsed[key] = found
    return found


def version_scenario(version_id: int) -> Scenario | None:
    version = StoryVersion.objects.filter(pk=version_id).defer("yaml_text").first()
    return scenario_of(version) if version is not None else None


def _read_generation() -> str:
    token = django_cache.get(GENERATION_KEY)
    if token is None:
        django_cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        token = django_cache.get(GENERATION_KEY) or ""
    return str(token)


generation = CacheMemo(_read_generation)


def changed() -> None:
    """Call after publishing or withdrawing: this process rebuilds its library at once,
    every other worker within ``MEMO_SECONDS``."""
    django_cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    generation.clear()


def published() -> list[StoryVersion]:
    return list(StoryVersion.objects.filter(state=StoryVersion.PUBLISHED).defer("yaml_text"))


def current_library() -> Library:
    """The bundled library plus the published stories."""
    global _current
    token = generation.get()
    current = _current
    if current is not None and current[0] == token:
        return current[1]
    scenarios = []
    for version in published():
        found = _parsed.get(_key(version))
        if found is None:
            version.refresh_from_db(fields=["yaml_text"])
            found = scenario_of(version)
        if found is not None:
            scenarios.append(found)
    library = bundled_library().with_extra(scenarios, shared_cast())
    _current = (token, library)
    return library


def current_version(scenario_id: str) -> StoryVersion | None:
    return (
        StoryVersion.objects.filter(scenario_id=scenario_id, state=StoryVersion.PUBLISHED)
        .defer("yaml_text")
        .first()
    )
