"""Load and check the guidance registry shipped in this package (``guidance.yaml``).

Each entry knows where it applies (``jurisdiction``), whether it still applies
(``status``: current, historical, or ``{superseded_by: KEY}``), when we last checked it
against its source (``last_checked``) and where the document itself lives (``url``, a
deep link, never a site's home page). A malformed file is reported with file:line
messages (``GuidanceError``), never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kaleidoscope.diagnostics import Diagnostic

KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9.\-]*$"


class Jurisdiction(StrEnum):
    """Where a document applies. The four nations each have their own regulator."""

    ENGLAND = "england"
    SCOTLAND = "scotland"
    WALES = "wales"
    NORTHERN_IRELAND = "northern_ireland"
    UK = "uk"
    US = "us"
    INTERNATIONAL = "international"  # research not tied to one country's rules


NATIONS: tuple[Jurisdiction, ...] = (
    Jurisdiction.ENGLAND,
    Jurisdiction.SCOTLAND,
    Jurisdiction.WALES,
    Jurisdiction.NORTHERN_IRELAND,
)


class StatusKind(StrEnum):
    CURRENT = "current"
    HISTORICAL = "historical"  # kept for a scenario whose point is historical
    SUPERSEDED = "superseded"


class Status(BaseModel):
    """``current``, ``historical``, or ``{superseded_by: KEY}`` in the YAML."""

    model_config = ConfigDict(frozen=True)

    kind: StatusKind
    superseded_by: str | None = None

    def __str__(self) -> str:
        if self.kind is StatusKind.SUPERSEDED:
            return f"superseded by {self.superseded_by}"
        return self.kind.value


_STATUS_HELP = "status must be 'current', 'historical' or 'superseded_by: KEY'"


def _parse_status(raw: Any) -> Status:
    if isinstance(raw, Status):
        return raw
    if raw in ("current", "historical"):
        return Status(kind=StatusKind(raw))
    if isinstance(raw, dict) and list(raw) == ["superseded_by"]:
        successor = raw["superseded_by"]
        if isinstance(successor, str) and successor.strip():
            return Status(kind=StatusKind.SUPERSEDED, superseded_by=successor.strip())
        raise ValueError("superseded_by needs the key of the document that replaced it")
    raise ValueError(f"unknown status {raw!r}: {_STATUS_HELP}")


def is_homepage(url: str) -> bool:
    """True when ``url`` is only a site's home page (no path, query or fragment)."""
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query and not parts.fragment


class Guidance(BaseModel):
    """One citable document or clause, summarised in our own words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=KEY_PATTERN)
    title: str = Field(min_length=3)
    publisher: str = Field(min_length=2)
    year: int = Field(ge=1900, le=2100)
    clause: str | None = None
    summary: str = Field(min_length=10)
    url: str | None = Field(default=None, pattern=r"^https?://[^\s/]+[^\s]*$")
    jurisdiction: Jurisdiction
    status: Status
    last_checked: date
    checked_against: str | None = None  # what the summary was last compared with

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, raw: Any) -> Status:
        return _parse_status(raw)

    @field_validator("last_checked", mode="before")
    @classmethod
    def _date(cls, raw: Any) -> Any:
        if isinstance(raw, date):
            return raw
        if isinstance(raw, str):
            try:
                return date.fromisoformat(raw)
            except ValueError:
                pass
        raise ValueError(f"malformed date {raw!r}: write it as YYYY-MM-DD")

    @property
    def citation(self) -> str:
        """A short human citation, e.g. 'Social Work England (2019), 5.6'."""
        clause = f", {self.clause}" if self.clause else ""
        return f"{self.publisher} ({self.year}){clause}"

    @property
    def is_current(self) -> bool:
        return self.status.kind is StatusKind.CURRENT

    @property
    def superseded_by(self) -> str | None:
        return self.status.superseded_by


class GuidanceError(ValueError):
    """A guidance file that cannot be used; ``diagnostics`` locate each problem."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


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

    def successor(self, key: str) -> Guidance | None:
        """The current document that replaced ``key``, following the whole chain."""
        seen: set[str] = set()
        entry = self._entries.get(key)
        while entry is not None and entry.superseded_by and entry.key not in seen:
            seen.add(entry.key)
            entry = self._entries.get(entry.superseded_by)
        return entry if entry is not None and entry.key != key else None

    def for_jurisdiction(self, jurisdiction: Jurisdiction) -> list[Guidance]:
        return [g for g in self if g.jurisdiction is jurisdiction]


# --- reading the YAML with line numbers ---------------------------------------------------
class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so a malformed one is reported, not raised."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class _Located:
    data: list[Any]
    entry_lines: list[int]
    field_lines: list[dict[str, int]]


def _compose(text: str, display: str) -> _Located:
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: safe
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise GuidanceError(
            [Diagnostic(display, line, 1, "G101", f"not valid YAML: {problem}")]
        ) from None
    if not isinstance(root, yaml.SequenceNode) or not isinstance(data, list):
        raise GuidanceError(
            [Diagnostic(display, 1, 1, "G102", "the guidance file must be a list of entries")]
        )
    entry_lines: list[int] = []
    field_lines: list[dict[str, int]] = []
    for node in root.value:
        entry_lines.append(node.start_mark.line + 1)
        fields: dict[str, int] = {}
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    fields[str(key_node.value)] = value_node.start_mark.line + 1
        field_lines.append(fields)
    return _Located(data, entry_lines, field_lines)


def _field_message(error: Any) -> str:
    field = ".".join(str(p) for p in error["loc"]) or "(entry)"
    kind = error["type"]
    if kind == "missing":
        return f"missing required field '{field}'"
    if kind == "extra_forbidden":
        return f"unknown field '{field}'"
    if kind == "enum" and field == "jurisdiction":
        allowed = ", ".join(j.value for j in Jurisdiction)
        return f"unknown jurisdiction {error.get('input')!r} (one of: {allowed})"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"field '{field}': {message}"


def parse_registry(text: str, display: str = "guidance.yaml") -> GuidanceRegistry:
    """Parse and check a whole registry; every problem is reported at once."""
    located = _compose(text, display)
    problems: list[Diagnostic] = []
    entries: list[Guidance] = []
    key_lines: dict[str, int] = {}
    for index, raw in enumerate(located.data):
        line = located.entry_lines[index]
        fields = located.field_lines[index]
        if not isinstance(raw, dict):
            problems.append(Diagnostic(display, line, 1, "G102", "an entry must be a mapping"))
            continue
        try:
            entry = Guidance.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                top = str(error["loc"][0]) if error["loc"] else ""
                at = fields.get(top, line) if error["type"] != "missing" else line
                problems.append(Diagnostic(display, at, 1, "G201", _field_message(error)))
            continue
        if entry.key in key_lines:
            problems.append(Diagnostic(
                display, fields.get("key", line), 1, "G301",
                f"duplicate key '{entry.key}' (first at line {key_lines[entry.key]})",
            ))
            continue
        key_lines[entry.key] = fields.get("key", line)
        entries.append(entry)
    by_key = {e.key: e for e in entries}
    for index, raw in enumerate(located.data):
        if not isinstance(raw, dict):
            continue
        entry_or_none = by_key.get(str(raw.get("key")))
        if entry_or_none is None or entry_or_none.superseded_by is None:
            continue
        at = located.field_lines[index].get("status", located.entry_lines[index])
        successor = entry_or_none.superseded_by
        if successor not in by_key:
            problems.append(Diagnostic(
                display, at, 1, "G302",
                f"'{entry_or_none.key}' is superseded by '{successor}', which is not a key "
                "in this registry",
            ))
        elif successor == entry_or_none.key:
            problems.append(Diagnostic(
                display, at, 1, "G302", f"'{successor}' cannot supersede itself",
            ))
    if problems:
        raise GuidanceError(sorted(problems, key=lambda d: (d.line, d.code)))
    return GuidanceRegistry(entries)


def registry_text() -> str:
    return resources.files(__package__).joinpath("guidance.yaml").read_text("utf-8")


@cache
def load_registry() -> GuidanceRegistry:
    """The registry bundled with Kaleidoscope (parsed once per process)."""
    return parse_registry(registry_text(), "guidance/guidance.yaml")
