"""Evaluate the checker on labelled JSONL posts (default: shared/data/posts_dev.jsonl).

Usage: python bench/eval_posts.py [PATH ...] [--errors] [--real PATH]

Each PATH is a JSONL file or a folder of them (e.g. data/posts/heldout). Prints
per-category precision/recall/F1, macro-F1, severity agreement and the share of safe
(label-less) posts given any label, then one last line of name=value pairs:
confidentiality_f1, macro_f1, safe_flagged (the issue-13 targets) and the rest.

--errors lists every disagreement, for tuning; it refuses anything under
data/posts/heldout (the sealed batches: only their aggregate figures are ever shown).

--real PATH checks unlabelled posts (../shared/data/real_posts_sample.jsonl) and prints how
often each category is flagged (no texts), plus the precision of the flags judged by hand
in data/posts/real/labels.jsonl (ids only).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kaleidoscope.check.checker import check_text
from kaleidoscope.check.model import ModelError
from kaleidoscope.check.records import Category

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "data" / "posts_dev.jsonl"
SEALED = (ROOT / "data" / "posts" / "heldout").resolve()
REAL_LABELS = ROOT / "data" / "posts" / "real" / "labels.jsonl"
CATEGORIES = [c.value for c in Category]


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def tally(counts: dict[str, list[int]], gold: set[str], got: set[str]) -> None:
    """Add one post's labels to ``counts`` (category -> [tp, fp, fn])."""
    for category, cell in counts.items():
        cell[0] += category in gold and category in got
        cell[1] += category not in gold and category in got
        cell[2] += category in gold and category not in got


def sealed(path: Path) -> bool:
    resolved = path.resolve()
    return resolved == SEALED or SEALED in resolved.parents


def files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(path.glob("*.jsonl"))
        elif path.is_file():
            out.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return out


def records(paths: list[Path]) -> list[tuple[dict[str, object], str]]:
    out = []
    for path in paths:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                text = record["text"]
                if not isinstance(text, str):
                    raise TypeError("text is not a string")
            except (ValueError, KeyError, TypeError) as exc:
                print(f"error: {path}:{number}: skipped ({exc})", file=sys.stderr)
                continue
            out.append((record, text))
    return out


def evaluate(paths: list[Path], show_errors: bool) -> int:
    counts = {c: [0, 0, 0] for c in CATEGORIES}  # tp, fp, fn
    same_severity = total = safe = false_alarms = 0
    for record, text in records(files(paths)):
        platform, audience = record.get("platform"), record.get("audience")
        result = check_text(
            text, platform if isinstance(platform, str) else None,
            audience if isinstance(audience, str) else None,
        )
        labels = record.get("labels", [])
        gold = set(labels) if isinstance(labels, list) else set()
        got = set(result.labels)
        total += 1
        same_severity += result.severity.value == record.get("severity", "none")
        if not gold:
            safe += 1
            false_alarms += bool(got)
        tally(counts, gold, got)
        if show_errors and (gold != got or result.severity.value != record.get("severity")):
            print(
                f"{record.get('id')}: gold={sorted(gold)}/{record.get('severity')} "
                f"got={sorted(got)}/{result.severity.value}\n    {text}"
            )
            for f in result.findings:
                print(f"    - {f.category.value}/{f.severity.value}: {[s.quote for s in f.spans]}")
    if not total:
        print("error: no records", file=sys.stderr)
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
          f"safe posts flagged {false_alarms}/{safe} ({alarm_rate:.1%})")
    figures = " ".join(f"{c}_f1={f:.3f}" for c, f in f1s.items())
    print(
        f"posts={total} macro_f1={macro:.3f} {figures} severity_agreement={agreement:.3f} "
        f"safe_flagged={alarm_rate:.3f}"
    )
    return 0


def real(path: Path) -> int:
    """Flag rates on unlabelled real posts, and the hand-judged precision of flags."""
    flagged: dict[str, set[str]] = {}
    total = 0
    per = dict.fromkeys(CATEGORIES, 0)
    for record, text in records([path]):
        total += 1
        labels = check_text(text).labels
        if labels:
            flagged[str(record.get("id"))] = set(labels)
        for label in labels:
            per[label] += 1
    if not total:
        print("error: no records", file=sys.stderr)
        return 2
    judged = right = 0
    if REAL_LABELS.is_file():
        for line in REAL_LABELS.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            entry = json.loads(line)
            got = flagged.get(str(entry["id"]))
            if got is None or not entry.get("judged_flag"):
                continue  # judged a flag an earlier checker raised, or not a flag judgement
            judged += 1
            right += bool(got & set(entry.get("labels", [])))
    print(f"{'category':<20} {'flagged':>8} {'share':>8}")
    for category, n in per.items():
        print(f"{category:<20} {n:8d} {n / total:8.2%}")
    serious = sum(
        1 for labels in flagged.values()
        if labels & {"confidentiality", "boundaries", "consent_privacy"}
    )
    precision = right / judged if judged else 0.0
    print(f"{len(flagged)}/{total} posts flagged; hand-judged precision {right}/{judged}")
    rates = " ".join(f"{c}_rate={n / total:.4f}" for c, n in per.items())
    print(
        f"real_posts={total} flagged_rate={len(flagged) / total:.4f} "
        f"conf_bound_consent_rate={serious / total:.4f} {rates} "
        f"judged={judged} judged_precision={precision:.3f}"
    )
    return 0


def main(argv: list[str]) -> int:
    show_errors = "--errors" in argv
    args = [a for a in argv if a != "--errors"]
    try:
        if args[:1] == ["--real"]:
            if len(args) != 2:
                print("usage: eval_posts.py --real PATH", file=sys.stderr)
                return 2
            return real(Path(args[1]))
        paths = [Path(a) for a in args] or [DEFAULT]
        if show_errors and any(sealed(p) for p in paths):
            print("error: --errors refuses data/posts/heldout (sealed: figures only)",
                  file=sys.stderr)
            return 2
        return evaluate(paths, show_errors)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
