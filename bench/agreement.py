"""How far two people labelling by the same guide agree: the ceiling for the checker.

    .venv/bin/python bench/agreement.py [RELABEL.jsonl]

data/posts/agreement/relabel-b.jsonl holds a second labeller's labels (ids only) for 300
posts drawn at random (seed 7) from writers W3-W11's training batches. The second labeller
read the label guide and the texts, never the writers' labels. Each writer's labels are
scored against the relabel with the checker's own tally, per category: if people agree at
a macro-F1 of x, no checker can be held to more than about x.

Last line: name=value pairs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from eval_posts import CATEGORIES, _f1, tally  # noqa: E402  (a sibling script)

RELABEL = ROOT / "data" / "posts" / "agreement" / "relabel-b.jsonl"
TRAIN = ROOT / "data" / "posts" / "train"


def read_jsonl(path: Path) -> list[dict[str, object]]:
    rows = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except ValueError as exc:
            raise SystemExit(f"error: {path}:{number}: {exc}") from None
    return rows


def main(argv: list[str]) -> int:
    relabel = Path(argv[0]) if argv else RELABEL
    writers: dict[str, set[str]] = {}
    for path in sorted(TRAIN.glob("batch-t*.jsonl")):
        for record in read_jsonl(path):
            writers[str(record["id"])] = set(record["labels"])  # type: ignore[arg-type]
    counts = {c: [0, 0, 0] for c in CATEGORIES}
    agree_safe = posts = 0
    for record in read_jsonl(relabel):
        key = str(record["id"])
        if key not in writers:
            raise SystemExit(f"error: {relabel}: id {key!r} is in no training batch")
        gold, other = writers[key], set(record["labels"])  # type: ignore[arg-type]
        tally(counts, gold, other)
        posts += 1
        agree_safe += (not gold) == (not other)
    f1s = {}
    print(f"{'category':<20} {'P':>6} {'R':>6} {'F1':>6}  (the writer's labels as gold)")
    for category in CATEGORIES:
        p, r, f = _f1(*counts[category])
        f1s[category] = f
        print(f"{category:<20} {p:6.3f} {r:6.3f} {f:6.3f}")
    macro = sum(f1s.values()) / len(f1s)
    print(f"macro-F1 {macro:.3f}; safe-or-not agreement {agree_safe}/{posts}")
    pairs = " ".join(f"{c}_f1={f:.3f}" for c, f in f1s.items())
    print(f"posts={posts} macro_f1={macro:.3f} {pairs} safe_agreement={agree_safe / posts:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
