"""xAPI "commented": a reflection reaches the LRS only when the learner ticks the box.

Against the real Ralph LRS on loopback (``tests/lms/lrs.py``): the reflection form (real
view, real template) with the consent box ticked sends one "commented" statement with
the answers; left unticked, or with no LRS configured, nothing about the reflection
leaves the site. The browser test fills the form in Debian's chromium with JavaScript
off, as a learner without scripts would.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import requests
from django.test import Client
from web.helpers import play_to_end, start

from kaleidoscope.learn.xapi import EXT_REFLECTION
from kaleidoscope.web.learn.models import Play
from kaleidoscope.web.lms import sender
from kaleidoscope.web.lms.models import Cursor, OutboxItem

from .lrs import Ralph

pytestmark = [pytest.mark.xapi]
COMMENTED = "http://adlnet.gov/expapi/verbs/commented"
LABEL = "Send my two answers to the learning record store at 127.0.0.1"



def drain() -> None:
    session = requests.Session()
    for _ in range(20):
        result = sender.send_round(session)
        assert not result.failed and result.rejected == 0
        if not OutboxItem.objects.filter(state=OutboxItem.PENDING).exists():
            return
    raise AssertionError("the outbox did not drain")


def stored_for(ralph: Ralph, play: Play) -> list[dict[str, Any]]:
    registration = str(Cursor.objects.get(play=play).registration)
    return [s for s in ralph.statements() if s["context"]["registration"] == registration]


def reflect(client: Client, play: Play, **form: str) -> Any:
    return client.post(f"/plays/{play.id}/reflection/", form)


def box(page: str) -> str:
    """The consent checkbox's <input> tag ('' when the form has none)."""
    found = re.search(r'<input[^>]*name="share"[^>]*>', page)
    return found.group(0) if found else ""


@pytest.mark.django_db
def test_ticked_sends_one_commented_statement(lrs_settings: Any, ralph: Ralph) -> None:
    client = Client()
    play = start(client)
    play_to_end(client, play)
    page = client.get(f"/plays/{play.id}/reflection/").content.decode()
    tag = box(page)
    assert tag and 'value="yes"' in tag and "checked" not in tag, "unticked by default"
    assert LABEL in page and "not your name or email address" in page
    answer = reflect(
        client, play, learned="Say no kindly and explain why.", impact="Plan it.", share="yes"
    )
    assert answer.status_code == 303
    record = client.get("/record/").content.decode()
    assert "A copy is being sent to the learning record store at 127.0.0.1" in record
    drain()
    stored = stored_for(ralph, play)
    commented = [s for s in stored if s["verb"]["id"] == COMMENTED]
    assert len(commented) == 1
    (statement,) = commented
    assert statement is stored[-1], "after the play's own statements, in order"
    response = statement["result"]["response"]
    assert response == (
        "What did you learn?\nSay no kindly and explain why.\n\n"
        "What impact will it have on your practice?\nPlan it."
    )
    assert statement["result"]["extensions"][EXT_REFLECTION] == {
        "learned": "Say no kindly and explain why.",
        "impact": "Plan it.",
    }
    assert statement["object"]["id"].endswith("/scenarios/friend-request")
    assert statement["actor"] == stored[0]["actor"], "the play's opaque account"
    assert "@" not in json.dumps(statement["actor"])
    # Saving again with the box ticked sends the changed reflection as a new statement.
    reflect(client, play, learned="Say no kindly.", share="yes")
    drain()
    again = [s for s in stored_for(ralph, play) if s["verb"]["id"] == COMMENTED]
    assert len(again) == 2 and again[-1]["result"]["response"] == (
        "What did you learn?\nSay no kindly."
    )
    assert EXT_REFLECTION in again[-1]["result"]["extensions"]
    assert again[-1]["result"]["extensions"][EXT_REFLECTION] == {"learned": "Say no kindly."}


@pytest.mark.django_db
def test_unticked_sends_nothing_about_the_reflection(lrs_settings: Any, ralph: Ralph) -> None:
    client = Client()
    play = start(client)
    play_to_end(client, play)
    before = OutboxItem.objects.count()
    secret = "Unticked: this stays on the site."
    assert reflect(client, play, learned=secret, impact="Keep it.").status_code == 303
    assert OutboxItem.objects.count() == before, "no statement written"
    play.refresh_from_db()
    assert play.learned == secret, "saved in the learning record all the same"
    drain()
    stored = stored_for(ralph, play)
    assert stored and stored[-1]["verb"]["id"].endswith("/completed")
    assert COMMENTED not in {s["verb"]["id"] for s in stored}
    assert secret not in json.dumps(ralph.statements())
    # A form with errors keeps the learner's own tick (and nothing is sent).
    page = reflect(client, play, learned="", impact="", share="yes").content.decode()
    assert "There is a problem" in page and "checked" in box(page)
    assert OutboxItem.objects.count() == before


@pytest.mark.django_db
def test_no_lrs_no_box_and_nothing_sent(settings: Any) -> None:
    settings.XAPI_SENDER_CHILD = False
    settings.XAPI_ENDPOINT = ""
    settings.XAPI_ALL_PLAYS = True
    client = Client()
    play = start(client)
    page = client.get(f"/plays/{play.id}/reflection/").content.decode()
    assert not box(page) and "Only you can see them." in page
    assert reflect(client, play, learned="Mine.", share="yes").status_code == 303
    assert not OutboxItem.objects.exists(), "a forged tick sends nothing without an LRS"
    # An LRS, but this play is not one whose statements are sent (no LMS, not all plays).
    settings.XAPI_ENDPOINT = "http://127.0.0.1:9/xAPI/"
    settings.XAPI_ALL_PLAYS = False
    page = client.get(f"/plays/{play.id}/reflection/").content.decode()
    assert not box(page)
    assert reflect(client, play, learned="Mine.", share="yes").status_code == 303
    assert not OutboxItem.objects.exists()


# --- in a browser, JavaScript off -----------------------------------------------------------
def _play_to_debrief(page: Any) -> None:
    for _ in range(60):
        if page.get_by_role("link", name="See your debrief").count():
            return
        if page.locator("input[name=choice]").count():
            page.locator("input[name=choice]").first.check()
            page.get_by_role("button", name="Choose").click()
        else:
            page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
    raise AssertionError("no ending reached")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_consent_box_with_javascript_off(
    lrs_settings: Any, ralph: Ralph, live_server: Any, chromium: Any
) -> None:
    from web.axe import assert_axe_clean

    context = chromium.new_context(java_script_enabled=False)
    scratch = chromium.new_context()
    context.set_default_timeout(20_000)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    try:
        sent: dict[bool, str] = {}
        for tick in (True, False):
            page.goto(live_server.url + "/scenarios/friend-request/")
            page.get_by_role("button", name=re.compile("^Start")).first.click()
            page.wait_for_url("**/plays/*/")
            _play_to_debrief(page)
            play_id = page.url.rstrip("/").split("/")[-1]
            page.goto(f"{live_server.url}/plays/{play_id}/reflection/")
            consent = page.get_by_label(LABEL)
            assert consent.count() == 1 and not consent.is_checked()
            assert_axe_clean(page, scratch)
            text = f"Reflection {'shared' if tick else 'kept'} with JavaScript off."
            page.get_by_label("What did you learn?").fill(text)
            if tick:
                consent.check()  # a click on the label's box, no script involved
            page.get_by_role("button", name="Save reflection").click()
            page.wait_for_url("**/record/")
            assert page.get_by_text(text).count()
            sent[tick] = text
        drain()
        statements = ralph.statements()
        commented = [s for s in statements if s["verb"]["id"] == COMMENTED]
        shared = [s for s in commented if sent[True] in s["result"]["response"]]
        assert len(shared) == 1
        assert sent[False] not in json.dumps(statements)
        assert not refused, refused
    finally:
        context.close()
        scratch.close()
