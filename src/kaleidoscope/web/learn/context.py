"""Template context shared by every page."""

from __future__ import annotations

import secrets

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token

_CHARS = CSRF_ALLOWED_CHARS
_INDEX = {char: i for i, char in enumerate(_CHARS)}
# Random bytes below _LIMIT map evenly onto the 62 characters; the rest are dropped.
_LIMIT = 256 - 256 % len(_CHARS)


def _mask() -> list[int]:
    """CSRF_SECRET_LENGTH uniformly random character indexes from one or two reads of
    the system's random source (Django draws them one system call per character)."""
    mask: list[int] = []
    while len(mask) < CSRF_SECRET_LENGTH:
        mask.extend(b % len(_CHARS) for b in secrets.token_bytes(48) if b < _LIMIT)
    return mask[:CSRF_SECRET_LENGTH]


def masked_csrf_token(request: HttpRequest) -> str:
    """The same token as Django's ``get_token`` (a fresh random mask, then the secret
    shifted by it) at a tenth of the cost. A request without a secret yet goes to
    ``get_token``, which makes one; CsrfViewMiddleware has checked any secret it holds."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token: renew the cookie
    mask = _mask()
    return "".join(_CHARS[m] for m in mask) + "".join(
        _CHARS[(_INDEX[c] + m) % len(_CHARS)] for c, m in zip(secret, mask, strict=True)
    )


def csrf(request: HttpRequest) -> dict[str, str]:
    """One masked CSRF token per page (the lazy ``csrf_token`` re-masks on every use)."""
    return {"csrf": masked_csrf_token(request)}
