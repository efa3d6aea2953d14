"""Platform facts fall due for review: overdue ones show up as warnings with their dates.

A stale fact is not a failure (the product still works, and a platform may not have
changed), but it must not pass silently either: each one becomes a pytest warning naming
the fact, its last review and when it fell due, so it shows in every CI run's summary.
"""

from __future__ import annotations

import warnings
from datetime import date, timedelta

import pytest

from kaleidoscope.see.rules import bundled_rules, stale_facts


class StalePlatformFact(UserWarning):
    """A platform fact past its review interval (see docs/sources.md)."""


def warn_about_stale_facts(today: date) -> int:
    stale = stale_facts(bundled_rules(), today)
    for fact in stale:
        warnings.warn(StalePlatformFact(f"platform fact overdue for review: {fact}"),
                      stacklevel=2)
    return len(stale)


def test_overdue_platform_facts_are_reported_as_warnings_with_dates() -> None:
    """The real check: runs against today's date and warns for each overdue fact."""
    warn_about_stale_facts(date.today())


def test_a_fact_past_its_interval_warns_with_its_dates() -> None:
    rules = bundled_rules()
    oldest = min(f.review_due() for p in rules.platforms for _, f in p.facts())
    with pytest.warns(StalePlatformFact) as caught:
        count = warn_about_stale_facts(oldest + timedelta(days=1))
    assert count >= 1 and len(caught) == count
    message = str(caught[0].message)
    assert "last reviewed 2026-" in message and f"review was due {oldest.isoformat()}" in message


def test_nothing_is_due_on_the_day_of_the_oldest_review() -> None:
    rules = bundled_rules()
    assert stale_facts(rules, rules.last_reviewed) == []
    for platform in rules.platforms:
        for topic, fact in platform.facts():
            assert fact.review_due() > fact.last_reviewed, f"{platform.id}.{topic}"
