"""Helpers for the Connect web tests: users, practitioners, a week of check-ins."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from kaleidoscope.web.connect.models import Practitioner

PASSWORD = "a-long-pass-phrase-42"


def user(
    name: str, *, practitioner: bool = False, verified: bool = False, staff: bool = False
) -> User:
    made = User.objects.create_user(name, password=PASSWORD, is_staff=staff)
    if practitioner or verified:
        Practitioner.objects.create(
            user=made,
            role="Social worker",
            agency="Northtown Council",
            verified_at=timezone.now() if verified else None,
        )
    return made


def client_for(who: User) -> Client:
    client = Client()
    client.force_login(who)
    return client


def week(client: Client, note: str = "Slept badly, better after a walk") -> None:
    today = timezone.localdate()
    for back in range(7):
        day = today - timedelta(days=back)
        response = client.post(
            "/connect/check-ins/",
            {
                "day": day.isoformat(),
                "mood": str(1 + back % 5),
                "sleep": "3",
                "stress": "2",
                "connected": "4",
                "note": f"{note} {back}",
            },
        )
        assert response.status_code == 303, response.content[:500]


def share(client: Client, practitioner: str, scope: str = "scores_and_notes", days: int = 7) -> Any:
    today = timezone.localdate()
    return client.post(
        "/connect/check-ins/share/",
        {
            "practitioner": practitioner,
            "scope": scope,
            "covers_from": (today - timedelta(days=6)).isoformat(),
            "ends": (today + timedelta(days=days)).isoformat(),
        },
    )
