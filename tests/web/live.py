"""A real ``kaleidoscope serve`` in a subprocess, and a small cookie-keeping HTTP client.

Used by the browser tests, the SIGKILL test and the bench. On PostgreSQL (DATABASE_URL
set) each server gets a fresh database that is dropped afterwards.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

KALEIDOSCOPE = Path(sys.executable).with_name("kaleidoscope")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """``kaleidoscope serve`` in its own process group. ``workers``: uvicorn processes
    (above 1 needs REDIS_URL in ``env``); ``args``: more serve options (by default it runs
    its own archive-scan worker, whatever the database)."""

    def __init__(
        self,
        database_url: str | None = None,
        workers: int = 1,
        args: tuple[str, ...] = ("--scan-worker",),
    ) -> None:
        self.workers = workers
        self.args = args
        self.data_dir = Path(tempfile.mkdtemp(prefix="kaleidoscope-live-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env["KALEIDOSCOPE_DATA_DIR"] = str(self.data_dir)
        self._pg_admin: str | None = None
        self._pg_name: str | None = None
        if database_url:
            self._pg_admin = database_url
            self._pg_name = f"kaleidoscope_live_{secrets.token_hex(4)}"
            self._pg("CREATE DATABASE " + self._pg_name)
            parts = urllib.parse.urlsplit(database_url)
            self.env["DATABASE_URL"] = urllib.parse.urlunsplit(
                parts._replace(path="/" + self._pg_name)
            )

    def _pg(self, sql: str) -> None:
        import psycopg

        assert self._pg_admin is not None
        with psycopg.connect(self._pg_admin, autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def start(self, timeout: float = 60) -> LiveServer:
        if "DATABASE_URL" in self.env:  # a shared database is migrated once, before serving
            subprocess.run(
                [str(KALEIDOSCOPE), "migrate"], env=self.env, check=True, capture_output=True
            )
        self.proc = subprocess.Popen(
            [str(KALEIDOSCOPE), "serve", "--port", str(self.port),
             "--workers", str(self.workers), *self.args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: uvicorn's workers die with it
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                out = self.proc.stdout.read().decode() if self.proc.stdout else ""
                raise RuntimeError(f"kaleidoscope serve exited: {out}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("kaleidoscope serve did not answer /healthz in time")

    def kill(self) -> None:
        """SIGKILL to every process of the server: no clean shutdown, exactly like a crash
        (or a service manager killing the service's process group)."""
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)
        if self._pg_name:
            self._pg(f"DROP DATABASE IF EXISTS {self._pg_name} WITH (FORCE)")


class Learner:
    """One browser-like client: keeps cookies and a keep-alive connection; no redirects."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        extra: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        headers.update(extra or {})
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}/"
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text

    def get(self, path: str) -> str:
        status, _, text = self.request("GET", path)
        assert status == 200, (path, status)
        return text

    def start(self, scenario_id: str) -> str:
        self.get("/scenarios/")  # sets the CSRF cookie
        status, headers, _ = self.request("POST", f"/scenarios/{scenario_id}/start/", {})
        assert status == 303, status
        return headers["location"]


def play_state(page: str) -> dict[str, Any]:
    """The revision, node and the first choice on a play page."""
    rev = re.search(r'data-revision="(\d+)"', page)
    node = re.search(r'data-node="([^"]+)"', page)
    action = re.search(r'name="action" value="(advance|choose)"', page)
    choices = re.findall(r'name="choice" type="radio" value="([^"]+)"', page)
    return {
        "rev": rev.group(1) if rev else "",
        "node": node.group(1) if node else "",
        "action": action.group(1) if action else "",
        "choices": choices,
    }
