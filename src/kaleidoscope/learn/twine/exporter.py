"""Scenarios (and drafts) back into Twine stories, following docs/twine.md.

Export writes a validated :class:`Scenario` as a story; every passage it writes is read
back on the spot, and anything that would not come back unchanged (text that looks like
a link or a header, link text Twine cannot hold) is also written into the passage's
header, which import prefers. So exporting and importing gives the same scenario.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from kaleidoscope.diagnostics import Diagnostic
from kaleidoscope.learn.dump import dump_yaml
from kaleidoscope.learn.model import CastMember, Decision, Ending, Passage, Scenario
from kaleidoscope.learn.source import SourceError, parse_yaml
from kaleidoscope.learn.twine.importer import (
    _FENCE,
    DECISION_TAG,
    DEFAULT_FORMAT,
    DEFAULT_LINK,
    DEFAULT_TAG_COLORS,
    ENDING_TAG,
    FORMAT_PASSAGE_NAMES,
    METADATA_PASSAGE,
    _unique,
    prose,
    split_header,
)
from kaleidoscope.learn.twine.layout import Layout, PassageLayout, digest, read_layout
from kaleidoscope.learn.twine.story import (
    TwinePassage,
    TwineStory,
    ifid_for,
    link_markup,
    valid_ifid,
)
from kaleidoscope.learn.validate import check_document


def _name_safe(name: str) -> bool:
    return (
        bool(name)
        and name == name.strip()
        and not any(bad in name for bad in ("[", "]", "\n", "\r", "->", "<-", "|", "\\"))
        and name not in ("StoryTitle", "StoryData", METADATA_PASSAGE)
        and name not in FORMAT_PASSAGE_NAMES
    )


def _text_safe(text: str) -> bool:
    return bool(text) and text == text.strip() and not any(c in text for c in "[]\n\r")


def _auto_positions(scenario: Scenario) -> dict[str, str]:
    """A left-to-right map: one column per step from the start."""
    level = {scenario.start: 0}
    queue = deque([scenario.start])
    while queue:
        node_id = queue.popleft()
        node = scenario.nodes[node_id]
        targets = (
            [node.next]
            if isinstance(node, Passage)
            else [c.target for c in node.choices]
            if isinstance(node, Decision)
            else []
        )
        for target in targets:
            if target not in level and target in scenario.nodes:
                level[target] = level[node_id] + 1
                queue.append(target)
    last = max(level.values(), default=0) + 1
    rows: dict[int, int] = {}
    positions = {}
    for node_id in scenario.nodes:
        column = level.get(node_id, last)
        row = rows.get(column, 0)
        rows[column] = row + 1
        positions[node_id] = f"{300 + 200 * column},{100 + 150 * row}"
    return positions


def _with_header(header: dict[str, Any], body: str) -> str:
    if not header:
        return body
    return f"{_FENCE}\n{dump_yaml(header, kind='other')}{_FENCE}\n{body}"


def _shown(text: str) -> str:
    """Text as shown in a passage body: anything that would read as a link is broken up."""
    return text.replace("[[", "[ [").replace("]]", "] ]")


def _node_passage(
    node_id: str, scenario: Scenario, names: dict[str, str], entry: PassageLayout | None
) -> TwinePassage:
    node = scenario.nodes[node_id]
    header: dict[str, Any] = {}
    tags: list[str] = []
    links: list[str] = []
    if isinstance(node, Ending):
        tags = [ENDING_TAG, f"ending-{node.kind.value}"]
        header["title"] = node.title
        if node.debrief is not None:
            header["debrief"] = node.debrief
        text = node.text or ""
    else:
        if node.speaker is not None:
            header["speaker"] = node.speaker
        text = node.text
    if isinstance(node, Passage):
        label = entry.link if entry and entry.link and _text_safe(entry.link) else DEFAULT_LINK
        links.append(link_markup(label, names[node.next]))
    elif isinstance(node, Decision):
        tags = [DECISION_TAG]
        if node.discussion is not None:
            header["discussion"] = node.discussion
        details = []
        for choice in node.choices:
            detail: dict[str, Any] = {"id": choice.id}
            target = names[choice.target]
            if _text_safe(choice.text):
                links.append(link_markup(choice.text, target))
            else:
                detail["text"] = choice.text
                links.append(link_markup(target, target))
            detail.update(
                choice.model_dump(
                    mode="json",
                    exclude_defaults=True,
                    include={"consequence", "effects", "guidance", "discussion"},
                )
            )
            details.append(detail)
        header["choices"] = details
    body = _shown(text) + ("\n\n" if text and links else "") + "\n".join(links)
    written = _with_header(header, body)
    if _read_text(written, isinstance(node, Ending)) != node.text:
        header = {"text": node.text, **header}
        written = _with_header(header, body)
    return TwinePassage(
        name=names[node_id],
        text=written,
        tags=tags + (entry.tags if entry else []),
        position=entry.position if entry else None,
        size=entry.size if entry else None,
    )


def _read_text(written: str, ending: bool) -> str | None:
    """The text import would read from a passage body (header ``text`` aside)."""
    header, body, _offset, problem = split_header(written)
    if problem is not None:
        return None
    if "text" in header:
        value = header["text"]
        return value if isinstance(value, str) else None
    if "\r" in body or any(line.startswith("\\::") for line in body.split("\n")):
        return None  # Twee would read these lines differently
    return (body.strip() or None) if ending else prose(body)


def _raw_meta(raw: Any) -> Any:
    return {k: v for k, v in raw.items() if k != "nodes"} if isinstance(raw, dict) else None


def _raw_nodes(raw: Any) -> dict[Any, Any]:
    nodes = raw.get("nodes") if isinstance(raw, dict) else None
    return nodes if isinstance(nodes, dict) else {}


def _original(entry: PassageLayout | None, raw_node: Any, name: str) -> TwinePassage | None:
    """The passage as it came in, while its node is unchanged since import."""
    if (
        entry is None
        or entry.digest is None
        or entry.text is None
        or entry.name != name
        or raw_node is None
        or digest(raw_node) != entry.digest
    ):
        return None
    return TwinePassage(
        name=entry.name,
        text=entry.text,
        tags=list(entry.all_tags or []),
        position=entry.position,
        size=entry.size,
    )


def _in_order(passages: list[TwinePassage], order: list[str] | None) -> list[TwinePassage]:
    if not order:
        return passages
    rank = {name: i for i, name in enumerate(order)}
    return sorted(passages, key=lambda p: rank.get(p.name, len(rank)))


def scenario_to_story(
    scenario: Scenario,
    layout: Layout | None = None,
    continuing_cast: Iterable[CastMember] = (),
    raw: Any = None,
) -> TwineStory:
    """The scenario as a Twine story, in the convention import reads.

    ``raw``: the scenario file's data as read (before validation). With it, passages the
    layout kept as they came in are written back unchanged while their node is unchanged.
    """
    layout = layout or Layout()
    raw_nodes = _raw_nodes(raw)
    auto = _auto_positions(scenario)
    names: dict[str, str] = {}
    used = {p.name for p in layout.extra}
    for node_id in scenario.nodes:
        entry = layout.passages.get(node_id)
        if entry and _name_safe(entry.name) and entry.name not in used:
            names[node_id] = entry.name
            used.add(entry.name)
    for node_id in scenario.nodes:
        if node_id not in names:
            names[node_id] = _unique(node_id, used)
    marked = set(layout.continuing)
    own_cast = [m for m in scenario.cast if m.id not in marked]
    own = {m.id for m in own_cast}
    speakers = {
        n.speaker for n in scenario.nodes.values() if not isinstance(n, Ending) and n.speaker
    }
    continuing = [m for m in continuing_cast if m.id in speakers and m.id not in own]
    continuing += [m for m in scenario.cast if m.id in marked and m not in continuing]
    meta: dict[str, Any] = {"id": scenario.id}
    if scenario.title != scenario.title.strip() or any(c in scenario.title for c in "\r\n"):
        meta["title"] = scenario.title  # StoryTitle holds one trimmed line
    meta |= {
        "summary": scenario.summary,
        "themes": scenario.themes,
        "minutes": scenario.minutes,
        "audience": [a.value for a in scenario.audience],
    }
    if own_cast:
        meta["cast"] = [m.model_dump(mode="json") for m in own_cast]
    if continuing:
        meta["continuing-cast"] = [m.model_dump(mode="json") for m in continuing]
    meta_place = layout.metadata or PassageLayout(METADATA_PASSAGE, "100,100")
    kept_meta = (
        meta_place.text
        if meta_place.digest is not None
        and meta_place.text is not None
        and digest(_raw_meta(raw)) == meta_place.digest
        else None
    )
    passages = [
        TwinePassage(
            name=METADATA_PASSAGE,
            text=dump_yaml(meta).rstrip("\n") if kept_meta is None else kept_meta,
            tags=meta_place.tags if kept_meta is None else list(meta_place.all_tags or []),
            position=meta_place.position or "100,100",
            size=meta_place.size,
        )
    ]
    for node_id in scenario.nodes:
        entry = layout.passages.get(node_id)
        passage = _original(entry, raw_nodes.get(node_id), names[node_id])
        if passage is None:
            passage = _node_passage(node_id, scenario, names, entry)
        passage.position = passage.position or auto[node_id]
        passages.append(passage)
    passages.extend(replace(p) for p in layout.extra)
    own_format = (layout.format, layout.format_version)
    story_format = own_format if layout.format else DEFAULT_FORMAT
    return TwineStory(
        name=scenario.title,
        ifid=layout.ifid if valid_ifid(layout.ifid) else ifid_for(scenario.id),
        format=story_format[0],
        format_version=story_format[1],
        start=names[scenario.start],
        zoom=layout.zoom if layout.zoom is not None else 1,
        tag_colors=dict(DEFAULT_TAG_COLORS if layout.tag_colors is None else layout.tag_colors),
        passages=_in_order(passages, layout.order),
    )


def _same(written: TwinePassage, entry: PassageLayout) -> bool:
    """Whether export writes the passage as it came in (Twee drops trailing newlines)."""
    text = entry.text or ""
    return written.tags == entry.all_tags and written.text.rstrip("\n") == text.rstrip("\n")


def keep_originals(layout: Layout, raw: Any, scenario: Scenario | None) -> bool:
    """Mark the passages export would not give back as they came in (all, for a draft).

    Called by import with the scenario data as read back from the YAML it wrote. True if
    anything was marked (the layout comments then carry those passages' text).
    """
    raw_nodes = _raw_nodes(raw)
    regenerated: dict[str, TwinePassage] = {}
    if scenario is not None:
        story = scenario_to_story(scenario, layout)
        regenerated = {p.name: p for p in story.passages}
    marked = False
    for node_id, entry in layout.passages.items():
        again = regenerated.get(entry.name)
        if again is not None and _same(again, entry):
            continue
        if node_id in raw_nodes:
            entry.digest = digest(raw_nodes[node_id])
            marked = True
    meta = layout.metadata
    if meta is not None:
        again = regenerated.get(METADATA_PASSAGE)
        if again is None or not _same(again, meta):
            meta.digest = digest(_raw_meta(raw))
            marked = True
    return marked


def draft_to_story(layout: Layout, raw: Any) -> tuple[TwineStory | None, list[str]]:
    """A draft back as the story it came from, or what stops that (changed nodes).

    A draft is a story that does not fit the scenario shape yet; the author fixes it in
    Twine, so export gives back exactly what came in, as long as the YAML is unchanged.
    """
    raw_nodes = _raw_nodes(raw)
    by_name: dict[str, TwinePassage] = {}
    problems = []
    for node_id, entry in layout.passages.items():
        passage = _original(entry, raw_nodes.get(node_id), entry.name)
        if passage is None:
            problems.append(node_id)
        else:
            by_name[passage.name] = passage
    problems += [str(n) for n in raw_nodes if n not in layout.passages]
    meta = layout.metadata
    if meta is not None:
        if meta.digest is None or meta.text is None or digest(_raw_meta(raw)) != meta.digest:
            problems.append("(the scenario details)")
        else:
            by_name[meta.name] = TwinePassage(
                meta.name, meta.text, list(meta.all_tags or []), meta.position, meta.size
            )
    if problems or layout.name is None:
        return None, problems
    passages = list(by_name.values()) + [replace(p) for p in layout.extra]
    return (
        TwineStory(
            name=layout.name,
            ifid=layout.ifid,
            format=layout.format,
            format_version=layout.format_version,
            start=layout.start,
            zoom=layout.zoom,
            tag_colors=dict(layout.tag_colors or {}),
            passages=_in_order(passages, layout.order),
        ),
        [],
    )


@dataclass
class Exported:
    """A scenario file on its way back to Twine: the story, or why there is none."""

    story: TwineStory | None
    diagnostics: list[Diagnostic]
    draft: bool = False  # True: a draft, given back exactly as it came from Twine
    title: str = ""


def export_text(
    text: str,
    display: str,
    continuing_cast: Iterable[CastMember] = (),
    shared_cast: frozenset[str] = frozenset(),
) -> Exported:
    """A scenario file's text (valid, or a draft imported from Twine) as a Twine story."""
    layout, _problems = read_layout(text, display)  # the validator reports them (T160)
    try:
        document = parse_yaml(text, display)
    except SourceError as exc:
        return Exported(None, [exc.diagnostic])
    checked = check_document(document, shared_cast)
    diagnostics = list(checked.diagnostics)
    if checked.scenario is not None:
        story = scenario_to_story(checked.scenario, layout, continuing_cast, document.data)
        return Exported(story, diagnostics, title=checked.scenario.title)
    if layout is None:
        return Exported(None, diagnostics)
    kept, changed = draft_to_story(layout, document.data)
    if kept is None:
        what = ", ".join(changed[:10]) + (" ..." if len(changed) > 10 else "")
        message = (
            "this draft has errors and was changed since it came from Twine "
            f"({what}), so it cannot go back as it came; fix the errors above, "
            "or import the story from Twine again"
            if changed
            else "this draft has errors and holds no Twine story to give back"
        )
        diagnostics.append(Diagnostic(display, 0, 0, "T161", message))
        return Exported(None, diagnostics)
    return Exported(kept, diagnostics, draft=True, title=kept.name)
