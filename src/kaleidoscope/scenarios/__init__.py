"""Learn: ethical dilemmas as data, a validator, and a deterministic engine."""

from kaleidoscope.scenarios.engine import PlayError, Playthrough
from kaleidoscope.scenarios.library import Library, LibraryError, bundled_library, load_library
from kaleidoscope.scenarios.model import Choice, Decision, Dimension, Ending, Passage, Scenario

__all__ = [
    "Choice",
    "Decision",
    "Dimension",
    "Ending",
    "Library",
    "LibraryError",
    "Passage",
    "PlayError",
    "Playthrough",
    "Scenario",
    "bundled_library",
    "load_library",
]
