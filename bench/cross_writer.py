"""How the checker does on a writer it has never seen, from the training corpus alone.

    .venv/bin/python bench/cross_writer.py [W3 W4 ...]

For each writer of data/posts/train (WRITERS in tools/train_checker.py), the model is
trained without that writer's batches (the same recipe as `make model`, thresholds included)
and the full check (rules + that model) is run on the writer's posts. This is the figure to
tune against: the sealed held-out batches (data/posts/heldout) are written by yet another
writer and are only ever scored by bench/eval_posts.py. Rules were written against W1 and W2,
so W3-W6 are the fairer part of this figure.

Last line: name=value pairs (means over the writers).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path

from kaleidoscope.check import model as checker_model
from kaleidoscope.check.checker import check_text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from eval_posts import _f1, tally  # noqa: E402  (a sibling script, not a package)

_spec = importlib.util.spec_from_file_location("train_checker", ROOT / "tools" / "train_checker.py")
assert _spec is not None and _spec.loader is not None
trainer = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(trainer)


def score(rows: list[dict[str, object]]) -> tuple[dict[str, float], float]:
    counts = {c: [0, 0, 0] for c in trainer.CATEGORIES}
    safe = alarms = 0
    for record in rows:
        platform, audience = record.get("platform"), record.get("audience")
        got = set(check_text(
            str(record["text"]),
            platform if isinstance(platform, str) else None,
            audience if isinstance(audience, str) else None,
        ).labels)
        labels = record.get("labels")
        gold = set(labels) if isinstance(labels, list) else set()
        if not gold:
            safe += 1
            alarms += bool(got)
        tally(counts, gold, got)
    f1 = {c: _f1(tp, fp, fn)[2] for c, (tp, fp, fn) in counts.items()}
    return f1, alarms / safe if safe else 0.0


def main(argv: list[str]) -> int:
    present = {p.stem for p in trainer.TRAIN.glob("batch-t*.jsonl")}
    chosen = argv or list(trainer.WRITERS)
    unknown = [w for w in chosen if w not in trainer.WRITERS]
    if unknown:
        print(f"error: unknown writer {', '.join(unknown)} (known: {', '.join(trainer.WRITERS)})",
              file=sys.stderr)
        return 2
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for writer in chosen:
            stems = [s for s in trainer.WRITERS[writer] if s in present]
            if not stems:
                continue
            weights = Path(scratch) / f"model-{writer}.json"
            weights.write_bytes(trainer.build(exclude=set(stems)))
            os.environ[checker_model.MODEL_ENV] = str(weights)
            checker_model.reset_model()
            rows = [
                json.loads(line)
                for stem in stems
                for line in (trainer.TRAIN / f"{stem}.jsonl").read_text("utf-8").splitlines()
                if line.strip()
            ]
            f1, alarms = score(rows)
            macro = sum(f1.values()) / len(f1)
            results.append((f1["confidentiality"], macro, alarms))
            cells = " ".join(f"{c}={v:.3f}" for c, v in f1.items())
            print(
                f"{writer} posts={len(rows)} {cells} macro_f1={macro:.3f} "
                f"safe_flagged={alarms:.3f}",
                flush=True,
            )
    if not results:
        print("error: no writer's batches found", file=sys.stderr)
        return 2
    n = len(results)
    print(
        f"writers={n} confidentiality_f1={sum(r[0] for r in results) / n:.3f} "
        f"macro_f1={sum(r[1] for r in results) / n:.3f} "
        f"safe_flagged={sum(r[2] for r in results) / n:.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
