"""Fuzzing every archive reader with structure-aware bad input (issue 14).

Each case starts from a genuine export built by tests/archive_factory.py and damages it
the way hostile or broken uploads do: a hostile JSON value put at a random place in a
record (deep nesting, a lone surrogate, numbers Python cannot hold, wrong types, huge
strings), bytes flipped, inserted or cut, a BOM or UTF-16, and the whole container (zip,
tar.gz, folder) cut short. The rule checked: the reader either gives posts whose text can
be encoded, with what it skipped counted, or raises ``ArchiveError`` with a message.
Never another exception.

Short in the normal run, long with ``make fuzz`` (see fuzz_setup.py).
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import archive_factory as af
import pytest
from fuzz_setup import count, fuzz_settings, write_report
from hypothesis import example, given
from hypothesis import strategies as st

from kaleidoscope.check.archives import ArchiveError, Limits, open_archive
from kaleidoscope.check.archives.jsonstream import JsonArray, JsonStreamError

T0 = datetime(2021, 3, 1, tzinfo=UTC)
LIMITS = Limits(max_record_bytes=256 * 1024, max_depth=100)
_HOLE = "\u0000HOLE\u0000"

LINKEDIN_SHARES = (
    "\ufeffDate,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\r\n"
    '2023-04-01 09:15:00,https://l.example/1,"Proud of the ""Kinship"" team",,,PUBLIC\r\n'
    "2023-04-02 10:00:00,https://l.example/2,plain words,,,MEMBER_NETWORK\r\n"
)


def genuine(platform: str) -> dict[str, bytes]:
    if platform == "x":
        return af.x_files([af.Tweet("1", "home visit #sw", T0, hashtags=["sw"]),
                           af.Tweet("2", "a reply", T0, reply_to="bob", media=1)])
    if platform == "facebook":
        return af.facebook_files([[af.fb_post(1_600_000_000, "a day", place="Leeds"),
                                   af.fb_post(1_600_000_100, caption="a photo")]],
                                 [af.fb_comment(1_600_000_200, "agreed")])
    if platform == "instagram":
        return af.instagram_files([af.ig_post(1_600_000_000, "caption #tag")],
                                  [af.ig_comment(1_600_000_100, "nice")])
    if platform == "mastodon":
        return af.mastodon_files([af.toot(1, "<p>hello <b>world</b></p>", hashtags=["a"]),
                                  af.boost(2, "https://other.example/1")])
    if platform == "linkedin":
        return {"Shares.csv": LINKEDIN_SHARES.encode()}
    return {"repo.car": af.bluesky_car([("app.bsky.feed.post/1", af.bsky_post("hi #x")),
                                        ("app.bsky.feed.post/2", af.bsky_post("two"))])}


PLATFORMS = ["x", "facebook", "instagram", "mastodon", "linkedin", "bluesky"]

# --------------------------------------------------------------------------- strategies
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20),
                         st.floats(allow_nan=False, allow_infinity=False))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=10)


@st.composite
def hostile_text(draw: st.DrawFn) -> str:
    """Raw JSON text for one value: valid but hostile, or not valid at all."""
    kind = draw(st.sampled_from(["deep", "surrogate", "number", "string", "value",
                                 "broken", "empty_key"]))
    if kind == "deep":
        depth = draw(st.integers(50, 20_000))
        opener = draw(st.sampled_from(["[", '{"a":']))
        closer = "]" if opener == "[" else "}"
        return opener * depth + "1" + closer * depth
    if kind == "surrogate":
        unit = draw(st.sampled_from(["\\ud83d", "\\udc00", "\\uDBFF", "\\ud83d\\ud83d",
                                     "\\\\ud83d", "\\ud83d\\ude00"]))
        return json.dumps(draw(st.text(max_size=5)))[:-1] + unit + '"'
    if kind == "number":
        return draw(st.sampled_from(["1e999999", "-1e400", "1" * 5000, "-0", "0.0000e-99999",
                                     "123456789012345678901234567890.5e3", "1.", "01"]))
    if kind == "string":
        return json.dumps("x" * draw(st.integers(0, 300_000)))
    if kind == "broken":
        return draw(st.sampled_from(["[", "{", '"', "]", "}", ",", ":", "nul", "tru", "'a'",
                                     "NaN", "Infinity", "\\", '"\\u12"', "/*", "\x00"]))
    if kind == "empty_key":
        return '{"": {"": []}}'
    return json.dumps(draw(json_values))


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*path, i))


def _put(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    value[path[0]] = _put(value[path[0]], path[1:], new)
    return value


@st.composite
def damaged_json(draw: st.DrawFn, raw: bytes) -> bytes:
    """``raw`` (JSON, or a JavaScript assignment) with a hostile value somewhere in it."""
    text = raw.decode("utf-8")
    prefix = ""
    if text.lstrip()[:1] not in ("[", "{"):
        prefix, text = text[: text.index("=") + 1], text[text.index("=") + 1 :]
    data = json.loads(text)
    path = draw(st.sampled_from(list(_paths(data))))
    data = _put(data, path, _HOLE)
    out = (prefix + json.dumps(data)).replace(json.dumps(_HOLE), draw(hostile_text()))
    return out.encode("utf-8", "surrogatepass")


@st.composite
def damaged_bytes(draw: st.DrawFn, raw: bytes) -> bytes:
    op = draw(st.sampled_from(["cut", "flip", "insert", "bom", "utf16", "junk"]))
    if not raw or op == "junk":
        return draw(st.binary(max_size=200))
    at = draw(st.integers(0, len(raw)))
    if op == "cut":
        return raw[:at]
    if op == "flip":
        at = min(at, len(raw) - 1)
        return raw[:at] + bytes([raw[at] ^ draw(st.integers(1, 255))]) + raw[at + 1 :]
    if op == "insert":
        return raw[:at] + draw(st.binary(min_size=1, max_size=16)) + raw[at:]
    if op == "bom":
        return b"\xef\xbb\xbf" + raw
    return raw.decode("utf-8", "replace").encode("utf-16")


@st.composite
def damaged_export(draw: st.DrawFn, platform: str) -> tuple[str, dict[str, bytes], str]:
    files = genuine(platform)
    names = sorted(files)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(names))
        raw = files[name]
        is_json = name.endswith((".js", ".json"))
        if is_json and draw(st.booleans()):
            try:
                files[name] = draw(damaged_json(raw))
                continue
            except (ValueError, UnicodeDecodeError, RecursionError):
                pass  # already damaged beyond json.loads: damage its bytes instead
        files[name] = draw(damaged_bytes(raw))
    form = draw(st.sampled_from(["zip", "folder", "targz", "cut-zip", "cut-targz"]))
    return platform, files, form


# --------------------------------------------------------------------------- the rule
def read_all(platform: str, files: dict[str, bytes], form: str) -> None:
    count(platform)
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        root = Path(tmp)
        if form == "folder":
            path = af.write_folder(root / "export", files)
        elif form.endswith("zip"):
            path = af.write_zip(root / "export.zip", files)
        else:
            path = af.write_targz(root / "export.tar.gz", files)
        if form.startswith("cut"):
            data = path.read_bytes()
            path.write_bytes(data[: len(data) * 2 // 3])
        try:
            with open_archive(path, limits=LIMITS, scratch_root=root / "scratch") as archive:
                for post in archive.posts():
                    assert isinstance(post.text, str)
                    post.text.encode("utf-8")  # no lone surrogate reaches the checker
                    post.id.encode("utf-8")
                for reason in archive.skips.reasons:
                    assert reason.reason and reason.count >= 0
        except ArchiveError as exc:
            assert str(exc)  # a message for the person
        scratch = root / "scratch"
        assert not scratch.exists() or not any(scratch.iterdir())  # nothing left


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    write_report()


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_damaged_export_gives_posts_or_a_clear_error(platform: str) -> None:
    @fuzz_settings
    @given(st.data())
    def run(data: st.DataObject) -> None:
        read_all(*data.draw(damaged_export(platform)))

    run()


# Failing examples found while writing these targets, kept as regression cases.
@example(b'[{"a": "\\ud83d"}, {"b": 1}]', 1)  # a lone surrogate failed the whole file
@example(b"[" * 100_000 + b"]" * 100_000, 7)  # RecursionError
@example(b'[{"a": 1e999999}]', 3)  # yajl: numeric overflow
@example(b"[" + b"1" * 5000 + b"]", 64)  # int() digit limit
@example(b'[{"\xf4\x8f\xbf\xbf": null}]', 1)  # U+10FFFF taken for our own marker
@example(b'window.YTD.x.part0 = [{"a": "\\ud800\\udc00"}]', 1)  # a pair cut by a chunk
@fuzz_settings
@given(st.one_of(st.binary(max_size=300), hostile_text().map(lambda t: f"[{t}, 1]".encode(
    "utf-8", "surrogatepass"))), st.integers(1, 256))
def test_the_json_stream_gives_records_or_a_clear_error(raw: bytes, chunk: int) -> None:
    count("jsonstream")
    array = JsonArray(io.BytesIO(raw), chunk=chunk, max_record_bytes=64 * 1024, max_depth=50)
    try:
        for record in array:
            json.dumps(record, ensure_ascii=False).encode("utf-8")
    except JsonStreamError as exc:
        assert exc.line >= 1 and str(exc)
    for reason, number in array.skipped:
        assert reason and number >= 1
