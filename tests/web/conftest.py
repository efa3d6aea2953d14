"""Each web test starts with an empty cache: rate limits and kept state from one test
must not leak into the next (the cache is per process, as in one server process)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    from django.core.cache import cache

    cache.clear()
