"""Bench: 300 simulated participants in one group session against real `kaleidoscope serve`.

Each participant is its own HTTP client (asyncio + httpx, own cookies): it joins with the
code, holds the session's event stream open (server-sent events) and votes at each
decision. The facilitator signs up, creates the session and steps through it. At each
decision the bench notes the time just before the facilitator's "Reveal the votes" post
and, for every participant, when its stream delivered the revealed state; it reports the
delay (p50, p99, max over all participants and decisions). Goal: under 2 s.

Two set-ups, one after the other:
- ``one``: one `kaleidoscope serve` process (SQLite, in-process broker);
- ``two``: two `kaleidoscope serve` processes on two ports sharing the SQLite database,
  the secret key and a real Redis (``REDIS_URL``), participants spread round-robin over
  both; the facilitator uses the first. Skipped (and said so) if no Redis answers.

The load generator runs on the same 2-core machine as the servers: figures are noisy.
Last line: name=value pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.web.live import LiveServer

SCENARIO = "friend-request"
PASSWORD = "a-long-pass-phrase-42"


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def csrf_post(client: httpx.AsyncClient, url: str, form: dict[str, str], **kw: Any) -> Any:
    form = {"csrfmiddlewaretoken": client.cookies.get("csrftoken", ""), **form}
    return await client.post(url, data=form, **kw)


class Facilitator:
    def __init__(self, base: str) -> None:
        self.client = httpx.AsyncClient(base_url=base, timeout=60)
        self.present = ""
        self.code = ""

    async def setup(self) -> None:
        await self.client.get("/accounts/sign-up/")
        user = {"username": f"bench{random.randrange(10**9)}"}
        answer = await csrf_post(
            self.client,
            "/accounts/sign-up/",
            {**user, "password1": PASSWORD, "password2": PASSWORD},
        )
        assert answer.status_code == 303, answer.status_code
        answer = await csrf_post(self.client, "/groups/new/", {"scenario": SCENARIO})
        assert answer.status_code == 303, answer.status_code
        self.present = answer.headers["location"]
        found = re.search(r'class="k-group-code"[^>]*>([A-Z0-9]{6})<', await self.page())
        assert found
        self.code = found.group(1)

    async def page(self) -> str:
        answer = await self.client.get(self.present)
        assert answer.status_code == 200, answer.status_code
        return answer.text

    async def act(self, action: str, choice: str = "") -> str:
        page = await self.page()
        rev = re.search(r'name="rev" value="(\d+)"', page)
        assert rev, page[:300]
        form = {"rev": rev.group(1), "action": action, "choice": choice}
        answer = await csrf_post(self.client, self.present + "control/", form)
        assert answer.status_code == 303, answer.status_code
        return await self.page()


class Participant:
    def __init__(self, base: str, number: int) -> None:
        self.number = number
        self.client = httpx.AsyncClient(
            base_url=base, timeout=httpx.Timeout(60, read=None), follow_redirects=False
        )
        self.states: list[tuple[float, dict[str, Any]]] = []
        self.changed = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def join(self, code: str) -> None:
        await self.client.get(f"/join/?code={code}")
        answer = await csrf_post(self.client, "/join/", {"code": code, "name": ""})
        assert answer.status_code == 303, f"join answered {answer.status_code}"

    async def listen(self, code: str, opened: asyncio.Event) -> None:
        async with self.client.stream("GET", f"/live/groups/{code}/") as answer:
            assert answer.status_code == 200
            async for line in answer.aiter_lines():
                if line.startswith("data:"):
                    now = time.perf_counter()
                    data = json.loads(line[5:])
                    self.states.append((now, data))
                    self.changed.set()
                    opened.set()

    async def wait_for(self, test: Any, timeout: float = 60) -> float:
        deadline = time.perf_counter() + timeout
        while True:
            for seen, data in self.states:
                if test(data):
                    return seen
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), max(0.01, deadline - time.perf_counter()))

    async def vote(self, code: str, round_number: int, choices: list[str]) -> int:
        pick = choices[0] if self.number % 3 else random.choice(choices)
        reason = f"reason {self.number}" if self.number % 5 == 0 else ""
        answer = await csrf_post(
            self.client,
            f"/join/{code}/vote/",
            {"round": str(round_number), "choice": pick, "reason": reason},
            headers={"X-Fragment": "1"},
        )
        return int(answer.status_code)


async def gather_limited(coros: list[Any], limit: int) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def run(coro: Any) -> Any:
        async with gate:
            return await coro

    return await asyncio.gather(*(run(c) for c in coros))


async def session(bases: list[str], participants: int, decisions: int) -> dict[str, Any]:
    fac = Facilitator(bases[0])
    await fac.setup()
    people = [Participant(bases[i % len(bases)], i) for i in range(participants)]
    began = time.perf_counter()
    await gather_limited([p.join(fac.code) for p in people], 50)
    join_s = time.perf_counter() - began
    opened = [asyncio.Event() for _ in people]
    for person, event in zip(people, opened, strict=True):
        person.task = asyncio.create_task(person.listen(fac.code, event))
    await asyncio.wait_for(asyncio.gather(*(e.wait() for e in opened)), 120)
    print(f"  {participants} joined in {join_s:.1f} s; all streams open", flush=True)

    delays: list[float] = []
    vote_s: list[float] = []
    page = await fac.act("start")
    for number in range(1, decisions + 1):
        while 'value="advance"' in page:
            page = await fac.act("advance")
        if 'value="reveal"' not in page:
            break  # an ending came first
        await asyncio.gather(
            *(
                p.wait_for(lambda d, n=number: d["round"] == n and d["phase"] == "voting")
                for p in people
            )
        )
        html = next(d for _, d in reversed(people[0].states) if d["phase"] == "voting")["html"]
        choices = re.findall(r'name="choice" type="radio" value="([^"]+)"', html)
        began = time.perf_counter()
        statuses = await gather_limited([p.vote(fac.code, number, choices) for p in people], 50)
        vote_s.append(time.perf_counter() - began)
        assert statuses == [200] * participants, sorted(set(statuses))
        await asyncio.sleep(0.5)  # let the servers settle before the measured moment
        start = time.perf_counter()
        await fac.act("reveal")
        seen = await asyncio.gather(
            *(
                p.wait_for(lambda d, n=number: d["round"] == n and d["phase"] == "revealed")
                for p in people
            )
        )
        these = [s - start for s in seen]
        delays += these
        print(
            f"  decision {number}: {participants} votes in {vote_s[-1]:.2f} s; reveal seen by all "
            f"after p50 {1000 * statistics.median(these):.0f} ms, max {1000 * max(these):.0f} ms",
            flush=True,
        )
        page = await fac.act("majority")
        if 'value="majority"' in page or "tied" in page:
            first = re.search(r'name="choice" type="radio" value="([^"]+)"', page)
            assert first
            page = await fac.act("choose", first.group(1))
    for person in people:
        if person.task:
            person.task.cancel()
    await asyncio.gather(*(p.task for p in people if p.task), return_exceptions=True)
    await asyncio.gather(*(p.client.aclose() for p in people))
    await fac.client.aclose()
    return {
        "p50_ms": 1000 * percentile(delays, 0.5),
        "p99_ms": 1000 * percentile(delays, 0.99),
        "max_ms": 1000 * max(delays),
        "samples": len(delays),
        "vote_s": max(vote_s),
    }


def load() -> str:
    """The 1, 5 and 15 minute load averages (the machine is shared: figures are noisy)."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def forget(url: str, prefix: str) -> None:
    """Delete the bench deployment's cache keys from the shared Redis."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def redis_url() -> str:
    url = os.environ.get("REDIS_URL") or os.environ.get(
        "KALEIDOSCOPE_TEST_REDIS", "redis://127.0.0.1:6379/0"
    )
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=3).ping()
    except redis.RedisError as exc:
        print(f"no Redis at {url} ({exc}): the two-process run is skipped")
        return ""
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--decisions", type=int, default=3, help="reveals measured per run")
    parser.add_argument("--runs", type=int, default=5, help="sessions in a row per set-up")
    parser.add_argument(
        "--setups", default="one,two", help="which set-ups to run (comma separated: one, two)"
    )
    args = parser.parse_args()
    setups = {s.strip() for s in args.setups.split(",")}
    results: dict[str, dict[str, Any]] = {}
    failed: dict[str, int] = {}

    def repeat(name: str, urls: list[str]) -> None:
        samples: list[dict[str, Any]] = []
        failed[name] = 0
        for run in range(args.runs):
            try:
                samples.append(asyncio.run(session(urls, args.participants, args.decisions)))
                print(
                    f"{name} run {run + 1}: p99 {samples[-1]['p99_ms']:.0f} ms "
                    f"(load average {load()})",
                    flush=True,
                )
            except Exception as exc:  # a failed run is counted and shown, not hidden
                failed[name] += 1
                print(f"{name} run {run + 1}: FAILED {exc!r} (load average {load()})", flush=True)
        if samples:
            worst = max(samples, key=lambda r: r["p99_ms"])
            results[name] = worst

    if "one" in setups:
        print(f"one process: {args.participants} participants x {args.runs}", flush=True)
        server = LiveServer().start()
        try:
            repeat("one", [server.url])
        finally:
            server.close()

    url = redis_url() if "two" in setups else ""
    if url:
        print(f"two processes + Redis: {args.participants} participants x {args.runs}", flush=True)
        first, second = LiveServer(), LiveServer()
        second.env["KALEIDOSCOPE_DATA_DIR"] = str(first.data_dir)
        # A cache prefix of this deployment's own, as two sites sharing one Redis would
        # have: the Redis here is shared with other people's test runs, and the join-code
        # limit (20 wrong codes a minute per address) is kept under a key of the client's
        # address, 127.0.0.1 for every local run. Under the default prefix, someone else's
        # wrong codes from 127.0.0.1 in the last minute made every join here a 429.
        prefix = f"bench-groups-{random.randrange(16**8):08x}"
        for srv in (first, second):
            srv.env["REDIS_URL"] = url
            srv.env["KALEIDOSCOPE_CACHE_PREFIX"] = prefix
        try:
            first.start()
            second.start()
            repeat("two", [first.url, second.url])
        finally:
            second.close()
            first.close()
            forget(url, prefix)

    for name, r in results.items():
        print(
            f"{name} (worst run): reveal seen by every participant: p50 {r['p50_ms']:.0f} ms, "
            f"p99 {r['p99_ms']:.0f} ms, max {r['max_ms']:.0f} ms ({r['samples']} samples); "
            f"slowest {args.participants} votes {r['vote_s']:.2f} s"
        )
    pairs = [f"participants={args.participants}", f"runs={args.runs}"]
    pairs += [f"load1={os.getloadavg()[0]:.2f}"]
    pairs += [f"{name}_failed_runs={count}" for name, count in failed.items()]
    for name, r in results.items():
        pairs += [
            f"{name}_p50_ms={r['p50_ms']:.0f}",
            f"{name}_p99_ms={r['p99_ms']:.0f}",
            f"{name}_max_ms={r['max_ms']:.0f}",
        ]
    print(" ".join(pairs))


if __name__ == "__main__":
    main()
