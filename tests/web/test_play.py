"""Play in the browser, server side: one step at a time, resumable, robust to odd posts."""

from __future__ import annotations

import pytest
from django.test import Client

from kaleidoscope.guidance.registry import load_registry
from kaleidoscope.learn.engine import Playthrough
from kaleidoscope.web.learn.models import FirstChoice, Play

from .helpers import SCENARIO, current, play_to_decision, play_to_end, post, scenario, start

pytestmark = pytest.mark.django_db


def test_healthz_and_home(client: Client) -> None:
    assert client.get("/healthz").status_code == 200
    page = client.get("/").content.decode()
    assert "Kaleidoscope" in page and "GOV.UK" not in page


def test_library_lists_themes_minutes_audience_and_filters(client: Client) -> None:
    sc = scenario()
    page = client.get("/scenarios/").content.decode()
    assert sc.title in page and f"about {sc.minutes} minutes" in page
    assert sc.audience[0].value in page and sc.themes[0] in page
    theme = sc.themes[0]
    filtered = client.get("/scenarios/", {"theme": theme}).content.decode()
    assert sc.title in filtered and f"about “{theme}”" in filtered
    unknown = client.get("/scenarios/", {"theme": "<script>nope"}).content.decode()
    assert "no theme by that name" in unknown and "<script>nope" not in unknown


def test_unknown_scenario_and_play_ids_are_404_pages(client: Client) -> None:
    assert client.get("/scenarios/no-such-thing/").status_code == 404
    assert client.post("/scenarios/no-such-thing/start/").status_code == 404
    assert client.get("/plays/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/plays/not-a-uuid/").status_code == 404


def test_play_shows_one_step_and_resumes_on_reload(client: Client) -> None:
    play = start(client)
    sc = scenario()
    first = sc.nodes[sc.start]
    page = client.get(f"/plays/{play.id}/").content.decode()
    assert 'name="action" value="advance"' in page and "Continue" in page
    assert "Back to the last decision" not in page and "Start again" in page  # no decision yet
    assert first.text.split()[0] in page
    decision = play_to_decision(client, play)
    page = client.get(f"/plays/{play.id}/").content.decode()
    assert 'type="radio"' in page and decision.choices[0].id in page
    assert Client(enforce_csrf_checks=False).get(f"/plays/{play.id}/").status_code == 404


def test_choice_shows_consequence_and_guidance(client: Client) -> None:
    play = start(client)
    decision = play_to_decision(client, play)
    choice = decision.choices[0]
    assert post(client, play, "choose", choice.id).status_code == 303
    page = client.get(f"/plays/{play.id}/").content.decode()
    assert "What happened" in page and choice.consequence.split()[0] in page
    assert f"Guidance this draws on ({len(choice.guidance)})" in page
    for key in choice.guidance:
        assert load_registry()[key].title in page
    assert FirstChoice.objects.filter(node_id=current_decision_id(play), choice_id=choice.id)


def current_decision_id(play: Play) -> str:
    play.refresh_from_db()
    return next(s[0] for s in reversed(play.state["steps"]) if s[1] is not None)


def test_back_and_start_again(client: Client) -> None:
    play = start(client)
    decision = play_to_decision(client, play)
    at = current(play)
    post(client, play, "choose", decision.choices[0].id)
    assert current(play) != at
    assert post(client, play, "back").status_code == 303
    assert current(play) == at
    play.refresh_from_db()
    assert play.state["rewinds"] == 1
    assert post(client, play, "restart").status_code == 303
    assert current(play) == scenario().start
    # the first choice counts once, even after going back and choosing differently
    post(client, play, "choose", decision.choices[1].id, node=at)
    assert FirstChoice.objects.filter(node_id=at).count() == 1


def test_missing_choice_shows_error_and_changes_nothing(client: Client) -> None:
    play = start(client)
    play_to_decision(client, play)
    play.refresh_from_db()
    before = (play.revision, play.state)
    response = post(client, play, "choose", "")
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    play.refresh_from_db()
    assert (play.revision, play.state) == before


@pytest.mark.parametrize(
    "override",
    [
        {"choice": "not-a-choice"},
        {"action": "teleport"},
        {"rev": "abc"},
        {"rev": "-3"},
        {"rev": "99999"},
        {"node": "some-other-node"},
        {"choice": "x" * 5000},
    ],
)
def test_tampered_posts_change_nothing(client: Client, override: dict[str, str]) -> None:
    play = start(client)
    decision = play_to_decision(client, play)
    play.refresh_from_db()
    before = (play.revision, play.state)
    form = {
        "rev": str(play.revision),
        "action": "choose",
        "node": current(play),
        "choice": decision.choices[0].id,
        **override,
    }
    response = client.post(f"/plays/{play.id}/step/", form)
    assert response.status_code == 303
    play.refresh_from_db()
    assert (play.revision, play.state) == before
    page = client.get(f"/plays/{play.id}/").content.decode()
    assert "nothing was changed" in page
    Playthrough.from_json(scenario(), play.state)


def test_double_submit_is_a_silent_no_op_and_stale_tab_is_explained(client: Client) -> None:
    play = start(client)
    decision = play_to_decision(client, play)
    play.refresh_from_db()
    form = {
        "rev": str(play.revision),
        "action": "choose",
        "node": current(play),
        "choice": decision.choices[0].id,
    }
    url = f"/plays/{play.id}/step/"
    assert client.post(url, form).status_code == 303
    after_first = current(play)
    page = client.get(f"/plays/{play.id}/").content.decode()  # consume messages
    assert client.post(url, form).status_code == 303  # the double click
    assert current(play) == after_first
    page = client.get(f"/plays/{play.id}/").content.decode()
    assert "out of date" not in page
    # a stale tab: start again elsewhere, then submit the old form
    post(client, play, "restart")
    client.get(f"/plays/{play.id}/")
    assert client.post(url, form).status_code == 303
    assert current(play) == scenario().start
    assert "out of date" in client.get(f"/plays/{play.id}/").content.decode()


def test_corrupted_state_gives_a_clear_page(client: Client) -> None:
    play = start(client)
    Play.objects.filter(pk=play.pk).update(
        state={"format": 1, "scenario": SCENARIO, "steps": [["nowhere", None]]}
    )
    response = client.get(f"/plays/{play.id}/")
    assert response.status_code == 200 and "cannot continue" in response.content.decode()
    assert post(client, play, "advance", node="nowhere").status_code == 200


def test_get_on_step_and_bad_methods_are_not_500(client: Client) -> None:
    play = start(client)
    assert client.get(f"/plays/{play.id}/step/").status_code == 405
    assert client.post("/scenarios/").status_code == 405


def test_finishing_sets_the_ending(client: Client) -> None:
    play = start(client)
    ending = play_to_end(client, play)
    play.refresh_from_db()
    assert play.finished_at is not None and play.outcome == ending.kind.value
    page = client.get(f"/plays/{play.id}/").content.decode()
    assert ending.title in page and "See your debrief" in page


def test_csrf_failure_is_a_clear_page() -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/scenarios/{SCENARIO}/start/")
    assert response.status_code == 403 and "expired" in response.content.decode()


def test_htmx_move_answers_with_the_play_fragment(client: Client) -> None:
    play = start(client)
    play.refresh_from_db()
    form = {"rev": str(play.revision), "action": "advance", "node": current(play)}
    response = client.post(f"/plays/{play.id}/step/", form, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="play"') and "<html" not in page
    assert f'data-revision="{play.revision + 1}"' in page
    assert "Server-Timing" not in response  # only with KALEIDOSCOPE_DEBUG=1


def test_reused_step_markup_still_belongs_to_each_play(client: Client) -> None:
    """The markup of a step is rendered once per process and reused: every play still sees
    its own choice, its own ids and revision, and an error only when it made one."""
    plays = [start(client), start(client)]
    decision = play_to_decision(client, plays[0])
    play_to_decision(client, plays[1])
    first, second = decision.choices[0], decision.choices[1]
    for play, choice in zip(plays, (first, second), strict=True):
        assert post(client, play, "choose", choice.id).status_code == 303
    for play, mine, other in ((plays[0], first, second), (plays[1], second, first)):
        page = client.get(f"/plays/{play.id}/").content.decode()
        play.refresh_from_db()
        assert mine.consequence.split(".")[0] in page
        assert other.consequence.split(".")[0] not in page
        assert f'action="/plays/{play.id}/step/"' in page
        assert f'name="rev" value="{play.revision}"' in page
    post(client, plays[0], "back")
    response = post(client, plays[0], "choose", "")
    assert "govuk-radios" in response.content.decode()
    assert "govuk-form-group--error" in response.content.decode()
    page = client.get(f"/plays/{plays[0].id}/").content.decode()
    assert "govuk-form-group--error" not in page and "There is a problem" not in page


def test_sessions_live_in_the_database_and_end_there() -> None:
    """Sessions are Django's cached_db sessions: a copy of the cookie works like the
    original until the session is signed out or has expired, in the cache and in the
    database behind it (another process, or a restarted one, reads the database)."""
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth.models import User
    from django.contrib.sessions.models import Session
    from django.core.cache import cache
    from django.utils import timezone

    def copy_of(browser: Client) -> Client:
        copy = Client()
        copy.cookies[settings.SESSION_COOKIE_NAME] = browser.cookies[
            settings.SESSION_COOKIE_NAME
        ].value
        return copy

    browser = Client()
    play = start(browser)
    copy = copy_of(browser)
    assert copy.get(f"/plays/{play.id}/").status_code == 200  # same session, same plays
    key = browser.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    cache.clear()  # as a process that has never cached this session sees it
    assert copy.get(f"/plays/{play.id}/").status_code == 404
    copy.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session-key-at-all"
    assert copy.get(f"/plays/{play.id}/").status_code == 404

    password = "a long enough password"
    User.objects.create_user("robin", password=password)
    browser = Client()
    play = start(browser)
    response = browser.post("/accounts/sign-in/", {"username": "robin", "password": password})
    assert response.status_code == 303
    play.refresh_from_db()
    assert play.user is not None
    copy = copy_of(browser)
    assert copy.get(f"/plays/{play.id}/").status_code == 200
    assert browser.post("/accounts/sign-out/").status_code == 303
    assert copy.get(f"/plays/{play.id}/").status_code == 404


def test_a_step_reads_the_session_and_the_play_once_and_writes_once(client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    play = start(client)
    client.get(f"/plays/{play.id}/")
    play.refresh_from_db()
    form = {"rev": str(play.revision), "action": "advance", "node": current(play)}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/plays/{play.id}/step/", form, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    touching = [s.split()[0].upper() for s in sql if "learn_play" in s or "django_session" in s]
    # the session comes from the cache (cached_db); the play is read locked, then updated
    assert touching == ["SELECT", "UPDATE"], sql
    play.refresh_from_db()
    assert play.revision == int(form["rev"]) + 1 and current(play) != form["node"]
    assert play.updated_at > play.started_at


def test_htmx_move_shows_its_message_once(client: Client) -> None:
    from kaleidoscope.web.learn.services import text

    play = start(client)
    decision = play_to_decision(client, play)
    post(client, play, "choose", decision.choices[0].id)
    play.refresh_from_db()
    form = {"rev": str(play.revision), "action": "back", "node": ""}
    response = client.post(f"/plays/{play.id}/step/", form, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert text()["went_back"] in page and "govuk-notification-banner" in page
    assert text()["went_back"] not in client.get(f"/plays/{play.id}/").content.decode()


def test_templates_are_not_reloaded_and_step_markup_is_reused(client: Client) -> None:
    from django.template import engines

    from kaleidoscope.web.learn import services

    assert engines["jinja2"].env.auto_reload is False  # no stat() per render outside DEBUG
    play = start(client)
    client.get(f"/plays/{play.id}/")
    scenario_, pt = services.playthrough(play)
    assert services.step_parts(scenario_, pt) is services.step_parts(scenario_, pt)


def test_back_to_the_last_decision_shows_only_after_a_decision(client: Client) -> None:
    play = start(client)
    first = client.get(f"/plays/{play.id}/").content.decode()
    assert "Back to the last decision" not in first and "Start again" in first
    decision = play_to_decision(client, play)
    post(client, play, "choose", decision.choices[0].id)
    assert "Back to the last decision" in client.get(f"/plays/{play.id}/").content.decode()
