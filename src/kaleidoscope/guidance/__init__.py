"""The guidance registry: the documents Kaleidoscope may cite, as data."""

from kaleidoscope.guidance.registry import Guidance, GuidanceRegistry, load_registry

__all__ = ["Guidance", "GuidanceRegistry", "load_registry"]
