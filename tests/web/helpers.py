"""Helpers shared by the web tests (real database, real engine, Django's test client)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from kaleidoscope.learn.library import bundled_library
from kaleidoscope.learn.model import Decision, Ending, Passage, Scenario
from kaleidoscope.web.learn.models import Play

SCENARIO = "friend-request"


def scenario(scenario_id: str = SCENARIO) -> Scenario:
    found = bundled_library().get(scenario_id)
    assert found is not None
    return found


def start(client: Client, scenario_id: str = SCENARIO) -> Play:
    response = client.post(f"/scenarios/{scenario_id}/start/")
    assert response.status_code == 303, response
    play_id = response["Location"].rstrip("/").split("/")[-1]
    return Play.objects.get(pk=play_id)


def current(play: Play) -> str:
    play.refresh_from_db()
    return str(play.state["steps"][-1][0])


def post(client: Client, play: Play, action: str, choice: str = "", **override: Any) -> Any:
    play.refresh_from_db()
    data = {"rev": str(play.revision), "action": action, "node": current(play), "choice": choice}
    data.update(override)
    return client.post(f"/plays/{play.id}/step/", data)


def play_to_decision(client: Client, play: Play) -> Decision:
    sc = scenario(play.scenario_id)
    while isinstance(node := sc.nodes[current(play)], Passage):
        assert post(client, play, "advance").status_code == 303
    assert isinstance(node, Decision), node
    return node


def play_to_end(client: Client, play: Play, pick: int = 0) -> Ending:
    sc = scenario(play.scenario_id)
    for _ in range(100):
        node = sc.nodes[current(play)]
        if isinstance(node, Ending):
            return node
        if isinstance(node, Passage):
            response = post(client, play, "advance")
        else:
            choice = node.choices[min(pick, len(node.choices) - 1)].id
            response = post(client, play, "choose", choice)
        assert response.status_code == 303
    raise AssertionError("no ending reached")
