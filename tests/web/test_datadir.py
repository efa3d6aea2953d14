"""Issue 14, findings 3 and 4: the data folder is private whatever the umask, and what a
killed scan left there goes at the next start.

A real start in a subprocess (umask 022, as on most machines): settings, migrations,
SQLite in WAL mode with a connection still open, so its -wal and -shm files exist.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kaleidoscope.web.core import datadir

_START = """
import json, os, stat, sys
from pathlib import Path
os.umask(0o022)
os.environ["KALEIDOSCOPE_DATA_DIR"] = sys.argv[1]
os.environ["DJANGO_SETTINGS_MODULE"] = "kaleidoscope.web.settings"
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", interactive=False, verbosity=0)
with connection.cursor() as cursor:  # a write: the -wal and -shm files now exist
    cursor.execute("UPDATE django_migrations SET app = app WHERE id = 1")
root = Path(sys.argv[1])
modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in root.iterdir() if p.is_file()}
modes["."] = stat.S_IMODE(root.stat().st_mode)
modes["leftover"] = (root / "tmp" / "scan-killed").exists()
print(json.dumps(modes))
"""


def test_data_folder_0700_and_database_files_0600_whatever_the_umask(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)  # as an older version (or a umask of 022) left it
    for name in ("secret_key", "kaleidoscope.sqlite3"):
        fd = os.open(data / name, os.O_WRONLY | os.O_CREAT, 0o644)
        os.write(fd, b"k" * 80 if name == "secret_key" else b"")
        os.close(fd)
        os.chmod(data / name, 0o644)
    leftover = data / "tmp" / "scan-killed"
    leftover.mkdir(parents=True)
    (leftover / "000000").write_bytes(b'{"orderedItems": []}')  # a killed scan's copy
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_URL")}
    done = subprocess.run([sys.executable, "-c", _START, str(data)], capture_output=True,
                          text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    modes = json.loads(done.stdout.strip().splitlines()[-1])
    assert modes.pop(".") == 0o700
    assert modes.pop("leftover") is False
    assert {"kaleidoscope.sqlite3", "kaleidoscope.sqlite3-wal", "kaleidoscope.sqlite3-shm",
            "secret_key"} <= set(modes)
    assert all(mode == 0o600 for mode in modes.values()), modes


def test_a_folder_that_cannot_be_made_private_stops_the_start_with_its_name(
    tmp_path: Path,
) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may chmod anything")
    with pytest.raises(datadir.DataDirError, match="cannot make it private"):
        datadir.lock_down(Path("/"))


def test_lock_down_and_sqlite_file(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        db = datadir.sqlite_file(tmp_path)
        (tmp_path / "other").write_text("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "other").stat().st_mode) == 0o666
    datadir.lock_down(tmp_path)
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "other").stat().st_mode) == 0o600
