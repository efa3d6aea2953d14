"""How safe the safer versions are on posts the rewriter was never fixed against.

    .venv/bin/python bench/safer_heldout.py [FOLDER]      # default: data/posts/heldout

tests/check/test_rewrite_corpus.py holds every safer version of the posts we may read to
no leaks and no grammar faults, but each leak it found was fixed against the very post
that showed it, so its zero says little about new writing. This script runs the same
checks (the same `leaks`, `faults` and re-check) on a folder of labelled posts nobody fixed
the rewriter against, by default the sealed held-out batches, and prints counts only:
never a text, an id or a token, so the batches stay sealed.

Last line: name=value pairs.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kaleidoscope.check.checker import check_text  # noqa: E402
from kaleidoscope.check.records import Category  # noqa: E402
from kaleidoscope.check.rewrite import NO_SAFE_VERSION  # noqa: E402
from tests.check.test_rewrite_corpus import Case, faults, leaks  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from eval_posts import files, records  # noqa: E402  (a sibling script: the same reading of a file)


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else ROOT / "data" / "posts" / "heldout"
    try:
        paths = files([folder])
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not paths:
        print(f"error: {folder}: no .jsonl files", file=sys.stderr)
        return 2
    refusals = set(NO_SAFE_VERSION.values())
    findings = safer = leaking = faulty = still = labelled = 0
    for record, text in records(paths):  # a bad line is named (file:line) and skipped
        conf = [f for f in check_text(text).findings if f.category is Category.CONFIDENTIALITY]
        if not conf:
            continue
        findings += 1
        labels = record.get("labels")
        labelled += isinstance(labels, list) and "confidentiality" in labels
        rewrite = conf[0].rewrite
        if not rewrite or rewrite in refusals:
            continue
        safer += 1
        evidence_map = record.get("evidence")
        quoted = evidence_map.get("confidentiality") if isinstance(evidence_map, dict) else None
        case = Case(str(record.get("id", "")), text, rewrite, tuple(quoted or []))
        leaking += bool(leaks(case))
        faulty += bool(faults(case))
        still += any(
            f.category is Category.CONFIDENTIALITY for f in check_text(rewrite).findings
        )
    share = safer / findings if findings else 0.0
    print(
        f"confidentiality findings {findings} ({labelled} on posts labelled so), safer versions "
        f"{safer} ({share:.0%}); of those, {leaking} keep an identifier of the label's "
        f"evidence or a name, {faulty} break a grammar check, {still} are flagged again"
    )
    print(
        f"findings={findings} labelled_confidentiality={labelled} safer_versions={safer} "
        f"no_safe_version={findings - safer} leaks={leaking} "
        f"leak_rate={leaking / safer if safer else 0:.3f} grammar_faults={faulty} "
        f"grammar_rate={faulty / safer if safer else 0:.3f} recheck_failures={still}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
