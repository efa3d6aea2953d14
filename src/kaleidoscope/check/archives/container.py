"""Safe, streaming access to the files inside an export: zip, tar(.gz), folder or one file.

Nothing is extracted from a zip or a folder: entries are streamed in place. A tar stream
cannot be read out of order, so the few entries a reader may want are copied, in one pass,
into a TemporaryDirectory that is deleted when the container is closed.
"""

from __future__ import annotations

import io
import os
import re
import stat
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, cast

from kaleidoscope.check.archives.errors import (
    ArchiveError,
    NotAnArchiveError,
    TruncatedArchiveError,
    UnsafeArchiveError,
)
from kaleidoscope.check.archives.limits import MIB, Limits

_DRIVE = re.compile(r"^[A-Za-z]:")


class EntrySkip(Exception):
    """One entry cannot be read; the reason is counted and reading goes on."""


def safe_name(raw: str) -> str:
    """The entry name with forward slashes; refuse absolute names and ``..`` components."""
    name = raw.replace("\\", "/")
    if "\x00" in name:
        raise UnsafeArchiveError(f"refused: entry name {raw!r} contains a NUL byte")
    if name.startswith("/") or _DRIVE.match(name):
        raise UnsafeArchiveError(f"refused: entry {raw!r} has an absolute path")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise UnsafeArchiveError(f"refused: entry {raw!r} points outside the archive (..)")
    return "/".join(parts)


class Budget:
    """Bytes read so far, across entries: enforces the total limit and feeds progress."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.done = 0

    def spend(self, n: int) -> None:
        self.done += n
        if self.done > self.limits.max_total_bytes:
            raise UnsafeArchiveError(
                f"refused: more than {self.limits.max_total_bytes // MIB} MiB uncompressed "
                "would be read from this archive (limit max_total_bytes)"
            )


class LimitedReader(io.RawIOBase):
    """Counts what an entry yields; stops at the entry limit or beyond the declared size."""

    def __init__(
        self, raw: BinaryIO, *, name: str, declared: int | None, budget: Budget
    ) -> None:
        super().__init__()
        self._raw = raw
        self._name = name
        self._declared = declared
        self._budget = budget
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self._raw.read(len(buffer))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise EntrySkip(f"damaged entry ({type(exc).__name__}: {exc})") from None
        n = len(data)
        buffer[:n] = data
        self._count += n
        limit = self._budget.limits.max_entry_bytes
        if self._count > limit:
            raise EntrySkip(f"entry larger than the {limit // MIB} MiB limit (max_entry_bytes)")
        if self._declared is not None and self._count > self._declared:
            raise UnsafeArchiveError(
                f"refused: entry {self._name!r} expands beyond the size its header declares"
            )
        self._budget.spend(n)
        return n

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


class Container:
    """A set of named entries (forward-slash relative names) with their uncompressed sizes."""

    kind = "container"

    def __init__(self, label: str, limits: Limits) -> None:
        self.label = label
        self.limits = limits
        self.budget = Budget(limits)
        self.sizes: dict[str, int] = {}

    def names(self) -> list[str]:
        return list(self.sizes)

    def open(self, name: str) -> io.BufferedReader:
        size = self.sizes[name]
        if size > self.limits.max_entry_bytes:
            raise EntrySkip(
                f"entry of {size // MIB} MiB is over the {self.limits.max_entry_bytes // MIB} "
                "MiB limit (max_entry_bytes)"
            )
        raw = self._open_raw(name)
        return io.BufferedReader(
            LimitedReader(raw, name=name, declared=self._declared(name), budget=self.budget),
            buffer_size=1024 * 1024,
        )

    def _declared(self, name: str) -> int | None:
        return self.sizes[name]

    def _open_raw(self, name: str) -> BinaryIO:
        raise NotImplementedError

    def close(self) -> None:
        """Release files; delete anything extracted."""

    def __enter__(self) -> Container:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _add(self, name: str, size: int) -> None:
        if len(self.sizes) >= self.limits.max_entries:
            raise UnsafeArchiveError(
                f"refused: more than {self.limits.max_entries} entries (limit max_entries)"
            )
        self.sizes[name] = size


class ZipContainer(Container):
    kind = "zip"

    def __init__(self, path: Path, limits: Limits) -> None:
        super().__init__(path.name, limits)
        try:
            self._zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise TruncatedArchiveError(
                f"{path.name}: the zip file is truncated or damaged (its directory is "
                "missing); download the export again"
            ) from None
        except OSError as exc:
            raise ArchiveError(f"{path.name}: cannot read ({exc.strerror})") from None
        self._infos: dict[str, zipfile.ZipInfo] = {}
        try:
            declared = 0
            for info in self._zip.infolist():
                if info.is_dir():
                    continue
                name = safe_name(info.filename)
                declared += info.file_size
                if declared > limits.max_declared_bytes:
                    raise UnsafeArchiveError(
                        f"refused: {path.name} declares more than "
                        f"{limits.max_declared_bytes // MIB} MiB uncompressed (zip bomb limit)"
                    )
                if info.file_size > limits.ratio_floor_bytes:
                    ratio = info.file_size / max(info.compress_size, 1)
                    if ratio > limits.max_ratio:
                        raise UnsafeArchiveError(
                            f"refused: entry {info.filename!r} would expand {ratio:.0f} times "
                            f"(limit {limits.max_ratio:.0f}); this looks like a zip bomb"
                        )
                self._add(name, info.file_size)
                self._infos[name] = info
        except ArchiveError:
            self._zip.close()
            raise

    def _open_raw(self, name: str) -> BinaryIO:
        info = self._infos[name]
        if info.flag_bits & 0x1:
            raise EntrySkip("entry is encrypted")
        try:
            return cast(BinaryIO, self._zip.open(info))
        except (zipfile.BadZipFile, NotImplementedError, zlib.error, EOFError, OSError) as exc:
            raise EntrySkip(f"damaged entry ({exc})") from None

    def close(self) -> None:
        self._zip.close()


class FolderContainer(Container):
    kind = "folder"

    def __init__(self, path: Path, limits: Limits) -> None:
        super().__init__(path.name, limits)
        self._root = path
        for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
            dirnames.sort()
            for filename in sorted(filenames):
                full = Path(dirpath, filename)
                try:
                    st = full.lstat()
                except OSError:
                    continue
                if not stat.S_ISREG(st.st_mode):
                    continue  # symlinks, sockets...: never followed
                self._add(full.relative_to(path).as_posix(), st.st_size)

    def _open_raw(self, name: str) -> BinaryIO:
        try:
            return (self._root / name).open("rb")
        except OSError as exc:
            raise EntrySkip(f"cannot open ({exc.strerror})") from None


class SingleFileContainer(FolderContainer):
    """One export file given on its own (e.g. repo.car or tweets.js)."""

    kind = "file"

    def __init__(self, path: Path, limits: Limits) -> None:
        Container.__init__(self, path.name, limits)
        self._root = path.parent
        self._add(path.name, path.stat().st_size)


class TarContainer(FolderContainer):
    """One streaming pass; wanted entries are copied to a temporary directory."""

    kind = "tar"

    def __init__(self, path: Path, limits: Limits, wanted: Callable[[str], bool]) -> None:
        Container.__init__(self, path.name, limits)
        self._tmp = tempfile.TemporaryDirectory(prefix="kaleidoscope-")
        self._root = Path(self._tmp.name)
        self._map: dict[str, str] = {}
        try:
            self._extract(path, wanted)
        except BaseException:
            self._tmp.cleanup()
            raise

    def _extract(self, path: Path, wanted: Callable[[str], bool]) -> None:
        limits = self.limits
        with path.open("rb") as fh:
            try:
                tar = tarfile.open(fileobj=fh, mode="r|*")  # noqa: SIM115 - closed below
            except (tarfile.ReadError, EOFError, zlib.error, OSError):
                raise NotAnArchiveError(
                    f"{path.name}: compressed, but not a tar archive"
                ) from None
            declared = 0
            try:
                for member in tar:
                    name = safe_name(member.name)
                    if not member.isfile():
                        continue
                    declared += member.size
                    if declared > limits.max_declared_bytes:
                        raise UnsafeArchiveError(
                            f"refused: {path.name} holds more than "
                            f"{limits.max_declared_bytes // MIB} MiB uncompressed"
                        )
                    seen = member.offset_data + member.size
                    if seen > limits.ratio_floor_bytes and seen / max(fh.tell(), 1) > (
                        limits.max_ratio
                    ):
                        raise UnsafeArchiveError(
                            f"refused: {path.name} expands more than {limits.max_ratio:.0f} "
                            "times; this looks like a compression bomb"
                        )
                    self._add(name, member.size)
                    if not wanted(name) or member.size > limits.max_entry_bytes:
                        continue
                    source = tar.extractfile(member)
                    if source is None:
                        continue
                    target = self._root / f"{len(self._map):06d}"
                    with target.open("wb") as out:
                        copied = 0
                        while chunk := source.read(1024 * 1024):
                            copied += len(chunk)
                            self.budget.spend(len(chunk))
                            out.write(chunk)
                    self._map[name] = target.name
            except (EOFError, zlib.error, tarfile.ReadError) as exc:
                raise TruncatedArchiveError(
                    f"{path.name}: the archive is truncated or damaged ({exc}); "
                    "download the export again"
                ) from None
            finally:
                tar.close()
        self.budget = Budget(limits)  # extraction is not reading: count again from zero

    def _open_raw(self, name: str) -> BinaryIO:
        if name not in self._map:
            raise EntrySkip("entry was not extracted (not a file this reader uses)")
        return (self._root / self._map[name]).open("rb")

    def close(self) -> None:
        self._tmp.cleanup()


def open_container(
    path: Path, limits: Limits, *, wanted: Callable[[str], bool], single: Callable[[str], bool]
) -> Container:
    """Open ``path`` as the right kind of container, or raise a clear ``ArchiveError``.

    ``wanted`` says which entry names a reader may use (for tar); ``single`` which file
    names may be given on their own.
    """
    if not path.exists():
        raise ArchiveError(f"{path}: no such file or folder")
    if path.is_dir():
        return FolderContainer(path, limits)
    if not path.is_file():
        raise NotAnArchiveError(f"{path}: not a file or folder")
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot read ({exc.strerror})") from None
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return ZipContainer(path, limits)
    if head.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ")) or head[257:262] == b"ustar":
        return TarContainer(path, limits, wanted)
    if single(path.name.lower()):
        return SingleFileContainer(path, limits)
    if not head:
        raise NotAnArchiveError(f"{path}: the file is empty")
    raise NotAnArchiveError(
        f"{path}: not an archive; give the export as a .zip, a .tar.gz, a folder, "
        "a Bluesky repo.car, or one export file such as tweets.js"
    )
