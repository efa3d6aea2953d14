"""Group sessions through Django's test client on a real database (SQLite, or PostgreSQL
in the `make pytest` rerun): create, join, vote, reveal, discuss, choose, debrief,
exports, and every kind of bad input the issue lists. The live stream is covered in
test_groups_live.py, the whole room in a browser in test_groups_browser.py.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from kaleidoscope.learn.engine import Playthrough
from kaleidoscope.learn.library import bundled_library
from kaleidoscope.learn.model import Decision, Scenario
from kaleidoscope.web.groups import services
from kaleidoscope.web.groups.broker import Broker
from kaleidoscope.web.groups.models import GroupSession, Participant, Phase, Round, Vote

SCENARIO = "friend-request"
PASSWORD = "a-long-pass-phrase-42"


# --- helpers (also used by test_groups_live.py) ---------------------------------------------
def scenario(scenario_id: str = SCENARIO) -> Scenario:
    found = bundled_library().get(scenario_id)
    assert found is not None
    return found


def facilitator(username: str = "facilitator") -> Client:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    client = Client()
    client.force_login(user)
    return client


def create(client: Client, scenario_id: str = SCENARIO) -> GroupSession:
    response = client.post("/groups/new/", {"scenario": scenario_id})
    assert response.status_code == 303, response
    session_id = response["Location"].rstrip("/").split("/")[-1]
    return GroupSession.objects.get(pk=session_id)


def join(session: GroupSession, name: str = "", client: Client | None = None) -> Client:
    client = client or Client()
    response = client.post("/join/", {"code": session.code, "name": name})
    assert response.status_code == 303, response.content.decode()[:500]
    assert response["Location"] == f"/join/{session.code}/"
    return client


def act(fac: Client, session: GroupSession, action: str, choice: str = "", **over: Any) -> Any:
    session.refresh_from_db()
    data = {"rev": str(session.revision), "action": action, "choice": choice, **over}
    return fac.post(f"/groups/{session.id}/control/", data)


def vote(client: Client, session: GroupSession, choice: str, reason: str = "", **over: Any) -> Any:
    session.refresh_from_db()
    rnd = services.current_round(session)
    data = {"round": str(rnd.number if rnd else 0), "choice": choice, "reason": reason, **over}
    return client.post(f"/join/{session.code}/vote/", data)


def decision(session: GroupSession) -> Decision:
    session.refresh_from_db()
    node = Playthrough.from_json(scenario(session.scenario_id), session.state).current
    assert isinstance(node, Decision), node
    return node


def to_vote(fac: Client, session: GroupSession) -> Decision:
    """Start (if needed) and continue through passages until voting opens."""
    for _ in range(30):
        session.refresh_from_db()
        if session.phase == Phase.VOTING:
            return decision(session)
        action = "start" if session.phase == Phase.LOBBY else "advance"
        assert session.phase in (Phase.LOBBY, Phase.PASSAGE), session.phase
        assert act(fac, session, action).status_code == 303
    raise AssertionError("no decision reached")


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def run_async(make: Any) -> Any:
    """asyncio.run(make()) in a fresh thread: Playwright's sync API may already hold an
    event loop in this one."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(asyncio.run(make())))
    thread.start()
    thread.join(60)
    assert result, "the coroutine failed (see the thread's exception above)"
    return result[0]


def flash(response: Any) -> str:
    """The messages this response added (not older ones still waiting in the cookie)."""
    return " ".join(str(m) for m in response.wsgi_request._messages._queued_messages)


pytestmark = pytest.mark.django_db


# --- creating and joining --------------------------------------------------------------------
def test_running_a_session_needs_an_account() -> None:
    anon = Client()
    assert "sign in" in page(anon, "/groups/")
    response = anon.post("/groups/new/", {"scenario": SCENARIO})
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    fac = facilitator()
    assert fac.post("/groups/new/", {"scenario": "no-such-scenario"}).status_code == 400
    assert GroupSession.objects.count() == 0


def test_session_has_a_short_code_a_join_link_and_a_qr_code() -> None:
    fac = facilitator()
    session = create(fac)
    assert re.fullmatch(r"[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}", session.code)
    html = page(fac, f"/groups/{session.id}/")
    assert session.code in html
    assert f"http://testserver/join/?code={session.code}" in html
    assert '<svg aria-hidden="true"' in html and "<path" in html
    assert session.code in page(fac, "/groups/")  # listed under "your recent sessions"
    # The join link prefills the code.
    assert f'value="{session.code}"' in page(Client(), f"/join/?code={session.code}")
    # Another facilitator sees nothing of it.
    other = facilitator("someone-else")
    for url in ("", "debrief/", "record.md", "record.pdf"):
        assert other.get(f"/groups/{session.id}/{url}").status_code == 404
    assert act(other, session, "start").status_code == 404
    codes = {create(fac).code for _ in range(20)}
    assert len(codes) == 20


def test_join_accepts_the_code_as_people_type_it() -> None:
    session = create(facilitator())
    typed = " " + session.code[:3].lower() + "-" + session.code[3:].lower() + " "
    client = Client()
    response = client.post("/join/", {"code": typed, "name": "  Sam \t Smith\x07 "})
    assert response.status_code == 303
    participant = Participant.objects.get(session=session)
    assert participant.display_name == "Sam Smith"
    html = page(client, response["Location"])
    assert "Waiting for the facilitator to start" in html and "You joined as Sam Smith" in html


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("", "Enter the 6-character code"),
        ("ABC12", "Enter the 6-character code"),
        ("ABCDE0", "Enter the 6-character code"),  # 0 is not in the alphabet
        ("ZZZZZZ", "No session has the code ZZZZZZ"),
    ],
)
def test_wrong_codes_are_refused_clearly(code: str, expected: str) -> None:
    create(facilitator())
    response = Client().post("/join/", {"code": code, "name": ""})
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert Participant.objects.count() == 0


def test_closed_and_expired_sessions_cannot_be_joined() -> None:
    fac = facilitator()
    closed, expired = create(fac), create(fac)
    assert act(fac, closed, "close").status_code == 303
    GroupSession.objects.filter(pk=expired.pk).update(
        last_activity=timezone.now() - timedelta(hours=5)
    )
    body = Client().post("/join/", {"code": closed.code}).content.decode()
    assert "closed by its facilitator" in body
    body = Client().post("/join/", {"code": expired.code}).content.decode()
    assert "expired" in body and "4 hours" in body
    response = Client().post("/join/", {"code": create(fac).code, "name": "x" * 41})
    assert response.status_code == 400 and "40 characters" in response.content.decode()
    assert Participant.objects.count() == 0


def test_participant_pages_need_the_join_cookie() -> None:
    session = create(facilitator())
    response = Client().get(f"/join/{session.code}/")
    assert response.status_code == 303
    assert response["Location"] == f"/join/?code={session.code}"
    assert Client().post(f"/join/{session.code}/vote/", {}).status_code == 303
    assert Client().get(f"/join/{session.code}/debrief/").status_code == 303
    assert Client().get("/join/NOCODE/").status_code == 303
    odd = Client().get("/join/a%0d%0aSet-Cookie:x&y=1/")
    assert odd.status_code == 303 and odd["Location"] == "/join/?code=a%0D%0ASet-Cookie%3Ax%26y%3D1"


# --- a whole session ----------------------------------------------------------------------
def test_a_whole_session_from_lobby_to_debrief_and_record() -> None:
    fac = facilitator()
    session = create(fac)
    people = [join(session, name=f"Person {i}") for i in range(5)]  # a space: never in a token
    assert "5</strong> joined" in page(fac, f"/groups/{session.id}/")
    rounds = 0
    for _ in range(20):
        session.refresh_from_db()
        if session.phase == Phase.ENDED:
            break
        node = to_vote(fac, session)
        rounds += 1
        first, second = node.choices[0].id, node.choices[1].id
        picks = [first, first, first, second, ""]
        for number, (client, pick) in enumerate(zip(people, picks, strict=True)):
            if pick:
                response = vote(client, session, pick, reason=f"reason {rounds}-{number}")
                assert response.status_code == 303
        html = page(people[0], f"/join/{session.code}/")
        assert "Your vote:" in html and "Change my vote" in html
        assert "4</strong> voted so far" in page(fac, f"/groups/{session.id}/")
        assert act(fac, session, "reveal").status_code == 303
        shown = page(people[3], f"/join/{session.code}/")
        assert "The votes" in shown and "75%" in shown and "25%" in shown
        assert "(your vote)" in shown
        presenter = page(fac, f"/groups/{session.id}/")
        assert "Follow the majority" in presenter
        assert act(fac, session, "discuss").status_code == 303
        assert "Discuss" in page(people[4], f"/join/{session.code}/")
        if rounds % 2:
            assert act(fac, session, "majority").status_code == 303
            assert Round.objects.get(session=session, number=rounds).decided_by == "majority"
        else:
            assert act(fac, session, "choose", second).status_code == 303
            rnd = Round.objects.get(session=session, number=rounds)
            assert (rnd.choice_id, rnd.decided_by) == (second, "facilitator")
        after = page(people[0], f"/join/{session.code}/")
        assert "The group chose:" in after
    session.refresh_from_db()
    assert session.phase == Phase.ENDED and session.ended_at is not None and rounds >= 2
    ending = Playthrough.from_json(scenario(), session.state)
    assert ending.finished
    assert "See the group debrief" in page(people[0], f"/join/{session.code}/")

    debrief = page(fac, f"/groups/{session.id}/debrief/")
    assert "reason 1-0" in debrief and "reason 1-3" in debrief
    assert "75%" in debrief and "Dimension profile" in debrief
    assert "Person 0" not in debrief  # anonymous by default
    assert "Person 0" in page(fac, f"/groups/{session.id}/debrief/?names=1")
    public = page(people[2], f"/join/{session.code}/debrief/")
    assert "reason 1-0" in public and "Download" not in public

    record = fac.get(f"/groups/{session.id}/record.md")
    text = record.content.decode()
    assert record["Content-Type"].startswith("text/markdown")
    assert text.startswith("# Group session record: ")
    assert "by majority" in text and "facilitator's pick" in text
    assert "> " in text and "reason 2-3" in text
    assert "5 participant(s) joined" in text and "Person 1" not in text
    assert (
        "Person 1, Person 2" in fac.get(f"/groups/{session.id}/record.md?names=1").content.decode()
    )
    pdf = fac.get(f"/groups/{session.id}/record.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_participants_see_each_phase() -> None:
    fac = facilitator()
    session = create(fac)
    phone = join(session)
    assert "Waiting for the facilitator" in page(phone, f"/join/{session.code}/")
    assert act(fac, session, "start").status_code == 303
    html = page(phone, f"/join/{session.code}/")
    assert "Follow the story on the room's screen" in html
    node = to_vote(fac, session)
    html = page(phone, f"/join/{session.code}/")
    assert 'name="choice"' in html and 'name="reason"' in html and 'maxlength="140"' in html
    # With JavaScript the same view comes back as a fragment.
    fragment = phone.get(f"/join/{session.code}/", headers={"X-Fragment": "1"})
    assert b"<html" not in fragment.content and b'class="k-group-state"' in fragment.content
    response = phone.post(
        f"/join/{session.code}/vote/",
        {"round": "1", "choice": node.choices[0].id, "reason": ""},
        headers={"X-Fragment": "1"},
    )
    assert response.status_code == 200 and b"Your vote is in" in response.content
    assert f'data-my-vote="{node.choices[0].id}"'.encode() in response.content


# --- bad input ------------------------------------------------------------------------------
def test_voting_twice_replaces_the_vote_and_counts_stay_right() -> None:
    fac = facilitator()
    session = create(fac)
    phone, other = join(session), join(session)
    node = to_vote(fac, session)
    a, b = node.choices[0].id, node.choices[1].id
    assert vote(phone, session, a, "first thought").status_code == 303
    response = vote(phone, session, b, "second thought")
    assert response.status_code == 303 and "changed" in flash(response)
    assert vote(other, session, b).status_code == 303
    assert Vote.objects.count() == 2
    assert Vote.objects.filter(choice_id=b).count() == 2
    assert not Vote.objects.filter(reason="first thought").exists()
    assert act(fac, session, "reveal").status_code == 303
    rnd = services.current_round(GroupSession.objects.get(pk=session.pk))
    assert rnd is not None
    counts = {t.choice.id: t.count for t in services.tally(rnd, node).choices}
    assert counts[a] == 0 and counts[b] == 2


def test_voting_after_the_reveal_is_refused() -> None:
    fac = facilitator()
    session = create(fac)
    early, late = join(session), join(session)
    node = to_vote(fac, session)
    assert vote(early, session, node.choices[0].id).status_code == 303
    assert act(fac, session, "reveal").status_code == 303
    for client, choice in ((late, node.choices[1].id), (early, node.choices[1].id)):
        response = vote(client, session, choice)
        assert response.status_code == 409
        assert "Voting on this decision has closed" in response.content.decode()
    assert list(Vote.objects.values_list("choice_id", flat=True)) == [node.choices[0].id]
    # After the group moves on, a vote for the old decision is refused too.
    assert act(fac, session, "choose", node.choices[0].id).status_code == 303
    response = late.post(
        f"/join/{session.code}/vote/", {"round": "1", "choice": node.choices[0].id}
    )
    assert response.status_code == 409
    assert Vote.objects.count() == 1


@pytest.mark.parametrize(
    ("form", "status", "expected"),
    [
        ({"choice": ""}, 400, "Select one option"),
        ({"choice": "not-an-option"}, 400, "not part of this decision"),
        ({"reason": "x" * 141}, 400, "140 characters"),
        ({"round": "one"}, 400, "not right"),
        ({"round": "7"}, 409, "no vote open"),
    ],
)
def test_bad_votes_are_refused_clearly(form: dict[str, str], status: int, expected: str) -> None:
    fac = facilitator()
    session = create(fac)
    phone = join(session)
    node = to_vote(fac, session)
    data = {"round": "1", "choice": node.choices[0].id, "reason": "", **form}
    response = phone.post(f"/join/{session.code}/vote/", data)
    assert response.status_code == status
    assert expected in response.content.decode()
    assert Vote.objects.count() == 0


def test_a_flood_of_reasons_is_rate_limited_and_counts_stay_right() -> None:
    fac = facilitator()
    session = create(fac)
    phone, calm = join(session), join(session)
    node = to_vote(fac, session)
    choice = node.choices[0].id
    statuses = [vote(phone, session, choice, f"reason {i}").status_code for i in range(8)]
    assert statuses[: services.VOTE_LIMIT] == [303] * services.VOTE_LIMIT
    assert set(statuses[services.VOTE_LIMIT :]) == {429}
    refused = vote(phone, session, choice, "one more")
    assert "Wait a minute" in refused.content.decode()
    assert vote(calm, session, choice, "mine").status_code == 303  # others are unaffected
    assert Vote.objects.count() == 2
    assert Vote.objects.filter(reason=f"reason {services.VOTE_LIMIT - 1}").count() == 1


def test_a_double_click_moves_the_group_once_and_a_stale_tab_changes_nothing() -> None:
    fac = facilitator()
    session = create(fac)
    join(session)
    to_vote(fac, session)
    session.refresh_from_db()
    rev = session.revision
    form = {"rev": str(rev), "action": "reveal", "choice": ""}
    first = fac.post(f"/groups/{session.id}/control/", form)
    second = fac.post(f"/groups/{session.id}/control/", form)
    assert first.status_code == second.status_code == 303
    assert flash(second) == ""  # silently ignored
    session.refresh_from_db()
    assert session.revision == rev + 1 and session.phase == Phase.REVEALED
    stale = fac.post(f"/groups/{session.id}/control/", {**form, "action": "discuss"})
    assert "already moved on" in flash(stale)
    session.refresh_from_db()
    assert session.revision == rev + 1 and session.phase == Phase.REVEALED
    for bad in ({"action": "explode"}, {"rev": "x"}, {"choice": "y" * 500}):
        response = fac.post(f"/groups/{session.id}/control/", {**form, "rev": str(rev + 1), **bad})
        assert "not right" in flash(response)
    wrong_time = act(fac, session, "advance")
    assert "not available at this point" in flash(wrong_time)
    session.refresh_from_db()
    assert session.revision == rev + 1


def test_majority_needs_votes_and_a_tie_needs_the_facilitator() -> None:
    fac = facilitator()
    session = create(fac)
    a_phone, b_phone = join(session), join(session)
    node = to_vote(fac, session)
    assert act(fac, session, "reveal").status_code == 303
    assert "Nobody has voted" in flash(act(fac, session, "majority"))
    session.refresh_from_db()
    assert session.phase == Phase.REVEALED
    # A fresh session with a tie.
    session = create(fac)
    a_phone, b_phone = join(session, client=a_phone), join(session, client=b_phone)
    node = to_vote(fac, session)
    vote(a_phone, session, node.choices[0].id)
    vote(b_phone, session, node.choices[1].id)
    assert act(fac, session, "reveal").status_code == 303
    assert "tied" in page(fac, f"/groups/{session.id}/")
    message = flash(act(fac, session, "majority"))
    assert "tied between" in message and "Pick the option" in message
    assert "not part of this decision" in flash(act(fac, session, "choose", "nope"))
    assert act(fac, session, "choose", node.choices[1].id).status_code == 303
    rnd = Round.objects.get(session=session, number=1)
    assert (rnd.choice_id, rnd.decided_by) == (node.choices[1].id, "facilitator")


def test_a_participant_who_drops_and_rejoins_keeps_their_vote() -> None:
    fac = facilitator()
    session = create(fac)
    phone = join(session, name="Ali")
    node = to_vote(fac, session)
    assert vote(phone, session, node.choices[1].id, "because").status_code == 303
    # The phone's browser closes; it comes back with its cookie (a new client, same jar).
    back = Client()
    back.cookies = phone.cookies
    html = page(back, f"/join/{session.code}/")
    assert "Your vote:" in html and 'value="because"' in html
    response = back.post("/join/", {"code": session.code, "name": ""})
    assert response.status_code == 303 and "Welcome back" in flash(response)
    assert Participant.objects.filter(session=session).count() == 1
    assert Participant.objects.get(session=session).display_name == "Ali"
    assert Vote.objects.get().choice_id == node.choices[1].id
    assert act(fac, session, "reveal").status_code == 303
    assert "(your vote)" in page(back, f"/join/{session.code}/")


def test_votes_are_not_linked_to_identities() -> None:
    fac = facilitator()
    session = create(fac)
    phone = join(session, name="Distinctive Name")
    node = to_vote(fac, session)
    vote(phone, session, node.choices[0].id, "a reason")
    vote_fields = {f.name for f in Vote._meta.get_fields()}
    assert vote_fields == {"id", "round", "voter", "choice_id", "reason"}
    participant = Participant.objects.get()
    stored = Vote.objects.get()
    assert stored.voter != participant.token_hash
    token = phone.cookies[services.cookie_name(session)].value
    assert token not in (stored.voter, participant.token_hash)  # only hashes are stored
    html = json.loads(services.state_payload(GroupSession.objects.get(pk=session.pk)))["html"]
    assert "Distinctive Name" not in html and 'name="csrfmiddlewaretoken" value=""' in html


def test_closing_a_session_stops_voting_and_joining() -> None:
    fac = facilitator()
    session = create(fac)
    phone = join(session)
    node = to_vote(fac, session)
    assert act(fac, session, "close").status_code == 303
    session.refresh_from_db()
    assert session.phase == Phase.CLOSED and session.closed_at is not None
    response = vote(phone, session, node.choices[0].id)
    assert response.status_code == 410 and "closed" in response.content.decode()
    assert "The session has ended" in page(phone, f"/join/{session.code}/")
    assert "Open the group debrief" in page(fac, f"/groups/{session.id}/")
    assert "closed before an ending" in page(fac, f"/groups/{session.id}/debrief/")
    assert "not available" in flash(act(fac, session, "close"))
    assert "closed" in flash(act(fac, session, "reveal"))
    assert Vote.objects.count() == 0


def test_an_idle_session_expires() -> None:
    fac = facilitator()
    session = create(fac)
    phone = join(session)
    node = to_vote(fac, session)
    GroupSession.objects.filter(pk=session.pk).update(
        last_activity=timezone.now() - timedelta(hours=4, minutes=1)
    )
    response = vote(phone, session, node.choices[0].id)
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert "expired" in flash(act(fac, session, "reveal"))
    assert "Expired" in page(fac, "/groups/")
    assert "expired" in page(phone, f"/join/{session.code}/")
    assert Vote.objects.count() == 0


def test_activity_keeps_a_session_alive() -> None:
    fac = facilitator()
    session = create(fac)
    phone = join(session)
    node = to_vote(fac, session)
    old = timezone.now() - timedelta(hours=3)
    GroupSession.objects.filter(pk=session.pk).update(last_activity=old)
    assert vote(phone, session, node.choices[0].id).status_code == 303
    session.refresh_from_db()
    assert session.last_activity > old + timedelta(hours=2)


def test_a_session_whose_state_no_longer_fits_says_so() -> None:
    fac = facilitator()
    session = create(fac)
    phone = join(session)
    GroupSession.objects.filter(pk=session.pk).update(state={"format": 99})
    assert "cannot continue" in page(fac, f"/groups/{session.id}/")
    assert "cannot continue" in page(phone, f"/join/{session.code}/")
    assert act(fac, session, "start").status_code == 303
    assert "could not be read" in page(fac, f"/groups/{session.id}/debrief/")


# --- the in-process broker ----------------------------------------------------------------------
def test_local_broker_delivers_across_threads_and_keeps_the_newest_state() -> None:
    broker = Broker()

    async def scenario_run() -> list[str]:
        async with broker.subscribe(["s:state"]) as queue:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, broker.publish, "s:state", '{"rev": 2}', True)
            await loop.run_in_executor(None, broker.publish, "s:state", '{"rev": 1}', True)
            got = [await asyncio.wait_for(queue.get(), 2) for _ in range(2)]
        assert broker.fanout.count("s:state") == 0
        return got

    assert run_async(scenario_run) == ['{"rev": 2}', '{"rev": 1}']
    assert json.loads(broker.kept("s:state") or "{}") == {"rev": 2}  # older never replaces
    assert [broker.hit("k", 3, 60) for _ in range(5)] == [True, True, True, False, False]


def test_latecomers_still_see_the_code_and_qr_after_the_start() -> None:
    fac = facilitator("late-fac")
    session = create(fac)
    assert act(fac, session, "start").status_code == 303
    session.refresh_from_db()
    room = fac.get(f"/groups/{session.id}/").content.decode()
    assert session.code in room and 'class="k-qr"' in room and "Late? Join" in room
    late = join(session, "Latecomer")
    assert session.code in late.get(f"/join/{session.code}/").content.decode()


def test_the_participant_page_says_how_to_follow_without_javascript() -> None:
    fac = facilitator("nojs-fac")
    session = create(fac)
    phone = join(session, "Phone")
    page = phone.get(f"/join/{session.code}/").content.decode()
    assert "does not update by itself: use Refresh" in page and ">Refresh</a>" in page
