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

import hashlib
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
    # The passage exactly as it came in (text and every tag, in order), kept where export
    # would not write it back the same, with a digest of the node it was read as: export
    # uses it again while the node is unchanged, so a round trip gives the same bytes.
    text: str | None = field(default=None, compare=False)
    all_tags: list[str] | None = field(default=None, compare=False)
    digest: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name}
        for key in ("position", "size", "link"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        if self.tags:
            data["tags"] = self.tags
        if self.digest is not None:
            data["digest"] = self.digest
            data["all-tags"] = self.all_tags or []
            data["text"] = self.text or ""
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PassageLayout:
        all_tags = data.get("all-tags")
        return cls(
            name=_text(data, "name") or "",
            position=_text(data, "position"),
            size=_text(data, "size"),
            tags=[str(t) for t in data.get("tags", []) if isinstance(t, str)],
            link=_text(data, "link"),
            text=_text(data, "text"),
            all_tags=[str(t) for t in all_tags if isinstance(t, str)]
            if isinstance(all_tags, list)
            else None,
            digest=_text(data, "digest"),
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
    name: str | None = None  # the story's name and start passage, as they came in
    start: str | None = None
    order: list[str] | None = None  # passage names in the order the file had them
    continuing: list[str] = field(default_factory=list)  # cast ids from continuing-cast

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
        for key, value in (
            ("name", self.name),
            ("start", self.start),
            ("order", self.order),
            ("continuing-cast", self.continuing or None),
        ):
            if value is not None:
                story[key] = value
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


def digest(value: Any) -> str:
    """A short fingerprint of a node's data, as scenario YAML holds it."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


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
            layout.name = _text(data, "name")
            layout.start = _text(data, "start")
            order = data.get("order")
            if isinstance(order, list):
                layout.order = [str(n) for n in order if isinstance(n, str)]
            continuing = data.get("continuing-cast")
            if isinstance(continuing, list):
                layout.continuing = [str(n) for n in continuing if isinstance(n, str)]
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
