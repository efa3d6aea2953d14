"""Safe, streaming access to the files inside an export: zip, tar(.gz), folder or one file.

Nothing is extracted from a zip or a folder: entries are streamed in place. A zip's
central directory is walked (end record first) and counted before ``zipfile`` builds its
list. A tar stream cannot be read out of order, so the few entries a reader may want are
copied, in one pass, into a private scratch folder (``scratch.make``: 0700, locked, in the
data folder's temp area, never the system /tmp) that is deleted when the container is
closed, or by the next sweep if the process is killed.
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, cast

from kaleidoscope.check.archives import scratch
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


_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # one central directory header (46 bytes)


def _central_directory(fh: BinaryIO, size: int) -> tuple[int, int, int] | None:
    """(declared entries, directory size, directory start) from the end records; None
    when there is no end record (``zipfile`` then says the zip is damaged)."""
    tail_len = min(size, _EOCD.size + 65535)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD.size:
        return None
    _, _, _, _, entries, cd_size, _, _ = _EOCD.unpack_from(tail, at)
    end = size - tail_len + at
    if at >= _EOCD64_LOCATOR.size and tail[at - 20 : at - 16] == b"PK\x06\x07":
        _, _, where, _ = _EOCD64_LOCATOR.unpack_from(tail, at - 20)
        fh.seek(where)
        record = fh.read(_EOCD64.size)
        if len(record) == _EOCD64.size and record[:4] == b"PK\x06\x06":
            fields = _EOCD64.unpack(record)
            entries, cd_size = fields[7], fields[8]
            end = where
    return entries, cd_size, end - cd_size


def check_zip_directory(path: Path, limits: Limits) -> None:
    """Refuse a zip whose central directory is too big or lists too many entries, before
    ``zipfile`` reads it: the directory is walked header by header, nothing is kept."""
    with path.open("rb", buffering=1024 * 1024) as fh:
        size = fh.seek(0, io.SEEK_END)
        found = _central_directory(fh, size)
        if found is None:
            return
        declared, cd_size, start = found
        if declared > limits.max_entries:
            raise UnsafeArchiveError(
                f"refused: {path.name} lists {declared} entries, more than "
                f"{limits.max_entries} (limit max_entries)"
            )
        if cd_size > limits.max_directory_bytes:
            raise UnsafeArchiveError(
                f"refused: {path.name} has a {cd_size // MIB} MiB list of entries, more than "
                f"{limits.max_directory_bytes // MIB} MiB (limit max_directory_bytes)"
            )
        if start < 0:
            return
        fh.seek(start)
        count = read = 0
        while read + _CENTRAL.size <= cd_size:
            header = fh.read(_CENTRAL.size)
            if len(header) < _CENTRAL.size or header[:4] != b"PK\x01\x02":
                return  # damaged: zipfile gives the message
            fields = _CENTRAL.unpack(header)
            skip = fields[12] + fields[13] + fields[14]  # name, extra, comment lengths
            fh.seek(skip, io.SEEK_CUR)
            read += _CENTRAL.size + skip
            count += 1
            if count > limits.max_entries:
                raise UnsafeArchiveError(
                    f"refused: {path.name} holds more than {limits.max_entries} entries "
                    "(limit max_entries)"
                )


class ZipContainer(Container):
    kind = "zip"

    def __init__(self, path: Path, limits: Limits) -> None:
        super().__init__(path.name, limits)
        try:
            check_zip_directory(path, limits)
        except OSError as exc:
            raise ArchiveError(f"{path.name}: cannot read ({exc.strerror})") from None
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


class _Counted(io.RawIOBase):
    """A file that counts the (compressed) bytes read from it."""

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self._raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.count += len(data)
        return data

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class TarContainer(FolderContainer):
    """One streaming pass; wanted entries are copied to a private scratch folder."""

    kind = "tar"

    def __init__(
        self,
        path: Path,
        limits: Limits,
        wanted: Callable[[str], bool],
        scratch_root: Path | None = None,
    ) -> None:
        Container.__init__(self, path.name, limits)
        root = scratch.private_root(scratch_root or scratch.default_root())
        scratch.sweep(root, (_SCRATCH_PREFIX,))  # what a killed scan left, of any age
        self._root = scratch.make(root, _SCRATCH_PREFIX)
        self._map: dict[str, str] = {}
        try:
            self._extract(path, wanted)
        except BaseException:
            scratch.remove(self._root)
            raise

    def _check_ratio(self, name: str, expanded: int, read: int) -> None:
        """Bytes actually decompressed against compressed bytes actually read."""
        limits = self.limits
        if expanded > limits.ratio_floor_bytes and expanded / max(read, 1) > limits.max_ratio:
            raise UnsafeArchiveError(
                f"refused: {name} expands more than {limits.max_ratio:.0f} times; this looks "
                "like a compression bomb"
            )

    def _extract(self, path: Path, wanted: Callable[[str], bool]) -> None:
        limits = self.limits
        with path.open("rb") as raw:
            fh = _Counted(raw)
            try:
                tar = tarfile.open(fileobj=fh, mode="r|*")  # noqa: SIM115 - closed below
            except (tarfile.ReadError, EOFError, zlib.error, OSError):
                raise NotAnArchiveError(
                    f"{path.name}: compressed, but not a tar archive"
                ) from None
            declared = 0
            expanded = 0  # member bytes decompressed so far
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
                    self._add(name, member.size)
                    keep = wanted(name) and member.size <= limits.max_entry_bytes
                    source = tar.extractfile(member)
                    if source is None:
                        continue
                    fd = -1
                    if keep:
                        target = self._root / f"{len(self._map):06d}"
                        fd = scratch.private_file(target)
                    # Every member is read here, wanted or not, so the ratio is checked
                    # as the bytes come, never against a size still to be read.
                    with os.fdopen(fd, "wb") if keep else io.BytesIO() as out:
                        while chunk := source.read(1024 * 1024):
                            expanded += len(chunk)
                            self._check_ratio(path.name, expanded, fh.count)
                            if keep:
                                self.budget.spend(len(chunk))
                                out.write(chunk)
                    if keep:
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
        scratch.remove(self._root)


_SCRATCH_PREFIX = "scan-"


def open_container(
    path: Path,
    limits: Limits,
    *,
    wanted: Callable[[str], bool],
    single: Callable[[str], bool],
    scratch_root: Path | None = None,
) -> Container:
    """Open ``path`` as the right kind of container, or raise a clear ``ArchiveError``.

    ``wanted`` says which entry names a reader may use (for tar); ``single`` which file
    names may be given on their own; ``scratch_root`` where a tar's entries are copied
    (default: ``scratch.default_root()``).
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
        return TarContainer(path, limits, wanted, scratch_root)
    if single(path.name.lower()):
        return SingleFileContainer(path, limits)
    if not head:
        raise NotAnArchiveError(f"{path}: the file is empty")
    raise NotAnArchiveError(
        f"{path}: not an archive; give the export as a .zip, a .tar.gz, a folder, "
        "a Bluesky repo.car, or one export file such as tweets.js"
    )
