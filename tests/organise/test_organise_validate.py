"""The instrument, policy and case-study validator: every problem as file:line:column,
including unknown benchmark keys and unknown guidance keys."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from kaleidoscope.organise.model import json_schema
from kaleidoscope.organise.validate import (
    check_bundled,
    check_cases,
    check_instrument,
    check_policy,
)

BUNDLED = Path(__file__).parents[2] / "src/kaleidoscope/organise"


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_bundled_content_is_clean() -> None:
    assert check_bundled() == []


def test_unknown_benchmark_and_guidance_keys_are_reported_with_lines(tmp_path: Path) -> None:
    text = (BUNDLED / "instrument.yaml").read_text("utf-8")
    text = text.replace("benchmark: cc-2015-policy", "benchmark: cc-2015-policcy", 1)
    text = text.replace(
        "guidance: [SAGE-2017, NASW-CODE-1.07q]\n    weight: 2",
        "guidance: [SAGE-2017, NASW-CODE-9.99]\n    weight: 2",
        1,
    )
    path = tmp_path / "instrument.yaml"
    path.write_text(text, "utf-8")
    checked = check_instrument(path)
    assert checked.value is None
    found = {(d.code, d.line) for d in checked.diagnostics}
    assert ("E312", line_of(text, "benchmark: cc-2015-policcy")) in found
    assert ("E307", line_of(text, "NASW-CODE-9.99")) in found
    shown = [str(d) for d in checked.diagnostics]
    assert any(
        s.startswith(f"{path}:{line_of(text, 'cc-2015-policcy')}:")
        and "unknown benchmark key 'cc-2015-policcy'" in s
        for s in shown
    )
    assert any("unknown guidance key 'NASW-CODE-9.99'" in s for s in shown)


def test_guidance_keys_of_benchmarks_and_actions_are_checked(tmp_path: Path) -> None:
    text = (BUNDLED / "instrument.yaml").read_text("utf-8")
    text = text.replace(
        "guidance: [CC-FOI-2015]\n  cc-2015-vulnerable",
        "guidance: [CC-FOI-2051]\n  cc-2015-vulnerable",
        1,
    )
    text = text.replace(
        "links: [{scenario: text-reminders}", "links: [{scenario: no-such-story}", 1
    )
    text = text.replace("links: [{tool: see-post}]\n", "links: [{tool: telepathy}]\n", 1)
    path = tmp_path / "i.yaml"
    path.write_text(text, "utf-8")
    codes = {(d.code, d.line) for d in check_instrument(path).diagnostics}
    assert ("E307", line_of(text, "CC-FOI-2051")) in codes
    assert ("E314", line_of(text, "no-such-story")) in codes
    assert ("E315", line_of(text, "telepathy")) in codes


def test_schema_errors_duplicates_and_unknown_themes(tmp_path: Path) -> None:
    text = (BUNDLED / "instrument.yaml").read_text("utf-8")
    text = text.replace(
        "  - id: access-tools\n    theme: access\n",
        "  - id: access-tools\n    theme: acess\n    colour: blue\n",
        1,
    )
    text = text.replace(
        "title: Social media readiness in social work\n",
        "title: Social media readiness in social work\ntitle: again\n",
        1,
    )
    path = tmp_path / "i.yaml"
    path.write_text(text, "utf-8")
    diagnostics = check_instrument(path).diagnostics
    codes = {(d.code, d.line) for d in diagnostics}
    assert ("E105", line_of(text, "title: again")) in codes
    assert ("E202", line_of(text, "colour: blue")) in codes
    text = text.replace("    colour: blue\n", "").replace("title: again\n", "")
    path.write_text(text, "utf-8")
    codes = {(d.code, d.line) for d in check_instrument(path).diagnostics}
    assert ("E310", line_of(text, "theme: acess")) in codes


def test_broken_yaml_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("themes: [\n  - a\n", "utf-8")
    [diagnostic] = check_instrument(path).diagnostics
    assert diagnostic.code == "E104" and diagnostic.line >= 1
    [missing] = check_instrument(tmp_path / "absent.yaml").diagnostics
    assert missing.code == "E101"


def test_policy_references_are_checked(tmp_path: Path) -> None:
    text = (BUNDLED / "policy.yaml").read_text("utf-8")
    text = text.replace("when: {question: policy-ripa,", "when: {question: policy-ripe,", 1)
    text = text.replace('answers: ["no", unsure]}', 'answers: ["no", maybe]}', 1)
    text = text.replace("Only {approver} may", "Only {approvr} may", 1)
    text = text.replace(
        "guidance: [MEGELE-2012, HCPC-2017-confidentiality]", "guidance: [BASW-2099]", 1
    )
    path = tmp_path / "policy.yaml"
    path.write_text(text, "utf-8")
    codes = {(d.code, d.line) for d in check_policy(path).diagnostics}
    assert ("E320", line_of(text, "policy-ripe")) in codes
    assert ("E313", line_of(text, "maybe]")) in codes
    # a folded block is located at its indicator, on the key's line just above
    assert ("E322", line_of(text, "Only {approvr}") - 1) in codes
    assert ("E307", line_of(text, "BASW-2099")) in codes


def test_case_studies_are_checked(tmp_path: Path) -> None:
    text = (BUNDLED / "cases.yaml").read_text("utf-8")
    text = text.replace("theme: support", "theme: supprot", 1)
    path = tmp_path / "cases.yaml"
    path.write_text(text, "utf-8")
    codes = {(d.code, d.line) for d in check_cases(path).diagnostics}
    assert ("E310", line_of(text, "supprot")) in codes


def test_one_case_study_per_theme() -> None:
    data = yaml.safe_load((BUNDLED / "cases.yaml").read_text("utf-8"))
    instrument = yaml.safe_load((BUNDLED / "instrument.yaml").read_text("utf-8"))
    assert sorted(c["theme"] for c in data["cases"]) == sorted(
        t["id"] for t in instrument["themes"]
    )


def test_json_schema_accepts_the_bundled_files_and_rejects_extra_keys() -> None:
    for kind, name in (
        ("instrument", "instrument.yaml"),
        ("policy", "policy.yaml"),
        ("cases", "cases.yaml"),
    ):
        schema = json_schema(kind)
        data = yaml.safe_load((BUNDLED / name).read_text("utf-8"))
        jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)
    data = yaml.safe_load((BUNDLED / "instrument.yaml").read_text("utf-8"))
    data["questions"][0]["surprise"] = True
    try:
        jsonschema.validate(data, json_schema("instrument"))
    except jsonschema.ValidationError:
        pass
    else:  # pragma: no cover - the assertion that matters
        raise AssertionError("an unknown key passed the schema")
