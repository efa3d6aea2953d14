"""Write SCORM 1.2 (``imsmanifest.xml``) and cmi5 (``cmi5.xml``) packages."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any, Literal
from xml.etree import ElementTree as ET

import yaml

from kaleidoscope.diagnostics import Diagnostic
from kaleidoscope.guidance import load_registry
from kaleidoscope.learn import xapi
from kaleidoscope.learn.model import (
    DIMENSION_LABELS,
    CastMember,
    Decision,
    Dimension,
    Ending,
    EndingKind,
    Passage,
    Scenario,
)
from kaleidoscope.learn.text import render_html, render_inline

Format = Literal["scorm12", "cmi5"]
FORMATS: tuple[Format, ...] = ("scorm12", "cmi5")
DEFAULT_ACTIVITY_BASE = "https://kaleidoscope.invalid/xapi"

IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CMI5_NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
SHARED = ("app.css", "player.css", "player.js")
# A fixed time for every zip entry, so the same scenarios give the same bytes.
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


class PackageError(ValueError):
    """Scenarios that cannot be packaged; ``diagnostics`` say where and why."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        self.diagnostics = diagnostics or []
        super().__init__(message)


@dataclass(frozen=True)
class Packaged:
    """A scenario ready to package, with everyone who may speak in it."""

    scenario: Scenario
    cast: dict[str, CastMember]


def load_scenarios(sources: list[str]) -> list[Packaged]:
    """Bundled scenario ids or YAML files, each validated; PackageError on any error."""
    from kaleidoscope.learn.library import LibraryError, bundled_library
    from kaleidoscope.learn.validate import check_file, read_shared_cast

    if not sources:
        raise PackageError("name at least one scenario (an id or a .yaml file)")
    found: list[Packaged] = []
    for source in sources:
        path = Path(source)
        if path.suffix.lower() in (".yaml", ".yml") or path.is_file():
            members, problems = read_shared_cast(path.parent)
            checked = check_file(path, shared_cast=frozenset(m.id for m in members))
            errors = [d for d in [*problems, *checked.diagnostics] if d.is_error]
            if checked.scenario is None or errors:
                raise PackageError(
                    f"{source} does not validate, so it cannot be packaged "
                    f"({len(errors)} error(s)); run 'kaleidoscope scenarios validate {source}'",
                    errors,
                )
            cast = {m.id: m for m in members}
            cast.update((m.id, m) for m in checked.scenario.cast)
            found.append(Packaged(checked.scenario, cast))
            continue
        try:
            library = bundled_library()
        except LibraryError as exc:
            raise PackageError("the scenario library has errors", exc.diagnostics) from None
        scenario = library.get(source)
        if scenario is None:
            raise PackageError(
                f"no scenario '{source}' in the library, and no such file "
                "('kaleidoscope scenarios list' shows the ids)"
            )
        found.append(Packaged(scenario, library.cast(scenario)))
    ids = [p.scenario.id for p in found]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise PackageError(f"scenario id(s) named twice: {', '.join(duplicates)}")
    return found


@cache
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("player", name).read_text("utf-8")


@cache
def player_text() -> dict[str, str]:
    data: dict[str, str] = yaml.safe_load(_asset("text.yaml"))
    return data


def _stylesheet() -> str:
    return (
        resources.files("kaleidoscope.web.core")
        .joinpath("static", "kaleidoscope", "app.css")
        .read_text("utf-8")
    )


def _speaker(cast: dict[str, CastMember], speaker: str | None) -> dict[str, str] | None:
    member = cast.get(speaker) if speaker else None
    return {"name": member.name, "role": member.role} if member else None


def player_data(item: Packaged, activity_base: str) -> dict[str, Any]:
    """Everything the player needs for one scenario: prose pre-rendered as safe HTML."""
    scenario, cast = item.scenario, item.cast
    registry = load_registry()
    attempt = xapi.Attempt(xapi.Actor("urn:placeholder", "placeholder"), "", activity_base)
    nodes: dict[str, Any] = {}
    for node_id, node in scenario.nodes.items():
        if isinstance(node, Passage):
            nodes[node_id] = {
                "type": "passage",
                "speaker": _speaker(cast, node.speaker),
                "html": render_html(node.text),
                "next": node.next,
            }
        elif isinstance(node, Decision):
            choices = []
            for choice in node.choices:
                statement = xapi.answered(attempt, scenario, node_id, node, choice, seq=0)
                guidance = [g for k in choice.guidance if (g := registry.get(k)) is not None]
                choices.append(
                    {
                        "id": choice.id,
                        "html": render_inline(choice.text),
                        "consequence_html": render_html(choice.consequence),
                        "target": choice.target,
                        "effects": {d.value: v for d, v in choice.effects.items()},
                        "guidance": [
                            {
                                "title": g.title,
                                "citation": g.citation,
                                "url": g.url,
                                "summary": g.summary,
                            }
                            for g in guidance
                        ],
                        "xapi": {"object": statement["object"], "result": statement["result"]},
                    }
                )
            nodes[node_id] = {
                "type": "decision",
                "speaker": _speaker(cast, node.speaker),
                "question_html": render_inline(node.text),
                "choices": choices,
            }
        else:
            assert isinstance(node, Ending)
            done = xapi.completed(attempt, scenario, node_id, node, {}, seq=0)
            result = done["result"]
            del result["extensions"][xapi.EXT_PROFILE]
            nodes[node_id] = {
                "type": "ending",
                "kind": node.kind.value,
                "title": node.title,
                "html": render_html(node.text) if node.text else "",
                "debrief_html": render_html(node.debrief or ""),
                "score": xapi.score_for(node.kind),
                "success": node.kind is EndingKind.SUCCESSFUL,
                "xapi_id": attempt.node_iri(scenario, "endings", node_id),
                "xapi_result": result,
            }
    launched = xapi.launched(attempt, scenario, seq=0)
    return {
        "id": scenario.id,
        "title": scenario.title,
        "start": scenario.start,
        "score_max": xapi.SCORE_MAX,
        "dimensions": [{"id": d.value, "label": DIMENSION_LABELS[d]} for d in Dimension],
        "nodes": nodes,
        "text": player_text(),
        "xapi": {
            "profile": xapi.PROFILE,
            "verbs": xapi.VERBS,
            "ending_type": xapi.TYPE_ENDING,
            "scenario_definition": launched["object"]["definition"],
        },
    }


def _index_html(scenario: Scenario) -> str:
    text = player_text()
    values = {k: _escape(v) for k, v in text.items()}
    values["title"] = _escape(scenario.title)
    return Template(_asset("index.html")).substitute(values)


def _escape(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _scenario_js(data: dict[str, Any]) -> str:
    # "</" cannot close the script: JSON escapes "/" after "<" only if we ask.
    body = json.dumps(data, ensure_ascii=False, indent=None).replace("</", "<\\/")
    return f"window.KALEIDOSCOPE_SCENARIO = {body};\n"


def _files(items: list[Packaged], activity_base: str) -> dict[str, str]:
    files: dict[str, str] = {
        "shared/app.css": _stylesheet(),
        "shared/player.css": _asset("player.css"),
        "shared/player.js": _asset("player.js"),
    }
    for item in items:
        sid = item.scenario.id
        files[f"{sid}/index.html"] = _index_html(item.scenario)
        files[f"{sid}/scenario.js"] = _scenario_js(player_data(item, activity_base))
    return files


def _package_id(items: list[Packaged]) -> str:
    digest = hashlib.sha256("\n".join(i.scenario.id for i in items).encode()).hexdigest()[:12]
    return f"kaleidoscope-{digest}"


def _title(items: list[Packaged]) -> str:
    if len(items) == 1:
        return items[0].scenario.title
    return f"Kaleidoscope: {len(items)} scenarios"


def scorm_manifest(items: list[Packaged], files: dict[str, str]) -> str:
    """imsmanifest.xml for SCORM 1.2 (CAM 1.2): one item and one SCO per scenario."""
    ET.register_namespace("", IMSCP)
    ET.register_namespace("adlcp", ADLCP)
    ET.register_namespace("xsi", XSI)
    manifest = ET.Element(
        f"{{{IMSCP}}}manifest",
        {
            "identifier": _package_id(items),
            "version": "1.0",
            f"{{{XSI}}}schemaLocation": (
                f"{IMSCP} imscp_rootv1p1p2.xsd "
                "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd "
                f"{ADLCP} adlcp_rootv1p2.xsd"
            ),
        },
    )
    metadata = ET.SubElement(manifest, f"{{{IMSCP}}}metadata")
    ET.SubElement(metadata, f"{{{IMSCP}}}schema").text = "ADL SCORM"
    ET.SubElement(metadata, f"{{{IMSCP}}}schemaversion").text = "1.2"
    organizations = ET.SubElement(manifest, f"{{{IMSCP}}}organizations", {"default": "org"})
    organization = ET.SubElement(organizations, f"{{{IMSCP}}}organization", {"identifier": "org"})
    ET.SubElement(organization, f"{{{IMSCP}}}title").text = _title(items)
    resources_el = ET.SubElement(manifest, f"{{{IMSCP}}}resources")
    for item in items:
        sid = item.scenario.id
        entry = ET.SubElement(
            organization,
            f"{{{IMSCP}}}item",
            {"identifier": f"item-{sid}", "identifierref": f"sco-{sid}", "isvisible": "true"},
        )
        ET.SubElement(entry, f"{{{IMSCP}}}title").text = item.scenario.title
        resource = ET.SubElement(
            resources_el,
            f"{{{IMSCP}}}resource",
            {
                "identifier": f"sco-{sid}",
                "type": "webcontent",
                f"{{{ADLCP}}}scormtype": "sco",
                "href": f"{sid}/index.html",
            },
        )
        for name in ("index.html", "scenario.js"):
            ET.SubElement(resource, f"{{{IMSCP}}}file", {"href": f"{sid}/{name}"})
        ET.SubElement(resource, f"{{{IMSCP}}}dependency", {"identifierref": "shared"})
    shared = ET.SubElement(
        resources_el,
        f"{{{IMSCP}}}resource",
        {"identifier": "shared", "type": "webcontent", f"{{{ADLCP}}}scormtype": "asset"},
    )
    for name in sorted(f for f in files if f.startswith("shared/")):
        ET.SubElement(shared, f"{{{IMSCP}}}file", {"href": name})
    ET.indent(manifest)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(manifest, "unicode") + "\n"


def cmi5_course(items: list[Packaged], activity_base: str) -> str:
    """cmi5.xml: one assignable unit per scenario, its id the scenario's activity IRI."""
    ET.register_namespace("", CMI5_NS)

    def lang(parent: ET.Element, tag: str, text: str) -> None:
        holder = ET.SubElement(parent, f"{{{CMI5_NS}}}{tag}")
        ET.SubElement(holder, f"{{{CMI5_NS}}}langstring", {"lang": "en-GB"}).text = text

    attempt = xapi.Attempt(xapi.Actor("urn:placeholder", "placeholder"), "", activity_base)
    course_el = ET.Element(f"{{{CMI5_NS}}}courseStructure")
    course = ET.SubElement(
        course_el,
        f"{{{CMI5_NS}}}course",
        {"id": f"{activity_base.rstrip('/')}/packages/{_package_id(items)}"},
    )
    lang(course, "title", _title(items))
    lang(course, "description", "; ".join(i.scenario.title for i in items))
    for item in items:
        au = ET.SubElement(
            course_el,
            f"{{{CMI5_NS}}}au",
            {
                "id": attempt.scenario_iri(item.scenario),
                "moveOn": "Completed",
                "launchMethod": "AnyWindow",
            },
        )
        lang(au, "title", item.scenario.title)
        lang(au, "description", item.scenario.summary)
        ET.SubElement(au, f"{{{CMI5_NS}}}url").text = f"{item.scenario.id}/index.html"
    ET.indent(course_el)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(course_el, "unicode") + "\n"


def build_package(
    items: list[Packaged], fmt: str, activity_base: str = DEFAULT_ACTIVITY_BASE
) -> bytes:
    """The zip of a SCORM 1.2 or cmi5 package holding ``items`` (one SCO/AU each)."""
    if fmt not in FORMATS:
        raise PackageError(f"unknown package format '{fmt}' (use {' or '.join(FORMATS)})")
    if not items:
        raise PackageError("a package needs at least one scenario")
    files = _files(items, activity_base)
    if fmt == "scorm12":
        files = {"imsmanifest.xml": scorm_manifest(items, files), **files}
    else:
        files = {"cmi5.xml": cmi5_course(items, activity_base), **files}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content.encode("utf-8"))
    return buffer.getvalue()
