"""A real LTI 1.3 platform on loopback, built on PyPI ``lti1p3platform``, for the tests.

It serves its key set, answers the tool's OIDC authorisation request with a signed
launch (resource link or Deep Linking), issues access tokens (client credentials, the
tool's JWT checked against the tool's JWKS), records scores (AGS), serves a roster (NRPS)
and accepts Deep Linking responses. ``Browser`` plays the learner's user agent: it
follows redirects and submits the auto-submit forms a browser would.
"""

from __future__ import annotations

import json
import re
import threading
import typing as t
import uuid
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlparse

import httpx
from jwcrypto.jwk import JWK
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request

CLIENT_ID = "kaleidoscope-tool"
DEPLOYMENT = "deployment-1"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


def new_key() -> tuple[str, str]:
    key = JWK.generate(kty="RSA", size=2048)
    return (
        key.export_to_pem(private_key=True, password=None).decode(),
        key.export_to_pem().decode(),
    )


class _Req(Request):
    def build_metadata(self, request: t.Any) -> t.Any:
        return request


class _Conf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs: t.Any) -> None:
        self._registration = kwargs["registration"]

    def get_registration_by_params(self, **kwargs: t.Any) -> Registration:
        registration: Registration = self._registration  # type: ignore[assignment]
        return registration


class _Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs: t.Any) -> None:
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url: str) -> str:
        return url


class _Launch(LTIAdvantageMessageLaunchAbstract):
    tamper: t.Callable[[dict[str, t.Any]], dict[str, t.Any]] | None = None

    def get_launch_data(self) -> tuple[dict[str, t.Any], str]:
        message, state = super().get_launch_data()
        if self.tamper is not None:
            message = self.tamper(message)
        return message, state

    def render_launch_form(self, launch_data: dict[str, t.Any], **kwargs: t.Any) -> str:
        return (
            f'<form method="post" action="{launch_data["launch_url"]}">'
            f'<input type="hidden" name="id_token" value="{launch_data["id_token"]}">'
            f'<input type="hidden" name="state" value="{launch_data["state"]}">'
            '<button type="submit">Continue</button>'
            "</form><script>document.forms[0].submit()</script>"
        )


class Platform:
    """One platform with one registration of the tool at ``tool_url``."""

    def __init__(self, tool_url: str, registration_uuid: str = "") -> None:
        self.private_key, self.public_key = new_key()
        self.tool_url = tool_url.rstrip("/")
        self.registration_uuid = registration_uuid
        self.scores: list[dict[str, t.Any]] = []
        self.deep_links: list[list[dict[str, t.Any]]] = []
        self.pending: dict[str, dict[str, t.Any]] = {}
        self.roster = [
            {"user_id": "learner-1", "roles": [LEARNER], "status": "Active"},
            {"user_id": "learner-2", "roles": [LEARNER], "status": "Active"},
            {"user_id": "learner-3", "roles": [LEARNER], "status": "Inactive"},
            {"user_id": "teacher-1", "roles": [INSTRUCTOR], "status": "Active"},
        ]
        self.deployment = DEPLOYMENT
        self.expiry = 300
        self.tamper: t.Callable[[dict[str, t.Any]], dict[str, t.Any]] | None = None
        self.document_target: str | None = None  # the launch_presentation claim's
        self.pages: dict[str, str] = {}  # course pages a browser can open (``course_page``)
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: t.Any) -> None:
                pass

            def do_GET(self) -> None:
                owner.handle(self, "GET")

            def do_POST(self) -> None:
                owner.handle(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # The tool's host name, another port: another origin (what frame-ancestors
        # compares) on the same site, so a frame gets the OIDC state cookie over plain
        # HTTP (pylti1p3 makes it SameSite=None only over HTTPS; docs/lms.md).
        host = urlparse(self.tool_url).hostname or "127.0.0.1"
        self.url = f"http://{host}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    # --- configuration --------------------------------------------------------------
    def registration(self) -> Registration:
        reg = (
            Registration()
            .set_iss(self.url)
            .set_client_id(CLIENT_ID)
            .set_deployment_id(self.deployment)
            .set_oidc_login_url(f"{self.tool_url}/lti/init/{self.registration_uuid}/")
            .set_launch_url(f"{self.tool_url}/lti/launch/")
            .set_deeplink_launch_url(f"{self.tool_url}/lti/launch/")
            .set_platform_public_key(self.public_key)
            .set_platform_private_key(self.private_key)
            .set_tool_key_set_url(f"{self.tool_url}/.well-known/jwks.json")
        )
        return reg

    def conf(self) -> _Conf:
        return _Conf(registration=self.registration())

    def rotate_key(self) -> None:
        """The platform's new signing key replaces the old in its key set."""
        self.private_key, self.public_key = new_key()

    def course_page(self, frame_url: str) -> str:
        """A page of the platform's (its own origin) that shows ``frame_url`` in an iframe,
        as an LMS shows a tool embedded in a course; returns its URL."""
        name = uuid.uuid4().hex
        self.pages[name] = (
            "<!doctype html><html lang='en'><title>Course</title><h1>Course</h1>"
            f'<iframe id="tool" title="Kaleidoscope" src="{frame_url}" width="900" '
            'height="700"></iframe></html>'
        )
        return f"{self.url}/course/{name}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- starting a launch -----------------------------------------------------------
    def login_url(
        self,
        user: str,
        roles: list[str],
        *,
        scenario: str = "",
        deep_link: bool = False,
    ) -> str:
        hint = uuid.uuid4().hex
        self.pending[hint] = {
            "user": user,
            "roles": roles,
            "scenario": scenario,
            "deep_link": deep_link,
        }
        login = _Login(None, self.conf())
        login.set_lti_message_hint(hint=hint)
        url: str = login.initiate_login(user)
        return url

    # --- the platform's endpoints ----------------------------------------------------
    def handle(self, req: BaseHTTPRequestHandler, method: str) -> None:
        parsed = urlparse(req.path)
        query = dict(parse_qsl(parsed.query))
        body = b""
        if method == "POST":
            body = req.rfile.read(int(req.headers.get("Content-Length") or 0))
        form = dict(parse_qsl(body.decode())) if body and b"=" in body[:200] else {}
        route = parsed.path
        if route.startswith("/course/") and route[8:] in self.pages:
            return _send_html(req, self.pages[route[8:]])
        if route == "/jwks":
            return _send(req, 200, {"keys": self.registration().get_jwks()})
        if route == "/auth":
            return _send_html(req, self.authorise(query or form))
        if route == "/token":
            try:
                token = self.conf().get_access_token(form)
            except Exception as exc:
                return _send(req, 400, {"error": "invalid_client", "detail": str(exc)[:200]})
            return _send(req, 200, token)
        if route == "/deep-link-return":
            items = self.conf().validate_deeplinking_resp(form)
            self.deep_links.append(items)
            return _send_html(req, "<p>Added</p>")
        if not self.authorised(req, SCORE_SCOPE if route.endswith("/scores") else NRPS_SCOPE):
            return _send(req, 401, {"error": "unauthorised"})
        if route.endswith("/scores") and method == "POST":
            self.scores.append({"lineitem": route, **json.loads(body)})
            return _send(req, 200, {})
        if route == "/memberships":
            return _send(
                req, 200, {"id": f"{self.url}/memberships", "context": {"id": "course-1"},
                           "members": self.roster}
            )  # fmt: skip
        return _send(req, 404, {"error": "not found"})

    def authorised(self, req: BaseHTTPRequestHandler, scope: str) -> bool:
        header = req.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return False
        try:
            return self.conf().validate_token(header[7:], allowed_scopes=[scope])
        except Exception:
            return False

    def authorise(self, params: dict[str, str]) -> str:
        """The tool's OIDC authorisation request: answer with a signed launch form."""
        pending = self.pending[params["lti_message_hint"]]
        launch = _Launch(_Req({"get_data": params, "form_data": {}}), self.conf())
        launch.set_user_data(pending["user"], pending["roles"], full_name="Sam Learner",
                             email_address="sam@example.org")  # fmt: skip
        launch.set_launch_context_claim("course-1", context_title="Social media and ethics")
        if pending["deep_link"]:
            launch.set_dl(f"{self.url}/deep-link-return", accept_types={"ltiResourceLink"})
        else:
            launch.set_resource_link_claim("link-1", title="Kaleidoscope")
            launch.set_custom_parameters_claim({"scenario": pending["scenario"]})
            launch.set_ags(f"{self.url}/lineitems", f"{self.url}/lineitems/1/lineitem",
                           allow_creating_lineitems=False)  # fmt: skip
            launch.set_nrps(f"{self.url}/memberships")
        if self.document_target:
            launch.set_launch_presentation_claim(document_target=self.document_target)
        launch.set_id_token_expiration(self.expiry)
        launch.tamper = self.tamper
        html: str = launch.lti_launch()
        return html


def _send(req: BaseHTTPRequestHandler, status: int, data: t.Any) -> None:
    body = json.dumps(data).encode()
    req.send_response(status)
    req.send_header("Content-Type", "application/json")
    req.send_header("Content-Length", str(len(body)))
    req.end_headers()
    req.wfile.write(body)


def _send_html(req: BaseHTTPRequestHandler, html: str) -> None:
    body = html.encode()
    req.send_response(200)
    req.send_header("Content-Type", "text/html; charset=utf-8")
    req.send_header("Content-Length", str(len(body)))
    req.end_headers()
    req.wfile.write(body)


_FORM = re.compile(r"<form[^>]*action=\"([^\"]+)\"[^>]*>(.*?)</form>", re.S)
_INPUT = re.compile(r"<input[^>]*>", re.S)
_ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def forms(html: str) -> list[tuple[str, list[dict[str, str]]]]:
    found = []
    for action, inner in _FORM.findall(html):
        inputs = [{k: unescape(v) for k, v in _ATTR.findall(tag)} for tag in _INPUT.findall(inner)]
        found.append((unescape(action), inputs))
    return found


class Browser:
    """The learner's user agent: cookies, redirects, and forms submitted as a browser would."""

    def __init__(self) -> None:
        # Connection: close, so no kept-alive request outlives a test (and its database)
        self.client = httpx.Client(
            follow_redirects=True, timeout=30, headers={"Connection": "close"}
        )

    def get(self, url: str) -> httpx.Response:
        return self.client.get(url)

    def submit(
        self, page: httpx.Response, extra: dict[str, t.Any] | None = None, index: int = 0
    ) -> httpx.Response:
        """Submit the page's ``index``-th form (hidden fields, plus ``extra``)."""
        action, inputs = forms(page.text)[index]
        data: dict[str, list[str]] = {}
        for i in inputs:
            if "name" in i and i.get("type") in ("hidden", None):
                data.setdefault(i["name"], []).append(i.get("value", ""))
        for key, value in (extra or {}).items():
            data.setdefault(key, []).extend(value if isinstance(value, list) else [value])
        target = action if action.startswith("http") else str(page.url.join(action))
        return self.client.post(target, data=data)

    def launch(self, login_url: str) -> tuple[httpx.Response, httpx.Response]:
        """OIDC login -> authorisation -> the platform's auto-submitted launch form; returns
        (the form page, the tool's answer)."""
        form_page = self.get(login_url)
        return form_page, self.submit(form_page)
