"""The validator's report on an imported story, told in Twine terms.

The validator speaks of YAML paths (``nodes.foyer.choices.0.consequence``). An author
working in Twine needs the Twine file, the passage, the line in that file and what to
change there. Each problem gives one message: where import already said it in Twine
terms (an untagged ending, a decision without a header, no ScenarioData passage, a
broken link), the validator's messages about the same thing are folded into that one.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from kaleidoscope.diagnostics import Diagnostic, Severity
from kaleidoscope.learn.twine.story import TwinePassage
from kaleidoscope.learn.validate import Checked

ERROR = Severity.ERROR
METADATA_KEYS = ("summary", "themes", "minutes", "audience")
_AT = re.compile(r"\s*\bat [\w.\-\u00c0-\uffff]+$")
_WHERE_PREFIX = re.compile(r"^[\w.\-\u00c0-\uffff]+: ")


def _name(diagnostic: Diagnostic) -> str | None:
    match = re.match(r"(?:passage|decision|ending) '(.*?)'", diagnostic.message)
    return match.group(1) if match else None


def _choice(node: dict[str, Any], index: int) -> str:
    choices = node.get("choices")
    if isinstance(choices, list) and index < len(choices) and isinstance(choices[index], dict):
        text = choices[index].get("text")
        if isinstance(text, str):
            return f"link {index + 1} ('{text}')"
    return f"link {index + 1}"


def _choice_line(passage: TwinePassage, index: int) -> int:
    """The file line of choice ``index`` in a passage header (else its first line)."""
    lines = passage.text.split("\n")
    try:
        at = next(i for i, line in enumerate(lines) if line.startswith("choices:"))
    except StopIteration:
        return passage.text_line or passage.line
    entries = [
        i for i, line in enumerate(lines[at + 1 :], at + 1) if line.lstrip().startswith("- ")
    ]
    first = entries[index] if index < len(entries) else at
    return passage.line_of(sum(len(line) + 1 for line in lines[:first]))


def in_twine_terms(
    source: str,
    story_line: int,
    found: list[Diagnostic],
    checked: Checked,
    passages: dict[str, TwinePassage],
    data: dict[str, Any],
    metadata: TwinePassage | None,
) -> list[Diagnostic]:
    """Import's own problems and the validator's, one message per problem, in file order."""
    by_code: dict[str, dict[str, int]] = {}
    for i, diagnostic in enumerate(found):
        name = _name(diagnostic)
        if name is not None:
            by_code.setdefault(diagnostic.code, {}).setdefault(name, i)
    codes = {d.code for d in found}
    untagged = by_code.get("T131", {})
    headless = by_code.get("T125", {})
    broken = by_code.get("T130", {})
    result = list(found)
    raise_to_error: set[int] = set()
    missing_meta: list[str] = []
    loops: dict[frozenset[str], list[str]] = {}
    nodes = data.get("nodes") if isinstance(data.get("nodes"), dict) else {}
    assert isinstance(nodes, dict)
    meta_line = metadata.line if metadata is not None else story_line

    for diagnostic in checked.diagnostics:
        loc = checked.where.get(diagnostic, ())
        message = _AT.sub("", diagnostic.message)
        if diagnostic.code == "T160":
            continue  # about the YAML file's comments, which import wrote itself
        if diagnostic.code == "T143":
            result.append(replace(diagnostic, path=source, line=story_line, column=1))
            continue
        if not loc or loc[0] != "nodes" or len(loc) < 2:
            key = str(loc[0]) if loc else ""
            if key in METADATA_KEYS and "T119" in codes and diagnostic.code == "E201":
                missing_meta.append(key)
                continue
            if diagnostic.code == "E201" and "missing required field" in message and key:
                message = f"there is no '{key}:' line; add one"
            where = "the ScenarioData passage" if key not in ("start", "") else "the story"
            result.append(
                Diagnostic(
                    source,
                    meta_line if key not in ("start", "") else story_line,
                    1 if meta_line else 0,
                    diagnostic.code,
                    f"{where}: {message}",
                    diagnostic.severity,
                )
            )
            continue
        node_id = str(loc[1])
        passage = passages.get(node_id)
        node = nodes.get(node_id) if isinstance(nodes.get(node_id), dict) else {}
        assert isinstance(node, dict)
        name = passage.name if passage is not None else node_id
        line = passage.line if passage is not None else story_line
        text_line = (passage.text_line or passage.line) if passage is not None else line
        rest = loc[2:]
        code = diagnostic.code

        if name in untagged and (code == "E305" or rest == ("kind",)):
            raise_to_error.add(untagged[name])
            continue
        if code in ("E302", "E304") and name in broken:
            continue  # the broken link is the problem, told once (T130)
        if code == "W402" and name in by_code.get("T140", {}):
            continue  # story-format markup, told once (T140)
        if rest[:1] == ("choices",) and len(rest) >= 3 and name in headless:
            raise_to_error.add(headless[name])
            continue
        if code == "W401" and name in headless:
            continue
        if code == "E304":
            loop = re.search(r"\(the loop: (.*)\)$", message)
            members = loop.group(1).split(" -> ") if loop else [node_id]
            names = [passages[m].name if m in passages else m for m in members]
            key_set = frozenset(names)
            if key_set in loops:
                continue
            loops[key_set] = names
            if loop:
                text = (
                    "these passages link only to each other, and no ending can be reached: "
                    f"{' -> '.join(repr(n) for n in names)}. In Twine, link one of them to "
                    "an ending, or tag one as an ending"
                )
            else:
                text = (
                    f"no ending can be reached from passage '{name}'. In Twine, link it "
                    "to a passage that leads to an ending"
                )
            result.append(Diagnostic(source, line, 1 if line else 0, code, text))
            continue
        if code == "E305":
            text = (
                f"passage '{name}' is an ending with no debrief. In Twine, start the "
                "passage with a header: a line '---', a line 'debrief: ...', a line '---'"
            )
        elif rest == ("kind",):
            text = (
                f"passage '{name}' is tagged ending, but not which kind. In Twine, add the "
                "tag ending-successful, ending-mixed or ending-unsuccessful"
            )
        elif rest == ("choices",) and code == "E201":
            count = len(node.get("choices", [])) if isinstance(node.get("choices"), list) else 0
            text = (
                f"passage '{name}' has {count} links, but a decision offers 2 to 5 choices. "
                "In Twine, "
                + (
                    "remove links, or split the decision over two passages"
                    if count > 5
                    else "add a link, or untag the passage if it only moves on"
                )
            )
        elif rest[:1] == ("choices",) and len(rest) >= 2 and isinstance(rest[1], int):
            which = _choice(node, rest[1])
            key = str(rest[2]) if len(rest) >= 3 else ""
            if code == "W401":
                text = (
                    f"passage '{name}': {which} cites no guidance. In Twine, add "
                    f"'guidance: [KEY]' under choice {rest[1] + 1} in the passage's header"
                )
            elif "missing required field" in message:
                text = (
                    f"passage '{name}': {which} has no {key}. In Twine, add '{key}:' under "
                    f"choice {rest[1] + 1} in the passage's header"
                )
            else:
                detail = _WHERE_PREFIX.sub("", message)
                text = f"passage '{name}': {which}" + (f", {key}" if key else "") + f": {detail}"
            line = _choice_line(passage, rest[1]) if passage is not None else line
        elif code == "E303":
            text = (
                f"passage '{name}' cannot be reached from the start. In Twine, link to it "
                "from another passage, or delete it"
            )
        elif code == "E306":
            text = (
                f"passage '{name}': {message}. In Twine, add them to the cast in the "
                "ScenarioData passage"
            )
            line = text_line
        else:
            detail = _WHERE_PREFIX.sub("", message)
            field_name = f" ({'.'.join(str(p) for p in rest)})" if rest else ""
            text = f"passage '{name}'{field_name}: {detail}"
            line = text_line if rest else line
        result.append(Diagnostic(source, line, 1 if line else 0, code, text, diagnostic.severity))

    for i in raise_to_error:
        result[i] = replace(result[i], severity=ERROR)
    if missing_meta and "T119" in codes:
        first = next(i for i, d in enumerate(result) if d.code == "T119")
        result[first] = replace(
            result[first],
            severity=ERROR,
            message=(
                "there is no ScenarioData passage, so the scenario has no "
                f"{', '.join(missing_meta)}. In Twine, add a passage named ScenarioData "
                "with a line for each (see docs/twine.md)"
            ),
        )
    return sorted(result, key=lambda d: (d.line, d.column, d.code))
