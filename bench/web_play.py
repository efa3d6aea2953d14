"""Bench: simulated learners playing dilemmas against a real `kaleidoscope serve` (SQLite).

Phase 1 (``--seconds``, default 60): 50 concurrent learners play with a short random
reading pause between steps (``--think``, mean seconds). A step is what a learner waits
for: with JavaScript (the default) one htmx POST answered with the next step; with
``--no-js`` the POST, its 303 and the GET of the next page. Latency p50/p99 of a step.
Phase 2 (``--seconds`` / 3 each): the same 50 clients with no pause, first playing steps,
then fetching a plain Django view (``/healthz``), to compare throughput on one server.

The load generator runs on the same machine (2 shared cores): figures are noisy.
Last line: name=value pairs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.web.live import Learner, LiveServer, play_state

SCENARIO = "friend-request"


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Player:
    def __init__(self, port: int, js: bool = True) -> None:
        self.js = js
        self.learner = Learner(port)
        self.server_ms: list[float] = []
        self.url = self.learner.start(SCENARIO)
        self.page = self.learner.get(self.url)

    def step(self) -> None:
        """One move and the page that follows it."""
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
        if self.js:
            status, headers, self.page = self.learner.request(
                "POST", self.url + "step/", form, {"HX-Request": "true"}
            )
            self.server_ms.append(float(headers.get("server-timing", "app;dur=0")[8:]))
            if status != 200:
                raise RuntimeError(f"htmx step answered {status}")
            return
        status, _, _ = self.learner.request("POST", self.url + "step/", form)
        if status != 303:
            raise RuntimeError(f"step answered {status}")
        self.page = self.learner.get(self.url)


def run(players: list[Player], seconds: float, think: float, plain: bool) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    failures: list[BaseException] = []

    def work(player: Player) -> None:
        mine: list[float] = []
        try:
            while time.monotonic() < deadline:
                began = time.perf_counter()
                if plain:
                    status, headers, _ = player.learner.request("GET", "/healthz")
                    assert status == 200
                    player.server_ms.append(float(headers.get("server-timing", "app;dur=0")[8:]))
                else:
                    player.step()
                mine.append(time.perf_counter() - began)
                if think:
                    time.sleep(random.uniform(0, 2 * think))
        except BaseException as exc:  # report, do not hang the bench
            failures.append(exc)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=work, args=(p,)) for p in players]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} learner(s) failed: {failures[0]!r}")
    return latencies


def worker(
    port: int, count: int, js: bool, phases: list[tuple[float, float, float, bool]], out: Any
) -> None:
    """One load-generator process: ``count`` learners through every phase, in step with
    the other processes (phases start at agreed wall-clock times)."""
    try:
        players = [Player(port, js=js) for _ in range(count)]
        results = []
        for index, (begin, seconds, think, plain) in enumerate(phases):
            time.sleep(max(0.0, begin - time.time()))
            for player in players:
                player.server_ms.clear()
            latencies = run(players, seconds, think, plain)
            inside = [ms for player in players for ms in player.server_ms]
            results.append((index, latencies, inside))
        out.put(("ok", results))
    except BaseException as exc:
        out.put(("error", repr(exc)))


def process_cpu_s(pid: int) -> float:
    """User plus system CPU seconds used so far by process ``pid`` (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_during(pid: int, begin: float, seconds: float) -> float:
    """CPU seconds process ``pid`` uses from wall-clock time ``begin`` for ``seconds``."""
    time.sleep(max(0.0, begin - time.time()))
    before = process_cpu_s(pid)
    time.sleep(seconds)
    return process_cpu_s(pid) - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--think", type=float, default=0.5, help="mean pause between steps")
    parser.add_argument("--no-js", action="store_true", help="learners without JavaScript")
    parser.add_argument("--procs", type=int, default=5, help="load-generator processes")
    args = parser.parse_args()

    burst = max(args.seconds / 3, 2.0)
    server = LiveServer().start()
    try:
        begin = time.time() + 5.0 + args.learners * 0.02  # time for every learner to start
        phases = [
            (begin, 3.0, args.think, False),  # warm-up: templates compiled, threads up
            (begin + 3.5, args.seconds, args.think, False),
            (begin + 4.0 + args.seconds, burst, 0.0, False),
            (begin + 4.5 + args.seconds + burst, burst, 0.0, True),
        ]
        out: Any = multiprocessing.Queue()
        shares = [
            args.learners // args.procs + (i < args.learners % args.procs)
            for i in range(args.procs)
        ]
        procs = [
            multiprocessing.Process(
                target=worker, args=(server.port, n, not args.no_js, phases, out)
            )
            for n in shares
            if n
        ]
        for proc in procs:
            proc.start()
        # The server's own CPU time over each flat-out phase (both share one process):
        # per request it shows what a step costs the server against the plain view.
        server_cpu = [
            cpu_during(server.proc.pid, begin, seconds) for begin, seconds, _, _ in phases[2:]
        ]
        collected: dict[int, tuple[list[float], list[float]]] = {
            i: ([], []) for i in range(len(phases))
        }
        for _ in procs:
            status, payload = out.get(timeout=args.seconds + 2 * burst + 120)
            if status != "ok":
                raise RuntimeError(f"a load generator failed: {payload}")
            for index, latencies, inside_ms in payload:
                collected[index][0].extend(latencies)
                collected[index][1].extend(inside_ms)
        for proc in procs:
            proc.join(10)
    finally:
        server.close()
    paced, inside = collected[1][0], sorted(collected[1][1])
    steps, plains = collected[2][0], collected[3][0]
    sat_inside, plain_inside = collected[2][1], collected[3][1]

    ms = 1000.0
    figures = {
        "learners": args.learners,
        "step_p50_ms": round(percentile(paced, 0.50) * ms, 1),
        "step_p99_ms": round(percentile(paced, 0.99) * ms, 1),
        "step_per_s": round(len(paced) / args.seconds, 1),
        "step_in_django_p50_ms": round(percentile(inside, 0.50), 1) if inside else "n/a",
        "step_in_django_p99_ms": round(percentile(inside, 0.99), 1) if inside else "n/a",
        "sat_step_p50_ms": round(percentile(steps, 0.50) * ms, 1),
        "sat_step_p99_ms": round(percentile(steps, 0.99) * ms, 1),
        "sat_step_per_s": round(len(steps) / burst, 1),
        "plain_p50_ms": round(percentile(plains, 0.50) * ms, 1),
        "plain_p99_ms": round(percentile(plains, 0.99) * ms, 1),
        "plain_per_s": round(len(plains) / burst, 1),
    }
    # Time inside Django (Server-Timing) when flat out: what each request's own work costs
    # there, against what the server around Django adds (the CPU figures below).
    for name, values in (
        ("sat_step_in_django_p50_ms", sat_inside),
        ("plain_in_django_p50_ms", plain_inside),
    ):
        figures[name] = round(percentile(values, 0.50), 2) if values else "n/a"
    figures["server_cpu_per_step_ms"] = round(server_cpu[0] * ms / max(1, len(steps)), 2)
    figures["server_cpu_per_plain_ms"] = round(server_cpu[1] * ms / max(1, len(plains)), 2)
    figures["step_vs_plain_ratio"] = round(figures["sat_step_per_s"] / figures["plain_per_s"], 2)
    kind = "POST + 303 + GET" if args.no_js else "one htmx POST"
    print(
        f"paced phase: {len(paced)} steps ({kind}) by {args.learners} learners "
        f"in {args.seconds:.0f} s, mean think {args.think} s; mean step "
        f"{statistics.mean(paced) * ms:.1f} ms"
    )
    print(f"saturation: {len(steps)} steps and {len(plains)} plain views in {burst:.0f} s each")
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
