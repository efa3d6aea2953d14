"""Bench: does a slow LRS slow down play? 50 learners, with and without xAPI.

Two real `kaleidoscope serve` (SQLite) run side by side: A with no LRS configured, B with
every play sent to an LRS that takes 200 ms per request (a loopback stub that records
statement ids; ``--lrs-delay``). Statements go through B's outbox and its sender (a child
process of the web process: ``kaleidoscope lms send --parent``), so a step should not
wait for the LRS. 50 learners (htmx steps, a short random pause between steps) play on
A, then on B, then on B, then on A, ... in ``--blocks`` blocks of equal length (ABBA
order; 20 blocks, 60 s per server in all by default): the machine's other work then
weighs on both alike. Then wait until B's outbox is empty and check that every statement arrived
exactly once.

Target: p99 of a step on B at most 10 ms above A; every statement delivered.
The machine has 2 shared cores and the load generator runs on it too, so figures swing
with other work (report ``uptime`` beside them); ``--inproc N`` adds a quieter measure: N
moves each way made in this process through the real step view (Django's test client,
SQLite), in alternating blocks of 25 without an LRS and with the slow LRS (its sender a
child process, as in serve).
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
        # Learners do not step in step: the first step of a block waits a pause too, or
        # every block would open with all of them at once (a burst no real class makes).
        time.sleep(random.uniform(0, 2 * think))
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


def worker(
    ports: list[int], count: int, phases: list[tuple[float, float, float, int]], out: Any
) -> None:
    """``count`` learners on each server; each phase (begin, seconds, mean think time,
    server index) plays on one server."""
    try:
        players = [[Player(port) for _ in range(count)] for port in ports]
        results = []
        for index, (begin, seconds, think, server) in enumerate(phases):
            time.sleep(max(0.0, begin - time.time()))
            results.append((index, run_phase(players[server], seconds, think)))
        out.put(("ok", results))
    except BaseException as exc:
        out.put(("error", repr(exc)))


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


def interleaved(
    servers: list[LiveServer], args: argparse.Namespace
) -> tuple[list[float], list[float]]:
    """Warm up on each server, then ABBA blocks; return the step latencies on A and on B."""
    order = [(0, 1), (1, 0)]
    block = args.seconds / max(1, args.blocks)
    begin = time.time() + 5.0 + args.learners * 0.04
    phases: list[tuple[float, float, float, int]] = [
        (begin, 3.0, args.think, 0),
        (begin + 3.5, 3.0, args.think, 1),
    ]
    at = begin + 7.0
    for i in range(args.blocks):
        which = order[(i // 2) % 2][i % 2] if args.blocks > 1 else i % 2
        phases.append((at, block, args.think, which))
        at += block + 0.5
    if args.blocks == 1:
        phases.append((at, block, args.think, 1))
    out: Any = multiprocessing.Queue()
    shares = [
        args.learners // args.procs + (i < args.learners % args.procs) for i in range(args.procs)
    ]
    ports = [server.port for server in servers]
    procs = [
        multiprocessing.Process(target=worker, args=(ports, n, phases, out)) for n in shares if n
    ]
    for proc in procs:
        proc.start()
    latencies: tuple[list[float], list[float]] = ([], [])
    for _ in procs:
        status, payload = out.get(timeout=2 * args.seconds + 180)
        if status != "ok":
            raise RuntimeError(f"a load generator failed: {payload}")
        for index, values in payload:
            if index >= 2:
                latencies[phases[index][3]].extend(values)
    for proc in procs:
        proc.join(10)
    return latencies


def inproc(
    moves: int, lrs_url: str
) -> tuple[list[float], list[float], list[float], list[float], int, int]:
    """Step latency and CPU time (this thread's: the step view and the test client) in this
    process, without and with the slow LRS (its sender a child process)."""
    import tempfile

    os.environ["KALEIDOSCOPE_DATA_DIR"] = tempfile.mkdtemp(prefix="kaleidoscope-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "kaleidoscope.web.settings"
    # The sender child started by the first outbox write reads the LRS from here.
    os.environ.update(
        {
            "KALEIDOSCOPE_XAPI_ENDPOINT": lrs_url,
            "KALEIDOSCOPE_XAPI_ALL_PLAYS": "1",
            "KALEIDOSCOPE_XAPI_USERNAME": "bench",
            "KALEIDOSCOPE_XAPI_PASSWORD": "bench",
        }
    )
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

    def run(count: int) -> tuple[list[float], list[float]]:
        client = Client()
        timings: list[float] = []
        cpu: list[float] = []
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
            began, began_cpu = time.perf_counter(), time.thread_time()
            answer = client.post(f"/plays/{play.id}/step/", data, HTTP_HX_REQUEST="true")
            timings.append(time.perf_counter() - began)
            cpu.append(time.thread_time() - began_cpu)
            assert answer.status_code == 200, answer.status_code
        return timings, cpu

    settings.XAPI_ENDPOINT = ""
    settings.XAPI_ALL_PLAYS = True
    settings.XAPI_USERNAME = settings.XAPI_PASSWORD = "bench"
    run(50)  # warm-up
    # Blocks of 25 moves, alternately without and with the LRS, so that the machine's
    # other work weighs on both alike. Without the LRS no statement is written; the sender
    # child (started at the first statement) keeps delivering what is left.
    plain: list[float] = []
    slow: list[float] = []
    cpu_plain: list[float] = []
    cpu_slow: list[float] = []
    for _ in range(max(1, moves // 25)):
        settings.XAPI_ENDPOINT = ""
        wall, cpu = run(25)
        plain.extend(wall)
        cpu_plain.extend(cpu)
        settings.XAPI_ENDPOINT = lrs_url
        wall, cpu = run(25)
        slow.extend(wall)
        cpu_slow.extend(cpu)
    deadline = time.monotonic() + 300
    from kaleidoscope.web.lms import sender

    sender.wake()
    while OutboxItem.objects.filter(state="pending").exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    rows = OutboxItem.objects.count()
    sent = OutboxItem.objects.filter(state="sent").count()
    return plain, slow, cpu_plain, cpu_slow, rows, sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="per server, in all")
    parser.add_argument("--blocks", type=int, default=20, help="alternating blocks (ABBA...)")
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--think", type=float, default=0.5)
    parser.add_argument("--procs", type=int, default=5)
    parser.add_argument("--lrs-delay", type=float, default=0.2)
    parser.add_argument("--inproc", type=int, default=0, help="moves for the in-process measure")
    args = parser.parse_args()
    base = {k: v for k, v in os.environ.items() if not k.startswith("KALEIDOSCOPE_XAPI")}
    os.environ.clear()
    os.environ.update(base)

    load_before = os.getloadavg()
    plain: list[float] = []
    slow: list[float] = []
    counts: dict[str, int] = {}
    lrs = SlowLrs(args.lrs_delay)
    try:
        if args.seconds > 0:
            server_a = LiveServer()
            server_b = LiveServer()
            server_b.env.update(
                {
                    "KALEIDOSCOPE_XAPI_ENDPOINT": lrs.url,
                    "KALEIDOSCOPE_XAPI_ALL_PLAYS": "1",
                    "KALEIDOSCOPE_XAPI_USERNAME": "bench",
                    "KALEIDOSCOPE_XAPI_PASSWORD": "bench",
                }
            )
            try:
                server_a.start()
                server_b.start()
                plain, slow = interleaved([server_a, server_b], args)
                deadline = time.monotonic() + 300
                counts = outbox_counts(server_b)
                while counts.get("pending", 0) and time.monotonic() < deadline:
                    time.sleep(1)
                    counts = outbox_counts(server_b)
            finally:
                server_a.close()
                server_b.close()
    finally:
        lrs.close()
    ms = 1000.0
    extra = ""
    if args.inproc:
        lrs2 = SlowLrs(args.lrs_delay)
        try:
            a, b, cpu_a, cpu_b, rows, sent = inproc(args.inproc, lrs2.url)
        finally:
            lrs2.close()
        pa, pb = percentile(a, 0.99) * ms, percentile(b, 0.99) * ms
        print(f"in-process: {len(a)} steps p50 {percentile(a, 0.5) * ms:.1f} ms "
              f"p99 {pa:.1f} ms without an LRS; p50 {percentile(b, 0.5) * ms:.1f} ms "
              f"p99 {pb:.1f} ms with the slow LRS; {rows} statements, {sent} sent, "
              f"{len(set(lrs2.ids))} received")  # fmt: skip
        got = len(set(lrs2.ids))
        ca, cb = sum(cpu_a) / len(cpu_a) * ms, sum(cpu_b) / len(cpu_b) * ms
        print(f"in-process CPU per step: {ca:.2f} ms without an LRS, {cb:.2f} ms with")
        extra = (f" inproc_p99_plain_ms={pa:.1f} inproc_p99_slow_lrs_ms={pb:.1f} "
                 f"inproc_p99_delta_ms={pb - pa:.1f} inproc_cpu_plain_ms={ca:.2f} "
                 f"inproc_cpu_slow_lrs_ms={cb:.2f} inproc_delivered={got}/{rows}")  # fmt: skip
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
        f"ok={int(ok)}{extra} load1_before={load_before[0]:.2f} "
        f"load1_after={os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
