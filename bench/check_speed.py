"""Speed of the full check on one core, old checker against new in the same run.

    .venv/bin/python bench/check_speed.py [--rounds 3] [--archive-posts 100000] [--old REV]
        [--archive-texts posts|templates] [--workers N]

(a) check_post over real and realistic posts, not templates: the labelled training corpus
    (data/posts/train, 2,000 posts), the dev set (../shared/data/posts_dev.jsonl) and the
    5,000 real tweets (../shared/data/real_posts_sample.jsonl). The sealed held-out batches
    are never read here. Each checker runs in its own fresh subprocess pinned to the same
    core: the new one from this tree, the old one (issue 12's rules-only checker, git
    revision --old, default 4bb07f0) from a `git archive` of that revision. Best of
    --rounds passes; the ratio new/old is printed.
(b) a zip X archive of --archive-posts tweets, timed end to end through scan_archive in a
    fresh subprocess with all cores (or --workers). Its texts are the posts of (a), in
    turn (--archive-texts posts, the default), or tests/archive_factory.py's template
    practitioner posts (--archive-texts templates); one in ten is a retweet, some are
    replies or carry a photo. Peak memory is that of the scanning process plus its
    largest worker's times the number of workers (ru_maxrss; an upper bound: forked
    workers share the rules and model with it). 0 skips it.

Targets (issue 13): full check >= 20,000 posts/s, never below 5,500; archive <= 10 s,
<= 400 MB. The last line holds the figures: name=value ...
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
SOURCES = {
    "corpus": sorted((ROOT / "data" / "posts" / "train").glob("*.jsonl")),
    "dev": [SHARED / "posts_dev.jsonl"],
    "real": [SHARED / "real_posts_sample.jsonl"],
}
OLD_REV = "4bb07f0"

TIMER = """
import json, os, sys, time
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {int(sys.argv[3])})
from kaleidoscope.check.checker import check_post
from kaleidoscope.check.records import Post
groups = json.load(open(sys.argv[1], encoding="utf-8"))
rounds = int(sys.argv[2])
out = {}
for name, rows in groups.items():
    posts = [Post(id=str(i), text=r["text"]) for i, r in enumerate(rows)]
    for post in posts[:200]:
        check_post(post)  # warm up: rules (and model) loaded
    best = 0.0
    flagged = 0
    for _ in range(rounds):
        started = time.perf_counter()
        flagged = sum(1 for post in posts if check_post(post).findings)
        best = max(best, len(posts) / (time.perf_counter() - started))
    out[name] = {"posts": len(posts), "per_s": best, "flagged": flagged}
print(json.dumps(out))
"""

ARCHIVE = """
import json, resource, sys, time
from pathlib import Path
from kaleidoscope.check.scan import default_workers, scan_archive
workers = int(sys.argv[2]) or default_workers()
started = time.perf_counter()
summary = scan_archive(Path(sys.argv[1]), workers=workers)
seconds = time.perf_counter() - started
own = resource.getrusage(resource.RUSAGE_SELF)
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "posts": sum(summary.posts_by_kind.values()),
                  "checked": summary.checked, "flagged": len(summary.flagged),
                  "workers": workers, "main_mb": own.ru_maxrss / 1024,
                  "worker_mb": children.ru_maxrss / 1024,
                  "cpu_s": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime}))
"""


def core() -> int:
    if hasattr(os, "sched_getaffinity"):
        return sorted(os.sched_getaffinity(0))[0]
    return 0


def load_groups() -> dict[str, list[dict[str, str]]]:
    groups: dict[str, list[dict[str, str]]] = {}
    for name, paths in SOURCES.items():
        rows = []
        for path in paths:
            if not path.is_file():
                continue
            for line in path.read_text("utf-8").splitlines():
                if line.strip():
                    rows.append({"text": str(json.loads(line)["text"])})
        if rows:
            groups[name] = rows
    groups["all"] = [row for rows in list(groups.values()) for row in rows]
    return groups


def old_tree(rev: str, into: Path) -> Path:
    """The old checker's source, from git (nothing else of the old tree is used)."""
    data = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src/kaleidoscope"],
        check=True, capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def time_checker(src: Path | None, posts_file: Path, rounds: int) -> dict[str, dict[str, float]]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
        env["PYTHONSAFEPATH"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", TIMER, str(posts_file), str(rounds), str(core())],
        check=True, capture_output=True, text=True, env=env,
    )
    result: dict[str, dict[str, float]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def bench_archive(n: int, texts: list[str] | None, workers: int) -> dict[str, float]:
    sys.path.insert(0, str(ROOT / "tests"))
    import archive_factory as af

    with tempfile.TemporaryDirectory(prefix="kaleidoscope-bench-") as tmp:
        path = Path(tmp) / "twitter-archive.zip"
        cycled = None if texts is None else (texts[k % len(texts)] for k in range(n))
        af.write_big_x_archive(path, n, texts=cycled)
        out = subprocess.run(
            [sys.executable, "-c", ARCHIVE, str(path), str(workers)], check=True,
            capture_output=True, text=True,
        ).stdout
        result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
        result["peak_mb"] = result["main_mb"] + result["workers"] * result["worker_mb"]
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--archive-posts", type=int, default=100_000)
    parser.add_argument("--old", default=OLD_REV, help="git revision of the old checker")
    parser.add_argument("--archive-texts", choices=("posts", "templates"), default="posts")
    parser.add_argument("--workers", type=int, default=0, help="archive: 0 = all cores")
    args = parser.parse_args()
    groups = load_groups()
    with tempfile.TemporaryDirectory(prefix="kaleidoscope-speed-") as tmp:
        posts_file = Path(tmp) / "posts.json"
        posts_file.write_text(json.dumps(groups), encoding="utf-8")
        old = time_checker(old_tree(args.old, Path(tmp) / "old"), posts_file, args.rounds)
        new = time_checker(None, posts_file, args.rounds)
    print(f"{'posts':<8} {'n':>6} {'old/s':>9} {'new/s':>9} {'ratio':>6} "
          f"{'old flagged':>11} {'new flagged':>11}")
    for name in groups:
        o, n = old[name], new[name]
        print(f"{name:<8} {n['posts']:6.0f} {o['per_s']:9,.0f} {n['per_s']:9,.0f} "
              f"{n['per_s'] / o['per_s']:6.2f} {o['flagged']:11.0f} {n['flagged']:11.0f}")
    figures = {
        "posts_per_s": new["all"]["per_s"],
        "old_posts_per_s": old["all"]["per_s"],
        "ratio": new["all"]["per_s"] / old["all"]["per_s"],
        "corpus_posts_per_s": new.get("corpus", {}).get("per_s", 0.0),
        "real_posts_per_s": new.get("real", {}).get("per_s", 0.0),
    }
    if args.archive_posts > 0:
        started = time.perf_counter()
        texts = None if args.archive_texts == "templates" else [r["text"] for r in groups["all"]]
        result = bench_archive(args.archive_posts, texts, args.workers)
        print(f"archive ({args.archive_texts}): {result['posts']:.0f} records "
              f"({result['checked']:.0f} checked, {result['flagged']:.0f} flagged) in "
              f"{result['seconds']:.2f} s with {result['workers']:.0f} workers "
              f"({result['cpu_s']:.1f} s CPU), peak {result['peak_mb']:.0f} MB "
              f"(scan {result['main_mb']:.0f} MB + {result['workers']:.0f} x worker "
              f"{result['worker_mb']:.0f} MB; with writing it: "
              f"{time.perf_counter() - started:.0f} s)")
        figures.update(archive_posts=result["posts"], archive_s=result["seconds"],
                       peak_mb=result["peak_mb"])
    print(" ".join(
        f"{k}={v:.2f}" if k in ("ratio", "archive_s") else f"{k}={v:.0f}"
        for k, v in figures.items()
    ))


if __name__ == "__main__":
    main()
