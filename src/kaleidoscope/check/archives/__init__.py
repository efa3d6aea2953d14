"""Read a person's own posts out of a platform export, safely and as a stream.

    with open_archive(Path("twitter.zip")) as archive:
        archive.platform            # Platform.X
        for post in archive.posts():  # Post records, one at a time
            ...
        archive.skips.reasons       # what could not be read, counted by reason

Platforms are recognised by the END of entry paths (exports move their folders about).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from kaleidoscope.check.archives import (
    bluesky,
    facebook,
    instagram,
    linkedin,
    mastodon,
    x,
)
from kaleidoscope.check.archives.common import ReadContext, SkipReason, Skips, suffix_matcher
from kaleidoscope.check.archives.container import Container, EntrySkip, open_container
from kaleidoscope.check.archives.errors import (
    ArchiveError,
    NotAnArchiveError,
    TruncatedArchiveError,
    UnknownPlatformError,
    UnsafeArchiveError,
)
from kaleidoscope.check.archives.limits import Limits
from kaleidoscope.check.records import Platform, Post

__all__ = [
    "READERS",
    "Archive",
    "ArchiveError",
    "Limits",
    "NotAnArchiveError",
    "SkipReason",
    "Skips",
    "TruncatedArchiveError",
    "UnknownPlatformError",
    "UnsafeArchiveError",
    "detect_platform",
    "open_archive",
]

READERS: tuple[ModuleType, ...] = (x, facebook, instagram, linkedin, mastodon, bluesky)
_ALL_WANTED = suffix_matcher([p for r in READERS for p in r.WANTED])


def detect_platform(names: list[str]) -> ModuleType:
    """The reader whose marker files match the most entries; ``UnknownPlatformError`` if none."""
    best: tuple[int, ModuleType] | None = None
    for reader in READERS:
        match = suffix_matcher(reader.MARKERS)
        score = sum(1 for n in names if match(n))
        if score and (best is None or score > best[0]):
            best = (score, reader)
    if best is None:
        html = suffix_matcher([r"your_posts__check_ins__photos_and_videos_\d+\.html",
                               r"your_posts_\d+\.html", r"posts_\d+\.html",
                               r"comments\.html"])
        if any(html(n) for n in names):
            raise UnknownPlatformError(
                "this looks like a Facebook or Instagram export in HTML format, which cannot "
                "be read; download your information again and choose the JSON format"
            )
        looked = "; ".join(f"{r.LABEL}: {r.LOOKED_FOR}" for r in READERS)
        raise UnknownPlatformError(
            f"could not tell which platform this export comes from ({len(names)} files, "
            f"none matched). Looked for files ending in: {looked}"
        )
    return best[1]


class Archive:
    """An opened export: its platform, its posts (streamed) and what was skipped."""

    def __init__(
        self, path: Path, limits: Limits | None = None, scratch_root: Path | None = None
    ) -> None:
        self.path = path
        self.limits = limits or Limits()
        self.container: Container = open_container(
            path, self.limits, wanted=_ALL_WANTED, single=_ALL_WANTED, scratch_root=scratch_root
        )
        try:
            self.reader = detect_platform(self.container.names())
        except ArchiveError:
            self.container.close()
            raise
        self.skips = Skips()
        wanted = suffix_matcher(self.reader.WANTED)
        self.bytes_total = sum(s for n, s in self.container.sizes.items() if wanted(n))

    @property
    def platform(self) -> Platform:
        platform: Platform = self.reader.PLATFORM
        return platform

    @property
    def label(self) -> str:
        label: str = self.reader.LABEL
        return label

    @property
    def bytes_done(self) -> int:
        return self.container.budget.done

    def posts(self) -> Iterator[Post]:
        ctx = ReadContext(self.container, self.skips)
        try:
            posts: Iterator[Post] = self.reader.read(ctx)
            yield from posts
        except EntrySkip as exc:  # pragma: no cover - readers catch these per file
            self.skips.add(f"file skipped: {exc}")

    def close(self) -> None:
        self.container.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_archive(
    path: Path, *, limits: Limits | None = None, scratch_root: Path | None = None
) -> Archive:
    """Open a zip, tar.gz, folder or single export file; raise ``ArchiveError`` if unusable.

    A tar's entries are copied into a private folder under ``scratch_root`` (default: the
    data folder's temp area), deleted on ``close``."""
    return Archive(Path(path), limits, scratch_root)
