"""Build a 10,000-node scenario, write it as YAML, and validate it (target: under 1 s).

Usage: python bench/validate_large.py [--nodes N]
Prints the figures last, as one line of name=value pairs.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import yaml

from kaleidoscope.learn.validate import check_file


def build(nodes: int) -> dict[str, object]:
    """A long chain of passage -> decision pairs with side endings and loops back."""
    graph: dict[str, object] = {}
    pairs = (nodes - 1) // 3
    for i in range(pairs):
        nxt = f"p{i + 1}" if i + 1 < pairs else "final"
        graph[f"p{i}"] = {
            "type": "passage",
            "speaker": "sam",
            "text": f"Scene {i}: *something* happens.",
            "next": f"d{i}",
        }
        graph[f"d{i}"] = {
            "type": "decision",
            "text": f"What now at step {i}?",
            "choices": [
                {
                    "id": "on",
                    "text": "Carry on carefully.",
                    "target": nxt,
                    "consequence": "Things move on.",
                    "effects": {"boundaries": 1},
                    "guidance": ["HCPC-2017-advice"],
                },
                {
                    "id": "stop",
                    "text": "Stop here.",
                    "target": f"e{i}",
                    "consequence": "It ends here.",
                    "effects": {"privacy": -1},
                    "guidance": ["BASW-2012"],
                },
                {
                    "id": "again",
                    "text": "Think again.",
                    "target": f"p{max(i - 1, 0)}",
                    "consequence": "Back a step.",
                    "guidance": ["HCPC-2017"],
                },
            ],
        }
        graph[f"e{i}"] = {
            "type": "ending",
            "kind": "mixed",
            "title": f"Stopped at {i}",
            "debrief": "Stopping can be right.",
        }
    graph["final"] = {
        "type": "ending",
        "kind": "successful",
        "title": "Done",
        "debrief": "All the way.",
    }
    for extra in range(nodes - len(graph)):  # top up to exactly `nodes` with a branch
        graph[f"x{extra}"] = {
            "type": "ending",
            "kind": "unsuccessful",
            "title": "Side",
            "debrief": "A side ending.",
        }
        first = graph["d0"]["choices"]  # type: ignore[index]
        first.append(
            {
                "id": f"x{extra}",
                "text": "Leave.",
                "target": f"x{extra}",
                "consequence": "Gone.",
                "guidance": ["HCPC-2017"],
            }
        )
    return {
        "id": "large",
        "title": "Large",
        "summary": "A generated scenario.",
        "themes": ["bench"],
        "minutes": 240,
        "audience": ["students"],
        "cast": [{"id": "sam", "name": "Sam", "role": "Social worker"}],
        "start": "p0",
        "nodes": graph,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data = build(args.nodes)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False, width=100), "utf-8")
        lines = path.read_text().count("\n")
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            checked = check_file(path)
            timings.append(time.perf_counter() - started)
        errors = [str(d) for d in checked.diagnostics]
        assert checked.scenario is not None and not errors, errors[:5]
    node_count = len(data["nodes"])  # type: ignore[arg-type]
    best, median = min(timings), sorted(timings)[len(timings) // 2]
    print(f"validated a {node_count}-node scenario ({lines} YAML lines) {args.repeat} times")
    print(
        f"nodes={node_count} yaml_lines={lines} best_s={best:.3f} median_s={median:.3f} "
        f"target_s=1.0 ok={median < 1.0}"
    )


if __name__ == "__main__":
    main()
