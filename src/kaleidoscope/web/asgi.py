"""ASGI entry point (served by uvicorn in ``kaleidoscope serve``).

Ordinary pages are plain synchronous Django: they run through Django's WSGI handler on a
fixed pool of threads (a2wsgi), which costs a fraction of Django's ASGI handler per
request (that one starts a thread per request). Paths under ``ASYNC_PREFIXES`` and
every non-HTTP scope (websockets) go to Django's ASGI handler, where async views can
hold long-lived connections such as server-sent events (issue 7).
"""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaleidoscope.web.settings")

from a2wsgi import WSGIMiddleware
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application

ASYNC_PREFIXES: tuple[str, ...] = ("/live/",)
WSGI_THREADS = int(os.environ.get("KALEIDOSCOPE_THREADS", "4"))

django_asgi = get_asgi_application()
django_wsgi = WSGIMiddleware(get_wsgi_application(), workers=WSGI_THREADS)  # type: ignore[arg-type]


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "http" and not scope["path"].startswith(ASYNC_PREFIXES):
        await django_wsgi(scope, receive, send)  # type: ignore[arg-type]
    else:
        await django_asgi(scope, receive, send)
