"""ASGI entry point: Django's own application, served by uvicorn (``kaleidoscope serve``)
or any ASGI server. Sync views run in Django's thread executor, async views (the live
streams under /live/) on the event loop. See docs/adr/0008-stock-asgi-and-workers.md."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaleidoscope.web.settings")

from django.core.asgi import get_asgi_application

application = get_asgi_application()
