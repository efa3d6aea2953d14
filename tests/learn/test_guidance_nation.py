"""A learner chooses their nation once, on the library page; debriefs show its regulator first."""

from __future__ import annotations

from importlib import resources

import pytest
from django.test import Client

from kaleidoscope.guidance.nations import (
    NationDataError,
    bundled_nations,
    cited_by_nation,
    for_nation,
    order_for_nation,
    parse_nations,
)
from kaleidoscope.guidance.registry import NATIONS, Jurisdiction, load_registry
from kaleidoscope.learn.library import bundled_library
from kaleidoscope.learn.model import Ending, Passage
from kaleidoscope.web.learn.models import Play


def start(client: Client, scenario_id: str = "friend-request") -> Play:
    response = client.post(f"/scenarios/{scenario_id}/start/")
    assert response.status_code == 303
    return Play.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def play_to_end(client: Client, play: Play) -> None:
    """Take the first choice at every decision until an ending, through the real pages."""
    scenario = bundled_library().get(play.scenario_id)
    assert scenario is not None
    for _ in range(100):
        play.refresh_from_db()
        node_id = str(play.state["steps"][-1][0])
        node = scenario.nodes[node_id]
        if isinstance(node, Ending):
            return
        action, choice = ("advance", "") if isinstance(node, Passage) else (
            "choose", node.choices[0].id)
        response = client.post(f"/plays/{play.id}/step/", {
            "rev": str(play.revision), "action": action, "node": node_id, "choice": choice,
        })
        assert response.status_code == 303
    raise AssertionError("no ending reached")


# --- the data ---------------------------------------------------------------------------------
def test_each_nation_names_its_regulator_and_current_documents() -> None:
    nations = bundled_nations()
    assert [n.id for n in nations] == list(NATIONS)
    registry = load_registry()
    for nation in nations:
        for key in nation.keys:
            assert registry[key].jurisdiction is nation.id and registry[key].is_current


def test_nations_file_is_checked_against_the_registry() -> None:
    text = (resources.files("kaleidoscope.guidance") / "nations.yaml").read_text("utf-8")
    wrong_nation = text.replace("keys: [SWE-2019, SWE-GUIDANCE]", "keys: [SSSC-COP-2024]")
    with pytest.raises(NationDataError) as caught:
        parse_nations(wrong_nation, load_registry(), "nations.yaml")
    assert "england: 'SSSC-COP-2024' must be current guidance from" in str(caught.value)
    superseded = text.replace("keys: [SSSC-COP-2024, SSSC-2017]", "keys: [SSSC-COP-5.8]")
    with pytest.raises(NationDataError, match="superseded by SSSC-COP-2024"):
        parse_nations(superseded, load_registry())
    unknown = text.replace("keys: [NISCC-SCP-SW]", "keys: [NISCC-NOPE]")
    with pytest.raises(NationDataError, match="unknown guidance key 'NISCC-NOPE'"):
        parse_nations(unknown, load_registry())


def test_order_puts_the_chosen_nation_first_then_uk_then_the_rest() -> None:
    registry = load_registry()
    cited = [registry[k] for k in ("NASW-CODE-1.07q", "SWE-2019-5.6", "BASW-2012",
                                   "SCW-CODE-2026", "SSSC-COP-2024")]
    ordered = [g.key for g in order_for_nation(cited, Jurisdiction.WALES)]
    assert ordered == ["SCW-CODE-2026", "BASW-2012", "SWE-2019-5.6", "SSSC-COP-2024",
                       "NASW-CODE-1.07q"]
    shown = for_nation(cited, "scotland")
    assert shown is not None and [g.key for g in shown.regulator] == ["SSSC-COP-2024", "SSSC-2017"]
    assert shown.cited[0].key == "SSSC-COP-2024"
    assert for_nation(cited, "atlantis") is None
    by_nation = cited_by_nation(["SWE-2019", "NASW-CODE-1.07q", "COONER-2019", "SWE-2019"])
    assert by_nation[Jurisdiction.ENGLAND] == ["SWE-2019"]  # research is not the regulator


# --- the pages ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_library_page_offers_the_nation_choice_once(client: Client) -> None:
    page = client.get("/scenarios/").content.decode()
    assert page.count('name="nation"') == len(NATIONS)
    for nation in bundled_nations():
        assert f'value="{nation.id.value}"' in page and nation.regulator in page
    assert 'action="/scenarios/nation/"' in page


@pytest.mark.django_db
def test_choosing_a_nation_is_remembered_and_debriefs_show_its_regulator_first(
    client: Client,
) -> None:
    response = client.post("/scenarios/nation/", {"nation": "wales"})
    assert response.status_code == 303 and response["Location"] == "/scenarios/#nation"
    page = client.get("/scenarios/").content.decode()
    assert "Saved: Wales" in page and 'value="wales" checked' in page
    play = start(client)
    play_to_end(client, play)
    debrief = client.get(f"/plays/{play.id}/debrief/").content.decode()
    regulator = debrief.index("Your regulator: Social Care Wales (Wales)")
    cited = debrief.index("Guidance cited on the way")
    assert regulator < cited
    code = load_registry()["SCW-CODE-2026"]
    assert regulator < debrief.index(code.title) < cited
    assert "/see/sources/?fact=SCW-CODE-2026" in debrief and "Report a wrong fact" in debrief


@pytest.mark.django_db
def test_without_a_nation_the_debrief_offers_the_choice(client: Client) -> None:
    play = start(client)
    play_to_end(client, play)
    debrief = client.get(f"/plays/{play.id}/debrief/").content.decode()
    assert "Your regulator:" not in debrief
    assert 'href="/scenarios/#nation">Choose your nation</a>' in debrief


@pytest.mark.django_db
def test_an_unknown_nation_is_refused_with_a_message_and_changes_nothing(client: Client) -> None:
    client.post("/scenarios/nation/", {"nation": "scotland"})
    response = client.post("/scenarios/nation/", {"nation": "atlantis"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose one of England, Scotland, Wales, Northern Ireland" in page
    assert 'value="scotland" checked' in page
    assert client.get("/scenarios/nation/").status_code == 405
    client.post("/scenarios/nation/", {"nation": ""})
    form = client.get("/scenarios/").content.decode().split('id="nation"')[1].split("</form>")[0]
    assert "checked" not in form


@pytest.mark.django_db
def test_a_signed_in_learners_nation_follows_them_to_another_computer() -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="learner", password="x" * 20)
    office, home, stranger = Client(), Client(), Client()
    office.force_login(user)
    home.force_login(user)
    assert office.post("/scenarios/nation/", {"nation": "scotland"}).status_code == 303
    assert 'value="scotland" checked' in home.get("/scenarios/").content.decode()
    assert "checked" not in stranger.get("/scenarios/").content.decode().split('id="nation"')[1]
    home.post("/scenarios/nation/", {"nation": ""})
    form = office.get("/scenarios/").content.decode().split('id="nation"')[1].split("</form>")[0]
    assert "checked" not in form


@pytest.mark.django_db
def test_a_nation_chosen_before_signing_in_stays_until_one_is_chosen_with_the_account() -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="learner", password="x" * 20)
    client = Client()
    client.post("/scenarios/nation/", {"nation": "wales"})
    client.force_login(user)
    assert 'value="wales" checked' in client.get("/scenarios/").content.decode()
    client.post("/scenarios/nation/", {"nation": "england"})
    other = Client()
    other.force_login(user)
    assert 'value="england" checked' in other.get("/scenarios/").content.decode()
