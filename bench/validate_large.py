"""Build a 10,000-node scenario, write it as YAML, and validate it (target: under 1 s);
build a 5,000-passage Twine 2 HTML story and import it (target: under 3 s).

Usage: python bench/validate_large.py [--nodes N] [--passages N] [--repeat N]
Prints the figures last, as one line of name=value pairs. The targets are wall-clock
times; CPU times (this process only) are printed beside them, since the machine is
shared and its load stretches the wall-clock figures.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import yaml

from kaleidoscope.learn.twine.html import write_html
from kaleidoscope.learn.twine.importer import draft, stories_from_bytes
from kaleidoscope.learn.twine.story import TwinePassage, TwineStory
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


def build_twine(passages: int) -> bytes:
    """A Twine 2 HTML story: passages and decisions (headers, effects, guidance) in turn."""
    story = TwineStory(
        name="Large",
        ifid="5D2A7C41-9B3E-4F10-8A6D-2E4C6B8D0F13",
        format="Harlowe",
        format_version="3.3.8",
        start="Passage 0",
    )
    story.passages.append(
        TwinePassage(
            "ScenarioData",
            "id: large\nsummary: A generated story.\nthemes: [bench]\nminutes: 240\n"
            "audience: [students]\ncast:\n  - {id: sam, name: Sam, role: Social worker}",
        )
    )
    last = passages - 2
    for i in range(last):
        nxt = f"Passage {i + 1}" if i + 1 < last else "The End"
        if i % 2 == 0:
            text = f'Sam reads message {i}: "hello" & <more>.\n\n[[Go on->{nxt}]]'
            story.passages.append(TwinePassage(f"Passage {i}", text, position=f"{i},100"))
            continue
        text = (
            "---\nspeaker: sam\nchoices:\n  - id: go\n    consequence: Things move on.\n"
            "    effects: {boundaries: 1}\n    guidance: [BASW-2012-safety]\n  - id: stop\n"
            "    consequence: It ends.\n    guidance: [BASW-2012-safety]\n---\n"
            f"What now at step {i}?\n\n[[Carry on->{nxt}]]\n[[Stop->The End]]"
        )
        story.passages.append(TwinePassage(f"Passage {i}", text, ["decision"], position=f"{i},200"))
    story.passages.append(
        TwinePassage("The End", "---\ndebrief: Done.\n---\nThe end.", ["ending-successful"])
    )
    return write_html([story]).encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--passages", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data = build(args.nodes)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False, width=100), "utf-8")
        lines = path.read_text().count("\n")
        timings, cpu = [], []
        for _ in range(args.repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            checked = check_file(path)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        errors = [str(d) for d in checked.diagnostics]
        assert checked.scenario is not None and not errors, errors[:5]
    node_count = len(data["nodes"])  # type: ignore[arg-type]
    best, median = min(timings), sorted(timings)[len(timings) // 2]
    print(f"validated a {node_count}-node scenario ({lines} YAML lines) {args.repeat} times")

    raw = build_twine(args.passages)
    imports, import_cpu = [], []
    for _ in range(max(1, args.repeat // 2)):
        started, cpu_started = time.perf_counter(), time.process_time()
        stories, _problems = stories_from_bytes(raw, "large.html")
        result = draft(stories[0], "large.html", "large.yaml")
        imports.append(time.perf_counter() - started)
        import_cpu.append(time.process_time() - cpu_started)
    assert result.scenario is not None, [str(d) for d in result.diagnostics[:5]]
    imported = sorted(imports)[len(imports) // 2]
    cpu_median = sorted(cpu)[len(cpu) // 2]
    import_cpu_median = sorted(import_cpu)[len(import_cpu) // 2]
    print(f"imported a {args.passages}-passage Twine HTML file ({len(raw):,} bytes)")
    print(
        f"nodes={node_count} yaml_lines={lines} best_s={best:.3f} median_s={median:.3f} "
        f"cpu_median_s={cpu_median:.3f} target_s=1.0 ok={median < 1.0} "
        f"passages={args.passages} html_bytes={len(raw)} import_median_s={imported:.3f} "
        f"import_cpu_median_s={import_cpu_median:.3f} import_target_s=3.0 "
        f"import_ok={imported < 3.0}"
    )


if __name__ == "__main__":
    main()
