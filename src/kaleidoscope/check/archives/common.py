"""Shared helpers for the platform readers: skip counting, text repair, dates, file access."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kaleidoscope.check.archives.container import Container, EntrySkip
from kaleidoscope.check.archives.jsonstream import JsonArray, JsonStreamError, load_value

MAX_EXAMPLES = 3


@dataclass(slots=True)
class SkipReason:
    reason: str
    count: int = 0
    examples: list[str] = field(default_factory=list)  # where: "file record N", never content


class Skips:
    """Records and files that could not be read, counted by reason (no content kept)."""

    def __init__(self) -> None:
        self._by_reason: dict[str, SkipReason] = {}

    def add(self, reason: str, where: str = "", count: int = 1) -> None:
        entry = self._by_reason.setdefault(reason, SkipReason(reason))
        entry.count += count
        if where and len(entry.examples) < MAX_EXAMPLES:
            entry.examples.append(where)

    @property
    def reasons(self) -> list[SkipReason]:
        return sorted(self._by_reason.values(), key=lambda r: (-r.count, r.reason))

    @property
    def total(self) -> int:
        return sum(r.count for r in self._by_reason.values())


def repair(text: str) -> str:
    """Undo Meta's encoding defect: UTF-8 bytes written as \\u00XX escapes ("Ã©" -> "é")."""
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text


def repair_tree(value: Any) -> Any:
    """``repair`` applied to every string (keys too) of a parsed JSON value."""
    if isinstance(value, str):
        return repair(value)
    if isinstance(value, list):
        return [repair_tree(v) for v in value]
    if isinstance(value, dict):
        return {repair(k) if isinstance(k, str) else k: repair_tree(v) for k, v in value.items()}
    return value


def unescape(text: str) -> str:
    return html.unescape(text) if "&" in text else text


def from_unix(value: Any) -> datetime | None:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    if not 0 < seconds < 32503680000:  # before year 3000
        return None
    return datetime.fromtimestamp(seconds, UTC)


def from_iso(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def suffix_matcher(patterns: Sequence[str]) -> Callable[[str], bool]:
    """True when a (lower-cased) entry name ends with one of the path patterns (regex)."""
    regex = re.compile(r"(?:^|/)(?:" + "|".join(patterns) + r")$")
    return lambda name: regex.search(name.lower()) is not None


_NUM = re.compile(r"(\d+)")


def natural_key(name: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in _NUM.split(name)]


class ReadContext:
    """What a platform reader gets: the container, the skip counter, file helpers."""

    def __init__(self, container: Container, skips: Skips) -> None:
        self.container = container
        self.skips = skips

    def find(self, *patterns: str) -> list[str]:
        match = suffix_matcher(patterns)
        return sorted((n for n in self.container.names() if match(n)), key=natural_key)

    def records(self, name: str, *, keys: tuple[str, ...] = ()) -> Iterator[Any]:
        """Stream the records of a JSON list in ``name``; problems become skip reasons.

        A record too big, too deep or holding a broken character is skipped and counted;
        malformed JSON stops the file (the records before it are kept)."""
        limits = self.container.limits
        array: JsonArray | None = None
        try:
            with self.container.open(name) as stream:
                array = JsonArray(stream, keys=keys, max_record_bytes=limits.max_record_bytes,
                                  max_depth=limits.max_depth,
                                  reopen=lambda: self.container.open(name))
                yield from array
        except JsonStreamError as exc:
            self.skips.add(f"{exc}; the rest of the file was skipped", name)
        except EntrySkip as exc:
            self.skips.add(f"file skipped: {exc}", name)
        finally:
            if array is not None:
                for reason, number in array.skipped:
                    self.skips.add(reason, f"{name} record {number}")
                if array.text.replaced:
                    self.skips.add("file is not valid UTF-8: bad bytes replaced", name, 0)

    def load_json(self, name: str) -> Any:
        """A whole (small) JSON file, or None with a skip reason."""
        limits = self.container.limits
        try:
            with self.container.open(name) as stream:
                return load_value(stream, max_bytes=limits.max_record_bytes,
                                  max_depth=limits.max_depth)
        except JsonStreamError as exc:
            self.skips.add(f"file skipped: {exc}", name)
        except EntrySkip as exc:
            self.skips.add(f"file skipped: {exc}", name)
        return None

    def csv_rows(
        self, name: str, *, escapechar: str | None = None
    ) -> Iterator[tuple[int, dict[str, str]]]:
        """(line, row) with lower-cased header names; UTF-8 (BOM or not), else Windows-1252."""
        progress = [0]  # last line handled: a second pass resumes after it
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                yield from self._csv_pass(name, encoding, escapechar, progress)
                return
            except UnicodeDecodeError:
                self.skips.add("file is not UTF-8: read as Windows-1252", name, 0)
            except EntrySkip as exc:
                self.skips.add(f"file skipped: {exc}", name)
                return

    def _csv_pass(
        self, name: str, encoding: str, escapechar: str | None, progress: list[int]
    ) -> Iterator[tuple[int, dict[str, str]]]:
        resume = progress[0]
        with self.container.open(name) as stream:
            text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
            reader = csv.reader(text, escapechar=escapechar, doublequote=True, strict=False)
            header: list[str] | None = None
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    if reader.line_num > resume:
                        progress[0] = reader.line_num
                        self.skips.add(f"malformed CSV row ({exc})",
                                       f"{name} line {reader.line_num}")
                    continue
                if header is None:
                    header = [h.strip().lstrip("\ufeff").lower() for h in row]
                    continue
                if reader.line_num <= resume or not any(cell.strip() for cell in row):
                    continue
                progress[0] = reader.line_num
                if len(row) != len(header):
                    self.skips.add(
                        f"malformed CSV row: {len(row)} fields where the header has "
                        f"{len(header)}",
                        f"{name} line {reader.line_num}",
                    )
                    continue
                yield reader.line_num, dict(zip(header, row, strict=True))
