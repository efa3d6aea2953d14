"""The four UK nations and their regulators: what a learner's nation choice puts first.

``nations.yaml`` names each nation's regulator and the registry keys of its code and social
media guidance. ``order_for_nation`` sorts cited guidance so that the learner's own
nation comes first, then UK-wide documents, then the other nations, then the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kaleidoscope.guidance.registry import (
    NATIONS,
    Guidance,
    GuidanceRegistry,
    Jurisdiction,
    load_registry,
)


class Nation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Jurisdiction
    label: str = Field(min_length=3)
    regulator: str = Field(min_length=3)
    publisher: str = Field(min_length=3)  # the regulator as named in guidance.yaml
    keys: list[str] = Field(min_length=1)


class NationDataError(ValueError):
    """nations.yaml does not fit the registry; the message names the file and entry."""


def parse_nations(
    text: str, registry: GuidanceRegistry, display: str = "nations.yaml"
) -> tuple[Nation, ...]:
    try:
        raw = yaml.safe_load(text)
        nations = tuple(Nation.model_validate(item) for item in raw)
    except (yaml.YAMLError, TypeError, ValidationError) as exc:
        raise NationDataError(f"{display}: {exc}") from None
    if [n.id for n in nations] != list(NATIONS):
        ids = [n.value for n in NATIONS]
        raise NationDataError(f"{display}: list each of {ids} once, in order")
    for each in nations:
        for key in each.keys:
            entry = registry.get(key)
            if entry is None:
                raise NationDataError(f"{display}: {each.id.value}: unknown guidance key '{key}'")
            if (
                not entry.is_current
                or entry.jurisdiction is not each.id
                or entry.publisher != each.publisher
            ):
                raise NationDataError(
                    f"{display}: {each.id.value}: '{key}' must be current guidance from "
                    f"{each.publisher} for {each.label} (it is {entry.status}, "
                    f"{entry.jurisdiction.value}, {entry.publisher})"
                )
    return nations


@cache
def bundled_nations() -> tuple[Nation, ...]:
    text = resources.files(__package__).joinpath("nations.yaml").read_text("utf-8")
    return parse_nations(text, load_registry(), "guidance/nations.yaml")


def nation(nation_id: str) -> Nation | None:
    return next((n for n in bundled_nations() if n.id.value == nation_id), None)


@dataclass(frozen=True)
class NationGuidance:
    """What a debrief shows for one nation: its regulator's documents, then the rest."""

    nation: Nation
    regulator: list[Guidance]  # the nation's code and guidance, cited or not
    cited: list[Guidance]  # everything cited, the nation's own first


def _rank(entry: Guidance, chosen: Jurisdiction) -> int:
    if entry.jurisdiction is chosen:
        return 0
    if entry.jurisdiction is Jurisdiction.UK:
        return 1
    if entry.jurisdiction in NATIONS:
        return 2
    return 3


def order_for_nation(entries: Iterable[Guidance], chosen: Jurisdiction) -> list[Guidance]:
    """Stable order: the chosen nation, UK-wide, other nations, then US and research."""
    return sorted(entries, key=lambda g: _rank(g, chosen))


def for_nation(entries: Iterable[Guidance], nation_id: str) -> NationGuidance | None:
    """The debrief's guidance for ``nation_id`` (None for an unknown nation)."""
    chosen = nation(nation_id)
    if chosen is None:
        return None
    registry = load_registry()
    regulator = [registry[k] for k in chosen.keys]
    return NationGuidance(chosen, regulator, order_for_nation(entries, chosen.id))


def cited_by_nation(keys: Iterable[str]) -> dict[Jurisdiction, list[str]]:
    """For each nation, the cited keys from its regulator (in the order first cited)."""
    registry = load_registry()
    publishers = {n.id: n.publisher for n in bundled_nations()}
    found: dict[Jurisdiction, list[str]] = {n: [] for n in NATIONS}
    for key in keys:
        entry = registry.get(key)
        if entry is None or publishers.get(entry.jurisdiction) != entry.publisher:
            continue
        if key not in found[entry.jurisdiction]:
            found[entry.jurisdiction].append(key)
    return found
