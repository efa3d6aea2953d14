"""Writing scenarios back to YAML (scenarios/dump.py), as `scenarios import` does."""

from __future__ import annotations

import yaml

from kaleidoscope.learn.dump import dump_data, dump_scenario, dump_yaml
from kaleidoscope.learn.library import bundled_library
from kaleidoscope.learn.model import Scenario
from kaleidoscope.learn.source import parse_yaml
from kaleidoscope.learn.validate import check_document


def test_every_bundled_scenario_dumps_to_yaml_that_loads_equal_and_validates() -> None:
    library = bundled_library()
    for scenario in library:
        text = dump_scenario(scenario)
        assert Scenario.model_validate(yaml.safe_load(text)) == scenario, scenario.id
        shared = frozenset(library.cast(scenario)) - {m.id for m in scenario.cast}
        checked = check_document(parse_yaml(text, f"{scenario.id}.yaml"), shared)
        assert [str(d) for d in checked.diagnostics if d.is_error] == [], scenario.id


def test_layout_follows_the_library_files() -> None:
    scenario = next(iter(bundled_library()))
    text = dump_scenario(scenario, comment="Made by a test.\n\nSecond line.")
    lines = text.splitlines()
    assert lines[:3] == ["# Made by a test.", "#", "# Second line."]
    top = [line.split(":")[0] for line in lines if line[:1].isalpha()]
    order = ["id", "title", "summary", "themes", "minutes", "audience", "cast", "start", "nodes"]
    assert top == [k for k in order if k in top]
    assert any(line.startswith("themes: [") for line in lines)
    assert any(line.startswith("audience: [") for line in lines)
    assert any(line.strip().startswith("effects: {") for line in lines)
    assert any(line.strip().startswith("- id: ") for line in lines)  # indented sequences
    assert any(line.endswith(": >-") for line in lines)  # long text folded
    assert all(len(line) <= 100 for line in lines if not line.startswith("#"))


def test_tricky_strings_load_back_unchanged() -> None:
    data = {
        "id": "x",
        "summary": "  leading spaces, then a long line " * 4,
        "themes": ["yes", "no", "1", "null", "a: b", "#hash"],
        "title": "Line one\nline two\n\n  indented line three\n",
        "nodes": {"a": {"type": "passage", "text": "trailing space \n" * 3, "next": "b"}},
    }
    text = dump_data(data, trailer="# twine-story: {}\n")
    assert yaml.safe_load(text) == data
    assert text.endswith("# twine-story: {}\n")
    assert yaml.safe_load(dump_yaml({"a": "x" * 200})) == {"a": "x" * 200}


def test_node_and_choice_keys_come_in_library_order() -> None:
    data = {
        "nodes": {
            "d": {
                "choices": [{"effects": {"privacy": 1}, "target": "e", "text": "t", "id": "c"}],
                "text": "q",
                "type": "decision",
            }
        }
    }
    text = dump_yaml(data)
    assert text.index("type:") < text.index("text:") < text.index("choices:")
    assert text.index("- id: c") < text.index("text: t") < text.index("target: e")
