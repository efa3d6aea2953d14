"""The exported packages play in Debian's chromium with no Kaleidoscope server.

SCORM 1.2: an "LMS" page on loopback provides scorm-again's Scorm12API as window.API
(vendored from npm, tests/learn/vendor/scorm-again) and shows the SCO in an iframe;
scorm-again posts each commit to the LMS page's server, which keeps them.
cmi5: the AU is launched with cmi5's launch parameters against a real Ralph LRS; the
LMS's fetch URL hands out Ralph credentials.
Both are played to an ending with the keyboard only, and axe checks each page.
"""

from __future__ import annotations

import base64
import io
import json
import threading
import uuid
import zipfile
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

import pytest
from lms.lrs import Ralph
from web.axe import assert_axe_clean

from kaleidoscope.learn.library import bundled_library
from kaleidoscope.learn.packages import build_package, load_scenarios
from kaleidoscope.learn.xapi import score_for

VENDOR = Path(__file__).with_name("vendor") / "scorm-again" / "scorm12.min.js"
SCENARIO = "friend-request"

LMS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Test LMS</title>
<script src="/scorm12.min.js"></script>
<script>
  window.API = new Scorm12API({lmsCommitUrl: "/commit", autocommit: false, logLevel: 5});
</script></head>
<body><main><iframe title="Course" id="sco" src="/pkg/%s/index.html"
  style="width:1000px;height:1400px"></iframe></main></body></html>
"""


class LmsServer:
    """A tiny LMS on loopback: the SCORM page, the package's files, commit and fetch URLs."""

    def __init__(self, package: bytes, auth_token: str = "") -> None:
        self.commits: list[dict[str, Any]] = []
        self.files = {f"/pkg/{n}": b for n, b in _unzip(package).items()}
        self.files["/scorm12.min.js"] = VENDOR.read_bytes()
        self.auth_token = auth_token
        owner = self

        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                if path.startswith("/lms/"):
                    body, kind = (LMS_PAGE % path[5:]).encode(), "text/html"
                elif path in owner.files:
                    body = owner.files[path]
                    kind = self.guess_type(path)
                else:
                    self.send_error(404)
                    return
                self._send(200, body, kind)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path.startswith("/commit"):
                    owner.commits.append(json.loads(raw or b"{}"))
                    self._send(200, b'{"result": true, "errorCode": 0}', "application/json")
                elif self.path.startswith("/fetch"):
                    token = json.dumps({"auth-token": owner.auth_token}).encode()
                    self._send(200, token, "application/json")
                else:
                    self.send_error(404)

            def _send(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _unzip(package: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(package))
    return {name: archive.read(name) for name in archive.namelist()}


def tab_to(frame_page: Any, frame: Any, test: str, limit: int = 80) -> None:
    """Press Tab until the focused element ``el`` in the package's frame passes ``test``."""
    for _ in range(limit):
        frame_page.keyboard.press("Tab")
        if frame.evaluate(f"(() => {{ const el = document.activeElement; return {test}; }})()"):
            return
    raise AssertionError(f"could not reach {test} with the Tab key")


def play_by_keyboard(page: Any, frame: Any, choose: list[str]) -> list[str]:
    """Play to an ending, choosing ``choose`` in order (else the first choice); return
    the decisions answered. Every step is checked by axe."""
    answered: list[str] = []
    picks = list(choose)
    checked: set[str] = set()
    for _ in range(60):
        if frame.locator("text=What to take away").count():
            assert_axe_clean(frame, None, checked)
            return answered
        if len(checked) < 6:
            assert_axe_clean(frame, None, checked)
        radios = frame.locator("input[name=choice]")
        if radios.count():
            wanted = picks.pop(0) if picks else radios.first.get_attribute("value")
            tab_to(page, frame, "el.name === 'choice'")
            # Arrow keys move through a radio group; Space selects the focused one.
            for _ in range(radios.count()):
                if frame.evaluate("document.activeElement.value") == wanted:
                    break
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
            answered.append(str(wanted))
            tab_to(page, frame, "el.id === 'k-continue'")
        else:
            tab_to(page, frame, "el.id === 'k-continue'")
        page.keyboard.press("Enter")
        frame.wait_for_function("document.activeElement.hasAttribute('data-focus')")
    raise AssertionError("no ending reached")


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1100, "height": 1500})
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


@pytest.mark.scorm
@pytest.mark.browser
def test_scorm12_package_under_scorm_again(page: Any) -> None:
    package = build_package(load_scenarios([SCENARIO, "filmed-visit"]), "scorm12")
    lms = LmsServer(package)
    try:
        page.goto(f"{lms.url}/lms/{SCENARIO}")
        frame = page.frame_locator("#sco")
        frame.locator("#k-continue").wait_for()
        inner = page.frames[1]
        inner.wait_for_function("document.documentElement.dataset.kStarted === 'yes'")
        assert page.evaluate("window.API.cmi.core.lesson_status") == "incomplete"
        # "talk" then the first choice at each later decision: a successful ending.
        play_by_keyboard(page, inner, ["talk"])
        inner.wait_for_function("document.documentElement.dataset.kReported === 'yes'")
        cmi = page.evaluate("JSON.parse(JSON.stringify(window.API.renderCommitCMI(true)))")
    finally:
        lms.close()
    scenario = bundled_library().get(SCENARIO)
    assert scenario is not None
    ending_title = inner.locator("#step-heading").inner_text()
    ending = next(e for e in scenario.endings().values() if e.title in ending_title)
    status = page.evaluate("window.API.cmi.core.lesson_status")
    assert status == ("passed" if ending.kind.value == "successful" else "completed")
    assert page.evaluate("window.API.cmi.core.score.raw") == str(score_for(ending.kind))
    assert page.evaluate("window.API.cmi.core.score.max") == "100"
    # What scorm-again would commit, and what it did commit to the LMS.
    interactions = cmi["cmi"]["interactions"]
    rows = [interactions[k] for k in sorted(interactions, key=int)]
    responses = [(r["id"], r["student_response"], r["type"]) for r in rows]
    assert responses and responses[0] == ("first_move", "talk", "choice")
    decisions = scenario.decisions()
    for node_id, choice_id, _ in responses:
        assert choice_id in {c.id for c in decisions[node_id].choices}
    assert lms.commits, "no commit reached the LMS"
    last = lms.commits[-1]
    assert last["cmi"]["core"]["lesson_status"] == status
    assert last["cmi"]["core"]["score"]["raw"] == str(score_for(ending.kind))
    assert len(last["cmi"]["interactions"]) == len(rows)


@pytest.mark.cmi5
@pytest.mark.xapi
@pytest.mark.browser
def test_cmi5_package_reports_to_a_real_lrs(page: Any, tmp_path: Path) -> None:
    package = build_package(load_scenarios([SCENARIO]), "cmi5")
    lms = LmsServer(package)
    ralph = Ralph(tmp_path / "lrs", cors_origins=[lms.url]).start()
    lms.auth_token = base64.b64encode(":".join(ralph.auth).encode()).decode()
    registration = str(uuid.uuid4())
    actor = {"objectType": "Agent", "account": {"homePage": lms.url, "name": "learner-7f3a"}}
    activity = au_id(package)
    query = urlencode(
        {
            "endpoint": ralph.url,
            "fetch": f"{lms.url}/fetch",
            "actor": json.dumps(actor),
            "registration": registration,
            "activityId": activity,
        }
    )
    launch = f"{lms.url}/pkg/{SCENARIO}/index.html?{query}"
    try:
        page.goto(launch)
        page.wait_for_function("document.documentElement.dataset.kStarted === 'yes'")
        play_by_keyboard(page, page.main_frame, ["talk"])
        page.wait_for_function("document.documentElement.dataset.kReported === 'yes'")
        stored = ralph.statements()
    finally:
        ralph.stop()
        lms.close()
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in stored]
    assert verbs[0] == "initialized" and verbs[-1] == "terminated"
    assert "completed" in verbs and "answered" in verbs
    assert all(s["context"]["registration"] == registration for s in stored)
    assert all(s["actor"]["account"]["name"] == "learner-7f3a" for s in stored)
    first = next(s for s in stored if s["verb"]["id"].endswith("answered"))
    assert first["result"]["response"] == "talk"
    assert first["object"]["id"] == f"{activity}/decisions/first_move"
    assert first["object"]["definition"]["interactionType"] == "choice"
    done = next(s for s in stored if s["verb"]["id"].endswith("/completed"))
    categories = [c["id"] for c in done["context"]["contextActivities"]["category"]]
    assert "https://w3id.org/xapi/cmi5/context/categories/cmi5" in categories
    assert done["object"]["id"] == activity


def au_id(package: bytes) -> str:
    root = ET.fromstring(_unzip(package)["cmi5.xml"])
    au = root.find("{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}au")
    assert au is not None
    return au.get("id", "")
