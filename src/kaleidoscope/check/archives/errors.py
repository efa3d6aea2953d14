"""Errors raised for archives that cannot be read at all.

Problems with single records or files inside a readable archive are not errors: they are
counted as skipped, with a reason (see ``common.Skips``).
"""

from __future__ import annotations


class ArchiveError(Exception):
    """Bad input: the message is written for the person who gave us the file."""


class NotAnArchiveError(ArchiveError):
    """Not a zip, tar.gz, folder, CAR file or a known export file."""


class TruncatedArchiveError(ArchiveError):
    """The container is cut short or damaged."""


class UnsafeArchiveError(ArchiveError):
    """Zip bomb limits, path traversal or absolute entry names."""


class UnknownPlatformError(ArchiveError):
    """No file matched any platform's export layout."""
