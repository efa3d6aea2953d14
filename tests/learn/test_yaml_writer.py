"""The YAML writer (learn/dump.py) gives PyYAML's text byte for byte.

`_Writer` walks the data as PyYAML's representer, serializer and emitter would, without
their per-event machinery (import writes every passage header and the whole scenario
this way). Each test compares it with PyYAML itself, so a difference in any byte fails:
the round trips to Twine depend on these bytes staying the same.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml.emitter import Emitter

from kaleidoscope.learn import dump
from kaleidoscope.learn.dump import dump_data, dump_yaml
from kaleidoscope.learn.library import bundled_library

# Characters that change how PyYAML writes a string: indicators, spaces, line breaks,
# characters it escapes, characters it keeps under allow_unicode, and a lone surrogate.
SPECIAL = [
    *"-?:#,[]{}&*!|>'\"%@`.~= \t\r\n",
    "\x00", "\x07", "\x7f", "\x85", "\xa0", "\u2028", "\u2029", "\ufeff", "\ufffe", "é",
    "\u4e2d", "\U0001f600", "\ud800",
]
texts = st.one_of(
    st.text(st.sampled_from([*SPECIAL, "a", "b", "Z", "0", "1"]), max_size=24),
    st.text(max_size=12),
    st.sampled_from(["yes", "No", "on", "~", "null", "true", "1.5", "0x1F", "2024-01-31",
                     "---", "... more", "<<", "=", "!", "&", "*", "- dash", "a: b", "#x",
                     "x #y", "", " ", "Scene 3: *something* happens."]),
    # Words around the line width, so that folding at a space is exercised at any depth.
    st.lists(st.sampled_from(["word", "a", "it's", "x:y", "--", "longerword"]),
             min_size=10, max_size=30).map(" ".join),
)
scalars = st.one_of(texts, st.integers(-(10**6), 10**6), st.booleans(), st.none())
keys = st.one_of(
    st.sampled_from(["id", "text", "type", "themes", "audience", "effects", "guidance",
                     "nodes", "choices", "cast", "title", "next", "debrief"]),
    texts, st.integers(-3, 3), st.booleans(), st.none(),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(keys, inner, max_size=5)),
    max_leaves=30,
)
KINDS = ["scenario", "node", "choice", "cast", "nodes", "other"]
MODES = [(True, False), (False, False), (False, True)]  # (block_text, quote_all)


def _reference_dump(data: Any, kind: str) -> str:
    """dump_yaml as it was written before _Writer: PyYAML only, checked with yaml.load."""
    shaped = dump._shape(data, None, kind)
    text = dump._emit_pyyaml(shaped, block_text=True)
    if yaml.load(text, Loader=yaml.CSafeLoader) != data:
        text = dump._emit_pyyaml(shaped, block_text=False, quote_all=True)
    return text


@settings(max_examples=400, deadline=None)
@given(text=texts)
def test_scalar_analysis_is_pyyamls(text: str) -> None:
    a = Emitter(dump._Sink([]), allow_unicode=True).analyze_scalar(text)
    assert dump._analyse(text) == (
        a.empty, a.multiline, a.allow_flow_plain, a.allow_block_plain,
        a.allow_single_quoted, a.allow_block,
    )


def _outcome(write: Any, data: Any, kind: str) -> tuple[str, str]:
    """The text written, or the error raised (a lone surrogate cannot be written)."""
    try:
        return ("text", write(data, kind))
    except (yaml.YAMLError, UnicodeError) as exc:
        return (type(exc).__name__, str(exc))


@settings(max_examples=400, deadline=None)
@given(data=documents, kind=st.sampled_from(KINDS), mode=st.sampled_from(MODES))
def test_writer_gives_pyyamls_bytes(data: Any, kind: str, mode: tuple[bool, bool]) -> None:
    block_text, quote_all = mode

    def pyyaml(data: Any, kind: str) -> str:
        shaped = dump._shape(data, None, kind)
        return dump._emit_pyyaml(shaped, block_text=block_text, quote_all=quote_all)

    def ours(data: Any, kind: str) -> str:
        shaped = dump._shape(data, None, kind)
        return dump._Writer(block_text=block_text, quote_all=quote_all).document(shaped)

    assert _outcome(ours, data, kind) == _outcome(pyyaml, data, kind)


@settings(max_examples=200, deadline=None)
@given(data=documents, kind=st.sampled_from(KINDS))
def test_dump_yaml_is_unchanged(data: Any, kind: str) -> None:
    written = _outcome(lambda d, k: dump_yaml(d, kind=k), data, kind)
    assert written == _outcome(_reference_dump, data, kind)


@pytest.mark.parametrize(
    "data",
    [
        {"minutes": 1.5, "text": "a float goes to PyYAML"},
        {"when": datetime.date(2024, 1, 31)},
        {"inf": float("inf"), "list": [1, 2.5]},
        "a plain root scalar",
        "a root\nwith lines\n\n",
        [],
        {"key " * 40: "a key too long to be simple", "": "an empty key", "a\nb": 1},
    ],
    ids=["float", "date", "inf", "root-plain", "root-literal", "empty", "odd-keys"],
)
def test_what_the_writer_leaves_to_pyyaml_comes_out_the_same(data: Any) -> None:
    assert dump_yaml(data, kind="other") == _reference_dump(data, "other")


def test_shared_containers_are_left_to_pyyaml() -> None:
    shared = ["x", "y"]
    with pytest.raises(dump._Unsupported):
        dump._Writer(block_text=True, quote_all=False).document({"a": shared, "b": shared})
    assert dump._emit({"a": shared, "b": shared}, block_text=True) == (
        dump._emit_pyyaml({"a": shared, "b": shared}, block_text=True), False
    )


def test_bundled_scenarios_are_written_as_before() -> None:
    for scenario in bundled_library():
        data = dump.scenario_data(scenario)
        assert dump_data(data) == _reference_dump(data, "scenario"), scenario.id
        for node in data["nodes"].values():  # as the Twine export writes passage headers
            header = {k: v for k, v in node.items() if k != "type"}
            assert dump_yaml(header, kind="other") == _reference_dump(header, "other")
