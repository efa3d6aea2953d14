"""bench/safer_heldout.py: the safer-version checks on sealed posts print counts only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "safer_heldout.py"


def run(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(folder)], capture_output=True, text=True, timeout=120
    )


def test_counts_a_leak_and_never_prints_a_text_or_an_id(tmp_path: Path) -> None:
    posts = [
        {"id": "sealed-0001", "labels": ["confidentiality"], "severity": "high",
         "text": "Home visit to Kacey-Leigh, 6, on the Larchwood estate this morning, "
                 "mum in bits again #childprotection",
         "evidence": {"confidentiality": ["Kacey-Leigh, 6", "Larchwood estate"]}},
        {"id": "sealed-0002", "labels": [], "severity": "none",
         "text": "Lovely walk by the canal after work.", "evidence": {}},
    ]
    (tmp_path / "batch-x.jsonl").write_text(
        "".join(json.dumps(p) + "\n" for p in posts), "utf-8"
    )
    done = run(tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout + done.stderr
    for secret in ("sealed-0001", "Kacey", "Larchwood", "canal", "childprotection"):
        assert secret not in out
    last = dict(pair.split("=") for pair in done.stdout.strip().splitlines()[-1].split())
    assert last["findings"] == "1" and last["labelled_confidentiality"] == "1"
    assert int(last["safer_versions"]) + int(last["no_safe_version"]) == 1


def test_a_bad_line_is_named_by_file_and_line_and_the_rest_still_counted(tmp_path: Path) -> None:
    (tmp_path / "batch-y.jsonl").write_text(
        'not json\n{"id": "a", "labels": ["confidentiality"], '
        '"text": "Visited Mrs Okonkwo (84) at number 22 this morning, her dementia is worse."}\n',
        "utf-8",
    )
    done = run(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "batch-y.jsonl:1" in done.stderr and "Okonkwo" not in done.stdout
    assert "findings=1 " in done.stdout
