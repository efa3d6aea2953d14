"""Hardening of the web layer (issue 14): throttles that cannot be turned against users,
a strict Content-Security-Policy, HTTPS settings, no timing header, session lifetime."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.utils import timezone

from .helpers import start

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a long enough password"
WEB = Path(__file__).resolve().parents[2] / "src" / "kaleidoscope" / "web"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def test_concurrent_guesses_are_counted_atomically() -> None:
    """40 guesses at once: no more than the limit of 5 ever reach the password check."""
    get_user_model().objects.create_user("sam", password=PASSWORD)
    statuses: list[int] = []
    checked: list[str] = []  # Django signals each refused password check
    lock = threading.Lock()

    def refused(sender: object, credentials: dict[str, str], **kwargs: object) -> None:
        with lock:
            checked.append(credentials["username"])

    def guess() -> None:
        try:
            response = Client().post("/accounts/sign-in/", {"username": "sam", "password": "nope"})
        finally:
            # A server gives its connection back at the end of each request; the test
            # client keeps it, so this thread gives it back (PostgreSQL's pool, ADR 0017).
            connections.close_all()
        with lock:
            statuses.append(response.status_code)

    user_login_failed.connect(refused)
    try:
        threads = [threading.Thread(target=guess) for _ in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        user_login_failed.disconnect(refused)
    assert len(statuses) == 40
    assert statuses.count(200) <= 5  # checked (and refused) against the password
    assert statuses.count(429) >= 35
    assert len(checked) == statuses.count(200)  # a refused attempt hashes no password


def test_one_address_cannot_spray_many_accounts() -> None:
    client = Client(REMOTE_ADDR="192.0.2.10")
    codes = [
        client.post("/accounts/sign-in/", {"username": f"user{i}", "password": "x"}).status_code
        for i in range(101)
    ]
    assert codes[:100] == [200] * 100 and codes[100] == 429


def test_join_codes_answer_429_after_20_guesses_a_minute() -> None:
    client = Client(REMOTE_ADDR="192.0.2.20")
    codes = [
        client.post("/join/", {"code": f"{i:06d}", "name": "Guess"}).status_code
        for i in range(21)
    ]
    assert set(codes[:20]) == {400} and codes[20] == 429
    assert "Too many codes" in client.post("/join/", {"code": "1", "name": "x"}).content.decode()
    # another phone in the room is not affected
    other = Client(REMOTE_ADDR="192.0.2.21")
    assert other.post("/join/", {"code": "000001", "name": "Guess"}).status_code == 400


def test_pages_carry_a_strict_content_security_policy_and_no_timing() -> None:
    client = Client()
    play = start(client)
    for path in ("/", "/scenarios/", f"/plays/{play.id}/", "/check/", "/check/archive/",
                 "/see/", "/join/", "/accounts/sign-in/"):
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response["Content-Security-Policy"]
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
        )
        assert directives["script-src"] == ["'self'"], path
        assert directives["style-src"] == ["'self'"], path
        assert directives["frame-ancestors"] == ["'none'"], path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "Server-Timing" not in response, path
        page = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), f"inline script on {path}"
        assert not re.search(r"\son[a-z]+\s*=", page), f"inline handler on {path}"
        assert not re.search(r"\sstyle\s*=", page), f"inline style on {path}"


def test_no_template_has_inline_script_handlers_or_styles() -> None:
    for template in WEB.rglob("jinja2/**/*.html"):
        text = template.read_text("utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert not re.search(r"\son(click|change|submit|load|input)\s*=", text), template
        assert not re.search(r"\sstyle\s*=\s*\"", text), template


def _settings_under(env: dict[str, str]) -> dict[str, object]:
    code = (
        "import json, django, os;"
        "os.environ['DJANGO_SETTINGS_MODULE']='kaleidoscope.web.settings';"
        "django.setup();"
        "from django.conf import settings as s;"
        "print(json.dumps({k: getattr(s, k, None) for k in ("
        "'SECURE_HSTS_SECONDS','SECURE_SSL_REDIRECT','SECURE_PROXY_SSL_HEADER',"
        "'SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','MIDDLEWARE')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True,
        text=True, check=True,
    )
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_https_setting_turns_on_hsts_proxy_header_redirect_and_secure_cookies(
    tmp_path: Path,
) -> None:
    on = _settings_under({"KALEIDOSCOPE_HTTPS": "1", "KALEIDOSCOPE_DATA_DIR": str(tmp_path)})
    assert on["SECURE_HSTS_SECONDS"] == 31536000 and on["SECURE_SSL_REDIRECT"] is True
    assert on["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert on["SESSION_COOKIE_SECURE"] is True and on["CSRF_COOKIE_SECURE"] is True
    off = _settings_under({"KALEIDOSCOPE_HTTPS": "0", "KALEIDOSCOPE_DATA_DIR": str(tmp_path)})
    assert not off["SECURE_HSTS_SECONDS"] and not off["SECURE_SSL_REDIRECT"]
    debug = _settings_under({"KALEIDOSCOPE_DEBUG": "1", "KALEIDOSCOPE_DATA_DIR": str(tmp_path)})
    assert "kaleidoscope.web.core.timing.ServerTimingMiddleware" in debug["MIDDLEWARE"]
    assert "kaleidoscope.web.core.timing.ServerTimingMiddleware" not in off["MIDDLEWARE"]


def test_signed_in_sessions_last_two_weeks_from_the_last_visit() -> None:
    get_user_model().objects.create_user("ash", password=PASSWORD)
    client = Client()
    client.post("/accounts/sign-in/", {"username": "ash", "password": PASSWORD})
    left = client.session.get_expiry_age()
    assert 14 * 86400 - 60 < left <= 14 * 86400
    # an anonymous learner keeps the six-month record
    anonymous = Client()
    start(anonymous)
    assert anonymous.session.get_expiry_age() > 150 * 86400
    # a visit two days later slides the end forward again
    session = client.session
    session.set_expiry(timezone.now() + timedelta(days=12))
    session.save()
    client.get("/record/")
    assert client.session.get_expiry_age() > 13 * 86400
