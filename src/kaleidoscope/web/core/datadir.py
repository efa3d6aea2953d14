"""Where the web app keeps its database and secret key (never inside the code).

The data folder holds reflections, session keys and password hashes: at every start it is
made 0700 and every file directly in it 0600, whatever the umask (``lock_down``). The
embedded SQLite file is created 0600 before SQLite first opens it (``sqlite_file``):
SQLite gives its -wal, -shm and -journal files the mode of the database file. Scan
scratch folders a killed process left in the private temp area go too.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

import platformdirs

from kaleidoscope.check.archives import scratch

APP_NAME = "kaleidoscope"
SECRET_FILE = "secret_key"
DB_FILE = "kaleidoscope.sqlite3"
TMP = "tmp"  # the private temp area (settings.PRIVATE_TMP)


class DataDirError(RuntimeError):
    """The data folder cannot be made private: the message names it and says why."""


def data_dir() -> Path:
    """``KALEIDOSCOPE_DATA_DIR`` if set, else the user's data directory; created if
    missing, then locked down (0700, files 0600) and rid of a crashed scan's leftovers."""
    override = os.environ.get("KALEIDOSCOPE_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    lock_down(path)
    sweep_scratch(path)
    return path


def _private(path: Path, mode: int) -> None:
    try:
        if stat.S_IMODE(path.lstat().st_mode) != mode:
            os.chmod(path, mode, follow_symlinks=False)
    except OSError as exc:
        raise DataDirError(
            f"{path}: cannot make it private (mode {mode:o}): {exc.strerror}; it holds "
            "reflections and password hashes, so Kaleidoscope will not start. Give it to "
            "the user running Kaleidoscope, or set KALEIDOSCOPE_DATA_DIR to another folder"
        ) from None


def lock_down(folder: Path) -> None:
    """``folder`` 0700; every regular file directly in it (the database and its -wal,
    -shm and -journal files, the secret key) 0600."""
    _private(folder, 0o700)
    for entry in folder.iterdir():
        try:
            mode = entry.lstat().st_mode
        except FileNotFoundError:
            continue  # SQLite removed its -wal or -shm meanwhile
        if stat.S_ISREG(mode) and stat.S_IMODE(mode) & 0o077:
            _private(entry, 0o600)


def sqlite_file(folder: Path) -> Path:
    """The embedded database file, created empty and 0600 if missing (SQLite takes an
    empty file as a new database), so that SQLite's own files inherit 0600."""
    path = folder / DB_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) != 0o600:
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    return path


def sweep_scratch(folder: Path) -> int:
    """Delete scan scratch folders in the private temp area that no live process holds
    (left by a killed scan, whatever their age)."""
    try:
        return scratch.sweep(folder / TMP, ("scan-",))
    except OSError:
        return 0  # a read-only data folder must not stop the app


def secret_key(folder: Path) -> str:
    """Read the secret key kept in ``folder``; generate it (mode 0600) on first use.

    Creation uses O_EXCL so two processes starting at once agree on one key.
    """
    path = folder / SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(64))
    for _ in range(50):
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
        import time

        time.sleep(0.02)  # another process is still writing it
    raise RuntimeError(f"{path}: the secret key file is empty; delete it to make a new one")
