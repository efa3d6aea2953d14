"""Bench: does a slow LRS slow down play? 50 learners, with and without xAPI.

Run A: a real `kaleidoscope serve` (SQLite) with no LRS configured; 50 learners play
(htmx steps, a short random pause between steps) for ``--seconds``.
Run B: the same with every play sent to an LRS that takes 200 ms per request (a loopback
stub that records statement ids; ``--lrs-delay``). Statements go through the outbox and
the server's background sender, so a step should not wait for the LRS.
Then wait until the outbox is empty and check that every statement arrived exactly once.

Target: p99 of a step in B at most 10 ms above A; every statement delivered.
The machine has 2 shared cores and the load generator runs on it too, so figures from
the 50-learner runs swing with other work; ``--inproc N`` adds a quieter measure: N moves
each way made in this process through the real step view (Django's test client, SQLite),
in alternating blocks of 25 without an LRS and with the slow LRS and its sender thread.
Last line: name=value pairs.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.web.live import KALEIDOSCOPE, Learner, LiveServer, play_state

SCENARIO = "friend-request"


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Player:
    """One learner: htmx steps (one POST answered with the next step)."""

    def __init__(self, port: int) -> None:
        self.learner = Learner(port)
        self.url = self.learner.start(SCENARIO)
        self.page = self.learner.get(self.url)

    def step(self) -> None:
        state = play_state(self.page)
        if state["action"]:
            form = {
                "rev": state["rev"],
                "action": state["action"],
                "node": state["node"],
                "choice": random.choice(state["choices"]) if state["choices"] else "",
            }
        else:  # at an ending: start again
            form = {"rev": state["rev"], "action": "restart", "node": ""}
        status, _, self.page = self.learner.request(
            "POST", self.url + "step/", form, {"HX-Request": "true"}
        )
        if status != 200:
            raise RuntimeError(f"htmx step answered {status}")


def run_phase(players: list[Player], seconds: float, think: float) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def play(player: Player) -> None:
        mine = []
        while time.monotonic() < deadline:
            began = time.perf_counter()
            player.step()
            mine.append(time.perf_counter() - began)
            time.sleep(random.uniform(0, 2 * think))
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=play, args=(p,)) for p in players]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def worker(port: int, count: int, phases: list[tuple[float, float, float]], out: Any) -> None:
    """``count`` learners through each phase (begin, seconds, mean think time)."""
    try:
        players = [Player(port) for _ in range(count)]
        results = []
        for index, (begin, seconds, think) in enumerate(phases):
            time.sleep(max(0.0, begin - time.time()))
            results.append((index, run_phase(players, seconds, think)))
        out.put(("ok", results))
    except BaseException as exc:
        out.put(("error", repr(exc)))


class _Skip(Exception):
    pass


class SlowLrs:
    """An LRS stand-in that answers after ``delay`` seconds and keeps what it was sent."""

    def __init__(self, delay: float) -> None:
        self.ids: list[str] = []
        self.requests = 0
        lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                time.sleep(delay)
                with lock:
                    owner.requests += 1
                    owner.ids.extend(s["id"] for s in body)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                answer = json.dumps([s["id"] for s in body]).encode()
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/xAPI/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


def outbox_counts(server: LiveServer) -> dict[str, int]:
    done = subprocess.run(
        [str(KALEIDOSCOPE), "lms", "outbox"], env=server.env, capture_output=True, text=True
    )
    counts: dict[str, int] = {}
    for line in done.stdout.splitlines():
        kind, state, n = line.split()
        if kind == "xapi":
            counts[state] = int(n)
    return counts


def play_run(env: dict[str, str], args: argparse.Namespace) -> tuple[list[float], LiveServer]:
    server = LiveServer()
    server.env.update(env)
    server.start()
    begin = time.time() + 5.0 + args.learners * 0.02
    phases = [(begin, 3.0, args.think), (begin + 3.5, args.seconds, args.think)]
    out: Any = multiprocessing.Queue()
    shares = [
        args.learners // args.procs + (i < args.learners % args.procs) for i in range(args.procs)
    ]
    procs = [
        multiprocessing.Process(target=worker, args=(server.port, n, phases, out))
        for n in shares
        if n
    ]
    for proc in procs:
        proc.start()
    latencies: list[float] = []
    for _ in procs:
        status, payload = out.get(timeout=args.seconds + 120)
        if status != "ok":
            raise RuntimeError(f"a load generator failed: {payload}")
        for index, values in payload:
            if index == 1:
                latencies.extend(values)
    for proc in procs:
        proc.join(10)
    return latencies, server


def inproc(moves: int, lrs_url: str) -> tuple[list[float], list[float], int, int]:
    """Step latency in this process without and with the slow LRS (sender thread on)."""
    import tempfile

    os.environ["KALEIDOSCOPE_DATA_DIR"] = tempfile.mkdtemp(prefix="kaleidoscope-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "kaleidoscope.web.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from kaleidoscope.web.lms.models import OutboxItem

    setup_test_environment()
    call_command("migrate", verbosity=0)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from web.helpers import current, scenario, start

    def run(count: int) -> list[float]:
        client = Client()
        timings: list[float] = []
        play = start(client)
        sc = scenario(play.scenario_id)
        while len(timings) < count:
            play.refresh_from_db()
            node = sc.nodes[current(play)]
            kind = getattr(node, "type", "")
            if kind == "ending":
                action, choice = "restart", ""
            elif kind == "decision":
                action, choice = "choose", node.choices[len(timings) % len(node.choices)].id  # type: ignore[union-attr]
            else:
                action, choice = "advance", ""
            data = {"rev": str(play.revision), "action": action, "node": current(play),
                    "choice": choice}  # fmt: skip
            began = time.perf_counter()
            answer = client.post(f"/plays/{play.id}/step/", data, HTTP_HX_REQUEST="true")
            timings.append(time.perf_counter() - began)
            assert answer.status_code == 200, answer.status_code
        return timings

    settings.XAPI_ENDPOINT = ""
    settings.XAPI_ALL_PLAYS = True
    settings.XAPI_USERNAME = settings.XAPI_PASSWORD = "bench"
    run(50)  # warm-up
    # Blocks of 25 moves, alternately without and with the LRS, so that the machine's
    # other work weighs on both alike. With the LRS, the sender thread runs (and sends
    # only while the LRS is configured).
    plain: list[float] = []
    slow: list[float] = []
    for _ in range(max(1, moves // 25)):
        settings.XAPI_ENDPOINT = ""
        plain.extend(run(25))
        settings.XAPI_ENDPOINT = lrs_url
        slow.extend(run(25))
    deadline = time.monotonic() + 300
    from kaleidoscope.web.lms import sender

    sender.wake()
    while OutboxItem.objects.filter(state="pending").exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    return plain, slow, OutboxItem.objects.count(), OutboxItem.objects.filter(state="sent").count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--think", type=float, default=0.5)
    parser.add_argument("--procs", type=int, default=5)
    parser.add_argument("--lrs-delay", type=float, default=0.2)
    parser.add_argument("--inproc", type=int, default=0, help="moves for the in-process measure")
    args = parser.parse_args()
    base = {k: v for k, v in os.environ.items() if not k.startswith("KALEIDOSCOPE_XAPI")}
    os.environ.clear()
    os.environ.update(base)

    plain: list[float] = []
    slow: list[float] = []
    counts: dict[str, int] = {}
    lrs = SlowLrs(args.lrs_delay)
    if args.seconds > 0:
        plain, server_a = play_run({}, args)
        server_a.close()
    try:
        if args.seconds <= 0:
            raise _Skip
        slow, server_b = play_run(
            {
                "KALEIDOSCOPE_XAPI_ENDPOINT": lrs.url,
                "KALEIDOSCOPE_XAPI_ALL_PLAYS": "1",
                "KALEIDOSCOPE_XAPI_USERNAME": "bench",
                "KALEIDOSCOPE_XAPI_PASSWORD": "bench",
            },
            args,
        )
        try:
            deadline = time.monotonic() + 300
            counts = outbox_counts(server_b)
            while counts.get("pending", 0) and time.monotonic() < deadline:
                time.sleep(1)
                counts = outbox_counts(server_b)
        finally:
            server_b.close()
    except _Skip:
        pass
    finally:
        lrs.close()
    ms = 1000.0
    extra = ""
    if args.inproc:
        lrs2 = SlowLrs(args.lrs_delay)
        try:
            a, b, rows, sent = inproc(args.inproc, lrs2.url)
        finally:
            lrs2.close()
        pa, pb = percentile(a, 0.99) * ms, percentile(b, 0.99) * ms
        print(f"in-process: {len(a)} steps p50 {percentile(a, 0.5) * ms:.1f} ms "
              f"p99 {pa:.1f} ms without an LRS; p50 {percentile(b, 0.5) * ms:.1f} ms "
              f"p99 {pb:.1f} ms with the slow LRS; {rows} statements, {sent} sent, "
              f"{len(set(lrs2.ids))} received")  # fmt: skip
        got = len(set(lrs2.ids))
        extra = (f" inproc_p99_plain_ms={pa:.1f} inproc_p99_slow_lrs_ms={pb:.1f} "
                 f"inproc_p99_delta_ms={pb - pa:.1f} inproc_delivered={got}/{rows}")  # fmt: skip
    p99_a = percentile(plain, 0.99) * ms
    p99_b = percentile(slow, 0.99) * ms
    written = sum(counts.values())
    delivered = len(set(lrs.ids))
    print(f"no LRS:   {len(plain)} steps, p50 {percentile(plain, 0.5) * ms:.1f} ms, "
          f"p99 {p99_a:.1f} ms")  # fmt: skip
    print(f"slow LRS: {len(slow)} steps, p50 {percentile(slow, 0.5) * ms:.1f} ms, "
          f"p99 {p99_b:.1f} ms; {written} statements written, {delivered} delivered "
          f"in {lrs.requests} requests of {args.lrs_delay * ms:.0f} ms")  # fmt: skip
    ok = p99_b - p99_a <= 10.0 and delivered == written == counts.get("sent", 0)
    print(
        f"steps_plain={len(plain)} steps_slow_lrs={len(slow)} p99_plain_ms={p99_a:.1f} "
        f"p99_slow_lrs_ms={p99_b:.1f} p99_delta_ms={p99_b - p99_a:.1f} "
        f"statements={written} delivered={delivered} duplicates={len(lrs.ids) - delivered} "
        f"ok={int(ok)}{extra}"
    )


if __name__ == "__main__":
    main()
