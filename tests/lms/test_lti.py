"""LTI 1.3 against a real platform (lti1p3platform) on loopback: launch, deep link,
grade (AGS), roster (NRPS), and every bad launch refused with a clear reason.

The tool is the real web app (pytest-django's live server); the platform is an HTTP
server of its own; ``Browser`` is the user agent between them.
"""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import pytest
import requests
from django.test import Client
from lti_tool.models import Key, LtiDeployment
from web.helpers import play_to_end

from kaleidoscope.learn.xapi import score_for
from kaleidoscope.web.learn.models import Play
from kaleidoscope.web.lms import sender
from kaleidoscope.web.lms.models import LaunchLink, OutboxItem

from .lti_platform import INSTRUCTOR, LEARNER, Browser, Platform, forms

pytestmark = [pytest.mark.lti, pytest.mark.django_db(transaction=True)]
SCENARIO = "friend-request"


def refusal(response: Any) -> str:
    assert response.status_code in (400, 403, 404), response.status_code
    marker = 'id="lti-refusal" data-reason="'
    assert marker in response.text, response.text[:500]
    return str(response.text.split(marker, 1)[1].split('"', 1)[0])


def session_client(browser: Browser) -> Client:
    """Django's test client holding the browser's session (to make moves quickly)."""
    client = Client()
    client.cookies["sessionid"] = browser.client.cookies["sessionid"]
    return client


def test_launch_play_and_grade(platform: Platform) -> None:
    browser = Browser()
    _, answer = browser.launch(platform.login_url("learner-1", [LEARNER], scenario=SCENARIO))
    assert answer.status_code == 200
    assert "/plays/" in str(answer.url), "straight into the linked scenario"
    play = Play.objects.get()
    assert play.scenario_id == SCENARIO and play.user is not None
    assert play.user.email == "" and "Sam" not in play.user.get_username()
    from lti_tool.models import LtiUser

    lti_user = LtiUser.objects.get(sub="learner-1")
    assert (lti_user.name, lti_user.email) == ("", ""), "the platform sent them; we keep none"
    link = LaunchLink.objects.get(play=play)
    assert link.sub == "learner-1" and link.ags is not None
    ending = play_to_end(session_client(browser), play)
    grades = OutboxItem.objects.filter(kind=OutboxItem.GRADE)
    assert grades.count() == 1
    result = sender.send_round(requests.Session())
    assert result.sent == 1 and not result.failed, OutboxItem.objects.values("last_error")
    (score,) = platform.scores
    assert score["lineitem"] == "/lineitems/1/lineitem/scores"
    assert score["userId"] == "learner-1"
    assert score["scoreGiven"] == score_for(ending.kind) and score["scoreMaximum"] == 100
    assert score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"
    assert "comment" not in score, "reflections are not sent"


def test_grades_off_sends_nothing(platform: Platform) -> None:
    from kaleidoscope.web.lms.models import PlatformSettings

    PlatformSettings.objects.update(send_grades=False)
    browser = Browser()
    browser.launch(platform.login_url("learner-2", [LEARNER], scenario=SCENARIO))
    play_to_end(session_client(browser), Play.objects.get())
    assert not OutboxItem.objects.exists()


def test_deep_linking_places_scenarios_in_the_course(platform: Platform) -> None:
    browser = Browser()
    _, picker = browser.launch(platform.login_url("teacher-1", [INSTRUCTOR], deep_link=True))
    assert picker.status_code == 200 and "Choose scenarios for your course" in picker.text
    none_chosen = browser.submit(picker)
    assert none_chosen.status_code == 400 and "Select at least one scenario" in none_chosen.text
    chosen = browser.submit(picker, {"scenario": [SCENARIO, "filmed-visit"]})
    assert chosen.status_code == 200 and "Return to your course" in chosen.text
    back = browser.submit(chosen)
    assert back.status_code == 200
    (items,) = platform.deep_links
    assert [i["custom"]["scenario"] for i in items] == [SCENARIO, "filmed-visit"]
    assert all(i["type"] == "ltiResourceLink" for i in items)
    assert items[0]["url"].endswith("/lti/launch/") and items[0]["title"]
    # The placed link launches into its scenario.
    _, answer = browser.launch(
        platform.login_url("learner-1", [LEARNER], scenario=items[1]["custom"]["scenario"])
    )
    assert "/plays/" in str(answer.url)
    assert Play.objects.get().scenario_id == "filmed-visit"


def test_teacher_starts_a_group_session_from_the_roster(platform: Platform) -> None:
    browser = Browser()
    _, page = browser.launch(platform.login_url("teacher-1", [INSTRUCTOR], scenario=SCENARIO))
    assert page.status_code == 200 and "Start a group session for this course" in page.text
    index = next(i for i, (action, _) in enumerate(forms(page.text)) if "/lti/group/" in action)
    started = browser.submit(page, index=index)
    assert started.status_code == 200, started.text[:400]
    assert "Group session started" in started.text
    assert 'id="roster-count">Learners on the course roster: 2<' in started.text
    from kaleidoscope.web.groups.models import GroupSession

    session = GroupSession.objects.get()
    assert session.scenario_id == SCENARIO and session.code in started.text


def test_jwks_and_key_rotation(platform: Platform, live_server: Any) -> None:
    from django.core.management import call_command

    first = requests.get(f"{live_server.url}/.well-known/jwks.json", timeout=10).json()
    assert len(first["keys"]) == 1 and "d" not in first["keys"][0], "public keys only"
    call_command("rotate_keys", deactivate_after=0)
    second = requests.get(f"{live_server.url}/.well-known/jwks.json", timeout=10).json()
    assert len(second["keys"]) == 1 and second["keys"][0]["kid"] != first["keys"][0]["kid"]
    assert Key.objects.count() == 2
    # The platform takes the new key from the JWKS: grades still go through.
    browser = Browser()
    browser.launch(platform.login_url("learner-1", [LEARNER], scenario=SCENARIO))
    play_to_end(session_client(browser), Play.objects.get())
    assert sender.send_round(requests.Session()).sent == 1
    assert len(platform.scores) == 1


# --- bad launches ------------------------------------------------------------------------
def _assert_logged(caplog: pytest.LogCaptureFixture, reason: str) -> None:
    lines = [r.getMessage() for r in caplog.records if r.name == "kaleidoscope.lms"]
    assert any(f"LTI launch refused: {reason}" in line for line in lines), lines
    for line in lines:
        for personal in ("learner-1", "Sam Learner", "sam@example.org"):
            assert personal not in line


def test_a_forged_token_is_refused(platform: Platform, caplog: pytest.LogCaptureFixture) -> None:
    browser = Browser()
    form_page = browser.get(platform.login_url("learner-1", [LEARNER], scenario=SCENARIO))
    token = form_page.text.split('name="id_token" value="', 1)[1].split('"', 1)[0]
    head, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["https://purl.imsglobal.org/spec/lti/claim/roles"] = [INSTRUCTOR]
    forged_body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    forged_page = form_page.text.replace(token, f"{head}.{forged_body}.{signature}")
    with caplog.at_level(logging.WARNING):
        answer = browser.submit(type(form_page)(200, text=forged_page, request=form_page.request))
    assert refusal(answer) == "signature"
    assert "may be forged" in answer.text
    assert not Play.objects.exists()
    _assert_logged(caplog, "signature")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"expiry": -120}, "expired"),
        ({"tamper": lambda m: {**m, "aud": "someone-else", "azp": "someone-else"}}, "registration"),
        ({"tamper": lambda m: {**m, "nonce": "not-the-nonce-we-issued"}}, "nonce"),
        ({"deployment": "deployment-unknown"}, "deployment"),
    ],
    ids=["expired", "wrong-audience", "wrong-nonce", "unknown-deployment"],
)
def test_bad_launches_are_refused(
    platform: Platform, caplog: pytest.LogCaptureFixture, change: dict[str, Any], reason: str
) -> None:
    for key, value in change.items():
        setattr(platform, key, value)
    browser = Browser()
    with caplog.at_level(logging.WARNING):
        _, answer = browser.launch(platform.login_url("learner-1", [LEARNER], scenario=SCENARIO))
    assert refusal(answer) == reason
    assert not Play.objects.exists()
    _assert_logged(caplog, reason)
    if reason == "deployment":
        assert not LtiDeployment.objects.get(deployment_id="deployment-unknown").is_active


def test_a_replayed_launch_is_refused(platform: Platform, caplog: pytest.LogCaptureFixture) -> None:
    browser = Browser()
    form_page, first = browser.launch(platform.login_url("learner-1", [LEARNER], scenario=SCENARIO))
    assert "/plays/" in str(first.url)
    with caplog.at_level(logging.WARNING):
        again = browser.submit(form_page)
    assert refusal(again) == "replay"
    assert Play.objects.count() == 1
    _assert_logged(caplog, "replay")


def test_a_launch_signed_with_a_rotated_out_key_is_refused(
    platform: Platform, caplog: pytest.LogCaptureFixture
) -> None:
    browser = Browser()
    form_page = browser.get(platform.login_url("learner-1", [LEARNER], scenario=SCENARIO))
    platform.rotate_key()  # the old key leaves the platform's JWKS before the form arrives
    with caplog.at_level(logging.WARNING):
        answer = browser.submit(form_page)
    assert refusal(answer) == "key"
    _assert_logged(caplog, "key")
    # A launch signed with the platform's current key is accepted.
    _, fresh = Browser().launch(platform.login_url("learner-1", [LEARNER], scenario=SCENARIO))
    assert "/plays/" in str(fresh.url)


def test_unknown_platform_and_missing_scenario(
    platform: Platform, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        _, answer = Browser().launch(platform.login_url("learner-1", [LEARNER], scenario="nope"))
    assert refusal(answer) == "scenario"
    stranger = Browser().client.post(
        platform.tool_url + "/lti/launch/", data={"id_token": "a.b.c", "state": "x"}
    )
    assert refusal(stranger) in ("state", "token")


def test_reflection_from_an_lti_launch_names_the_platform(
    platform: Platform, settings: Any
) -> None:
    """The consent box says the reflection goes with the learner's id at their platform;
    ticked, "commented" is written for the LTI account (the LRS part: test_reflection_*)."""
    from kaleidoscope.web.lms.models import PlatformSettings

    PlatformSettings.objects.update(send_xapi=True)
    settings.XAPI_ENDPOINT = "http://127.0.0.1:9/xAPI/"  # never reached: no sender here
    browser = Browser()
    browser.launch(platform.login_url("learner-1", [LEARNER], scenario=SCENARIO))
    play = Play.objects.get()
    client = session_client(browser)
    play_to_end(client, play)
    page = client.get(f"/plays/{play.id}/reflection/").content.decode()
    assert "with your ID at Test platform, so they can be linked to you" in page
    answer = client.post(f"/plays/{play.id}/reflection/", {"learned": "Kindly.", "share": "yes"})
    assert answer.status_code == 303
    (commented,) = [
        i.payload
        for i in OutboxItem.objects.filter(kind=OutboxItem.XAPI)
        if i.payload["verb"]["id"].endswith("/commented")
    ]
    assert commented["actor"]["account"] == {"homePage": platform.url, "name": "learner-1"}
    assert commented["result"]["response"] == "What did you learn?\nKindly."
