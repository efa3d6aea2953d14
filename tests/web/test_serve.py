"""`kaleidoscope serve`: data dir, SQLite in WAL mode, secret key kept, clear errors."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess

import pytest

from .live import KALEIDOSCOPE, Learner, LiveServer

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="checks the default SQLite set-up"
)


def test_first_run_migrates_wal_sqlite_and_keeps_one_secret_key() -> None:
    server = LiveServer()
    try:
        server.start()
        assert Learner(server.port).request("GET", "/healthz")[0] == 200
        database = server.data_dir / "kaleidoscope.sqlite3"
        with sqlite3.connect(database) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert {"learn_play", "learn_firstchoice", "auth_user"} <= tables
        key_file = server.data_dir / "secret_key"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        key = key_file.read_text()
        server.stop()
        server.start()
        assert key_file.read_text() == key
        assert server.proc is not None
    finally:
        server.close()


def test_serve_prints_the_url() -> None:
    server = LiveServer()
    try:
        server.start()
        assert server.proc is not None and server.proc.stdout is not None
        server.proc.terminate()
        out = server.proc.stdout.read().decode()
        assert f"Serving on http://127.0.0.1:{server.port}/" in out
        assert "scenarios; SQLite (WAL)" in out
    finally:
        server.close()


@pytest.mark.parametrize("url", ["nonsense://what", "postgres://nobody@127.0.0.1:1/none"])
def test_bad_database_url_exits_2_without_traceback(tmp_path, url: str) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "KALEIDOSCOPE_DATA_DIR": str(tmp_path), "DATABASE_URL": url}
    result = subprocess.run(
        [str(KALEIDOSCOPE), "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "error:" in result.stderr and "Traceback" not in result.stderr


def test_port_in_use_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    server = LiveServer()
    try:
        server.start()
        env = {**os.environ, "KALEIDOSCOPE_DATA_DIR": str(tmp_path)}
        result = subprocess.run(
            [str(KALEIDOSCOPE), "serve", "--port", str(server.port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2
        assert f"cannot listen on 127.0.0.1:{server.port}" in result.stderr
    finally:
        server.close()
