"""SCORM 1.2 and cmi5 packages: the manifest's structure (ADL SCORM 1.2 CAM, IMS CP 1.1.2),
cmi5.xml, several scenarios as separate SCOs, and refusal of a scenario that does not
validate."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from kaleidoscope.cli import app
from kaleidoscope.learn.library import bundled_library
from kaleidoscope.learn.packages import PackageError, build_package, load_scenarios

pytestmark = pytest.mark.scorm
CP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
CMI5 = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"
NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
IDS = ["friend-request", "filmed-visit", "follow-request"]


def package(fmt: str, ids: list[str] = IDS) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(build_package(load_scenarios(ids), fmt)))


def check_scorm_manifest(archive: zipfile.ZipFile) -> ET.Element:
    """The structure the ADL SCORM 1.2 schemas (imscp_rootv1p1p2, adlcp_rootv1p2) require."""
    names = set(archive.namelist())
    assert "imsmanifest.xml" in names, "the manifest must sit at the package root"
    root = ET.fromstring(archive.read("imsmanifest.xml"))
    assert root.tag == f"{CP}manifest"
    assert NCNAME.match(root.get("identifier", ""))
    children = [c.tag for c in root]
    assert children == [f"{CP}metadata", f"{CP}organizations", f"{CP}resources"]
    metadata = root.find(f"{CP}metadata")
    assert metadata is not None
    assert metadata.findtext(f"{CP}schema") == "ADL SCORM"
    assert metadata.findtext(f"{CP}schemaversion") == "1.2"
    every_id = [e.get("identifier") for e in root.iter() if e.get("identifier") is not None]
    assert len(every_id) == len(set(every_id)), "identifiers are xs:ID: unique in the file"
    assert all(NCNAME.match(i or "") for i in every_id)
    organizations = root.find(f"{CP}organizations")
    assert organizations is not None
    orgs = {o.get("identifier"): o for o in organizations.findall(f"{CP}organization")}
    assert organizations.get("default") in orgs
    resources = {r.get("identifier"): r for r in root.iter(f"{CP}resource")}
    for org in orgs.values():
        assert org.findtext(f"{CP}title")
        for item in org.iter(f"{CP}item"):
            assert item.findtext(f"{CP}title")
            ref = item.get("identifierref")
            assert ref in resources, f"item {item.get('identifier')} points at no resource"
            assert resources[ref].get(f"{ADLCP}scormtype") == "sco"
    listed: set[str] = set()
    for resource in resources.values():
        assert resource.get("type") == "webcontent"
        kind = resource.get(f"{ADLCP}scormtype")
        assert kind in ("sco", "asset")
        if kind == "sco":
            assert resource.get("href") in names
        for file in resource.findall(f"{CP}file"):
            assert file.get("href") in names, f"{file.get('href')} is not in the zip"
            listed.add(file.get("href", ""))
        for dep in resource.findall(f"{CP}dependency"):
            assert dep.get("identifierref") in resources
    assert names - {"imsmanifest.xml"} == listed, "every file belongs to a resource"
    return root


def test_scorm_manifest_structure_and_one_sco_per_scenario() -> None:
    archive = package("scorm12")
    root = check_scorm_manifest(archive)
    items = list(root.iter(f"{CP}item"))
    assert [i.get("identifierref") for i in items] == [f"sco-{i}" for i in IDS]
    library = bundled_library()
    assert [i.findtext(f"{CP}title") for i in items] == [library.get(i).title for i in IDS]  # type: ignore[union-attr]
    for sid in IDS:
        page = archive.read(f"{sid}/index.html").decode()
        assert '<html lang="en-GB"' in page and "../shared/app.css" in page
        data = archive.read(f"{sid}/scenario.js").decode()
        assert "</script" not in data.lower()


def test_cmi5_course_structure() -> None:
    archive = package("cmi5")
    root = ET.fromstring(archive.read("cmi5.xml"))
    assert root.tag == f"{CMI5}courseStructure"
    course = root.find(f"{CMI5}course")
    assert course is not None and course.get("id", "").startswith("https://")
    units = root.findall(f"{CMI5}au")
    assert len(units) == len(IDS)
    for au, sid in zip(units, IDS, strict=True):
        assert au.get("id", "").endswith(f"/scenarios/{sid}")
        assert au.get("moveOn") in (
            "Passed",
            "Completed",
            "CompletedAndPassed",
            "CompletedOrPassed",
            "NotApplicable",
        )
        assert au.findtext(f"{CMI5}url") in archive.namelist()
        title = au.find(f"{CMI5}title/{CMI5}langstring")
        assert title is not None and title.get("lang") == "en-GB" and title.text


def test_same_scenarios_same_bytes() -> None:
    items = load_scenarios(["friend-request"])
    assert build_package(items, "scorm12") == build_package(items, "scorm12")


BROKEN = """\
id: broken
title: Broken
summary: A scenario whose choice leads nowhere.
themes: [boundaries]
minutes: 5
audience: [students]
start: ask
nodes:
  ask:
    type: decision
    text: What now?
    choices:
      - id: a
        text: One
        target: nowhere
        consequence: Something.
      - id: b
        text: Two
        target: end
        consequence: Something else.
  end:
    type: ending
    kind: mixed
    title: The end
    debrief: Think again.
"""


def test_export_refuses_a_scenario_that_does_not_validate(tmp_path: Path) -> None:
    source = tmp_path / "broken.yaml"
    source.write_text(BROKEN, encoding="utf-8")
    out = tmp_path / "broken.zip"
    result = CliRunner().invoke(
        app, ["scenarios", "export", str(source), "--format", "scorm12", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert f"{source}:15:" in result.output and "E302" in result.output
    assert "does not validate, so it cannot be packaged" in result.output
    assert not out.exists()
    with pytest.raises(PackageError) as caught:
        load_scenarios([str(source)])
    assert caught.value.diagnostics and caught.value.diagnostics[0].code == "E302"


def test_export_cli_writes_a_zip_and_explains_misuse(tmp_path: Path) -> None:
    out = tmp_path / "two.zip"
    runner = CliRunner()
    ok = runner.invoke(
        app,
        [
            "scenarios",
            "export",
            "friend-request",
            "filmed-visit",
            "--format",
            "cmi5",
            "-o",
            str(out),
        ],
    )
    assert ok.exit_code == 0, ok.output
    assert {"cmi5.xml", "friend-request/index.html", "filmed-visit/index.html"} <= set(
        zipfile.ZipFile(out).namelist()
    )
    unknown = runner.invoke(
        app, ["scenarios", "export", "no-such-dilemma", "--format", "scorm12", "-o", str(out)]
    )
    assert unknown.exit_code == 2 and "no scenario 'no-such-dilemma'" in unknown.output
    no_output = runner.invoke(app, ["scenarios", "export", "friend-request", "--format", "scorm12"])
    assert no_output.exit_code == 2 and "-o PACKAGE.zip" in no_output.output
    twine = runner.invoke(app, ["scenarios", "export", "friend-request", "filmed-visit"])
    assert twine.exit_code == 2 and "Twine export takes one scenario" in twine.output
