"""Load the guidance registry shipped in this package."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class Guidance(BaseModel):
    """One citable document or clause, summarised in our own words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9.\-]*$")
    title: str
    publisher: str
    year: int
    clause: str | None = None
    summary: str
    url: str | None = None

    @property
    def citation(self) -> str:
        """A short human citation, e.g. 'Social Work England (2019) 5.6'."""
        clause = f", {self.clause}" if self.clause else ""
        return f"{self.publisher} ({self.year}){clause}"


class GuidanceRegistry:
    """Keyed access to the guidance entries, in file order."""

    def __init__(self, entries: list[Guidance]) -> None:
        self._entries: dict[str, Guidance] = {}
        for entry in entries:
            if entry.key in self._entries:
                raise ValueError(f"duplicate guidance key {entry.key!r}")
            self._entries[entry.key] = entry

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __getitem__(self, key: str) -> Guidance:
        return self._entries[key]

    def __iter__(self) -> Iterator[Guidance]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def keys(self) -> frozenset[str]:
        return frozenset(self._entries)

    def get(self, key: str) -> Guidance | None:
        return self._entries.get(key)


_ENTRIES = TypeAdapter(list[Guidance])


@cache
def load_registry() -> GuidanceRegistry:
    """The registry bundled with Kaleidoscope (parsed once per process)."""
    text = resources.files(__package__).joinpath("guidance.yaml").read_text("utf-8")
    return GuidanceRegistry(_ENTRIES.validate_python(yaml.safe_load(text)))
