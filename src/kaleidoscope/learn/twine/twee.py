"""Twee 3: read and write the plain-text form of a Twine story.

A passage starts with a header line ``:: Name [tags] {"position":"x,y","size":"w,h"}``
and its text runs to the next header, trailing blank lines dropped. ``[ ] { } \\`` in
names and tags are escaped with a backslash; text lines starting with ``::`` are written
``\\::``. StoryTitle and StoryData are special passages holding the story's name and JSON
details. Problems are reported with the line they are on.
"""

from __future__ import annotations

import json
from typing import Any

from kaleidoscope.diagnostics import Diagnostic, Severity
from kaleidoscope.learn.twine.story import TwinePassage, TwineStory, valid_ifid

WARNING = Severity.WARNING


def escape(text: str) -> str:
    """Backslash-escape the characters that end a name or tag in a header."""
    text = text.replace("\\", "\\\\")
    for char in "[]{}":
        text = text.replace(char, "\\" + char)
    return text


def _unescape(text: str) -> str:
    out = []
    chars = iter(text)
    for char in chars:
        out.append(next(chars, "\\") if char == "\\" else char)
    return "".join(out)


def _split_header(rest: str) -> tuple[str, list[str], str | None, int, str | None]:
    """(name, tags, metadata text, its offset, problem) of a header after its ``::``."""
    name: list[str] = []
    i = 0
    while i < len(rest) and rest[i] not in "[{":
        if rest[i] == "\\" and i + 1 < len(rest):
            name.append(rest[i : i + 2])
            i += 2
            continue
        name.append(rest[i])
        i += 1
    tags: list[str] = []
    problem = None
    if i < len(rest) and rest[i] == "[":
        j = i + 1
        while j < len(rest) and rest[j] != "]":
            j += 2 if rest[j] == "\\" else 1
        if j >= len(rest):
            problem = "the tag list '[' is never closed with ']'"
            tags = [_unescape(t) for t in _split_tags(rest[i + 1 :])]
            i = len(rest)
        else:
            tags = [_unescape(t) for t in _split_tags(rest[i + 1 : j])]
            i = j + 1
    remainder = rest[i:].strip()
    offset = i + len(rest[i:]) - len(rest[i:].lstrip())
    meta = None
    if remainder.startswith("{"):
        meta = remainder
    elif remainder and problem is None:
        problem = f"unexpected text after the passage name and tags: {remainder[:40]!r}"
    return _unescape("".join(name).strip()), tags, meta, offset, problem


def _split_tags(text: str) -> list[str]:
    """Split on unescaped whitespace, keeping escapes for _unescape."""
    tags: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if text[i].isspace():
            if current:
                tags.append("".join(current))
                current = []
        else:
            current.append(text[i])
        i += 1
    if current:
        tags.append("".join(current))
    return tags


def _drop_trailing_blank(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    return lines[:end]


def parse_twee(text: str, path: str) -> tuple[TwineStory, list[Diagnostic]]:
    """Read a Twee 3 file; problems come back as diagnostics, never exceptions."""
    diagnostics: list[Diagnostic] = []
    story = TwineStory()
    passages: list[tuple[TwinePassage, list[str]]] = []
    stray = 0
    # Only CR, LF and CRLF end lines: other Unicode separators are part of the text.
    for number, line in enumerate(_lines(text), start=1):
        if line.startswith("::"):
            name, tags, meta, offset, problem = _split_header(line[2:])
            if problem:
                diagnostics.append(Diagnostic(path, number, 3, "T117", problem, WARNING))
            passage = TwinePassage(name=name, tags=tags, line=number, text_line=number + 1)
            if not name:
                diagnostics.append(
                    Diagnostic(path, number, 1, "T117", "passage header has no name")
                )
            if meta is not None:
                _read_metadata(passage, meta, path, number, offset + 3, diagnostics)
            passages.append((passage, []))
        elif passages:
            passages[-1][1].append("::" + line[3:] if line.startswith("\\::") else line)
        elif line.strip() and not stray:
            stray = number
    if stray:
        diagnostics.append(
            Diagnostic(
                path, stray, 1, "T118", "text before the first passage header is ignored", WARNING
            )
        )
    if not passages:
        diagnostics.append(
            Diagnostic(
                path,
                1,
                1,
                "T103",
                "not a Twine story: no Twee passage header (':: Name') found; import a "
                "Twee 3 file or a Twine 2 HTML file (Twine: Library > Archive)",
            )
        )
    for passage, lines in passages:
        passage.text = "\n".join(_drop_trailing_blank(lines))
        if passage.name == "StoryTitle":
            story.name = passage.text.strip()
        elif passage.name == "StoryData":
            _read_story_data(story, passage, path, diagnostics)
        else:
            story.passages.append(passage)
    return story, diagnostics


def _read_metadata(
    passage: TwinePassage,
    meta: str,
    path: str,
    line: int,
    column: int,
    diagnostics: list[Diagnostic],
) -> None:
    try:
        data = json.loads(meta)
    except json.JSONDecodeError as exc:
        diagnostics.append(
            Diagnostic(
                path,
                line,
                column + exc.pos,
                "T112",
                f"passage '{passage.name}': metadata is not valid JSON ({exc.msg}); ignored",
                WARNING,
            )
        )
        return
    if not isinstance(data, dict):
        diagnostics.append(
            Diagnostic(
                path,
                line,
                column,
                "T112",
                f"passage '{passage.name}': metadata must be a JSON object; ignored",
                WARNING,
            )
        )
        return
    for key in ("position", "size"):
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, str) and _is_pair(value):
            setattr(passage, key, value)
        else:
            diagnostics.append(
                Diagnostic(
                    path,
                    line,
                    column,
                    "T112",
                    f"passage '{passage.name}': {key} {value!r} is not \"x,y\"; ignored",
                    WARNING,
                )
            )


def _is_pair(value: str) -> bool:
    parts = value.split(",")
    if len(parts) != 2:
        return False
    try:
        [float(p) for p in parts]
    except ValueError:
        return False
    return True


def _read_story_data(
    story: TwineStory, passage: TwinePassage, path: str, diagnostics: list[Diagnostic]
) -> None:
    story.line = passage.line
    try:
        data: Any = json.loads(passage.text)
    except json.JSONDecodeError as exc:
        diagnostics.append(
            Diagnostic(
                path,
                passage.text_line + exc.lineno - 1,
                exc.colno,
                "T110",
                f"StoryData is not valid JSON: {exc.msg}",
            )
        )
        return
    if not isinstance(data, dict):
        diagnostics.append(
            Diagnostic(path, passage.text_line, 1, "T110", "StoryData must be a JSON object")
        )
        return
    apply_story_data(story, data, path, passage.line, diagnostics)


def apply_story_data(
    story: TwineStory, data: dict[str, Any], path: str, line: int, diagnostics: list[Diagnostic]
) -> None:
    """Copy StoryData's fields onto ``story``, reporting any of the wrong kind."""

    def bad(field: str, want: str) -> None:
        diagnostics.append(
            Diagnostic(
                path, line, 1, "T110", f"StoryData '{field}' must be {want}; ignored", WARNING
            )
        )

    for field, attr in (("format", "format"), ("format-version", "format_version")):
        value = data.get(field)
        if isinstance(value, str):
            setattr(story, attr, value)
        elif value is not None:
            bad(field, "a string")
    start = data.get("start")
    if isinstance(start, str):
        story.start = start
    elif start is not None:
        bad("start", "a passage name")
    zoom = data.get("zoom")
    if isinstance(zoom, int | float) and not isinstance(zoom, bool):
        story.zoom = zoom
    elif zoom is not None:
        bad("zoom", "a number")
    colors = data.get("tag-colors")
    if isinstance(colors, dict) and all(isinstance(v, str) for v in colors.values()):
        story.tag_colors = {str(k): v for k, v in colors.items()}
    elif colors is not None:
        bad("tag-colors", "an object of tag names to colour names")
    ifid = data.get("ifid")
    if isinstance(ifid, str):
        story.ifid = ifid
    check_ifid(story.ifid, path, line, diagnostics)


def check_ifid(ifid: str, path: str, line: int, diagnostics: list[Diagnostic]) -> None:
    if not ifid:
        diagnostics.append(
            Diagnostic(
                path,
                line,
                1,
                "T111",
                "the story has no IFID; Twine requires one (export will make one)",
                WARNING,
            )
        )
    elif not valid_ifid(ifid):
        diagnostics.append(
            Diagnostic(
                path,
                line,
                1,
                "T111",
                f"IFID '{ifid}' is not an upper-case version 4 UUID as Twine requires",
                WARNING,
            )
        )


def _one_line(text: str) -> str:
    return " ".join(_lines(text))


def _lines(text: str) -> list[str]:
    """Twee ends lines at CR, LF or CRLF: text cannot keep a lone CR."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _header(passage: TwinePassage) -> str:
    parts = [":: " + escape(_one_line(passage.name))]
    if passage.tags:
        parts.append("[" + " ".join(escape(_one_line(t)) for t in passage.tags) + "]")
    meta = {k: v for k, v in (("position", passage.position), ("size", passage.size)) if v}
    if meta:
        parts.append(json.dumps(meta, separators=(",", ":")))
    return " ".join(parts)


def _body(text: str) -> str:
    return "\n".join("\\" + line if line.startswith("::") else line for line in _lines(text))


def story_data(story: TwineStory) -> dict[str, Any]:
    data: dict[str, Any] = {"ifid": story.ifid}
    if story.format:
        data["format"] = story.format
    if story.format_version:
        data["format-version"] = story.format_version
    if story.start:
        data["start"] = story.start
    if story.tag_colors:
        data["tag-colors"] = story.tag_colors
    if story.zoom is not None:
        data["zoom"] = story.zoom
    return data


def write_twee(story: TwineStory) -> str:
    """The story as Twee 3 text."""
    chunks = [
        f":: StoryTitle\n{_one_line(story.name)}\n",
        ":: StoryData\n" + json.dumps(story_data(story), indent=2, ensure_ascii=False) + "\n",
    ]
    for passage in story.passages:
        body = _body(passage.text)
        chunks.append(_header(passage) + "\n" + (body + "\n" if body else ""))
    return "\n".join(chunks)
