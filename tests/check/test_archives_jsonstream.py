"""The streaming JSON reader gives the same records as json.loads, whatever the chunking."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaleidoscope.check.archives.jsonstream import JsonArray, MalformedJsonError

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30),
                    st.floats(allow_nan=False, allow_infinity=False))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)
records = st.lists(st.dictionaries(st.text(max_size=8), values, max_size=5), max_size=12)


def stream(records_: list[object], chunk: int, **kw: object) -> list[object]:
    return list(JsonArray(io.BytesIO(json.dumps(records_, **kw).encode()), chunk=chunk))


@settings(max_examples=150, deadline=None)
@given(records, st.integers(min_value=1, max_value=64), st.sampled_from([None, 2]),
       st.booleans())
def test_any_chunking_gives_the_same_records(
    data: list[object], chunk: int, indent: int | None, ascii_only: bool
) -> None:
    assert stream(data, chunk, indent=indent, ensure_ascii=ascii_only) == data


@settings(max_examples=60, deadline=None)
@given(records, st.integers(min_value=1, max_value=40))
def test_js_assignment_and_keyed_object(data: list[object], chunk: int) -> None:
    js = ("window.YTD.tweets.part0 = " + json.dumps(data) + ";").encode()
    assert list(JsonArray(io.BytesIO(js), chunk=chunk)) == data
    keyed = json.dumps({"@context": "x", "orderedItems": data, "totalItems": 1}).encode()
    assert list(JsonArray(io.BytesIO(keyed), keys=("orderedItems",), chunk=chunk)) == data
    first = json.dumps({"comments_v2": data}).encode()
    assert list(JsonArray(io.BytesIO(first), chunk=chunk)) == data


@pytest.mark.parametrize("text,line", [
    ('[{"a": 1},\n {"b": }]', 2),
    ('[{"a": 1} {"b": 2}]', 1),
    ('[{"a": 1},\n\n', 3),
])
def test_malformed_json_names_the_line(text: str, line: int) -> None:
    array = JsonArray(io.BytesIO(text.encode()), chunk=4)
    got: list[object] = []
    with pytest.raises(MalformedJsonError) as info:
        got.extend(array)
    assert got == [{"a": 1}]
    assert info.value.line == line


def test_empty_inputs_give_no_records() -> None:
    for text in (b"", b"   \n", b"window.YTD.tweets.part0 = []", b"[]", b'{"other": 1}'):
        assert list(JsonArray(io.BytesIO(text))) == []
