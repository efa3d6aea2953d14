"""ASGI entry point (served by uvicorn in ``kaleidoscope serve``).

Ordinary (synchronous) views run through Django's WSGI handler on a fixed pool of
threads: that costs a fraction of Django's ASGI handler per request (which starts a
thread per request for sync code). Requests with a small body go through ``bridge``
(one thread hand-off each way); uploads go through a2wsgi, which streams the body to
the worker thread, on a pool of their own. Async views, paths under ``ASYNC_PREFIXES``
and every non-HTTP scope (websockets) go to Django's ASGI handler, where they can hold
long-lived connections such as server-sent events without tying up a pool thread.
"""

from __future__ import annotations

import functools
import os
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaleidoscope.web.settings")

from a2wsgi import WSGIMiddleware
from asgiref.sync import iscoroutinefunction
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application
from django.urls import Resolver404, resolve

from kaleidoscope.web import bridge

ASYNC_PREFIXES: tuple[str, ...] = ("/live/",)
WSGI_THREADS = int(os.environ.get("KALEIDOSCOPE_THREADS", "4"))

django_asgi = get_asgi_application()
wsgi_app = get_wsgi_application()
pages = bridge.WSGIBridge(wsgi_app, threads=WSGI_THREADS)  # type: ignore[arg-type]
uploads = WSGIMiddleware(wsgi_app, workers=WSGI_THREADS)  # type: ignore[arg-type]


@functools.lru_cache(maxsize=4096)
def wants_asgi(path: str) -> bool:
    """True for paths served by an async view (or under ASYNC_PREFIXES). Remembered per
    path: resolving costs more than the rest of the routing here."""
    if path.startswith(ASYNC_PREFIXES):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return bool(iscoroutinefunction(match.func))


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "http" and not wants_asgi(scope["path"]):
        if bridge.accepts(scope):
            await pages(scope, receive, send)
        else:
            await uploads(scope, receive, send)  # type: ignore[arg-type]
    else:
        await django_asgi(scope, receive, send)
