"""Evaluate the checker on a labelled JSONL file (default: shared/data/posts_dev.jsonl).

Usage: python bench/eval_posts.py [PATH] [--errors]

Prints per-category precision/recall/F1, macro-F1, severity agreement (exact match rate)
and false alarms on safe posts (share of label-less posts given any label), then one last
line of name=value pairs. --errors also lists every disagreement, for tuning.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kaleidoscope.check.checker import check_text
from kaleidoscope.check.records import Category

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "posts_dev.jsonl"


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    show_errors = "--errors" in argv
    path = Path(args[0]) if args else DEFAULT
    if not path.is_file():
        print(f"error: {path}: no such file", file=sys.stderr)
        return 2
    counts = {c.value: [0, 0, 0] for c in Category}  # tp, fp, fn
    same_severity = total = safe = false_alarms = 0
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text = record["text"]
        except (ValueError, KeyError, TypeError) as exc:
            print(f"error: {path}:{number}: skipped ({exc})", file=sys.stderr)
            continue
        result = check_text(text, record.get("platform"), record.get("audience"))
        gold = set(record.get("labels", []))
        got = set(result.labels)
        total += 1
        same_severity += result.severity.value == record.get("severity", "none")
        if not gold:
            safe += 1
            false_alarms += bool(got)
        for category, cell in counts.items():
            cell[0] += category in gold and category in got
            cell[1] += category not in gold and category in got
            cell[2] += category in gold and category not in got
        if show_errors and (gold != got or result.severity.value != record.get("severity")):
            print(
                f"{record.get('id')}: gold={sorted(gold)}/{record.get('severity')} "
                f"got={sorted(got)}/{result.severity.value}\n    {text}"
            )
            for f in result.findings:
                print(f"    - {f.category.value}/{f.severity.value}: {[s.quote for s in f.spans]}")
    if not total:
        print(f"error: {path}: no records", file=sys.stderr)
        return 2
    print(f"{'category':<20} {'P':>6} {'R':>6} {'F1':>6}  support")
    f1s: dict[str, float] = {}
    for category, (tp, fp, fn) in counts.items():
        p, r, f = _f1(tp, fp, fn)
        f1s[category] = f
        print(f"{category:<20} {p:6.3f} {r:6.3f} {f:6.3f}  {tp + fn}")
    macro = sum(f1s.values()) / len(f1s)
    agreement = same_severity / total
    alarm_rate = false_alarms / safe if safe else 0.0
    print(f"macro-F1 {macro:.3f}; severity agreement {agreement:.3f}; "
          f"false alarms {false_alarms}/{safe} safe posts")
    figures = " ".join(f"{c}_f1={f:.3f}" for c, f in f1s.items())
    print(
        f"posts={total} macro_f1={macro:.3f} {figures} severity_agreement={agreement:.3f} "
        f"false_alarm_rate={alarm_rate:.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
