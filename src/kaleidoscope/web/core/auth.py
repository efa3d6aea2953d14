"""The signed-in account behind a request, for views that require one."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def account(request: HttpRequest) -> User:
    """The request's account; PermissionDenied (403) if nobody is signed in. Views that
    use it are also behind ``login_required``, which sends people to sign in first."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
