"""Staff import a Twine story in the browser-facing pages: draft YAML plus the report."""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kaleidoscope.learn.library import bundled_library
from kaleidoscope.learn.twine.convert import scenario_to_story
from kaleidoscope.learn.twine.twee import write_twee

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parents[1] / "fixtures" / "twine"


def _staff() -> Client:
    user = get_user_model().objects.create_user("editor", password="a-long-passphrase-42")
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def _upload(client: Client, name: str, raw: bytes, **data: str) -> str:
    response = client.post("/staff/twine/", {"file": SimpleUploadedFile(name, raw), **data})
    return response.content.decode()


def _downloads(page: str) -> list[str]:
    return [
        base64.b64decode(m).decode()
        for m in re.findall(r'href="data:text/yaml;charset=utf-8;base64,([^"]+)"', page)
    ]


def test_only_staff_can_open_the_import_page() -> None:
    assert Client().get("/staff/twine/").status_code == 302
    assert "Import from Twine" in _staff().get("/staff/twine/").content.decode()


def test_an_exported_scenario_imports_as_a_valid_scenario() -> None:
    scenario = bundled_library().get("friend-request")
    assert scenario is not None
    twee = write_twee(scenario_to_story(scenario))
    page = _upload(_staff(), "friend-request.twee", twee.encode())
    assert "A valid scenario" in page
    [text] = _downloads(page)
    assert yaml.safe_load(text)["id"] == "friend-request"


def test_a_two_story_archive_gives_two_drafts_or_the_one_asked_for() -> None:
    raw = (FIXTURES / "two-stories.html").read_bytes()
    client = _staff()
    assert len(_downloads(_upload(client, "two-stories.html", raw))) == 2
    names = re.findall(r'<h2 class="govuk-heading-m">([^<]+)</h2>', _upload(client, "x.html", raw))
    one = _upload(client, "two-stories.html", raw, story=html.unescape(names[0]))
    assert len(_downloads(one)) == 1


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("notes.txt", b"hello", "must be Twine 2 HTML"),
        ("page.html", b"<html><body>No story here</body></html>", "story"),
        ("bad.twee", b"\xff\xfe\x00broken", "UTF-8"),
    ],
)
def test_unusable_files_get_a_clear_error(name: str, raw: bytes, message: str) -> None:
    client = _staff()
    response = client.post("/staff/twine/", {"file": SimpleUploadedFile(name, raw)})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()


def test_missing_file_and_unknown_story() -> None:
    client = _staff()
    assert client.post("/staff/twine/", {}).status_code == 400
    raw = (FIXTURES / "two-stories.html").read_bytes()
    page = _upload(client, "two-stories.html", raw, story="Nope")
    assert "There is no story called" in page
