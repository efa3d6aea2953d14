"""Write a scenario back to YAML the way the library files are written.

Keys come in the library's order; short lists and effect maps stay on one line
(``themes: [a, b]``); long text becomes a folded block (``>-``) and text with line breaks
a literal block (``|``). The output is checked by reading it back: if the YAML emitter
ever could not represent a string faithfully in block style, that string is quoted
instead, so what is written always loads as the same data.

The text is PyYAML's, byte for byte: :class:`_Writer` walks the data the way PyYAML's
representer, serializer and emitter would (its scalar writers are PyYAML's own), without
their per-event machinery, and hands anything it does not know (floats, dates, other
types) to PyYAML itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from typing import Any

import yaml
from yaml.emitter import Emitter
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

try:  # libyaml's C emitter and parser make the checks below ~10x faster
    from yaml import CSafeDumper as _FastDumper
    from yaml import CSafeLoader as _FastLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeDumper as _FastDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _FastLoader  # type: ignore[assignment]

from kaleidoscope.learn.model import Scenario
from kaleidoscope.learn.source import read_values

LONG_TEXT = 72
WIDTH = 88

SCENARIO_KEYS = (
    "id",
    "title",
    "summary",
    "themes",
    "minutes",
    "audience",
    "cast",
    "start",
    "nodes",
)
NODE_KEYS = ("type", "kind", "speaker", "title", "text", "discussion", "next", "choices", "debrief")
CHOICE_KEYS = ("id", "text", "target", "consequence", "effects", "guidance", "discussion")
CAST_KEYS = ("id", "name", "role")
# Line breaks other than LF, controls and BOMs: PyYAML's plain and single-quoted styles
# can mangle these, so strings holding them are always written double-quoted (escaped).
_AWKWARD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_FLOW_KEYS = frozenset({"themes", "audience", "effects", "guidance"})


class _FlowList(list[Any]):
    pass


class _FlowDict(dict[str, Any]):
    pass


class _Dumper(yaml.SafeDumper):
    block_text = True
    quote_all = False

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent sequences under their key, as the library files do.
        super().increase_indent(flow, False)


def _str_style(value: str, block_text: bool, quote_all: bool) -> str | None:
    if _AWKWARD.search(value) or not block_text:
        return '"' if _AWKWARD.search(value) or quote_all else None
    return _block_style(value)


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    style = _str_style(value, dumper.block_text, dumper.quote_all)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


@cache
def _block_style(value: str) -> str | None:
    """Folded for long text, literal where folding would not keep the line breaks."""
    if len(value) <= LONG_TEXT and "\n" not in value:
        return None
    for style in ("|", ">") if "\n" in value else (">", "|"):
        probe = yaml.dump({"k": value}, Dumper=_FastDumper, default_style=style, width=WIDTH)
        if yaml.load(probe, Loader=_FastLoader) == {"k": value}:
            return style
    return None


def _represent_flow_list(dumper: _Dumper, value: _FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


def _represent_flow_dict(dumper: _Dumper, value: _FlowDict) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


def _represent_dict(dumper: _Dumper, value: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=False)


def _represent_list(dumper: _Dumper, value: list[Any]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=False)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_FlowList, _represent_flow_list)
_Dumper.add_representer(_FlowDict, _represent_flow_dict)
_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)


def _ordered(data: Mapping[str, Any], order: Iterable[str]) -> dict[str, Any]:
    keys = [k for k in order if k in data]
    keys += [k for k in data if k not in keys]
    return {k: data[k] for k in keys}


def _shape(value: Any, key: str | None = None, kind: str = "scenario") -> Any:
    """Order keys as the library does and mark what is written on one line."""
    if isinstance(value, Mapping):
        if key in _FLOW_KEYS and all(not isinstance(v, Mapping | list) for v in value.values()):
            return _FlowDict(value)
        if kind == "nodes":
            return {k: _shape(v, None, "node") for k, v in value.items()}
        order = {
            "scenario": SCENARIO_KEYS,
            "node": NODE_KEYS,
            "choice": CHOICE_KEYS,
            "cast": CAST_KEYS,
        }.get(kind, ())
        shaped = _ordered(value, order)
        children = {"nodes": "nodes", "choices": "choice", "cast": "cast"}
        return {
            k: _shape(v, k, children.get(k, "other") if isinstance(k, str) else "other")
            for k, v in shaped.items()
        }
    if isinstance(value, list):
        if key in _FLOW_KEYS and all(not isinstance(v, Mapping | list) for v in value):
            return _FlowList(value)
        return [_shape(v, None, kind) for v in value]
    return value


def _emit_pyyaml(data: Any, *, block_text: bool, quote_all: bool = False) -> str:
    attributes = {"block_text": block_text, "quote_all": quote_all}
    dumper_class = type("_ThisDumper", (_Dumper,), attributes)
    text: str = yaml.dump(
        data,
        Dumper=dumper_class,
        sort_keys=False,
        allow_unicode=True,
        width=WIDTH,
        default_flow_style=False,
    )
    return text


class _Unsupported(Exception):
    """Data the fast writer leaves to PyYAML (which writes the same text, only slower)."""


_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    str: _STR,
    int: "tag:yaml.org,2002:int",
    bool: "tag:yaml.org,2002:bool",
    type(None): "tag:yaml.org,2002:null",
}
_RESOLVER = Resolver()
_FIRST_CHARS = frozenset(ch for ch in Resolver.yaml_implicit_resolvers if ch is not None)
# One-line text with nothing PyYAML would escape (with allow_unicode): analysed below.
_SIMPLE = re.compile(
    "[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010fffe]+"
)
_FLOW_INSIDE = re.compile(r"[,?\[\]{}:]| #")
_BLOCK_INSIDE = re.compile(r":(?: |\Z)| #")
_LEADING = frozenset("#,[]{}&*!|>'\"%@`")

# PyYAML's ScalarAnalysis, as a tuple: empty, multiline, allow_flow_plain,
# allow_block_plain, allow_single_quoted, allow_block.
_Analysis = tuple[bool, bool, bool, bool, bool, bool]


def _analyse(text: str) -> _Analysis:
    """What Emitter.analyze_scalar says (allow_unicode): directly for one-line text
    without special characters, by PyYAML itself for the rest."""
    if not _SIMPLE.fullmatch(text):
        a = _ANALYSER.analyze_scalar(text)
        return (
            a.empty,
            a.multiline,
            a.allow_flow_plain,
            a.allow_block_plain,
            a.allow_single_quoted,
            a.allow_block,
        )
    if text[0] == " " or text[-1] == " ":
        return (False, False, False, False, True, text[-1] != " ")
    first = text[0]
    spaced = len(text) == 1 or text[1] == " "
    document = text.startswith(("---", "..."))
    flow = (
        document
        or first in _LEADING
        or first in "?:"
        or (first == "-" and spaced)
        or _FLOW_INSIDE.search(text, 1) is not None
    )
    block = (
        document
        or first in _LEADING
        or (first in "?:-" and spaced)
        or _BLOCK_INSIDE.search(text, 1) is not None
    )
    return (False, False, not flow, not block, True, True)


def _plain_reads_as_str(text: str) -> bool:
    """Whether ``text`` written plain reads back as a string (PyYAML's resolver)."""
    if text and text[0] not in _FIRST_CHARS:
        return True
    tag = _RESOLVER.resolve(ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return bool(tag == _STR)


# A scalar as PyYAML's serializer hands it to the emitter: text, length of its tag as
# written ('!!str'), implicit (plain, quoted), the representer's style, and the analysis.
_Event = tuple[str, int, bool, bool, str | None, _Analysis]


def _scalar_event(value: Any, block_text: bool, quote_all: bool) -> _Event:
    kind = type(value)
    tag = _SCALAR_TAGS.get(kind)
    if tag is None:
        raise _Unsupported(kind.__name__)
    if kind is str:
        text: str = value
        style = _str_style(text, block_text, quote_all)
        plain = _plain_reads_as_str(text)
    else:
        text = "null" if value is None else str(value).lower() if kind is bool else str(value)
        style = None
        plain = _RESOLVER.resolve(ScalarNode, text, (True, False)) == tag  # type: ignore[no-untyped-call]
    return (text, len(tag) - 16, plain, tag == _STR, style, _analyse(text))


# Mapping keys come from a small vocabulary ('id', 'text', 'choices', ...).
_key_event = lru_cache(maxsize=1024)(_scalar_event)


@lru_cache(maxsize=1024)
def _plain_block_key(text: str, block_text: bool, quote_all: bool) -> str | None:
    """``text:`` where a key in a block mapping is simple and written plain, else None."""
    _text, tag_length, plain, _quoted, style, analysis = _key_event(text, block_text, quote_all)
    empty, multiline, _flow_plain, block_plain = analysis[:4]
    if tag_length + len(text) < 128 and not (empty or multiline or style) and plain and block_plain:
        return text + ":"
    return None


class _Sink:
    def __init__(self, out: list[str]) -> None:
        self.write = out.append


_ANALYSER = Emitter(_Sink([]), allow_unicode=True)  # for analyze_scalar only


class _Writer(Emitter):
    """PyYAML's emitter driven straight from the data, as ``_Dumper`` would drive it.

    The representer and serializer steps are done inline: the same styles (via
    ``_str_style``), tags and implicit flags; containers are never shared after
    ``_shape`` (shared ones would need anchors, so they go to PyYAML). The state
    machine's steps are followed in order; the scalar writers are PyYAML's, with a
    direct path for plain and single-quoted text that cannot reach the line width.
    """

    def __init__(self, *, block_text: bool, quote_all: bool) -> None:
        self.out: list[str] = []
        super().__init__(_Sink(self.out), width=WIDTH, allow_unicode=True)
        self.block_text = block_text
        self.quote_all = quote_all
        self.tag_prefixes = dict(self.DEFAULT_TAG_PREFIXES)
        self.seen: set[int] = set()

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # as _Dumper

    def document(self, data: Any) -> str:
        # Stream and (implicit) document start write nothing.
        self.node(data, root=True)
        self.write_indent()  # document end
        if self.open_ended:  # stream end
            self.write_indicator("...", True)
            self.write_indent()
        return "".join(self.out)

    def node(
        self,
        value: Any,
        *,
        root: bool = False,
        sequence: bool = False,
        mapping: bool = False,
        simple_key: bool = False,
    ) -> None:
        self.root_context = root
        self.sequence_context = sequence
        self.mapping_context = mapping
        self.simple_key_context = simple_key
        kind = type(value)
        if kind is dict or kind is _FlowDict:
            self.shared(value)
            if self.flow_level or kind is _FlowDict or not value:
                self.flow_mapping(value)
            else:
                self.block_mapping(value)
        elif kind is list or kind is _FlowList:
            self.shared(value)
            if self.flow_level or kind is _FlowList or not value:
                self.flow_sequence(value)
            else:
                self.block_sequence(value)
        elif kind is str and not (root or self.flow_level):
            self.block_string(value)
        else:
            self.scalar(_scalar_event(value, self.block_text, self.quote_all))

    def shared(self, value: Any) -> None:
        if id(value) in self.seen:
            raise _Unsupported("a container twice: PyYAML writes an anchor and alias")
        self.seen.add(id(value))

    def key(self, value: Any, *, flow: bool) -> None:
        """A mapping key (simple, or with '?'); the value follows."""
        if type(value) is str:
            event = _key_event(value, self.block_text, self.quote_all)
        else:
            event = _scalar_event(value, self.block_text, self.quote_all)
        text, tag_length, _plain, _quoted, _style, analysis = event
        simple = tag_length + len(text) < 128 and not analysis[0] and not analysis[1]
        self.root_context = self.sequence_context = False
        self.mapping_context = True
        if simple:
            self.simple_key_context = True
            self.scalar(event)
            self.write_indicator(":", False)
            return
        self.simple_key_context = False
        self.write_indicator("?", True, indention=not flow)
        self.scalar(event)
        if flow:
            if self.column > self.best_width:
                self.write_indent()
            self.write_indicator(":", True)
        else:
            self.write_indent()
            self.write_indicator(":", True, indention=True)

    def block_mapping(self, value: dict[Any, Any]) -> None:
        self.increase_indent(flow=False)
        block_text, quote_all = self.block_text, self.quote_all
        for key, item in value.items():
            self.write_indent()  # leaves whitespace True
            written = _plain_block_key(key, block_text, quote_all) if type(key) is str else None
            if written is None:
                self.key(key, flow=False)
            else:  # what key() does for a simple plain key: the text, then ':'
                self.out.append(written)
                self.column += len(written)
                self.whitespace = self.indention = self.open_ended = False
            self.node(item, mapping=True)
        self.indent = self.indents.pop()

    def block_sequence(self, value: list[Any]) -> None:
        self.increase_indent(flow=False)
        for item in value:
            self.write_indent()
            self.write_indicator("-", True, indention=True)
            self.node(item, sequence=True)
        self.indent = self.indents.pop()

    def flow_mapping(self, value: dict[Any, Any]) -> None:
        self.write_indicator("{", True, whitespace=True)
        self.flow_level += 1
        self.increase_indent(flow=True)
        for i, (key, item) in enumerate(value.items()):
            if i:
                self.write_indicator(",", False)
            if self.column > self.best_width:
                self.write_indent()
            self.key(key, flow=True)
            self.node(item, mapping=True)
        self.indent = self.indents.pop()
        self.flow_level -= 1
        self.write_indicator("}", False)

    def flow_sequence(self, value: list[Any]) -> None:
        self.write_indicator("[", True, whitespace=True)
        self.flow_level += 1
        self.increase_indent(flow=True)
        for i, item in enumerate(value):
            if i:
                self.write_indicator(",", False)
            if self.column > self.best_width:
                self.write_indent()
            self.node(item, sequence=True)
        self.indent = self.indents.pop()
        self.flow_level -= 1
        self.write_indicator("]", False)

    def choose_style(self, event: _Event) -> str:
        """Emitter.choose_scalar_style, on an event of ours."""
        _text, _tag, plain, _quoted, style, analysis = event
        empty, multiline, flow_plain, block_plain, single_quoted, block = analysis
        if style == '"':
            return '"'
        if (
            not style
            and plain
            and not (self.simple_key_context and (empty or multiline))
            and (flow_plain if self.flow_level else block_plain)
        ):
            return ""
        if style and style in "|>" and not (self.flow_level or self.simple_key_context) and block:
            return style
        if (
            (not style or style == "'")
            and single_quoted
            and not (self.simple_key_context and multiline)
        ):
            return "'"
        return '"'

    def block_string(self, text: str) -> None:
        """scalar() for a string in block context that is neither a key nor the root."""
        style = _str_style(text, self.block_text, self.quote_all)
        multiline = False  # needed below only where the analysis is made
        if style == '"':
            chosen = '"'
        else:
            _empty, multiline, _flow, block_plain, single_quoted, block = _analyse(text)
            if not style and block_plain and _plain_reads_as_str(text):
                chosen = ""
            elif style and style in "|>" and block:
                chosen = style
            elif (not style or style == "'") and single_quoted:
                chosen = "'"
            else:
                chosen = '"'
        self.write_scalar(text, chosen, True, multiline)

    def scalar(self, event: _Event) -> None:
        text, _tag, plain, quoted, _style, analysis = event
        style = self.choose_style(event)
        if not ((style == "" and plain) or (style != "" and quoted)):
            raise _Unsupported("a tag would be written")
        self.write_scalar(text, style, not self.simple_key_context, analysis[1])

    def write_scalar(self, text: str, style: str, split: bool, multiline: bool) -> None:
        """Write a scalar in the chosen style, one indent step in (the emitter's
        increase_indent(flow=True), inline)."""
        indent = self.indent
        self.indent = 2 if indent is None else indent + 2
        if style == "":
            self.plain(text, split)
        elif style == "'":
            self.single_quoted(text, split, multiline)
        elif style == '"':
            self.write_double_quoted(text, split)
        elif style == ">":
            self.write_folded(text)
        else:
            self.write_literal(text)
        self.indent = indent

    def plain(self, text: str, split: bool) -> None:
        if self.root_context:
            self.open_ended = True
        if not text:
            return
        space = not self.whitespace
        end = self.column + space + len(text)
        if split and end > self.best_width:
            self.write_plain(text, split)  # may fold at a space
            return
        self.out.append(" " + text if space else text)
        self.column = end
        self.whitespace = self.indention = False

    def single_quoted(self, text: str, split: bool, multiline: bool) -> None:
        quoted = text.replace("'", "''")
        space = not self.whitespace
        end = self.column + space + 1 + len(quoted) + 1
        if multiline or (split and end > self.best_width):
            self.write_single_quoted(text, split)  # line breaks, or may fold at a space
            return
        self.out.append((" '" if space else "'") + quoted + "'")
        self.column = end
        self.whitespace = self.indention = self.open_ended = False


def _emit(data: Any, *, block_text: bool, quote_all: bool = False) -> tuple[str, bool]:
    """The text ``_emit_pyyaml`` gives, and whether it was written by ``_Writer``
    (plain mappings, lists, strings, integers, booleans and nulls; no tags or anchors)."""
    try:
        return _Writer(block_text=block_text, quote_all=quote_all).document(data), True
    except _Unsupported:
        return _emit_pyyaml(data, block_text=block_text, quote_all=quote_all), False


def _reads_back(text: str, data: Any, *, plain: bool) -> bool:
    """Whether ``text`` loads as ``data``. Text that ``_Writer`` wrote holds nothing
    the quick reader leaves out, and it reads such text as ``yaml.load`` does."""
    if plain:
        try:
            return bool(read_values(text) == data)
        except Exception:  # anything unexpected: ask PyYAML, as before
            pass
    return bool(yaml.load(text, Loader=_FastLoader) == data)


def dump_yaml(data: Any, *, kind: str = "scenario") -> str:
    """Readable YAML for plain data (a scenario or part of one) that loads back equal."""
    shaped = _shape(data, None, kind)
    text, plain = _emit(shaped, block_text=True)
    if not _reads_back(text, data, plain=plain):  # pragma: no cover - an emitter limit
        text = _emit(shaped, block_text=False, quote_all=True)[0]
    return text


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as the plain data a library file holds (defaults left out)."""
    data: dict[str, Any] = scenario.model_dump(mode="json", exclude_defaults=True)
    return data


def dump_data(data: Mapping[str, Any], *, comment: str = "", trailer: str = "") -> str:
    """Scenario data (possibly a draft that does not validate yet) as a YAML file."""
    head = "".join(f"# {line}\n".replace("# \n", "#\n") for line in comment.splitlines())
    return head + dump_yaml(dict(data)) + trailer


def dump_scenario(scenario: Scenario, *, comment: str = "", trailer: str = "") -> str:
    """A scenario as a YAML file in the library's format."""
    return dump_data(scenario_data(scenario), comment=comment, trailer=trailer)
