"""Train the checker's learned layer from the repo's labelled posts, deterministically.

    .venv/bin/python tools/train_checker.py            # write the packaged weights
    .venv/bin/python tools/train_checker.py --check    # retrain; fail unless identical

Data (all in the repo): data/posts/train/*.jsonl (writers W1-W32) and the project's own
labelled posts, tests/fixtures/check/*.jsonl. Never the held-out batches, never the dev set
(a regression set), never the real tweets (their texts are not ours to keep).

Model: one logistic regression per category over `kaleidoscope.check.model.features`
(words, word pairs, emoji, the same words in a care context, lexicon concepts, rule
categories), trained by plain stochastic gradient descent in a fixed order (a seeded
linear congruential shuffle), with L2 decay on the weights it touches. Features seen in
fewer than two training posts are dropped. Each category's threshold is chosen on
leave-one-writer-out folds (each writer's batches scored by a model trained on the other
writers; then the model is retrained on everything),
with a lower "rule floor": where a rule fired, a smaller probability is enough (the model
re-weights the rules' findings rather than ignoring them).
The weights are written rounded to 4 decimals, keys sorted: the same data always gives the
same bytes.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from kaleidoscope.check.checker import Signals, parse_audience, parse_platform, post_signals
from kaleidoscope.check.model import FORMAT, MODEL_FILE
from kaleidoscope.check.records import Category, Post

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT / "data" / "posts" / "train"
OWN = ROOT / "tests" / "fixtures" / "check"
OUT = ROOT / "src" / "kaleidoscope" / "check" / MODEL_FILE
# Who wrote which batch (docs/corpus.md). Thresholds are chosen on each writer's batches
# scored by a model trained without that writer: the checker meets writers it has not seen.
WRITERS = {
    "W1": [f"batch-t{i:02d}" for i in range(1, 11)],
    "W2": [f"batch-t{i:02d}" for i in range(11, 21)],
    "W3": [f"batch-t{i:02d}" for i in range(21, 26)],
    "W4": [f"batch-t{i:02d}" for i in range(26, 31)],
    "W5": [f"batch-t{i:02d}" for i in range(31, 36)],
    "W6": [f"batch-t{i:02d}" for i in range(36, 41)],
    "W7": [f"batch-t{i:02d}" for i in range(41, 44)],  # everyday public timelines
    "W8": [f"batch-t{i:02d}" for i in range(44, 47)],  # practitioners' personal posts
    "W9": [f"batch-t{i:02d}" for i in range(47, 51)],  # confidentiality and consent
    "W10": [f"batch-t{i:02d}" for i in range(51, 55)],  # boundaries, self, employer
    "W11": [f"batch-t{i:02d}" for i in range(55, 59)],  # derogatory, threads
    "W12": [f"batch-t{i:02d}" for i in range(59, 63)],  # everyday 2009-style tweets
    "W13": [f"batch-t{i:02d}" for i in range(63, 67)],  # everyday practitioners' posts
    "W14": [f"batch-t{i:02d}" for i in range(67, 70)],  # long-form confidentiality, consent
    "W15": [f"batch-t{i:02d}" for i in range(70, 73)],  # subtle employer criticism, derogatory
    "W16": [f"batch-t{i:02d}" for i in range(73, 77)],  # confidentiality shorthand, consent
    "W17": [f"batch-t{i:02d}" for i in range(77, 81)],  # boundaries, self-disclosure, derogatory
    "W18": [f"batch-t{i:02d}" for i in range(81, 85)],  # several risks at once, employer
    "W19": [f"batch-t{i:02d}" for i in range(85, 89)],  # derogatory, consent
    "W20": [f"batch-t{i:02d}" for i in range(89, 93)],  # very short posts, every category
    "W21": [f"batch-t{i:02d}" for i in range(93, 97)],  # one risky clause in a longer post
    "W22": [f"batch-t{i:02d}" for i in range(97, 101)],  # confidentiality as casual anecdote
    "W23": [f"batch-t{i:02d}" for i in range(101, 105)],  # adults', health, justice settings
    "W24": [f"batch-t{i:02d}" for i in range(105, 109)],  # pictures, media and links
    "W25": [f"batch-t{i:02d}" for i in range(109, 113)],  # confidentiality without keywords
    "W26": [f"batch-t{i:02d}" for i in range(113, 117)],  # irony; derogatory without slurs
    "W27": [f"batch-t{i:02d}" for i in range(117, 121)],  # boundaries, self-disclosure
    "W28": [f"batch-t{i:02d}" for i in range(121, 125)],  # an ordinary archive (65% safe)
    "W29": [f"batch-t{i:02d}" for i in range(125, 129)],  # names no list knows
    "W30": [f"batch-t{i:02d}" for i in range(129, 133)],  # derogatory, employer criticism
    "W31": [f"batch-t{i:02d}" for i in range(133, 137)],  # boundaries, consent, indirectly
    "W32": [f"batch-t{i:02d}" for i in range(137, 141)],  # forty practitioners' timelines
}
CATEGORIES = [c.value for c in Category]
EPOCHS = 15
RATE = 0.2
L2 = 1e-3
SEED = 12345
MIN_POSTS = 2
THRESHOLDS = [round(0.15 + 0.05 * i, 2) for i in range(12)]  # 0.15 ... 0.70
FLOORS = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.7]  # where a fired rule is enough

Example = tuple[list[str], set[str], Signals]


def read(path: Path) -> list[Example]:
    out: list[Example] = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            post = Post(
                id=str(record.get("id", number)),
                text=record["text"],
                platform=parse_platform(record.get("platform")),
                audience=parse_audience(record.get("audience")),
            )
            labels = set(record.get("labels", []))
        except (ValueError, KeyError, TypeError) as exc:
            raise SystemExit(f"error: {path}:{number}: {exc}") from None
        unknown = labels - set(CATEGORIES)
        if unknown:
            raise SystemExit(f"error: {path}:{number}: unknown labels {sorted(unknown)}")
        signals = post_signals(post)
        out.append((signals.features, labels, signals))
    return out


def _shuffle(order: list[int], seed: int) -> int:
    for i in range(len(order) - 1, 0, -1):
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        j = seed % (i + 1)
        order[i], order[j] = order[j], order[i]
    return seed


def train(examples: list[Example]) -> dict[str, list[float]]:
    """Weights by feature, one per category (features in fewer than MIN_POSTS dropped)."""
    seen = Counter(f for feats, _, _ in examples for f in set(feats))
    keep = {f for f, n in seen.items() if n >= MIN_POSTS}
    data = [([f for f in feats if f in keep], labels) for feats, labels, _ in examples]
    weights = [dict.fromkeys(sorted(keep), 0.0) for _ in CATEGORIES]
    order = list(range(len(data)))
    seed = SEED
    for epoch in range(EPOCHS):
        seed = _shuffle(order, seed)
        eta = RATE / (1.0 + 0.5 * epoch)
        for i in order:
            feats, labels = data[i]
            for c, category in enumerate(CATEGORIES):
                w = weights[c]
                z = math.fsum(w[f] for f in feats)
                p = 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))
                g = (1.0 if category in labels else 0.0) - p
                for f in feats:
                    v = w[f]
                    w[f] = v + eta * (g - L2 * v)
    return {f: [weights[c][f] for c in range(len(CATEGORIES))] for f in sorted(keep)}


def _train_all(sets: list[list[Example]]) -> list[dict[str, list[float]]]:
    """`train` on each set, in one forked process per core where fork is available (each
    fit is deterministic and independent, so the bytes do not depend on the process count;
    the children inherit the sets and send back only the weights)."""
    jobs = min(len(sets), os.cpu_count() or 1)
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [train(examples) for examples in sets]
    context = multiprocessing.get_context("fork")
    out: list[dict[str, list[float]]] = []
    for first in range(0, len(sets), jobs):
        batch = sets[first : first + jobs]
        pipes = [context.Pipe(duplex=False) for _ in batch]
        children = [
            context.Process(target=_train_into, args=(examples, sender), daemon=True)
            for examples, (_, sender) in zip(batch, pipes, strict=True)
        ]
        for child in children:
            child.start()
        out += [receiver.recv() for receiver, _ in pipes]
        for child in children:
            child.join()
            if child.exitcode != 0:
                raise SystemExit(f"error: a training process failed (exit {child.exitcode})")
    return out


def _train_into(examples: list[Example], sender: Any) -> None:
    sender.send(train(examples))
    sender.close()


def _probability(weights: dict[str, list[float]], feats: list[str], c: int) -> float:
    z = math.fsum(weights[f][c] for f in feats if f in weights)
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


def choose_thresholds(
    folds: list[tuple[dict[str, list[float]], list[Example]]],
) -> tuple[list[float], list[float]]:
    """Per category, the threshold and the rule floor with the best F1 on the held-back
    writers of every fold together (each fold: weights trained without that writer), for
    the decision `check_post` makes (`Signals.decides`): where a rule fired, the floor (or
    the rules' certainty) is enough; alone, the model needs the threshold, the category's
    MODEL_ALONE bar and the post in scope. Ties: the higher values (fewer false alarms)."""
    thresholds, floors = [], []
    for c, category in enumerate(CATEGORIES):
        probs = [
            (_probability(weights, feats, c), signals, category in labels)
            for weights, tune in folds
            for feats, labels, signals in tune
        ]
        best, best_f1 = (0.5, 0.5), -1.0
        for t in THRESHOLDS:
            for floor in FLOORS:
                if floor > t:
                    continue
                tp = fp = fn = 0
                for p, signals, y in probs:
                    got = signals.decides(category, p, t, floor)
                    tp += got and y
                    fp += got and not y
                    fn += y and not got
                f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
                if f1 >= best_f1:
                    best, best_f1 = (t, floor), f1
        thresholds.append(best[0])
        floors.append(best[1])
    return thresholds, floors


def build(exclude: frozenset[str] | set[str] = frozenset()) -> bytes:
    """The weights file's bytes, trained on every batch except those named in `exclude`
    (by stem: the cross-writer check holds back one writer's batches)."""
    batches = [p for p in sorted(TRAIN.glob("batch-t*.jsonl")) if p.stem not in exclude]
    if not batches:
        raise SystemExit(f"error: {TRAIN}: no training batches")
    known = {stem for stems in WRITERS.values() for stem in stems}
    for path in batches:
        if path.stem not in known:
            raise SystemExit(f"error: {path}: no writer for this batch (WRITERS in {__file__})")
    own: list[Example] = []
    for path in sorted(OWN.glob("*.jsonl")):
        own += read(path)
    by_batch = {path.stem: read(path) for path in batches}
    fits, tunes = [], []
    for stems in WRITERS.values():  # each writer held back in turn (unseen writing)
        held = {stem for stem in stems if stem in by_batch}
        if not held or len(held) == len(by_batch):
            continue
        fits.append([x for stem, rows in by_batch.items() if stem not in held for x in rows] + own)
        tunes.append([x for stem, rows in by_batch.items() if stem in held for x in rows])
    if not fits:
        raise SystemExit("error: thresholds need batches from at least two writers")
    every = [x for rows in by_batch.values() for x in rows]
    *fold_weights, weights = _train_all([*fits, every + own])
    thresholds, floors = choose_thresholds(list(zip(fold_weights, tunes, strict=True)))
    rounded = {}
    for feature, row in weights.items():
        values = [round(v, 4) + 0.0 for v in row]  # + 0.0: no "-0.0"
        if any(values) or feature == "bias":
            rounded[feature] = values
    document = {
        "format": FORMAT,
        "categories": CATEGORIES,
        "thresholds": thresholds,
        "rule_floors": floors,
        "trained_on": {"posts": len(every) + len(own), "batches": len(batches)},
        "weights": rounded,
    }
    return (json.dumps(document, sort_keys=True, separators=(",", ":")) + "\n").encode()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail unless the shipped file matches")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    data = build()
    if args.check:
        if not args.out.is_file() or args.out.read_bytes() != data:
            print(f"error: {args.out} differs from a fresh training run", file=sys.stderr)
            return 1
        print(f"{args.out}: identical to a fresh training run ({len(data):,} bytes)")
        return 0
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
