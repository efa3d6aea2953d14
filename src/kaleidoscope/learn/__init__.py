"""Learn: ethical dilemmas as data, a validator, and a deterministic engine."""

from kaleidoscope.learn.engine import PlayError, Playthrough
from kaleidoscope.learn.library import Library, LibraryError, bundled_library, load_library
from kaleidoscope.learn.model import Choice, Decision, Dimension, Ending, Passage, Scenario

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
