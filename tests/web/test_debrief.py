"""Debrief: ending, path, dimension chart and table, how others chose (>= 5 plays), guidance."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kaleidoscope.guidance.registry import load_registry
from kaleidoscope.learn.engine import Playthrough
from kaleidoscope.web.learn.models import Play

from .helpers import play_to_decision, play_to_end, post, scenario, start

pytestmark = pytest.mark.django_db


def test_debrief_before_the_end_redirects_to_the_play(client: Client) -> None:
    play = start(client)
    response = client.get(f"/plays/{play.id}/debrief/")
    assert response.status_code == 303 and response["Location"] == f"/plays/{play.id}/"


def test_debrief_shows_ending_path_profile_and_guidance(client: Client) -> None:
    play = start(client)
    ending = play_to_end(client, play)
    play.refresh_from_db()
    pt = Playthrough.from_json(scenario(), play.state)
    page = client.get(f"/plays/{play.id}/debrief/").content.decode()
    assert ending.title in page
    for _decision, choice in pt.choices_made():
        assert choice.text.split()[0] in page
    assert '<svg role="img"' in page and "Dimension profile as a table" in page
    for dim, value in pt.profile().items():
        shown = f"{value:+d}" if value else "0"
        assert re.search(rf"{re.escape(dim.label)}</th>\s*<td[^>]*>{re.escape(shown)}<", page)
    registry = load_registry()
    for key in pt.guidance_cited():
        assert registry[key].title in page
    assert "Not enough plays yet" in page  # one play only


def test_how_others_chose_appears_from_five_plays_without_names(client: Client) -> None:
    sc = scenario()
    node_id = ""
    choice_ids = []
    for number in range(5):
        learner = Client()
        play = start(learner)
        decision = play_to_decision(learner, play)
        play.refresh_from_db()
        node_id = play.state["steps"][-1][0]
        pick = decision.choices[number % 2]
        choice_ids.append(pick.id)
        post(learner, play, "choose", pick.id)
        if number < 4:
            assert "Not enough plays yet" in _debrief_after_end(learner, play)
    page = _debrief_after_end(learner, play)
    decision = sc.decisions()[node_id]
    first = decision.choices[0]
    assert re.search(r"\(5 plays\)", page)
    assert f"{round(100 * choice_ids.count(first.id) / 5)}%" in page
    assert "testuser" not in page


def _debrief_after_end(client: Client, play: Play) -> str:
    play_to_end(client, play)
    return str(client.get(f"/plays/{play.id}/debrief/").content.decode())
