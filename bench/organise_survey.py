"""Bench: a staff survey of 300 respondents answering within one minute, against a real
`kaleidoscope serve`, on SQLite and on PostgreSQL.

The lead signs up and opens an assessment. Each respondent is its own HTTP client
(a thread with its own cookies and keep-alive connection, like a phone): at a random
moment in the minute it
opens the survey page (which sets its CSRF and browser-marker cookies) and then sends
all 31 answers. The bench times each submit (the POST) and reports p50, p99 and max, and
checks that every response was counted exactly once. Goal: submit p99 <= 200 ms.

PostgreSQL: ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/test); the
server gets a fresh database that is dropped afterwards (tests/web/live.py). Skipped,
and said so, if no PostgreSQL answers.

The load generator runs on the same 2-core machine as the server: figures are noisy, so
each run reports the 1-minute load average at its start and end (other jobs count too).
Last line: name=value pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kaleidoscope.organise.validate import bundled_instrument
from tests.web.live import KALEIDOSCOPE, Learner, LiveServer

PASSWORD = "a-long-pass-phrase-42"
POSTGRES = "postgres://postgres@127.0.0.1:5432/test"


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def post(client: httpx.AsyncClient, url: str, form: dict[str, str]) -> httpx.Response:
    data = {"csrfmiddlewaretoken": client.cookies.get("csrftoken", ""), **form}
    return await client.post(url, data=data, headers={"Referer": str(client.base_url) + "/"})


async def open_survey(base: str) -> tuple[str, str]:
    async with httpx.AsyncClient(base_url=base, timeout=60) as lead:
        await lead.get("/accounts/sign-up/")
        signed = await post(
            lead,
            "/accounts/sign-up/",
            {"username": "bench-lead", "password1": PASSWORD, "password2": PASSWORD},
        )
        assert signed.status_code in (302, 303), signed.status_code
        await lead.get("/organise/")
        made = await post(lead, "/organise/new/", {"organisation": "Bench Council"})
        assert made.status_code == 303, made.status_code
        page = (await lead.get(made.headers["location"])).text
        code = re.search(r'class="k-organise-code">([A-Z0-9]{6})<', page)
        assert code, "no survey code on the lead's page"
        return code.group(1), made.headers["location"]


def respondent(
    port: int, code: str, delay: float, answers: dict[str, str], timings: list[float]
) -> int | str:
    time.sleep(delay)
    phone = Learner(port)  # its own cookies and keep-alive connection, like a phone
    try:
        status, _, _ = phone.request("GET", f"/organise/s/{code}/")
        if status != 200:
            return f"page {status}"
        start = time.perf_counter()
        status, _, _ = phone.request("POST", f"/organise/s/{code}/", answers)
        timings.append(1000 * (time.perf_counter() - start))
        return status
    except OSError as exc:
        return type(exc).__name__
    finally:
        if phone.conn is not None:
            phone.conn.close()


def run(server: LiveServer, respondents: int, window: float, seed: int) -> dict[str, Any]:
    inst = bundled_instrument()
    rng = random.Random(seed)
    code, lead_path = asyncio.run(open_survey(server.url))
    timings: list[float] = []
    jobs = []
    for _ in range(respondents):
        answers = {q.id: rng.choice(inst.scale_of(q).options).id for q in inst.questions}
        jobs.append((server.port, code, rng.uniform(0, window), answers, timings))
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=respondents) as pool:
        statuses = list(pool.map(lambda job: respondent(*job), jobs))
    elapsed = time.perf_counter() - began
    page = asyncio.run(lead_page(server.url, lead_path))
    counted = re.search(r'data-count="responses">(\d+)<', page)
    failures: dict[str, int] = {}
    for status in statuses:
        if status != 303:
            failures[str(status)] = failures.get(str(status), 0) + 1
    if failures:
        print(f"  failures: {failures}", flush=True)
    return {
        "ok": sum(1 for s in statuses if s == 303),
        "counted": int(counted.group(1)) if counted else -1,
        "elapsed": elapsed,
        "p50": percentile(timings, 0.50),
        "p99": percentile(timings, 0.99),
        "max": max(timings) if timings else float("nan"),
    }


async def lead_page(base: str, path: str) -> str:
    async with httpx.AsyncClient(base_url=base, timeout=60) as lead:
        await lead.get("/accounts/sign-in/")
        await post(lead, "/accounts/sign-in/", {"username": "bench-lead", "password": PASSWORD})
        return (await lead.get(path)).text


def bench(database_url: str | None, args: argparse.Namespace) -> dict[str, Any]:
    server = LiveServer(database_url)
    try:
        if database_url:  # `serve` migrates only SQLite; a shared PostgreSQL is migrated first
            subprocess.run([str(KALEIDOSCOPE), "migrate"], env=server.env, check=True)
        server.start()
        load_start = os.getloadavg()[0]
        result = run(server, args.respondents, args.window, args.seed)
        result["load"] = f"{load_start:.2f}-{os.getloadavg()[0]:.2f}"  # other jobs count too
        return result
    finally:
        server.close()


def postgres_up(url: str) -> str | None:
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3):
            return None
    except Exception as exc:  # any failure means: skip, and say why
        return str(exc).splitlines()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--respondents", type=int, default=300)
    parser.add_argument("--window", type=float, default=60.0, help="seconds")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    results: dict[str, dict[str, Any]] = {}
    print(f"sqlite: {args.respondents} respondents within {args.window:.0f} s", flush=True)
    results["sqlite"] = bench(None, args)
    url = os.environ.get("DATABASE_URL") or POSTGRES
    problem = postgres_up(url)
    if problem:
        print(f"no PostgreSQL at {url} ({problem}): the PostgreSQL run is skipped")
    else:
        print(f"postgresql: {args.respondents} respondents within {args.window:.0f} s", flush=True)
        results["postgres"] = bench(url, args)
    pairs = [f"respondents={args.respondents}"]
    for name, r in results.items():
        print(
            f"{name}: {r['ok']} answered, {r['counted']} counted, in {r['elapsed']:.1f} s; "
            f"submit p50 {r['p50']:.0f} ms, p99 {r['p99']:.0f} ms, max {r['max']:.0f} ms; "
            f"load average {r['load']}"
        )
        pairs += [
            f"{name}_counted={r['counted']}",
            f"{name}_submit_p50_ms={r['p50']:.0f}",
            f"{name}_submit_p99_ms={r['p99']:.0f}",
            f"{name}_submit_max_ms={r['max']:.0f}",
            f"{name}_load1={r['load']}",
        ]
    print(" ".join(pairs))


if __name__ == "__main__":
    main()
