"""Bench: the hostile upload kit against a real `kaleidoscope serve` while 50 learners play.

    .venv/bin/python bench/hostile_uploads.py [--seconds 60] [--learners 50]

1. Builds the kit with tests/archive_factory.py: a 32 MB single tweet record, a zip of
   1.2 million entries (~106 MB), a record nested 100,000 deep, a tar.gz ratio bomb
   (1 GiB of zeros), a Facebook export with a lone surrogate.
2. Scans each file alone in a fresh process: wall time, peak memory (VmHWM), outcome.
3. Starts `kaleidoscope serve` (embedded SQLite: the scans run in the server's own
   worker thread, beside the pages) and 50 learners playing with a 0.5 s mean pause
   (one htmx POST a step): ``--seconds`` of play alone, then ``--seconds`` while
   one anonymous uploader sends the whole kit through /check/archive/ and polls each
   report page until its scan ends. Prints what every upload got (status codes and the
   message or the skipped reasons on the page) and the play step p99 before and during.

Goals (issue 14): step p99 <= 100 ms during the attack; no scan over 400 MB; the 32 MB
record read in under 2 s or refused with a clear reason; no response is a 500.
The load generator shares the machine's 2 cores: figures are noisy. Last line:
name=value pairs.
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import multiprocessing
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import archive_factory as af  # noqa: E402

from tests.web.live import Learner, LiveServer, play_state  # noqa: E402

MB = 1024 * 1024
SCENARIO = "friend-request"


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Player:
    """One learner playing with htmx: each step is one POST answered with the next step."""

    def __init__(self, port: int) -> None:
        self.learner = Learner(port)
        self.url = self.learner.start(SCENARIO)
        self.page = self.learner.get(self.url)

    def step(self) -> int:
        state = play_state(self.page)
        if state["action"]:
            form = {"rev": state["rev"], "action": state["action"], "node": state["node"],
                    "choice": random.choice(state["choices"]) if state["choices"] else ""}
        else:  # at an ending: start again
            form = {"rev": state["rev"], "action": "restart", "node": ""}
        status, _, body = self.learner.request("POST", self.url + "step/", form,
                                               {"HX-Request": "true"})
        if status == 200:
            self.page = body
        return status


def play(players: list[Player], until: float, think: float) -> tuple[list[float], int]:
    """Every player steps, pausing ``think`` s on average, until wall-clock ``until``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def one(player: Player) -> None:
        mine: list[float] = []
        while time.time() < until:
            began = time.perf_counter()
            status = player.step()
            mine.append(time.perf_counter() - began)
            if status != 200:
                with lock:
                    errors[0] += 1
            time.sleep(random.uniform(0, 2 * think))
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=one, args=(p,)) for p in players]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0]


def learners(port: int, count: int, phases: list[tuple[float, float]], think: float,
             out: Any) -> None:
    """A load-generator process: ``count`` learners through the phases (begin, end)."""
    try:
        players = [Player(port) for _ in range(count)]
        results = []
        for begin, end in phases:
            time.sleep(max(0.0, begin - time.time()))
            results.append(play(players, end, think))
        out.put(("ok", results))
    except BaseException as exc:
        out.put(("error", repr(exc)))

SCAN_ALONE = """
import json, sys, time
from pathlib import Path
from kaleidoscope.check.archives import ArchiveError
from kaleidoscope.check.records import Result
from kaleidoscope.check.scan import scan_archive
started = time.perf_counter()
try:
    summary = scan_archive(Path(sys.argv[1]), check=lambda p: Result(post=p, findings=[]))
    outcome = {"posts": summary.checked,
               "skipped": [f"{r.count} x {r.reason}" for r in summary.skipped]}
except ArchiveError as exc:
    outcome = {"error": str(exc).replace(sys.argv[1], Path(sys.argv[1]).name)}
outcome["seconds"] = round(time.perf_counter() - started, 2)
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec (it would be the bench's own).
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
outcome["peak_mb"] = round(int(hwm.split()[1]) / 1024, 1)
print(json.dumps(outcome))
"""


def build_kit(folder: Path) -> dict[str, Path]:
    kit = {
        "record_32mb": af.big_record_x_zip(folder / "twitter-32mb-record.zip", 32),
        "entries_1_2m": af.write_many_entries_zip(folder / "facebook-many.zip", 1_200_000),
        "deep_100k": af.write_zip(folder / "twitter-deep.zip", af.deep_record_x_files()),
        "ratio_bomb": af.ratio_bomb_targz(folder / "mastodon-bomb.tar.gz", 1024),
        "surrogates": af.write_zip(folder / "facebook-surrogate.zip",
                                   af.lone_surrogate_facebook_files()),
    }
    return kit


def scan_alone(path: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", SCAN_ALONE, str(path)], capture_output=True,
                          text=True, timeout=600, check=False)
    if done.returncode != 0:
        return {"crash": done.stderr.strip().splitlines()[-1:], "seconds": 0, "peak_mb": 0}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def upload(port: int, path: Path) -> dict[str, Any]:
    """POST the file as the upload form does, then poll its report page to the end."""
    client = Learner(port)
    status, _, _ = client.request("GET", "/check/archive/")
    codes = [status]
    boundary = secrets.token_hex(12)
    head = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n"
        f"{client.cookies.get('csrftoken', '')}\r\n--{boundary}\r\n"
        f"Content-Disposition: form-data; name=\"archive\"; filename=\"{path.name}\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = len(head) + path.stat().st_size + len(tail)

    def body() -> Any:
        yield head
        with path.open("rb") as fh:
            while chunk := fh.read(MB):
                yield chunk
        yield tail

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    conn.request("POST", "/check/archive/", body=body(), headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(size), "Referer": f"http://127.0.0.1:{port}/",
        "Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())})
    response = conn.getresponse()
    page = response.read().decode()
    codes.append(response.status)
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            client.cookies[key.strip()] = rest.split(";", 1)[0]
    location = response.getheader("Location")
    conn.close()
    while location:
        status, _, page = client.request("GET", location)
        codes.append(status)
        if 'id="progress"' not in page:
            break
        time.sleep(0.5)
    seconds = time.perf_counter() - started
    error = re.search(r'id="scan-error">(.*?)</p>', page, re.S)
    skipped = re.findall(r'<td class="govuk-table__cell">([^<]*)</td><td class="govuk-table__'
                         r'cell govuk-table__cell--numeric">(\d+)</td>', page)
    if error:
        got = "failure page: " + html.unescape(error.group(1)).strip()
    elif skipped:
        got = "report; skipped " + "; ".join(f"{n} x {html.unescape(r)}" for r, n in skipped)
    else:
        message = re.search(r'class="govuk-error-message">(.*?)</', page, re.S)
        got = html.unescape(message.group(1)).strip() if message else "report"
    return {"codes": codes, "got": re.sub(r"\s+", " ", got), "seconds": round(seconds, 1)}


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--think", type=float, default=0.5)
    parser.add_argument("--procs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        kit = build_kit(Path(tmp))
        sizes = {k: round(p.stat().st_size / MB, 1) for k, p in kit.items()}
        alone = {name: scan_alone(path) for name, path in kit.items()}
        for name, outcome in alone.items():
            print(f"alone {name} ({sizes[name]} MB): {json.dumps(outcome)}")

        server = LiveServer().start()
        assert server.proc is not None
        uploads: dict[str, dict[str, Any]] = {}
        try:
            begin = time.time() + 5.0 + args.learners * 0.05  # time to start them all
            phases = [
                (begin, begin + 3.0),  # warm-up
                (begin + 3.0, begin + 3.0 + args.seconds),  # play alone
                (begin + 3.0 + args.seconds, begin + 3.0 + 2 * args.seconds),  # attack
            ]
            out: Any = multiprocessing.Queue()
            shares = [args.learners // args.procs + (i < args.learners % args.procs)
                      for i in range(args.procs)]
            procs = [multiprocessing.Process(target=learners,
                                             args=(server.port, n, phases, args.think, out))
                     for n in shares if n]
            for proc in procs:
                proc.start()
            hwm_before = 0.0

            def attack() -> None:
                nonlocal hwm_before
                time.sleep(max(0.0, phases[2][0] - time.time()))
                hwm_before = vm_hwm_mb(server.proc.pid)  # type: ignore[union-attr]
                for name, path in kit.items():
                    try:
                        uploads[name] = upload(server.port, path)
                    except Exception as exc:  # report it, do not hang the bench
                        uploads[name] = {"codes": [], "got": f"client error {exc!r}",
                                         "seconds": 0}

            attacker = threading.Thread(target=attack)
            attacker.start()
            collected: dict[int, list[float]] = {i: [] for i in range(len(phases))}
            step_errors = 0
            for _ in procs:
                status, payload = out.get(timeout=2 * args.seconds + 300)
                if status != "ok":
                    raise RuntimeError(f"a load generator failed: {payload}")
                for index, (latencies, errors) in enumerate(payload):
                    collected[index].extend(latencies)
                    step_errors += errors
            for proc in procs:
                proc.join(10)
            attacker.join(600)
            hwm_after = vm_hwm_mb(server.proc.pid)
        finally:
            server.close()

    for name, result in uploads.items():
        print(f"upload {name} ({sizes[name]} MB): HTTP {result['codes']} in "
              f"{result['seconds']} s -> {result['got']}")
    ms = 1000.0
    before, during = collected[1], collected[2]
    codes = [c for r in uploads.values() for c in r["codes"]]
    figures = {
        "learners": args.learners,
        "step_p50_before_ms": round(percentile(before, 0.50) * ms, 1),
        "step_p99_before_ms": round(percentile(before, 0.99) * ms, 1),
        "step_p50_during_ms": round(percentile(during, 0.50) * ms, 1),
        "step_p99_during_ms": round(percentile(during, 0.99) * ms, 1),
        "steps_before": len(before),
        "steps_during": len(during),
        "step_errors": step_errors,
        "scan_peak_mb_max": max(o["peak_mb"] for o in alone.values()),
        "scan_s_max": max(o["seconds"] for o in alone.values()),
        "record_32mb_s": alone["record_32mb"]["seconds"],
        "server_hwm_before_mb": round(hwm_before, 1),
        "server_hwm_after_mb": round(hwm_after, 1),
        "http_500s": sum(1 for c in codes if c >= 500),
        "uploads_answered": sum(1 for r in uploads.values() if r["codes"]),
        "load_avg_1m": round(os.getloadavg()[0], 1),  # the machine is shared: context
    }
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
