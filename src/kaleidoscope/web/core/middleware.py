"""Session lifetime for signed-in people: two weeks from their last visit.

Anonymous learners keep Django's SESSION_COOKIE_AGE (their record lives in the browser's
session for six months). A signed-in session on a shared council computer should not:
it lasts SIGNED_IN_SESSION_AGE from the last request, and is renewed at most once a day
so a busy learner does not cause a session write on every page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

RENEW_AFTER_S = 60 * 60 * 24


class SignedInSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and session is not None and user.is_authenticated:
            age: int = settings.SIGNED_IN_SESSION_AGE
            left = session.get_expiry_age()  # seconds until the session ends
            if left > age or left <= age - RENEW_AFTER_S:
                session.set_expiry(timezone.now() + timedelta(seconds=age))
        return response
