"""An organisation's own scenarios: versions uploaded by staff, published into the library.

The library the pages use is the bundled one plus every published version
(``Library.with_extra``). It is rebuilt only when a story is published or withdrawn: a
generation token in Django's cache (shared by every worker when the cache is Redis)
says when. A version's YAML never changes once stored, so its parsed scenario is kept
by primary key; a play that started on a version keeps playing that version.
"""

from __future__ import annotations

import threading
import uuid
from functools import cache

from django.core.cache import cache as django_cache

from kaleidoscope.learn.library import Library, bundled_library, bundled_path
from kaleidoscope.learn.model import CastMember, Scenario
from kaleidoscope.learn.source import SourceError, parse_yaml
from kaleidoscope.learn.validate import check_document, read_shared_cast

from .models import StoryVersion

GENERATION_KEY = "learn:stories:generation"

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


def _generation() -> str:
    token = django_cache.get(GENERATION_KEY)
    if token is None:
        django_cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        token = django_cache.get(GENERATION_KEY) or ""
    return str(token)


def changed() -> None:
    """Call after publishing or withdrawing: every worker rebuilds its library."""
    django_cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def published() -> list[StoryVersion]:
    return list(StoryVersion.objects.filter(state=StoryVersion.PUBLISHED).defer("yaml_text"))


def current_library() -> Library:
    """The bundled library plus the published stories."""
    global _current
    token = _generation()
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
