"""Scenarios (and drafts) back into Twine stories, following docs/twine.md.

Export writes a validated :class:`Scenario` as a story; every passage it writes is read
back on the spot, and anything that would not come back unchanged (text that looks like
a link or a header, link text Twine cannot hold) is also written into the passage's
header, which import prefers. So exporting and importing gives the same scenario.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from kaleidoscope.learn.dump import dump_yaml
from kaleidoscope.learn.model import CastMember, Decision, Ending, Passage, Scenario
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
from kaleidoscope.learn.twine.layout import Layout, PassageLayout
from kaleidoscope.learn.twine.story import (
    TwinePassage,
    TwineStory,
    ifid_for,
    link_markup,
    valid_ifid,
)


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


def scenario_to_story(
    scenario: Scenario,
    layout: Layout | None = None,
    continuing_cast: Iterable[CastMember] = (),
) -> TwineStory:
    """The scenario as a Twine story, in the convention import reads."""
    layout = layout or Layout()
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
    own = {m.id for m in scenario.cast}
    speakers = {
        n.speaker for n in scenario.nodes.values() if not isinstance(n, Ending) and n.speaker
    }
    continuing = [m for m in continuing_cast if m.id in speakers and m.id not in own]
    meta: dict[str, Any] = {"id": scenario.id}
    if scenario.title != scenario.title.strip() or any(c in scenario.title for c in "\r\n"):
        meta["title"] = scenario.title  # StoryTitle holds one trimmed line
    meta |= {
        "summary": scenario.summary,
        "themes": scenario.themes,
        "minutes": scenario.minutes,
        "audience": [a.value for a in scenario.audience],
    }
    if scenario.cast:
        meta["cast"] = [m.model_dump(mode="json") for m in scenario.cast]
    if continuing:
        meta["continuing-cast"] = [m.model_dump(mode="json") for m in continuing]
    meta_place = layout.metadata or PassageLayout(METADATA_PASSAGE, "100,100")
    passages = [
        TwinePassage(
            name=METADATA_PASSAGE,
            text=dump_yaml(meta).rstrip("\n"),
            tags=meta_place.tags,
            position=meta_place.position or "100,100",
            size=meta_place.size,
        )
    ]
    for node_id in scenario.nodes:
        passage = _node_passage(node_id, scenario, names, layout.passages.get(node_id))
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
        passages=passages,
    )
