"""Twine 2 HTML: read published stories and archives, write archives Twine can import.

A story is a ``<tw-storydata>`` element holding ``<tw-passagedata>`` elements (one
HTML-escaped text node each), an optional ``<style role="stylesheet">``, an optional
``<script role="script">`` and ``<tw-tag>`` colours. An archive holds several stories.
The story's JavaScript and stylesheet become passages tagged ``script`` and
``stylesheet``, as in Twee, so both forms carry the same story.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

from kaleidoscope import __version__
from kaleidoscope.diagnostics import Diagnostic, Severity
from kaleidoscope.learn.twine.story import DEFAULT_SIZE, TwinePassage, TwineStory
from kaleidoscope.learn.twine.twee import check_ifid

WARNING = Severity.WARNING
SCRIPT_NAME = "Story JavaScript"
STYLESHEET_NAME = "Story Stylesheet"


class _StoryParser(HTMLParser):
    def __init__(self, path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.stories: list[TwineStory] = []
        self.diagnostics: list[Diagnostic] = []
        self._story: TwineStory | None = None
        self._startnode: dict[int, str] = {}
        self._pids: dict[int, dict[str, str]] = {}
        self._passage: TwinePassage | None = None
        self._chunks: list[str] = []
        self._code: tuple[str, int] | None = None  # ("script"|"stylesheet", line)
        self._code_text: dict[int, dict[str, list[str]]] = {}
        self._code_line: dict[int, dict[str, int]] = {}

    def _warn(self, message: str, code: str, severity: Severity = WARNING) -> None:
        line, column = self.getpos()
        self.diagnostics.append(Diagnostic(self.path, line, column + 1, code, message, severity))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "tw-storydata":
            self._open_story(values)
        elif self._story is None:
            return
        elif tag == "tw-passagedata":
            self._open_passage(values)
        elif tag == "tw-tag" and values.get("name"):
            self._story.tag_colors[values["name"]] = values.get("color", "")
        elif tag == "script" and (
            values.get("role") == "script" or values.get("type") == "text/twine-javascript"
        ):
            self._code = ("script", self.getpos()[0])
        elif tag == "style" and (
            values.get("role") == "stylesheet" or values.get("type") == "text/twine-css"
        ):
            self._code = ("stylesheet", self.getpos()[0])

    def _open_story(self, values: dict[str, str]) -> None:
        if self._story is not None:
            self._close_story()
        line = self.getpos()[0]
        story = TwineStory(
            name=values.get("name", ""),
            ifid=values.get("ifid", ""),
            format=values.get("format", ""),
            format_version=values.get("format-version", ""),
            creator=values.get("creator", ""),
            creator_version=values.get("creator-version", ""),
            line=line,
        )
        zoom = values.get("zoom", "")
        if zoom:
            try:
                story.zoom = float(zoom) if "." in zoom else int(zoom)
            except ValueError:
                self._warn(f"story '{story.name}': zoom '{zoom}' is not a number; ignored", "T110")
        start = values.get("startnode", "")
        if start.isdigit():
            self._startnode[len(self.stories)] = start
        elif start:
            self._warn(f"story '{story.name}': startnode '{start}' is not a pid", "T110", WARNING)
        check_ifid(story.ifid, self.path, line, self.diagnostics)
        self._pids[len(self.stories)] = {}
        self._code_text[len(self.stories)] = {"script": [], "stylesheet": []}
        self._code_line[len(self.stories)] = {}
        self._story = story

    def _open_passage(self, values: dict[str, str]) -> None:
        assert self._story is not None
        self._close_passage()
        line = self.getpos()[0]
        name = values.get("name", "")
        self._passage = TwinePassage(
            name=name,
            tags=values.get("tags", "").split(),
            position=values.get("position") or None,
            size=values.get("size") or None,
            line=line,
            text_line=line,
        )
        if not name:
            self._warn("a tw-passagedata element has no name", "T117", Severity.ERROR)
        pid = values.get("pid", "")
        if pid:
            self._pids[len(self.stories)][pid] = name

    def handle_data(self, data: str) -> None:
        if self._passage is not None:
            if not self._chunks:
                self._passage.text_line = self.getpos()[0]
            self._chunks.append(data)
        elif self._code is not None:
            self._code_text[len(self.stories)][self._code[0]].append(data)
            self._code_line[len(self.stories)].setdefault(self._code[0], self._code[1])

    def handle_endtag(self, tag: str) -> None:
        if tag == "tw-passagedata":
            self._close_passage()
        elif tag in ("script", "style"):
            self._code = None
        elif tag == "tw-storydata":
            self._close_story()

    def _close_passage(self) -> None:
        if self._passage is not None and self._story is not None:
            self._passage.text = "".join(self._chunks)
            self._story.passages.append(self._passage)
        self._passage = None
        self._chunks = []

    def _close_story(self) -> None:
        self._close_passage()
        story = self._story
        if story is None:
            return
        index = len(self.stories)
        for kind, name in (("script", SCRIPT_NAME), ("stylesheet", STYLESHEET_NAME)):
            text = "".join(self._code_text[index][kind]).strip("\n")
            if text.strip():
                line = self._code_line[index].get(kind, story.line)
                story.passages.append(
                    TwinePassage(name=name, text=text, tags=[kind], line=line, text_line=line)
                )
        pid = self._startnode.get(index)
        if pid is not None:
            if pid in self._pids[index]:
                story.start = self._pids[index][pid]
            else:
                self.diagnostics.append(
                    Diagnostic(
                        self.path,
                        story.line,
                        1,
                        "T116",
                        f"story '{story.name}': startnode {pid} is not the pid of any passage",
                    )
                )
        self.stories.append(story)
        self._story = None

    def finish(self) -> None:
        self.close()
        self._close_story()


def parse_html(text: str, path: str) -> tuple[list[TwineStory], list[Diagnostic]]:
    """Every story in a published Twine file or archive, and the problems found."""
    parser = _StoryParser(path)
    parser.feed(text)
    parser.finish()
    return parser.stories, parser.diagnostics


def _attr(value: str) -> str:
    return escape(value, quote=True)


_SCRIPT_END = re.compile(r"<(/script|!--)", re.IGNORECASE)
_STYLE_END = re.compile(r"</(style)", re.IGNORECASE)


def raw_text(text: str, element: str) -> str:
    r"""``text`` made safe inside a ``<script>`` or ``<style>`` element.

    Their content cannot be escaped with entities, so anything that could end the
    element early (``</script``, ``</style``, and ``<!--``, which lets a later
    ``<script>`` hide the real end) gets a backslash: ``<\/script``, ``<\!--``,
    ``<\/style``. In a JavaScript string, regular expression or CSS string the backslash
    changes nothing.
    """
    if element == "script":
        return _SCRIPT_END.sub(lambda m: "<\\" + m.group(1), text)
    return _STYLE_END.sub(lambda m: "<\\/" + m.group(1), text)


def write_html(stories: list[TwineStory]) -> str:
    """An archive file: what Twine's Library > Import accepts."""
    return "\n".join(_story_html(story) for story in stories) + "\n"


def _story_html(story: TwineStory) -> str:
    scripts = [p.text for p in story.passages if "script" in p.tags]
    styles = [p.text for p in story.passages if "stylesheet" in p.tags]
    passages = [p for p in story.passages if not {"script", "stylesheet"} & set(p.tags)]
    pids = {p.name: i for i, p in enumerate(passages, start=1)}
    zoom = "1" if story.zoom is None else str(story.zoom)
    attrs = [
        ("name", story.name),
        ("startnode", str(pids.get(story.start or "", ""))),
        ("creator", "Kaleidoscope"),
        ("creator-version", __version__),
        ("format", story.format),
        ("format-version", story.format_version),
        ("ifid", story.ifid),
        ("options", ""),
        ("tags", ""),
        ("zoom", zoom),
    ]
    parts = ["<tw-storydata " + " ".join(f'{k}="{_attr(v)}"' for k, v in attrs) + " hidden>"]
    parts.append(
        '<style role="stylesheet" id="twine-user-stylesheet" type="text/twine-css">'
        + raw_text("\n".join(styles), "style")
        + "</style>"
    )
    parts.append(
        '<script role="script" id="twine-user-script" type="text/twine-javascript">'
        + raw_text("\n".join(scripts), "script")
        + "</script>"
    )
    for tag, color in story.tag_colors.items():
        parts.append(f'<tw-tag name="{_attr(tag)}" color="{_attr(color)}"></tw-tag>')
    for passage in passages:
        parts.append(
            f'<tw-passagedata pid="{pids[passage.name]}" name="{_attr(passage.name)}" '
            f'tags="{_attr(" ".join(passage.tags))}" '
            f'position="{_attr(passage.position or "100,100")}" '
            f'size="{_attr(passage.size or DEFAULT_SIZE)}">'
            f"{escape(passage.text, quote=True)}</tw-passagedata>"
        )
    parts.append("</tw-storydata>")
    return "".join(parts)
