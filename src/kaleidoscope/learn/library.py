"""The bundled scenario library (YAML files in ``scenarios/library/``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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

    def shared_cast_of(self, scenario_id: str) -> list[CastMember]:
        return list(self._shared.get(scenario_id, []))

    def with_extra(
        self, scenarios: Iterable[Scenario], shared_cast: Iterable[CastMember] = ()
    ) -> Library:
        """This library plus scenarios from elsewhere (an organisation's own, say).

        ``shared_cast``: the continuing cast the extra scenarios were validated with. A
        scenario whose id is already here is left out: the library's own ones win.
        """
        members = list(shared_cast)
        extra = [s for s in scenarios if s.id not in self._by_id]
        shared = dict(self._shared)
        shared.update((s.id, members) for s in extra)
        return Library([*self._by_id.values(), *extra], shared)


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
