"""Stream the records of a JSON array one at a time, from a byte stream.

Handles the shapes exports use: a bare array, a JavaScript assignment
(``window.YTD.tweets.part0 = [...]``), and an object holding the array under a key
(``{"comments_v2": [...]}``).

The text is parsed once, by ijson's C backend (yajl2_c) fed chunk by chunk: the parser
keeps its state between chunks, so the time is linear in the input whatever the shape of
the records. Records are built here from the parser's events, which bounds them:

- a record nested deeper than ``max_depth`` or spanning more than ``max_record_bytes`` is
  read past without being built and reported in ``skipped`` (reason, record number);
- a record holding a lone UTF-16 surrogate (``"\\ud83d"`` without its pair: text no
  program can encode) is skipped the same way;
- a single value (one string) over ``max_record_bytes`` stops the file with
  ``JsonTooLargeError``: nothing after it can be reached without holding it whole.

Memory is one chunk, the parser's state and the record being built.
"""

from __future__ import annotations

import codecs
import re
from array import array
from collections.abc import Callable, Generator, Iterator
from decimal import Decimal
from itertools import accumulate
from typing import Any, BinaryIO

import ijson  # type: ignore[import-untyped]

try:  # the C backend: what the speed figures in docs/archives.md were measured with
    _BACKEND: Any = ijson.get_backend("yajl2_c")
except ImportError:  # pragma: no cover - a platform without ijson's wheels
    _BACKEND = ijson

BACKEND_NAME: str = getattr(_BACKEND, "backend_name", "python")
CHUNK = 256 * 1024
MIB = 1024 * 1024
MAX_RECORD_BYTES = 16 * MIB
MAX_DEPTH = 100
_WS = b" \t\r\n"
# A lone surrogate escape is rewritten to U+10FFFF U+10FFFE; a genuine U+10FFFF is
# doubled, so the two never mix (``_unmark`` undoes it).
_M = "\U0010ffff"
_MARK_ESCAPE = rb"\udbff\udfff\udbff\udffe"
_M_ESCAPE = rb"\udbff\udfff"
_M_UTF8 = _M.encode()
_UNMARK = re.compile(_M + "(.)", re.DOTALL)
# A \uXXXX surrogate escape preceded by an even number of backslashes (so a real escape),
# with the escape after it when that one is a low surrogate.
_SURROGATE = re.compile(
    rb"(?<!\\)((?:\\\\)*)\\u([dD][89a-fA-F][0-9a-fA-F]{2})(?:\\u([dD][c-fC-F][0-9a-fA-F]{2}))?"
)

TOO_DEEP = "record nested more than {depth} levels deep"
TOO_BIG = "record larger than {size}"
BROKEN_CHARACTER = "record holds a broken character (a lone UTF-16 surrogate such as \\ud83d)"


class JsonStreamError(ValueError):
    """The rest of the file cannot be read; ``line`` is where reading stopped."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class MalformedJsonError(JsonStreamError):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"malformed JSON near line {line}: {message}", line)


class JsonTooLargeError(JsonStreamError):
    def __init__(self, size: int, line: int) -> None:
        super().__init__(f"a single value over {_size(size)} near line {line}", line)


def _size(n: int) -> str:
    return f"{n // MIB} MiB" if n >= MIB else f"{n // 1024} KiB"


_HIGH = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}")
_ANY_HIGH = re.compile(rb"\\u[dD][89abAB]")
_ANY_LOW = re.compile(rb"\\u[dD][c-fC-F]")
_PAIR = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def _maybe_lone(data: bytes) -> bool:
    """Whether ``data`` may hold a lone surrogate escape (cheap: emoji written as escaped
    pairs are common; the exact, slower rewrite runs only when this says so)."""
    if b"\\\\u" in data:
        return True  # an escaped backslash before "u": let the exact pattern judge
    highs = len(_ANY_HIGH.findall(data))
    lows = len(_ANY_LOW.findall(data))
    if not highs and not lows:
        return False
    return not highs == lows == len(_PAIR.findall(data))


def _run_start(data: bytes, pos: int) -> int:
    """Where the run of backslashes holding ``data[pos]`` starts (within 64 bytes)."""
    while pos > 0 and data[pos - 1] == 0x5C and len(data) - pos < 64:
        pos -= 1
    return pos


def _mark_lone(match: re.Match[bytes]) -> bytes:
    lead, first, second = match.group(1), match.group(2), match.group(3)
    if second is not None and first[1:2].lower() in b"89ab":
        if first.lower() == b"dbff" and second.lower() == b"dfff":
            return lead + _M_ESCAPE + _M_ESCAPE  # a genuine U+10FFFF, doubled
        return match.group(0)  # a proper pair
    out = lead + _MARK_ESCAPE
    if second is not None:  # a low surrogate after a low one: lone as well
        out += _MARK_ESCAPE
    return out


class ByteFeed:
    """Bytes for the parser, chunk by chunk: BOM removed, UTF-16 turned into UTF-8, bad
    UTF-8 replaced (``replaced``), lone surrogate escapes marked, a JavaScript
    assignment's left-hand side dropped. Counts lines for error messages."""

    def __init__(self, stream: BinaryIO, chunk: int = CHUNK) -> None:
        self._stream = stream
        self._chunk = chunk
        self.replaced = False
        self.fed = 0  # bytes given to the parser so far
        self.line = 1  # line at which the last chunk given to the parser starts
        self._next_line = 1
        self._eof = False
        self._utf16: codecs.IncrementalDecoder | None = None
        self._lenient: codecs.IncrementalDecoder | None = None
        self._carry = b""  # an incomplete UTF-8 sequence at a chunk's end
        self._escape_carry = b""  # a backslash run cut at a chunk's end
        self._first = True
        self._pending = b""  # the start of the value, found by ``start``
        self.rewritten = False  # a lone surrogate was marked (or U+10FFFF doubled)
        self._started: bool | None = None

    # -- decoding -------------------------------------------------------------------------
    def _raw(self) -> bytes:
        """The next chunk as valid UTF-8 (b"" at the end)."""
        while True:
            data = self._stream.read(self._chunk)
            final = not data
            if self._first:
                self._first = False
                if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                    self._utf16 = codecs.getincrementaldecoder("utf-16")("replace")
                elif data.startswith(codecs.BOM_UTF8):
                    data = data[3:]
            if self._utf16 is not None:
                text = self._utf16.decode(data, final)
                if "\ufffd" in text:
                    self.replaced = True
                out = text.encode("utf-8")
            elif self._lenient is not None:
                out = self._lenient.decode(data, final).encode("utf-8")
            else:
                out = self._validate(self._carry + data, final)
            if out or final:
                if final:
                    self._eof = True
                return out

    def _validate(self, data: bytes, final: bool) -> bytes:
        self._carry = b""
        if data.isascii():
            return data
        try:
            data.decode("utf-8")
            return data
        except UnicodeDecodeError as exc:
            if not final and exc.reason == "unexpected end of data":
                self._carry = data[exc.start :]  # completed by the next chunk
                return data[: exc.start]
        self.replaced = True
        self._lenient = codecs.getincrementaldecoder("utf-8")("replace")
        return self._lenient.decode(data, final).encode("utf-8")

    def _escaped(self) -> bytes:
        """The next chunk with lone surrogate escapes marked (b"" at the end)."""
        data = self._escape_carry + self._raw()
        self._escape_carry = b""
        if not self._eof:
            # Hold back an escape that the next chunk may complete (or pair).
            cut = data.rfind(b"\\", max(0, len(data) - 12))
            if cut >= 0:
                cut = _run_start(data, cut)
                if _HIGH.fullmatch(data, max(0, cut - 6), cut):
                    cut = _run_start(data, cut - 6)
                self._escape_carry = data[cut:]
                data = data[:cut]
        if b"\\u" in data and _maybe_lone(data):
            marked = _SURROGATE.sub(_mark_lone, data)
            if marked != data:
                self.rewritten = True
                data = marked
        if _M_UTF8 in data:
            self.rewritten = True
            data = data.replace(_M_UTF8, _M_UTF8 + _M_UTF8)
        return data

    def _account(self, data: bytes) -> bytes:
        self.line = self._next_line
        self._next_line += data.count(b"\n")
        self.fed += len(data)
        return data

    def start(self) -> bool:
        """Move to the start of the JSON value; False for an empty (or blank) input.
        Calling it again gives the same answer without reading."""
        if self._started is None:
            self._started = self._start()
        return self._started

    def _start(self) -> bool:
        buf = b""
        while True:
            data = self._escaped()
            buf += data
            stripped = buf.lstrip(_WS)
            if stripped or self._eof:
                break
        skipped = len(buf) - len(stripped)
        self._next_line += buf.count(b"\n", 0, skipped)
        buf = stripped
        if not buf:
            return False
        if buf[:1] not in (b"[", b"{"):
            # a JavaScript assignment: what follows the first "="
            while (eq := buf.find(b"=")) < 0:
                if len(buf) > max(16 * self._chunk, MIB) or self._eof:
                    raise MalformedJsonError("no '=' before the data", self._next_line)
                buf += self._escaped()
            self._next_line += buf.count(b"\n", 0, eq + 1)
            buf = buf[eq + 1 :]
            while not buf.lstrip(_WS) and not self._eof:
                buf += self._escaped()
            stripped = buf.lstrip(_WS)
            self._next_line += buf.count(b"\n", 0, len(buf) - len(stripped))
            buf = stripped
            if not buf:
                return False
        self._pending = buf
        return True

    def head(self) -> bytes:
        """The first bytes of the value (after ``start``), not yet read."""
        return self._pending[:4096]

    def read(self) -> bytes:
        """The next chunk for the parser; b"" at the end."""
        pending = self._pending
        if pending:
            self._pending = b""
            return self._account(pending)
        while not self._eof:
            data = self._escaped()
            if data:
                return self._account(data)
        self.line = self._next_line
        return b""


_NOT_BRACKET = bytes(sorted(set(range(256)) - set(b"[]{}")))
_SIGNED = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_DIGITS = bytes.maketrans(bytes(range(256)), b" " * 48 + b"0" * 10 + b" " * 198)
LONG_NUMBER = 1000  # digits: Python refuses ints over 4,300 (and ijson's C code then breaks)
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_@$-]+")
_FIRST_KEY = re.compile(rb'\{\s*"([A-Za-z0-9_@$-]+)"\s*:\s*\[')


class _Shape:
    """Nesting depth and digit runs outside strings, chunk by chunk, with bytes methods
    only (no Python loop over the text): enough to know, before the C parser sees a
    chunk, that it stays shallow and holds no number Python cannot read."""

    def __init__(self) -> None:
        self.depth = 0
        self.in_string = False
        self.escaped_next = False  # the chunk ended on an odd run of backslashes
        self.digits = 0  # digits at the end of what was outside strings

    def check(self, data: bytes, max_depth: int) -> bool:
        if self.escaped_next and data:
            data, self.escaped_next = data[1:], False
        run = len(data) - len(data.rstrip(b"\\"))
        if run % 2:
            self.escaped_next = True
            data = data[:-1]
        if b"\\" in data:  # escapes live in strings: drop them, quotes then alternate
            data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
        parts = data.split(b'"')
        outside = b"".join(parts[1::2] if self.in_string else parts[0::2])
        if len(parts) % 2 == 0:
            self.in_string = not self.in_string
        brackets = outside.translate(None, _NOT_BRACKET).translate(_SIGNED)
        if brackets:
            peak = max(accumulate(array("b", brackets), initial=self.depth))
            self.depth += len(brackets) - 2 * brackets.count(0xFF)
            if peak > max_depth:
                return False
        digits = outside.translate(_DIGITS)
        if b"0" in digits:
            lead = len(digits) - len(digits.lstrip(b"0"))
            if lead == len(digits):
                self.digits += lead
            else:
                if self.digits + lead >= LONG_NUMBER or b"0" * LONG_NUMBER in digits:
                    return False
                self.digits = len(digits) - len(digits.rstrip(b"0"))
            if self.digits >= LONG_NUMBER:
                return False
        elif digits:
            self.digits = 0
        return True


class _Hostile(Exception):
    """The next chunk must not reach the fast pass."""


class _Guarded:
    """The feed as a file for ijson's C pipeline, stopping before a chunk that would take
    it too deep, hold a number Python cannot read, a marked surrogate, or a record over
    ``max_bytes``."""

    def __init__(self, feed: ByteFeed, max_depth: int, max_bytes: int) -> None:
        self.feed = feed
        self.shape = _Shape()
        self.max_depth = max_depth
        self.max_bytes = max_bytes
        self.last_record_at = 0
        self.too_big = False  # stopped because the record being read ran past max_bytes

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""
        data = self.feed.read()
        if self.feed.fed - self.last_record_at > self.max_bytes:
            self.too_big = True
            raise _Hostile()
        if self.feed.rewritten or not self.shape.check(data, self.max_depth):
            raise _Hostile()
        return data


# Modes of the record reader.
_SEEK, _BETWEEN, _BUILD, _SKIP = range(4)


class JsonArray:
    """Iterate the records; raise ``JsonStreamError`` (with a line) where reading stops.

    ``keys``: names under which an object holds its list; ``()`` means the first key of
    the top-level object. A top-level array is always accepted. Records that cannot be
    used are not yielded: see ``skipped``.
    """

    def __init__(
        self,
        stream: BinaryIO,
        *,
        keys: tuple[str, ...] = (),
        chunk: int = CHUNK,
        max_record_bytes: int = MAX_RECORD_BYTES,
        max_depth: int = MAX_DEPTH,
        whole: bool = False,
        reopen: Callable[[], BinaryIO] | None = None,
    ) -> None:
        self.text = ByteFeed(stream, chunk)
        self._stream = stream
        self._chunk = chunk
        self._keys = frozenset(keys)
        self._max_bytes = max_record_bytes
        self._max_depth = max_depth
        self._whole = whole
        self._reopen = reopen
        self.found_list = False
        self.records = 0  # records met, skipped ones included
        self.skipped: list[tuple[str, int]] = []  # (reason, record number from 1)
        self.passes = 0  # 1, or 2 when the fast pass handed over to the careful one
        self._too_big = 0  # the record the fast pass found too big (its number), if any

    def __iter__(self) -> Iterator[Any]:
        """The fast pass (ijson's C builder) while the input is plain; at the first sign of
        anything hostile (too deep, too big, a long number, a lone surrogate, a parse
        error) the careful pass reads the file again, past the records already given."""
        prefix = self._fast_prefix()
        done = 0
        if prefix is not None:
            self.passes = 1
            fast = self._fast(*prefix)
            while True:
                try:
                    record = next(fast)
                except StopIteration as stop:
                    if stop.value:
                        return
                    break
                done += 1
                yield record
            stream = self._again()
            if stream is None:
                raise MalformedJsonError("cannot read the file again", self.text.line)
            self.text = ByteFeed(stream, self._chunk)
            self.found_list, self.records = False, 0
        self.passes += 1
        try:
            yield from self._careful(done)
        finally:
            if self.text._stream is not self._stream:
                self.text._stream.close()

    def _again(self) -> BinaryIO | None:
        if self._reopen is not None:
            return self._reopen()
        if self._stream.seekable():
            self._stream.seek(0)
            return self._stream
        return None  # pragma: no cover - _fast_prefix checked this

    def _fast_prefix(self) -> tuple[str, int] | None:
        """(ijson prefix of the records, depth of the list) when the fast pass can run."""
        if self._whole or not (self._reopen is not None or self._stream.seekable()):
            return None
        if not self.text.start():
            return None  # empty: the careful pass says so in no time
        head = self.text.head()
        if head.startswith(b"["):
            return "item", 1
        if not head.startswith(b"{"):
            return None
        if not self._keys:
            first = _FIRST_KEY.match(head)
            return (first.group(1).decode() + ".item", 2) if first else None
        if len(self._keys) == 1:
            (key,) = self._keys
            if _PLAIN_KEY.fullmatch(key):
                return key + ".item", 2
        return None

    def _fast(self, prefix: str, base: int) -> Generator[Any, None, bool]:
        """Records built by ijson's C code; returns True when the file was read through,
        False (having yielded only good records) when the careful pass must take over."""
        guard = _Guarded(self.text, base + self._max_depth, self._max_bytes)
        count = 0
        try:
            for record in _BACKEND.items(guard, prefix, use_float=True):
                count += 1
                self.records += 1
                guard.last_record_at = self.text.fed
                yield record
        except Exception:  # _Hostile, or yajl's error: the careful pass says what and where
            # Inside the list, what follows the last record is the next record: if it ran
            # past the limit, the careful pass reads past it without building it.
            if guard.too_big and (base == 1 or count):
                self._too_big = count + 1
            return False
        self.found_list = count > 0 or base == 1
        return self.found_list  # a keyed list not found: the careful pass looks deeper

    def _careful(self, skip: int) -> Iterator[Any]:
        feed = self.text
        if not feed.start():
            return
        events: list[tuple[str, Any]] = ijson.sendable_list()
        parser = _BACKEND.basic_parse_coro(events)
        keys, whole = self._keys, self._whole
        max_depth, max_bytes = self._max_depth, self._max_bytes
        mode = _SEEK
        root_seen = pending_key = False
        seek_depth = 0
        # the record being built
        cur: Any = None
        key: Any = None
        in_map = False
        stack: list[tuple[Any, Any, bool]] = []
        bad = ""
        record_start = 0
        skip_depth = 0
        last_event_at = 0
        while True:
            before = feed.fed
            data = feed.read()
            error: Exception | None = None
            try:
                if data:
                    parser.send(data)
                else:
                    parser.close()
            except ijson.JSONError as exc:
                error = exc
            except Exception as exc:
                # An integer over Python's digit limit: ijson's C backend then leaves the
                # last event half made (its value must never be touched): drop it.
                error = exc
                if events and events[-1][0] == "number":
                    del events[-1]
            if events:
                last_event_at = feed.fed
            for ev, val in events:
                if mode == _BUILD:
                    if ev == "map_key":
                        key = val
                        if not val.isascii() and _M in val:
                            key, broken = _unmark(val)
                            bad = bad or broken
                        continue
                    if ev == "start_map" or ev == "start_array":
                        new: Any = {} if ev == "start_map" else []
                        if in_map:
                            cur[key] = new
                        else:
                            cur.append(new)
                        stack.append((cur, key, in_map))
                        cur, in_map = new, ev == "start_map"
                        if len(stack) >= max_depth:
                            mode, skip_depth = _SKIP, len(stack) + 1
                            bad = TOO_DEEP.format(depth=max_depth)
                            cur, stack = None, []
                        continue
                    if ev == "end_map" or ev == "end_array":
                        if stack:
                            cur, key, in_map = stack.pop()
                            continue
                        record, cur, mode = cur, None, _BETWEEN
                        if self.records <= skip:
                            continue  # given by the fast pass
                        if bad:
                            self.skipped.append((bad, self.records))
                            if whole:
                                raise JsonStreamError(bad, feed.line)
                        else:
                            yield record
                            if whole:
                                return
                        continue
                    if ev == "string":
                        if not val.isascii() and _M in val:
                            val, broken = _unmark(val)
                            bad = bad or broken
                    elif ev == "number" and val.__class__ is Decimal:
                        val = float(val)
                    if in_map:
                        cur[key] = val
                    else:
                        cur.append(val)
                elif mode == _BETWEEN:
                    if ev == "end_array":
                        return  # the list is closed: what follows is not read
                    self.records += 1
                    if ev == "start_map" or ev == "start_array":
                        if self.records == self._too_big:  # known: read past, unbuilt
                            mode, skip_depth = _SKIP, 1
                            bad = TOO_BIG.format(size=_size(max_bytes))
                            continue
                        mode, bad, record_start = _BUILD, "", before
                        cur, in_map, stack = ({}, True, []) if ev == "start_map" else (
                            [], False, [])
                        continue
                    if ev == "string" and not val.isascii() and _M in val:
                        val, broken = _unmark(val)
                        if broken:
                            self.skipped.append((broken, self.records))
                            continue
                    if self.records > skip:
                        yield float(val) if val.__class__ is Decimal else val
                elif mode == _SKIP:
                    if ev == "start_map" or ev == "start_array":
                        skip_depth += 1
                    elif ev == "end_map" or ev == "end_array":
                        skip_depth -= 1
                        if skip_depth == 0:
                            mode = _BETWEEN
                            self.skipped.append((bad, self.records))
                            if whole:
                                raise JsonStreamError(bad, feed.line)
                else:  # _SEEK: looking for the list of records
                    if not root_seen:
                        root_seen = True
                        if whole:
                            self.found_list = True
                            mode = _BETWEEN
                            self.records += 1
                            if ev == "start_map" or ev == "start_array":
                                mode, bad, record_start = _BUILD, "", before
                                cur, in_map, stack = ({}, True, []) if ev == "start_map" else (
                                    [], False, [])
                                continue
                            yield float(val) if val.__class__ is Decimal else val
                            return
                        if ev == "start_array":
                            mode = _BETWEEN
                            self.found_list = True
                        elif ev == "start_map":
                            seek_depth = 1
                        else:
                            raise MalformedJsonError("expected '[' or '{'", feed.line)
                        continue
                    if pending_key:
                        pending_key = False
                        if ev == "start_array":
                            mode = _BETWEEN
                            self.found_list = True
                            continue
                        if not keys:
                            return  # the first key does not hold a list
                    if ev == "map_key":
                        pending_key = not keys or val in keys
                    elif ev == "start_map" or ev == "start_array":
                        seek_depth += 1
                    elif ev == "end_map" or ev == "end_array":
                        seek_depth -= 1
                        if seek_depth == 0:
                            return  # the whole document, and no list in it
            del events[:]
            if error is not None:
                raise _stream_error(error, feed.line) from None
            if not data:
                if mode != _SEEK or self.found_list:
                    raise MalformedJsonError("the list is not closed", feed.line)
                return
            if mode == _BUILD and feed.fed - record_start > max_bytes:
                mode, skip_depth = _SKIP, len(stack) + 1
                bad = TOO_BIG.format(size=_size(max_bytes))
                cur, stack = None, []
            if feed.fed - last_event_at > max_bytes:
                raise JsonTooLargeError(max_bytes, feed.line)


def _unmark(value: str) -> tuple[str, str]:
    """Undo the feed's marking: (the text, BROKEN_CHARACTER or "")."""
    broken = ""

    def one(match: re.Match[str]) -> str:
        nonlocal broken
        if match.group(1) == _M:
            return _M
        broken = BROKEN_CHARACTER
        return "\ufffd"

    return _UNMARK.sub(one, value), broken


def _stream_error(exc: Exception, line: int) -> JsonStreamError:
    if isinstance(exc, ijson.JSONError):
        # yajl's first line is generic; the lines after it quote the input: never shown.
        first = str(exc).split("\n", 1)[0].strip()
        first = first.removeprefix("parse error: ").removeprefix("lexical error: ")
        return MalformedJsonError(first or "unreadable JSON", line)
    if isinstance(exc, UnicodeDecodeError):
        return MalformedJsonError("a broken character escape", line)
    if isinstance(exc, (ValueError, SystemError)):  # an integer of thousands of digits
        return MalformedJsonError("a number too long to read", line)
    return MalformedJsonError(f"unreadable JSON ({type(exc).__name__})", line)


def load_value(
    stream: BinaryIO,
    *,
    chunk: int = CHUNK,
    max_bytes: int = MAX_RECORD_BYTES,
    max_depth: int = MAX_DEPTH,
) -> Any:
    """A whole (small) JSON document, or a JavaScript assignment's value; None if empty.

    Raises ``JsonStreamError`` when it is malformed, too deep or too big."""
    reader = JsonArray(stream, chunk=chunk, max_record_bytes=max_bytes, max_depth=max_depth,
                       whole=True)
    for value in reader:
        return value
    return None
