"""A learner can delete their record (and account): only theirs, only when they mean it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kaleidoscope.web.groups.models import GroupSession
from kaleidoscope.web.learn.models import FirstChoice, Play

from .helpers import play_to_end, start
from .test_groups import PASSWORD, create, facilitator

pytestmark = pytest.mark.django_db


def test_an_anonymous_learner_deletes_this_browsers_plays_only() -> None:
    mine, theirs = Client(), Client()
    a, b = start(mine), start(mine)
    play_to_end(mine, a)
    other = start(theirs)
    choices = FirstChoice.objects.count()

    page = " ".join(mine.get("/record/delete/").content.decode().split())
    assert "This deletes the 2 plays kept for this browser" in page
    response = mine.post("/record/delete/")

    assert response.status_code == 303 and response["Location"] == "/record/"
    assert not Play.objects.filter(pk__in=[a.pk, b.pk]).exists()
    assert Play.objects.filter(pk=other.pk).exists()
    assert FirstChoice.objects.count() == choices  # anonymous counts name nobody
    record = mine.get("/record/").content.decode()
    assert "Your learning record has been deleted" in record and "No plays yet" in record
    assert mine.get(f"/plays/{a.pk}/").status_code == 404


def test_an_account_needs_its_password_and_then_goes_with_everything() -> None:
    client = facilitator("leaver")
    play = start(client)
    session = create(client)
    bystander = facilitator("stays")
    kept = start(bystander)

    page = " ".join(client.get("/record/delete/").content.decode().split())
    assert "This deletes your account, 1 play with its reflection, and 1 group session" in page
    wrong = client.post("/record/delete/", {"password": "not-it"})
    assert wrong.status_code == 400
    assert "Enter your current password to delete your account" in wrong.content.decode()
    assert get_user_model().objects.filter(username="leaver").exists()
    assert Play.objects.filter(pk=play.pk).exists()

    right = client.post("/record/delete/", {"password": PASSWORD})

    assert right.status_code == 303
    assert not get_user_model().objects.filter(username="leaver").exists()
    assert not Play.objects.filter(pk=play.pk).exists()
    assert not GroupSession.objects.filter(pk=session.pk).exists()
    assert Play.objects.filter(pk=kept.pk).exists()
    assert "You are signed out" in client.get("/record/").content.decode()
    assert client.get(f"/groups/{session.pk}/").status_code == 302  # signed out: to sign in


def test_deleting_needs_a_post_with_the_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    play = start_with_token(client)
    assert client.post("/record/delete/").status_code == 403
    assert Play.objects.filter(pk=play.pk).exists()


def start_with_token(client: Client) -> Play:
    client.get("/scenarios/")
    token = client.cookies["csrftoken"].value
    response = client.post("/scenarios/friend-request/start/", {"csrfmiddlewaretoken": token})
    return Play.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
