"""The position-keeping YAML reader must agree with yaml.safe_load on values."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kaleidoscope.learn import source
from kaleidoscope.learn.library import bundled_path
from kaleidoscope.learn.source import SourceError, parse_yaml

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(["yes", "No", "on", "~", "null", "0x1F", "0o17", "017", "1_000", "1:30",
                     "2024-01-31", ".5", "-.inf", "+12", "3e4", "#not", "- dash", "a: b"]),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(data=documents, flow=st.booleans())
def test_values_match_safe_load(data: Any, flow: bool) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    assert parse_yaml(text, "x.yaml").data == yaml.safe_load(text)


@pytest.mark.parametrize(
    "text",
    ["a: 1\nb: [1, 2, {c: d}]\n", "plain: 0x10\nq: '0x10'\nt: !!str 12\nd: 2001-12-14\n",
     "base: &b {x: 1}\nuse: *b\n", "? complex\n: value\n", "e: ''\nf:\n"],
)
def test_hand_written_documents_match(text: str) -> None:
    assert parse_yaml(text, "x.yaml").data == yaml.safe_load(text)


def test_library_files_match_and_positions_point_at_keys() -> None:
    for path in bundled_path().glob("[!_]*.yaml"):
        text = path.read_text()
        doc = parse_yaml(text, path.name)
        assert doc.data == yaml.safe_load(text)
        line, column = doc.positions.keys[("title",)]
        assert text.splitlines()[line - 1][column - 1 :].startswith("title:")


def test_several_documents_in_one_file_are_refused() -> None:
    with pytest.raises(SourceError) as caught:
        parse_yaml("a: 1\n---\nb: 2\n", "two.yaml")
    assert caught.value.diagnostic.code == "E104" and caught.value.diagnostic.line == 2


def _full(text: str) -> tuple[Any, ...]:
    """What the position-keeping reader alone gives (or the error it reports)."""
    try:
        return source._read_fully(text, "x.yaml")
    except SourceError as exc:
        return ("error", exc.diagnostic)


def _parsed(text: str) -> tuple[Any, ...]:
    """What parse_yaml gives, positions asked for after the read."""
    try:
        doc = parse_yaml(text, "x.yaml")
    except SourceError as exc:
        return ("error", exc.diagnostic)
    return (doc.data, doc.positions.values, doc.positions.keys, doc.duplicates)


@settings(max_examples=300, deadline=None)
@given(data=documents, flow=st.booleans())
def test_quick_read_then_positions_match_the_full_read(data: Any, flow: bool) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    doc = parse_yaml(text, "x.yaml")
    assert doc.positions._text == text  # read quickly; positions not read yet
    assert _parsed(text) == _full(text)


@pytest.mark.parametrize(
    "text",
    ["a: 1\nb: [1, 2, {c: d}]\n", "base: &b {x: 1}\nuse: *b\n", "? [complex]\n: value\n",
     "a: 1\na: 2\n", "nodes:\n  x: {y: 1}\n  x: 2\n", "a: 1\n---\nb: 2\n", "", "a: [\n",
     "- *nope\n", "k: 2024-13-45\n", "t: !!str 12\nb: !!binary aGVsbG8=\n", "x: !!set {a: null}\n",
     "%YAML 1.1\n---\na: 1\n", "--- plain root\n", "[1, [2, [3]]]\n", "{1: a, true: b, null: c}\n"],
)
def test_documents_the_quick_read_leaves_out_read_as_before(text: str) -> None:
    assert _parsed(text) == _full(text)
