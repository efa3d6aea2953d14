"""Private scratch folders (for uploads and tar extraction) that a crash cannot strand.

Each folder is made with mode 0700 inside a 0700 root and holds an exclusive ``flock`` on
itself for as long as it is in use. The kernel drops the lock when the process dies, so
``sweep`` can delete leftovers of any age from a killed scan while never touching a
folder another live process (another server worker, a cron ``housekeeping``) still uses.
Files written inside are made 0600 by their writers.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
import tempfile
import threading
from pathlib import Path

import platformdirs

APP_NAME = "kaleidoscope"
_held: dict[str, int] = {}  # folder -> the descriptor holding its lock
_guard = threading.Lock()


def default_root() -> Path:
    """The data folder's private temp area: ``$KALEIDOSCOPE_DATA_DIR/tmp`` (or the user's
    data directory's), never the system /tmp."""
    override = os.environ.get("KALEIDOSCOPE_DATA_DIR")
    base = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))
    return base / "tmp"


def private_root(root: Path) -> Path:
    """``root`` created if missing, and mode 0700 whatever the umask."""
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    if stat.S_IMODE(root.stat().st_mode) != 0o700:
        os.chmod(root, 0o700)
    return root


def make(root: Path, prefix: str) -> Path:
    """A fresh 0700 folder in ``root``, locked until ``remove``."""
    private_root(root)
    while True:
        path = Path(tempfile.mkdtemp(prefix=prefix, dir=root))
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path, follow_symlinks=False))
        except FileNotFoundError:
            same = False  # a sweep took it between mkdtemp and flock: make another
        if same:
            with _guard:
                _held[str(path)] = fd
            return path
        os.close(fd)


def remove(path: Path | None) -> None:
    """Delete a folder from ``make`` (safe to call twice), then release its lock."""
    if path is None:
        return
    shutil.rmtree(path, ignore_errors=True)
    with _guard:
        fd = _held.pop(str(path), None)
    if fd is not None:
        os.close(fd)


def sweep(root: Path, prefixes: tuple[str, ...]) -> int:
    """Delete every folder in ``root`` named with one of ``prefixes`` that no live process
    holds; returns how many went."""
    if not root.is_dir():
        return 0
    removed = 0
    for entry in root.iterdir():
        if not entry.name.startswith(prefixes):
            continue
        try:
            fd = os.open(entry, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError:
            continue  # gone already, or not a folder
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # in use
        try:
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
        finally:
            os.close(fd)
    return removed


def private_file(path: Path) -> int:
    """Open ``path`` for writing, new and 0600 (whatever the umask); returns the fd."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)
    return fd
