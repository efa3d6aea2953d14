"""The streaming JSON reader gives the same records as json.loads, whatever the chunking."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaleidoscope.check.archives.jsonstream import JsonArray, JsonStreamError, MalformedJsonError

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


class _OneWay(io.BytesIO):
    """A stream that cannot be read twice: JsonArray then takes the careful pass only."""

    def seekable(self) -> bool:
        return False


hostile_pieces = st.sampled_from([
    '"\\ud83d"', '"\\ud83d\\ude00"', "[" * 150 + "]" * 150, "1" * 2000, "1e999", '"\\\\"',
    '"a\\"b[{"', '"]]]]}}}}"', '{"k": "' + "x" * 3000 + '"}', "[]", "{}", '""',
])


@settings(max_examples=120, deadline=None)
@given(records, st.lists(st.tuples(st.integers(0, 12), hostile_pieces), max_size=3),
       st.integers(min_value=1, max_value=300), st.booleans())
def test_the_fast_and_the_careful_pass_agree(
    data: list[object], inserts: list[tuple[int, str]], chunk: int, keyed: bool
) -> None:
    items = [json.dumps(r) for r in data]
    for at, piece in inserts:
        items.insert(min(at, len(items)), piece)
    body = "[" + ", ".join(items) + "]"
    text = ('{"@context": "x", "orderedItems": ' + body + "}") if keyed else body
    raw = text.encode()
    keys = ("orderedItems",) if keyed else ()

    def read(stream: io.BytesIO) -> tuple[list[object], list[tuple[str, int]], str]:
        array = JsonArray(stream, keys=keys, chunk=chunk, max_record_bytes=2048,
                          max_depth=100)
        got: list[object] = []
        error = ""
        try:
            got.extend(array)
        except JsonStreamError as exc:
            error = str(exc)
        return got, array.skipped, error

    fast, careful = read(io.BytesIO(raw)), read(_OneWay(raw))
    assert fast[0] == careful[0]
    assert fast[1] == careful[1]
    assert fast[2] == careful[2]
    if not inserts:
        # plain records all come back, but for those over max_record_bytes (non-ASCII
        # text is escaped by json.dumps, six bytes or more a character), skipped with why
        assert len(fast[0]) + len(fast[1]) == len(data)
        assert all(reason.startswith("record larger than") for reason, _ in fast[1])
        if not fast[1]:
            assert fast[0] == data
