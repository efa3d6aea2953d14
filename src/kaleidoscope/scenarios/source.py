"""Read a YAML file into plain data while remembering where every key and value sits.

PyYAML's C composer gives a node tree with marks; we build the Python values ourselves
so that duplicate keys are caught (PyYAML would silently keep the last one) and every
path into the data maps back to a line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

try:  # the C composer is ~10x faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from kaleidoscope.diagnostics import Diagnostic

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 2_000_000  # guards against alias ("billion laughs") expansion

PathKey = tuple[str | int, ...]


@dataclass(slots=True)
class Positions:
    """Where each path's value (and, for mapping entries, its key) starts: (line, col)."""

    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        """The position of ``path`` or of its nearest ancestor that has one."""
        table = self.keys if key else self.values
        for end in range(len(path), -1, -1):
            found = table.get(path[:end]) or self.values.get(path[:end])
            if found:
                return found
        return (1, 1)


@dataclass(slots=True)
class Document:
    path: str
    data: Any
    positions: Positions
    duplicates: list[tuple[PathKey, str, tuple[int, int], tuple[int, int]]]


class SourceError(Exception):
    """The file could not be read as YAML at all."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self) -> None:
        self.positions = Positions()
        self.duplicates: list[tuple[PathKey, str, tuple[int, int], tuple[int, int]]] = []
        self._scalars = SafeConstructor()
        self._count = 0

    def build(self, node: yaml.Node, path: PathKey, active: frozenset[int]) -> Any:
        self._count += 1
        if self._count > MAX_NODES:
            raise ValueError("the document expands to too many values (aliases?)")
        self.positions.values[path] = _mark(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalars.construct_object(node, deep=True)
        if id(node) in active:
            raise ValueError("the document refers to itself through an alias")
        inner = active | {id(node)}
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), inner) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, (*path, "<key>"), inner)
                if not isinstance(key, str | int | float | bool) and key is not None:
                    key = str(key)
                child: PathKey = (*path, key if isinstance(key, str | int) else str(key))
                if key in result:
                    self.duplicates.append(
                        (child, str(key), self.positions.keys[child], _mark(key_node))
                    )
                self.positions.keys[child] = _mark(key_node)
                result[key] = self.build(value_node, child, inner)
            self.positions.values.pop((*path, "<key>"), None)
            return result
        raise ValueError(f"unsupported YAML node {type(node).__name__}")  # pragma: no cover


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
                f"file is {size / 1_048_576:.1f} MB; the limit is {max_bytes // 1_048_576} MB",
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


def parse_yaml(text: str, display: str) -> Document:
    """Parse one YAML document, keeping positions; SourceError if it is not YAML."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "syntax error"
        raise SourceError(
            Diagnostic(display, line, column, "E104", f"malformed YAML: {problem}")
        ) from None
    except yaml.YAMLError as exc:
        raise SourceError(Diagnostic(display, 0, 0, "E104", f"malformed YAML: {exc}")) from None
    if root is None:
        raise SourceError(Diagnostic(display, 1, 1, "E102", "file is empty")) from None
    builder = _Builder()
    try:
        data = builder.build(root, (), frozenset())
    except (ValueError, yaml.YAMLError) as exc:
        line, column = _mark(root)
        raise SourceError(
            Diagnostic(display, line, column, "E104", f"malformed YAML: {exc}")
        ) from None
    return Document(display, data, builder.positions, builder.duplicates)


def load_yaml(path: Path, display: str | None = None) -> Document:
    shown = display if display is not None else str(path)
    return parse_yaml(read_text(path, shown), shown)
