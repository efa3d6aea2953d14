"""ASGI entry point (served by uvicorn in ``kaleidoscope serve``)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaleidoscope.web.settings")
application = get_asgi_application()
