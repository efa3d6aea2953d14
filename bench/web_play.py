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
import random
import statistics
import sys
import threading
import time
from pathlib import Path

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
            status, _, self.page = self.learner.request(
                "POST", self.url + "step/", form, {"HX-Request": "true"}
            )
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
                    status, _, _ = player.learner.request("GET", "/healthz")
                    assert status == 200
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--think", type=float, default=0.5, help="mean pause between steps")
    parser.add_argument("--no-js", action="store_true", help="learners without JavaScript")
    args = parser.parse_args()

    server = LiveServer().start()
    try:
        players = [Player(server.port, js=not args.no_js) for _ in range(args.learners)]
        paced = run(players, args.seconds, args.think, plain=False)
        burst = max(args.seconds / 3, 2.0)
        steps = run(players, burst, 0.0, plain=False)
        plains = run(players, burst, 0.0, plain=True)
    finally:
        server.close()

    ms = 1000.0
    figures = {
        "learners": args.learners,
        "step_p50_ms": round(percentile(paced, 0.50) * ms, 1),
        "step_p99_ms": round(percentile(paced, 0.99) * ms, 1),
        "step_per_s": round(len(paced) / args.seconds, 1),
        "sat_step_p50_ms": round(percentile(steps, 0.50) * ms, 1),
        "sat_step_p99_ms": round(percentile(steps, 0.99) * ms, 1),
        "sat_step_per_s": round(len(steps) / burst, 1),
        "plain_p50_ms": round(percentile(plains, 0.50) * ms, 1),
        "plain_p99_ms": round(percentile(plains, 0.99) * ms, 1),
        "plain_per_s": round(len(plains) / burst, 1),
    }
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
