"""Speed of the full check: posts/s on one core, and a 100,000-post X archive end to end.

    .venv/bin/python bench/check_speed.py [--posts 20000] [--archive-posts 100000]

(a) check_post over a realistic mix: template-generated practitioner posts (most safe,
    some risky, with emoji and hashtags) plus the labelled dev set, in varied metadata.
(b) writes a zip X archive with tests/archive_factory.py into a temp dir, then times
    scan_archive (detect, stream, parse, check, summarise) in a fresh subprocess pinned to
    one core and reads its peak RSS (ru_maxrss, whole process, interpreter included).
    The time includes loading the checker's rules (nothing is warmed first).

Targets (issue 5): >= 20,000 posts/s; archive <= 10 s and <= 400 MB peak.
The last line holds the figures: posts_per_s=... archive_posts=... archive_s=... peak_mb=...
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import archive_factory as af  # noqa: E402

from kaleidoscope.check.records import Audience, Platform, Post  # noqa: E402

DEV = ROOT.parent / "shared" / "data" / "posts_dev.jsonl"

CHILD = """
import json, os, resource, sys, time
from pathlib import Path
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
from kaleidoscope.check.scan import scan_archive
started = time.perf_counter()
summary = scan_archive(Path(sys.argv[1]))
seconds = time.perf_counter() - started
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "posts": sum(summary.posts_by_kind.values()),
                  "checked": summary.checked, "flagged": len(summary.flagged),
                  "peak_mb": peak_kb / 1024}))
"""


def pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def mixed_posts(n: int) -> list[Post]:
    texts = list(af.sample_texts(n, seed=3))
    if DEV.exists():
        dev = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines()]
        texts[: len(dev) * 10] = list(islice(cycle(dev), len(dev) * 10))[: len(texts)]
    platforms = cycle(list(Platform)[:6])
    audiences = cycle([Audience.PUBLIC, Audience.FRIENDS, Audience.FOLLOWERS, None])
    return [
        Post(id=str(i), text=t, platform=next(platforms), audience=next(audiences))
        for i, t in enumerate(texts)
    ]


def bench_check(n: int) -> float:
    from kaleidoscope.check.checker import check_post

    posts = mixed_posts(n)
    for post in posts[:500]:
        check_post(post)  # warm up: rules loaded and compiled
    best = 0.0
    for _ in range(3):
        started = time.perf_counter()
        for post in posts:
            check_post(post)
        best = max(best, len(posts) / (time.perf_counter() - started))
    return best


def bench_dev(rounds: int = 20) -> tuple[float, float]:
    """posts/s over the 200 dev posts checked again and again (nearly all about social
    work: the slow path); the second figure also reads every finding's rewrite."""
    from kaleidoscope.check.checker import check_post, parse_audience, parse_platform

    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    posts = [
        Post(id=str(i), text=r["text"], platform=parse_platform(r.get("platform")),
             audience=parse_audience(r.get("audience")))
        for i, r in enumerate(rows)
    ]
    rates = []
    for read_rewrites in (False, True):
        best = 0.0
        for _ in range(3):
            started = time.perf_counter()
            for _ in range(rounds):
                for post in posts:
                    result = check_post(post)
                    if read_rewrites:
                        for finding in result.findings:
                            _ = finding.rewrite
            best = max(best, rounds * len(posts) / (time.perf_counter() - started))
        rates.append(best)
    return rates[0], rates[1]


def bench_archive(n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="kaleidoscope-bench-") as tmp:
        path = Path(tmp) / "twitter-archive.zip"
        started = time.perf_counter()
        af.write_big_x_archive(path, n)
        print(f"wrote {n} tweets: {path.stat().st_size / 1e6:.1f} MB zip in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)], check=True, capture_output=True, text=True
        ).stdout
        result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--archive-posts", type=int, default=100_000)
    args = parser.parse_args()
    pin_one_core()
    rate = bench_check(args.posts)
    print(f"check_post: {rate:,.0f} posts/s over {args.posts} mixed posts (one core)")
    dev_rate, dev_rewrite_rate = bench_dev() if DEV.exists() else (0.0, 0.0)
    print(f"check_post: {dev_rate:,.0f} posts/s over the dev posts repeated "
          f"({dev_rewrite_rate:,.0f} reading every rewrite)")
    result = bench_archive(args.archive_posts)
    print(f"archive: {result['posts']:.0f} records ({result['checked']:.0f} checked, "
          f"{result['flagged']:.0f} flagged) in {result['seconds']:.2f} s, "
          f"peak {result['peak_mb']:.0f} MB")
    print(f"posts_per_s={rate:.0f} archive_posts={result['posts']:.0f} "
          f"archive_s={result['seconds']:.2f} peak_mb={result['peak_mb']:.0f} "
          f"dev_posts_per_s={dev_rate:.0f} dev_rewrite_posts_per_s={dev_rewrite_rate:.0f}")


if __name__ == "__main__":
    main()
