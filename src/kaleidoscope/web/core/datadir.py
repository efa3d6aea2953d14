"""Where the web app keeps its database and secret key (never inside the code)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import platformdirs

APP_NAME = "kaleidoscope"
SECRET_FILE = "secret_key"


def data_dir() -> Path:
    """``KALEIDOSCOPE_DATA_DIR`` if set, else the user's data directory; created if missing."""
    override = os.environ.get("KALEIDOSCOPE_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))
    path.mkdir(parents=True, exist_ok=True)
    return path


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
