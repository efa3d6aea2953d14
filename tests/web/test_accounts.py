"""Accounts: anonymous play, sign up/in keeps the record across devices, staff statistics."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from .helpers import current, play_to_decision, play_to_end, scenario, start

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-pass-phrase-42"


def test_sign_up_claims_anonymous_plays_and_another_device_resumes() -> None:
    phone = Client()
    play = start(phone)
    play_to_decision(phone, play)
    where = current(play)
    response = phone.post(
        "/accounts/sign-up/", {"username": "sam", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 303
    play.refresh_from_db()
    assert play.user is not None and play.user.get_username() == "sam"
    laptop = Client()
    assert laptop.get(f"/plays/{play.id}/").status_code == 404
    response = laptop.post("/accounts/sign-in/", {"username": "sam", "password": PASSWORD})
    assert response.status_code == 303
    page = laptop.get(f"/plays/{play.id}/").content.decode()
    assert f'data-node="{where}"' in page
    assert scenario().title in laptop.get("/record/").content.decode()
    assert laptop.post("/accounts/sign-out/").status_code == 303
    assert laptop.get(f"/plays/{play.id}/").status_code == 404


def test_sign_up_and_sign_in_errors_are_shown() -> None:
    client = Client()
    weak = client.post(
        "/accounts/sign-up/", {"username": "x", "password1": "123", "password2": "1234"}
    )
    assert weak.status_code == 200 and "There is a problem" in weak.content.decode()
    wrong = client.post("/accounts/sign-in/", {"username": "nobody", "password": "nope"})
    assert wrong.status_code == 200 and "There is a problem" in wrong.content.decode()


def test_staff_see_anonymous_statistics_others_do_not() -> None:
    learner = Client()
    play = start(learner)
    play_to_end(learner, play)
    user = get_user_model().objects.create_user("learner1", password=PASSWORD)
    plain = Client()
    plain.force_login(user)
    assert plain.get("/staff/").status_code == 302
    user.is_staff = True
    user.save()
    page = plain.get("/staff/").content.decode()
    assert scenario().title in page and "Started: 1. Finished: 1." in page
    assert "learner1" not in page.split("Statistics</h1>")[1]


def test_anonymous_play_needs_no_account() -> None:
    client = Client()
    play = start(client)
    assert play.user is None and play.anon_key


def test_repeated_failed_sign_ins_pause_the_account() -> None:
    get_user_model().objects.create_user("kim", password=PASSWORD)
    client = Client()
    for _ in range(5):
        client.post("/accounts/sign-in/", {"username": "kim", "password": "wrong-guess"})
    page = client.post("/accounts/sign-in/", {"username": "kim", "password": PASSWORD})
    assert page.status_code == 429 and "Too many attempts" in page.content.decode()
    assert Client().get("/record/").status_code == 200
    assert "_auth_user_id" not in client.session
    # the pause is for this account from this address: kim, signing in from elsewhere,
    # is not locked out by whoever guessed
    elsewhere = Client(REMOTE_ADDR="10.9.8.7")
    page = elsewhere.post("/accounts/sign-in/", {"username": "kim", "password": PASSWORD})
    assert page.status_code == 303 and "_auth_user_id" in elsewhere.session
