"""`kaleidoscope migrate`, `createuser` and `serve --workers`: what an operator types."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .live import KALEIDOSCOPE

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="checks the default SQLite set-up"
)


def _run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    full.update(KALEIDOSCOPE_DATA_DIR=str(tmp_path), **env)
    return subprocess.run(
        [str(KALEIDOSCOPE), *args], env=full, capture_output=True, text=True, timeout=120
    )


def test_migrate_then_createuser_says_which_database(tmp_path: Path) -> None:
    migrated = _run(tmp_path, "migrate")
    assert migrated.returncode == 0 and "SQLite (WAL)" in migrated.stdout
    made = _run(tmp_path, "createuser", "pat", "--staff",
                KALEIDOSCOPE_NEW_PASSWORD="a long enough password")
    assert made.returncode == 0, made.stderr
    assert "created 'pat' (staff)" in made.stdout and str(tmp_path) in made.stdout
    again = _run(tmp_path, "createuser", "pat", KALEIDOSCOPE_NEW_PASSWORD="another long one")
    assert again.returncode == 2 and "already exists" in again.stderr
    weak = _run(tmp_path, "createuser", "sam", KALEIDOSCOPE_NEW_PASSWORD="password")
    assert weak.returncode == 2 and "error:" in weak.stderr and "Traceback" not in weak.stderr


def test_several_workers_need_redis(tmp_path: Path) -> None:
    result = _run(tmp_path, "serve", "--workers", "2", "--port", "0")
    assert result.returncode == 2 and "needs REDIS_URL" in result.stderr
