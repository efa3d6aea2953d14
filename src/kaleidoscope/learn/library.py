"""The bundled scenario library (YAML files in ``scenarios/library/``)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path

from kaleidoscope.diagnostics import Diagnostic
from kaleidoscope.learn.model import CastMember, Scenario
from kaleidoscope.learn.validate import check_paths, read_shared_cast, scenario_files


class LibraryError(Exception):
    """A library that does not validate; carries every diagnostic."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        shown = "\n".join(str(d) for d in diagnostics[:20])
        super().__init__(f"{len(diagnostics)} problem(s) in the scenario library:\n{shown}")


class Library:
    """Scenarios by id, in title order."""

    def __init__(
        self, scenarios: list[Scenario], shared_cast: dict[str, list[CastMember]] | None = None
    ) -> None:
        self._by_id = {s.id: s for s in sorted(scenarios, key=lambda s: s.title.casefold())}
        self._shared = shared_cast or {}

    def cast(self, scenario: Scenario) -> dict[str, CastMember]:
        """Everyone who may speak in ``scenario``: the continuing cast, then its own."""
        members = {m.id: m for m in self._shared.get(scenario.id, [])}
        members.update((m.id, m) for m in scenario.cast)
        return members

    def __iter__(self) -> Iterator[Scenario]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, scenario_id: object) -> bool:
        return scenario_id in self._by_id

    def get(self, scenario_id: str) -> Scenario | None:
        return self._by_id.get(scenario_id)

    def themes(self) -> list[str]:
        return sorted({t for s in self for t in s.themes}, key=str.casefold)


def bundled_path() -> Path:
    return Path(str(resources.files(__package__).joinpath("library")))


def load_library(paths: list[Path]) -> Library:
    """Load and validate scenarios; LibraryError lists every error (warnings pass)."""
    results = check_paths(paths)
    errors = [d for r in results for d in r.diagnostics if d.is_error]
    if errors:
        raise LibraryError(errors)
    folders = {str(f): f.parent for f in scenario_files(paths)[0]}
    folder_cast = {folder: read_shared_cast(folder)[0] for folder in set(folders.values())}
    shared: dict[str, list[CastMember]] = {}
    scenarios: list[Scenario] = []
    for result in results:
        if result.scenario is not None:
            scenarios.append(result.scenario)
            shared[result.scenario.id] = folder_cast[folders[result.path]]
    return Library(scenarios, shared)


@cache
def bundled_library() -> Library:
    """The library shipped with Kaleidoscope, loaded once per process."""
    return load_library([bundled_path()])
