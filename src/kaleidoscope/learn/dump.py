"""Write a scenario back to YAML the way the library files are written.

Keys come in the library's order; short lists and effect maps stay on one line
(``themes: [a, b]``); long text becomes a folded block (``>-``) and text with line breaks
a literal block (``|``). The output is checked by reading it back: if the YAML emitter
ever could not represent a string faithfully in block style, that string is quoted
instead, so what is written always loads as the same data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import yaml

try:  # libyaml's C emitter and parser make the checks below ~10x faster
    from yaml import CSafeDumper as _FastDumper
    from yaml import CSafeLoader as _FastLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeDumper as _FastDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _FastLoader  # type: ignore[assignment]

from kaleidoscope.learn.model import Scenario

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


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    if _AWKWARD.search(value) or not dumper.block_text:
        style = '"' if _AWKWARD.search(value) or dumper.quote_all else None
    else:
        style = _block_style(value)
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


def _emit(data: Any, *, block_text: bool, quote_all: bool = False) -> str:
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


def dump_yaml(data: Any, *, kind: str = "scenario") -> str:
    """Readable YAML for plain data (a scenario or part of one) that loads back equal."""
    shaped = _shape(data, None, kind)
    text = _emit(shaped, block_text=True)
    if yaml.load(text, Loader=_FastLoader) != data:  # pragma: no cover - an emitter limit
        text = _emit(shaped, block_text=False, quote_all=True)
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
