"""Shared set-up of the fuzz tests (tests/check/test_fuzz_*.py).

A normal run tries ``FUZZ_EXAMPLES`` (default 15) cases per target, so ``make test`` stays
quick; ``make fuzz`` sets ``KALEIDOSCOPE_FUZZ=1`` and ``KALEIDOSCOPE_FUZZ_EXAMPLES``
(default 2,000) for the long run, and ``KALEIDOSCOPE_FUZZ_REPORT`` to a file where the
cases tried per target are written (the figures in docs/archives.md come from it).
"""

from __future__ import annotations

import json
import os
from collections import Counter

from hypothesis import HealthCheck, settings

LONG = os.environ.get("KALEIDOSCOPE_FUZZ") == "1"
EXAMPLES = int(os.environ.get("KALEIDOSCOPE_FUZZ_EXAMPLES", "2000" if LONG else "15"))
CASES: Counter[str] = Counter()

fuzz_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG,  # the normal run is the same every time
    database=None,  # failures found are kept as @example regression cases instead
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
)


def count(target: str) -> None:
    CASES[target] += 1


def write_report() -> None:
    path = os.environ.get("KALEIDOSCOPE_FUZZ_REPORT")
    if not path:
        return
    try:
        with open(path, encoding="utf-8") as fh:
            old: dict[str, int] = json.load(fh)
    except (OSError, ValueError):
        old = {}
    old.update(CASES)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(dict(sorted(old.items())), fh, indent=1)
