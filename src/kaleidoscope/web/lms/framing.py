"""Which pages an LTI platform may show in a frame (docs/lms.md, "Frames and windows").

The site's policy is ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``. The LTI
pages that a platform shows in its own page (the launch's answer, the Deep Linking
picker and its return page, a refusal) may be framed by that platform's registered
origins only: django-csp's ``csp_replace`` sets ``frame-ancestors`` on those responses,
and the views are ``xframe_options_exempt``. The play is never framed: a launch that
arrives in a frame answers with a page whose link opens the play in a new window.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from csp.decorators import csp_replace, csp_update
from django.http import HttpRequest, HttpResponse

FRAME_DESTINATIONS = ("iframe", "frame")


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL, or '' when it has none."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


def registration_origins(registration: Any) -> list[str]:
    """A registered platform's origins: its issuer's, its authorisation URL's and any the
    administrator added (PlatformSettings.frame_origins)."""
    found = [origin(registration.issuer), origin(registration.auth_url)]
    chosen = getattr(registration, "kaleidoscope", None)
    if chosen is not None:
        found += [origin(line) for line in chosen.frame_origins.split()]
    return list(dict.fromkeys(o for o in found if o))


def issuer_origins(issuer: str) -> list[str]:
    """The origins of the active registrations of ``issuer`` (none if it is not registered)."""
    from lti_tool.models import LtiRegistration  # type: ignore[import-untyped]

    if not issuer:
        return []
    origins: list[str] = []
    registrations = LtiRegistration.objects.filter(issuer=issuer, is_active=True)
    for registration in registrations.select_related("kaleidoscope"):
        origins += registration_origins(registration)
    return list(dict.fromkeys(origins))


def in_frame(request: HttpRequest, document_target: str = "") -> bool:
    """Is this navigation inside a frame? The browser's ``Sec-Fetch-Dest`` says so; a
    browser that does not send it is believed the launch's ``document_target``."""
    dest = request.headers.get("Sec-Fetch-Dest", "")
    if dest:
        return dest in FRAME_DESTINATIONS
    return document_target in FRAME_DESTINATIONS


def _apply(decorator: Any, request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Apply a django-csp view decorator to one response (its policy depends on the request)."""
    done: HttpResponse = decorator(lambda _request: response)(request)
    return done


def framable_by(
    request: HttpRequest, response: HttpResponse, origins: Iterable[str]
) -> HttpResponse:
    """Let ``origins`` (and only them) show this response in a frame."""
    allowed = list(origins) or ["'none'"]
    return _apply(csp_replace({"frame-ancestors": allowed}), request, response)


def may_post_to(request: HttpRequest, response: HttpResponse, url: str) -> HttpResponse:
    """Let this page's form post to ``url``'s origin too (form-action is 'self')."""
    target = origin(url)
    if not target:
        return response
    return _apply(csp_update({"form-action": [target]}), request, response)
