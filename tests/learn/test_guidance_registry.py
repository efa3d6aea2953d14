"""The guidance registry knows time and place, and a bad registry file is located to the line."""

from __future__ import annotations

import re
from datetime import date

import pytest

from kaleidoscope.guidance.registry import (
    NATIONS,
    GuidanceError,
    Jurisdiction,
    StatusKind,
    is_homepage,
    load_registry,
    parse_registry,
    registry_text,
)

ENTRY = """\
- key: {key}
  title: A document
  publisher: A publisher
  year: 2024
  clause: null
  summary: Says something useful about social media.
  url: https://example.org/guidance/document
  jurisdiction: {jurisdiction}
  status: {status}
  last_checked: {checked}
"""


def _entry(key: str = "DOC-1", jurisdiction: str = "england", status: str = "current",
           checked: str = "2026-12-01") -> str:
    return ENTRY.format(key=key, jurisdiction=jurisdiction, status=status, checked=checked)


def _errors(text: str) -> list[str]:
    with pytest.raises(GuidanceError) as caught:
        parse_registry(text, "bad.yaml")
    return [str(d) for d in caught.value.diagnostics]


# --- bad input: file:line errors -----------------------------------------------------------
def test_unknown_jurisdiction_is_located_to_its_line() -> None:
    errors = _errors(_entry() + _entry("DOC-2", jurisdiction="cornwall"))
    assert errors == [
        "bad.yaml:18:1: G201 unknown jurisdiction 'cornwall' (one of: england, scotland, "
        "wales, northern_ireland, uk, us, international)"
    ]


def test_missing_jurisdiction_is_reported_at_the_entry() -> None:
    text = _entry() + _entry("DOC-2").replace("  jurisdiction: england\n", "")
    assert _errors(text) == ["bad.yaml:11:1: G201 missing required field 'jurisdiction'"]


def test_unknown_status_is_located_to_its_line() -> None:
    [error] = _errors(_entry(status="retired"))
    assert error.startswith("bad.yaml:9:1: G201 field 'status': unknown status 'retired'")
    assert "superseded_by: KEY" in error


def test_malformed_date_is_located_to_its_line() -> None:
    [error] = _errors(_entry(checked="2026-13-45"))
    assert error.startswith("bad.yaml:10:1: G201 field 'last_checked': malformed date")
    assert "YYYY-MM-DD" in error


def test_unknown_successor_is_located_to_the_status_line() -> None:
    text = _entry() + _entry("OLD-1", status="{superseded_by: NOPE-9}")
    assert _errors(text) == [
        "bad.yaml:19:1: G302 'OLD-1' is superseded by 'NOPE-9', which is not a key in this "
        "registry"
    ]


def test_known_successor_is_accepted_and_followed() -> None:
    registry = parse_registry(_entry("NEW-1") + _entry("OLD-1", status="{superseded_by: NEW-1}"))
    old = registry["OLD-1"]
    assert old.status.kind is StatusKind.SUPERSEDED and old.superseded_by == "NEW-1"
    successor = registry.successor("OLD-1")
    assert successor is not None and successor.key == "NEW-1"
    assert registry.successor("NEW-1") is None


def test_every_problem_is_reported_at_once_and_yaml_errors_too() -> None:
    text = _entry(jurisdiction="mars") + _entry("DOC-2", checked="soon")
    assert [e.split(": ")[1].split()[0] for e in _errors(text)] == ["G201", "G201"]
    assert _errors("- key: [unclosed\n")[0].startswith("bad.yaml:2:1: G101 not valid YAML")
    assert _errors("key: not a list\n") == [
        "bad.yaml:1:1: G102 the guidance file must be a list of entries"
    ]


def test_duplicate_key_names_the_first_line() -> None:
    assert _errors(_entry() + _entry()) == [
        "bad.yaml:11:1: G301 duplicate key 'DOC-1' (first at line 1)"
    ]


@pytest.mark.parametrize(
    ("url", "home"),
    [
        ("https://www.basw.co.uk/", True),
        ("https://www.sssc.uk.com", True),
        ("https://www.sssc.uk.com/the-scottish-social-services-council/sssc-codes-of-practice/",
         False),
        ("https://doi.org/10.1080/15228835.2019.1680335", False),
        ("https://example.org/?page=codes", False),
    ],
)
def test_homepage_detection(url: str, home: bool) -> None:
    assert is_homepage(url) is home


# --- the bundled registry ---------------------------------------------------------------------
def test_bundled_registry_has_every_field_and_no_homepage_links() -> None:
    registry = load_registry()
    for entry in registry:
        assert entry.last_checked <= date.today(), entry.key
        assert entry.url is None or not is_homepage(entry.url), entry.key
        if entry.superseded_by:
            assert entry.superseded_by in registry, entry.key


def test_each_nation_has_its_current_regulator() -> None:
    registry = load_registry()
    publishers = {
        Jurisdiction.ENGLAND: "Social Work England",
        Jurisdiction.SCOTLAND: "Scottish Social Services Council",
        Jurisdiction.WALES: "Social Care Wales",
        Jurisdiction.NORTHERN_IRELAND: "Northern Ireland Social Care Council",
    }
    assert set(publishers) == set(NATIONS)
    for nation, publisher in publishers.items():
        current = [g for g in registry.for_jurisdiction(nation) if g.is_current]
        assert any(g.publisher == publisher and g.url for g in current), nation


def test_sssc_codes_are_the_2024_edition_and_replace_2016() -> None:
    registry = load_registry()
    assert registry["SSSC-COP-2024"].year == 2024 and registry["SSSC-COP-2024"].is_current
    assert registry["SSSC-COP-5.8"].superseded_by == "SSSC-COP-2024"
    assert registry["SCW-CODE-2018"].superseded_by == "SCW-CODE-2026"


def test_hcpc_guidance_is_historical_for_social_work() -> None:
    registry = load_registry()
    for entry in registry:
        if entry.key.startswith("HCPC-2017"):
            assert entry.status.kind is StatusKind.HISTORICAL, entry.key
    assert "2 December 2019" in registry["HCPC-2017"].summary


def test_nasw_1_07q_needs_a_compelling_reason_and_consent_is_not_enough() -> None:
    summary = " ".join(load_registry()["NASW-CODE-1.07q"].summary.split())
    assert "compelling professional reason and" in summary
    assert "informed consent" in summary
    assert not re.search(r"\bor the client\b", summary)


def test_smaller_corrections_hold() -> None:
    registry = load_registry()
    cooner = registry["COONER-2019"]
    assert "Journal of Technology in Human Services 38(2)" in cooner.publisher
    assert "three groups" in cooner.summary
    sage = registry["SAGE-2017"]
    assert "Advances in Social Work" in sage.publisher
    assert "Children and Youth Services Review" in sage.publisher
    scpe = registry["HCPC-SCPE-2024"]
    assert scpe.clause is None and "past" not in scpe.summary
    assert "past" in registry["HCPC-SM-2024"].summary


def test_registry_file_documents_its_fields() -> None:
    header = registry_text().split("- key:")[0]
    for word in ("jurisdiction", "status", "last_checked", "superseded_by", "home page"):
        assert word in header, word
