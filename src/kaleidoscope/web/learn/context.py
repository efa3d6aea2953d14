"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import get_token


def csrf(request: HttpRequest) -> dict[str, str]:
    """One masked CSRF token per page (the lazy ``csrf_token`` re-masks on every use)."""
    return {"csrf": get_token(request)}
