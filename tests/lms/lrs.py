"""A real Ralph LRS for the tests: its own venv (.venv-ralph), its own folder, loopback only."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv-ralph"
PYTHON = VENV / "bin" / "python"
RALPH_SPEC = ("ralph-malph[lrs,cli]==5.1.0", "requests>=2")
USER, PASSWORD = "kaleidoscope", "lrs-test-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def ensure_venv() -> Path:
    """Create .venv-ralph once (Ralph pins click, httpx and fastapi versions we do not use)."""
    if not (VENV / "bin" / "ralph").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        done = subprocess.run(
            [str(VENV / "bin" / "pip"), "install", "-q", *RALPH_SPEC],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            reason = f"cannot install Ralph into {VENV}: {done.stderr[-500:]}"
            if os.environ.get("KALEIDOSCOPE_REQUIRE_SERVICES") == "1":
                pytest.fail(reason)
            pytest.skip(reason)
    return VENV


class Ralph:
    """One LRS: ``start()``, ``stop()`` and ``start()`` again keep the same port and data."""

    def __init__(self, folder: Path, cors_origins: list[str] | None = None) -> None:
        ensure_venv()
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/xAPI/"
        self.proc: subprocess.Popen[bytes] | None = None
        self.env = {
            **os.environ,
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_AUTH_FILE": str(folder / "auth.json"),
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder),
            "RALPH_RUNSERVER_CORS_ALLOW_ORIGINS": json.dumps(cors_origins or []),
        }
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "auth.json").exists():
            subprocess.run(
                [str(VENV / "bin" / "ralph"), "auth", "-u", USER, "-p", PASSWORD, "-s", "all",
                 "-A", USER, "http://127.0.0.1", "-w"],
                env=self.env, check=True, capture_output=True,
            )  # fmt: skip

    @property
    def auth(self) -> tuple[str, str]:
        return (USER, PASSWORD)

    def start(self) -> Ralph:
        self.proc = subprocess.Popen(
            [str(PYTHON), "-P", str(Path(__file__).with_name("ralph_server.py")), str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.folder / "ralph.log", "ab"),  # noqa: SIM115
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/__lbheartbeat__", timeout=1).is_success:
                    return self
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError((self.folder / "ralph.log").read_text()[-2000:])
            time.sleep(0.2)
        raise RuntimeError("Ralph did not start within 60 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        self.proc = None

    def statements(self) -> list[dict[str, Any]]:
        """What Ralph stored, oldest first (its statements file, one JSON per line)."""
        path = self.folder / "fs_lrs.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    def query(self, **params: str) -> list[dict[str, Any]]:
        """Ask Ralph through the xAPI statements resource."""
        response = httpx.get(
            self.url + "statements",
            params=params,
            auth=self.auth,
            headers={"X-Experience-API-Version": "1.0.3"},
            timeout=10,
        )
        response.raise_for_status()
        found: list[dict[str, Any]] = response.json()["statements"]
        return found
