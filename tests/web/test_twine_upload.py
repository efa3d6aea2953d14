"""Staff upload their organisation's own dilemmas, read the messages, publish, unpublish
and download them as Twine; learners and group sessions play them like bundled ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kaleidoscope.learn.library import bundled_library
from kaleidoscope.learn.source import MAX_FILE_BYTES
from kaleidoscope.learn.twine.exporter import scenario_to_story
from kaleidoscope.learn.twine.twee import write_twee
from kaleidoscope.web.groups.models import GroupSession
from kaleidoscope.web.learn.models import Play, StoryVersion

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parents[1] / "fixtures" / "twine"
REVIEW = (FIXTURES / "own-review.twee").read_text("utf-8")
BROKEN = REVIEW.replace(":: Reply [ending ending-unsuccessful]", ":: Reply")


def _staff(name: str = "editor") -> Client:
    user = get_user_model().objects.create_user(name, password="a-long-passphrase-42")
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def _upload(client: Client, name: str, raw: bytes, **data: str):  # type: ignore[no-untyped-def]
    return client.post("/staff/twine/", {"file": SimpleUploadedFile(name, raw), **data})


def _uploaded(client: Client, name: str, raw: bytes) -> StoryVersion:
    response = _upload(client, name, raw)
    body = response.content.decode()
    assert response.status_code == 303, re.findall(r"govuk-error-summary__list.*?</ul>", body, re.S)
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    return StoryVersion.objects.get(pk=pk)


def _publish(client: Client, version: StoryVersion) -> str:
    response = client.post(f"/staff/stories/{version.pk}/publish/")
    assert response.status_code == 303
    return client.get(response["Location"]).content.decode()


def test_only_staff_can_use_the_story_pages() -> None:
    staff = _staff()
    version = _uploaded(staff, "review.twee", REVIEW.encode())
    learner = Client()
    learner.force_login(get_user_model().objects.create_user("learner", password="x-long-pw-42"))
    for url in (
        "/staff/twine/",
        f"/staff/stories/{version.pk}/",
        f"/staff/stories/{version.pk}/story.twee",
    ):
        assert Client().get(url).status_code == 302
        assert learner.get(url).status_code == 302
    assert learner.post(f"/staff/stories/{version.pk}/publish/").status_code == 302
    assert "Your organisation" in staff.get("/staff/twine/").content.decode()


def test_the_upload_form_states_the_one_size_limit_and_keeps_to_it() -> None:
    staff = _staff()
    page = staff.get("/staff/twine/").content.decode()
    assert "up to 5 MB (5,242,880 bytes)" in page
    response = _upload(staff, "big.twee", b":: Start\n" + b"x" * MAX_FILE_BYTES)
    assert response.status_code == 400
    assert "the limit is 5 MB (5,242,880 bytes)" in response.content.decode()
    assert not StoryVersion.objects.exists()


def test_a_draft_shows_the_passage_and_line_and_cannot_be_published() -> None:
    staff = _staff()
    version = _uploaded(staff, "review.twee", BROKEN.encode())
    assert version.state == StoryVersion.DRAFT and version.errors == 1
    page = staff.get(f"/staff/stories/{version.pk}/").content.decode()
    assert "review.twee:42:1: T131 passage &#39;Reply&#39; links to no other passage" in page
    assert ">Publish<" not in page
    refused = staff.post(f"/staff/stories/{version.pk}/publish/")
    assert refused["Location"].endswith("?done=refused")
    assert StoryVersion.objects.get(pk=version.pk).state == StoryVersion.DRAFT
    assert "the-online-review" not in Client().get("/scenarios/").content.decode()


def test_a_draft_downloads_as_the_twine_it_came_in_as() -> None:
    staff = _staff()
    version = _uploaded(staff, "review.twee", BROKEN.encode())
    response = staff.get(f"/staff/stories/{version.pk}/story.twee")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode() == BROKEN
    html = staff.get(f"/staff/stories/{version.pk}/story.html").content.decode()
    assert html.startswith("<tw-storydata") and "Reply" in html


def test_publish_play_to_an_ending_version_and_unpublish() -> None:
    staff = _staff()
    version = _uploaded(staff, "review.twee", REVIEW.encode())
    assert version.errors == 0
    page = _publish(staff, version)
    assert "Published" in page
    assert "The online review" in Client().get("/scenarios/").content.decode()
    learner = Client()
    start = learner.post("/scenarios/the-online-review/start/")
    assert start.status_code == 303
    play = Play.objects.get(pk=start["Location"].rstrip("/").split("/")[-1])
    page = learner.get(f"/plays/{play.id}/").content.decode()
    assert "A one-star review of the council names Jo" in page
    play.refresh_from_db()
    assert play.story_version_id == version.pk

    # A new version is published while the play is under way: the play keeps its version.
    second = _uploaded(staff, "review.twee", REVIEW.replace("one-star", "two-star").encode())
    _publish(staff, second)
    assert StoryVersion.objects.get(pk=version.pk).state == StoryVersion.WITHDRAWN
    assert "one-star" in learner.get(f"/plays/{play.id}/").content.decode()
    response = learner.post(
        f"/plays/{play.id}/step/",
        {
            "rev": str(play.revision),
            "action": "choose",
            "node": "the_review",
            "choice": "tell_manager",
        },
    )
    assert response.status_code == 303
    play.refresh_from_db()
    assert play.finished_at is not None and play.ending_id == "manager"
    fresh = Client()
    other = fresh.post("/scenarios/the-online-review/start/")
    assert "two-star" in fresh.get(other["Location"]).content.decode()

    # Unpublished: gone from the library; a play already started can still be read.
    staff.post(f"/staff/stories/{second.pk}/unpublish/")
    assert "The online review" not in Client().get("/scenarios/").content.decode()
    assert Client().get("/scenarios/the-online-review/").status_code == 404
    assert learner.get(f"/plays/{play.id}/").status_code == 200


def test_a_published_story_runs_as_a_group_session() -> None:
    staff = _staff()
    _publish(staff, _uploaded(staff, "review.twee", REVIEW.encode()))
    page = staff.get("/groups/").content.decode()
    assert "The online review" in page
    response = staff.post("/groups/new/", {"scenario": "the-online-review"})
    assert response.status_code in (302, 303)
    assert GroupSession.objects.get().scenario_id == "the-online-review"


def test_a_bundled_scenario_s_id_cannot_be_taken_over() -> None:
    scenario = bundled_library().get("friend-request")
    assert scenario is not None
    staff = _staff()
    version = _uploaded(staff, "friend.twee", write_twee(scenario_to_story(scenario)).encode())
    page = staff.get(f"/staff/stories/{version.pk}/").content.decode()
    assert "comes with Kaleidoscope" in page and ">Publish<" not in page
    staff.post(f"/staff/stories/{version.pk}/publish/")
    assert StoryVersion.objects.get(pk=version.pk).state == StoryVersion.DRAFT


def test_scenario_yaml_uploads_too() -> None:
    staff = _staff()
    twine = _uploaded(staff, "review.twee", REVIEW.encode())
    version = _uploaded(staff, "review.yaml", twine.yaml_text.encode())
    assert (version.scenario_id, version.version, version.errors) == ("the-online-review", 2, 0)
    draft = _uploaded(staff, "draft.yaml", b"id: x\ntitle: X\n")
    assert draft.errors > 0 and draft.report[0]["text"].startswith("draft.yaml:")
    broken = _upload(staff, "broken.yaml", b"id: x\ntitle: [\n")
    assert broken.status_code == 400 and "broken.yaml:3:1: E104" in broken.content.decode()


def test_story_code_never_runs_in_our_pages() -> None:
    staff = _staff()
    raw = (FIXTURES / "own-sugarcube.twee").read_bytes()
    version = _uploaded(staff, "bus.twee", raw)
    page = staff.get(f"/staff/stories/{version.pk}/").content.decode()
    assert "</script><p>" not in page and "window.note" not in page
    listing = staff.get("/staff/twine/").content.decode()
    assert "window.note" not in listing
    html = staff.get(f"/staff/stories/{version.pk}/story.html")
    assert "sandbox" in html["Content-Security-Policy"]
    assert "<\\/script><p>" in html.content.decode()


def test_a_two_story_archive_gives_two_versions_or_the_one_asked_for() -> None:
    raw = (FIXTURES / "two-stories.html").read_bytes()
    staff = _staff()
    page = _upload(staff, "two-stories.html", raw).content.decode()
    assert len(re.findall(r'href="/staff/stories/\d+/"', page.split("<h2")[1])) == 2
    one = _upload(staff, "two-stories.html", raw, story="Second")
    assert one.status_code == 303
    assert (
        "There is no story called" in _upload(staff, "x.html", raw, story="Nope").content.decode()
    )


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("notes.txt", b"hello", "must be Twine 2 HTML"),
        ("page.html", b"<html><body>No story here</body></html>", "story"),
        ("bad.twee", b"\xff\xfe\x00broken", "UTF-8"),
        ("notes.twee", b"# Just notes\n", "not a Twine story"),
    ],
)
def test_unusable_files_get_a_clear_error(name: str, raw: bytes, message: str) -> None:
    response = _upload(_staff(), name, raw)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()
    assert _staff("other").post("/staff/twine/", {}).status_code == 400
