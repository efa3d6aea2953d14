"""xAPI: one statement per move, through the outbox, to a real Ralph LRS on loopback.

Moves are made through the web app (Django's test client, the real step view); the
outbox is drained by the real sender (``send_round``), as its background thread does.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from typing import Any

import pytest
import requests
from django.db import transaction
from django.test import Client
from web.helpers import play_to_decision, play_to_end, post, scenario, start

from kaleidoscope.learn.model import Dimension
from kaleidoscope.learn.xapi import score_for
from kaleidoscope.web.learn.models import Play
from kaleidoscope.web.lms import sender
from kaleidoscope.web.lms.models import Cursor, OutboxItem

from .lrs import Ralph

pytestmark = [pytest.mark.xapi, pytest.mark.django_db]
ADL = "http://adlnet.gov/expapi/verbs/"



def drain(rounds: int = 20) -> sender.Round:
    total = sender.Round()
    session = requests.Session()
    for _ in range(rounds):
        result = sender.send_round(session)
        total.sent += result.sent
        total.rejected += result.rejected
        total.failed |= result.failed
        if result.failed or not OutboxItem.objects.filter(state=OutboxItem.PENDING).exists():
            break
    return total


def stored_for(ralph: Ralph, registration: str) -> list[dict[str, Any]]:
    return [s for s in ralph.statements() if s["context"]["registration"] == registration]


def verb(statement: dict[str, Any]) -> str:
    return str(statement["verb"]["id"]).removeprefix(ADL)


def test_every_move_reaches_ralph_with_its_fields(lrs_settings: Any, ralph: Ralph) -> None:
    client = Client()
    play = start(client)
    decision = play_to_decision(client, play)
    assert decision.text and post(client, play, "choose", "talk").status_code == 303
    ending = play_to_end(client, play)
    outcome = drain()
    assert not outcome.failed and outcome.rejected == 0
    assert not OutboxItem.objects.exclude(state=OutboxItem.SENT).exists()
    registration = str(Cursor.objects.get(play=play).registration)
    stored = stored_for(ralph, registration)
    keys = [str(k) for k in OutboxItem.objects.order_by("id").values_list("key", flat=True)]
    assert [s["id"] for s in stored] == keys, "all delivered, in order, with our ids"
    verbs = [verb(s) for s in stored]
    assert verbs[0] == "launched" and verbs[-1] == "completed"
    assert "experienced" in verbs and "answered" in verbs
    # The actor is an opaque account at the organisation: no name, no email.
    actors = {json.dumps(s["actor"], sort_keys=True) for s in stored}
    assert len(actors) == 1
    actor = stored[0]["actor"]
    assert actor["account"]["homePage"] == "https://council.example"
    assert re.fullmatch(r"[0-9a-f]{32}", actor["account"]["name"])
    assert "mbox" not in json.dumps(stored) and "@" not in json.dumps(actor)
    # The first decision: choice id and text, six effects, guidance keys.
    answered = next(s for s in stored if verb(s) == "answered")
    sc = scenario()
    talk = next(c for c in sc.decision("first_move").choices if c.id == "talk")
    assert answered["object"]["id"] == (
        "https://council.example/kaleidoscope/scenarios/friend-request/decisions/first_move"
    )
    definition = answered["object"]["definition"]
    assert definition["interactionType"] == "choice"
    assert [c["id"] for c in definition["choices"]] == [c.id for c in decision.choices]
    result = answered["result"]
    assert result["response"] == "talk"
    ext = result["extensions"]
    assert ext["https://kaleidoscope.invalid/xapi/profile/extensions/choice-text"] == talk.text
    effects = ext["https://kaleidoscope.invalid/xapi/profile/extensions/effects"]
    assert set(effects) == {d.value for d in Dimension}
    assert effects["boundaries"] == 2 and effects["privacy"] == 0
    guidance = ext["https://kaleidoscope.invalid/xapi/profile/extensions/guidance"]
    assert guidance == talk.guidance
    assert answered["context"]["contextActivities"]["parent"][0]["id"].endswith(
        "/scenarios/friend-request"
    )
    done = stored[-1]
    assert done["result"]["completion"] is True
    assert done["result"]["score"]["raw"] == score_for(ending.kind)
    assert done["result"]["score"]["scaled"] == score_for(ending.kind) / 100
    # Ralph answers queries over the same statements.
    assert {s["id"] for s in ralph.query(registration=registration, limit="100")} == set(keys)


def test_lrs_down_mid_play_loses_nothing(
    lrs_settings: Any, ralph: Ralph, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    play = start(client)
    play_to_decision(client, play)
    assert not drain().failed
    ralph.stop()
    try:
        assert post(client, play, "choose", "accept").status_code == 303  # moves go on
        with caplog.at_level(logging.WARNING, logger="kaleidoscope.lms"):
            down = drain()
        assert down.failed and down.sent == 0
        waiting = list(OutboxItem.objects.filter(state=OutboxItem.PENDING).order_by("id"))
        assert waiting and waiting[0].attempts == 1
        assert waiting[0].last_error.startswith("unreachable")
        play_to_end(client, play)
    finally:
        ralph.start()
    assert not drain().failed
    registration = str(Cursor.objects.get(play=play).registration)
    stored = stored_for(ralph, registration)
    keys = [str(k) for k in OutboxItem.objects.order_by("id").values_list("key", flat=True)]
    assert [s["id"] for s in stored] == keys, "nothing lost, nothing out of order"
    assert [verb(s) for s in stored][-1] == "completed"
    # Idempotent: the same statement sent again is stored once.
    again = OutboxItem.objects.order_by("id").first()
    assert again is not None
    OutboxItem.objects.filter(pk=again.pk).update(state=OutboxItem.PENDING)
    assert drain().sent == 1
    assert [s["id"] for s in stored_for(ralph, registration)] == keys
    # The log says what happened and names no learner.
    actor = stored[0]["actor"]["account"]["name"]
    for record in caplog.records:
        assert actor not in record.getMessage() and registration not in record.getMessage()
    assert any("not available" in r.getMessage() for r in caplog.records)


def test_a_statement_the_lrs_refuses_is_kept_not_retried(
    lrs_settings: Any, ralph: Ralph, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    play = start(client)
    post(client, play, "advance")
    good = list(OutboxItem.objects.order_by("id"))
    bad = OutboxItem.objects.create(
        key="6d1b7c58-1f5e-4c44-9a3c-0a1b2c3d4e5f",
        payload={**good[0].payload, "id": "6d1b7c58-1f5e-4c44-9a3c-0a1b2c3d4e5f", "verb": {}},
    )
    post(client, play, "advance")
    with caplog.at_level(logging.WARNING, logger="kaleidoscope.lms"):
        outcome = drain()
    assert outcome.rejected == 1 and not outcome.failed
    bad.refresh_from_db()
    assert bad.state == OutboxItem.REJECTED and bad.last_error.startswith("422")
    assert not OutboxItem.objects.filter(state=OutboxItem.PENDING).exists()
    assert OutboxItem.objects.filter(state=OutboxItem.SENT).count() == (
        OutboxItem.objects.count() - 1
    )
    drain()
    bad.refresh_from_db()
    assert bad.attempts == 1, "a rejected statement is not sent again"
    messages = [r.getMessage() for r in caplog.records]
    assert any(f"rejected outbox item {bad.pk} (422)" in m for m in messages)
    registration = str(Cursor.objects.get(play=play).registration)
    assert all(registration not in m for m in messages)


def test_nothing_is_written_unless_configured(settings: Any) -> None:
    settings.XAPI_SENDER_CHILD = False
    settings.XAPI_ENDPOINT = ""
    settings.XAPI_ALL_PLAYS = True
    client = Client()
    play_to_end(client, start(client))
    assert not OutboxItem.objects.exists()
    settings.XAPI_ENDPOINT = "http://127.0.0.1:9/xAPI/"
    settings.XAPI_ALL_PLAYS = False  # a play from no LMS, and no consent to send all plays
    play_to_end(client, start(client, "filmed-visit"))
    assert not OutboxItem.objects.exists()


def test_a_move_that_rolls_back_takes_its_statements_with_it(lrs_settings: Any) -> None:
    client = Client()
    play = start(client)
    before = OutboxItem.objects.count()
    assert before >= 1  # launched (and the first passage) came with the new play
    play.refresh_from_db()
    with pytest.raises(RuntimeError), transaction.atomic():
        play.state = {**play.state, "steps": [*play.state["steps"], ["request", None]]}
        play.revision += 1
        play.save(update_fields=["state", "revision"])
        assert OutboxItem.objects.count() == before + 1
        raise RuntimeError("the move failed after it was stored")
    assert OutboxItem.objects.count() == before
    assert len(Play.objects.get(pk=play.pk).state["steps"]) == 1


@pytest.mark.django_db(transaction=True)
def test_background_sender_delivers_after_commit(lrs_settings: Any, ralph: Ralph) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=sender.run_forever, args=(stop, 0.2), daemon=True)
    thread.start()
    try:
        client = Client()
        play = start(client)
        play_to_end(client, play)
        expected = OutboxItem.objects.count()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if OutboxItem.objects.filter(state=OutboxItem.SENT).count() == expected:
                break
            time.sleep(0.1)
    finally:
        stop.set()
        sender.wake()
        thread.join(10)
    registration = str(Cursor.objects.get(play=play).registration)
    assert len(stored_for(ralph, registration)) == expected


def test_staff_download_a_package(client: Client, django_user_model: Any) -> None:
    import io
    import zipfile

    url = "/packages/friend-request/scorm12.zip"
    assert client.get(url).status_code == 404, "not for learners"
    staff = django_user_model.objects.create_user("trainer", password="x" * 12, is_staff=True)
    client.force_login(staff)
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    assert "imsmanifest.xml" in zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    assert client.get("/packages/friend-request/cmi5.zip").status_code == 200
    assert client.get("/packages/friend-request/scorm2004.zip").status_code == 404


def test_group_session_votes_carry_the_group_session(
    lrs_settings: Any, ralph: Ralph, django_user_model: Any
) -> None:
    from kaleidoscope.web.groups import services as groups
    from kaleidoscope.web.groups.models import GroupSession

    facilitator = django_user_model.objects.create_user("facilitator", password="x" * 12)
    session = groups.create_session(facilitator, scenario())
    for _ in range(10):
        with transaction.atomic():
            locked = GroupSession.objects.select_for_update().get(pk=session.pk)
            action = "start" if locked.phase == "lobby" else "advance"
            if locked.phase == "voting":
                break
            assert groups.transition(locked, action) is None
            locked.save()
    rnd = groups.current_round(GroupSession.objects.get(pk=session.pk))
    assert rnd is not None and rnd.node_id == "first_move"
    vote = groups.cast_vote(session.pk, "phone-token-1", str(rnd.number), "talk", "Safer.")
    assert vote.saved
    assert not drain().failed
    (statement,) = [s for s in ralph.statements() if s["id"] == str(OutboxItem.objects.get().key)]
    assert statement["verb"]["id"].endswith("/answered")
    assert statement["result"]["response"] == "talk"
    ext = statement["context"]["extensions"]
    assert ext["https://kaleidoscope.invalid/xapi/profile/extensions/group-session"] == str(
        session.pk
    )
    assert "Safer." not in json.dumps(statement), "a voter's reason is not sent"
    assert re.fullmatch(r"[0-9a-f]{32}", statement["actor"]["account"]["name"])


def test_a_published_story_is_sent_like_a_bundled_one(settings: Any) -> None:
    from kaleidoscope.learn.library import bundled_path
    from kaleidoscope.web.learn import stories
    from kaleidoscope.web.learn.models import StoryVersion

    settings.XAPI_SENDER_CHILD = False
    settings.XAPI_ENDPOINT = "http://127.0.0.1:9/xAPI/"
    settings.XAPI_ALL_PLAYS = True
    text = (bundled_path() / "friend-request.yaml").read_text(encoding="utf-8")
    StoryVersion.objects.create(
        scenario_id="our-story",
        version=1,
        title="Our story",
        state=StoryVersion.PUBLISHED,
        source_name="our-story.yaml",
        yaml_text=text.replace("id: friend-request", "id: our-story", 1),
    )
    stories.changed()
    client = Client()
    play = start(client, "our-story")
    post(client, play, "advance")
    ids = [i.payload["object"]["id"] for i in OutboxItem.objects.order_by("id")]
    assert ids and all("/scenarios/our-story" in i for i in ids), ids


def test_admin_lists_platforms_and_rejected_items(client: Client, django_user_model: Any) -> None:
    admin = django_user_model.objects.create_superuser("admin", password="y" * 12)
    assert client.get("/admin/lti_tool/ltiregistration/").status_code == 302  # sign in first
    client.force_login(admin)
    for url in (
        "/admin/lti_tool/ltiregistration/",
        "/admin/lti_tool/ltiregistration/add/",
        "/admin/lms/platformsettings/",
        "/admin/lms/outboxitem/?state=rejected",
    ):
        assert client.get(url).status_code == 200, url


def _stat(pid: int) -> list[str]:
    """Fields of /proc/PID/stat after the command name ([] when there is no such process)."""
    from pathlib import Path

    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _children(pid: int) -> dict[int, str]:
    """Processes whose parent is ``pid``: their command lines."""
    from pathlib import Path

    found = {}
    for entry in Path("/proc").iterdir():
        fields = _stat(int(entry.name)) if entry.name.isdigit() else []
        if fields and int(fields[1]) == pid:
            with (entry / "cmdline").open("rb") as cmdline:
                found[int(entry.name)] = cmdline.read().replace(b"\0", b" ").decode()
    return found


def test_serve_sends_from_a_child_process_not_a_thread(ralph: Ralph) -> None:
    """A real `kaleidoscope serve`: its sender is a child process (`kaleidoscope lms send
    --parent`), started by the first statement, that delivers to Ralph and leaves when the
    web process does."""
    import os
    import signal

    from web.live import Learner, LiveServer, play_state

    home = "https://child-sender.example"
    server = LiveServer()
    server.env.update(
        {
            "KALEIDOSCOPE_XAPI_ENDPOINT": ralph.url,
            "KALEIDOSCOPE_XAPI_USERNAME": ralph.auth[0],
            "KALEIDOSCOPE_XAPI_PASSWORD": ralph.auth[1],
            "KALEIDOSCOPE_XAPI_ALL_PLAYS": "1",
            "KALEIDOSCOPE_XAPI_ACTOR_HOME": home,
        }
    )
    server.start()
    assert server.proc is not None
    try:
        assert not [c for c in _children(server.proc.pid).values() if "lms send" in c]
        learner = Learner(server.port)
        url = learner.start("friend-request")
        page = learner.get(url)
        for _ in range(40):
            state = play_state(page)
            if not state["action"]:
                break
            form = {"rev": state["rev"], "action": state["action"], "node": state["node"],
                    "choice": state["choices"][0] if state["choices"] else ""}  # fmt: skip
            status, _, page = learner.request("POST", url + "step/", form, {"HX-Request": "true"})
            assert status == 200
        senders = [p for p, c in _children(server.proc.pid).items() if "lms send --parent" in c]
        assert len(senders) == 1, _children(server.proc.pid)
        deadline = time.monotonic() + 30
        mine: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            mine = [s for s in ralph.statements() if s["actor"]["account"]["homePage"] == home]
            if mine and verb(mine[-1]) == "completed":
                break
            time.sleep(0.3)
        assert mine and verb(mine[0]) == "launched" and verb(mine[-1]) == "completed"
        os.kill(server.proc.pid, signal.SIGKILL)  # the web process only, not its group
        server.proc.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _stat(senders[0])[:1] not in ([], ["Z"]):
            time.sleep(0.2)
        assert _stat(senders[0])[:1] in ([], ["Z"]), "the sender leaves with its web process"
    finally:
        server.kill()
        server.close()
