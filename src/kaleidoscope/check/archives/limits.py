"""Safety limits applied while reading an archive (all configurable)."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024
GIB = 1024 * MIB


@dataclass(frozen=True, slots=True)
class Limits:
    # One entry over this is skipped with a reason (JSON of a few hundred MB is realistic).
    max_entry_bytes: int = 768 * MIB
    # Uncompressed bytes actually read from all entries together.
    max_total_bytes: int = 4 * GIB
    # Declared uncompressed size of the whole container (media included).
    max_declared_bytes: int = 200 * GIB
    # Uncompressed/compressed ratio of one entry, checked for entries over ratio_floor_bytes.
    max_ratio: float = 200.0
    ratio_floor_bytes: int = 1 * MIB
    # Entries in a container, and the size of a zip's list of entries (its central
    # directory): both checked before the list is read (zipfile holds ~500 bytes an entry).
    max_entries: int = 200_000
    max_directory_bytes: int = 64 * MIB
    # Bluesky repo.car is decoded whole: it gets its own, smaller limit.
    max_car_bytes: int = 512 * MIB
    # One JSON record (a tweet, a post): bigger or deeper ones are skipped and counted.
    max_record_bytes: int = 16 * MIB
    max_depth: int = 100
