"""Stream the records of a JSON array one at a time, from a byte stream.

Handles the shapes exports use: a bare array, a JavaScript assignment
(``window.YTD.tweets.part0 = [...]``), and an object holding the array under a key
(``{"comments_v2": [...]}``). Only one chunk plus one record is held at a time.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

CHUNK = 256 * 1024
_WS = re.compile(r"[ \t\r\n]*")
_FIRST_KEY_LIST = re.compile(r'\{\s*"((?:[^"\\]|\\.)*)"\s*:\s*\[')
_DECODER = json.JSONDecoder()


class MalformedJsonError(ValueError):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"malformed JSON at line {line}: {message}")
        self.line = line


class TextChunks:
    """Bytes to text, chunk by chunk: BOM removed, UTF-16 recognised, bad UTF-8 replaced."""

    def __init__(self, stream: BinaryIO, chunk: int = CHUNK) -> None:
        self._stream = stream
        self._chunk = chunk
        self.replaced = False
        self._decoder: codecs.IncrementalDecoder | None = None

    def read(self) -> str:
        """The next piece of text; "" only at the end of the stream."""
        while True:
            text, final = self._read_once()
            if text or final:
                return text

    def _read_once(self) -> tuple[str, bool]:
        data = self._stream.read(self._chunk)
        if self._decoder is None:
            encoding = "utf-8-sig"
            if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                encoding = "utf-16"
            self._decoder = codecs.getincrementaldecoder(encoding)("strict")
        final = not data
        pending = self._decoder.getstate()[0]
        try:
            return self._decoder.decode(data, final), final
        except UnicodeDecodeError:
            self.replaced = True
            self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
            return self._decoder.decode(pending + data, final), final


class JsonArray:
    """Iterate the records; raise ``MalformedJsonError`` (with a line) at broken JSON.

    ``keys``: names under which an object holds its list; ``()`` means the first key of
    the top-level object. A top-level array is always accepted.
    """

    def __init__(self, stream: BinaryIO, *, keys: tuple[str, ...] = (), chunk: int = CHUNK) -> None:
        self.text = TextChunks(stream, chunk)
        self._keys = keys
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._lines = 0  # newlines in text already dropped from the buffer
        self.found_list = False

    def _fill(self) -> bool:
        if self._eof:
            return False
        chunk = self.text.read()
        if not chunk:
            self._eof = True
            return False
        self._lines += self._buf.count("\n", 0, self._pos)
        self._buf = self._buf[self._pos :] + chunk
        self._pos = 0
        return True

    def _line(self, pos: int) -> int:
        return self._lines + self._buf.count("\n", 0, pos) + 1

    def _skip_ws(self) -> bool:
        """Move past whitespace; False at the end of the input."""
        while True:
            m = _WS.match(self._buf, self._pos)
            self._pos = m.end() if m else self._pos
            if self._pos < len(self._buf):
                return True
            if not self._fill():
                return False

    def _start(self) -> bool:
        if not self._skip_ws():
            return False  # empty file: no records
        if self._buf[self._pos] not in "[{":
            # a JavaScript assignment: what follows the first "="
            while (eq := self._buf.find("=", self._pos)) < 0:
                if len(self._buf) > CHUNK * 16 or not self._fill():
                    raise MalformedJsonError("no '=' before the data", self._line(self._pos))
            self._pos = eq + 1
            if not self._skip_ws():
                return False
        if self._buf[self._pos] == "[":
            self._pos += 1
            return True
        if self._buf[self._pos] != "{":
            raise MalformedJsonError("expected '[' or '{'", self._line(self._pos))
        if not self._keys:
            while not (m := _FIRST_KEY_LIST.match(self._buf, self._pos)):
                if len(self._buf) - self._pos > 4096 or not self._fill():
                    return False  # not an object whose first value is a list
            self._pos = m.end()
            return True
        names = "|".join(re.escape(json.dumps(k)[1:-1]) for k in self._keys)
        pattern = re.compile(r'"(?:' + names + r')"\s*:\s*\[')
        keep = max(len(k) for k in self._keys) + 64
        while not (m := pattern.search(self._buf, self._pos)):
            self._pos = max(self._pos, len(self._buf) - keep)
            if not self._fill():
                return False
        self._pos = m.end()
        return True

    def __iter__(self) -> Iterator[Any]:
        if not self._start():
            return
        self.found_list = True
        while True:
            if not self._skip_ws():
                raise MalformedJsonError("the list is not closed", self._line(self._pos))
            if self._buf[self._pos] == "]":
                return
            try:
                record, end = _DECODER.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as exc:
                near_end = exc.pos >= len(self._buf) - 64 * 1024
                if (near_end or len(self._buf) - self._pos < 16 * CHUNK) and self._fill():
                    continue
                raise MalformedJsonError(exc.msg, self._line(exc.pos)) from None
            if end >= len(self._buf) and not self._eof and self._fill():
                continue  # a value cut at the chunk edge: decode again with more text
            self._pos = end
            yield record
            if not self._skip_ws():
                raise MalformedJsonError("the list is not closed", self._line(self._pos))
            c = self._buf[self._pos]
            if c == ",":
                self._pos += 1
            elif c != "]":
                raise MalformedJsonError(f"expected ',' or ']' but found {c!r}", self._line(
                    self._pos))
