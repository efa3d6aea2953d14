"""Between Twine stories and scenarios: the public functions of importer and exporter."""

from kaleidoscope.learn.twine.exporter import scenario_to_story
from kaleidoscope.learn.twine.importer import (
    Draft,
    Imported,
    draft,
    read_stories,
    stories_from_bytes,
    stories_from_text,
    story_to_scenario,
)

__all__ = [
    "Draft",
    "Imported",
    "draft",
    "read_stories",
    "scenario_to_story",
    "stories_from_bytes",
    "stories_from_text",
    "story_to_scenario",
]
