"""The labelled corpus the checker learns from (data/posts/train, docs/corpus.md).

Every record keeps the label guide's shape: known categories, a severity that is "none"
exactly when there are no labels, evidence for each label that is an exact substring of the
text. Every batch has a writer (the folds of `make model` and bench/cross_writer.py), and
the agreement study's relabel (bench/agreement.py) names only posts that exist.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from kaleidoscope.check.records import Category

ROOT = Path(__file__).resolve().parents[2]
TRAIN = ROOT / "data" / "posts" / "train"
RELABEL = ROOT / "data" / "posts" / "agreement" / "relabel-b.jsonl"
CATEGORIES = {c.value for c in Category}
SEVERITIES = {"none", "low", "medium", "high"}
BATCHES = sorted(TRAIN.glob("batch-t*.jsonl"))


def records(path: Path) -> list[tuple[int, dict[str, Any]]]:
    lines = path.read_text("utf-8").splitlines()
    return [(n, json.loads(line)) for n, line in enumerate(lines, start=1) if line.strip()]


def faults(record: dict[str, Any]) -> list[str]:
    out = []
    labels = record.get("labels")
    if not isinstance(labels, list) or not set(labels) <= CATEGORIES:
        return [f"labels {labels!r}"]
    if record.get("severity") not in SEVERITIES or (record["severity"] == "none") != (not labels):
        out.append(f"severity {record.get('severity')!r} with labels {labels}")
    evidence = record.get("evidence", {})
    if set(evidence) != set(labels):
        out.append(f"evidence for {sorted(evidence)}, labels {sorted(labels)}")
    for category, spans in evidence.items():
        out += [f"{category} evidence {s!r} not in text" for s in spans if s not in record["text"]]
    return out


def test_there_are_training_batches() -> None:
    assert len(BATCHES) >= 40


@pytest.mark.parametrize("path", BATCHES, ids=[p.stem for p in BATCHES])
def test_every_record_keeps_the_guide_shape(path: Path) -> None:
    bad = [f"{path.name}:{n}: {fault}" for n, r in records(path) for fault in faults(r)]
    assert not bad, "\n".join(bad)


def test_ids_are_unique_and_every_batch_has_a_writer() -> None:
    ids = [r["id"] for path in BATCHES for _, r in records(path)]
    assert len(ids) == len(set(ids))
    spec = importlib.util.spec_from_file_location("trainer", ROOT / "tools" / "train_checker.py")
    assert spec is not None and spec.loader is not None
    trainer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(trainer)
    known = {stem for stems in trainer.WRITERS.values() for stem in stems}
    assert {p.stem for p in BATCHES} <= known


def test_the_shape_check_can_fail() -> None:
    good = {"text": "a day off", "labels": [], "severity": "none", "evidence": {}}
    assert faults(good) == []
    assert faults({**good, "labels": ["gossip"]})
    assert faults({**good, "severity": "high"})
    risky = {**good, "labels": ["self_disclosure"], "severity": "low"}
    assert faults(risky)  # no evidence
    assert faults({**risky, "evidence": {"self_disclosure": ["hungover"]}})  # not in text


def test_the_relabel_names_training_posts_only() -> None:
    ids = {r["id"] for path in BATCHES for _, r in records(path)}
    relabel = records(RELABEL)
    assert len(relabel) == 300
    assert all(r["id"] in ids and set(r["labels"]) <= CATEGORIES for _, r in relabel)
