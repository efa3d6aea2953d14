"""Read a YAML file into plain data while remembering where every key and value sits.

PyYAML's C composer gives a node tree with marks; we build the Python values ourselves
so that duplicate keys are caught (PyYAML would silently keep the last one) and every
path into the data maps back to a line and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

try:  # the C parser is ~10x faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _Loader
    from yaml._yaml import CParser as _CParser

    _C_PARSER: Any = _CParser
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    _C_PARSER = None

from kaleidoscope.diagnostics import Diagnostic

# The one size limit for every story file Kaleidoscope reads: scenario YAML, Twee, Twine
# HTML, and uploads in the browser.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 1_000_000  # guards against alias ("billion laughs") expansion

PathKey = tuple[str | int, ...]


class Positions:
    """Where each path's value (and, for mapping entries, its key) starts: (line, col).

    Made from a file's text, the tables are filled on first use (a second, position-
    keeping read of the text): a file with nothing to report never needs them.
    """

    __slots__ = ("_keys", "_text", "_values")

    def __init__(
        self,
        values: dict[PathKey, tuple[int, int]] | None = None,
        keys: dict[PathKey, tuple[int, int]] | None = None,
        *,
        text: str | None = None,
    ) -> None:
        self._values = {} if values is None else values
        self._keys = {} if keys is None else keys
        self._text = text

    def _fill(self) -> None:
        text = self._text
        if text is not None:  # read once already, so it reads again
            self._values, self._keys = _read_fully(text, "")[1:3]
            self._text = None  # last: a thread that looks meanwhile reads for itself

    @property
    def values(self) -> dict[PathKey, tuple[int, int]]:
        self._fill()
        return self._values

    @property
    def keys(self) -> dict[PathKey, tuple[int, int]]:
        self._fill()
        return self._keys

    def locate(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        """The position of ``path`` or of its nearest ancestor that has one."""
        self._fill()
        table = self._keys if key else self._values
        values = self._values
        for end in range(len(path), -1, -1):
            found = table.get(path[:end]) or values.get(path[:end])
            if found:
                return found
        return (1, 1)


@dataclass(slots=True)
class Document:
    path: str
    data: Any
    positions: Positions
    duplicates: list[tuple[PathKey, str, tuple[int, int], tuple[int, int]]]
    text: str = ""  # the file as read, for checks on its comments (Twine layout lines)


class SourceError(Exception):
    """The file could not be read as YAML at all."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


def _pos(event: yaml.Event) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


_RESOLVER = Resolver()
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FIRST_CHARS = frozenset(
    ch for ch, resolvers in Resolver.yaml_implicit_resolvers.items() if ch is not None
)


class _Reader:
    """Plain Python values from parser events (the part both readers share).

    Working from events skips PyYAML's node tree, the slow part on large files. Plain
    scalars go through PyYAML's own resolver only when their first character could start
    a non-string (a number, a boolean, null, a date), so values are the same as
    ``yaml.safe_load`` would give.
    """

    def __init__(self) -> None:
        self._constructor: SafeConstructor | None = None
        self._count = 0

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        value: str = event.value
        plain = event.implicit[0]
        if plain and not event.style:
            if value and value[0] not in _FIRST_CHARS:  # most text: a string at once
                return value
            if _DECIMAL.fullmatch(value):  # effects, minutes: what the resolver would say
                return int(value)
        else:
            given = event.tag
            if given is not None and given != "!" and not plain:
                return self._construct(given, event)
            return value  # quoted or block scalars are always strings
        tag: str = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        if tag == "tag:yaml.org,2002:str":
            return value
        return self._construct(tag, event)

    def _construct(self, tag: str, event: yaml.ScalarEvent) -> Any:
        if self._constructor is None:
            self._constructor = SafeConstructor()
        node = yaml.ScalarNode(tag, event.value, style=event.style)
        node.start_mark = event.start_mark
        return self._constructor.construct_object(node, deep=True)


class _Slow(Exception):
    """What the quick reader leaves to the full one: anchors, duplicate keys, limits."""


class _Quick(_Reader):
    """The document's value without positions, for the common case: no anchors or
    aliases, no duplicate or complex keys. Anything else raises, and the full reader
    (which reports it) reads the text again."""

    def __init__(self, get: Callable[[], yaml.Event]) -> None:
        super().__init__()
        self._get = get

    def value(self, event: yaml.Event) -> Any:
        kind = type(event)
        if event.anchor is not None:  # type: ignore[attr-defined]
            raise _Slow
        if kind is yaml.ScalarEvent:
            self._count += 1
            return self._scalar(event)  # type: ignore[arg-type]
        self._count += 1
        if self._count > MAX_NODES:
            raise _Slow
        if kind is yaml.MappingStartEvent:
            return self._mapping()
        if kind is yaml.SequenceStartEvent:
            return self._sequence()
        raise _Slow  # an alias

    def _sequence(self) -> list[Any]:
        items: list[Any] = []
        get, scalar, first_chars = self._get, self._scalar, _FIRST_CHARS
        item = get()
        while type(item) is not yaml.SequenceEndEvent:
            if type(item) is yaml.ScalarEvent and item.anchor is None:
                self._count += 1
                text = item.value  # _scalar's first case, inline: plain text
                if item.implicit[0] and not item.style and text and text[0] not in first_chars:
                    items.append(text)
                else:
                    items.append(scalar(item))
            else:
                items.append(self.value(item))
            item = get()
        return items

    def _mapping(self) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        get, scalar, first_chars = self._get, self._scalar, _FIRST_CHARS
        key_event = get()
        while type(key_event) is not yaml.MappingEndEvent:
            if type(key_event) is not yaml.ScalarEvent or key_event.anchor is not None:
                raise _Slow
            self._count += 1
            key = key_event.value  # _scalar's first case, inline: plain text
            if not (
                key_event.implicit[0] and not key_event.style and key and key[0] not in first_chars
            ):
                key = scalar(key_event)
            if key in result:
                raise _Slow
            event = get()
            if type(event) is yaml.ScalarEvent and event.anchor is None:
                self._count += 1
                text = event.value
                if event.implicit[0] and not event.style and text and text[0] not in first_chars:
                    result[key] = text
                else:
                    result[key] = scalar(event)
            else:
                result[key] = self.value(event)
            key_event = get()
        return result


class _Builder(_Reader):
    """Build the values recording positions as we go, and duplicate keys."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[PathKey, tuple[int, int]] = {}
        self.keys: dict[PathKey, tuple[int, int]] = {}
        self.duplicates: list[tuple[PathKey, str, tuple[int, int], tuple[int, int]]] = []
        self._anchors: dict[str, tuple[Any, int]] = {}

    def _grow(self, amount: int) -> None:
        self._count += amount
        if self._count > MAX_NODES:
            raise ValueError("the document expands to too many values (aliases?)")

    def build(self, get: Callable[[], yaml.Event]) -> Any:
        """Consume one document's events (after DocumentStart) and return its value."""
        return self._value(get(), get, ())

    def _value(self, event: yaml.Event, get: Callable[[], yaml.Event], path: PathKey) -> Any:
        mark = event.start_mark
        self.values[path] = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        kind = type(event)
        if kind is yaml.ScalarEvent:
            self._count += 1
            value = self._scalar(event)  # type: ignore[arg-type]
            if event.anchor:  # type: ignore[attr-defined]
                self._anchors[event.anchor] = (value, 1)  # type: ignore[attr-defined]
            return value
        if kind is yaml.AliasEvent:
            anchor = event.anchor  # type: ignore[attr-defined]
            if anchor not in self._anchors:
                raise ValueError(f"alias '*{anchor}' refers to an unknown or open anchor")
            value, size = self._anchors[anchor]
            self._grow(size)
            return value
        before = self._count
        self._grow(1)
        if kind is yaml.SequenceStartEvent:
            items: list[Any] = []
            item = get()
            while type(item) is not yaml.SequenceEndEvent:
                items.append(self._value(item, get, (*path, len(items))))
                item = get()
            value = items
        elif kind is yaml.MappingStartEvent:
            value = self._mapping(get, path)
        else:  # pragma: no cover - the parser guarantees a node here
            raise ValueError(f"unexpected {kind.__name__}")
        if event.anchor:  # type: ignore[attr-defined]
            self._anchors[event.anchor] = (value, self._count - before)  # type: ignore[attr-defined]
        return value

    def _mapping(self, get: Callable[[], yaml.Event], path: PathKey) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        keys = self.keys
        values = self.values
        key_event = get()
        while type(key_event) is not yaml.MappingEndEvent:
            if type(key_event) is yaml.ScalarEvent:
                self._count += 1
                key = self._scalar(key_event)
            else:
                key = self._value(key_event, get, (*path, "<key>"))
                self.values.pop((*path, "<key>"), None)
            if isinstance(key, list | dict):
                raise ValueError("a mapping key must be a simple value")
            child: PathKey = (*path, key if isinstance(key, str | int) else str(key))
            here = _pos(key_event)
            if key in result:  # keep the first; report the second where it stands
                self.duplicates.append((child, str(key), keys[child], here))
                self._value(get(), get, (*path, "<duplicate>"))
            else:
                keys[child] = here
                value_event = get()
                if type(value_event) is yaml.ScalarEvent and value_event.anchor is None:
                    # The common case, inlined: a scalar value with no anchor.
                    mark = value_event.start_mark
                    values[child] = (mark.line + 1, mark.column + 1) if mark else (0, 0)
                    self._count += 1
                    result[key] = self._scalar(value_event)
                else:
                    result[key] = self._value(value_event, get, child)
            key_event = get()
        return result


def _event_source(text: str) -> Callable[[], yaml.Event]:
    """A function returning the next parser event (the C parser where available)."""
    if _C_PARSER is not None:
        get: Callable[[], yaml.Event] = _C_PARSER(text).get_event
        return get
    return iter(yaml.parse(text, Loader=_Loader)).__next__  # pragma: no cover


def size_text(size: int) -> str:
    """A size for people, exact enough that it never reads as equal to the limit."""
    return f"{size / 1_048_576:.2f} MB ({size:,} bytes)"


def limit_text(max_bytes: int = MAX_FILE_BYTES) -> str:
    return f"{max_bytes / 1_048_576:g} MB ({max_bytes:,} bytes)"


def too_large_message(size: int, max_bytes: int = MAX_FILE_BYTES) -> str:
    return f"file is {size_text(size)}; the limit is {limit_text(max_bytes)}"


def read_text(path: Path, display: str, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The file's text, or a SourceError naming what is wrong with it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(
            Diagnostic(display, 0, 0, "E101", f"cannot read file: {exc.strerror}")
        ) from None
    if size > max_bytes:
        raise SourceError(
            Diagnostic(
                display,
                0,
                0,
                "E103",
                too_large_message(size, max_bytes),
            )
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError(
            Diagnostic(
                display,
                line,
                column,
                "E101",
                f"file is not UTF-8 (byte 0x{raw[exc.start]:02x} cannot be decoded)",
            )
        ) from None
    return text.removeprefix("\ufeff")


def _read_quickly(text: str) -> Any:
    """The one document's value, or an exception wherever the full reader must look."""
    get = _event_source(text)
    get()  # StreamStart
    if type(get()) is not yaml.DocumentStartEvent:
        raise _Slow
    data = _Quick(get).value(get())
    get()  # DocumentEnd
    if type(get()) is not yaml.StreamEndEvent:
        raise _Slow
    return data


def read_values(text: str) -> Any:
    """The value of a one-document YAML text with no anchors, aliases or duplicate keys,
    as :func:`parse_yaml` reads it (positions aside); raises on anything else."""
    return _read_quickly(text)


def _read_fully(
    text: str, display: str
) -> tuple[
    Any,
    dict[PathKey, tuple[int, int]],
    dict[PathKey, tuple[int, int]],
    list[tuple[PathKey, str, tuple[int, int], tuple[int, int]]],
]:
    """(data, value positions, key positions, duplicates); SourceError if not YAML."""
    builder = _Builder()
    try:
        get = _event_source(text)
        get()  # StreamStart
        first = get()
        if isinstance(first, yaml.StreamEndEvent):
            raise SourceError(Diagnostic(display, 1, 1, "E102", "file is empty"))
        data = builder.build(get)
        get()  # DocumentEnd
        extra = get()
        if not isinstance(extra, yaml.StreamEndEvent):
            line, column = _pos(extra)
            raise SourceError(
                Diagnostic(
                    display,
                    line,
                    column,
                    "E104",
                    "malformed YAML: more than one document in the file",
                )
            )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "syntax error"
        raise SourceError(
            Diagnostic(display, line, column, "E104", f"malformed YAML: {problem}")
        ) from None
    except (yaml.YAMLError, ValueError, StopIteration) as exc:
        raise SourceError(
            Diagnostic(display, 0, 0, "E104", f"malformed YAML: {exc or 'incomplete document'}")
        ) from None
    builder.values.pop(("<key>",), None)
    return data, builder.values, builder.keys, builder.duplicates


def parse_yaml(text: str, display: str) -> Document:
    """Parse one YAML document, keeping positions; SourceError if it is not YAML.

    A quick read without positions comes first; positions are read when first asked
    for. Whatever the quick read does not handle (or any problem) is read in full at
    once, which reports it.
    """
    try:
        data = _read_quickly(text)
    except Exception:  # the full read below gives the same result, or the report
        pass
    else:
        return Document(display, data, Positions(text=text), [], text)
    data, values, keys, duplicates = _read_fully(text, display)
    return Document(display, data, Positions(values, keys), duplicates, text)


def load_yaml(path: Path, display: str | None = None) -> Document:
    shown = display if display is not None else str(path)
    return parse_yaml(read_text(path, shown), shown)
