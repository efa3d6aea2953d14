"""Glue between the Check views and ``kaleidoscope.check``: wording, marks, limits.

Nothing here analyses text: the checker and the archive scanner do that. This module only
shapes their results for the pages (which words to mark, which guidance to show) and holds
the upload settings.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from kaleidoscope.check.records import Audience, Category, Finding, Platform, Severity
from kaleidoscope.guidance.registry import Guidance, load_registry

MAX_DRAFT_CHARS = 100_000
DEFAULT_UPLOAD_MAX = 2 * 1024**3
DEFAULT_RESULT_TTL = 60 * 60
DEFAULT_MAX_SCANS = 2
OWNER_KEY = "kaleidoscope_check_owner"
STALE_UPLOAD_SECONDS = 6 * 60 * 60
SEVERITIES_DOWN = (Severity.HIGH, Severity.MEDIUM, Severity.LOW)

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


@cache
def text() -> dict[str, Any]:
    raw = resources.files(__package__).joinpath("text.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


@cache
def report_words() -> dict[str, Any]:
    """Category titles and severity wording, shared with the CLI's HTML report."""
    raw = (
        resources.files("kaleidoscope.check")
        .joinpath("templates/report.yaml")
        .read_text("utf-8")
    )
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


def category_title(category: Category | str) -> str:
    key = category.value if isinstance(category, Category) else category
    return str(report_words()["categories"][key]["title"])


def platform_choices() -> list[tuple[str, str]]:
    labels = text()["platforms"]
    return [(p.value, labels.get(p.value, p.value)) for p in Platform]


def audience_choices() -> list[tuple[str, str]]:
    labels = text()["audiences"]
    return [(a.value, labels.get(a.value, a.value)) for a in Audience]


def guidance_entries(keys: list[str]) -> list[Guidance]:
    registry = load_registry()
    return [g for k in dict.fromkeys(keys) if (g := registry.get(k)) is not None]


# --- marking spans ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of the post: plain text, or marked text carrying finding numbers (1-based)."""

    text: str
    refs: tuple[int, ...] = ()


def segments(text: str, findings: list[Finding]) -> list[Segment]:
    """Split ``text`` into plain and marked runs; overlapping spans merge into one mark
    that lists every finding it belongs to (so a mark never relies on colour)."""
    spans = sorted(
        (max(s.start, 0), min(s.end, len(text)), number)
        for number, finding in enumerate(findings, 1)
        for s in finding.spans
        if min(s.end, len(text)) > max(s.start, 0)
    )
    runs: list[list[Any]] = []  # [start, end, set of refs]
    for start, end, number in spans:
        if runs and start < runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], end)
            runs[-1][2].add(number)
        else:
            runs.append([start, end, {number}])
    out: list[Segment] = []
    pos = 0
    for start, end, refs in runs:
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], tuple(sorted(refs))))
        pos = end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


# --- uploads --------------------------------------------------------------------------------
def parse_size(value: object) -> int:
    """``2147483648``, ``2G``, ``500MB``, ``100k``: a byte count (ValueError if unusable)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        match = _SIZE.match(str(value))
        if not match:
            raise ValueError(f"'{value}' is not a size (use bytes, or a number with K, M or G)")
        number = int(float(match.group(1)) * _UNITS[match.group(2).lower()])
    if number < 1:
        raise ValueError(f"'{value}' is not a positive size")
    return number


def upload_limit() -> int:
    """The largest archive accepted, in bytes (setting ``CHECK_UPLOAD_MAX_BYTES``)."""
    raw = getattr(settings, "CHECK_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX)
    try:
        return parse_size(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"CHECK_UPLOAD_MAX_BYTES (KALEIDOSCOPE_UPLOAD_MAX_BYTES): {exc}"
        ) from None


def result_ttl() -> float:
    return float(getattr(settings, "CHECK_RESULT_TTL", DEFAULT_RESULT_TTL))


def max_scans() -> int:
    return int(getattr(settings, "CHECK_MAX_SCANS", DEFAULT_MAX_SCANS))


def human_size(n: int) -> str:
    for unit, size in (("TB", 1024**4), ("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) or value >= 10 else (
                f"{value:.1f} {unit}"
            )
    return f"{n} bytes"


def upload_root() -> Path:
    """A private folder for uploads and the archives waiting for their scan
    (``CHECK_UPLOAD_DIR``, default: ``uploads`` in the data folder's private temp area,
    ``settings.PRIVATE_TMP``), created with mode 0700."""
    configured = getattr(settings, "CHECK_UPLOAD_DIR", None)
    private = getattr(settings, "PRIVATE_TMP", None) or Path(settings.DATA_DIR) / "tmp"
    root = Path(configured) if configured else Path(private) / "uploads"
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    if stat.S_IMODE(root.stat().st_mode) != 0o700:
        os.chmod(root, 0o700)
    return root


def new_upload_dir() -> Path:
    """A fresh folder (mode 0700) for one upload; the caller deletes it."""
    return Path(tempfile.mkdtemp(prefix="upload-", dir=upload_root()))


def remove_upload_dir(path: Path | None) -> None:
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)


def remove_stale_uploads() -> int:
    """Delete uploads nobody will scan (left by a crash); see ``jobs.sweep_leftovers``."""
    from . import jobs

    return jobs.sweep_leftovers()


def local_cache() -> bool:
    """Whether Django's cache is this process's memory (no REDIS_URL): job status and
    reports are then visible to this process only."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    return isinstance(caches["default"], LocMemCache)


# --- who owns a report ----------------------------------------------------------------------
def owner_key(request: HttpRequest, create: bool = False) -> str:
    """A random key in this browser's session: reports are shown only to it."""
    key: str = request.session.get(OWNER_KEY, "")
    if not key and create:
        key = secrets.token_urlsafe(24)
        request.session[OWNER_KEY] = key
    return key
