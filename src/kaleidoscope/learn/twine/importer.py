"""Twine stories into scenarios, following the convention in docs/twine.md.

Import reads a story into plain scenario data (a draft that may not validate yet: the
validator reports what is missing) plus the :class:`Layout` that only Twine needs, which
also keeps whatever export needs to give the story back as it came in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kaleidoscope.diagnostics import Diagnostic, Severity
from kaleidoscope.learn.dump import dump_data
from kaleidoscope.learn.model import (
    EndingKind,
    Scenario,
)
from kaleidoscope.learn.source import (
    MAX_FILE_BYTES,
    Document,
    Positions,
    SourceError,
    limit_text,
    parse_yaml,
    size_text,
)
from kaleidoscope.learn.twine.formats import conditional_links, constructs
from kaleidoscope.learn.twine.html import parse_html
from kaleidoscope.learn.twine.layout import Layout, PassageLayout
from kaleidoscope.learn.twine.messages import in_twine_terms
from kaleidoscope.learn.twine.story import (
    Link,
    TwineInputError,
    TwinePassage,
    TwineStory,
    decode_twine,
    find_links,
    read_twine_text,
)
from kaleidoscope.learn.twine.twee import parse_twee
from kaleidoscope.learn.validate import check_document

ERROR = Severity.ERROR
WARNING = Severity.WARNING

METADATA_PASSAGE = "ScenarioData"
DECISION_TAG = "decision"
ENDING_TAG = "ending"
KIND_TAGS = {f"ending-{kind.value}": kind.value for kind in EndingKind}
OWN_TAGS = frozenset({DECISION_TAG, ENDING_TAG, *KIND_TAGS})
DEFAULT_LINK = "Continue"
DEFAULT_FORMAT = ("Harlowe", "3.3.8")
DEFAULT_TAG_COLORS = {
    DECISION_TAG: "blue",
    "ending-successful": "green",
    "ending-mixed": "yellow",
    "ending-unsuccessful": "red",
}
# Passages a story format runs itself; kept for export, never played as scenario nodes.
FORMAT_PASSAGE_NAMES = frozenset(
    {
        "StoryInit",
        "StoryCaption",
        "StoryMenu",
        "StoryBanner",
        "StorySubtitle",
        "StoryAuthor",
        "StoryInterface",
        "StoryShare",
        "PassageReady",
        "PassageDone",
        "PassageHeader",
        "PassageFooter",
    }
)
CODE_TAGS = frozenset({"script", "stylesheet"})
FORMAT_TAGS = frozenset(
    {"widget", "startup", "header", "footer", "debug-startup", "debug-header", "debug-footer"}
)
HEADER_KEYS = {
    "passage": ("speaker", "text"),
    "decision": ("speaker", "text", "discussion", "choices"),
    "ending": ("kind", "title", "text", "debrief"),
}
CHOICE_HEADER_KEYS = ("id", "text", "consequence", "effects", "guidance", "discussion")
METADATA_KEYS = (
    "id",
    "title",
    "summary",
    "themes",
    "minutes",
    "audience",
    "cast",
    "continuing-cast",
)

# Node ids keep letters of any script (the model's Identifier): "Übung" -> "übung".
_IDENTIFIER = re.compile(r"^[^\W_A-Z](?:[^\WA-Z]|-){0,79}$")
_FENCE = "---"


@dataclass
class Imported:
    """One story read as scenario data, with its Twine layout and the problems found."""

    story_name: str
    data: dict[str, Any]
    layout: Layout
    diagnostics: list[Diagnostic] = field(default_factory=list)
    passages: dict[str, TwinePassage] = field(default_factory=dict)  # by node id
    metadata: TwinePassage | None = None  # the ScenarioData passage
    line: int = 0  # where the story starts in its file

    @property
    def scenario_id(self) -> str:
        value = self.data.get("id")
        if isinstance(value, str) and is_identifier(value):
            return value
        return _slug(value) if isinstance(value, str) else "imported"  # never a path


# --- reading files -------------------------------------------------------------------


def read_stories(
    path: Path, display: str | None = None
) -> tuple[list[TwineStory], list[Diagnostic]]:
    """Every story in a Twee or Twine HTML file; TwineInputError if it is not usable."""
    shown = display if display is not None else str(path)
    return stories_from_text(read_twine_text(path, shown), shown, path.suffix)


def stories_from_bytes(raw: bytes, filename: str) -> tuple[list[TwineStory], list[Diagnostic]]:
    """Like read_stories, for an upload held in memory (``filename`` gives the form)."""
    return stories_from_text(decode_twine(raw, filename), filename, Path(filename).suffix)


def stories_from_text(
    text: str, shown: str, suffix: str
) -> tuple[list[TwineStory], list[Diagnostic]]:
    """Every story in Twee or Twine HTML text; TwineInputError if it is not usable."""
    suffix = suffix.lower()
    has_story_data = "<tw-storydata" in text.lower()
    if suffix in (".html", ".htm") or (suffix not in (".twee", ".tw") and has_story_data):
        if not has_story_data:
            raise TwineInputError(
                Diagnostic(
                    shown,
                    0,
                    0,
                    "T104",
                    "this HTML page holds no Twine story (no <tw-storydata> element); "
                    "publish or archive the story from Twine and import that file",
                )
            )
        stories, diagnostics = parse_html(text, shown)
        if not stories:
            raise TwineInputError(
                Diagnostic(shown, 0, 0, "T104", "no <tw-storydata> element could be read")
            )
        return stories, diagnostics
    if suffix not in (".twee", ".tw") and not re.search(r"^::", text, re.MULTILINE):
        raise TwineInputError(
            Diagnostic(
                shown,
                0,
                0,
                "T103",
                "not a Twine file: expected Twee 3 (.twee, .tw) or Twine 2 HTML (.html)",
            )
        )
    story, diagnostics = parse_twee(text, shown)
    for diagnostic in diagnostics:
        if diagnostic.code == "T103":
            raise TwineInputError(diagnostic)
    return [story], diagnostics


# --- import ----------------------------------------------------------------------------


def is_identifier(text: str) -> bool:
    """Whether ``text`` is already a node id (the model's Identifier rule)."""
    return bool(_IDENTIFIER.fullmatch(text)) and text == text.lower()


def _slug(name: str) -> str:
    folded = unicodedata.normalize("NFC", name).lower()
    slug = re.sub(r"[\W_]+", "_", folded).strip("_")[:60].strip("_")
    if not is_identifier(slug):  # a character lower() leaves upper case
        slug = "".join(c if is_identifier(c) else "_" for c in slug).strip("_")
    return slug or "passage"


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}_{n}"
        n += 1
    taken.add(candidate)
    return candidate


def _assign_ids(names: list[str]) -> dict[str, str]:
    """Passage names to node ids: names that are already ids keep them."""
    taken: set[str] = set()
    ids: dict[str, str] = {}
    for name in names:
        if is_identifier(name) and name not in taken:
            ids[name] = name
            taken.add(name)
    for name in names:
        if name not in ids:
            ids[name] = _unique(_slug(name), taken)
    return ids


def is_special(passage: TwinePassage) -> bool:
    """A passage the story format runs itself (script, stylesheet, StoryInit, ...)."""
    tags = set(passage.tags)
    return (
        passage.name in FORMAT_PASSAGE_NAMES
        or bool(tags & (CODE_TAGS | FORMAT_TAGS))
        or any(t.startswith("Twine.") for t in tags)
    )


def load_yaml_text(text: str) -> tuple[Any, int, str | None]:
    """(data, line of the problem, problem) for YAML written inside a passage.

    Uses the scenario reader, which refuses alias bombs and duplicate keys' surprises.
    """
    if not text.strip():
        return None, 0, None
    try:
        document = parse_yaml(text, "passage")
    except SourceError as exc:
        message = exc.diagnostic.message.removeprefix("malformed YAML: ")
        return None, exc.diagnostic.line, message
    if document.duplicates:
        _path, name, _first, again = document.duplicates[0]
        return None, again[0], f"key '{name}' appears twice"
    return document.data, 0, None


def split_header(text: str) -> tuple[dict[str, Any], str, int, str | None]:
    """(header, body, line offset of the body, problem) of a passage's text.

    The header is YAML between a first line ``---`` and the next ``---`` line.
    """
    lines = text.split("\n")
    if lines[0].rstrip() != _FENCE:
        return {}, text, 0, None
    for end in range(1, len(lines)):
        if lines[end].rstrip() == _FENCE:
            body = "\n".join(lines[end + 1 :])
            header, line, problem = load_yaml_text("\n".join(lines[1:end]) + "\n")
            if problem is not None:
                where = f" (header line {line})" if line else ""
                return {}, body, end + 1, f"header is not valid YAML{where}: {problem}"
            if header is None:
                header = {}
            if not isinstance(header, dict):
                return {}, body, end + 1, "header must be 'key: value' lines"
            return header, body, end + 1, None
    return {}, text, 0, "starts with '---' but no closing '---' line ends the header"


def prose(body: str) -> str:
    """A passage's text without its links: link-only lines dropped, inline links as text."""
    kept = []
    for line in body.split("\n"):
        links = [link for link in find_links(line) if link.is_internal]
        rest = line
        for link in reversed(links):
            rest = rest[: link.start] + rest[link.end :]
        if links and not rest.strip():
            continue
        for link in reversed(links):
            line = line[: link.start] + link.text + line[link.end :]
        kept.append(line)
    return "\n".join(kept).strip()


class _Importer:
    def __init__(self, story: TwineStory, path: str, shared_cast: frozenset[str]) -> None:
        self.story = story
        self.path = path
        self.shared_cast = shared_cast
        self.diagnostics: list[Diagnostic] = []
        self.layout = Layout(
            ifid=story.ifid,
            format=story.format,
            format_version=story.format_version,
            zoom=story.zoom,
            tag_colors=dict(story.tag_colors),
        )
        self.names: dict[str, TwinePassage] = {}
        self.ids: dict[str, str] = {}

    def report(
        self, line: int, code: str, message: str, severity: Severity = ERROR, column: int = 1
    ) -> None:
        self.diagnostics.append(
            Diagnostic(self.path, line, column if line else 0, code, message, severity)
        )

    def run(self) -> Imported:
        story = self.story
        metadata: TwinePassage | None = None
        nodes: list[TwinePassage] = []
        for passage in story.passages:
            first = self.names.get(passage.name)
            if first is not None:
                self.report(
                    passage.line,
                    "T113",
                    f"duplicate passage name '{passage.name}' (first at line {first.line}); "
                    "this one is ignored",
                    WARNING,
                )
                continue
            self.names[passage.name] = passage
            if passage.name == METADATA_PASSAGE:
                metadata = passage
                self.layout.metadata = PassageLayout(
                    passage.name,
                    passage.position,
                    passage.size,
                    list(passage.tags),
                    text=passage.text,
                    all_tags=list(passage.tags),
                )
            elif is_special(passage):
                self._keep_special(passage)
            else:
                nodes.append(passage)
        self.ids = _assign_ids([p.name for p in nodes])
        self.layout.name = story.name
        self.layout.start = story.start
        self.layout.order = [p.name for p in story.passages]

        data: dict[str, Any] = {}
        meta = self._metadata(metadata)
        title = meta.pop("title", None)
        if not isinstance(title, str) or not title:
            if title is not None and not isinstance(title, str):
                self.report(story.line, "T120", f"{METADATA_PASSAGE} 'title' must be text")
            title = story.name.strip()
        scenario_id = meta.pop("id", None) or (_slug(title) if title else None)
        if scenario_id is not None:
            data["id"] = scenario_id
        if title:
            data["title"] = title
        else:
            self.report(story.line, "T114", "the story has no title (StoryTitle)", WARNING)
        for key in ("summary", "themes", "minutes", "audience"):
            if key in meta:
                data[key] = meta[key]
        cast = self._cast(meta, metadata)
        if cast or "cast" in meta:
            data["cast"] = cast
        start = self._start()
        if start is not None:
            data["start"] = start
        data["nodes"] = {self.ids[p.name]: self._node(p) for p in nodes}
        return Imported(
            story.name,
            data,
            self.layout,
            self.diagnostics,
            {self.ids[p.name]: p for p in nodes},
            metadata,
            story.line,
        )

    def _keep_special(self, passage: TwinePassage) -> None:
        self.layout.extra.append(replace(passage, line=0, text_line=0))
        if CODE_TAGS & set(passage.tags):
            what = "story JavaScript" if "script" in passage.tags else "story stylesheet"
            message = (
                f"passage '{passage.name}' is {what}; Kaleidoscope does not run it, "
                "but keeps it for export back to Twine"
            )
        else:
            message = (
                f"passage '{passage.name}' is run by the story format, not played as a "
                "scenario node; kept for export back to Twine"
            )
        self.report(
            passage.line, "T141" if CODE_TAGS & set(passage.tags) else "T142", message, WARNING
        )

    def _metadata(self, passage: TwinePassage | None) -> dict[str, Any]:
        if passage is None:
            self.report(
                self.story.line,
                "T119",
                f"no {METADATA_PASSAGE} passage, so the scenario's summary, themes, minutes "
                "and audience are missing (see docs/twine.md)",
                WARNING,
            )
            return {}
        data, line, problem = load_yaml_text(passage.text)
        if problem is not None:
            at = passage.text_line + line - 1 if line else passage.line
            self.report(at, "T120", f"{METADATA_PASSAGE} is not valid YAML: {problem}")
            return {}
        if data is None:
            data = {}
        if not isinstance(data, dict):
            self.report(
                passage.line, "T120", f"{METADATA_PASSAGE} must be 'key: value' lines (YAML)"
            )
            return {}
        for key in data:
            if key not in METADATA_KEYS:
                self.report(
                    passage.line,
                    "T122",
                    f"unknown key '{key}' in {METADATA_PASSAGE} "
                    f"(allowed: {', '.join(METADATA_KEYS)})",
                )
        return {k: v for k, v in data.items() if k in METADATA_KEYS}

    def _cast(self, meta: dict[str, Any], passage: TwinePassage | None) -> Any:
        cast = meta.get("cast", [])
        continuing = meta.get("continuing-cast", [])
        if not isinstance(cast, list):
            return cast  # the validator names the problem
        cast = list(cast)
        line = passage.line if passage else 0
        if not isinstance(continuing, list):
            self.report(line, "T120", f"{METADATA_PASSAGE} 'continuing-cast' must be a list")
            return cast
        own = {m.get("id") for m in cast if isinstance(m, dict) and isinstance(m.get("id"), str)}
        for member in continuing:
            member_id = member.get("id") if isinstance(member, dict) else None
            if isinstance(member_id, str) and (member_id in self.shared_cast or member_id in own):
                continue
            cast.append(member)
            if isinstance(member_id, str):
                own.add(member_id)
                self.layout.continuing.append(member_id)
            self.report(
                line,
                "T126",
                f"continuing cast member '{member_id}' is not in the _cast.yaml beside the "
                "output, so it is added to this scenario's own cast",
                WARNING,
            )
        return cast

    def _start(self) -> str | None:
        start = self.story.start
        line = self.story.line
        if start is None:
            if "Start" in self.ids:
                return self.ids["Start"]
            self.report(
                line,
                "T115",
                "no start passage: StoryData names no 'start' and no passage is called 'Start'",
            )
            return None
        if start not in self.ids:
            what = "is not a scenario passage" if start in self.names else "does not exist"
            self.report(line, "T116", f"start passage '{start}' {what}")
            return None
        return self.ids[start]

    def _target(self, passage: TwinePassage, link: Link, offset: int) -> str:
        if link.target in self.ids:
            return self.ids[link.target]
        what = "a special passage" if link.target in self.names else "no passage of that name"
        self.report(
            passage.line_of(offset),
            "T130",
            f"passage '{passage.name}' links to '{link.target}', but that is {what}",
        )
        return _slug(link.target)

    def _node(self, passage: TwinePassage) -> dict[str, Any]:
        header, body, offset, problem = split_header(passage.text)
        body_start = sum(len(line) + 1 for line in passage.text.split("\n")[:offset])
        if problem is not None:
            bad_fence = problem.startswith("starts with")
            self.report(
                passage.text_line or passage.line,
                "T121",
                f"passage '{passage.name}': {problem}" + ("; read as text" if bad_fence else ""),
                WARNING if bad_fence else ERROR,
            )
        links = [link for link in find_links(body) if link.is_internal]
        self._macro_check(passage, body, body_start, links)
        tags = passage.tags
        entry = PassageLayout(
            passage.name,
            passage.position,
            passage.size,
            [t for t in tags if t not in OWN_TAGS],
            text=passage.text,
            all_tags=list(tags),
        )
        self.layout.passages[self.ids[passage.name]] = entry
        kinds = [KIND_TAGS[t] for t in tags if t in KIND_TAGS]
        is_ending = ENDING_TAG in tags or bool(kinds)
        if is_ending and DECISION_TAG in tags:
            self.report(
                passage.line,
                "T124",
                f"passage '{passage.name}' is tagged both decision and ending; read as an ending",
            )
        if len(kinds) > 1:
            self.report(
                passage.line, "T124", f"passage '{passage.name}' has more than one ending-* tag"
            )
        if is_ending or (DECISION_TAG not in tags and not links):
            if not is_ending:
                self.report(
                    passage.line,
                    "T131",
                    f"passage '{passage.name}' links to no other passage, so it is read as an "
                    "ending: tag it ending-successful, ending-mixed or ending-unsuccessful "
                    "and give it a debrief",
                    WARNING,
                )
            return self._ending(passage, header, body, links, kinds[:1])
        if DECISION_TAG in tags or len(links) > 1:
            return self._decision(passage, header, body, links, body_start)
        return self._passage(passage, header, body, links[0], body_start, entry)

    def _check_keys(self, passage: TwinePassage, header: dict[str, Any], kind: str) -> None:
        for key in header:
            if key not in HEADER_KEYS[kind]:
                self.report(
                    passage.text_line or passage.line,
                    "T122",
                    f"passage '{passage.name}': unknown header key '{key}' for a {kind} "
                    f"(allowed: {', '.join(HEADER_KEYS[kind])})",
                )

    def _macro_check(
        self, passage: TwinePassage, body: str, body_start: int, links: list[Link]
    ) -> None:
        for found in constructs(body):
            self.report(
                passage.line_of(body_start + found.offset),
                "T140",
                f"passage '{passage.name}' uses {found.what}, which Kaleidoscope does not "
                "run: the text is kept exactly as written and every reader sees all of it. "
                "In Twine, write each branch as its own passage and link to it.",
                WARNING,
            )
        for link, where in conditional_links(body, links):
            self.report(
                passage.line_of(body_start + link.start),
                "T144",
                f"passage '{passage.name}': the link '{link.text}' to '{link.target}' is "
                f"inside a {where} block, so it becomes a choice that is always offered. "
                "In Twine, move the link out of the block or make it its own passage.",
                WARNING,
            )

    def _passage(
        self,
        passage: TwinePassage,
        header: dict[str, Any],
        body: str,
        link: Link,
        body_start: int,
        entry: PassageLayout,
    ) -> dict[str, Any]:
        self._check_keys(passage, header, "passage")
        node: dict[str, Any] = {"type": "passage"}
        if "speaker" in header:
            node["speaker"] = header["speaker"]
        text = header["text"] if "text" in header else prose(body)
        if text != "":
            node["text"] = text
        node["next"] = self._target(passage, link, body_start + link.start)
        if link.text != DEFAULT_LINK:
            entry.link = link.text
        return node

    def _decision(
        self,
        passage: TwinePassage,
        header: dict[str, Any],
        body: str,
        links: list[Link],
        body_start: int,
    ) -> dict[str, Any]:
        self._check_keys(passage, header, "decision")
        node: dict[str, Any] = {"type": "decision"}
        if "speaker" in header:
            node["speaker"] = header["speaker"]
        text = header["text"] if "text" in header else prose(body)
        if text != "":
            node["text"] = text
        if "discussion" in header:
            node["discussion"] = header["discussion"]
        details = header.get("choices", [])
        if not isinstance(details, list):
            self.report(
                passage.text_line, "T123", f"passage '{passage.name}': choices must be a list"
            )
            details = []
        if "choices" not in header:
            self.report(
                passage.line,
                "T125",
                f"decision '{passage.name}' has no 'choices' in its header, so its choices "
                "have no consequence, effects or guidance yet. In Twine, start the passage "
                "with a header that lists one choice per link (see docs/twine.md)",
                WARNING,
            )
        elif len(details) != len(links):
            self.report(
                passage.text_line,
                "T123",
                f"passage '{passage.name}' has {len(links)} link(s) but its header describes "
                f"{len(details)} choice(s); they are matched in order",
            )
        taken: set[str] = set()
        choices = []
        for i, link in enumerate(links):
            extra = details[i] if i < len(details) else {}
            if not isinstance(extra, dict):
                self.report(
                    passage.text_line,
                    "T123",
                    f"passage '{passage.name}': choice {i + 1} in the header is not a mapping",
                )
                extra = {}
            for key in extra:
                if key not in CHOICE_HEADER_KEYS:
                    self.report(
                        passage.text_line,
                        "T122",
                        f"passage '{passage.name}': unknown key '{key}' in choice {i + 1} "
                        f"(allowed: {', '.join(CHOICE_HEADER_KEYS)})",
                    )
            choice_id = extra.get("id")
            if isinstance(choice_id, str):
                taken.add(choice_id)
            choice: dict[str, Any] = {"id": choice_id}
            choice["text"] = extra.get("text", link.text)
            choice["target"] = self._target(passage, link, body_start + link.start)
            for key in ("consequence", "effects", "guidance", "discussion"):
                if key in extra:
                    choice[key] = extra[key]
            choices.append(choice)
        for choice, link in zip(choices, links, strict=True):
            if choice["id"] is None:
                words = "_".join(_slug(link.text).split("_")[:4])
                choice["id"] = _unique(words, taken)
        node["choices"] = choices
        return node

    def _ending(
        self,
        passage: TwinePassage,
        header: dict[str, Any],
        body: str,
        links: list[Link],
        kinds: list[str],
    ) -> dict[str, Any]:
        self._check_keys(passage, header, "ending")
        node: dict[str, Any] = {"type": "ending"}
        if kinds:
            node["kind"] = kinds[0]
        elif "kind" in header:
            node["kind"] = header["kind"]
        node["title"] = header.get("title", passage.name)
        text = header["text"] if "text" in header else (body.strip() or None)
        if text is not None:
            node["text"] = text
        if "debrief" in header:
            node["debrief"] = header["debrief"]
        if links:
            self.report(
                passage.line,
                "T132",
                f"ending '{passage.name}' has links; an ending closes the scenario, so they "
                "are kept as text",
                WARNING,
            )
        return node


def story_to_scenario(story: TwineStory, path: str, shared_cast: Iterable[str] = ()) -> Imported:
    """Read one story as scenario data. ``shared_cast``: speaker ids already available
    (the continuing cast in the destination folder's ``_cast.yaml``)."""
    return _Importer(story, path, frozenset(shared_cast)).run()


@dataclass
class Draft:
    """An imported story written as scenario YAML, with the validator's report on it."""

    imported: Imported
    yaml_text: str
    report: list[Diagnostic]  # the validator's, on the YAML (its lines)
    scenario: Scenario | None
    twine_report: list[Diagnostic] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every problem once, in Twine terms: the Twine file, passage and line."""
        return self.twine_report


def draft(
    story: TwineStory,
    source: str,
    destination: str,
    shared_cast: Iterable[str] = (),
    *,
    comment: str = "",
) -> Draft:
    """Import ``story`` and validate the YAML it becomes, as ``destination`` would hold it."""
    from kaleidoscope.learn.twine.exporter import keep_originals

    shared = frozenset(shared_cast)
    imported = story_to_scenario(story, source, shared)
    # Validated as data (the dump below loads back equal, which dump_yaml checks), so the
    # YAML is written once; messages point into the Twine file, not the YAML.
    checked = check_document(Document(destination, imported.data, Positions(), []), shared)
    told = in_twine_terms(
        source,
        imported.line,
        imported.diagnostics,
        checked,
        imported.passages,
        imported.data,
        imported.metadata,
    )
    # Keep each passage as it came in wherever export would not give it back the same
    # (every passage, for a draft), so the story goes back to Twine losslessly.
    keep_originals(imported.layout, imported.data, checked.scenario)
    text = dump_data(imported.data, comment=comment, trailer=imported.layout.to_comments())
    report = checked.diagnostics
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        too_large = Diagnostic(
            source,
            0,
            0,
            "T102",
            f"as a scenario this story would be {size_text(size)}, over the limit of "
            f"{limit_text()} for every story file; split it into smaller stories",
        )
        report = [too_large, *report]
        told = [too_large, *told]
    scenario = checked.scenario if size <= MAX_FILE_BYTES else None
    return Draft(imported, text, report, scenario, told)
