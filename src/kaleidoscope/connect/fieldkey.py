"""Encryption at rest for check-in notes: Fernet (AES-128-CBC with HMAC-SHA256), from
the ``cryptography`` library.

The key is ``KALEIDOSCOPE_FIELD_KEY`` when deployed (several keys separated by commas
rotate: the first encrypts, any decrypts), else a key file made on first use in the
data directory with mode 0600, beside the database but never inside it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

KEY_FILE = "field_key"

__all__ = ["KEY_FILE", "FieldKeyError", "InvalidToken", "cipher", "key_from_file"]


class FieldKeyError(ValueError):
    """The configured key cannot be used; the message says where it came from."""


def key_from_file(folder: Path) -> bytes:
    """The key kept in ``folder``; generated (mode 0600, O_EXCL) on first use."""
    path = folder / KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "wb") as handle:
            handle.write(Fernet.generate_key())
    for _ in range(50):
        key = path.read_bytes().strip()
        if key:
            return key
        time.sleep(0.02)  # another process is still writing it
    raise FieldKeyError(f"{path}: the field key file is empty")


def cipher(configured: str, folder: Path) -> MultiFernet:
    """The cipher for notes: from ``configured`` (comma-separated keys) if set, else
    from the key file in ``folder``."""
    raw = [k.strip() for k in configured.split(",") if k.strip()]
    source = "KALEIDOSCOPE_FIELD_KEY"
    if not raw:
        raw = [key_from_file(folder).decode("ascii")]
        source = str(folder / KEY_FILE)
    try:
        return MultiFernet([Fernet(k.encode("ascii")) for k in raw])
    except (ValueError, UnicodeEncodeError):
        raise FieldKeyError(
            f"{source}: not a Fernet key (32 url-safe base64-encoded bytes; make one with "
            "`python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`)"
        ) from None
