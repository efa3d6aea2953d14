"""What Twine knows about a story that a scenario does not: its map and its extras.

Passage names, positions and sizes, tags of the author's own, the story's IFID, format,
zoom and tag colours, and passages Kaleidoscope does not play (story JavaScript,
stylesheets, story-format special passages). ``scenarios import`` writes this as
comment lines at the end of the scenario YAML (``# twine-...: {json}``), which the
validator and the library ignore; ``scenarios export FILE.yaml`` reads them back, so a
story goes back to Twine with its map as the author left it. Deleting the lines is safe:
the export then lays the map out afresh.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from kaleidoscope.diagnostics import Diagnostic, Severity
from kaleidoscope.learn.twine.story import TwinePassage

HEADER = "# Twine layout, kept for 'kaleidoscope scenarios export' (safe to delete):"
_LINE = re.compile(r"^# twine-(story|passage|extra): (.*)$")


@dataclass
class PassageLayout:
    name: str
    position: str | None = None
    size: str | None = None
    tags: list[str] = field(default_factory=list)  # tags beyond the convention's own
    link: str | None = None  # a passage's link text, where it is not the default

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name}
        for key in ("position", "size", "link"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        if self.tags:
            data["tags"] = self.tags
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PassageLayout:
        return cls(
            name=_text(data, "name") or "",
            position=_text(data, "position"),
            size=_text(data, "size"),
            tags=[str(t) for t in data.get("tags", []) if isinstance(t, str)],
            link=_text(data, "link"),
        )


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


@dataclass
class Layout:
    ifid: str = ""
    format: str = ""
    format_version: str = ""
    zoom: float | None = None
    tag_colors: dict[str, str] | None = None
    metadata: PassageLayout | None = None  # where the ScenarioData passage sits
    passages: dict[str, PassageLayout] = field(default_factory=dict)  # by node id
    extra: list[TwinePassage] = field(default_factory=list)

    def to_comments(self) -> str:
        story: dict[str, Any] = {
            "ifid": self.ifid,
            "format": self.format,
            "format-version": self.format_version,
        }
        if self.zoom is not None:
            story["zoom"] = self.zoom
        if self.tag_colors is not None:
            story["tag-colors"] = self.tag_colors
        if self.metadata is not None:
            story["metadata"] = self.metadata.to_json()
        lines = ["", HEADER, "# twine-story: " + _dumps(story)]
        for node_id, entry in self.passages.items():
            lines.append("# twine-passage: " + _dumps({"node": node_id, **entry.to_json()}))
        for passage in self.extra:
            data: dict[str, Any] = {"name": passage.name, "tags": passage.tags}
            data["text"] = passage.text
            if passage.position:
                data["position"] = passage.position
            if passage.size:
                data["size"] = passage.size
            lines.append("# twine-extra: " + _dumps(data))
        return "\n".join(lines) + "\n"


def _dumps(data: dict[str, Any]) -> str:
    # ASCII only, so no character in the JSON can end the comment line.
    return json.dumps(data, ensure_ascii=True, separators=(", ", ": "))


def read_layout(text: str, path: str) -> tuple[Layout | None, list[Diagnostic]]:
    """The layout kept in a scenario file's comments, if any, and any unreadable lines."""
    layout: Layout | None = None
    problems: list[Diagnostic] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _LINE.match(line)
        if not match:
            continue
        try:
            data = json.loads(match.group(2))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            problems.append(
                Diagnostic(
                    path,
                    number,
                    1,
                    "T160",
                    f"Twine layout line is not readable ({exc}); ignored",
                    Severity.WARNING,
                )
            )
            continue
        layout = layout or Layout()
        kind = match.group(1)
        if kind == "story":
            layout.ifid = _text(data, "ifid") or ""
            layout.format = _text(data, "format") or ""
            layout.format_version = _text(data, "format-version") or ""
            zoom = data.get("zoom")
            layout.zoom = zoom if isinstance(zoom, int | float) else None
            colors = data.get("tag-colors")
            if isinstance(colors, dict):
                layout.tag_colors = {str(k): str(v) for k, v in colors.items()}
            meta = data.get("metadata")
            if isinstance(meta, dict):
                layout.metadata = PassageLayout.from_json(meta)
        elif kind == "passage":
            node = _text(data, "node")
            if node:
                layout.passages[node] = PassageLayout.from_json(data)
        else:
            layout.extra.append(
                TwinePassage(
                    name=_text(data, "name") or "",
                    text=_text(data, "text") or "",
                    tags=[str(t) for t in data.get("tags", []) if isinstance(t, str)],
                    position=_text(data, "position"),
                    size=_text(data, "size"),
                )
            )
    return layout, problems
