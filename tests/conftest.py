"""Shared test set-up.

pytest-django loads ``kaleidoscope.web.settings`` (see pyproject.toml) for the whole run;
tests that do not touch the database are unaffected. The Playwright sync API keeps an
event loop in the main thread, so Django's async-safety guard is relaxed for tests only.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
